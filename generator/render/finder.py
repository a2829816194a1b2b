"""The eligibility finder (我能申报什么): its groups of rows, read from the call views.

Who may apply for what, in which role, through whom, with which cap, is decided in
:mod:`generator.view`; this module only arranges the views for the finder page: one
group per call, one row per category an applicant can apply for, and the columns of the
static matrix.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..models import ApplicantType
from ..view import CallView, CategoryView, QuotaView, RegionOption, applicant_columns, region_options


@dataclass(frozen=True)
class FinderGroup:
    """One call in the finder.

    Attributes:
        view: The call's view.
        rows: The categories one applies for (or the whole call).
        shared: The quotas are the same on every row (then listed once for the call).
    """

    view: CallView
    rows: tuple[CategoryView, ...]
    shared: bool

    @property
    def shared_quotas(self) -> tuple[QuotaView, ...]:
        return self.rows[0].quotas if self.rows else ()


@dataclass(frozen=True)
class Finder:
    """Everything the finder page shows."""

    groups: tuple[FinderGroup, ...]
    columns: tuple[ApplicantType, ...]
    regions: tuple[RegionOption, ...]


def finder(views: list[CallView]) -> Finder:
    """The finder's groups, matrix columns and region choices.

    Parameters:
        views: The call views, in page order.

    Returns:
        The arranged finder.
    """
    groups = []
    for v in views:
        rows = v.rows
        groups.append(FinderGroup(v, rows, all(r.quotas == rows[0].quotas for r in rows)))
    return Finder(tuple(groups), tuple(applicant_columns(views)), tuple(region_options(views)))
