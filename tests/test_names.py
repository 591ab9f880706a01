"""Issue 11: output names are stable, never collide and survive any input name; which files are read."""
from __future__ import annotations

import json
import os
import shutil
import stat

import pytest
from click.testing import CliRunner

from xxgk.cli import main
from xxgk.batch.inputs import Selection, find_inputs, output_name

from .conftest import FIXTURES

SEEDS = FIXTURES / "reports" / "seeds"
SEED = (SEEDS / "000_201b3c9d0f3fbc81.txt").read_bytes()
NOTE = "# Notes\n\nScraped on 2024-03-01 from the portal; see the log for failures.\n"


def extract(*arguments):
    return CliRunner().invoke(main, ["extract", *map(str, arguments)])


def records(out):
    """The report JSONs below OUT (not the run's run.json and datapackage.json)."""
    return {path.relative_to(out).as_posix(): json.loads(path.read_text(encoding="utf-8"))
            for path in out.rglob("*.json") if path.relative_to(out).as_posix() not in ("run.json", "datapackage.json")}


# --- stable names, no collisions, no duplicates ----------------------------------------------------
def test_adding_an_input_root_renames_nothing(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "x.txt").write_bytes(SEED)
    (tmp_path / "b" / "y.txt").write_bytes(SEED)
    out = tmp_path / "out"
    assert extract(tmp_path / "a", "-o", out).exit_code == 0
    result = extract(tmp_path / "a", tmp_path / "b", "-o", out, "--prune")
    assert result.exit_code == 0, result.output
    assert sorted(records(out)) == ["x.txt.json", "y.txt.json"]
    assert json.loads((out / "run.json").read_text())["unchanged"] == 1


@pytest.mark.parametrize("layout", ["same relative name", "two absolute files"])
def test_two_inputs_with_one_output_name_stop_the_run_before_anything_is_written(tmp_path, layout):
    for root in ("a", "b"):
        (tmp_path / root / "reports").mkdir(parents=True)
        (tmp_path / root / "reports" / "x.txt").write_bytes(SEED)
    if layout == "same relative name":
        arguments = [tmp_path / "a" / "reports", tmp_path / "b" / "reports"]
    else:
        arguments = [tmp_path / "a" / "reports" / "x.txt", tmp_path / "b" / "reports" / "x.txt"]
    out = tmp_path / "out"
    for command in (["extract", *map(str, arguments), "-o", str(out)],
                    ["check", *map(str, arguments), "--expected", str(out), "--update"]):
        result = CliRunner().invoke(main, command)
        assert result.exit_code == 2
        assert "two inputs would be written to one output, x.txt.json:" in result.output
        assert str(tmp_path / "a" / "reports" / "x.txt") in result.output
        assert str(tmp_path / "b" / "reports" / "x.txt") in result.output
        assert not out.exists()


def test_a_file_given_twice_is_read_once(tmp_path):
    (tmp_path / "in" / "sub").mkdir(parents=True)
    (tmp_path / "in" / "sub" / "x.txt").write_bytes(SEED)
    out = tmp_path / "out"
    for arguments in ([tmp_path / "in", tmp_path / "in" / "sub" / "x.txt"],
                      [tmp_path / "in", tmp_path / "in"],
                      [tmp_path / "in" / "sub" / "x.txt", tmp_path / "in" / "sub" / "x.txt"]):
        shutil.rmtree(out, ignore_errors=True)
        result = extract(*arguments, "-o", out)
        assert result.exit_code == 0, result.output
        assert json.loads((out / "run.json").read_text())["seen"] == 1 and len(records(out)) == 1


NAMES = {
    "255 bytes": "报" * 83 + "xx.txt",
    "not UTF-8": os.fsdecode(b"\xff\xfe report \xb1\xa8.txt"),
    "leading space": " 2023 年报.txt",
    "trailing space": "2023 年报 .txt",
    "tab": "a\tb.txt",
    "newline": "a\nb.txt",
    "dash": "-rf.txt",
    "formula": "=cmd.txt",
}


