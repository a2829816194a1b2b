"""What the pages should show, derived from the data files (never typed into the tests)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from generator.models import ApplicantType, Call
from generator.view import call_view, reaches

from .support import ROOT

#: Call ids present in data/calls, known at collection time (for parametrize ids).
CALL_IDS = sorted(p.stem for p in (ROOT / "data" / "calls").glob("*.yaml"))
#: The call with the 江苏 indicator table and its self-assessment page.
SELF_CHECK_CALL = "jiangsu-2021-county-kx"


def status(call: Call, today: dt.date) -> str:
    """``open`` while a stated deadline is today or later, ``closed`` after the last one,
    ``unknown`` when the notice states no deadline date at all."""
    dates = [d.date for d in call.deadlines if d.date is not None]
    if not dates:
        return "unknown"
    return "open" if max(dates) >= today else "closed"


def source_text(call: Call) -> str:
    """The notice's plain text (what every quoted fact is checked against)."""
    return (ROOT / call.source.text_file).read_text(encoding="utf-8")


def calls_mentioning(calls: list[Call], term: str) -> set[str]:
    """Ids of the calls whose notice contains ``term``: what a search for it must find."""
    return {c.id for c in calls if term in source_text(c)}


def category_applicants(call: Call) -> dict[str, set[str] | None]:
    """Who takes part in each category one applies for (apply, recommend or through another
    unit), as the call view says; ``None`` when the notice does not state it."""
    view = call_view(call)
    return {
        c.id: ({a.value for a in c.types()} if c.applicants_known else None) for c in view.leaves
    }


def calls_for(calls: list[Call], applicant: ApplicantType, region: tuple[str, ...] = ()) -> set[str]:
    """Ids of the calls the finder must show for ``applicant`` located in ``region``: those
    addressing the region with a category open to it or whose applicants are unknown."""
    out = set()
    for call in calls:
        view = call_view(call)
        if not reaches(view.region, region):
            continue
        if any(not r.applicants_known or applicant in r.types() for r in view.rows):
            out.add(call.id)
    return out


def by_id(calls: list[Call], call_id: str) -> Call:
    for c in calls:
        if c.id == call_id:
            return c
    raise KeyError(call_id)


def self_check_path(site: Path) -> str:
    """URL path of the self-assessment page, wherever the site put it."""
    for path in (f"calls/{SELF_CHECK_CALL}/self-check/", "self-check/"):
        if (site / path / "index.html").exists():
            return path
    raise AssertionError(
        f"未找到自评页 / no self-assessment page at calls/{SELF_CHECK_CALL}/self-check/ or self-check/"
    )
