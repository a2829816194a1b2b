"""Title, 文号, 主送, issue date (落款) and issuer of a notice."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ..numerals import CN, FULL_DATE, full_date
from .context import Context

#: 文号: 济科协字〔2022〕22号, 鲁科协办发〔2022〕10 号 (brackets as typed in the wild).
DOC_NO = re.compile(r"[\u4e00-\u9fff]{1,12}\s*[〔\[［【(（]\s*\d{4}\s*[〕\]］】)）]\s*(?:第\s*)?\d{1,4}\s*号")
_TITLE = re.compile(r"^(?:[\u4e00-\u9fff]{2,24}?)?关于.{4,120}(通知|公告|通告|函|意见|办法|指南|方案)"
                    r"(?:[（(][^）)]{1,8}[)）])?$")
_TITLE_LOOSE = re.compile(r"(通知|公告|通告|申报指南)$")
_ORG_END = (r"(?:科学技术协会|科協|科协|科学技术局|科技局|委员会|委員會|办公室|辦公室|协会|協會|大学|大學|学院|學院"
            r"|局|厅|廳)")
_ORG_LINE = re.compile(rf"^[\u4e00-\u9fff（）()]{{2,40}}{_ORG_END}$")
_HEADER_ORG = re.compile(rf"^\s*([\u4e00-\u9fff]{{2,30}}{_ORG_END})\s*(?:文件|文\s*件)\s*$")
_ANY_ORG = (re.compile(r"[\u4e00-\u9fff]{2,8}?(?:省|市|县|区|自治区|旗)科学技术协会"),
            re.compile(r"[\u4e00-\u9fff]{2,8}?(?:省|市|县|区|自治区|旗)科协"))
_DATE_ONLY = re.compile(rf"^\s*(?:\d{{4}}|[{CN}]{{4}})\s*年\s*[\d{CN}]{{1,3}}\s*月\s*[\d{CN}]{{1,3}}\s*[日号]\s*$")
#: 落款 on one line: 济宁市科学技术协会  2022年11月8日.
_ORG_AND_DATE = re.compile(
    rf"^([\u4e00-\u9fff（）()]{{2,40}}{_ORG_END})\s+((?:\d{{4}}|[{CN}]{{4}})\s*年\s*[\d{CN}]{{1,3}}\s*月\s*[\d{CN}]{{1,3}}\s*[日号])\s*$")
_REGION = re.compile(r"^(.{2,10}?(?:省|自治区|特别行政区|市|自治州|州|盟|地区|县|区|旗|街道|镇|乡))")
#: Region suffix → level (models.Level); 自治区 and 地区 before 区.
_LEVEL_OF = (("省", "省"), ("自治区", "省"), ("地区", "市"), ("市", "市"), ("州", "市"), ("盟", "市"),
             ("县", "县"), ("旗", "县"), ("区", "区"), ("街道", "乡镇"), ("镇", "乡镇"), ("乡", "乡镇"))

#: A university's (or college's) 科协: its level is 高校 (models.Level).
_UNIVERSITY_KX = re.compile(r"(?:大学|大學|学院|學院)(?:科学技术协会|科學技術協會|科协|科協)$")


def _level(region: str) -> str | None:
    for suffix, level in _LEVEL_OF:
        if region.endswith(suffix):
            return level
    return None


def extract_header(ctx: Context) -> dict[str, Any]:
    """Title, doc_no, audience, issued and issuer, each with its finding.

    Parameters:
        ctx: The notice.

    Returns:
        Draft values: ``title``, ``doc_no``, ``audience``, ``issued``, ``issuer`` (any may be None).
    """
    f = ctx.findings
    body = ctx.body
    out: dict[str, Any] = {"title": None, "doc_no": None, "audience": [], "issued": None, "issuer": None}
    head = body[:25]

    # 文号: a paragraph that is (nearly) just the number; a number inside a sentence is one the
    # notice cites or forwards, never its own.
    for p in head:
        m = DOC_NO.search(p.text)
        if m and len(p.text) <= len(m.group()) + 12 and "转发" not in p.text and "《" not in p.text:
            out["doc_no"] = m.group().strip()
            f.found("doc_no", "文号", out["doc_no"], p.line)
            break
    else:
        cited = [p for p in body if DOC_NO.search(p.text)]
        note = "正文中的文号属于所引用或转发的文件，不是本通知的文号" if cited else ""
        f.missing("doc_no", "文号", note)

    title_at = -1
    for i, p in enumerate(head):
        if _TITLE.match(p.text):
            out["title"], title_at = p.text, i
            f.found("title", "通知标题", p.text, p.line)
            break
    else:
        for i, p in enumerate(head):
            if _TITLE_LOOSE.search(p.text) and len(p.text) <= 80 and not p.text.endswith("文件"):
                out["title"], title_at = p.text, i
                f.ambiguous("title", "通知标题", p.text, p.line, "未找到“关于……的通知”格式的标题，取此行，请核对")
                break
        else:
            first = next((p for p in head if len(p.text) >= 6 and not DOC_NO.search(p.text)), None)
            if first is not None:
                out["title"] = first.text
                f.ambiguous("title", "通知标题", first.text, first.line,
                            "未找到通知标题，暂取正文第一段，请改为通知标题")

    # 主送: the first short paragraph after the title that ends in a colon.
    for p in body[title_at + 1: title_at + 6] if title_at >= 0 else head[:8]:
        if p.text.endswith(("：", ":")) and len(p.text) <= 200 and not p.text.startswith(("附件", "联系")):
            text = p.text.rstrip("：:").strip()
            out["audience"] = [part.strip() for part in re.split(r"[，,]", text) if part.strip()]
            f.found("audience", "主送单位", text, p.line)
            break
    else:
        f.missing("audience", "主送单位")

    # 落款: the first paragraph of the body that is only a date, and the line above it.
    issued: dt.date | None = None
    for i, p in enumerate(body):
        if i <= title_at or not _DATE_ONLY.match(p.text):
            continue
        m = FULL_DATE.search(p.text)
        issued = full_date(m) if m else None
        if issued is None:
            continue
        out["issued"] = issued
        f.found("issued", "发文日期", issued.isoformat(), p.line, f"落款日期：{p.text.strip()}")
        above = body[i - 1].text if i > 0 else ""
        if _ORG_LINE.match(above):
            out["issuer"] = {"name": above}
            f.found("issuer.name", "发文单位", above, body[i - 1].line)
        break
    else:
        signed = next(((i, m) for i, p in enumerate(body)
                       if i > title_at and (m := _ORG_AND_DATE.match(p.text))), None)
        printed = next((p for p in ctx.paras if "印发" in p.text and FULL_DATE.search(p.text)), None)
        written = FULL_DATE.search(signed[1].group(2)) if signed is not None else None
        if signed is not None and written is not None and (date := full_date(written)) is not None:
            para = body[signed[0]]
            out["issued"] = date
            out["issuer"] = {"name": signed[1].group(1)}
            f.found("issued", "发文日期", date.isoformat(), para.line, f"落款：{para.text.strip()}")
            f.found("issuer.name", "发文单位", signed[1].group(1), para.line)
            printed = None
        m = FULL_DATE.search(printed.text) if printed else None
        printed_date = full_date(m) if m else None
        if out["issued"] is not None:
            pass
        elif printed is not None and printed_date is not None:
            out["issued"] = printed_date
            f.ambiguous("issued", "发文日期", printed_date.isoformat(), printed.line,
                        "未找到落款日期，取印发日期，请核对")
        else:
            f.missing("issued", "发文日期", "未找到落款日期")

    if out["issuer"] is None:
        for p in head:
            m = _HEADER_ORG.match(p.text)
            if m:
                out["issuer"] = {"name": m.group(1)}
                f.ambiguous("issuer.name", "发文单位", m.group(1), p.line, "未找到落款单位，取版头“……文件”中的机关名称")
                break
    if out["issuer"] is None:
        for pattern in _ANY_ORG:
            hit = next(((p, m) for p in ctx.paras if (m := pattern.search(p.text))), None)
            if hit:
                out["issuer"] = {"name": hit[1].group()}
                f.ambiguous("issuer.name", "发文单位", hit[1].group(), hit[0].line,
                            "未找到落款或版头，取文中第一个科协名称，请核对")
                break
    if out["issuer"] is None:
        f.missing("issuer.name", "发文单位", "未找到发文单位：请填写")
        return out
    name = out["issuer"]["name"]
    line = ctx.locate.line_of(name)
    if _UNIVERSITY_KX.search(name):
        # a university's 科协: level 高校, and no region to read from its name
        out["issuer"]["level"] = "高校"
        f.found("issuer.level", "层级", "高校", line, "发文单位是高校科协")
        return out
    m = _REGION.match(name)
    region = m.group(1) if m else None
    level = _level(region) if region else None
    if region:
        out["issuer"]["region"] = region
        f.found("issuer.region", "地区", region, line)
    else:
        f.missing("issuer.region", "地区", "发文单位名称中没有地区")
    if level:
        out["issuer"]["level"] = level
        f.found("issuer.level", "层级", level, line, f"由地区“{region}”推定")
    else:
        out["issuer"]["level"] = None
        f.missing("issuer.level", "层级", "无法从发文单位名称判断层级：请填写 省 / 市 / 县 / 区 / 乡镇 / 高校")
    return out
