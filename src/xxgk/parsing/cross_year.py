"""FORMAT §6.2 S3 across reports: an agency's 上年结转 (year Y) should equal its 结转下年度 (year Y−1).

It needs two reports, so it is a batch result: OUT/cross_year.csv, one row per differing cell,
computed from the state database at the end of a run. Agencies are matched by `meta.agency`.
"""
from __future__ import annotations

from pathlib import Path

from xxgk.batch.output import CsvSink, safe_cell
from xxgk.batch.state import State
from xxgk import templates

# the columns of 上年结转 and 结转下年度 (the same in every version)
REQUEST_COLUMNS = templates.TEMPLATE_2021.table("requests").row("carried_over").fields
CROSS_YEAR_COLUMNS = ("agency", "year", "column", "carried_over", "previous_year", "previous_carried_forward",
                      "path", "previous_path")


def carried_rows(data: dict) -> tuple[str | None, int | None, list, list]:
    """(agency, year, 上年结转 row, 结转下年度 row): what the cross-year check compares."""
    meta, requests = data.get("meta") or {}, data.get("requests") or {}
    rows = [[(requests.get(row) or {}).get(column) for column in REQUEST_COLUMNS]
            for row in ("carried_over", "carried_forward")]
    return meta.get("agency"), meta.get("year"), rows[0], rows[1]


def write_cross_year(state: State, path: Path, scratch: Path | None = None) -> int:
    """Write the cross-year differences of this run's reports to `path`; return how many there are."""
    sink = CsvSink(path, CROSS_YEAR_COLUMNS, scratch)
    mismatches = 0
    previous = None
    try:
        for report, agency, year, carried_over, carried_forward in state.by_agency_and_year():
            if previous and previous[1] == agency and previous[2] == year - 1:
                for column, before, now in zip(REQUEST_COLUMNS, previous[4], carried_over):
                    if before is not None and now is not None and before != now:
                        sink.write([[safe_cell(value) for value in
                                     (agency, year, column, now, year - 1, before, report, previous[0])]])
                        mismatches += 1
            previous = (report, agency, year, carried_over, carried_forward)
        sink.commit()
    except BaseException:
        sink.abandon()
        raise
    return mismatches
