"""Who may apply for what: the rows of the eligibility finder (我能申报什么).

Applicants are inherited: a category without its own applicant list takes its
parent's, and a top-level category the call's (``eligibility.applicants``).
A limit (限项) applies to a row when its applicant list is empty or names the
applicant, and its category list is empty or names the category or an ancestor.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..models import ApplicantType, Call, Category, Limit, category_places


@dataclass(frozen=True)
class FinderRow:
    """One call or category an applicant might apply for.

    Attributes:
        call: The call.
        category: The category, or ``None`` for a call without categories.
        path: Names from the top-level category down to this one.
        applicants: Who may apply (inherited when the category names none).
        limits: Limits that apply to this category (for some or all applicants).
        depth: Nesting depth (0 for top-level categories).
    """

    call: Call
    category: Category | None
    path: tuple[str, ...]
    applicants: tuple[ApplicantType, ...]
    limits: tuple[Limit, ...] = field(default=())
    depth: int = 0

    @property
    def category_id(self) -> str:
        return self.category.id if self.category is not None else ""

    def limits_for(self, applicant: ApplicantType) -> list[Limit]:
        """The limits that bind ``applicant`` on this row."""
        return [lim for lim in self.limits if not lim.applicants or applicant in lim.applicants]


def _limits(call: Call, ids: set[str]) -> tuple[Limit, ...]:
    return tuple(
        lim
        for lim in call.eligibility.limits
        if not lim.categories or ids.intersection(lim.categories)
    )


def finder_rows(call: Call) -> list[FinderRow]:
    """Every leaf category of ``call`` (depth first) with its applicants and limits.

    Parameters:
        call: A validated call.

    Returns:
        One row per leaf category (its path names the parents), or one row for the
        whole call when it has no categories.
    """
    top = tuple(call.eligibility.applicants)
    if not call.categories:
        return [FinderRow(call, None, (), top, _limits(call, set()))]
    rows: list[FinderRow] = []
    for c, above, _ in category_places(call.categories):
        if c.children:  # a parent is a heading: its children say who may apply
            continue
        lineage = (*above, c)
        # The nearest category that names its applicants, else the call's.
        applicants = next((tuple(x.applicants) for x in reversed(lineage) if x.applicants), top)
        ids = {x.id for x in lineage}
        rows.append(FinderRow(
            call, c, tuple(x.name for x in lineage), applicants, _limits(call, ids), len(above)
        ))
    return rows


def applicant_columns(rows: list[FinderRow]) -> list[ApplicantType]:
    """The applicant types that occur in ``rows``, in the order of :class:`ApplicantType`."""
    used = {a for r in rows for a in r.applicants}
    return [a for a in ApplicantType if a in used]
