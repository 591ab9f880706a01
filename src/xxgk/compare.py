"""Comparing reports: flat canonical values, per-key differences, and scores against labels.

`xxgk check --expected`, the golden tests and the corpus test all compare through this module, so
there is one way to say that two reports differ.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .template import canonical_keys

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

    def __str__(self) -> str:
        return f"{self.key}: {_show(self.expected)} -> {_show(self.actual)}"


def _show(value: Any) -> str:
    if value is None:
        return "null"
    text = json.dumps(value, ensure_ascii=False) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "...\""


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


def differences(expected: dict, actual: dict) -> list[Difference]:
    """Every value that differs between two reports' JSON data, canonical keys first; findings
    compared as a set, so one finding more or less reads as exactly that."""
    before = deep_flatten({key: value for key, value in expected.items() if key != "findings"})
    after = deep_flatten({key: value for key, value in actual.items() if key != "findings"})
    keys = list(before) + [key for key in after if key not in before]
    changed = [Difference(key, before.get(key), after.get(key)) for key in keys
               if not _same(before.get(key), after.get(key))]
    order = {key: position for position, key in enumerate((*META_KEYS, *CANONICAL_KEYS))}
    changed.sort(key=lambda item: order.get(item.key, len(order)))
    old, new = _findings(expected), _findings(actual)
    changed += [Difference(name, message, None) for name, message in sorted((old - new).elements())]
    changed += [Difference(name, None, message) for name, message in sorted((new - old).elements())]
    return changed


def _findings(report: dict) -> Counter:
    return Counter((f"finding {item.get('code')} {item.get('key') or '-'} line {item.get('line') or '-'}",
                    item.get("message")) for item in report.get("findings") or [])


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
    for name in ("template", "year"):
        if name in label and str(label[name]) != str(flat[f"meta.{name}"]):
            result.problems.append(f"wrong meta.{name}: {flat[f'meta.{name}']} (label: {label[name]})")
    return result
