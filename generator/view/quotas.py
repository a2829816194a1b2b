"""Quotas (限项) with what they count against, their role and qualifiers (the *Quotas* rule)."""

from __future__ import annotations

from dataclasses import dataclass

from ..models import ApplicantType, Limit, LimitScope, Role


@dataclass(frozen=True)
class QuotaView:
    """One quota (限项) as stated, with what it counts against.

    Attributes:
        text: The notice's words.
        max_count: The number, or None when the notice sets no number (不限).
        scope: What it counts against (per unit, per service point, …).
        role: 申报 or 推荐.
        qualifiers: The notice's qualifiers (原则上, 含县级科协项目).
        applicants: Who it binds (empty: every applicant of the role).
        categories: Category ids it applies to (empty: all).
        category_names: Their names.
        allocated_by: Who allocates or recommends the places, when stated.
        summary: One line: who, what, scope, number, qualifiers.
    """

    text: str
    max_count: int | None
    scope: LimitScope
    role: Role
    qualifiers: tuple[str, ...]
    applicants: tuple[ApplicantType, ...]
    categories: tuple[str, ...]
    category_names: tuple[str, ...]
    allocated_by: str | None
    summary: str

    @property
    def is_cap(self) -> bool:
        """A per-unit number: what one unit may submit."""
        return self.scope is LimitScope.PER_UNIT and self.max_count is not None

    def binds(self, applicant: ApplicantType, role: Role, lineage: set[str]) -> bool:
        """Does this quota bind ``applicant`` acting in ``role`` on a category of ``lineage``?"""
        return (
            self.role is role
            and (not self.applicants or applicant in self.applicants)
            and (not self.categories or bool(lineage & set(self.categories)))
        )


def _quota_summary(lim: Limit, names: tuple[str, ...]) -> str:
    verb = "推荐" if lim.role is Role.RECOMMEND else "申报"
    who = "、".join(a.value for a in lim.applicants)
    head = f"{'、'.join(names)}：" if names else ""
    if lim.max_count is None:
        body = "不限项数"
    elif lim.scope is LimitScope.PER_UNIT:
        body = f"每个单位最多{verb} {lim.max_count} 项"
    elif lim.scope is LimitScope.PER_POINT:
        body = f"在同一服务点上每个单位最多{verb} {lim.max_count} 项"
    elif lim.scope is LimitScope.PER_CATEGORY:
        body = f"每个类别最多{verb} {lim.max_count} 项"
    else:
        body = f"整个地区共{verb} {lim.max_count} 项"
        if lim.allocated_by:
            body += f"，由{lim.allocated_by}推荐" if lim.role is Role.RECOMMEND else f"，名额由{lim.allocated_by}分配"
    who_part = f"{who}：" if who else ""
    quals = f"（{'；'.join(lim.qualifiers)}）" if lim.qualifiers else ""
    return f"{head}{who_part}{body}{quals}"


def quota_view(lim: Limit, names: dict[str, str]) -> QuotaView:
    """The view of one quota (see the module's *Quotas* rule)."""
    cat_names = tuple(names.get(c, c) for c in lim.categories)
    return QuotaView(
        text=lim.text,
        max_count=lim.max_count,
        scope=lim.scope,
        role=lim.role,
        qualifiers=tuple(lim.qualifiers),
        applicants=tuple(lim.applicants),
        categories=tuple(lim.categories),
        category_names=cat_names,
        allocated_by=lim.allocated_by,
        summary=_quota_summary(lim, cat_names),
    )


def cap_text(cap: QuotaView | None) -> str:
    if cap is None or cap.max_count is None:
        return ""
    quals = [q for q in cap.qualifiers if q == "原则上"]
    rest = [q for q in cap.qualifiers if q != "原则上"]
    return f"{''.join(quals)}≤{cap.max_count}项" + "".join(f"，{q}" for q in rest)
