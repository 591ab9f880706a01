"""compare: the one way reports are compared (golden tests, xxgk check --expected, the corpus)."""
from __future__ import annotations

from xxgk.gate.compare import differences, score


def report(total, findings=()):
    return {"meta": {"year": 2023}, "requests": {"granted": {"total": total}}, "findings": list(findings)}


FINDING = {"code": "missing_row", "key": "requests.granted", "line": 4, "message": "row granted was not found"}


def test_a_moved_value_reads_as_key_old_new():
    assert [str(item) for item in differences(report(71), report(70))] == ["requests.granted.total: 71 -> 70"]


def test_findings_are_compared_as_a_set():
    changed = differences(report(1, [FINDING]), report(1))
    assert [str(item) for item in changed] == [
        'finding missing_row requests.granted line 4: "row granted was not found" -> null']
    assert differences(report(1, [FINDING, {**FINDING, "line": 5}]), report(1, [{**FINDING, "line": 5}, FINDING])) == []


def test_score_counts_correct_null_wrong_invented():
    label = {"values": {"requests.granted.total": 5, "requests.partially_granted.total": None,
                        "requests.new_received.total": 3, "requests.carried_over.total": 0},
             "undeterminable": ["requests.total_processed.total"]}
    data = {"requests": {"granted": {"total": 5}, "partially_granted": {"total": 2}, "new_received": {"total": None},
                         "carried_over": {"total": 1}, "total_processed": {"total": 9}}}
    result = score(data, label)
    # a number where the label has none, or where it is undeterminable, is invented
    assert (result.correct, result.null, result.wrong, result.invented) == (1, 1, 1, 2)


def test_values_only_ignores_paths_hashes_and_text_and_matches_findings_by_code_and_key():
    before = {**report(1, [FINDING]), "source": {"path": "seeds/a.txt", "sha256": "1"},
              "sections": [{"key": "overview", "line": 3, "text": "x"}]}
    after = {**report(1, [{**FINDING, "line": 9, "message": "moved"}]), "source": {"path": "a.txt", "sha256": "2"},
             "sections": [{"key": "overview", "line": 3, "text": "y"}]}
    assert differences(before, after, strict=False) == []
    assert len(differences(before, after)) == 5  # path, hash, text, and the finding gone and new


def test_changed_values_carry_the_line_of_their_row_or_section():
    after = {**report(2), "sections": [{"key": "requests", "line": 40}]}
    assert differences(report(1), after, lines={"requests.granted": 51})[0].line == 51
    assert differences(report(1), after)[0].line == 40


def test_long_text_is_shown_around_its_first_difference():
    text = "甲" * 100 + "2023年" + "乙" * 100
    shown = str(differences({"preamble": text}, {"preamble": text.replace("2023", "2024")})[0])
    assert "2023年" in shown and "2024年" in shown and len(shown) < 160
