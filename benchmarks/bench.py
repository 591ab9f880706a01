"""Speed and memory of `xxgk extract`, printed as figures (not a test).

    python benchmarks/bench.py                 # 2,000 reports
    python benchmarks/bench.py -n 20000 --only-rss   # peak RSS for a big batch
    python benchmarks/bench.py --only-documents      # PDF and Word reports/s alone
    python benchmarks/bench.py --only-jsonl          # --jobs 1: a JSON file per report against --jsonl
    python benchmarks/bench.py --only-instructions   # instructions a report (valgrind): load-independent

Builds a batch of N reports from fixtures/ and ../shared/corpus (each copy made unique so the
cache cannot skip it), then runs the installed extractor as a separate process and prints:
reports/s with --jobs 1 and --jobs 2 (a JSON file per report) and with --jobs 1 --jsonl (one
reports.jsonl), MB/s, peak RSS, the no-change re-run time, the speed on
traditional-character text, the ratio to a bare baseline that only reads and decodes, and PDF and
Word (.docx) reports/s on their own batches (copies of fixtures/generated and corpus2/pdf).
Targets (2-core machine): >= 400 reports/s --jobs 1 simplified, >= 1,000 reports/s --jobs 1 --jsonl, >= 100 reports/s traditional,
--jobs 2 >= 1.7x --jobs 1, no-change re-run of 2,000 < 2 s, peak RSS < 200 MB for 20,000.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [*sorted((ROOT / "fixtures" / "reports").rglob("*.txt")),
           *sorted((ROOT.parent / "shared" / "corpus").glob("*.txt")),
           *sorted((ROOT.parent / "shared" / "corpus").glob("*.html"))]


def build(folder: Path, count: int, traditional: bool) -> int:
    """N unique report files; returns their total size in bytes."""
    from opencc import OpenCC

    from xxgk.sources.normalize import is_traditional

    texts = []
    for path in SOURCES:
        text = path.read_text(encoding="utf-8")
        if traditional and not is_traditional(text):
            text = OpenCC("s2t").convert(text)
        if not traditional and is_traditional(text):
            continue
        texts.append((path.suffix, text))
    total = 0
    for number in range(count):
        suffix, text = texts[number % len(texts)]
        unique = f"\n<!-- copy {number} -->\n" if suffix == ".html" else f"\n附:副本编号 {number}\n"
        path = folder / f"{number // 1000:03}" / f"r{number:06}{suffix}"
        path.parent.mkdir(parents=True, exist_ok=True)
        data = (text + unique).encode("utf-8")
        path.write_bytes(data)
        total += len(data)
    return total


DOCUMENTS = {".pdf": [*sorted((ROOT / "fixtures" / "generated").glob("*_*.pdf")),
                      *sorted((ROOT.parent / "shared" / "corpus2" / "pdf").glob("*.pdf"))],
             ".docx": sorted((ROOT / "fixtures" / "generated").glob("*.docx"))}


def build_documents(folder: Path, count: int, suffix: str) -> int:
    """N unique PDF or Word files: a comment after a PDF's end, an extra part in a Word zip."""
    import zipfile

    sources = DOCUMENTS[suffix]
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        path = folder / f"d{number:05}{suffix}"
        shutil.copy(sources[number % len(sources)], path)
        if suffix == ".pdf":
            with open(path, "ab") as stream:
                stream.write(f"%copy {number}\n".encode())
        else:
            with zipfile.ZipFile(path, "a") as archive:
                archive.writestr("customXml/copy.txt", str(number))
    return len(sources)


def documents(work: Path, count: int, repeat: int) -> None:
    for suffix, name in ((".pdf", "PDF"), (".docx", "Word (.docx)")):
        folder = work / suffix[1:]
        sources = build_documents(folder, count, suffix)
        seconds, rss = best(repeat, lambda run: extract(folder, work / f"out-{suffix[1:]}-{run}", 1))
        print(f"{name}, --jobs 1: {count / seconds:7.1f} reports/s ({count} copies of {sources} files)  "
              f"peak RSS {rss:5.0f} MB")


