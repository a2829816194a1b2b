"""Rules that compare a call with its notice's source text: what we quote is really there."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from ..fidelity import normalise, unquoted
from ..models import Row, Table
from .base import Finding, Loc, Rule, Subject

_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")
_PHONE_PATH = re.compile(r"^contacts\[\d+\]\.phones\[\d+\]$")
_ATTACHMENT_NO = re.compile(r"附件\s*(\d+)")
_WORD_LIMIT = re.compile(r"(\d+)字以内")


def loc_of(path: str) -> Loc:
    """``categories[0].name`` → ``("categories", 0, "name")``."""
    return tuple(int(i) if i else name for name, i in _PART.findall(path))


def _short(text: str, n: int = 30) -> str:
    return text if len(text) <= n else text[:n] + "…"


def _diverges(text: str, haystack: str) -> str:
    """Where ``text`` (normalised) stops matching the notice: the first words that differ."""
    norm = normalise(text)
    lo, hi = 0, len(norm)  # the longest prefix found in the notice has length lo
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if norm[:mid] in haystack:
            lo = mid
        else:
            hi = mid - 1
    if lo == 0:
        return "整段都找不到"
    return f"从“{_short(norm[lo:], 12)}”处起与原文不同（此前的“…{norm[max(0, lo - 8):lo]}”与原文一致）"


def _quotes(subject: Subject) -> Iterator[Finding]:
    if subject.source is None:
        return
    haystack = subject.notice
    for path, text in unquoted(subject.call, subject.source, subject.quotes):
        if _PHONE_PATH.match(path):
            continue  # phone-in-notice says it better
        yield QUOTES.at(
            loc_of(path),
            f"这段摘自原文的文字在原文中找不到：“{_short(text)}”，{_diverges(text, haystack)}。"
            "请从原文文件复制原话（空格、全角半角、引号样式不影响比对）；若是自己概括的话，应写在说明类字段中",
            f"quoted text not found in the notice: {_short(text)!r}; copy the notice's words",
        )


def _phones(subject: Subject) -> Iterator[Finding]:
    if subject.source is None:
        return
    haystack = subject.notice
    for i, contact in enumerate(subject.call.contacts):
        for j, phone in enumerate(contact.phones):
            if normalise(phone) not in haystack:
                yield PHONES.at(
                    ("contacts", i, "phones", j),
                    f"电话 {phone} 在原文中找不到：请照原文逐字抄写（含区号、连字符、分机号），"
                    "一行写有几个号码时分成几项",
                    f"phone {phone} is not in the notice; copy it as written",
                )


def _emails(subject: Subject) -> Iterator[Finding]:
    if subject.source is None:
        return
    call = subject.call
    haystack = subject.notice.lower()
    found: list[tuple[Loc, str]] = [
        (("contacts", i, "emails", j), e)
        for i, c in enumerate(call.contacts)
        for j, e in enumerate(c.emails)
    ]
    found += [(("submission", "emails", j), e) for j, e in enumerate(call.submission.emails)]
    for loc, email in found:
        if ".." in email or email.startswith(".") or ".@" in email:
            yield EMAILS.at(loc, f"邮箱 {email} 格式不对（连续的点或点在开头），请照原文改正",
                            f"malformed e-mail {email!r}")
        elif normalise(email).lower() not in haystack:
            yield EMAILS.at(loc, f"邮箱 {email} 在原文中找不到，请照原文逐字抄写",
                            f"e-mail {email} is not in the notice")


def _row_text(row: Row) -> str:
    out = []
    for cell in row.cells:
        out.append(cell.text or "")
        if cell.input is not None:
            out.append(cell.input.hint or "")
        out += [p for p in cell.parts or [] if isinstance(p, str)]
    return normalise("".join(out))


def _word_limits(subject: Subject) -> Iterator[Finding]:
    call = subject.call
    encoded: set[int] = set()
    for f, form in enumerate(call.forms):
        for k, wl in enumerate(form.word_limits):
            encoded.add(wl.limit)
            if f"{wl.limit}字" not in normalise(wl.text):
                yield WORD_LIMITS.at(
                    ("forms", f, "word_limits", k, "limit"),
                    f"字数上限 {wl.limit} 在照录的原文“{_short(wl.text)}”中没有写明（应含“{wl.limit}字”），请核对",
                    f"the quoted text does not say {wl.limit}字",
                )
        for section in ("cover", "instructions", "blocks"):
            for j, block in enumerate(getattr(form, section)):
                if not isinstance(block, Table):
                    continue
                above = ""
                for r, row in enumerate(block.rows):
                    here = _row_text(row)
                    for c, cell in enumerate(row.cells):
                        n = cell.input.word_limit if cell.input else None
                        if n is None:
                            continue
                        encoded.add(n)
                        if f"{n}字" not in here + above:
                            yield WORD_LIMITS.at(
                                ("forms", f, section, j, "rows", r, "cells", c, "input", "word_limit"),
                                f"word_limit: {n} 在这一行或上一行的文字中没有写明（应有“{n}字”），"
                                "请照录原表的提示（hint），或删去 word_limit",
                                f"word_limit {n} is not stated in this row or the one above",
                            )
                    above = here
    if subject.source is None:
        return
    stated = {int(n) for n in _WORD_LIMIT.findall(subject.notice)}
    for n in sorted(stated - encoded):
        yield WORD_LIMITS.at(
            ("forms",),
            f"原文写有“{n}字以内”，但没有哪张表单标明这个字数上限：请在对应输入框写 word_limit: {n}"
            "（并照录提示），或在该表单的 word_limits 中照录原文",
            f"the notice limits a text to {n}字; no form encodes it",
        )


def _attachments(subject: Subject) -> Iterator[Finding]:
    call = subject.call
    form_ids = {f.id for f in call.forms}
    for i, a in enumerate(call.attachments):
        if not a.in_source and a.form is not None:
            yield ATTACHMENTS.at(
                ("attachments", i, "form"),
                f"{a.number or a.title} 原文未附（in_source: false），不能录入为表单：表格内容不得自行编造。"
                "请删去 form 和对应的 forms 项；从哪里获取照录在 obtain 中",
                f"{a.number or a.title} is not attached to the notice, so it cannot be encoded as a form",
            )
        elif a.kind.value == "form" and a.in_source and a.form not in form_ids:
            yield ATTACHMENTS.at(
                ("attachments", i, "form"),
                f"{a.number or a.title} 是原文附有的表格，但没有写成表单：请在 forms 中录入它，"
                "并在此写 form: <表单编号>；原文只提到而未附时写 in_source: false",
                f"{a.number or a.title} is a form in the source but is not encoded",
            )
    if subject.source is None:
        return
    named = {int(n) for n in _ATTACHMENT_NO.findall(unicodedata.normalize("NFKC", subject.source))}
    have = {
        int(m.group(1))
        for a in call.attachments
        if a.number and (m := _ATTACHMENT_NO.search(unicodedata.normalize("NFKC", a.number)))
    }
    unnumbered = [i for i, a in enumerate(call.attachments) if not a.number]
    for n in sorted(named - have):
        if unnumbered:
            yield ATTACHMENTS.at(
                ("attachments", unnumbered[0], "title"),
                f"原文提到“附件{n}”，但没有哪个附件写了 number: 附件{n}：请给对应的附件补上 number: 附件{n}，"
                "没有对应的就添加一项（原文未附时写 in_source: false）",
                f"附件{n} is named in the notice but no attachment has that number",
            )
        else:
            yield ATTACHMENTS.at(
                ("attachments",),
                f"原文提到“附件{n}”，但 attachments 中没有它：请添加一项 number: 附件{n}"
                "（原文未附时写 in_source: false）",
                f"附件{n} is named in the notice but not among the attachments",
            )


QUOTES = Rule(
    "quote-in-source", "call", "摘自原文的文字（原文摘录）都能在原文中找到",
    "every quoted field occurs in the notice's source text",
    "从 data/sources/<编号>.txt 复制原话；空格、全角半角、引号样式不影响比对。"
    "自己的话写在 summary、note 等说明字段中。",
    _quotes,
)
PHONES = Rule(
    "phone-in-notice", "call", "联系电话与原文一致", "phone numbers are as in the notice",
    "照原文逐字抄写号码；一行写了几个号码时，在 phones 中分成几项，每项加引号。",
    _phones,
)
EMAILS = Rule(
    "email-in-notice", "call", "邮箱格式正确且与原文一致", "e-mail addresses are well formed and in the notice",
    "照原文逐字抄写邮箱地址。",
    _emails,
)
WORD_LIMITS = Rule(
    "word-limits", "call", "原文的“N字以内”都已录入，录入的字数上限都有原文依据",
    "every N字以内 of the notice is encoded, and every encoded limit is stated",
    "在输入框写 word_limit: N 并在 hint 中照录“（N字以内）”；跨几个字段的总字数写在表单的 word_limits 中。",
    _word_limits,
)
ATTACHMENTS = Rule(
    "attachments-listed", "call", "原文提到的每个附件都已列出，原文附有的表格都已录入，原文未附的表格没有录入内容",
    "every 附件 the notice names is listed, every attached form is encoded, and no form is made up "
    "for one the notice does not attach",
    "在 attachments 中补上该附件；原文只提到而未附时写 in_source: false，不录入表单内容。",
    _attachments,
)

RULES = (QUOTES, PHONES, EMAILS, WORD_LIMITS, ATTACHMENTS)
