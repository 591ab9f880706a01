"""Issue 11, fuzz: a bounded, seeded mutation loop over the labelled reports and the fixtures,
through the in-process extraction. Every input must give a record, never an internal_error, and
finish under a per-input guard (a hang guard far above the real cost, not a timing assertion).

Small in CI; `XXGK_FUZZ=2000 pytest tests/test_fuzz.py` runs a longer loop, `XXGK_FUZZ_SEED`
another sequence (a failure names the seed and the input number to replay it).
"""
from __future__ import annotations

import os
import random
import re
import signal
from collections.abc import Callable

import pytest

from xxgk.pipeline import extract_data

from .conftest import FIXTURES, SHARED

INPUTS = int(os.environ.get("XXGK_FUZZ", 40))
SEED = int(os.environ.get("XXGK_FUZZ_SEED", 20261201))
GUARD_SECONDS = 60


def _originals() -> list[tuple[str, bytes]]:
    paths = sorted(FIXTURES.glob("reports/**/*.txt"))
    for folder in ("corpus", "corpus2", "seeds"):
        paths += sorted(path for path in (SHARED / folder).glob("*") if path.suffix in (".txt", ".html", ".htm"))
    return [(path.name, path.read_bytes()) for path in paths]


# Hostile runs of issue 11 and their relatives: (text, how often it is repeated at most)
_RUNS = (" ", "\t", "|", "1", "0", "9", "1. ", "1、", "一、", "(", "?", "\r", "年", "-", ".", "0.",
         "<td rowspan=99999 colspan=99999>标签</td>", "<tr>", "<table>", "<div>")


_CELL = re.compile(r"(?<=[\t|\n ])\d{1,4}(?=[\t|\n ])")


def _run(rng: random.Random) -> bytes:
    text = rng.choice(_RUNS)
    return (text * rng.choice((10, 300, 5000, 60000))).encode()


def _mutations() -> list[Callable[[random.Random, bytearray], None]]:
    def flip(rng, data):
        if data:
            data[rng.randrange(len(data))] = rng.randrange(256)

    def cut(rng, data):
        start = rng.randrange(len(data) + 1)
        del data[start:start + rng.randint(1, 2000)]

    def duplicate(rng, data):
        start = rng.randrange(len(data) + 1)
        data[start:start] = data[start:start + rng.randint(1, 3000)]

    def insert_bytes(rng, data):
        position = rng.randrange(len(data) + 1)
        data[position:position] = rng.randbytes(rng.randint(1, 64))

    def insert_run(rng, data):
        position = rng.randrange(len(data) + 1)
        data[position:position] = _run(rng)

    def long_number(rng, data):  # a printed cell replaced by a number no cell can hold
        text = data.decode("utf-8", errors="ignore")
        cells = list(_CELL.finditer(text))
        if cells:
            cell = rng.choice(cells[len(cells) // 3:])  # past the prose, in the tables
            number = str(rng.randint(1, 9)) * rng.choice((16, 20, 30, 400, 5000, 5000))
            data[:] = (text[:cell.start()] + number + text[cell.end():]).encode()

    return [flip, cut, duplicate, insert_bytes, insert_run, insert_run, long_number]


def _reencode(rng: random.Random, data: bytes) -> bytes:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return data
    encoding = rng.choice(("utf-16-le", "utf-16-be", "utf-16", "gb18030", "big5"))
    return text.encode(encoding, errors="replace")


class Hang(Exception):
    pass


def _guarded(call: Callable[[], object]) -> object:
    if not hasattr(signal, "SIGALRM"):
        return call()

    def ring(signum, frame):
        raise Hang(f"no answer within {GUARD_SECONDS} s")

    previous = signal.signal(signal.SIGALRM, ring)
    signal.alarm(GUARD_SECONDS)
    try:
        return call()
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_mutated_reports_always_give_a_record():
    originals = _originals()
    if len(originals) < 5:
        pytest.skip("no labelled reports beside the project")
    rng = random.Random(SEED)
    mutations = _mutations()
    for number in range(INPUTS):
        name, original = rng.choice(originals)
        data = bytearray(_reencode(rng, original) if rng.random() < 0.15 else original)
        mutations[number % len(mutations)](rng, data)  # each kind early: a small run covers them all
        for _ in range(rng.randint(0, 5)):
            rng.choice(mutations)(rng, data)
        where = f"input {number} of seed {SEED} (from {name})"
        report = _guarded(lambda: extract_data(bytes(data), name))
        assert report.source.path == name, where
        codes = [finding.code for finding in report.findings]
        assert "internal_error" not in codes, f"{where}: {report.findings[0].message}"
        if not report.parsed:
            assert report.findings and report.findings[0].severity.value == "error", where
