"""The one derived view of a call that every surface shows (package ``generator.view``).

:func:`call_view` computes, once per call and build date, every fact a reader sees in a
summary: the deadlines with their labels and how their year is known, the ways to
submit in the notice's order, the quotas with their scope and qualifiers, who may apply
for each category (and in what role, through whom, with what restriction), what an
applicant counts (categories one can apply for, forms one must fill) and the area the
call addresses. Home cards, the 申报通知 list, the call page, the comparison, the finder,
the guideline PDF, ``api/calls.json``, ``api/calls.csv``, the calendar and the feed read
this view; none of them derives a fact on its own.

Rules (each written once, here):

* **Deadlines.** Each deadline keeps its label. A date whose year was inferred from the
  issue date says so; a month and day without a year is shown as written
  (5月30日（年份未载明）) and stays out of the calendar. The headline deadline is the next
  coming one (else the last one); the others are counted, never dropped.
* **Submission.** One way per method in the data's order (the notice's order), each with
  its own details (copies and recipient for paper, addresses for e-mail).
* **Quotas.** A quota has a scope (per unit, per service point, per category, for a whole
  area), a role (申报 / 推荐) and qualifiers (原则上, 含县级科协项目). The cap shown for an
  applicant is the tightest per-unit quota of its role; a per-point quota is never a cap.
* **Applicants.** A category's applicants are its own list, else its nearest ancestor's,
  else the call's; when none of them states applicants they are unknown. Recommenders
  (推荐) and channels (县级科协 through 市级科协's quota) are entries of their own kind.
* **Counts.** Categories are the leaves (what one applies for), not group headings. Forms
  are the forms an applicant fills: attached forms and required forms the notice does not
  attach; indicator tables and how-to guides are not forms.
* **Region.** A call addresses the units in its issuer's area: its region path is the
  issuer's ``within`` list followed by its ``region``; a unit sees a call when the call's
  path is a prefix of the unit's path.

Each rule lives in its own module (``deadlines``, ``submission``, ``quotas``, ``categories``,
``forms``, ``region``); this package puts them together in :func:`call_view`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..models import UNKNOWN, ApplicantType, Call, Category, iter_categories
from .categories import ApplicantsSource, CategoryView, Entry, Kind, entries
from .deadlines import (
    STATUS_LABELS,
    CallStatus,
    DeadlineView,
    Status,
    call_status,
    countdown_text,
    deadline_view,
    earliest,
    zh_date,
)
from .forms import FormView, applicant_forms
from .quotas import QuotaView, quota_view
from .region import RegionOption, reaches, region_key, region_options, region_path
from .submission import METHOD_LABELS, PAPER_LABELS, SubmissionWay, submission_ways

__all__ = [
    "LEVEL_LABELS", "METHOD_LABELS", "PAPER_LABELS", "STATUS_LABELS",
    "ApplicantsSource", "CallStatus", "CallView", "CategoryView", "DeadlineView", "Entry",
    "FormView", "Kind", "QuotaView", "RegionOption", "Status", "SubmissionWay",
    "applicant_columns", "call_view", "countdown_text", "earliest", "reaches",
    "region_options", "sort_key", "zh_date",
]

LEVEL_LABELS: dict[str, str] = {
    "省": "省级", "市": "市级", "县": "县级", "区": "区级", "乡镇": "乡镇级",
}


# --------------------------------------------------------------------------- the call view


@dataclass(frozen=True)
class CallView:
    """Everything a summary of one call shows, derived once from the model.

    Attributes:
        call: The model (for quoted texts shown as they are).
        today: The build date (None: no status, e.g. for the guideline PDF).
        status: Status on ``today`` (None without a build date).
        deadlines: Every deadline, in the data's order.
        level_label: 省级 / 市级 / 县级 / 区级 / 乡镇级.
        region: The area the call addresses (:func:`generator.view.region.region_path`).
        applicants: The call's stated applicants (申报主体), or, when the call states none,
            the union of its categories' stated applicants.
        applicants_by_category: True when the call itself states no applicants.
        unknown_categories: Leaf categories whose applicants the notice does not state.
        recommenders: Units that recommend (推荐) rather than apply.
        channels: Entries of units applying through another unit.
        categories: Every category, depth first.
        quotas: Every quota.
        submission: The ways to submit, in the notice's order.
        forms: The forms an applicant fills (attached and not attached).
    """

    call: Call
    today: dt.date | None
    status: CallStatus | None
    deadlines: tuple[DeadlineView, ...]
    level_label: str
    region: tuple[str, ...]
    applicants: tuple[ApplicantType, ...]
    applicants_by_category: bool
    unknown_categories: tuple[CategoryView, ...]
    recommenders: tuple[ApplicantType, ...]
    channels: tuple[Entry, ...]
    categories: tuple[CategoryView, ...]
    quotas: tuple[QuotaView, ...]
    submission: tuple[SubmissionWay, ...]
    forms: tuple[FormView, ...]
    _by_id: dict[str, CategoryView] = field(default_factory=dict, repr=False, compare=False)

    @property
    def id(self) -> str:
        return self.call.id

    @property
    def leaves(self) -> tuple[CategoryView, ...]:
        """The categories one applies for (not group headings)."""
        return tuple(c for c in self.categories if c.leaf)

    @property
    def category_count(self) -> int:
        return len(self.leaves)

    @property
    def form_count(self) -> int:
        return len(self.forms)

    @property
    def unattached_forms(self) -> tuple[FormView, ...]:
        return tuple(f for f in self.forms if not f.attached)

    @property
    def route_line(self) -> str | None:
        """Who submits to whom, e.g. 社区 →（申报）街道/镇 →（推荐）区科协; None when direct."""
        route = self.call.submission.route
        if not route:
            return None
        parts = [route[0].by]
        for step in route:
            parts.append(f"→（{step.action.value}）{step.to}")
        return " ".join(parts)

    @property
    def submission_line(self) -> str:
        """The ways to submit on one line, with the route (cards, CSV)."""
        ways = "；".join(w.summary for w in self.submission) or UNKNOWN
        return f"{ways}；报送路径：{self.route_line}" if self.route_line else ways

    @property
    def form_count_notes(self) -> tuple[str, ...]:
        """What the form count includes that a reader would not assume: recommendation forms
        (filled by recommenders, not applicants) and forms the notice does not attach."""
        out = []
        rec = sum(1 for f in self.forms if f.kind == "recommendation")
        if rec:
            out.append(f"其中推荐表 {rec} 份")
        if self.unattached_forms:
            out.append(f"其中 {len(self.unattached_forms)} 份原文未附")
        return tuple(out)

    @property
    def headline(self) -> DeadlineView | None:
        """The deadline a one-line summary leads with: the status's, else the first."""
        if self.status is not None and self.status.deadline is not None:
            return self.status.deadline
        return self.deadlines[0] if self.deadlines else None

    @property
    def other_deadlines(self) -> int:
        """How many deadlines besides :attr:`headline` (never dropped: said as 另有 N 个)."""
        return max(len(self.deadlines) - 1, 0)

    @property
    def region_key(self) -> str:
        return region_key(self.region)

    @property
    def types(self) -> tuple[ApplicantType, ...]:
        """Every applicant type with an entry in some category (or the call), enum order."""
        used = {e.applicant for c in self.rows for e in c.entries}
        return tuple(a for a in ApplicantType if a in used)

    @property
    def rows(self) -> tuple[CategoryView, ...]:
        """The finder's rows: the leaves, or one row for a call without categories."""
        return self.leaves if self.categories else (self._whole,)

    @property
    def _whole(self) -> CategoryView:
        return self._by_id[""]

    def category(self, category_id: str) -> CategoryView:
        return self._by_id[category_id]

    def leaf_count(self, category_id: str) -> int:
        """How many categories one applies for lie under ``category_id`` (itself if a leaf)."""
        return sum(1 for c in self.leaves if category_id in c.lineage)

    def deadlines_for(self, category_id: str) -> tuple[DeadlineView, ...]:
        return self._by_id[category_id].deadlines

    @property
    def extra_applicants(self) -> tuple[ApplicantType, ...]:
        """Applicants some categories name besides the call's own 申报主体 (e.g. 学会联合体)."""
        if self.applicants_by_category:
            return ()
        used = {a for c in self.leaves for a in c.types("apply")}
        return tuple(a for a in ApplicantType if a in used and a not in self.applicants)

    @property
    def unknown_groups(self) -> tuple[str, ...]:
        """The categories whose applicants are unknown, named briefly: a top-level category
        all of whose leaves are unknown is named once, with how many they are."""
        out: list[str] = []
        seen: set[str] = set()
        for c in self.unknown_categories:
            top = c.path[0]
            if top in seen:
                continue
            under = [x for x in self.leaves if x.path[0] == top]
            if len(under) > 1 and all(x.applicants is None for x in under):
                out.append(f"{top}（全部 {len(under)} 类）")
                seen.add(top)
            else:
                out.append(c.name)
        return tuple(out)

    @property
    def applicants_line(self) -> str:
        """申报主体 on one line, with roles, channels and unknowns said (cards, CSV, feed)."""
        parts: list[str] = []
        if self.applicants:
            names = "、".join(a.value for a in self.applicants)
            parts.append(f"{names}（按类别）" if self.applicants_by_category else names)
        if self.extra_applicants:
            parts.append("部分类别另列：" + "、".join(a.value for a in self.extra_applicants))
        if self.unknown_categories:
            parts.append("、".join(self.unknown_groups) + "：申报主体" + UNKNOWN)
        if self.recommenders:
            parts.append("推荐：" + "、".join(a.value for a in self.recommenders))
        for e in self.channels:
            parts.append(f"{e.applicant.value}经{e.via.value if e.via else ''}申报"
                         + ("（计入其限项）" if e.within_quota else ""))
        return "；".join(parts) if parts else UNKNOWN




