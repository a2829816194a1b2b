"""Who may apply (applicant types from the notice's own words) and how many each may submit."""

from __future__ import annotations

import re
from typing import Any

from ..normalise import MARKER
from ..numerals import cn_int
from .context import Context

#: Words of a notice → applicant type (value of models.ApplicantType).
APPLICANT_WORDS: tuple[tuple[str, str], ...] = (
    (r"省级学会|省级學會", "省级学会"),
    (r"市级学会|市级學會|市属学会", "市级学会"),
    (r"学会联合体", "学会联合体"),
    (r"学会服务站", "学会服务站"),
    (r"高校科协|高校、企事业科协|高校科協|高等院校科协", "高校科协"),
    (r"企事业科协|企业科协|企事業科協", "企事业科协"),
    (r"各市科协|市级科协|设区市科协", "市级科协"),
    (r"县（市、区）科协|县级科协|县市区科协|县\(市、区\)科协|縣級科協|各县区科协", "县级科协"),
    (r"乡镇（街道）科协|街道科协|乡镇科协|各街道|各乡镇", "街道/乡镇"),
    (r"各社区|社区科协", "社区"),
    (r"科技局", "科技局"),
    (r"中小学|各学校|学校科协", "学校"),
    (r"医疗卫生机构|医院", "医疗卫生机构"),
    (r"科普基地|科普教育基地", "科普基地"),
    (r"科研机构|研究院所|科研院所", "科研机构"),
    (r"社会媒体|新闻媒体", "社会媒体"),
    (r"领导小组成员单位", "领导小组成员单位"),
    (r"志愿服务队", "科普志愿服务队"),
    (r"农技协|农村专业技术协会|農村專業技術協會", "农技协"),
    (r"机关各部室|直属单位", "机关部室和直属单位"),
    (r"各有关单位|有关单位", "其他有关单位"),
)
_WHO = re.compile(r"(申报单位|申报主体|申报对象|申报范围|申请单位|申報單位|申報主體)(为|是|須是|须是|[:：])")
_LIMIT = re.compile(
    r"[^，。；]*(?:每个|每家|各)[^，。；]{0,8}(?:单位|学会|科协|部室)[^，。；]{0,10}?"
    r"(?:限报|限申报|最多|不超过|不得超过|原则上可?申报|只能申报)\s*([\d一二两三四五六七八九十]{1,3})\s*(?:个|项|名|人)"
    r"[^，。；]*"
)
#: 市级科协原则上申报不超过 3 个品牌项目 (a kind of unit, then its quota).
_KIND_LIMIT = re.compile(
    r"[^，。；]*(?:学会|科协|单位|部室)[^，。；每各]{0,4}?(?:原则上|限报|最多)[^，。；]{0,8}?([\d一二两三四五六七八九十]{1,3})"
    r"\s*(?:个|项|名)[^，。；]*"
)
#: A quota for a whole area: 全区推荐不超过15名.
_AREA_LIMIT = re.compile(
    r"[^，。；]*全(?:省|市|县|区|镇|校)[^，。；]{0,10}?(?:限报|最多|不超过|不得超过|共)\s*([\d一二两三四五六七八九十]{1,3})"
    r"\s*(?:个|项|名|人)[^，。；]*"
)
_NO_LIMIT = re.compile(r"[^，。；]*(?:数量|项数)不(?:作|做|设)?限制[^，。；]*|[^，。；]*申报数量不限[^，。；]*")


def applicant_types(text: str) -> list[str]:
    """Applicant types named in ``text``, in the model's order."""
    return [kind for pattern, kind in APPLICANT_WORDS if re.search(pattern, text)]


def extract_eligibility(ctx: Context, audience_text: str | None) -> dict[str, Any]:
    """``eligibility``: applicants, the sentence naming them, limits per unit.

    Parameters:
        ctx: The notice.
        audience_text: The 主送 line, used when no sentence names the applicants.

    Returns:
        Draft ``eligibility``.
    """
    f = ctx.findings
    out: dict[str, Any] = {}
    who = next((p for p in ctx.body if _WHO.search(p.text) and not p.text.startswith("\t")), None)
    if who is not None:
        sentence = MARKER.sub("", who.text, count=1).split("。")[0]
        out["text"] = sentence
        kinds = applicant_types(sentence)
        f.found("eligibility.text", "申报主体原文", sentence, who.line)
    elif audience_text:
        kinds = applicant_types(audience_text)
        out["text"] = audience_text
        f.ambiguous("eligibility.text", "申报主体原文", audience_text, ctx.locate.line_of(audience_text),
                    "没有写明申报单位的句子，取主送单位，请核对")
    else:
        kinds = []
        f.missing("eligibility.text", "申报主体")
    if kinds:
        out["applicants"] = kinds
        f.found("eligibility.applicants", "申报主体", "、".join(kinds), who.line if who else None,
                "由原文用词归类，请核对")
    limits: list[dict[str, Any]] = []
    for p in ctx.paras:
        if p.text.startswith("\t"):
            continue
        taken: list[tuple[int, int]] = []
        for pattern, scope in ((_AREA_LIMIT, "整个地区"), (_LIMIT, None), (_KIND_LIMIT, None)):
            for m in pattern.finditer(p.text):
                if any(a < m.end() and m.start() < b for a, b in taken):
                    continue
                taken.append((m.start(), m.end()))
                quote = MARKER.sub("", m.group().strip(), count=1)
                limit: dict[str, Any] = {"max_count": cn_int(m.group(1)), "text": quote}
                if scope:
                    limit["scope"] = scope
                if "推荐" in quote:
                    limit["role"] = "推荐"
                if "原则上" in quote:
                    limit["qualifiers"] = ["原则上"]
                limits.append(limit)
                f.found(f"eligibility.limits[{len(limits) - 1}]", "限项", quote, p.line)
        for m in _NO_LIMIT.finditer(p.text):
            quote = MARKER.sub("", m.group().strip(), count=1)
            limits.append({"max_count": None, "text": quote})
            f.found(f"eligibility.limits[{len(limits) - 1}]", "限项", quote, p.line)
    if limits:
        out["limits"] = limits
    else:
        f.missing("eligibility.limits", "限项", "未找到每个单位可申报的项数")
    return out
