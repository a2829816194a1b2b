"""我能申报什么: the eligibility finder shows the calls an applicant may apply to."""

from __future__ import annotations

import pytest

from generator import urls
from generator.models import ApplicantType

from . import expect

APPLICANTS = [ApplicantType.CITY_SOCIETY, ApplicantType.COUNTY_KX]


def _rows(page) -> list[dict]:
    return page.locator("[data-kx=finder-result]").evaluate_all(
        """els => els.map(e => ({call: e.dataset.callId, category: e.dataset.categoryId || '',
            applicants: (e.dataset.applicants || '').split(/\\s+/).filter(Boolean),
            known: e.dataset.applicantsKnown !== 'false',
            visible: !!(e.offsetWidth || e.offsetHeight || e.getClientRects().length)}))"""
    )


@pytest.mark.parametrize("applicant", APPLICANTS, ids=[a.value for a in APPLICANTS])
def test_finder_shows_the_right_calls(page, calls, applicant):
    page.goto("finder/")
    page.locator("select[data-kx=finder-select]").select_option(applicant.value)
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => done()))")
    rows = _rows(page)
    assert rows, "the finder has no result rows"
    shown = [r for r in rows if r["visible"]]
    hidden = [r for r in rows if not r["visible"]]
    wrong = [r for r in shown if applicant.value not in r["applicants"] and r["known"]]
    assert not wrong, f"shown for {applicant.value} but not open to it: {wrong}"
    lost = [r for r in hidden if applicant.value in r["applicants"] or not r["known"]]
    assert not lost, f"open to {applicant.value} but hidden: {lost}"
    want = expect.calls_for(calls, applicant)
    got = {r["call"] for r in shown}
    assert got == want, f"{applicant.value}: finder shows {sorted(got)}, data says {sorted(want)}"


def test_finder_rows_state_who_may_apply_as_the_data_does(page, calls):
    """Each row's applicants are the view's: stated (or inherited from what is stated), with
    recommenders and channels; none when the notice does not say."""
    page.goto("finder/")
    problems = []
    for row in _rows(page):
        call = expect.by_id(calls, row["call"])
        table = expect.category_applicants(call)
        want = table.get(row["category"], set()) if row["category"] else {a.value for a in call.eligibility.applicants}
        if want is None:
            want = set()
            if row["known"]:
                problems.append(f"{row['call']}/{row['category']}: applicants unknown, page says known")
        if set(row["applicants"]) != want:
            problems.append(f"{row['call']}/{row['category']}: page {sorted(row['applicants'])}, data {sorted(want)}")
    assert not problems, "\n".join(problems)


def test_finder_result_links_to_the_call(page, calls):
    page.goto("finder/")
    page.locator("select[data-kx=finder-select]").select_option(ApplicantType.COUNTY_KX.value)
    row = page.locator("[data-kx=finder-result]:visible").first
    call_id = row.get_attribute("data-call-id")
    row.locator(f"a[href*='calls/{call_id}/']").first.click()
    page.wait_for_url(f"**/calls/{call_id}/**")
    assert page.locator("[data-kx=key-facts]").is_visible()


def test_finder_matrix_works_without_javascript(open_page, calls):
    page = open_page(javascript=False)
    page.goto("finder/")
    matrix = page.locator("[data-kx=finder-matrix]")
    assert matrix.is_visible(), "the static matrix is hidden without JavaScript"
    assert matrix.locator("th").count() >= 1, "the matrix has no header cells"
    for call in calls:
        assert matrix.locator(f"a[href*='{urls.call_page(call)}']").count() >= 1, (
            f"the matrix does not link to {call.id}"
        )


REGIONS = [("山东省", "济宁市"), ("湖南省", "常德市"), ("山东省",)]


@pytest.mark.parametrize("region", REGIONS, ids=["/".join(r) for r in REGIONS])
def test_finder_shows_a_citys_calls_only_to_units_of_that_city(page, calls, region):
    page.goto("finder/")
    page.locator("select[data-kx=finder-region]").select_option("/".join(region))
    page.locator("select[data-kx=finder-select]").select_option(ApplicantType.CITY_SOCIETY.value)
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => done()))")
    got = {r["call"] for r in _rows(page) if r["visible"]}
    want = expect.calls_for(calls, ApplicantType.CITY_SOCIETY, region)
    assert got == want, f"{region}: finder shows {sorted(got)}, data says {sorted(want)}"


def test_finder_says_restrictions_roles_and_unknowns(page, calls):
    """The #16 examples as a reader sees them: 常德 重点学会建设 only for new 市级学会, 山东
    机关部室 recommend, 济宁 B类 applicants unknown (shown to every type, marked so)."""
    page.goto("finder/")
    select = page.locator("select[data-kx=finder-select]")
    select.select_option(ApplicantType.CITY_SOCIETY.value)
    row = page.locator("[data-kx=finder-result][data-category-id=key-society]")
    assert "仅限本年度新成立的市级学会" in row.inner_text()
    select.select_option(ApplicantType.ORGAN_DEPARTMENT.value)
    shown = page.locator("[data-kx=finder-result][data-call-id=shandong-2022-reform-brand]:visible")
    assert shown.count() == 17
    assert "推荐，不是申报" in shown.first.inner_text()
    select.select_option(ApplicantType.RESEARCH_INSTITUTE.value)
    b = page.locator("[data-kx=finder-result][data-category-id=b1-society-innovation]")
    assert b.is_visible() and "原文未载明" in b.inner_text()
    assert "另有 9 个类别申报主体原文未载明" in page.locator("[data-kx=finder-count]").inner_text()
