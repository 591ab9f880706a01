"""The data dictionary (`xxgk keys`): exactly the canonical keys of FORMAT.md §12, each with Chinese labels."""
from __future__ import annotations

import csv
import io
import json
import re

from click.testing import CliRunner

from xxgk.templates import dictionary
from xxgk.cli import main
from xxgk.report.model import Report
from xxgk.templates import canonical_keys

from .conftest import ROOT, shared_dir


def _format_keys() -> set[str]:
    """The cell keys FORMAT.md §12 lists, parsed from its text (the meta keys are not cells)."""
    text = (shared_dir(".") / "FORMAT.md").read_text(encoding="utf-8")
    section = text[text.index("## 12. Canonical output keys"):]
    keys: set[str] = set()
    for prefix in ("active_disclosure", "review_litigation"):
        for row, fields in re.findall(rf"({prefix}\.\w+)\.\{{([^}}]*)\}}", section):
            keys.update(f"{row}.{field.strip()}" for field in fields.split(","))
        keys.update(re.findall(rf"\b({prefix}\.\w+\.\w+)\b", section))
    requests = section[section.index("## requests"):section.index("## review_litigation")]
    columns_text = requests[requests.index("columns:"):requests.index("rows:")]
    columns = re.findall(r"([a-z_]+) [\u4e00-\u9fff]", columns_text)
    rows = re.findall(r"^- ([a-z_]+) ", requests[requests.index("rows:"):], flags=re.MULTILINE)
    assert len(columns) == 7 and len(rows) == 26
    keys.update(f"requests.{row}.{column}" for row in rows for column in columns)
    return keys


def test_the_dictionary_has_exactly_the_keys_of_format_section_12():
    keys = [entry.key for entry in dictionary.entries()]
    assert len(keys) == len(set(keys))
    assert set(keys) == _format_keys()
    assert keys == canonical_keys()


def test_every_entry_has_chinese_labels_a_template_and_a_meaning():
    chinese = re.compile(r"[\u4e00-\u9fff]")
    for entry in dictionary.entries():
        assert chinese.search(entry.row_label) and chinese.search(entry.column_label), entry
        assert chinese.search(entry.table_label) and entry.templates and entry.meaning, entry
    entry = dictionary.by_key()["requests.denied_internal_affairs.natural_person"]
    assert (entry.row_label, entry.column_label, entry.unit) == ("（三）5.属于三类内部事务信息", "自然人", "件")
    assert dictionary.by_key()["requests.other_unpaid_fee.total"].templates == ("2021",)
    assert dictionary.by_key()["requests.other_handling.total"].templates == ("2019",)
    assert dictionary.by_key()["active_disclosure.fees.amount_10k_yuan"].unit == "万元"
    assert dictionary.by_key()["review_litigation.suit_direct.pending"].row_label == "行政诉讼 未经复议直接起诉"


def test_xxgk_keys_prints_the_dictionary_as_a_table_csv_and_json():
    runner = CliRunner()
    table = runner.invoke(main, ["keys"])
    assert table.exit_code == 0 and "（三）5.属于三类内部事务信息" in table.output
    assert len(table.output.splitlines()) == len(canonical_keys()) + 1
    rows = list(csv.DictReader(io.StringIO(runner.invoke(main, ["keys", "--format", "csv"]).output)))
    assert [row["key"] for row in rows] == canonical_keys()
    data = json.loads(runner.invoke(main, ["keys", "--format", "json"]).output)
    assert data[0]["key"] == canonical_keys()[0] and data[0]["row_label"] == "规章"
    assert runner.invoke(main, ["keys", "--format", "xml"]).exit_code == 2


def test_docs_keys_md_is_the_generated_dictionary():
    committed = (ROOT / "docs" / "keys.md").read_text(encoding="utf-8")
    assert committed == dictionary.as_markdown(), "docs/keys.md is stale: run `xxgk keys --format markdown > docs/keys.md`"


def test_the_json_schema_describes_every_cell_with_its_chinese_labels():
    schema = Report.model_json_schema()
    definitions = schema["$defs"]
    assert "（三）5.属于三类内部事务信息" in definitions["Requests"]["properties"]["denied_internal_affairs"]["description"]
    assert "自然人" in definitions["RequestRow"]["properties"]["natural_person"]["description"]
    for name, model in definitions.items():
        if name in {"Requests", "RequestRow", "ReviewLitigation", "ReviewBlock"} or name.startswith(
                ("ActiveDisclosure", "Documents", "Decisions", "Fees", "Items", "Procurement")):
            for field, spec in model["properties"].items():
                assert re.search(r"[\u4e00-\u9fff]", spec.get("description", "")), (name, field)
