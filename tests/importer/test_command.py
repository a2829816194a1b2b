import datetime as dt
import shutil
import time
from pathlib import Path

import pytest
import yaml

from generator.cli import main
from generator.fidelity import unquoted
from generator.importer.command import ImportError_, import_notice
from generator.load import load_file
from generator.models import Call

TODAY = dt.date(2026, 12, 1)
ROOT = Path(__file__).resolve().parents[2]
#: The seed notices (those with a hand-encoded call) and the unseen fixtures (with expected facts).
SEEDS = sorted(p.name for p in (ROOT / "data" / "sources").glob("*.txt")
               if (ROOT / "data" / "calls" / f"{p.stem}.yaml").is_file())
FIXTURES = sorted(p.name.removesuffix(".expected.yaml")
                  for p in (ROOT / "tests" / "importer" / "fixtures").glob("*.expected.yaml"))


def _inputs(fixtures, name):
    if name in SEEDS:
        return [ROOT / "data" / "sources" / name]
    expected = yaml.safe_load((fixtures / f"{name}.expected.yaml").read_text(encoding="utf-8"))
    return [fixtures / f for f in expected["files"]]


@pytest.mark.parametrize("name", [*SEEDS, *FIXTURES, "district-kx-2023.docx"])
def test_every_draft_passes_check_and_quotes_only_the_source(tmp_path, fixtures, name):
    files = [fixtures / name] if name.endswith(".docx") else _inputs(fixtures, name)
    result = import_notice(tmp_path, files, "new-call", today=TODAY)
    call = Call.model_validate(yaml.safe_load(result.call_path.read_text(encoding="utf-8")))
    assert unquoted(call, result.source_path.read_text(encoding="utf-8")) == []
    assert call.last_modified == TODAY
    assert call.source.seed == files[0].name
    # no rule tolerated: what the importer did not find is written as the model's unknown
    load_file(result.call_path, tmp_path)


def test_what_is_not_found_is_written_as_unstated_and_reported(tmp_path, fixtures):
    result = import_notice(tmp_path, [fixtures / "district-kx-2023.docx"], "dongling", today=TODAY)
    text = result.call_path.read_text(encoding="utf-8")
    assert yaml.safe_load(text)["unstated"] == ["categories"]
    assert "# 待核对 原文未载明：未找到项目类别" in text
    assert any(ln.startswith("? 待核对") and "unstated" in ln for ln in result.report.splitlines())


def test_a_university_kx_is_level_gaoxiao(tmp_path, fixtures):
    result = import_notice(tmp_path, [fixtures / "university-kx-2025-trad.txt"], "cg", today=TODAY)
    issuer = yaml.safe_load(result.call_path.read_text(encoding="utf-8"))["issuer"]
    assert issuer == {"name": "晨光大學科學技術協會", "level": "高校"}


def test_source_text_is_the_text_as_extracted(tmp_path, root):
    source = root / "data" / "sources" / "shandong-2022-reform-brand.txt"
    result = import_notice(tmp_path, [source], "x", today=TODAY)
    written = result.source_path.read_text(encoding="utf-8").split("\n")
    original = [ln.rstrip(" \u3000") for ln in source.read_text(encoding="utf-8").split("\n")]
    assert [ln for ln in written if ln.strip()] == [ln for ln in original if ln.strip()]


def test_draft_comments_say_where_each_value_came_from(tmp_path, fixtures):
    result = import_notice(tmp_path, [fixtures / "county-kx-2024.html"], "qinghe", today=TODAY)
    text = result.call_path.read_text(encoding="utf-8")
    assert "# 来源 文号：第 3 行" in text
    assert "# 待核对 摘要" in text
    assert "# 待核对 简称" in text
    data = yaml.safe_load(text)
    assert data["doc_no"] == "青科协发〔2024〕3号"
    # a traditional notice is quoted as written, never converted
    trad = import_notice(tmp_path, [fixtures / "university-kx-2025-trad.txt"], "chenguang", today=TODAY)
    assert yaml.safe_load(trad.call_path.read_text(encoding="utf-8"))["issuer"]["name"] == "晨光大學科學技術協會"


def test_report_lists_found_ambiguous_and_missing(tmp_path, fixtures):
    result = import_notice(tmp_path, [fixtures / "district-kx-2023.docx"], "dongling", today=TODAY)
    lines = result.report.splitlines()
    assert any(ln.startswith("✓ 找到") and "文号（doc_no）" in ln and "第 2 行" in ln for ln in lines)
    assert any(ln.startswith("✗ 未找到") and "项目类别" in ln for ln in lines)
    assert any(ln.startswith("? 待核对") and "申报表" in ln for ln in lines)
    assert lines[-1].startswith("找到 ")


def test_refuses_to_overwrite_without_force(tmp_path, fixtures):
    notice = fixtures / "county-kx-2024.html"
    import_notice(tmp_path, [notice], "qinghe", today=TODAY)
    before = (tmp_path / "data" / "calls" / "qinghe.yaml").read_text(encoding="utf-8")
    with pytest.raises(ImportError_, match=r"已存在.*--force"):
        import_notice(tmp_path, [notice], "qinghe", today=TODAY)
    (tmp_path / "data" / "calls" / "qinghe.yaml").unlink()
    with pytest.raises(ImportError_, match=r"qinghe\.txt 已存在"):
        import_notice(tmp_path, [notice], "qinghe", today=TODAY)
    import_notice(tmp_path, [notice], "qinghe", force=True, today=TODAY)
    assert (tmp_path / "data" / "calls" / "qinghe.yaml").read_text(encoding="utf-8") == before


