from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
# ../shared beside the project; mutmut runs the tests in its copy ./mutants, one level deeper
SHARED = (ROOT.parent.parent if ROOT.name == "mutants" else ROOT.parent) / "shared"


def shared_dir(name: str) -> Path:
    """../shared/<name>; CI always has it, so a missing folder fails there instead of skipping."""
    path = SHARED / name
    if not path.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing: CI must run with shared/ beside the project")
        pytest.skip(f"{path} is not present")
    return path


def shared_label(folder: str, name: str) -> dict:
    """The label in ../shared/<folder>/labels of the file `name`."""
    for path in (shared_dir(folder) / "labels").glob("*.json"):
        label = json.loads(path.read_text(encoding="utf-8"))
        if label["file"] == name:
            return label
    raise LookupError(name)


if ROOT.name == "mutants":  # mutmut runs every mutant in a fork of one process that ran the tests once
    @pytest.fixture(autouse=True)
    def _empty_caches():
        """Without this a mutant in a cached function is never called: the first results were kept."""
        from xxgk.parsing import cells, readings, requests_table, review_table, tables

        for cached in (cells._line_tokens, tables._cell_keys, tables.row_rule, requests_table._row_rule,
                       requests_table._own_rows, review_table._as_one_row):
            cached.cache_clear()
        readings._CUT_CACHE.clear()


@pytest.fixture
def inputs(tmp_path):
    """A copy of the bundled seeds under `in/seeds`, for batch runs."""
    folder = tmp_path / "in"
    shutil.copytree(FIXTURES / "reports" / "seeds", folder / "seeds")
    return folder


def dying_on(marker: str, real):
    """`real` (an extract_file) that kills its process on the file whose path holds `marker`."""
    def extract(path, relative=None, max_bytes=0):
        if marker in str(path):
            os._exit(3)
        return real(path, relative, max_bytes)
    return extract