def test_odd_input_names_get_stable_safe_names_and_a_record_each(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name in NAMES.values():
        with open(os.path.join(os.fsencode(inputs), os.fsencode(name)), "wb") as handle:
            handle.write(SEED)
    assert len(os.fsencode(NAMES["255 bytes"])) == 255
    deep = os.open(inputs, os.O_RDONLY)
    for level in range(21):  # paths of about 3,900 and over 4,096 bytes, made a folder at a time
        os.mkdir("d" * 200, dir_fd=deep)
        deeper = os.open("d" * 200, os.O_RDONLY, dir_fd=deep)
        os.close(deep)
        deep = deeper
        if level in (18, 20):
            with open(os.open("deep.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=deep), "wb") as handle:
                handle.write(SEED)
    os.close(deep)
    out = tmp_path / "out"
    first = extract(inputs, "-o", out, "--jobs", "1")
    assert "Traceback" not in first.output
    found = records(out)
    assert len(found) == len(NAMES) + 2, sorted(found)  # the file deeper than PATH_MAX too (long_paths.py)
    folded = [name for name in found if name.endswith("deep.txt.json")]
    assert len(folded) == 2 and all("/~" in name for name in folded)  # deeper folders folded into a digest
    for name, data in found.items():
        assert len(name.encode("utf-8")) < 1100 and max(len(part.encode()) for part in name.split("/")) <= 200
        assert data["source"]["path"] + ".json" == name
    assert all(data["parsed"] for data in found.values())
    assert first.exit_code == 0, first.output  # the folder deeper than PATH_MAX is read through descriptors
    assert "cannot read folder" not in first.output and "File name too long" not in first.output
    names = sorted(found)
    second = extract(inputs, "-o", out, "--jobs", "2")
    assert sorted(records(out)) == names and "Traceback" not in second.output
    assert json.loads((out / "run.json").read_text())["unchanged"] == len(NAMES) + 2


def test_shortened_names_keep_a_readable_prefix_the_suffix_and_a_digest():
    long = output_name(["报" * 83 + "xx.txt"])
    assert long.startswith("报" * 40) and long.endswith(".txt") and "~" in long
    assert output_name(["报" * 83 + "xx.txt"]) == long != output_name(["报" * 83 + "xy.txt"])
    assert output_name([os.fsdecode(b"\xff.txt")]).endswith(".txt")
    assert output_name([os.fsdecode(b"\xff.txt")]) != output_name([os.fsdecode(b"\xfe.txt")])
    assert output_name(["plain", "name.txt"]) == "plain/name.txt"


# --- which files are read --------------------------------------------------------------------------
@pytest.fixture
def scraped(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    html = b"<html><body><pre>" + SEED + b"</pre></body></html>"
    for name in ("a.jsp", "b.aspx", "c.php", "d.jhtml", "e.xhtml", "f.shtml"):
        (folder / name).write_bytes(html)
    (folder / "noextension").write_bytes(SEED)
    (folder / "binary").write_bytes(b"\x00\x01\x02" * 100)
    (folder / "README.md").write_text(NOTE, encoding="utf-8")
    (folder / "LICENSE").write_text("Permission is hereby granted, free of charge.\n", encoding="utf-8")
    (folder / "report.md").write_bytes(SEED)
    (folder / "page.css").write_text("body {}", encoding="utf-8")
    (folder / ".hidden.txt").write_bytes(SEED)
    os.mkfifo(folder / "fifo")  # extension-less, but never opened to sniff
    return folder


def test_scraper_page_suffixes_and_extension_less_text_are_read(scraped, tmp_path):
    out = tmp_path / "out"
    result = extract(scraped, "-o", out)
    assert result.exit_code == 0, result.output
    found = records(out)
    assert sorted(found) == ["LICENSE.json", "README.md.json", "a.jsp.json", "b.aspx.json", "c.php.json", "d.jhtml.json",
                             "e.xhtml.json", "f.shtml.json", "noextension.json", "report.md.json"]
    assert all(data["parsed"] for name, data in found.items() if name not in ("LICENSE.json", "README.md.json"))
    run = json.loads((out / "run.json").read_text())
    assert (run["seen"], run["parsed"], run["failed"], run["not_reports"], run["skipped"]) == (10, 8, 0, 2, 4)
    assert "0 failed, 0 gone; 4 skipped, 2 not reports;" in result.output


def test_non_reports_fail_the_run_when_asked(scraped, tmp_path):
    (scraped / "news.txt").write_text("市政府召开全市安全生产工作会议\n会议要求，各地各部门要压实责任。\n", encoding="utf-8")
    assert extract(scraped, "-o", tmp_path / "default").exit_code == 1  # not a report, and not a .md note
    assert extract(scraped, "-o", tmp_path / "skip", "--non-reports", "skip").exit_code == 0
    result = extract(scraped, "-o", tmp_path / "fail", "--non-reports", "fail")
    assert result.exit_code == 1 and "cannot parse README.md: no section headings" in result.output


def test_include_and_exclude_patterns(scraped, tmp_path):
    (scraped / "sub").mkdir()
    (scraped / "sub" / "x.txt").write_bytes(SEED)
    names = [item.relative for item in find_inputs([scraped], Selection(include=("*.jsp", "sub/*")))]
    assert names == ["a.jsp", "sub/x.txt"]
    names = [item.relative for item in find_inputs([scraped], Selection(exclude=("*.md", "sub/*", "?.*")))]
    assert names == ["LICENSE", "noextension"]
    out = tmp_path / "out"
    result = extract(scraped, "-o", out, "--include", "*.php", "--exclude", "c.*")
    assert result.exit_code == 7 and "no input file found" in result.output
    assert extract(scraped, "-o", out, "--include", "*.php").exit_code == 0 and sorted(records(out)) == ["c.php.json"]


def test_outputs_honour_the_umask(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_bytes(SEED)
    previous = os.umask(0o002)
    try:
        assert extract(tmp_path / "in", "-o", tmp_path / "out").exit_code == 0
    finally:
        os.umask(previous)
    for name in ("reports.csv", "findings.csv", "cross_year.csv", "a.txt.json", "run.json"):
        assert stat.S_IMODE(os.stat(tmp_path / "out" / name).st_mode) == 0o664, name


def test_hidden_folders_and_an_output_inside_the_input_are_not_read(tmp_path):
    inputs = tmp_path / "in"
    (inputs / ".git").mkdir(parents=True)
    (inputs / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    (inputs / ".git" / "notes.txt").write_bytes(SEED)
    (inputs / "a.txt").write_bytes(SEED)
    for _ in range(2):
        result = extract(inputs, "-o", inputs / "out")
        assert result.exit_code == 0, result.output
    assert sorted(records(inputs / "out")) == ["a.txt.json"]