CPU_SECONDS: list[float] = []  # user + system time of each `extract` process, in order


def extract(inputs: Path, out: Path, jobs: int, *extra: str) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of one `xxgk extract` process, started with no dirty pages pending
    from building the batch or an earlier run, so each run pays only for its own writes (its CPU
    time goes to CPU_SECONDS: on a shared machine a steadier figure of one core's work than the clock)."""
    os.sync()
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "xxgk", "extract", str(inputs), "-o", str(out),
                                "--jobs", str(jobs), "-q", *extra])
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    CPU_SECONDS.append(usage.ru_utime + usage.ru_stime)
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"xxgk extract failed with status {status}")
    return seconds, usage.ru_maxrss / 1024


def best(repeat: int, run) -> tuple[float, float]:
    """The fastest of `repeat` runs (seconds, and that run's peak RSS)."""
    return min(run(number) for number in range(max(1, repeat)))


def baseline(inputs: Path) -> float:
    """Seconds to read and decode the same files and nothing else."""
    from xxgk.sources.decode import decode

    started = time.perf_counter()
    for path in sorted(inputs.rglob("*.*")):
        decode(path.name, path.read_bytes())
    return time.perf_counter() - started


def instructions(work: Path, count: int) -> None:
    """Million user-space instructions a report, from valgrind's callgrind: the difference between runs of
    3 x `count` and `count` reports of the batch (so the process start cancels out), --jobs 1, each output
    mode. Unlike the clock and CPU time, the machine's other load does not change them (the kernel's work
    of writing files is not counted). Under valgrind a run takes about 30 s plus 1 s a report."""
    if shutil.which("valgrind") is None:
        print("valgrind is not installed: no instruction counts")
        return
    folders = {size: work / f"instructions-{size}" for size in (count, 3 * count)}
    for size, folder in folders.items():
        build(folder, size, traditional=False)
    for mode, extra in (("a JSON file per report", ()), ("--jsonl", ("--jsonl",))):
        small, large = (_instructions(folder, work / f"out-instructions-{size}{extra[:1]}", extra)
                        for size, folder in folders.items())
        print(f"--jobs 1, {mode}: {(large - small) / (2 * count) / 1e6:.1f} million instructions a report "
              f"({small / 1e6:.0f} million for {count} reports, start included)")


def _instructions(inputs: Path, out: Path, extra: tuple[str, ...]) -> int:
    """User-space instructions of one `xxgk extract` process under callgrind."""
    result = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}.callgrind",
                             sys.executable, "-m", "xxgk", "extract", str(inputs), "-o", str(out), "--jobs", "1",
                             "-q", *extra], capture_output=True, text=True)
    found = re.search(r"Collected\s*:\s*(\d+)", result.stderr)
    if found is None:
        raise SystemExit(f"valgrind gave no instruction count: {result.stderr[-500:]}")
    return int(found[1])


