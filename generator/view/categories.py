"""Who takes part in each category, in which role, through whom, with which cap and
restriction (the *Applicants* rule)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..models import ApplicantType, Call, Category, LimitScope, Role
from .deadlines import DeadlineView
from .forms import FormView
from .quotas import QuotaView, cap_text

Kind = Literal["apply", "recommend", "via"]


@dataclass(frozen=True)
class Entry:
    """How one kind of unit takes part in one category.

    Attributes:
        applicant: The kind of unit.
        kind: ``apply`` (申报), ``recommend`` (推荐) or ``via`` (申报 through another unit).
        via: The unit it goes through (``via`` entries).
        within_quota: A ``via`` entry counts against the other unit's quota.
        only: The notice's restriction (本年度新成立的市级学会), when only some such units may.
        cap: The tightest per-unit quota binding it, if any.
        quotas: Every quota binding it (any scope).
    """

    applicant: ApplicantType
    kind: Kind
    via: ApplicantType | None = None
    within_quota: bool = False
    only: str | None = None
    cap: QuotaView | None = None
    quotas: tuple[QuotaView, ...] = ()

    @property
    def cell(self) -> str:
        """The finder matrix's cell: ✓ / 推荐 / 经市级科协, with the cap and restriction."""
        cap = cap_text(self.cap)
        if not cap and any(
            q.scope is LimitScope.PER_UNIT and q.max_count is None for q in self.quotas
        ):
            cap = "不限项数"
        if self.kind == "via":
            assert self.via is not None
            text = f"经{self.via.value}"
            if self.within_quota:
                text += f"（计入其限项{('：' + cap) if cap else ''}）"
            return text
        text = "✓" if self.kind == "apply" else "推荐"
        if cap:
            text += f"（{cap}）"
        if self.only:
            text += f" 仅限{self.only}"
        return text

    @property
    def notes(self) -> tuple[str, ...]:
        """What an applicant of this kind must know on this row, one phrase each."""
        out: list[str] = []
        if self.only:
            out.append(f"仅限{self.only}")
        if self.kind == "recommend":
            out.append("推荐，不是申报")
        if self.kind == "via":
            assert self.via is not None
            out.append(
                f"经{self.via.value}申报" + ("，计入其限项" if self.within_quota else "")
            )
        return tuple(out)


ApplicantsSource = Literal["category", "parent", "call", "children", "unknown"]


@dataclass(frozen=True)
class CategoryView:
    """One category with what an applicant needs to decide.

    Attributes:
        category: The model category (its quoted texts).
        path: Names from the top-level category down to this one.
        lineage: Ids of this category and its ancestors.
        depth: Nesting depth (0 for top level).
        leaf: True when one applies for it (it has no children).
        applicants: Who may apply, or ``None`` when the notice does not say.
        applicants_source: Where ``applicants`` come from: the category, its parent, the
            call, ``children`` (a group heading whose subcategories each say) or ``unknown``.
        entries: Every kind of unit taking part (apply, recommend, via), in enum order.
        deadlines: The deadlines that apply to it.
        quotas: The quotas that apply to it (any applicant).
        forms: The forms an applicant fills for it.
        exclusive: The notice's words on categories that may not be applied for together
            with this one (互不兼报), for this category or an ancestor.
    """

    category: Category
    path: tuple[str, ...]
    lineage: frozenset[str]
    depth: int
    leaf: bool
    applicants: tuple[ApplicantType, ...] | None
    applicants_source: ApplicantsSource
    entries: tuple[Entry, ...]
    deadlines: tuple[DeadlineView, ...]
    quotas: tuple[QuotaView, ...]
    forms: tuple[FormView, ...]
    exclusive: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return self.category.id

    @property
    def name(self) -> str:
        return self.category.name

    @property
    def applicants_known(self) -> bool:
        return self.applicants is not None

    @property
    def own_quotas(self) -> tuple[QuotaView, ...]:
        """The quotas that name this category or an ancestor (not the call-wide ones)."""
        return tuple(q for q in self.quotas if q.categories)

    def entry(self, applicant: ApplicantType) -> Entry | None:
        """The first entry of ``applicant`` (apply before recommend before via)."""
        for e in self.entries:
            if e.applicant is applicant:
                return e
        return None

    def types(self, *kinds: Kind) -> tuple[ApplicantType, ...]:
        """Applicant types with an entry of one of ``kinds`` (all kinds when none given)."""
        return tuple(e.applicant for e in self.entries if not kinds or e.kind in kinds)




def entries(
    call: Call,
    applicants: tuple[ApplicantType, ...] | None,
    only: str | None,
    lineage: set[str],
    quotas: tuple[QuotaView, ...],
) -> tuple[Entry, ...]:
    def bound(a: ApplicantType, role: Role) -> tuple[QuotaView, ...]:
        return tuple(q for q in quotas if q.binds(a, role, lineage))

    def cap(qs: tuple[QuotaView, ...]) -> QuotaView | None:
        caps = [q for q in qs if q.is_cap]
        return min(caps, key=lambda q: q.max_count or 0) if caps else None

    out: list[Entry] = []
    for a in applicants or ():
        qs = bound(a, Role.APPLY)
        out.append(Entry(a, "apply", only=only, cap=cap(qs), quotas=qs))
    if applicants is not None:
        for rec in call.eligibility.recommenders:
            for a in rec.recommenders:
                qs = bound(a, Role.RECOMMEND)
                out.append(Entry(a, "recommend", cap=cap(qs), quotas=qs))
        for ch in call.eligibility.channels:
            if ch.via not in applicants:
                continue
            qs = bound(ch.via, Role.APPLY) if ch.within_quota else ()
            for a in ch.applicants:
                if a in applicants:
                    continue
                out.append(Entry(a, "via", via=ch.via, within_quota=ch.within_quota,
                                 cap=cap(qs), quotas=qs))
    order = {a: i for i, a in enumerate(ApplicantType)}
    kinds = {"apply": 0, "recommend": 1, "via": 2}
    return tuple(sorted(out, key=lambda e: (order[e.applicant], kinds[e.kind])))
