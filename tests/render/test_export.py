"""Open data: calls.csv (one row per category, Excel-safe) next to calls.json."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest

from generator import urls
from generator.load import load_file
from generator.models import Call, Category, Deadline
from generator.render import export

from ..conftest import ROOT, TESTS


@pytest.fixture(scope="module")
def sample() -> Call:
    return load_file(TESTS / "data" / "good" / "sample-call.yaml", ROOT)


def _parse(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM, so Excel detects the encoding"
    text = data.decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    assert reader.fieldnames == export.CSV_COLUMNS
    return list(reader)


def test_one_row_per_category_with_call_fields_repeated(calls: list[Call]):
    rows = _parse(export.calls_csv(calls))
    expected = sum(max(1, len(c.all_categories())) for c in calls)
    assert len(rows) == expected
    for call in calls:
        mine = [r for r in rows if r["call_id"] == call.id]
        cats = call.all_categories()
        assert [r["category_id"] for r in mine] == ([c.id for c in cats] or [""])
        for r in mine:
            assert r["call_title"] == export.csv_safe(call.title)
            assert r["issuer"] == call.issuer.name
            assert r["last_modified"] == call.last_modified.isoformat()
            assert r["url"] == urls.call_page(call)


def test_sample_row_values(sample: Call):
    (row,) = _parse(export.calls_csv([sample]))
    assert row["category_name"] == "学术交流"
    assert (row["count_min"], row["count_max"]) == ("8", "10")
    assert (row["funding_min"], row["funding_max"], row["funding_unit"]) == ("1", "2", "万元")
    assert row["deadline"] == "2099-03-31"
    assert row["doc_no"] == "示科协字〔2099〕1号"
    assert row["region"] == "示例市"
    assert row["call_applicants"] == "市级学会；高校科协"


def test_unstated_values_are_empty_not_invented(sample: Call):
    bare = Category(id="other", name="其他")
    call = sample.model_copy(update={"categories": [bare], "issued": None, "doc_no": None})
    (row,) = _parse(export.calls_csv([call]))
    for col in ("issued", "doc_no", "count_min", "funding_max", "funding_text", "category_code"):
        assert row[col] == "", col


def test_deadlines_follow_the_category_and_its_parent(sample: Call):
    child = Category(id="child", name="子项")
    parent = Category(id="parent", name="父项", children=[child])
    other = Category(id="other", name="其他")
    deadlines = [
        Deadline(label="父项截止", date=dt.date(2099, 3, 20), categories=["parent"]),
        Deadline(label="其他截止", date=dt.date(2099, 3, 25), categories=["other"]),
        Deadline(label="材料", date=None),
    ]
    call = sample.model_copy(update={"categories": [parent, other], "deadlines": deadlines})
    rows = {r["category_id"]: r for r in _parse(export.calls_csv([call]))}
    assert rows["child"]["parent_id"] == "parent"
    assert rows["child"]["deadline"] == "2099-03-20"
    assert rows["child"]["deadlines"] == "父项截止：2099年3月20日；材料：原文未载明"
    assert rows["child"]["deadline_year"] == "stated"
    assert rows["other"]["deadline"] == "2099-03-25"


def test_call_without_categories_gets_one_row(sample: Call):
    call = sample.model_copy(update={"categories": []})
    (row,) = _parse(export.calls_csv([call]))
    assert row["call_id"] == "sample-call"
    assert row["category_id"] == ""
    assert row["deadline"] == "2099-03-31"


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_formula_injection_is_neutralised(sample: Call, start: str):
    evil = f"{start}HYPERLINK(\"http://x.invalid\",\"点我\")"
    cat = Category(id="evil", name=evil)
    call = sample.model_copy(update={"categories": [cat], "short_title": evil})
    (row,) = _parse(export.calls_csv([call]))
    assert row["category_name"] == "'" + evil
    assert row["short_title"] == "'" + evil
    assert all(not v.startswith(("=", "+", "-", "@", "\t", "\r")) for v in row.values())


def test_csv_safe_neutralises_tab_and_carriage_return():
    # the model strips surrounding whitespace, so these only reach csv_safe directly
    assert export.csv_safe("\t=1+1") == "'\t=1+1"
    assert export.csv_safe("\r=1+1") == "'\r=1+1"


def test_csv_safe_keeps_ordinary_values():
    assert export.csv_safe(None) == ""
    assert export.csv_safe(2.0) == "2"
    assert export.csv_safe(0.5) == "0.5"
    assert export.csv_safe("学会“四服务”") == "学会“四服务”"


def test_open_data_in_the_built_site(built_site: Path, calls: list[Call]):
    rows = _parse((built_site / urls.calls_csv()).read_bytes())
    manifest = json.loads((built_site / urls.calls_json()).read_text(encoding="utf-8"))
    assert [m["id"] for m in manifest] == [c.id for c in calls]
    assert {r["call_id"] for r in rows} == {c.id for c in calls}
    schema = json.loads((built_site / urls.call_schema()).read_text(encoding="utf-8"))
    assert schema["title"].startswith("科协项目申报通知")


def test_open_data_page_documents_every_column_and_key(sample: Call, tmp_path: Path):
    page = (ROOT / "docs" / "open-data.md").read_text(encoding="utf-8")
    for col in export.CSV_COLUMNS:
        assert f"`{col}`" in page, col
    (tmp_path / "downloads").mkdir()
    entry = export.manifest_entry(sample, lambda path, kind: False)
    for key in entry:
        assert f"`{key}`" in page, key
