"""Categories: the numbered items under 项目类别 / 申报方向 / 支持范围 … with counts and funding."""

from __future__ import annotations

import re
from typing import Any

from ..normalise import MARKER, NUM_ITEM, Para
from .context import ATTACHMENT_HEADING, Context

_SECTION = re.compile(r"项目类别|申报类别|项目内容|申报方向|支持范围|重点事项|资助范围|支持方向|项目类型|申报范围"
                      r"|项目清单|项目分类|选题|資助範圍|項目類別|申報方向|支持範圍")
_LIST_ATTACHMENT = re.compile(r"清单|申报范围|申报指南|项目指南|事项说明|清單|申報範圍|申報指南")
#: Item names that are fields of an item, not items.
_FIELD = re.compile(r"^(项目内容|项目简介|申报要求|申报条件|项目周期|申报对象|申报主体|相关要求|联系方式|项目数量"
                    r"|经费额度"
                    r"|应完成|优先|申报材料|考核|其他|注意事项|項目內容|申報要求|申報條件|項目週期)")
_BULLET = re.compile(r"^\s*[-•·]\s*")
_NOT_CATEGORY = re.compile(r"(要求|条件|规定|事项|程序|说明|资格)$")
_AMOUNT_HINT = re.compile(r"计划|支持|资助|补助|每个|立项|\d+\s*个")
_TOP_ITEM = re.compile(r"^[^，,：:]{2,44}[；;。]$")
_NAME_END = re.compile(r"[。：:；;，,]")
_FAMILIES = (
    ("cn", re.compile(r"^\s*[一二三四五六七八九十]+\s*[、.．]")),
    ("cnp", re.compile(r"^\s*[（(]\s*[一二三四五六七八九十]+\s*[)）]")),
    ("num", re.compile(rf"^\s*{NUM_ITEM}")),
    ("nump", re.compile(r"^\s*[（(]\d{1,2}[)）]")),
    ("numr", re.compile(r"^\s*\d{1,2}\)")),
    ("alpha", re.compile(r"^\s*[A-Z]\d{1,2}\s*[.．、]")),
)
_COUNT = re.compile(r"(?:计划|支持|立项|资助|遴选|设立?|数量[:：]?)\s*"
                    r"(?:[^，。；\d]{0,6}?)\s*((\d+)\s*(?:[-－—~～至到]\s*(\d+))?\s*个)")
_DIVIDED = re.compile(r"分为((?:[A-Z甲乙丙丁]类[^，。；;、和及与]{2,20}[、和及与]?){2,5})")
_CLASS = re.compile(r"([A-Z甲乙丙丁])类[^，。；;、和及与]{2,20}")
_SPLIT = re.compile(r"[、和及与]")
_ENUMERATION = re.compile(r"包括((?:[^，。；;、]{2,20}、)+[^，。；;、]{2,20}?)"
                          r"[一二三四五六七八九十\d]+\s*(?:类|个类别|个方向)")
_FUNDING = re.compile(r"(?:补助|资助|经费|奖补|额度[:：]?|支持)\s*(?:[^，。；\d]{0,6}?)\s*"
                      r"((\d+(?:\.\d+)?)\s*(?:[-－—~～至到]\s*(\d+(?:\.\d+)?))?\s*万元?)")


def _family(text: str) -> str | None:
    text = _BULLET.sub("", text, count=1)
    for name, pattern in _FAMILIES:
        if pattern.match(text):
            return name
    return None


def _candidate(ctx: Context, p: Para) -> tuple[str | None, bool]:
    """(name, title_only): the item's name from its first line, and whether that line is only a title."""
    first = ctx.lines[p.line - 1].strip() if p.line - 1 < len(ctx.lines) else p.text
    rest = MARKER.sub("", first, count=1).strip()
    name = _NAME_END.split(rest, maxsplit=1)[0].strip()
    if not 2 <= len(name) <= 40 or _FIELD.match(name) or _SECTION.search(name) or _NOT_CATEGORY.search(name):
        return None, False
    tail = rest[len(name):].strip()
    title_only = tail == "" or (tail[0] in "。，," and bool(_AMOUNT_HINT.search(tail[:12])))
    return name, title_only


