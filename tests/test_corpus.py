"""Every labelled report of ../shared (seeds and corpus) against its hand-checked label.

Prints cells correct / null / wrong / invented per report and in total. Fails on any wrong or
invented number, any wrong template or year, and when the seeds are not all correct.
"""
from __future__ import annotations

import json

from xxgk.compare import Score, score
from xxgk.pipeline import extract_file

from .conftest import shared_dir


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


def test_corpus_has_no_wrong_or_invented_number():
    total, lines = _run(shared_dir("corpus"))
    assert total.total > 1500
    assert total.wrong == 0 and total.invented == 0, "\n".join(lines)
    assert not total.problems, "\n".join(lines)


def test_at_least_99_percent_of_labelled_cells_are_correct():
    seeds, _ = _run(shared_dir("seeds"))
    corpus, _ = _run(shared_dir("corpus"))
    correct, total = seeds.correct + corpus.correct, seeds.total + corpus.total
    print(f"ALL: {correct}/{total} cells correct ({correct / total:.2%})")
    assert correct / total >= 0.99
