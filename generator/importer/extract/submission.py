"""How to hand in: methods, formats, paper copies, recipient, address, e-mails, late policy."""

from __future__ import annotations

import re
from typing import Any

from ..normalise import MARKER
from ..numerals import cn_int
from .contacts import EMAIL
from .context import Context

_SUBMIT = re.compile(r"报送|提交|发送至|发送到|报至|寄送|寄至|送至|上报|交至|报送地址|申报材料|填报"
                     r"|一式[^，。；]{1,4}份|前将[^，。；]{1,30}[送交报]")
#: A heading line (二、报送要求): names the topic, says nothing about it.
_HEADING = re.compile(r"^[^，,。；;：:]{1,12}$")
_COPIES = re.compile(r"一式\s*([\d一二两三四五六七八九十]{1,3})\s*份|([\d一二两三四五六七八九十]{1,3})\s*份纸质")
_RECIPIENT = re.compile(
    r"(?:报至|报送至|报送到|发送至|发送到|送至|寄至|交至|提交至|提交到|发至)\s*"
    r"([\u4e00-\u9fff]{2,16}?(?:部|处|科|室|办公室|中心|科协))(?=邮箱|[，,。；（(]|$)"
)
_ADDRESS = re.compile(r"(?:报送|邮寄|通讯)地\s*址\s*[:：]\s*([^，,；;。\n]{4,60})")
_FORMAT = re.compile(r"(PDF\s*格式|PDF\s*版|WORD\s*版|Word\s*版|word\s*版|电子版|纸质版|A4\s*纸[^，。；]{0,12})", re.I)
_LATE = re.compile(r"逾期[^，。；]{1,8}")


def extract_submission(ctx: Context) -> dict[str, Any]:
    """The ``submission`` block, from the body's hand-in sentences.

    Parameters:
        ctx: The notice.

    Returns:
        Draft ``submission`` (methods, formats, copies, paper, recipient, address, emails,
        late_policy, text).
    """
    f = ctx.findings
    paras = [p for p in ctx.body if not p.text.startswith("\t") and _SUBMIT.search(p.text)
             and not _HEADING.match(MARKER.sub("", p.text, count=1))]
    text = "".join(p.text for p in paras)
    out: dict[str, Any] = {}
    if not paras:
        f.missing("submission", "报送要求", "未找到报送方式")
        return out
    dated = re.compile(r"\d{1,2}\s*月\s*\d{1,2}\s*日[^，。；]{0,12}前")
    key = next((p for p in paras if dated.search(p.text) and _RECIPIENT.search(p.text)),
               next((p for p in paras if dated.search(p.text)), paras[0]))
    sentence = MARKER.sub("", key.text, count=1)
    out["text"] = sentence
    f.found("submission.text", "报送要求原文", sentence, key.line)
    methods: list[str] = []
    all_body = "".join(p.text for p in ctx.body)
    if EMAIL.search(text) or re.search(r"邮箱|电子邮件", text):
        methods.append("email")
    if re.search(r"(?<!不需要)(?<!无需)(?<!不需)(邮寄|寄送|寄至)", text):
        methods.append("post")
    if re.search(r"网上申报|系统申报|平台申报|在线申报|登录.{0,20}(系统|平台).{0,10}(申报|填报)", text):
        methods.append("online")
    if re.search(r"纸质", text) and not re.search(r"纸质版?(不需要|无需|不需|不用)|自行留存", text) \
            and "post" not in methods:
        methods.append("paper")
    if re.search(r"电子版", text) and not ({"email", "online"} & set(methods)):
        methods.append("electronic")
    if methods:
        out["methods"] = methods
        f.found("submission.methods", "报送方式", "、".join(methods), key.line, "由原文用词推定，请核对")
    else:
        f.missing("submission.methods", "报送方式")
    formats = list(dict.fromkeys(m.group(1) for m in _FORMAT.finditer(text)))
    if formats:
        out["formats"] = formats
    m = _COPIES.search(text)
    if m:
        out["copies"] = cn_int(m.group(1) or m.group(2))
        f.found("submission.copies", "纸质份数", m.group(), ctx.locate.line_of(m.group(), key.line))
    if re.search(r"纸质版?自行留存|纸质材料自行留存", text):
        out["paper"] = "keep"
    elif re.search(r"纸质版?(不需要|无需|不需|不用)(寄送|报送|提交)", text):
        out["paper"] = "not_required"
    elif m or re.search(r"纸质", text):
        out["paper"] = "submit"
    r = _RECIPIENT.search(text)
    if r:
        out["recipient"] = r.group(1)
        f.found("submission.recipient", "接收部门", r.group(1), ctx.locate.line_of(r.group(1), key.line))
    else:
        f.missing("submission.recipient", "接收部门")
    a = _ADDRESS.search(all_body)
    if a:
        out["address"] = a.group(1).strip()
        f.found("submission.address", "报送地址", out["address"], ctx.locate.line_of(out["address"]))
    emails = list(dict.fromkeys(EMAIL.findall(all_body)))
    if emails:
        out["emails"] = emails
        f.found("submission.emails", "报送邮箱", "、".join(emails), ctx.locate.line_of(emails[0]))
    late = _LATE.search(text)
    if late:
        out["late_policy"] = late.group()
    return out
