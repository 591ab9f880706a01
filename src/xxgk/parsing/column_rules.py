"""Stage 5b, column rules: equations Σ sign·cell = 0 that tie cells of several rows (H1, H3 per column).

Each row brings the readings its printed cells allow (readings.py). A reading survives when, for
every equation, the other rows' readings can complete it; an equation no combination satisfies tells
the caller that the readings, or the report, are wrong (requests_table.py decides which).
"""
from __future__ import annotations

from xxgk.parsing.readings import Reading

MAX_SUMS = 50000       # past this many partial sums, a column rule is not used for pruning

Term = tuple[str, int, int]  # (row key, position in the row, sign)


def prune_jointly(readings: dict[str, list[Reading]], equations: list[list[Term]]) -> None:
    """Drop readings that cannot take part in any solution of the equations Σ sign·cell = 0.

    Each equation ties cells of several rows (a column rule). A reading survives when, for every
    equation, the other rows' readings can complete it. Runs to a fixed point; an equation that
    would leave some row with no reading at all (the report's own numbers break it) prunes nothing.
    """
    changed = True
    rounds = 0
    while changed and rounds < 20:
        changed = False
        rounds += 1
        for terms in equations:
            if any(not readings.get(row) for row, _, _ in terms):
                continue
            kept = _supported(readings, terms)
            if kept is None or any(not rows for rows in kept.values()):
                continue
            for row, rows in kept.items():
                if len(rows) < len(readings[row]):
                    readings[row] = rows
                    changed = True


def unsatisfiable(readings: dict[str, list[Reading]], equations: list[list[Term]]) -> list[list[Term]]:
    """The equations no combination of the rows' readings satisfies (rows missing or too many sums: skipped)."""
    failing = []
    for terms in equations:
        if any(not readings.get(row) for row, _, _ in terms):
            continue
        if all(len(readings[row]) == 1 for row, _, _ in terms):  # one reading each: add the cells up
            if sum(sign * (readings[row][0][position] or 0) for row, position, sign in terms):
                failing.append(terms)
            continue
        kept = _supported(readings, terms)
        if kept is not None and any(not rows for rows in kept.values()):
            failing.append(terms)
    return failing


def _supported(readings: dict[str, list[Reading]], terms: list[Term]) -> dict[str, list[Reading]] | None:
    values = [{sign * (reading[position] or 0) for reading in readings[row]} for row, position, sign in terms]
    prefix: list[set] = [{0}]
    for options in values:
        prefix.append({total + value for total in prefix[-1] for value in options})
        if len(prefix[-1]) > MAX_SUMS:
            return None
    suffix: list[set] = [{0}]
    for options in reversed(values):
        suffix.append({total + value for total in suffix[-1] for value in options})
        if len(suffix[-1]) > MAX_SUMS:
            return None
    suffix.reverse()
    kept: dict[str, list[Reading]] = {}
    for index, (row, position, sign) in enumerate(terms):
        others = {left + right for left in prefix[index] for right in suffix[index + 1]} \
            if len(prefix[index]) * len(suffix[index + 1]) <= MAX_SUMS else None
        if others is None:
            return None
        kept[row] = [reading for reading in readings[row] if -sign * (reading[position] or 0) in others]
    return kept


