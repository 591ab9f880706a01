"""Every labelled report of ../shared (seeds, corpus, corpus2 and its excerpts) against its label.

Prints cells correct / null / wrong / invented per report and in total. Fails on any wrong or
invented number, any wrong template, year or agency, and when the seeds are not all correct. A value
written for a key the label lists as undeterminable counts as invented unless the label's `truth`
agrees with it.
"""
from __future__ import annotations

import json
import re

import pytest

from xxgk.gate.compare import CANONICAL_KEYS, Score, flatten, score
from xxgk.pipeline import extract_file

from .conftest import shared_dir

# Share of labelled cells correct over seeds + corpus + corpus2: issue 10's target, met (99.3% when set).
ALL_FOLDERS_TARGET = 0.99


def _labelled(folder):
    for label_path in sorted((folder / "labels").glob("*.json")):
        label = json.loads(label_path.read_text(encoding="utf-8"))
        yield folder / label["file"], label


def _run(folder) -> tuple[Score, list[str]]:
    total = Score()
    lines = []
    for path, label in _labelled(folder):
        report = extract_file(path, path.name).model_dump(mode="json")
        result = score(report, label)
        total.add(result)
        lines.append(f"{path.name:28} {report['meta']['template']:8} {report['meta']['year']} "
                     f"correct {result.correct:3}  null {result.null:3}  wrong {result.wrong}  "
                     f"invented {result.invented}")
        lines.extend(f"    {problem}" for problem in result.problems)
    accuracy = total.correct / total.total if total.total else 1.0
    lines.append(f"TOTAL {folder.name}: {total.correct}/{total.total} cells correct ({accuracy:.1%}), "
                 f"null {total.null}, wrong {total.wrong}, invented {total.invented}")
    print("\n".join(lines))
    return total, lines


def test_seeds_are_all_correct():
    total, lines = _run(shared_dir("seeds"))
    assert total.total > 900
    assert total.correct == total.total, "\n".join(lines)
    assert not total.problems, "\n".join(lines)


@pytest.mark.parametrize("name, size", [("corpus", 1500), ("corpus2", 3900)])
def test_no_wrong_or_invented_number_and_every_template_and_year_right(name, size):
    total, lines = _run(shared_dir(name))
    assert total.total > size
    assert total.wrong == 0 and total.invented == 0, "\n".join(lines)
    assert not total.problems, "\n".join(lines)


def test_at_least_99_percent_of_seed_and_corpus_cells_are_correct():
    seeds, _ = _run(shared_dir("seeds"))
    corpus, _ = _run(shared_dir("corpus"))
    correct, total = seeds.correct + corpus.correct, seeds.total + corpus.total
    print(f"seeds + corpus: {correct}/{total} cells correct ({correct / total:.2%})")
    assert correct / total >= 0.99


def test_at_least_99_percent_of_cells_over_all_labelled_folders_are_correct():
    scores = [_run(shared_dir(name))[0] for name in ("seeds", "corpus", "corpus2")]
    correct, total = sum(item.correct for item in scores), sum(item.total for item in scores)
    print(f"seeds + corpus + corpus2: {correct}/{total} cells correct ({correct / total:.2%})")
    assert correct / total >= ALL_FOLDERS_TARGET


# --- excerpts: real truncated pages, labelled with title, year, agency and the cells printed completely
def _squeezed(text: str | None) -> str | None:
    return None if text is None else re.sub(r"\s+", "", text)


def _excerpt_problems(path, label) -> tuple[list[str], int, int]:
    report = extract_file(path, path.name).model_dump(mode="json")
    flat = flatten(report)
    printed = label["printed_values"]
    borderline = label.get("borderline_values", {})
    problems, correct = [], 0
    for key in CANONICAL_KEYS:
        actual = flat.get(key)
        if key in printed:
            correct += actual == printed[key]
            if actual is not None and actual != printed[key]:
                problems.append(f"wrong {key}: {actual} (label: {printed[key]})")
        elif actual is not None and not key.endswith("amount_unit") and borderline.get(key, object()) != actual:
            problems.append(f"invented {key}: {actual} (not printed completely)")
    if label["year"] is not None:
        if flat["meta.year"] != label["year"]:
            problems.append(f"year {flat['meta.year']} (label: {label['year']})")
        if _squeezed(flat["meta.agency"]) != _squeezed(label["agency"]):
            problems.append(f"agency {flat['meta.agency']} (label: {label['agency']})")
        titles = {_squeezed(label["title"]), _squeezed(label.get("title_normalized"))}
        if _squeezed(flat["meta.title"]) not in titles:
            problems.append(f"title {flat['meta.title']} (label: {label['title']})")
        if not report["parsed"]:
            problems.append("a page that starts like a report was thrown away: " + report["findings"][0]["code"])
    elif flat["meta.year"] not in (None, label.get("year_hint")):
        problems.append(f"year {flat['meta.year']} (label: none, hint {label.get('year_hint')})")
    return problems, correct, len(printed)


def test_truncated_excerpts_keep_their_metadata_and_only_complete_cells():
    folder = shared_dir("corpus2/excerpts")
    lines, correct, total = [], 0, 0
    for path, label in _labelled(folder):
        problems, right, size = _excerpt_problems(path, label)
        correct, total = correct + right, total + size
        lines.extend(f"{path.name}: {problem}" for problem in problems)
    print("\n".join(lines) + f"\nTOTAL excerpts: {correct}/{total} printed cells correct")
    assert not lines, "\n".join(lines)
    assert total > 80 and correct >= 0.95 * total
