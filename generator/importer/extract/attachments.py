"""The attachment list (附件：1.… 2.…) and the attachments the text holds (附件1 headings)."""

from __future__ import annotations

import re
from typing import Any

from ..normalise import NUM_ITEM
from .context import ATTACHMENT_HEADING, Context

_LIST_START = re.compile(r"^\s*附\s*(?:件)?\s*[:：]\s*(.*)$")
_ITEM = re.compile(rf"^\s*(?=(\d{{1,2}})){NUM_ITEM}\s*(.+)$")
_KINDS = (
    ("form", re.compile(r"申报表|申报书|推荐表|登记表|汇总表|申请表|信息表|报名表|承诺书|任务书|一览表")),
    ("indicators", re.compile(r"指标|评分|评价标准")),
    ("list", re.compile(r"清单|范围|目录|名单|事项|选题")),
    ("guide", re.compile(r"指南|流程|说明|办法|细则|方案|须知")),
)
_ORG = re.compile(r"(协会|科协|办公室|局|委员会|大学|学院)$")
_ARABIC = {c: str(i) for i, c in enumerate("０１２３４５６７８９")}


#: Key under which an attachment carries its number while forms are extracted (removed after).
SLOT = "_number"


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def kind_of(title: str) -> str:
    """``form`` / ``indicators`` / ``list`` / ``guide`` / ``other`` from an attachment's title."""
    for kind, pattern in _KINDS:
        if pattern.search(title):
            return kind
    return "other"


def _number(raw: str) -> str:
    from ..numerals import cn_int

    value = "".join(_ARABIC.get(c, c) for c in raw)
    n = cn_int(value)
    return str(n) if n is not None else value


def _named(ctx: Context, number: str) -> str | None:
    """``附件N`` as the notice's text writes it (e.g. in “见附件1”), or ``None``."""
    pattern = re.compile(r"附\s*件\s*([0-9０-９]{1,2})(?![0-9０-９])")
    for line in ctx.lines:
        for m in pattern.finditer(line):
            if _number(m.group(1)) == number:
                return m.group(0)
    return None


def extract_attachments(ctx: Context) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """The attachments a notice lists, and where each one's own text starts.

    Parameters:
        ctx: The notice.

    Returns:
        Draft attachments (``number``, ``title``, ``kind``, ``in_source``) and, by attachment
        number (``"1"``), the index in ``ctx.paras`` of its ``附件N`` heading.
    """
    f = ctx.findings
    headings: dict[str, int] = {}
    for i, p in enumerate(ctx.paras):
        m = ATTACHMENT_HEADING.match(p.text)
        if m:
            headings.setdefault(_number(m.group(1)), i)
    listed: list[tuple[str, str, int]] = []
    for i, p in enumerate(ctx.body):
        m = _LIST_START.match(p.text)
        if not m:
            continue
        first = m.group(1).strip()
        items = [first] if first else []
        for q in ctx.body[i + 1:]:
            if _ITEM.match(q.text):
                items.append(q.text)
            elif (items and not q.text.endswith(("。", "：")) and len(q.text) <= 12
                  and not re.search(r"\d{4}\s*年", q.text) and not _ORG.search(q.text)):
                items[-1] += q.text  # a title wrapped onto a short line (……申报 / 范围)
            else:
                break
        for k, entry in enumerate(items):
            im = _ITEM.match(entry)
            number, title = (im.group(1), im.group(2).strip()) if im else (str(k + 1), entry.strip())
            listed.append((number, title, p.line))
        break
    out: list[dict[str, Any]] = []
    if listed:
        list_at = next(i for i, p in enumerate(ctx.paras) if p.line == listed[0][2])
        for number, title, line in listed:
            i = len(out)
            at = headings.get(number)
            written = ctx.paras[at].text.strip() if at is not None else None
            if at is None:
                # an attachment file given without its 附件N line starts with the title itself
                key = _squash(title)
                at = next((j for j in range(list_at + 1, len(ctx.paras)) if _squash(ctx.paras[j].text) == key), None)
                if at is not None:
                    headings[number] = at
            if written is None:
                # the list numbers it 1., the text calls it 附件1 (“见附件1”): that is its number
                written = _named(ctx, number)
            item: dict[str, Any] = {"number": written, "title": title, "kind": kind_of(title), SLOT: number}
            if item["number"] is None:
                item.pop("number")
            if at is None:
                item["in_source"] = False
                f.ambiguous(f"attachments[{i}]", "附件", title, ctx.locate.line_of(title, line),
                            "通知列出此附件，但原文中没有它的内容（in_source: false）")
            else:
                f.found(f"attachments[{i}]", "附件", title, ctx.locate.line_of(title, line))
            out.append(item)
    else:
        for number, at in headings.items():
            nxt = ctx.paras[at + 1] if at + 1 < len(ctx.paras) else None
            if nxt is None:
                continue
            title = nxt.text.split("\t")[0].strip()
            i = len(out)
            out.append({"number": ctx.paras[at].text.strip(), "title": title, "kind": kind_of(title), SLOT: number})
            f.ambiguous(f"attachments[{i}]", "附件", title, nxt.line,
                        f"通知正文没有附件列表；标题取“附件{number}”下一行，请核对")
    if not out:
        f.missing("attachments", "附件", "未找到附件列表")
    return out, headings
