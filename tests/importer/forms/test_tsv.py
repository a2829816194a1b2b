from generator.importer.forms.tsv import parse_pasted

LINES = ["附件3", "申报表", "", "\t申报项目", "\t", "", "\t承办条件", "", "说明",
         "\t（200字以内）", "", "\t单位负责人", "\t姓名", "\t单位", "", "说明文字不在表内", "", "附件4"]


def test_rows_cells_and_continuation_lines():
    table, end = parse_pasted(LINES, 3)
    assert [[c.lines for c in row] for row in table.rows] == [
        [("申报项目",), ("",)],
        [("承办条件", "说明"), ("（200字以内）",)],
        [("单位负责人",), ("姓名",), ("单位",)],
    ]
    assert LINES[end] == "说明文字不在表内" or LINES[end] == ""


def test_short_rows_are_widened_to_the_widest():
    table, _ = parse_pasted(LINES, 3)
    assert len(table.widths) == 3
    assert [c.colspan for c in table.rows[0]] == [1, 2]