def test_bad_id_and_unreadable_file(tmp_path, fixtures):
    with pytest.raises(ImportError_, match="格式不符"):
        import_notice(tmp_path, [fixtures / "county-kx-2024.html"], "Bad_ID")
    with pytest.raises(ImportError_, match="不支持的文件类型"):
        import_notice(tmp_path, [fixtures / "county-kx-2024.expected.yaml"], "x")
    assert not (tmp_path / "data").exists()


def test_attachment_files_are_appended(tmp_path, root):
    source = (root / "data" / "sources" / "jining-2023-reform-brand.txt").read_text(encoding="utf-8")
    notice, rest = source.split("附件1\n", 1)
    (tmp_path / "notice.txt").write_text(notice, encoding="utf-8")
    (tmp_path / "att.txt").write_text("附件1\n" + rest, encoding="utf-8")
    result = import_notice(tmp_path, [tmp_path / "notice.txt", tmp_path / "att.txt"], "jn", today=TODAY)
    data = yaml.safe_load(result.call_path.read_text(encoding="utf-8"))
    # 项目分为A类竞争性项目和B类自主创新性项目: each list attachment's items under its class
    assert [c["name"] for c in data["categories"]] == ["A类竞争性项目", "B类自主创新性项目"]
    assert sum(len(c["children"]) for c in data["categories"]) == 19
    assert data["forms"][0]["attachment"] == "附件3"


def test_deterministic(tmp_path, fixtures):
    a = import_notice(tmp_path / "a", [fixtures / "city-kjj-2025.pdf"], "x", today=TODAY)
    b = import_notice(tmp_path / "b", [fixtures / "city-kjj-2025.pdf"], "x", today=TODAY)
    assert a.call_path.read_bytes() == b.call_path.read_bytes()
    assert a.report == b.report


def test_cli(tmp_path, fixtures, capsys):
    shutil.copytree(fixtures.parent.parent.parent / "schema", tmp_path / "schema")
    notice = str(fixtures / "county-kx-2024.html")
    assert main(["--root", str(tmp_path), "import", notice, "--id", "qinghe-2024"]) == 0
    out = capsys.readouterr().out
    assert "导入报告" in out and "已写入 data/calls/qinghe-2024.yaml" in out
    # the draft passes check as it is
    assert main(["--root", str(tmp_path), "check"]) == 0
    capsys.readouterr()
    assert main(["--root", str(tmp_path), "import", notice, "--id", "qinghe-2024"]) == 1
    assert "--force" in capsys.readouterr().err


def test_no_network_and_no_time_dependence(tmp_path, fixtures, monkeypatch):
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError("the importer opened a network connection")

    monkeypatch.setattr(socket, "socket", refuse)
    t0 = time.perf_counter()
    import_notice(tmp_path, [fixtures / "county-kx-2024.html"], "x", today=TODAY)
    assert time.perf_counter() - t0 < 60  # a hang guard, not a speed test (speed is in bench)


def test_a_required_value_not_found_is_left_empty_for_check_to_ask(tmp_path):
    notice = tmp_path / "n.txt"
    notice.write_text("关于申报2024年度项目的通知\n各单位：\n请于2024年5月31日前报送。\n", encoding="utf-8")
    result = import_notice(tmp_path, [notice], "x", today=TODAY)
    assert "草稿中还缺 2 项必填内容（发文单位、层级）" in result.report
    data = yaml.safe_load(result.call_path.read_text(encoding="utf-8"))
    assert data["issuer"] == {"name": None, "level": None}
    from generator.errors import DataErrors

    with pytest.raises(DataErrors, match=r"issuer\.name"):
        load_file(result.call_path, tmp_path)


def test_attachment_file_without_its_heading_is_found_by_its_title(tmp_path, fixtures):
    from docx import Document as new_docx

    form = new_docx()
    form.add_paragraph("2025年度临川市科普项目申报书")
    table = form.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "项目名称"
    table.cell(1, 0).text = "项目简介"
    table.cell(1, 1).text = "（300字以内）"
    form.save(str(tmp_path / "申报书.docx"))
    result = import_notice(tmp_path, [fixtures / "city-kjj-2025.pdf", tmp_path / "申报书.docx"], "lc", today=TODAY)
    data = yaml.safe_load(result.call_path.read_text(encoding="utf-8"))
    first, second = data["attachments"]
    assert first["title"] == "2025 年度临川市科普项目申报书" and "in_source" not in first
    assert first["form"] == "form-1" and "number" not in first
    assert second.get("in_source") is False
    rows = data["forms"][0]["blocks"][0]["rows"]
    assert rows[1]["cells"][1]["input"]["word_limit"] == 300
    load_file(result.call_path, tmp_path)


def test_a_file_without_text_is_refused(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("\t\n\n", encoding="utf-8")
    with pytest.raises(ImportError_, match="没有读到文字"):
        import_notice(tmp_path, [empty], "x")
