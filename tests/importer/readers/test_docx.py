from docx import Document as new_docx

from generator.importer.readers import read_document


def test_paragraphs_and_tables_in_order(fixtures):
    doc = read_document(fixtures / "district-kx-2023.docx")
    assert doc.lines[0] == "东岭区科学技术协会"
    table = doc.tables[0]
    assert doc.lines[table.line] == "\t姓名"
    assert [[(c.text, c.colspan, c.rowspan) for c in row] for row in table.rows][:3] == [
        [("姓名", 1, 1), ("", 1, 1), ("性别", 1, 1), ("男□  女□", 1, 1)],
        [("工作单位及职务", 1, 2), ("", 3, 1)],
        [("", 3, 1)],
    ]
    assert len(table.widths) == 4


def test_table_text_lines_follow_the_table(tmp_path):
    d = new_docx()
    d.add_paragraph("标题")
    d.add_paragraph("")
    d.add_paragraph("")
    t = d.add_table(rows=1, cols=2)
    t.cell(0, 0).text = "申报单位"
    d.add_paragraph("之后")
    path = tmp_path / "t.docx"
    d.save(str(path))
    doc = read_document(path)
    assert doc.lines == ["标题", "", "\t申报单位", "\t", "", "之后"]
    assert doc.tables[0].line == 2
