"""The one derived view of a call that every surface shows.

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
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

from .models import (
    UNKNOWN,
    ApplicantType,
    Call,
    Category,
    Deadline,
    Form,
    InputArea,
    Limit,
    LimitScope,
    Role,
    Table,
    category_places,
    iter_categories,
)

Status = Literal["open", "closed", "unknown"]

STATUS_LABELS: dict[str, str] = {
    "open": "征集中",
    "closed": "已截止",
    "unknown": "截止日期未载明",
}
#: Status of a call whose deadline gives month and day but no year (nor an issue date to infer it).
YEAR_UNKNOWN_LABEL = "截止年份未载明"
LEVEL_LABELS: dict[str, str] = {
    "省": "省级", "市": "市级", "县": "县级", "区": "区级", "乡镇": "乡镇级", "高校": "高校",
}
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
YEAR_INFERRED_NOTE = "年份据发文日期推定"
YEAR_UNKNOWN_NOTE = "年份未载明"
REGION_SEP = "/"


# --------------------------------------------------------------------------- dates


def zh_date(value: dt.date | None) -> str:
    """A date as 2022年3月31日; 原文未载明 for ``None``."""
    if value is None:
        return UNKNOWN
    return f"{value.year}年{value.month}月{value.day}日"


def countdown_text(days_left: int | None) -> str:
    """还剩 N 天, 今天截止, N 天前, or 截止日期未载明 (the browser script says the same).

    A passed deadline reads "N 天前": it follows the 已截止 badge, which is not said twice.
    """
    if days_left is None:
        return STATUS_LABELS["unknown"]
    if days_left > 0:
        return f"还剩 {days_left} 天"
    if days_left == 0:
        return "今天截止"
    return f"{-days_left} 天前"


@dataclass(frozen=True)
class DeadlineView:
    """One deadline as every surface shows it.

    Attributes:
        index: Position in ``call.deadlines`` (calendar UIDs count every deadline).
        label: The deadline's label (编者).
        date: The full date, when known (its year may be inferred).
        month, day: Month and day when the notice gives no year that can be inferred.
        year_inferred: The year of ``date`` was inferred from the issue date.
        text: The notice's words, when quoted.
        categories: Ids of the categories it applies to (empty: all).
        category_names: Their names.
        display: The date as shown: 2022年11月30日（年份据发文日期推定）, 5月30日（年份未载明）…
        note: 年份据发文日期推定 / 年份未载明 / None.
        status: ``open`` / ``closed`` / ``unknown`` on the build date (None without one).
        calendar_note: Why the deadline is not in the calendar (None when it is).
    """

    index: int
    label: str
    date: dt.date | None
    month: int | None
    day: int | None
    year_inferred: bool
    text: str | None
    categories: tuple[str, ...]
    category_names: tuple[str, ...]
    display: str
    note: str | None
    status: Status | None
    calendar_note: str | None

    @property
    def in_calendar(self) -> bool:
        return self.date is not None

    @property
    def iso(self) -> str:
        """ISO date, or ``--MM-DD`` for a month and day without a year, or ``""``."""
        if self.date is not None:
            return self.date.isoformat()
        if self.month is not None and self.day is not None:
            return f"--{self.month:02d}-{self.day:02d}"
        return ""

    @property
    def line(self) -> str:
        """``label：display`` on one line (cards, CSV, feed)."""
        return f"{self.label}：{self.display}"

    @property
    def year_source(self) -> Literal["stated", "inferred", "unknown", "none"]:
        """How the year is known: stated, inferred (from the issue date), unknown (month and
        day only) or none (no date at all)."""
        if self.date is not None:
            return "inferred" if self.year_inferred else "stated"
        return "unknown" if self.month is not None else "none"


def earliest(deadlines: tuple[DeadlineView, ...]) -> DeadlineView | None:
    """The earliest deadline with a full date, else the first with a month and day, else None
    (the one deadline a single-value column such as the CSV's ``deadline`` shows)."""
    dated = [d for d in deadlines if d.date is not None]
    if dated:
        return min(dated, key=lambda d: (d.date or dt.date.max, d.index))
    return next((d for d in deadlines if d.month is not None), None)


def _deadline_view(
    deadline: Deadline, index: int, names: dict[str, str], today: dt.date | None
) -> DeadlineView:
    """The view of one deadline (see the module's *Deadlines* rule)."""
    if deadline.date is not None:
        note = YEAR_INFERRED_NOTE if deadline.year_inferred else None
        display = zh_date(deadline.date) + (f"（{note}）" if note else "")
        calendar_note = None
    elif deadline.month is not None and deadline.day is not None:
        note = YEAR_UNKNOWN_NOTE
        display = f"{deadline.month}月{deadline.day}日（{note}）"
        calendar_note = "原文只写了月日，年份无法确定，未加入日历"
    else:
        note = None
        display = UNKNOWN
        calendar_note = "原文未载明截止日期，未加入日历"
    status: Status | None = None
    if today is not None:
        status = "unknown" if deadline.date is None else "open" if deadline.date >= today else "closed"
    return DeadlineView(
        index=index,
        label=deadline.label,
        date=deadline.date,
        month=deadline.month,
        day=deadline.day,
        year_inferred=deadline.year_inferred,
        text=deadline.text,
        categories=tuple(deadline.categories),
        category_names=tuple(names.get(c, c) for c in deadline.categories),
        display=display,
        note=note,
        status=status,
        calendar_note=calendar_note,
    )


@dataclass(frozen=True)
class CallStatus:
    """Where a call stands on the build date.

    Attributes:
        status: ``open`` (a dated deadline is today or later), ``closed`` (every dated
            deadline has passed) or ``unknown`` (no deadline has a full date).
        label: 征集中 / 已截止 / 截止日期未载明.
        deadline: The deadline the countdown refers to: the nearest coming one when open,
            the last one when closed, ``None`` when unknown.
        days_left: Days from the build date to ``deadline.date`` (negative when past).
    """

    status: Status
    label: str
    deadline: DeadlineView | None
    days_left: int | None

    @property
    def countdown(self) -> str:
        return countdown_text(self.days_left)


def _status(deadlines: tuple[DeadlineView, ...], today: dt.date) -> CallStatus:
    dated = [d for d in deadlines if d.date is not None]
    if not dated:
        # 5月30日 with no year stated: the deadline is known, only its year is not
        if any(d.month is not None for d in deadlines):
            return CallStatus("unknown", YEAR_UNKNOWN_LABEL, None, None)
        return CallStatus("unknown", STATUS_LABELS["unknown"], None, None)
    coming = sorted((d for d in dated if d.date is not None and d.date >= today),
                    key=lambda d: (d.date, d.index))
    if coming:
        nearest = coming[0]
        assert nearest.date is not None
        return CallStatus("open", STATUS_LABELS["open"], nearest, (nearest.date - today).days)
    last = max(dated, key=lambda d: (d.date, d.index))
    assert last.date is not None
    return CallStatus("closed", STATUS_LABELS["closed"], last, (last.date - today).days)


# --------------------------------------------------------------------------- submission


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


def _submission_ways(call: Call) -> tuple[SubmissionWay, ...]:
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


# --------------------------------------------------------------------------- quotas


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


def _quota_view(lim: Limit, names: dict[str, str]) -> QuotaView:
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


def _cap_text(cap: QuotaView | None) -> str:
    if cap is None or cap.max_count is None:
        return ""
    quals = [q for q in cap.qualifiers if q == "原则上"]
    rest = [q for q in cap.qualifiers if q != "原则上"]
    return f"{''.join(quals)}≤{cap.max_count}项" + "".join(f"，{q}" for q in rest)


# --------------------------------------------------------------------------- applicants


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
        cap = _cap_text(self.cap)
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
        parent: Id of the category above it (None at the top level).
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
    parent: str | None
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


# --------------------------------------------------------------------------- forms


@dataclass(frozen=True)
class FormView:
    """A form an applicant fills.

    Attributes:
        id: The form's id (``None`` for a form the notice does not attach).
        title: Its title.
        attachment: 附件号, when it has one.
        attached: The notice attaches it (downloadable here).
        obtain: Where the notice says to get a form it does not attach.
        kind: application / recommendation / case.
        categories: Ids of the categories that use it (empty: not tied to categories).
        note: Editorial note.
    """

    id: str | None
    title: str
    attachment: str | None
    attached: bool
    obtain: str | None
    kind: str
    categories: tuple[str, ...]
    note: str | None

    @property
    def label(self) -> str:
        base = f"{self.attachment} {self.title}" if self.attachment else self.title
        if self.attached:
            return base
        return f"{base}（原文未附{('；' + self.obtain) if self.obtain else '，获取方式原文未载明'}）"


def _applicant_forms(call: Call) -> tuple[FormView, ...]:
    """The forms an applicant must fill (the *Counts* rule): the call's own forms except
    indicator tables, then every required form the notice names but does not attach."""
    out: list[FormView] = []
    for f in call.forms:
        if f.kind == "indicators":
            continue
        cats = tuple(c.id for c in call.all_categories() if f.id in c.forms)
        out.append(FormView(f.id, f.title, f.attachment, True, None, f.kind, cats, f.note))
    for a in call.attachments:
        if a.kind.value == "form" and not a.in_source and a.form is None:
            out.append(
                FormView(None, a.title, a.number, False, a.obtain, "application",
                         tuple(a.categories), a.note)
            )
    return tuple(out)


# --------------------------------------------------------------------------- region


def _region_path(call: Call) -> tuple[str, ...]:
    """The area a call addresses, from the largest: ``('山东省', '济宁市')``; empty when unknown."""
    if call.issuer.region is None:
        return ()
    return (*call.issuer.within, call.issuer.region)


def _region_key(path: tuple[str, ...]) -> str:
    return REGION_SEP.join(path)


def reaches(call_region: tuple[str, ...], unit_region: tuple[str, ...]) -> bool:
    """Does a call of ``call_region`` address a unit located in ``unit_region``?

    A call addresses the units inside its issuer's area: a city's call the units of that
    city (and of its counties), a provincial call every unit in the province. A call whose
    area is not recorded is shown to everyone; so is every call to a unit that gives none.
    """
    if not call_region or not unit_region:
        return True
    return unit_region[: len(call_region)] == call_region


@dataclass(frozen=True)
class RegionOption:
    """One choice of 本单位所在地区: a path, its key and its label (山东省 › 济宁市)."""

    path: tuple[str, ...]

    @property
    def key(self) -> str:
        return _region_key(self.path)

    @property
    def label(self) -> str:
        return " › ".join(self.path)


def region_options(views: list[CallView]) -> list[RegionOption]:
    """Every area named by the issuers in the data, with each of its larger areas, sorted."""
    paths: set[tuple[str, ...]] = set()
    for v in views:
        for n in range(1, len(v.region) + 1):
            paths.add(v.region[:n])
    return [RegionOption(p) for p in sorted(paths)]


# --------------------------------------------------------------------------- the call view


@dataclass(frozen=True)
class CallView:
    """Everything a summary of one call shows, derived once from the model.

    Attributes:
        call: The model (for quoted texts shown as they are).
        today: The build date (None: no status, e.g. for the guideline PDF).
        status: Status on ``today`` (None without a build date).
        deadlines: Every deadline, in the data's order.
        level_label: 省级 / 市级 / 县级 / 区级 / 乡镇级 / 高校.
        region: The area the call addresses (:func:`_region_path`).
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
        return _region_key(self.region)

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


def _entries(
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


#: Views already derived, by the identity of their call and the date, with the call (kept
#: alive, so that its identity is not reused): a call is frozen, so the same call and date
#: give the same view. The live preview keeps its calls loaded between saves; the calls a
#: save did not change are not derived again.
_VIEWS: dict[tuple[int, dt.date | None], tuple[Call, CallView]] = {}
#: Most views kept (then the memo starts again).
_VIEWS_MAX = 8192


def call_view(call: Call, today: dt.date | None = None) -> CallView:
    """The one view of ``call`` that every surface shows.

    Parameters:
        call: A validated call.
        today: The build date; ``None`` leaves out status and countdown (surfaces that do
            not depend on the date, such as the guideline PDF).

    Returns:
        The derived view (see the module docstring for the rules).
    """
    key = (id(call), today)
    hit = _VIEWS.get(key)
    if hit is not None and hit[0] is call:
        return hit[1]
    view = _derive(call, today)
    if len(_VIEWS) >= _VIEWS_MAX:
        _VIEWS.clear()
    _VIEWS[key] = (call, view)
    return view


def _derive(call: Call, today: dt.date | None) -> CallView:
    """:func:`call_view`, derived."""
    names = {c.id: c.name for c in call.all_categories()}
    deadlines = tuple(
        _deadline_view(d, i, names, today) for i, d in enumerate(call.deadlines)
    )
    quotas = tuple(_quota_view(lim, names) for lim in call.eligibility.limits)
    forms = _applicant_forms(call)
    top = tuple(call.eligibility.applicants) or None

    def applies(ids: list[str] | tuple[str, ...], lineage: set[str]) -> bool:
        return not ids or bool(lineage & set(ids))

    views: list[CategoryView] = []

    def make(cat: Category | None, path: tuple[str, ...], lineage: set[str], depth: int,
             applicants: tuple[ApplicantType, ...] | None, source: ApplicantsSource,
             leaf: bool, parent: str | None) -> CategoryView:
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
            parent=parent,
            lineage=frozenset(lineage),
            depth=depth,
            leaf=leaf,
            applicants=applicants,
            applicants_source=source,
            entries=_entries(call, applicants, only, lineage, quotas),
            deadlines=tuple(d for d in deadlines if applies(d.categories, lineage)),
            quotas=tuple(q for q in quotas if applies(q.categories, lineage)),
            forms=cat_forms,
            exclusive=tuple(
                ex.text for ex in call.eligibility.exclusive if lineage & set(ex.categories)
            ),
        )

    for c, ancestors, _ in category_places(call.categories):
        # the nearest category that names its applicants, else the call's, else unknown
        named = next((x for x in (c, *reversed(ancestors)) if x.applicants), None)
        applicants: tuple[ApplicantType, ...] | None
        source: ApplicantsSource
        if named is not None:
            applicants, source = tuple(named.applicants), "category" if named is c else "parent"
        elif top:
            applicants, source = top, "call"
        else:
            applicants = None
            source = "children" if any(x.applicants for x in iter_categories(c.children)) else "unknown"
        lineage = {c.id, *(x.id for x in ancestors)}
        path = (*(x.name for x in ancestors), c.name)
        parent = ancestors[-1].id if ancestors else None
        views.append(make(c, path, lineage, len(ancestors), applicants, source, not c.children, parent))

    by_id = {v.id: v for v in views}
    by_id[""] = make(None, (), set(), 0, top, "call" if top else "unknown", True, None)

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
        status=_status(deadlines, today) if today is not None else None,
        deadlines=deadlines,
        level_label=LEVEL_LABELS[call.issuer.level.value],
        region=_region_path(call),
        applicants=applicants,
        applicants_by_category=by_category,
        unknown_categories=unknown,
        recommenders=recommenders,
        channels=channels,
        categories=tuple(views),
        quotas=quotas,
        submission=_submission_ways(call),
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


# --------------------------------------------------------------------------- page facts


def word_limits(form: Form) -> list[str]:
    """Word limits stated in ``form``, as readable lines (field hint or id, then limit)."""
    out: list[str] = []
    for block in [*form.cover, *form.instructions, *form.blocks]:
        if not isinstance(block, Table):
            continue
        for row in block.rows:
            for cell in row.cells:
                area: InputArea | None = cell.input
                if area is not None and area.word_limit:
                    label = _label_for(block, area)
                    out.append(f"{label}：{area.word_limit}字以内")
    out.extend(wl.text for wl in form.word_limits)
    return out


def _label_for(table: Table, area: InputArea) -> str:
    """The label cell in front of ``area`` in its row, else its hint, else its id."""
    for row in table.rows:
        for i, cell in enumerate(row.cells):
            if cell.input is area:
                for prev in reversed(row.cells[:i]):
                    if prev.text:
                        return " ".join(prev.text.split())
    return area.hint or area.id


def timeline(view: CallView) -> list[dict[str, Any]]:
    """Dated events of a call in order (发文, deadlines, dated stages), then undated ones."""
    call = view.call
    events: list[dict[str, Any]] = []
    if call.issued:
        events.append({"date": call.issued, "display": zh_date(call.issued), "label": "发文",
                       "text": call.doc_no, "deadline": False})
    for d in view.deadlines:
        events.append({"date": d.date, "display": d.display if d.date or d.month else None,
                       "label": d.label, "text": d.text, "deadline": True})
    for st in call.process.stages:
        if st.date is not None:
            events.append({"date": st.date, "display": zh_date(st.date), "label": st.name,
                           "text": st.description, "deadline": False})
    dated = sorted((e for e in events if e["date"] is not None), key=lambda e: e["date"])
    return dated + [e for e in events if e["date"] is None]


#: Facts each category may state, compared across categories (attribute, label).
CATEGORY_FACTS = (("count", "计划数量"), ("funding", "经费额度"), ("period", "项目周期"))


@dataclass(frozen=True)
class CategoryUnknowns:
    """What the notice leaves unstated about its categories, said once instead of per field.

    ``everywhere``: labels of facts no category states (said once for the whole call);
    ``by_category``: for each category without sub-categories, the labels of facts that
    other categories state but it does not (itself or through a parent category).
    """

    everywhere: tuple[str, ...]
    by_category: dict[str, tuple[str, ...]]


def category_unknowns(call: Call) -> CategoryUnknowns:
    """The unstated category facts of ``call``, see :class:`CategoryUnknowns`."""
    known = {
        cat.id: {attr for attr, _ in CATEGORY_FACTS for c in (*above, cat) if getattr(c, attr) is not None}
        for cat, above, _ in category_places(call.categories)
    }
    stated = set().union(*known.values()) if known else set()
    everywhere = tuple(label for attr, label in CATEGORY_FACTS if known and attr not in stated)
    by_category = {
        cat.id: tuple(
            label for attr, label in CATEGORY_FACTS if attr in stated and attr not in known[cat.id]
        )
        for cat in call.all_categories()
        if not cat.children
    }
    return CategoryUnknowns(everywhere, by_category)


def period_texts(call: Call) -> list[str]:
    """The distinct 项目周期 texts of ``call``'s categories, in date order.

    Ordered by completion date (then start date) as dates, not as text: 6月 before 10月.
    Periods the data gives no date for follow, in category order.
    """
    periods = [c.period for c in call.all_categories() if c.period is not None]
    dated = sorted(
        (p for p in periods if p.end or p.start),
        key=lambda p: (p.end or p.start, p.start or p.end),
    )
    ordered = dated + [p for p in periods if not (p.end or p.start)]
    return list(dict.fromkeys(p.text for p in ordered))
