from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SHARED = ROOT.parent / "shared"


def shared_dir(name: str) -> Path:
    """../shared/<name>; CI always has it, so a missing folder fails there instead of skipping."""
    path = SHARED / name
    if not path.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing: CI must run with shared/ beside the project")
        pytest.skip(f"{path} is not present")
    return path
