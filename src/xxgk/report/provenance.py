"""Which code wrote an output: the parser version stamped into every report JSON and run.json.

`source.path` in a report names the input by its output name (inputs.py): a folder's files by their path
below that folder, a file argument by its own name, however many arguments are given (a name that is not
UTF-8, holds control characters or is too long becomes a readable prefix plus a digest). It is also
where the report's JSON is written, below OUT (`a.txt` -> `OUT/a.txt.json`).
"""
from __future__ import annotations

import hashlib
import os
import platform
from functools import lru_cache
from pathlib import Path

from xxgk import __version__


@lru_cache(maxsize=1)
def parser_version() -> str:
    """The package version plus a digest of its source: any change to the parser changes it."""
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(Path(__file__).parent.parent.rglob("*.py")):
        digest.update(path.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:12]}"


def run_provenance(command: list[str], roots: list[Path]) -> dict:
    """What run.json records of how a run was started: the command line as typed, the input roots (as
    given and as absolute paths: `source.path` is relative to them), the working folder and Python."""
    return {"command": list(command), "cwd": os.getcwd(),
            "input_roots": [{"given": str(root), "absolute": os.path.abspath(root)} for root in roots],
            "python": platform.python_version()}
