"""Rules about what every call must have, and about our own wording."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pydantic import BaseModel

from .base import Finding, Loc, Rule, Subject

#: The lists ``call-complete`` expects (the scaffold writes them out, not commented).
WRITTEN_OUT = ("categories", "contacts")

_CJK = "[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]"
_CJK_GAP = re.compile(f"{_CJK}[ \t]+{_CJK}")


def _complete(subject: Subject) -> Iterator[Finding]:
    call = subject.call
    unstated = {u.value for u in call.unstated}
    has_categories = bool(call.categories) or call.indicators is not None
    if not has_categories and "categories" not in unstated:
        yield COMPLETE.at(
            ("categories",),
            "没有项目类别，也没有指标体系：请在 categories 中至少录入一类申报项目；"
            "通知确实没有写时，写 unstated: [categories]",
            "neither categories nor an indicator table (write unstated: [categories] if the notice states none)",
        )
    if not call.contacts and "contacts" not in unstated:
        yield COMPLETE.at(
            ("contacts",),
            "没有联系人：请在 contacts 中照录通知的联系方式；通知确实没有写时，写 unstated: [contacts]",
            "no contact (write unstated: [contacts] if the notice states none)",
        )
    for i, u in enumerate(call.unstated):
        if (u.value == "categories" and has_categories) or (u.value == "contacts" and call.contacts):
            yield COMPLETE.at(
                ("unstated", i),
                f"unstated 写了 {u.value}（原文未载明），但 {u.value} 已有内容：请删去 unstated 中的这一项",
                f"unstated lists {u.value} but {u.value} is filled in",
            )


def _strings(value: object, loc: Loc) -> Iterator[tuple[Loc, str]]:
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _strings(getattr(value, name), (*loc, name))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, (*loc, i))
    elif isinstance(value, str):
        yield loc, value


def _path(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def _gaps(subject: Subject) -> Iterator[Finding]:
    quoted = {path for path, _ in subject.quotes}
    for loc, text in _strings(subject.call, ()):
        if _path(loc) in quoted:
            continue
        m = _CJK_GAP.search(text)
        if m:
            bit = text[max(0, m.start() - 8): m.end() + 8]
            yield GAPS.at(
                loc,
                f"自行填写的文字中两个汉字之间有空格：“…{bit}…”。多半是 YAML 折行（>-）留下的，"
                "请把这段文字写在一行，或删去空格",
                f"space between Chinese characters in editorial text: …{bit}…",
            )


COMPLETE = Rule(
    "call-complete", "call",
    "通知至少有一个项目类别（或指标体系）和一个联系人，或写明原文未载明（unstated）",
    "a call has categories (or an indicator table) and a contact, or says the notice states none (unstated)",
    "补上 categories 与 contacts；通知确实没有写的，写 unstated: [categories] 或 unstated: [contacts]。",
    _complete,
)
GAPS = Rule(
    "editorial-gap", "call", "自行填写的文字中汉字之间没有多余空格",
    "editorial text has no stray space between Chinese characters",
    "把文字写在一行（不用 >- 折行），或删去空格；摘自原文的文字不受此限。",
    _gaps,
)

RULES = (COMPLETE, GAPS)
