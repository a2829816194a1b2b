"""Contacts: names, phones, e-mails and addresses, grouped as the notice groups them."""

from __future__ import annotations

import re
from typing import Any

from ...models import EMAIL_PATTERN
from .context import Context

EMAIL = re.compile(EMAIL_PATTERN.strip("^$"))
#: A phone number: 0537-3739895, (0531)82073271, 138 0000 0000, a bare local 7256979.
PHONE = re.compile(r"(?<![\d@.A-Za-z])(?:[(（]0\d{2,3}[)）]\s*\d{7,8}"
    r"|0\d{2,3}\s*[-－—]\s*\d{7,8}(?:\s*[-－转]\s*\d{1,5})?"
                   r"|1[3-9]\d\s?\d{4}\s?\d{4}|\d{7,8})(?![\d@])")
_CONTACT_LINE = re.compile(r"联\s*系\s*人|联系电话|联系方式|咨询电话|电\s*话|邮\s*箱|E-?mail|电子信箱|传\s*真", re.I)
_NAMES = re.compile(r"联\s*系\s*人(?:及(?:联系)?(?:电话|方式))?\s*[:：]\s*([^，,；;。：:\d]+?)"
                    r"(?=\s*[，,；;。]|\s*(?:联系)?电话|\s*手机|\s*\d|$)")
_DEPT = re.compile(r"(?:联系方式|联系单位|联系部门)\s*[:：]\s*([\u4e00-\u9fff]{2,20}?(?:部|处|科|室|办公室"
    r"|中心))")
_DEPT_ANY = re.compile(r"((?:[\u4e00-\u9fff]{2,4}(?:省|市|县|区))?(?:科协)?[\u4e00-\u9fff]{2,6}(?:部|处|办公室))"
                      r"(?=\d|[（(，,。\s]|$)")
#: 科普科：王立新，电话：… — a department (or role) label, then a name.
_DEPT_NAME = re.compile(r"^\s*([\u4e00-\u9fff]{2,12}?)\s*[:：]\s*([\u4e00-\u9fff]{2,4})\s*[，,；;\s]+"
                        r"(?:联系)?(?:电话|手机|座机)")
_UNIT = re.compile(r"(部|处|科|室|办公室|中心)$")
_ADDRESS = re.compile(r"(?:报送|通讯|联系|邮寄)?地\s*址\s*[:：]\s*([^，,；;。\s]{4,60})")
_ADDRESS_PAREN = re.compile(r"[（(]([^）)]{4,40}?(?:路|街|道|号|楼|室|大院)[^）)]{0,20})[）)]")


def _line_of(ctx: Context, group: list[Any], value: str) -> int | None:
    """The source line of a value in a contact group, not counting e-mail addresses (a phone
    number inside cdkx7256979@163.com is not where the phone is written)."""
    for p in group:
        for n in range(p.line, p.last + 1):
            if value in EMAIL.sub("", ctx.lines[n - 1]) or (EMAIL.fullmatch(value) and value in ctx.lines[n - 1]):
                return n
    return ctx.locate.line_of(value, group[0].line)


def _labelled(text: str) -> re.Match[str] | None:
    """``科普科：王立新，电话…`` (a department or role, then a person), not ``联系方式：办公室，电话…``."""
    m = _DEPT_NAME.match(text)
    if m is None or _CONTACT_LINE.search(m.group(1)) or _UNIT.search(m.group(2)):
        return None
    return m


def _names(text: str) -> list[str]:
    m = _NAMES.search(text)
    if not m:
        return []
    tokens = [t for t in re.split(r"[\s、/]+", m.group(1).strip()) if t]
    names: list[str] = []
    for t in tokens:  # 谢  坤 written with spaces: single characters belong together
        if (len(t) == 1 and names and len(names[-1]) == 1) or (len(t) == 1 and names and len(names[-1]) < 2):
            names[-1] += t
        else:
            names.append(t)
    merged: list[str] = []
    for n in names:
        if merged and len(merged[-1]) == 1:
            merged[-1] += n
        else:
            merged.append(n)
    return [n for n in merged if 2 <= len(n) <= 4 and re.fullmatch(r"[\u4e00-\u9fff·]+", n)]


#: 本申报书由…负责解释 / 本通知由…负责解释: the unit that answers questions.
_EXPLAINS = re.compile(r"由([^，。；由]{4,60}?)负责解释")


