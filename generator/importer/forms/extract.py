"""Forms of a notice: the attachments that are forms, each with its tables, cover and 填报说明."""

from __future__ import annotations

import itertools
import re
from typing import Any

from ...models import Form
from ..document import RawTable
from ..extract.attachments import SLOT
from ..extract.context import Context
from .cells import Ids, inline_parts, is_signature, make_cell, word_limit
from .tsv import parse_pasted

_BLANK_LINE = re.compile(r"_{3,}|＿{2,}|[:：]\s*$")
_INSTRUCTIONS = re.compile(r"^\s*(填\s*报\s*说\s*明|填\s*表\s*说\s*明|填写说明)\s*$")


def _table_block(table: RawTable, ids: Ids) -> dict[str, Any]:
    total = sum(table.widths) or 1.0
    widths = [round(w / total * len(table.widths), 2) or 0.01 for w in table.widths]
    rows = [{"cells": [make_cell(list(c.lines), ids, c.colspan, c.rowspan, placeholder=c.placeholder)
                       for c in row]} for row in table.rows]
    # A label followed by an answer area in the same row: a word limit in the label applies to it.
    for row in rows:
        cells = row["cells"]
        for a, b in itertools.pairwise(cells):
            if "text" in a and "input" in b and "word_limit" not in b["input"]:
                limit = word_limit(a["text"])
                if limit:
                    b["input"].update(word_limit=limit, kind="multiline", lines=6)
    return {"type": "table", "widths": widths, "rows": rows}


def _text_block(line: str, ids: Ids) -> dict[str, Any]:
    parts = inline_parts([line], ids)
    if parts is not None:
        return {"type": "paragraph", "parts": parts}
    if line.rstrip().endswith(("：", ":")) and len(line.strip()) <= 20:
        return {"type": "paragraph", "parts": [line.strip(), {"blank": ids("blank"), "width": 16}]}
    if is_signature([line]):
        return {"type": "signature", "sign": {"lines": [line.strip()], "space": 1}}
    return {"type": "paragraph", "parts": [line.strip()]}


def _grid_ok(block: dict[str, Any]) -> bool:
    from ...models import Table, table_grid_problems

    try:
        return not table_grid_problems(Table.model_validate(block))
    except ValueError:
        return False


def _has_answers(form: dict[str, Any]) -> bool:
    """A table with a cell to fill in: what tells a form from a notice with a table in it."""
    return any("input" in cell for key in ("cover", "blocks") for block in form.get(key, [])
               if block["type"] == "table" for row in block["rows"] for cell in row["cells"])