def _first_line(ctx: Context, i: int) -> str:
    p = ctx.paras[i]
    return ctx.lines[p.line - 1].strip() if p.line - 1 < len(ctx.lines) else p.text


def _sections(ctx: Context) -> list[tuple[int, int, str]]:
    """(start, end, title) paragraph ranges that list categories; the innermost when they nest.

    ``title`` is a list attachment's title line (``…A类项目清单``), empty for a section of the notice.
    """
    out: list[tuple[int, int, str]] = []
    paras = ctx.paras
    for i, p in enumerate(paras):
        fam = _family(p.text)
        is_heading = fam in ("cn", "cnp") and _NAME_END.search(MARKER.sub("", p.text, count=1)) is None
        if is_heading and _SECTION.search(p.text):
            end = i + 1
            while end < len(paras):
                q = paras[end]
                if ATTACHMENT_HEADING.match(q.text):
                    break
                qf = _family(q.text)
                if qf == fam or (fam == "cnp" and qf == "cn"):
                    break
                end += 1
            out.append((i + 1, end, ""))
        elif ATTACHMENT_HEADING.match(p.text) and i + 1 < len(paras) and _LIST_ATTACHMENT.search(paras[i + 1].text):
            end = i + 2
            while end < len(paras) and not ATTACHMENT_HEADING.match(paras[end].text):
                end += 1
            out.append((i + 2, end, paras[i + 1].text))
    # a section holding a narrower one (二、项目类别、资格条件… holding （一）项目类别) gives way to it
    return [s for s in out if not any(o != s and s[0] <= o[0] - 1 and o[1] <= s[1] for o in out)]


def _classes(ctx: Context) -> dict[str, tuple[str, int | None]]:
    """Classes the notice divides its projects into (项目分为A类竞争性项目和B类自主创新性项目):
    by letter, (name, line); empty unless at least two are named."""
    for p in ctx.body:
        for m in _DIVIDED.finditer(p.text):
            found: dict[str, tuple[str, int | None]] = {}
            for part in _SPLIT.split(m.group(1)):
                c = _CLASS.fullmatch(part.strip())
                if c:
                    found[c.group(1)] = (c.group(0), ctx.locate.line_of(c.group(0), p.line))
            if len(found) >= 2:
                return found
    return {}


def _enumerated(ctx: Context) -> list[tuple[str, int]]:
    """Names in a sentence that counts the categories (项目包括一流学会建设、创新特色学会建设、服务专项三类)."""
    out: list[tuple[str, int]] = []
    for p in ctx.body:
        for m in _ENUMERATION.finditer(p.text):
            out += [(n.strip(), p.line) for n in _SPLIT.split(m.group(1)) if 2 <= len(n.strip()) <= 20]
    return out


def _amounts(ctx: Context, item: dict[str, Any], paras: list[Para], idx: int) -> None:
    text = "".join(p.text for p in paras)
    f = ctx.findings
    m = _COUNT.search(text)
    if m:
        lo = int(m.group(2))
        hi = int(m.group(3)) if m.group(3) else lo
        if lo <= hi:
            item["count"] = {"min": lo, "max": hi, "text": m.group(1)}
            f.found(f"categories[{idx}].count", "计划数量", m.group(1), ctx.locate.line_of(m.group(1), paras[0].line))
    m = _FUNDING.search(text)
    if m and "万" in m.group(1):
        lo_f = float(m.group(2))
        hi_f = float(m.group(3)) if m.group(3) else lo_f
        if lo_f <= hi_f:
            item["funding"] = {"min": lo_f, "max": hi_f, "text": m.group(1)}
            f.found(f"categories[{idx}].funding", "经费额度", m.group(1), ctx.locate.line_of(m.group(1), paras[0].line))