def extract_contacts(ctx: Context) -> list[dict[str, Any]]:
    """Contact groups: consecutive contact lines form one group; repeated groups are merged.

    Parameters:
        ctx: The notice.

    Returns:
        Draft contacts (``id``, ``department``, ``names``, ``phones``, ``emails``, ``address``).
    """
    f = ctx.findings
    groups: list[list[Any]] = []
    last = -10
    for i, p in enumerate(ctx.paras):
        if p.text.startswith("\t") or "\t" in p.text:
            continue
        labelled = _labelled(p.text)
        # a contact line starts with its label; a sentence that mentions an e-mail
        # (请于…发送至邮箱…) is not one
        if (_CONTACT_LINE.search(p.text[:12]) or labelled) and (PHONE.search(p.text) or EMAIL.search(p.text)
                                                          or _names(p.text)):
            # a second line with its own phone starts another group (科普科：… / 技术支持：…)
            has_phone = bool(groups) and any(PHONE.search(EMAIL.sub("", q.text)) for q in groups[-1])
            if i - last == 1 and groups and not (has_phone and PHONE.search(EMAIL.sub("", p.text))):
                groups[-1].append(p)
            else:
                # the line above may name the department or the address (报送地址：…)
                prev = ctx.paras[i - 1] if i else None
                start = [prev] if prev is not None and _ADDRESS.search(prev.text) else []
                groups.append([*start, p])
            last = i
    out: list[dict[str, Any]] = []
    keys: set[tuple[Any, ...]] = set()
    for group in groups:
        text = "，".join(p.text for p in group)
        emails = list(dict.fromkeys(EMAIL.findall(text)))
        phone_text = EMAIL.sub("", text)
        phones = list(dict.fromkeys(re.sub(r"\s+", " ", m.group()).strip() for m in PHONE.finditer(phone_text)))
        names = _names(text)
        labelled = _labelled(group[-1].text) or _labelled(group[0].text)
        if labelled and not names:
            names = [labelled.group(2)]
        dept_m = _DEPT.search(text) or _DEPT_ANY.search(text)
        dept = dept_m.group(1) if dept_m else (labelled.group(1) if labelled and _UNIT.search(labelled.group(1))
                                               else None)
        addr_m = _ADDRESS.search(text) or _ADDRESS_PAREN.search(text)
        address = addr_m.group(1) if addr_m else None
        key = (dept, tuple(names), tuple(phones), tuple(emails))
        if key in keys or not (phones or emails or names):
            continue
        keys.add(key)
        i = len(out)
        item: dict[str, Any] = {"id": f"contact-{i + 1}"}
        line = group[0].line
        if dept:
            item["department"] = dept
            f.found(f"contacts[{i}].department", "联系部门", dept, ctx.locate.line_of(dept, line))
        else:
            f.missing(f"contacts[{i}].department", "联系部门", "这组联系方式没有写部门")
        if len(phones) > 1:
            # several numbers written together (0531-82073271、82073208): keep the writing too
            first, last = text.find(phones[0]), text.rfind(phones[-1])
            span = text[first:last + len(phones[-1])] if 0 <= first < last else ""
            if span and re.fullmatch(r"[\d\-－()（）\s、，,/或和转]+", span):
                item["phones_text"] = span
        for key_, label, values in (("names", "联系人", names), ("phones", "电话", phones), ("emails", "邮箱", emails)):
            if values:
                item[key_] = values
                f.found(f"contacts[{i}].{key_}", label, "、".join(values), _line_of(ctx, group, values[0]))
        if address:
            item["address"] = address
            f.found(f"contacts[{i}].address", "地址", address, ctx.locate.line_of(address, line))
        out.append(item)
    if not out:
        # no name, phone or e-mail: the unit that answers questions (本申报书由…负责解释) is the contact
        for p in ctx.paras:
            m = _EXPLAINS.search(p.text)
            if m:
                dept = m.group(1)
                out.append({"id": "contact-1", "department": dept})
                f.ambiguous("contacts[0].department", "联系部门", dept, ctx.locate.line_of(dept, p.line),
                            "原文只写了由该部门负责解释，没有联系人、电话或邮箱")
                return out
        f.missing("contacts", "联系方式", "未找到联系人、电话或邮箱")
    return out
