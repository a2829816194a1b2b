from generator.importer.findings import Findings, Locator
from generator.importer.report import format_report


def test_problems_first_then_found_with_lines_and_a_count():
    f = Findings()
    f.found("doc_no", "文号", "济科协字〔2022〕22号", 3)
    f.missing("categories", "项目类别", "未找到编号列出的项目类别")
    f.ambiguous("issuer.level", "层级", "省", 1, "请核对")
    lines = format_report(f, "x").splitlines()
    assert lines[2].startswith("✗ 未找到  项目类别（categories）")
    assert lines[3].startswith("? 待核对  层级（issuer.level）  第 1 行  省  请核对")
    assert lines[4] == "✓ 找到   文号（doc_no）  第 3 行  济科协字〔2022〕22号"
    assert lines[-1].startswith("找到 1 项，待核对 1 项，未找到 1 项")


def test_locator_finds_lines_across_wraps_and_widths():
    loc = Locator(["第一行", "关于申报2023年度科协", "改革创新品牌的通知", "电话：０５３７"])
    assert loc.line_of("科协改革创新") == 2
    assert loc.line_of("电话:0537") == 4
    assert loc.line_of("不存在") is None
