"""The review report the command prints: each field found (with its line), not found, or ambiguous."""

from __future__ import annotations

from .findings import Findings

_MARK = {"found": "✓ 找到", "ambiguous": "? 待核对", "not_found": "✗ 未找到"}


def _short(value: object, width: int = 40) -> str:
    text = str(value).replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


def format_report(findings: Findings, call_id: str) -> str:
    """The report as text: problems first, then what was found.

    Parameters:
        findings: The import's findings.
        call_id: The call's id (for the file names shown).

    Returns:
        Text with one line per field, ending in a summary count.
    """
    rows = sorted(findings.items, key=lambda f: {"not_found": 0, "ambiguous": 1, "found": 2}[f.status])
    out = [f"导入报告 / import report：data/calls/{call_id}.yaml（原文 data/sources/{call_id}.txt）", ""]
    for f in rows:
        where = f"第 {f.line} 行" if f.line else "—"
        value = _short(f.value) if f.value is not None else ""
        note = f"  {f.note}" if f.note else ""
        out.append(f"{_MARK[f.status]:<6} {f.label}（{f.field}）  {where}  {value}{note}".rstrip())
    counts = {k: sum(1 for f in findings.items if f.status == k) for k in _MARK}
    out += ["", f"找到 {counts['found']} 项，待核对 {counts['ambiguous']} 项，未找到 {counts['not_found']} 项"
            f" / {counts['found']} found, {counts['ambiguous']} to check, {counts['not_found']} not found."]
    return "\n".join(out)
