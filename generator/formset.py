"""The forms a call offers for download: its own forms plus tables derived from typed data.

Renderers (DOCX, PDF, pages, open data) iterate :func:`forms_of`, so an indicator table
such as 江苏's 项目指标 is offered as a form without being typed twice in the data.
"""

from __future__ import annotations

from .models import Call, Cell, Form, IndicatorTable, InputArea, Row, Table

INDICATORS_FORM_ID = "indicators"


def indicator_form(table: IndicatorTable) -> Form:
    """The indicator table as a form: 一级指标（分值） | 二级指标 | 得分, plus the bonus rows.

    Parameters:
        table: The call's indicator table.

    Returns:
        A form with one table; each indicator has a 得分 input ``score-<group>-<n>``.
    """
    rows: list[Row] = [
        Row(cells=[Cell(text="一级指标\n（分值）"), Cell(text="二级指标"), Cell(text="得分")])
    ]
    for group in table.groups:
        for n, ind in enumerate(group.indicators, 1):
            cells = []
            if n == 1:
                cells.append(Cell(text=f"{group.name}（{group.points}分）", rowspan=len(group.indicators)))
            cells.append(Cell(text=ind.text, header=False))
            cells.append(
                Cell(
                    input=InputArea(id=f"score-{group.id}-{n}", kind="number", hint=f"{ind.points}"),
                    align="center",
                )
            )
            rows.append(Row(cells=cells))
    for k, bonus in enumerate(table.bonus, 1):
        rows.append(Row(cells=[Cell(text=bonus.name), Cell(text=f"附加分{bonus.points}分", colspan=2)]))
        rows.append(
            Row(
                cells=[
                    Cell(text=bonus.text, header=False, colspan=2),
                    Cell(input=InputArea(id=f"bonus-{k}", kind="number"), align="center"),
                ]
            )
        )
    return Form(
        id=INDICATORS_FORM_ID,
        attachment=table.attachment,
        title=table.title,
        kind="indicators",
        blocks=[Table(widths=[2, 9, 1.2], rows=rows)],
    )


def forms_of(call: Call) -> list[Form]:
    """Every downloadable form of ``call``: its forms, then its indicator table if any."""
    forms = list(call.forms)
    if call.indicators is not None and INDICATORS_FORM_ID not in {f.id for f in forms}:
        forms.append(indicator_form(call.indicators))
    return forms
