"""The ways to submit, in the notice's order, each with its details (the *Submission* rule)."""

from __future__ import annotations

from dataclasses import dataclass

from ..models import Call

METHOD_LABELS: dict[str, str] = {
    "email": "电子邮件",
    "post": "邮寄",
    "in_person": "现场报送",
    "online": "网上申报",
    "paper": "纸质材料",
    "electronic": "电子版",
}
PAPER_LABELS: dict[str, str] = {
    "submit": "需报送纸质版",
    "keep": "纸质版自行留存",
    "not_required": "不需要寄送纸质版",
}


@dataclass(frozen=True)
class SubmissionWay:
    """One way the notice requires materials to be submitted.

    Attributes:
        method: ``email``, ``post``, ``in_person``, ``online``, ``paper`` or ``electronic``.
        label: Its Chinese name.
        details: What goes with it (copies, recipient, address, e-mail addresses), as
            short phrases; a missing fact is said to be unknown.
        emails: E-mail addresses (for ``email``).
    """

    method: str
    label: str
    details: tuple[str, ...]
    emails: tuple[str, ...] = ()

    @property
    def summary(self) -> str:
        """``label（detail；detail）`` on one line."""
        return self.label + (f"（{'；'.join(self.details)}）" if self.details else "")


def submission_ways(call: Call) -> tuple[SubmissionWay, ...]:
    """Every way to submit, in the data's (the notice's) order (the *Submission* rule)."""
    s = call.submission
    to = f"报至{s.recipient}" if s.recipient else "接收部门原文未载明"
    where = (f"地址：{s.address}",) if s.address else ()
    copies = (f"{s.copies} 份",) if s.copies is not None else ("份数原文未载明",)
    ways: list[SubmissionWay] = []
    for method in s.methods:
        label = METHOD_LABELS[method]
        if method == "email":
            if len(s.emails) == 1:
                details: tuple[str, ...] = (f"发送至 {s.emails[0]}",)
            elif s.emails:
                details = (f"共 {len(s.emails)} 个报送邮箱",)
            else:
                details = ("邮箱原文未载明",)
            ways.append(SubmissionWay(method, label, details, tuple(s.emails)))
        elif method in ("paper", "post", "in_person"):
            ways.append(SubmissionWay(method, label, (*copies, to, *where)))
        elif method == "electronic":
            ways.append(SubmissionWay(method, label, ("报送途径原文未载明",)))
        else:
            ways.append(SubmissionWay(method, label, ()))
    return tuple(ways)
