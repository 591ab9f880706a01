"""`xxgk check`: parse and validate files without writing outputs, optionally against expected JSON.

The library side: which problems a file has, and how its report differs from the expected one.
Formatting and exit codes are the CLI's job.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .compare import Difference, differences
from .findings import SEVERITY_RANK, Finding, Severity
from .inputs import Input, output_path
from .model import Report
from .output import report_json, write_atomic
from .pipeline import extract_file
from .read import DEFAULT_MAX_BYTES

FAIL_LEVELS = {"error": Severity.error, "warning": Severity.warning, "never": None}


@dataclass
class FileCheck:
    path: str                    # the file as the user named it, for editor and CI annotations
    report: Report
    differences: list[Difference] = field(default_factory=list)
    expected_missing: bool = False
    updated: bool = False

    def fails(self, fail_on: Severity | None) -> bool:
        """A file that yields no report, or whose values moved, fails whatever --fail-on says."""
        if self.differences or self.expected_missing or not self.report.parsed:
            return True
        if fail_on is None:
            return False
        return any(SEVERITY_RANK[item.severity] >= SEVERITY_RANK[fail_on] for item in self.report.findings)


def check_file(item: Input, expected_dir: Path | None = None, update: bool = False,
               max_bytes: int = DEFAULT_MAX_BYTES) -> FileCheck:
    report = extract_file(item.path, item.relative, max_bytes)
    result = FileCheck(str(item.path), report)
    if expected_dir is None:
        return result
    expected_path = output_path(expected_dir, item.relative)
    actual = report.model_dump(mode="json")
    if update:
        if not expected_path.exists() or json.loads(expected_path.read_text(encoding="utf-8")) != actual:
            write_atomic(expected_path, report_json(actual))
            result.updated = True
        return result
    if not expected_path.exists():
        result.expected_missing = True
        return result
    result.differences = differences(json.loads(expected_path.read_text(encoding="utf-8")), actual)
    return result


def shown_findings(result: FileCheck) -> list[Finding]:
    """Findings worth a line of output: warnings and errors."""
    return [item for item in result.report.findings if item.severity is not Severity.info]