def build_form(ctx: Context, tables: list[RawTable], start: int, end: int, form_id: str,
               title: str, number: str | None) -> dict[str, Any] | None:
    """A form from source lines ``start``..``end`` (0-based, end excluded).

    Parameters:
        ctx: The notice.
        tables: Word tables (with their first line) — used where the lines hold one.
        start: First line after the title.
        end: First line after the form.
        form_id: The form's id.
        title: Its title (quoted).
        number: Its attachment number (附件3), if any.

    Returns:
        The form as plain data (cover, instructions, blocks), or None when it has no content.
    """
    ids = Ids()
    sections: dict[str, list[dict[str, Any]]] = {"cover": [], "instructions": [], "blocks": []}
    has_instructions = any(_INSTRUCTIONS.match(ctx.lines[i]) for i in range(start, end))
    first_table = next((i for i in range(start, end) if ctx.lines[i].startswith("\t")), end)
    # a cover page: fields to fill in (申报单位：____) before the first table
    has_cover = any(_BLANK_LINE.search(ctx.lines[i]) for i in range(start, first_table))
    section = "cover" if has_instructions or has_cover else "blocks"
    by_line = {t.line: t for t in tables}
    title_key = re.sub(r"\s+", "", title)
    i = start
    while i < end:
        line = ctx.lines[i]
        if line.startswith("\t"):
            if i in by_line:
                table = by_line[i]
                after = i + len(table.text_lines()) - 1
            else:
                table, after = parse_pasted(ctx.lines, i)
            block = _table_block(table, ids)
            if _grid_ok(block):
                sections[section].append(block)
            if section in ("instructions", "cover") and not (section == "cover" and has_instructions):
                section = "blocks"
            i = max(after, i + 1)
            continue
        text = line.strip()
        i += 1
        if not text:
            continue
        if section == "blocks" and not any(sections.values()) and re.sub(r"\s+", "", text) in title_key:
            continue  # the title's own lines: the renderers print the title above the body
        if _INSTRUCTIONS.match(text):
            section = "instructions"
            sections[section].append({"type": "heading", "text": text, "level": 2, "align": "center"})
            continue
        if section == "cover" and not has_instructions and i > first_table:
            section = "blocks"
        if section == "instructions" and not re.match(r"^[一二三四五六七八九十\d]+[、.．]", text) and sections[section]:
            section = "blocks"
        sections[section].append(_text_block(text, ids))
    if section == "cover" or not sections["blocks"]:
        # 填报说明 without anything after it: what there is is the form's body
        sections["blocks"] = sections["cover"] + sections["instructions"] + sections["blocks"]
        sections["cover"], sections["instructions"] = [], []
    if not sections["blocks"]:
        return None
    form: dict[str, Any] = {"id": form_id, "title": title}
    if number:
        form["attachment"] = number
    total = next((word_limit(ln) for ln in ctx.lines[start:end] if "总字数" in ln and word_limit(ln)), None)
    for key in ("cover", "instructions", "blocks"):
        if sections[key]:
            form[key] = sections[key]
    if total:
        form["word_limits"] = [{"limit": total, "text": next(ln.strip() for ln in ctx.lines[start:end]
                                                            if "总字数" in ln and word_limit(ln))}]
    Form.model_validate(form)
    return form


def extract_forms(ctx: Context, tables: list[RawTable], attachments: list[dict[str, Any]],
                  headings: dict[str, int]) -> list[dict[str, Any]]:
    """Forms from the form attachments present in the text, or from a file that is only a form.

    Parameters:
        ctx: The notice.
        tables: Its Word tables.
        attachments: The draft attachments (``kind: form`` ones get ``form: <id>`` set).
        headings: Paragraph index of each ``附件N`` heading.

    Returns:
        Draft forms.
    """
    f = ctx.findings
    forms: list[dict[str, Any]] = []
    heads = sorted((ctx.paras[i].line, n) for n, i in headings.items())
    for k, (line, number) in enumerate(heads):
        att = next((a for a in attachments if a.get(SLOT) == number), None)
        if att is None or att["kind"] not in ("form", "indicators"):
            continue
        end = heads[k + 1][0] - 1 if k + 1 < len(heads) else len(ctx.lines)
        form_id = f"form-{number}"
        # from the line after 附件N (0-based index = its 1-based number): title lines included,
        # as the form shows them (the renderers do not repeat a title the form already has)
        form = build_form(ctx, tables, line, end, form_id, att["title"], att.get("number"))
        if form is None:
            f.missing(f"forms[{form_id}]", "申报表", f"附件{number}中没有找到表格")
            continue
        att["form"] = form_id
        forms.append(form)
        f.ambiguous(f"forms[{len(forms) - 1}]", "申报表", att["title"], line,
                    "表格由原文还原：合并单元格、行高和字段编号请对照原表核对")
    if not heads and (tables or any(ln.startswith("\t") for ln in ctx.lines)):
        first = next((p for p in ctx.paras if not p.text.startswith("\t")), None)
        title = first.text if first else "申报表"
        if first is not None:
            form = build_form(ctx, tables, first.last, len(ctx.lines), "form-1", title, None)
            if form is not None and _has_answers(form):
                forms.append(form)
                f.ambiguous("forms[0]", "申报表", title, first.line, "整份文件是一张表：请核对标题与表格")
    return forms
