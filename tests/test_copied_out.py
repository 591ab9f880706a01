"""An output folder copied or restored without its mtimes (`cp -r`, rsync without -t, a tar extract, a
checkout) is recognised as intact when its contents are: the next run writes no report JSON again
(it did write every one, from its input, with one warning) and renders no row again; a JSON whose
bytes changed is still written again, alone. A run whose files all have their mtimes reads none."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from xxgk.batch import unchanged
from xxgk.cli import main
from xxgk.research import rendered


def extract(inputs: Path, out: Path, *options: str):
    return CliRunner().invoke(main, ["extract", str(inputs), "-o", str(out), "-q", "--jobs", "1", *options])


def reports(out: Path) -> dict[str, tuple[bytes, int]]:
    """Each report JSON's bytes and inode (a file written again has a new one: it is renamed into place)."""
    return {path.relative_to(out).as_posix(): (path.read_bytes(), path.stat().st_ino)
            for path in sorted(out.glob("seeds/*.json"))}


def visible(out: Path) -> dict[str, bytes]:
    return {path.relative_to(out).as_posix(): path.read_bytes() for path in sorted(out.rglob("*"))
            if path.is_file() and ".xxgk" not in path.relative_to(out).parts and path.name != "run.json"}


def parsed(out: Path) -> int:
    return orjson.loads((out / "run.json").read_bytes())["parsed"]


@pytest.fixture
def counted(monkeypatch):
    """How many report JSONs were read to check them, and how many reports' rows were rendered."""
    counts = {"checked": 0, "rendered": 0}
    real_digest, real_render = unchanged._json_digest, rendered.render

    def digest(*arguments):
        counts["checked"] += 1
        return real_digest(*arguments)

    def render(data):
        counts["rendered"] += 1
        return real_render(data)

    monkeypatch.setattr(unchanged, "_json_digest", digest)
    monkeypatch.setattr(rendered, "render", render)
    return counts


def test_an_out_copied_without_mtimes_is_intact_and_nothing_is_written_again(inputs, tmp_path, counted):
    out, copy = tmp_path / "out", tmp_path / "copy"
    assert extract(inputs, out).exit_code == 0
    shutil.copytree(out, copy, copy_function=shutil.copy)  # contents and modes, not mtimes
    assert {path.stat().st_mtime_ns for path in copy.glob("seeds/*.json")}.isdisjoint(
        path.stat().st_mtime_ns for path in out.glob("seeds/*.json"))
    before, counted["rendered"] = reports(copy), 0
    result = extract(inputs, copy)
    assert (result.exit_code, result.output) == (0, "")  # no warning: nothing had changed
    assert parsed(copy) == 0 and reports(copy) == before and visible(copy) == visible(out)
    assert counted == {"checked": len(before), "rendered": 0}  # each JSON read once; its rows kept
    again = extract(inputs, copy)  # the state keeps the new mtimes: nothing is read again
    assert (again.exit_code, again.output, parsed(copy)) == (0, "", 0)
    assert counted["checked"] == len(before) and reports(copy) == before


def test_touched_jsons_are_kept_and_only_the_edited_one_is_written_again(inputs, tmp_path, counted):
    out = tmp_path / "out"
    assert extract(inputs, out).exit_code == 0
    clean = visible(out)
    paths = sorted(out.glob("seeds/*.json"))
    later = paths[0].stat().st_mtime_ns + 10**10
    for path in paths:
        os.utime(path, ns=(later, later))
    edited, swapped = paths[1], paths[2]
    content = edited.read_bytes()  # one digit changed, same size: the JSON's own bytes are the only sign
    at = content.index(b'"year": ') + len(b'"year": ')
    edited.write_bytes(content[:at] + (b"1" if content[at:at + 1] != b"1" else b"2") + content[at + 1:])
    os.utime(edited, ns=(later, later))
    swapped.write_bytes(paths[3].read_bytes())  # another report's JSON in its place, another size
    before = reports(out)
    result = extract(inputs, out)
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert len(lines) == 1 and lines[0].startswith("xxgk: warning: 2 report JSON file(s)"), result.output
    after = reports(out)
    rewritten = sorted(name for name in before if after[name][1] != before[name][1])
    assert rewritten == sorted(path.relative_to(out).as_posix() for path in (edited, swapped))
    assert parsed(out) == 2 and visible(out) == clean
    assert counted["checked"] == len(paths) - 1  # the swapped one's size already said it


def test_a_json_whose_mtime_is_kept_is_not_read(inputs, tmp_path, counted):
    out = tmp_path / "out"
    assert extract(inputs, out).exit_code == 0
    assert extract(inputs, out).exit_code == 0 and extract(inputs, out, "--jobs", "2").exit_code == 0
    assert counted["checked"] == 0 and parsed(out) == 0


def test_a_json_the_duplicate_pass_rewrote_is_intact_when_copied(tmp_path, counted):
    """The duplicate pass rewrites a later copy's JSON at the end of the run: its digest is the rewritten
    file's, so a copied OUT finds it intact too."""
    inputs, out, copy = tmp_path / "in", tmp_path / "out", tmp_path / "copy"
    (inputs / "seeds").mkdir(parents=True)
    seed = sorted((Path(__file__).parent.parent / "fixtures" / "reports" / "seeds").glob("*.txt"))[0]
    for name in ("a.txt", "b.txt"):
        shutil.copy(seed, inputs / "seeds" / name)
    assert extract(inputs, out).exit_code == 0
    assert b"duplicate_report" in (out / "seeds" / "b.txt.json").read_bytes()
    shutil.copytree(out, copy, copy_function=shutil.copy)
    before = reports(copy)
    result = extract(inputs, copy)
    assert (result.exit_code, result.output, parsed(copy)) == (0, "", 0)
    assert reports(copy) == before
