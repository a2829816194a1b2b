import pytest

from generator.importer.command import extract
from generator.importer.readers import read_document
from generator.models import Form


def test_form_from_a_word_table(fixtures):
    data, _ = extract(read_document(fixtures / "district-kx-2023.docx"), "t")
    (form,) = data["forms"]
    Form.model_validate(form)
    assert form["title"] == "2023年度东岭区优秀科技工作者推荐表"
    assert form["attachment"] == "附件1"
    table = next(b for b in form["blocks"] if b["type"] == "table")
    rows = [r["cells"] for r in table["rows"]]
    assert rows[0][3]["parts"][0]["options"] == ["男", "女"]
    assert rows[1][0] == {"text": "工作单位及职务", "rowspan": 2}
    assert rows[3][1]["input"]["word_limit"] == 800
    assert rows[4][1]["sign"]["lines"] == ["负责人签字：          （单位盖章）", "年   月   日"]
    assert data["attachments"][0]["form"] == form["id"]


def test_form_from_a_pasted_table(root):
    doc = read_document(root / "data" / "sources" / "jining-2023-reform-brand.txt")
    data, _ = extract(doc, "t")
    (form,) = data["forms"]
    rows = [r["cells"] for r in next(b for b in form["blocks"] if b["type"] == "table")["rows"]]
    assert rows[0][2] == {"text": "项目类别"}
    assert rows[0][3]["parts"][0]["options"] == ["A类", "B类"]
    assert [r[1]["input"]["word_limit"] for r in rows if "input" in r[1] and "word_limit" in r[1]["input"]] == [
        200, 500, 200]
    assert rows[-1][1]["sign"]["lines"][0] == "单位公章"


def test_cover_and_instructions(root):
    data, _ = extract(read_document(root / "data" / "sources" / "jiangsu-2021-county-kx.txt"), "t")
    form = next(f for f in data["forms"] if "项目申报书" in f["title"])
    assert any(p for b in form["cover"] if b["type"] == "paragraph" for p in b["parts"]
               if isinstance(p, dict) and "blank" in p)
    assert form["instructions"][0] == {"type": "heading", "text": "填报说明", "level": 2, "align": "center"}
    assert form["word_limits"][0]["limit"] == 2000


@pytest.mark.parametrize("name", ["jining-2023-reform-brand", "shandong-2022-reform-brand",
                                  "changde-2022-society-capacity"])
def test_seed_forms_validate(root, name):
    data, _ = extract(read_document(root / "data" / "sources" / f"{name}.txt"), "t")
    assert data["forms"]
    for form in data["forms"]:
        Form.model_validate(form)