def extract_categories(ctx: Context) -> list[dict[str, Any]]:
    """Categories (two levels) from category sections and list attachments.

    The first numbering style with a title-like item is the top level; the style with most
    title-only items below it is the second level (others are requirements or outlines).

    Parameters:
        ctx: The notice.

    Returns:
        Draft categories ``{id, code, name, count?, funding?, children}``; a name listed twice
        (in the notice and again in an attachment) is kept once.
    """
    f = ctx.findings
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    counter = 0
    classes = _classes(ctx)
    parents: dict[str, dict[str, Any]] = {}
    for start, end, title in _sections(ctx):
        letter = next((k for k in classes if f"{k}类" in title), None)
        if letter is not None and letter not in parents:
            # a list attachment of one class (A类项目清单): its items go under that class
            counter += 1
            class_name, line = classes[letter]
            parents[letter] = {"id": f"c{counter}", "code": None, "name": class_name}
            out.append(parents[letter])
            f.found(f"categories[c{counter}].name", "类别名称", class_name, line, f"{title.strip()}的上级类别")
        target = parents[letter].setdefault("children", []) if letter is not None else out
        cands: list[tuple[int, str, str, bool]] = []
        for i in range(start, end):
            fam = _family(ctx.paras[i].text)
            if fam is None:
                continue
            name, title_only = _candidate(ctx, ctx.paras[i])
            if name is not None and (title_only or not cands or fam == cands[0][1]):
                cands.append((i, fam, name, title_only))
        if not cands:
            continue
        top = cands[0][1]
        # a top-level list may end its items with ；/。; deeper levels are titles only
        cands = [c for c in cands if c[3] or (c[1] == top and _TOP_ITEM.match(_first_line(ctx, c[0])))]
        if not cands:
            continue
        # the second level: the style found under most top-level items, then the most used
        under: dict[str, set[int]] = {}
        votes: dict[str, int] = {}
        current = 0
        for i, fam, _, title_only in cands:
            if fam == top:
                current = i
            elif title_only:
                under.setdefault(fam, set()).add(current)
                votes[fam] = votes.get(fam, 0) + 1
        order = list(votes)
        second = max(order, key=lambda k: (len(under[k]), votes[k], -order.index(k))) if votes else None
        parent: dict[str, Any] | None = None
        items: list[tuple[dict[str, Any], int]] = []
        for i, fam, name, title_only in cands:
            if fam not in (top, second) or (fam == second and not title_only):
                continue
            key = re.sub(r"\s+", "", name).rstrip("；;。")
            if key in seen:
                continue
            seen.add(key)
            counter += 1
            p = ctx.paras[i]
            code_m = MARKER.match(p.text)
            code = code_m.group().strip().lstrip("-•· ").rstrip("、.．") if code_m else None
            item: dict[str, Any] = {"id": f"c{counter}", "code": code or None, "name": name.rstrip("；;")}
            if fam == top or parent is None:
                target.append(item)
                parent = item
            else:
                parent.setdefault("children", []).append(item)
            items.append((item, i))
            f.found(f"categories[c{counter}].name", "类别名称", item["name"], p.line)
        for n, (item, i) in enumerate(items):
            stop = items[n + 1][1] if n + 1 < len(items) else end
            own = ctx.paras[i:stop] if not item.get("children") else ctx.paras[i:i + 1]
            _amounts(ctx, item, own, int(item["id"][1:]) - 1)
    # a heading that shortens a name the notice counts (（二）创新特色学会 / 包括…创新特色学会建设…三类)
    listed = _enumerated(ctx)
    for item in out:
        full = next(((n, line) for n, line in listed if n != item["name"] and n.startswith(item["name"])
                     and len(n) - len(item["name"]) <= 4), None)
        if full:
            f.ambiguous(f"categories[{item['id']}].name", "类别名称", full[0], full[1],
                        f"标题写作“{item['name']}”，取通知列举的全称")
            item["name"] = full[0]
    if not out:
        f.missing("categories", "项目类别", "未找到编号列出的项目类别")
    return out
