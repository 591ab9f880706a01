"""`rates.csv`: the rates researchers compute from a report, one row per report and metric.

Each metric is defined in the metric dictionary shipped with the package (data/metrics.json, also
in the README): value = sum of its numerator cells / sum of its denominator cells. A rate is empty,
with a reason, when any input cell is not printed (blank, undetermined, not in the template, table
missing) or when the denominator is 0: never 0 and never computed from partial data.
"""
from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from typing import Any

from xxgk.research.tidy import PRINTED, Cell, report_cells, report_head

RATE_COLUMNS = ("source.path", "source.sha256", "agency", "year", "template", "metric", "name", "value",
                "numerator", "denominator", "reason")
NOT_PARSED, NULL_INPUT, ZERO_DENOMINATOR = "not_parsed", "null_input", "zero_denominator"
DIGITS = 6


@dataclass(frozen=True)
class Metric:
    id: str
    name: str
    numerator: tuple[str, ...]
    denominator: tuple[str, ...]
    description: str


@functools.lru_cache(maxsize=1)
def metric_dictionary() -> dict[str, Any]:
    """The metric dictionary as shipped (description and metrics)."""
    return json.loads(resources.files("xxgk.research").joinpath("data/metrics.json").read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=1)
def metrics() -> tuple[Metric, ...]:
    return tuple(Metric(item["id"], item["name"], tuple(item["numerator"]), tuple(item["denominator"]),
                        item["description"]) for item in metric_dictionary()["metrics"])


@dataclass(frozen=True)
class Rate:
    metric: Metric
    value: float | None
    numerator: int | float | None
    denominator: int | float | None
    reason: str | None


def compute(metric: Metric, cells: dict[str, tuple[str, Any]]) -> Rate:
    """One metric from a report's cells (key -> (status, value))."""
    missing = [f"{key} is {cells[key][0] if key in cells else 'absent'}"
               for key in dict.fromkeys((*metric.numerator, *metric.denominator))
               if cells.get(key, ("", None))[0] != PRINTED]
    if missing:
        return Rate(metric, None, None, None, f"{NULL_INPUT}: {'; '.join(missing)}")
    numerator = sum(cells[key][1] for key in metric.numerator)
    denominator = sum(cells[key][1] for key in metric.denominator)
    if denominator == 0:
        return Rate(metric, None, numerator, denominator, f"{ZERO_DENOMINATOR}: "
                    f"{' + '.join(metric.denominator)} is 0")
    return Rate(metric, round(numerator / denominator, DIGITS), numerator, denominator, None)


def report_rates(data: dict, cells: list[Cell] | None = None) -> list[Rate]:
    """Every metric of one report (`cells`: its `report_cells`, when already computed)."""
    if not data.get("parsed"):
        return [Rate(metric, None, None, None, f"{NOT_PARSED}: no report could be read from the file")
                for metric in metrics()]
    by_key = {cell.key: (cell.status, cell.value) for cell in (report_cells(data) if cells is None else cells)}
    return [compute(metric, by_key) for metric in metrics()]


def rate_rows(data: dict, cells: list[Cell] | None = None, guard: Callable[[Any], Any] = lambda value: value
              ) -> list[list[Any]]:
    """The rates.csv rows of one report (its JSON data); `guard` as for `tidy.cell_rows`."""
    head = [*report_head(data, guard), (data.get("meta") or {}).get("template")]
    return [[*head, rate.metric.id, rate.metric.name, rate.value, rate.numerator, rate.denominator, rate.reason]
            for rate in report_rates(data, cells)]