def call_view(call: Call, today: dt.date | None = None) -> CallView:
    """The one view of ``call`` that every surface shows.

    Parameters:
        call: A validated call.
        today: The build date; ``None`` leaves out status and countdown (surfaces that do
            not depend on the date, such as the guideline PDF).

    Returns:
        The derived view (see the module docstring for the rules).
    """
    names = {c.id: c.name for c in call.all_categories()}
    deadlines = tuple(
        deadline_view(d, i, names, today) for i, d in enumerate(call.deadlines)
    )
    quotas = tuple(quota_view(lim, names) for lim in call.eligibility.limits)
    forms = applicant_forms(call)
    top = tuple(call.eligibility.applicants) or None

    def applies(ids: list[str] | tuple[str, ...], lineage: set[str]) -> bool:
        return not ids or bool(lineage & set(ids))

    views: list[CategoryView] = []

    def make(cat: Category | None, path: tuple[str, ...], lineage: set[str], depth: int,
             applicants: tuple[ApplicantType, ...] | None, source: ApplicantsSource,
             leaf: bool) -> CategoryView:
        only = cat.applicants_only if cat is not None else None
        cat_forms = tuple(
            f for f in forms
            if (f.attached and cat is not None and f.id in cat.forms)
            or (not f.attached and (not f.categories or applies(f.categories, lineage)))
            or (cat is None and f.attached)
        )
        return CategoryView(
            category=cat if cat is not None else Category(id="whole", name=call.title),
            path=path,
            lineage=frozenset(lineage),
            depth=depth,
            leaf=leaf,
            applicants=applicants,
            applicants_source=source,
            entries=entries(call, applicants, only, lineage, quotas),
            deadlines=tuple(d for d in deadlines if applies(d.categories, lineage)),
            quotas=tuple(q for q in quotas if applies(q.categories, lineage)),
            forms=cat_forms,
            exclusive=tuple(
                ex.text for ex in call.eligibility.exclusive if lineage & set(ex.categories)
            ),
        )

    def walk(cats: list[Category], inherited: tuple[ApplicantType, ...] | None,
             inherited_source: ApplicantsSource, path: tuple[str, ...],
             lineage: set[str], depth: int) -> None:
        for c in cats:
            if c.applicants:
                applicants: tuple[ApplicantType, ...] | None = tuple(c.applicants)
                source: ApplicantsSource = "category"
            else:
                applicants, source = inherited, inherited_source
                if applicants is None and any(x.applicants for x in iter_categories(c.children)):
                    source = "children"
            here = lineage | {c.id}
            views.append(make(c, (*path, c.name), here, depth, applicants, source,
                              not c.children))
            walk(c.children, applicants,
                 "parent" if source == "category" else "unknown" if source == "children" else source,
                 (*path, c.name), here, depth + 1)

    walk(call.categories, top, "call" if top else "unknown", (), set(), 0)
    by_id = {v.id: v for v in views}
    by_id[""] = make(None, (), set(), 0, top, "call" if top else "unknown", True)

    leaves = [v for v in views if v.leaf] or [by_id[""]]
    if top:
        applicants = top
        by_category = False
    else:
        used = {a for v in leaves for a in (v.applicants or ())}
        applicants = tuple(a for a in ApplicantType if a in used)
        by_category = True
    unknown = tuple(v for v in leaves if v.applicants is None and v.category.id != "whole")
    recommenders = tuple(
        dict.fromkeys(a for rec in call.eligibility.recommenders for a in rec.recommenders)
    )
    channels = tuple(
        e for e in by_id[""].entries if e.kind == "via"
    ) if top else ()
    return CallView(
        call=call,
        today=today,
        status=call_status(deadlines, today) if today is not None else None,
        deadlines=deadlines,
        level_label=LEVEL_LABELS[call.issuer.level.value],
        region=region_path(call),
        applicants=applicants,
        applicants_by_category=by_category,
        unknown_categories=unknown,
        recommenders=recommenders,
        channels=channels,
        categories=tuple(views),
        quotas=quotas,
        submission=submission_ways(call),
        forms=forms,
        _by_id=by_id,
    )


def sort_key(view: CallView) -> tuple[int, int, str]:
    """Order of cards: open calls first (soonest deadline first), then unknown, then closed
    (most recently closed first); ties by call id."""
    status = view.status
    assert status is not None, "sort_key needs a view with a build date"
    rank = {"open": 0, "unknown": 1, "closed": 2}[status.status]
    days = status.days_left if status.days_left is not None else 0
    return (rank, days if status.status == "open" else -days, view.id)


def applicant_columns(views: list[CallView]) -> list[ApplicantType]:
    """The applicant types that take part in any call, in the order of :class:`ApplicantType`."""
    used = {a for v in views for a in v.types}
    return [a for a in ApplicantType if a in used]
