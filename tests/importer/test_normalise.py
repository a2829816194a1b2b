from generator.importer.normalise import normalise_text, paragraphs


def test_only_whitespace_changes():
    text = "关於申報\u3000 \r\n\r\n\r\n\r\n第二行\u00a0\u200b全角，ＡＢＣ  \n"
    lines = normalise_text(text)
    assert lines == ["关於申報", "", "第二行 全角，ＡＢＣ"]


def test_cell_lines_keep_their_tab():
    assert normalise_text("\t项目名称\n\t   \n\n\t") == ["\t项目名称", "\t", "", "\t"]


def test_hard_wrapped_lines_join_but_items_and_headings_do_not():
    lines = normalise_text(
        "关于申报2023年度科协改革创新品牌\n\n培育工程项目的通知\n各市级学会：\n一、项目类别\n"
        "1.设立改革品牌项目，旨在通过项目实施，推动科协工作实\n\n践创新。\n2.第二项。\n"
    )
    texts = [p.text for p in paragraphs(lines)]
    assert texts == [
        "关于申报2023年度科协改革创新品牌培育工程项目的通知",
        "各市级学会：",
        "一、项目类别",
        "1.设立改革品牌项目，旨在通过项目实施，推动科协工作实践创新。",
        "2.第二项。",
    ]


def test_paragraph_lines_are_source_lines():
    lines = normalise_text("甲文件\n\n乙丙丁\n戊己。")
    paras = paragraphs(lines)
    assert [(p.line, p.last) for p in paras] == [(1, 1), (3, 4)]


def test_an_email_wrapped_after_its_label_joins():
    texts = [p.text for p in paragraphs(normalise_text("技术支持：李青，邮箱：\nli@example.cn\n附件：1.表"))]
    assert texts[0] == "技术支持：李青，邮箱：li@example.cn"


def test_page_numbers_between_wrapped_lines_are_skipped():
    lines = normalise_text("请于11月30日前将申报表报送至市科协\n\n— 2 —\n\n学会部。\n")
    assert [p.text for p in paragraphs(lines)] == ["请于11月30日前将申报表报送至市科协学会部。"]
    assert lines[2] == "— 2 —"  # the source text keeps it
