"""Review steps (评审、公示) from the notice's procedure section."""

from __future__ import annotations

import re
from typing import Any

from ..normalise import MARKER
from .context import Context

_SECTION = re.compile(r"组织实施|申报程序|评审|工作程序|实施步骤|遴选程序|申报流程|工作流程")
_STAGE = re.compile(r"^(?:\d{1,2}\s*[.．、]"
    r""
        r"|[（(][一二三四五六七八九十\d]{1,2}[)）])\s*([^。，,：:]{2,12})[。：:]\s*(.+)$")
_PUBLICITY = re.compile(r"公示(?:期|时间)?(?:为|不少于|不低于)?\s*"
                        r"(\d{1,2}|[一二三四五六七八九十]{1,2})\s*(个)?(工作日|天|日)[^。]*")


def extract_process(ctx: Context) -> dict[str, Any]:
    """``process``: named numbered steps under a procedure heading, and the publicity period.

    Parameters:
        ctx: The notice.

    Returns:
        Draft ``process`` (``stages``, ``publicity``), empty when the notice names none.
    """
    from ..numerals import cn_int

    f = ctx.findings
    out: dict[str, Any] = {}
    stages: list[dict[str, Any]] = []
    inside = False
    for p in ctx.body:
        if re.match(r"^\s*[一二三四五六七八九十]+、", p.text):
            inside = bool(_SECTION.search(p.text))
            continue
        if inside:
            m = _STAGE.match(p.text.strip())
            if m:
                stages.append({"name": m.group(1).strip(), "description": m.group(2).strip()})
                f.found(f"process.stages[{len(stages) - 1}]", "评审步骤", m.group(1).strip(), p.line)
    if stages:
        out["stages"] = stages
    for p in ctx.paras:
        m = _PUBLICITY.search(p.text)
        if m:
            days = cn_int(m.group(1))
            text = MARKER.sub("", m.group(), count=1)
            out["publicity"] = {"days": days, "working_days": m.group(3) == "工作日",
                                "at_least": "不少于" in m.group() or "不低于" in m.group(), "text": text}
            f.found("process.publicity", "公示", text, p.line)
            break
    if not out:
        f.missing("process", "评审与公示", "未找到评审步骤或公示期")
    return out
