"""Comparing reports: flat canonical values, per-key differences, and scores against labels.

`xxgk check --expected`, the golden tests and the corpus test all compare through this module, so
there is one way to say that two reports differ.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from xxgk.templates import canonical_keys

CANONICAL_KEYS = canonical_keys()
META_KEYS = ("meta.template", "meta.year", "meta.agency", "meta.title", "meta.published", "meta.index_no")


def lookup(data: dict | None, dotted: str) -> Any:
    for part in dotted.split("."):
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data


def flatten(report: dict) -> dict[str, Any]:
    """meta keys and every canonical key (§12) of a report given as JSON data."""
    return {key: lookup(report, key) for key in (*META_KEYS, *CANONICAL_KEYS)}


@dataclass(frozen=True)
class Difference:
    key: str
    expected: Any
    actual: Any
    line: int | None = None   # the source line of the value's row (or the finding's own line)

    def __str__(self) -> str:
        if isinstance(self.expected, str) and isinstance(self.actual, str):
            before, after = _around_change(self.expected, self.actual)
            return f"{self.key}: {before} -> {after}"
        return f"{self.key}: {_show(self.expected)} -> {_show(self.actual)}"


def _show(value: Any) -> str:
    if value is None:
        return "null"
    text = json.dumps(value, ensure_ascii=False) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "...\""


def _around_change(expected: str, actual: str, context: int = 24) -> tuple[str, str]:
    """Two long strings shown around their first difference, so a changed digit is in view."""
    if len(expected) <= 60 and len(actual) <= 60:
        return _show(expected), _show(actual)
    start = next((index for index, (a, b) in enumerate(zip(expected, actual)) if a != b),
                 min(len(expected), len(actual)))
    begin = max(0, start - context)

    def cut(text: str) -> str:
        part = text[begin:start + context]
        return ("..." if begin else "") + json.dumps(part, ensure_ascii=False) + \
            ("..." if start + context < len(text) else "")
    return cut(expected), cut(actual)


def _same(expected: Any, actual: Any) -> bool:
    if isinstance(expected, bool) or isinstance(actual, bool):
        return expected == actual
    if isinstance(expected, (int, float)) and isinstance(actual, (int, float)):
        return abs(expected - actual) < 1e-9
    return expected == actual


def deep_flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    """Every leaf of JSON data under a dotted key; list items by index (`findings.0.code`)."""
    if isinstance(data, dict):
        items = data.items()
    elif isinstance(data, list):
        items = ((str(index), value) for index, value in enumerate(data))
    else:
        return {prefix: data}
    flat: dict[str, Any] = {}
    for key, value in items:
        flat.update(deep_flatten(value, f"{prefix}.{key}" if prefix else str(key)))
    if not flat and prefix:
        flat[prefix] = data
    return flat


# What a report says, as opposed to where it was read from and how its text reads: compared by
# default. `strict` compares every field (path, hash, size, section text, rule tallies) as well.
VALUE_FIELDS = ("parsed", "meta", "active_disclosure", "requests", "review_litigation")
_NOT_COMPARED = ("findings", "parser_version")  # findings are compared as a set; the version is provenance


def value_differences(expected: dict, actual: dict, strict: bool = True,
                      lines: dict[str, int] | None = None) -> list[Difference]:
    """Every value that differs between two reports' JSON data, canonical keys first, each with the
    source line of its row in `actual` (`lines`: row key -> line, else the section's heading line)."""
    def fields(report: dict) -> dict:
        return {key: value for key, value in report.items()
                if key not in _NOT_COMPARED and (strict or key in VALUE_FIELDS)}
    before, after = deep_flatten(fields(expected)), deep_flatten(fields(actual))
    keys = list(before) + [key for key in after if key not in before]
    where = _row_lines(actual, lines or {})
    changed = [Difference(key, before.get(key), after.get(key), where(key)) for key in keys
               if not _same(before.get(key), after.get(key))]
    order = {key: position for position, key in enumerate((*META_KEYS, *CANONICAL_KEYS))}
    changed.sort(key=lambda item: order.get(item.key, len(order)))
    return changed


def _row_lines(report: dict, lines: dict[str, int]):
    sections = {section.get("key"): section.get("line") for section in report.get("sections") or []
                if isinstance(section, dict)}

    def where(key: str) -> int | None:
        parts = key.split(".")
        for end in range(len(parts), 0, -1):
            if (line := lines.get(".".join(parts[:end]))) is not None:
                return line
        whole = lines.get(f"{parts[0]}.{parts[0]}")  # a table read as one row (table 四 on one line)
        return whole if whole is not None else sections.get(parts[0])
    return where


def finding_identity(item: dict, strict: bool = True) -> tuple:
    """What makes two findings the same one: code and key; with `strict` also line and message."""
    identity = (item.get("code"), item.get("key"))
    return identity + (item.get("line"), item.get("message")) if strict else identity


def match_findings(expected: list[dict], actual: list[dict], strict: bool = True) -> tuple[list[bool], list[dict]]:
    """Which of `actual`'s findings the expected ones already hold (as a multiset), and the expected
    findings that are gone."""
    remaining = Counter(finding_identity(item, strict) for item in expected)
    known = []
    for item in actual:
        identity = finding_identity(item, strict)
        known.append(remaining[identity] > 0)
        remaining[identity] -= 1
    gone = []
    for item in expected:
        identity = finding_identity(item, strict)
        if remaining[identity] > 0:
            remaining[identity] -= 1
            gone.append(item)
    return known, gone


def finding_difference(item: dict, gone: bool, strict: bool = True) -> Difference:
    name = f"finding {item.get('code')} {item.get('key') or '-'}"
    if strict:
        name += f" line {item.get('line') or '-'}"
    message = item.get("message")
    return Difference(name, message if gone else None, None if gone else message, item.get("line"))


def differences(expected: dict, actual: dict, strict: bool = True,
                lines: dict[str, int] | None = None) -> list[Difference]:
    """Every value that differs between two reports' JSON data, canonical keys first; findings
    compared as a set, so one finding more or less reads as exactly that. `strict=False` compares
    values and findings (code, key) only: not paths, hashes, text, rule tallies or finding lines."""
    changed = value_differences(expected, actual, strict, lines)
    old, new = expected.get("findings") or [], actual.get("findings") or []
    _, gone = match_findings(old, new, strict)
    _, added = match_findings(new, old, strict)
    changed += sorted((finding_difference(item, True, strict) for item in gone), key=_finding_order)
    changed += sorted((finding_difference(item, False, strict) for item in added), key=_finding_order)
    return changed


def _finding_order(item: Difference) -> tuple:
    return item.key, str(item.expected), str(item.actual)


@dataclass
class Score:
    """A report's cells against a hand-checked label (shared/corpus/labels)."""

    correct: int = 0
    null: int = 0        # the label has a number, we output null
    wrong: int = 0       # we output a number different from the label's (or one where it is undeterminable)
    invented: int = 0    # we output a number where the label says the report prints nothing (or that the file
                         # cannot determine, unless the label's `truth` for that key agrees)
    problems: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.correct + self.null + self.wrong + self.invented

    def add(self, other: Score) -> None:
        self.correct += other.correct
        self.null += other.null
        self.wrong += other.wrong
        self.invented += other.invented
        self.problems.extend(other.problems)


def score(report: dict, label: dict) -> Score:
    result = Score()
    flat = flatten(report)
    undeterminable = set(label.get("undeterminable", []))
    truth = label.get("truth", {})  # the real value of an undeterminable key, known from a twin file
    keys = list(label.get("values", {})) + [key for key in undeterminable if key not in label.get("values", {})]
    for key in keys:
        expected = None if key in undeterminable else label["values"].get(key)
        actual = flat.get(key) if key in flat else lookup(report, key)
        if _same(expected, actual) or (key in undeterminable and key in truth and _same(truth[key], actual)):
            result.correct += 1
        elif actual is None:
            result.null += 1
        elif expected is None:
            result.invented += 1
            result.problems.append(f"invented {key}: {actual} (label: null)")
        else:
            result.wrong += 1
            result.problems.append(f"wrong {key}: {actual} (label: {expected})")
    for name in ("template", "year", "agency"):  # the agency as printed, spaces aside
        if name in label and "".join(str(label[name]).split()) != "".join(str(flat[f"meta.{name}"]).split()):
            result.problems.append(f"wrong meta.{name}: {flat[f'meta.{name}']} (label: {label[name]})")
    return result