def modes(inputs: Path, work: Path, count: int, size: int, repeat: int) -> None:
    """--jobs 1 with a JSON file per report and with --jsonl, alternated, the fastest of each."""
    runs: dict[str, list] = {"files": [], "jsonl": []}
    cpu: dict[str, list] = {"files": [], "jsonl": []}
    for run in range(max(1, repeat)):
        for mode, extra in (("files", ()), ("jsonl", ("--jsonl",))):
            runs[mode].append(extract(inputs, work / f"modes-{mode}-{run}", 1, *extra))
            cpu[mode].append(CPU_SECONDS[-1])
    (files, _), (lines, rss) = min(runs["files"]), min(runs["jsonl"])
    files_cpu, lines_cpu = min(cpu["files"]), min(cpu["jsonl"])
    print(f"--jobs 1, a JSON file per report: {count / files:7.0f} reports/s  {size / 1e6 / files:6.1f} MB/s  "
          f"({count / files_cpu:.0f} reports per CPU second)")
    print(f"--jobs 1 --jsonl:                 {count / lines:7.0f} reports/s  {size / 1e6 / lines:6.1f} MB/s  "
          f"({count / lines_cpu:.0f} reports per CPU second)  peak RSS {rss:5.0f} MB   {files / lines:.2f}x as fast")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", "--reports", type=int, help="reports in the batch (2,000; 42 with --only-instructions)")
    parser.add_argument("--only-rss", action="store_true", help="only the peak-RSS run (--jobs 1: one process)")
    parser.add_argument("--documents", type=int, default=40, help="PDF and Word copies for their own figures")
    parser.add_argument("--only-documents", action="store_true", help="only the PDF and Word figures")
    parser.add_argument("--only-jsonl", action="store_true", help="only --jobs 1 with a file per report and --jsonl")
    parser.add_argument("--only-instructions", action="store_true",
                        help="only the instructions a report under valgrind (runs of -n and 3 x -n reports; "
                             "-n 42 is the default here: two copies of each source)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure; the fastest counts (shared machines "
                                                               "vary by 30%% between runs)")
    arguments = parser.parse_args()
    if arguments.reports is None:
        arguments.reports = 42 if arguments.only_instructions else 2000
    work = Path(tempfile.mkdtemp(prefix="xxgk-bench-"))
    try:
        if arguments.only_instructions:
            instructions(work, arguments.reports)
            return
        if arguments.only_documents:
            documents(work, arguments.documents, arguments.repeat)
            return
        simplified = work / "simplified"
        size = build(simplified, arguments.reports, traditional=False)
        print(f"batch: {arguments.reports} simplified reports, {size / 1e6:.1f} MB, from {len(SOURCES)} sources")
        if arguments.only_jsonl:
            modes(simplified, work, arguments.reports, size, arguments.repeat)
            return
        if arguments.only_rss:
            seconds, rss = extract(simplified, work / "out-rss", 1)
            print(f"--jobs 1: {arguments.reports / seconds:7.0f} reports/s   peak RSS {rss:6.0f} MB")
            return
        runs = {1: [], 2: [], "jsonl": []}
        for run in range(max(1, arguments.repeat)):  # alternated: the machine's speed drifts over minutes
            for jobs in (1, 2):
                runs[jobs].append(extract(simplified, work / f"out{jobs}-{run}", jobs))
            runs["jsonl"].append(extract(simplified, work / f"out-jsonl-{run}", 1, "--jsonl"))
        (one, rss_one), (two, rss_two), (lines, rss_lines) = min(runs[1]), min(runs[2]), min(runs["jsonl"])
        print(f"--jobs 1: {arguments.reports / one:7.0f} reports/s  {size / 1e6 / one:6.1f} MB/s  "
              f"peak RSS {rss_one:5.0f} MB")
        print(f"--jobs 2: {arguments.reports / two:7.0f} reports/s  {size / 1e6 / two:6.1f} MB/s  "
              f"peak RSS {rss_two:5.0f} MB (main process)   speed-up {one / two:.2f}x")
        print(f"--jobs 1 --jsonl: {arguments.reports / lines:7.0f} reports/s  {size / 1e6 / lines:6.1f} MB/s  "
              f"peak RSS {rss_lines:5.0f} MB   {one / lines:.2f}x the speed of a JSON file per report")
        again, _ = best(arguments.repeat, lambda run: extract(simplified, work / "out2-0", 2))
        print(f"no-change re-run of {arguments.reports}: {again:.2f} s")
        bare = baseline(simplified)
        print(f"read+decode baseline: {bare:.2f} s; extractor --jobs 1 takes {one / bare:.0f}x the baseline")
        traditional = work / "traditional"
        count = max(200, arguments.reports // 4)
        build(traditional, count, traditional=True)
        seconds, _ = best(arguments.repeat, lambda run: extract(traditional, work / f"out-traditional-{run}", 1))
        print(f"traditional text, --jobs 1: {count / seconds:7.0f} reports/s ({count} reports)")
        documents(work, arguments.documents, arguments.repeat)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
