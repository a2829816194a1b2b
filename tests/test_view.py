"""The one call view (generator/view.py): each rule on a small synthetic call, the three
examples of issue #16 as regressions, property tests over synthetic calls, and the built
site's surfaces (cards, comparison, finder, call pages, JSON, CSV, calendar) read back and
checked against the view."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import lxml.etree
import lxml.html
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from generator import urls
from generator.load import load_file
from generator.models import (
    UNKNOWN,
    ApplicantType,
    Attachment,
    AttachmentKind,
    Call,
    Category,
    Channel,
    Deadline,
    Limit,
    LimitScope,
    Recommendation,
    Role,
    Submission,
)
from generator.render import export, pages
from generator.view import (
    CallView,
    call_view,
    countdown_text,
    reaches,
    region_options,
    sort_key,
    zh_date,
)

from .conftest import ROOT, TESTS, TODAY

CITY = ApplicantType.CITY_SOCIETY
UNI = ApplicantType.UNIVERSITY_KX
COUNTY = ApplicantType.COUNTY_KX
CITY_KX = ApplicantType.CITY_KX
ORGAN = ApplicantType.ORGAN_DEPARTMENT
SAMPLE = load_file(TESTS / "data" / "good" / "sample-call.yaml", ROOT)


def _with(call: Call = SAMPLE, **changes: object) -> Call:
    """A copy of ``call`` with model fields replaced, validated again."""
    return Call.model_validate({**call.model_dump(), **changes})


def _elig(**changes: object) -> dict:
    return {**SAMPLE.eligibility.model_dump(), **changes}


# --------------------------------------------------------------------------- deadlines


def _dated(*dates: dt.date | None) -> Call:
    return _with(deadlines=[Deadline(label=f"截止{i}", date=d).model_dump()
                            for i, d in enumerate(dates)])


def test_open_counts_down_to_the_nearest_coming_deadline():
    view = call_view(_dated(dt.date(2099, 5, 1), dt.date(2099, 3, 31), dt.date(2099, 1, 1)),
                     dt.date(2099, 3, 1))
    assert view.status is not None
    assert (view.status.status, view.status.label) == ("open", "征集中")
    assert view.status.deadline is not None and view.status.deadline.date == dt.date(2099, 3, 31)
    assert (view.status.days_left, view.status.countdown) == (30, "还剩 30 天")
    # the others are counted, never dropped
    assert view.headline is view.status.deadline and view.other_deadlines == 2
    assert [d.label for d in view.deadlines] == ["截止0", "截止1", "截止2"]


def test_deadline_day_is_still_open_and_closed_refers_to_the_last():
    today = call_view(_dated(dt.date(2099, 3, 31)), dt.date(2099, 3, 31)).status
    assert today is not None and (today.status, today.countdown) == ("open", "今天截止")
    closed = call_view(_dated(dt.date(2022, 3, 1), dt.date(2022, 3, 31), None),
                       dt.date(2022, 4, 10)).status
    assert closed is not None and closed.status == "closed"
    assert closed.deadline is not None and closed.deadline.date == dt.date(2022, 3, 31)
    assert closed.countdown == "10 天前"


def test_no_full_date_is_unknown_and_countdown_words():
    status = call_view(_dated(None), dt.date(2099, 1, 1)).status
    assert status is not None and (status.status, status.deadline) == ("unknown", None)
    assert countdown_text(None) == "截止日期未载明"
    assert countdown_text(-3) == "3 天前"
    assert zh_date(None) == UNKNOWN and zh_date(dt.date(2022, 3, 31)) == "2022年3月31日"


@pytest.mark.parametrize(
    ("days", "text"), [(5, "还剩 5 天"), (1, "还剩 1 天"), (0, "今天截止"), (-2, "2 天前")]
)
def test_countdown_wording(days: int, text: str):
    assert countdown_text(days) == text


def test_countdown_wording_matches_the_browser_script():
    script = (ROOT / "overrides" / "assets" / "kx.js").read_text(encoding="utf-8")
    for fragment in ('"还剩 "', '" 天"', '"今天截止"', '" 天前"'):
        assert fragment in script


def test_inferred_year_and_month_day_without_year_are_said():
    call = _with(deadlines=[
        {"label": "申报截止", "date": "2099-03-31", "year_inferred": True, "text": "3月31日前"},
        {"label": "推荐截止", "date": None, "month": 5, "day": 30, "text": "5 月 30 日前"},
        {"label": "材料", "date": None},
    ])
    inferred, partial, none = call_view(call, dt.date(2099, 3, 1)).deadlines
    assert inferred.display == "2099年3月31日（年份据发文日期推定）" and inferred.in_calendar
    assert partial.display == "5月30日（年份未载明）" and not partial.in_calendar
    assert partial.iso == "--05-30" and partial.status == "unknown"
    assert "年份无法确定" in (partial.calendar_note or "")
    assert none.display == UNKNOWN and none.calendar_note


def test_status_of_a_deadline_without_its_year_says_the_year_is_unknown():
    """5月30日 with no year: the badge must not say the deadline itself is unstated."""
    partial = _with(deadlines=[{"label": "推荐截止", "date": None, "month": 5, "day": 30, "text": "5 月 30 日前"}])
    status = call_view(partial, dt.date(2099, 3, 1)).status
    assert (status.status, status.label, status.deadline) == ("unknown", "截止年份未载明", None)
    missing = call_view(_with(_dated(None)), dt.date(2099, 3, 1)).status
    assert missing.label == "截止日期未载明"


def test_home_order_open_then_unknown_then_closed():
    today = dt.date(2099, 3, 1)
    soon = _with(_dated(dt.date(2099, 3, 5)), id="b-soon")
    later = _with(_dated(dt.date(2099, 6, 1)), id="a-later")
    unknown = _with(_dated(None), id="c-unknown")
    closed = _with(_dated(dt.date(2099, 1, 1)), id="d-closed")
    views = [call_view(c, today) for c in (closed, unknown, later, soon)]
    assert [v.id for v in sorted(views, key=sort_key)] == ["b-soon", "a-later", "c-unknown", "d-closed"]


# --------------------------------------------------------------------------- submission


def test_every_way_to_submit_in_the_notices_order():
    sub = Submission(methods=["paper", "email"], copies=4, recipient="市科协学会部",
                     address="柳叶大道2999号", emails=["a@example.com"])
    ways = call_view(_with(submission=sub.model_dump())).submission
    assert [w.method for w in ways] == ["paper", "email"]
    assert ways[0].summary == "纸质材料（4 份；报至市科协学会部；地址：柳叶大道2999号）"
    assert ways[1].summary == "电子邮件（发送至 a@example.com）"
    # what the notice leaves out is said, never filled in
    bare = call_view(_with(submission=Submission(methods=["electronic", "paper"]).model_dump()))
    assert [w.summary for w in bare.submission] == [
        "电子版（报送途径原文未载明）", "纸质材料（份数原文未载明；接收部门原文未载明）",
    ]


# --------------------------------------------------------------------------- quotas


def test_a_per_point_quota_is_never_a_per_unit_cap():
    cat = Category(id="svc", name="科技服务项目", applicants=[CITY])
    limits = [
        Limit(categories=["svc"], max_count=1, scope=LimitScope.PER_POINT, text="每个服务点1个"),
        Limit(categories=["svc"], max_count=2, text="一家学会不得超过2个"),
    ]
    view = call_view(_with(categories=[cat.model_dump()],
                           eligibility=_elig(limits=[x.model_dump() for x in limits])))
    entry = view.category("svc").entry(CITY)
    assert entry is not None and entry.cap is not None and entry.cap.max_count == 2
    assert entry.cell == "✓（≤2项）"
    assert view.quotas[0].summary == "科技服务项目：在同一服务点上每个单位最多申报 1 项"


def test_tightest_quota_with_its_qualifiers_and_role():
    limits = [
        Limit(max_count=5, text="每个单位不超过5个"),
        Limit(applicants=[CITY], max_count=3, qualifiers=["原则上", "含县级科协项目"], text="x"),
        Limit(applicants=[UNI], max_count=1, role=Role.RECOMMEND, text="推荐1个"),
    ]
    view = call_view(_with(eligibility=_elig(limits=[x.model_dump() for x in limits])))
    city = view.category("academic").entry(CITY)
    assert city is not None and city.cell == "✓（原则上≤3项，含县级科协项目）"
    assert view.quotas[1].summary == "市级学会：每个单位最多申报 3 项（原则上；含县级科协项目）"
    assert view.quotas[2].summary == "高校科协：每个单位最多推荐 1 项"
    # an area quota counts for the whole area, with who allocates it
    area = Limit(max_count=2, scope=LimitScope.PER_AREA, role=Role.RECOMMEND, allocated_by="街道/镇",
                 text="全区2个")
    (q,) = call_view(_with(eligibility=_elig(limits=[area.model_dump()]))).quotas
    assert q.summary == "整个地区共推荐 2 项，由街道/镇推荐" and not q.is_cap


# --------------------------------------------------------------------------- applicants


def test_applicants_inherit_from_parent_then_call_and_are_unknown_otherwise():
    parent = Category(id="p", name="父类", applicants=[COUNTY],
                      children=[Category(id="c1", name="子一"), Category(id="c2", name="子二", applicants=[UNI])])
    plain = Category(id="plain", name="普通")
    cats = [parent.model_dump(), plain.model_dump()]
    view = call_view(_with(categories=cats))
    assert [(c.id, c.applicants, c.applicants_source) for c in view.leaves] == [
        ("c1", (COUNTY,), "parent"), ("c2", (UNI,), "category"), ("plain", (CITY, UNI), "call"),
    ]
    # the call states no applicants: a category without its own is unknown, not inherited
    silent = call_view(_with(categories=cats, eligibility=_elig(applicants=[], text=None)))
    assert silent.category("plain").applicants is None and silent.category("plain").entries == ()
    assert [c.id for c in silent.unknown_categories] == ["plain"]
    assert silent.applicants_by_category and silent.applicants == (UNI, COUNTY)
    assert "普通：申报主体原文未载明" in silent.applicants_line


def test_recommenders_channels_and_restrictions_are_their_own_entries():
    elig = _elig(
        applicants=[CITY_KX, CITY],
        recommenders=[Recommendation(recommenders=[ORGAN], text="择优推荐").model_dump()],
        channels=[Channel(applicants=[COUNTY], via=CITY_KX, within_quota=True, text="含县级科协项目").model_dump()],
        limits=[Limit(applicants=[CITY_KX], max_count=3, text="不超过3个").model_dump()],
    )
    cat = Category(id="new", name="重点学会建设", applicants_only="本年度新成立的市级学会")
    view = call_view(_with(categories=[cat.model_dump()], eligibility=elig))
    row = view.category("new")
    assert row.types("apply") == (CITY, CITY_KX)
    assert row.types("recommend") == (ORGAN,) and ORGAN not in view.applicants
    county = row.entry(COUNTY)
    assert county is not None and county.kind == "via" and county.cap is not None
    assert county.cell == "经市级科协（计入其限项：≤3项）"
    city = row.entry(CITY)
    assert city is not None and city.notes == ("仅限本年度新成立的市级学会",)
    assert "推荐：机关部室和直属单位" in view.applicants_line


# --------------------------------------------------------------------------- counts


def test_counts_are_what_an_applicant_counts():
    heading = Category(id="g", name="分组", children=[Category(id="x", name="甲"), Category(id="y", name="乙")])
    unattached = Attachment(title="筹建申请表", kind=AttachmentKind.FORM, in_source=False,
                            obtain="向学会部索取", categories=["y"])
    guide = Attachment(title="操作流程", kind=AttachmentKind.GUIDE)
    call = _with(categories=[heading.model_dump()],
                 attachments=[*(a.model_dump() for a in SAMPLE.attachments),
                              unattached.model_dump(), guide.model_dump()])
    view = call_view(call)
    assert view.category_count == 2  # the heading is not a category one applies for
    assert view.leaf_count("g") == 2 and view.leaf_count("x") == 1
    assert view.form_count == 2 and [f.attached for f in view.forms] == [True, False]
    assert view.unattached_forms[0].label == "筹建申请表（原文未附；向学会部索取）"
    assert [f.title for f in view.category("y").forms] == ["筹建申请表"]
    assert view.category("x").forms == ()


def test_indicator_tables_are_not_forms(calls: list[Call]):
    jiangsu = next(c for c in calls if c.id == "jiangsu-2021-county-kx")
    assert jiangsu.indicators is not None
    assert call_view(jiangsu).form_count == 2


# --------------------------------------------------------------------------- region


def test_a_call_addresses_the_units_of_its_issuers_area(calls: list[Call]):
    views = {c.id: call_view(c) for c in calls}
    assert views["jining-2023-reform-brand"].region == ("山东省", "济宁市")
    assert views["shandong-2022-reform-brand"].region == ("山东省",)
    jining_unit = ("山东省", "济宁市")
    assert reaches(views["jining-2023-reform-brand"].region, jining_unit)
    assert reaches(views["shandong-2022-reform-brand"].region, jining_unit)
    assert not reaches(views["changde-2022-society-capacity"].region, jining_unit)
    assert not reaches(views["jining-2023-reform-brand"].region, ("山东省",))
    assert not reaches(views["jining-2023-reform-brand"].region, ("山东省", "济南市"))
    assert reaches((), jining_unit) and reaches(("山东省",), ())
    labels = [r.label for r in region_options(list(views.values()))]
    assert "山东省" in labels and "山东省 › 济宁市" in labels and "湖南省 › 常德市" in labels


# --------------------------------------------------------------------------- the three examples of #16


def test_jining_b_directions_have_unknown_applicants(calls: list[Call]):
    view = call_view(next(c for c in calls if c.id == "jining-2023-reform-brand"))
    b = [c for c in view.leaves if c.path[0] == "B类自主创新性项目"]
    assert len(b) == 9
    assert all(c.applicants is None and c.entries == () for c in b)
    for c in b:  # nothing inherited: not 科研机构, 社会媒体, 农技协 or any other
        assert all(c.entry(a) is None for a in ApplicantType)
    assert "B类自主创新性项目（全部 9 类）：申报主体原文未载明" in view.applicants_line
    assert view.category_count == 19


def test_shandong_organs_recommend_and_counties_go_through_the_city_quota(calls: list[Call]):
    view = call_view(next(c for c in calls if c.id == "shandong-2022-reform-brand"))
    assert ORGAN not in view.applicants and view.recommenders == (ORGAN,)
    row = view.leaves[0]
    organ = row.entry(ORGAN)
    assert organ is not None and organ.kind == "recommend" and organ.cell == "推荐（原则上≤3项）"
    county = row.entry(COUNTY)
    assert county is not None and county.kind == "via" and county.via is CITY_KX
    assert county.cell == "经市级科协（计入其限项：原则上≤3项，含县级科协项目）"
    city_kx = row.entry(CITY_KX)
    assert city_kx is not None and city_kx.cell == "✓（原则上≤3项，含县级科协项目）"


def test_changde_key_society_is_only_for_newly_founded_city_societies(calls: list[Call]):
    view = call_view(next(c for c in calls if c.id == "changde-2022-society-capacity"))
    row = view.category("key-society")
    entry = row.entry(CITY)
    assert entry is not None and entry.only == "本年度新成立的市级学会"
    assert "仅限本年度新成立的市级学会" in entry.cell
    assert view.category("service-station").entry(CITY).only is None  # type: ignore[union-attr]
    assert view.category_count == 8 and view.form_count == 3


def test_exclusive_categories_are_said_on_each(calls: list[Call]):
    view = call_view(next(c for c in calls if c.id == "xuzhou-2022-society-capacity"))
    said = "一流学会、创新特色学会项目互不兼报；"
    assert view.category("first-class").exclusive == (said,)
    assert view.category("science-pop-society").exclusive == (said,)  # through its parent
    assert view.category("tech-service").exclusive == ()
    assert [q.text for q in view.category("tech-service").own_quotas] == [
        "“科技服务项目”即在一个服务点上每个申报单位只能申报一个", "一家学会申报数不得超过2个。",
    ]


# --------------------------------------------------------------------------- property tests

_TYPES = [CITY, UNI, COUNTY, CITY_KX]
applicant_lists = st.lists(st.sampled_from(_TYPES), max_size=3, unique=True)


@st.composite
def synthetic_calls(draw: st.DrawFn) -> Call:
    n_top = draw(st.integers(0, 3))
    cats = []
    ids: list[str] = []
    for i in range(n_top):
        kids = [
            Category(id=f"c{i}-{k}", name=f"子{i}{k}", applicants=draw(applicant_lists),
                     applicants_only=draw(st.sampled_from([None, "本年度新成立的市级学会"])))
            for k in range(draw(st.integers(0, 2)))
        ]
        ids += [f"c{i}", *(k.id for k in kids)]
        cats.append(Category(id=f"c{i}", name=f"类{i}", applicants=draw(applicant_lists), children=kids))
    limits = [
        Limit(
            applicants=draw(applicant_lists),
            categories=draw(st.lists(st.sampled_from(ids), max_size=2, unique=True)) if ids else [],
            max_count=draw(st.one_of(st.none(), st.integers(0, 5))),
            scope=draw(st.sampled_from(list(LimitScope))),
            role=draw(st.sampled_from(list(Role))),
            qualifiers=draw(st.lists(st.sampled_from(["原则上", "含县级科协项目"]), max_size=2, unique=True)),
            text="限项",
        )
        for _ in range(draw(st.integers(0, 3)))
    ]
    deadlines = []
    for k in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["date", "inferred", "monthday", "none"]))
        d: dict = {"label": f"截止{k}", "date": None}
        if kind in ("date", "inferred"):
            d["date"] = draw(st.dates(dt.date(2099, 3, 1), dt.date(2099, 12, 31)))
            d["year_inferred"] = kind == "inferred"
        elif kind == "monthday":
            d["month"], d["day"] = draw(st.sampled_from([(5, 30), (2, 29), (11, 1)]))
        if ids and draw(st.booleans()):
            d["categories"] = [draw(st.sampled_from(ids))]
        deadlines.append(d)
    elig = _elig(
        applicants=draw(applicant_lists),
        text=None,
        limits=[x.model_dump() for x in limits],
        recommenders=[{"recommenders": [ORGAN], "text": "推荐"}] if draw(st.booleans()) else [],
        channels=([{"applicants": [COUNTY], "via": CITY_KX, "within_quota": True, "text": "含"}]
                  if draw(st.booleans()) else []),
    )
    methods = draw(st.lists(st.sampled_from(["email", "post", "in_person", "online", "paper", "electronic"]),
                            max_size=4, unique=True))
    unattached = draw(st.integers(0, 2))
    return _with(
        categories=[c.model_dump() for c in cats],
        eligibility=elig,
        deadlines=deadlines,
        submission={**SAMPLE.submission.model_dump(), "methods": methods},
        attachments=[*(a.model_dump() for a in SAMPLE.attachments),
                     *({"title": f"未附表{k}", "kind": "form", "in_source": False} for k in range(unattached))],
    )


def _check_view_against_model(call: Call, view: CallView) -> None:
    leaves = [c for c in call.all_categories() if not c.children]
    assert view.category_count == len(leaves)
    assert view.form_count == len([f for f in call.forms if f.kind != "indicators"]) + len(
        [a for a in call.attachments if a.kind.value == "form" and not a.in_source]
    )
    assert [d.label for d in view.deadlines] == [d.label for d in call.deadlines]
    assert [w.method for w in view.submission] == list(call.submission.methods)
    parents = {k.id: c for c in call.all_categories() for k in c.children}
    for row in view.leaves:
        chain, cat = [], row.category
        while True:
            chain.append(cat)
            if cat.id not in parents:
                break
            cat = parents[cat.id]
        stated = next((c.applicants for c in chain if c.applicants), None) or call.eligibility.applicants
        if not stated:
            assert row.applicants is None and row.entries == ()
            continue
        assert set(row.types("apply")) == set(stated)
        for e in row.entries:
            per_unit = [q for q in e.quotas if q.is_cap]
            if e.cap is None:
                assert not per_unit
            else:
                assert e.cap.scope is LimitScope.PER_UNIT
                assert e.cap.max_count == min(q.max_count or 0 for q in per_unit)
            if e.kind == "apply":
                assert e.cell.startswith("✓")
            for q in e.quotas:
                assert q.role is (Role.RECOMMEND if e.kind == "recommend" else Role.APPLY)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(synthetic_calls())
def test_property_view_follows_the_model(call: Call):
    _check_view_against_model(call, call_view(call, dt.date(2099, 6, 1)))


def test_property_view_follows_the_model_on_real_calls(calls: list[Call]):
    for call in calls:
        _check_view_against_model(call, call_view(call, TODAY))


def _card(view: CallView) -> lxml.html.HtmlElement:
    env = pages.environment()
    macro = env.get_template("_macros.md.j2").module.call_card  # type: ignore[attr-defined]
    return lxml.html.fragment_fromstring(str(macro(view, "")), create_parent="div")


def _check_surfaces(view: CallView) -> None:
    """A card, the CSV rows and the JSON entry of one call show what its view says."""
    card = _card(view)
    _check_card(card, view)
    rows = export.csv_rows(view)
    by_id = {r["category_id"]: r for r in rows}
    for c in view.categories:
        row = by_id[c.id]
        want = "；".join(a.value for a in c.types("apply")) if c.applicants_known else UNKNOWN
        if c.applicants_source == "children":  # a heading: its subcategories say
            want = ""
        assert row["category_applicants"] == want
        for d in c.deadlines:
            assert d.line in row["deadlines"]
    entry = export.manifest_entry(view, lambda path, kind: False)
    assert entry["category_count"] == view.category_count
    assert entry["form_count"] == view.form_count == len(entry["forms"])
    assert [d["display"] for d in entry["deadlines"]] == [d.display for d in view.deadlines]


def _text(el: lxml.html.HtmlElement) -> str:
    return " ".join(el.text_content().split())


def _check_card(card: lxml.html.HtmlElement, view: CallView) -> None:
    label = card.xpath('.//*[@data-kx="countdown-label"]')
    if view.other_deadlines and view.status is not None and view.status.deadline is not None:
        assert _text(label[0]) == view.status.deadline.label  # which deadline the countdown counts
    else:
        assert not label
    deadlines = _text(card.xpath('.//*[@data-kx="card-deadlines"]')[0])
    for d in view.deadlines:  # every deadline with its label, never only one
        assert d.label in deadlines and d.display in deadlines
    applicants = _text(card.xpath('.//*[@data-kx="card-applicants"]')[0])
    for a in (*view.applicants, *view.recommenders, *view.extra_applicants):
        assert a.value in applicants
    if view.unknown_categories:
        assert UNKNOWN in applicants
    cats = _text(card.xpath('.//*[@data-kx="card-categories"]')[0])
    assert cats == (f"{view.category_count} 类" if view.category_count else "不分类别")
    forms = _text(card.xpath('.//*[@data-kx="card-forms"]')[0])
    assert forms.startswith(f"{view.form_count} 份")
    submission = _text(card.xpath('.//*[@data-kx="card-submission"]')[0])
    assert submission == view.submission_line
    for w in view.submission:  # every way, in the notice's order
        assert w.summary in submission
    quotas = _text(card.xpath('.//*[@data-kx="card-quotas"]')[0])
    assert quotas == ("；".join(q.summary for q in view.quotas) or UNKNOWN)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(synthetic_calls())
def test_property_surfaces_show_the_view(call: Call):
    _check_surfaces(call_view(call, dt.date(2099, 6, 1)))


# --------------------------------------------------------------------------- the built site


def _page(site: Path, url: str) -> lxml.html.HtmlElement:
    return lxml.html.parse(str(site / url / "index.html")).getroot()


@pytest.fixture(scope="module")
def views(calls: list[Call]) -> dict[str, CallView]:
    return {c.id: call_view(c, TODAY) for c in calls}


def test_built_cards_show_the_view(built_site: Path, views: dict[str, CallView]):
    for url in ("", "calls/"):
        cards = _page(built_site, url).xpath('//*[@data-kx="call-card"]')
        assert [c.get("data-call-id") for c in cards] == [
            v.id for v in sorted(views.values(), key=sort_key)
        ]
        for card in cards:
            view = views[card.get("data-call-id")]
            assert view.status is not None and card.get("data-status") == view.status.status
            _check_card(card, view)


def test_built_call_pages_show_the_view(built_site: Path, views: dict[str, CallView]):
    for view in views.values():
        tree = _page(built_site, urls.call_page(view.call))
        items = tree.xpath('//*[@data-kx="key-facts"]//*[@data-kx="deadline"]')
        assert len(items) == len(view.deadlines)
        for li, d in zip(items, view.deadlines, strict=True):
            assert d.label in _text(li) and (d.display in _text(li) or UNKNOWN in _text(li))
        ways = tree.xpath('//*[@data-kx="key-facts"]//*[@data-kx="submission-way"]')
        assert [w.get("data-method") for w in ways] == [w.method for w in view.submission]
        for c in view.categories:
            own = tree.xpath(f'//*[@id="cat-{c.id}"]/dl')[0]
            if c.applicants_source == "unknown" and not c.category.applicants_text:
                # said in the category's one line of unstated facts (not a row of its own)
                line = own.xpath('./div[@data-kx="unknown-line"]')
                assert line and "申报主体" in _text(line[0]), c.id
                continue
            cell = own.xpath('.//*[@data-kx="category-applicants"]')[0]
            if c.applicants_source == "children":
                assert "见各子类别" in _text(cell)
            elif not c.applicants_known:
                assert UNKNOWN in _text(cell)
            for a in c.types("apply"):
                assert a.value in _text(cell)
        unattached = tree.xpath('//*[@data-kx="unattached-form"]')
        assert len(unattached) == len(view.unattached_forms)


def test_built_compare_shows_the_view(built_site: Path, views: dict[str, CallView], calls: list[Call]):
    tree = _page(built_site, "compare/")
    table = tree.xpath('//table[@data-kx="compare-table"]')[0]
    rows = {_text(tr.xpath("./th")[0]): tr.xpath("./td") for tr in table.xpath("./tbody/tr")}
    for i, call in enumerate(calls):
        view = views[call.id]
        for d in view.deadlines:
            assert d.line.replace("：", "") in _text(rows["截止日期"][i]).replace("：", "")
        applicants = _text(rows["申报主体"][i])
        assert all(a.value in applicants for a in view.applicants)
        assert _text(rows["申报表"][i]).startswith(f"{view.form_count} 份")
        ways = rows["报送方式"][i].xpath('.//*[@data-kx="submission-way"]')
        assert [w.get("data-method") for w in ways] == [w.method for w in view.submission]
        quotas = rows["限项"][i].xpath('.//*[@data-kx="quota"]')
        assert len(quotas) == len(view.quotas)


def test_built_finder_shows_the_view(built_site: Path, views: dict[str, CallView], calls: list[Call]):
    tree = _page(built_site, "finder/")
    sections = tree.xpath('//*[@data-kx="finder-call"]')
    assert [s.get("data-region") for s in sections] == [views[c.id].region_key for c in calls]
    results = tree.xpath('//*[@data-kx="finder-result"]')
    expected = [(v, r) for c in calls for v in [views[c.id]] for r in v.rows]
    assert len(results) == len(expected)
    for el, (v, row) in zip(results, expected, strict=True):
        assert el.get("data-call-id") == v.id
        assert el.get("data-applicants").split() == [a.value for a in row.types()]
        assert el.get("data-applicants-known") == ("true" if row.applicants_known else "false")
        own = el.xpath('.//*[@data-kx="finder-row-deadlines"]')
        if len(v.deadlines) > 1:  # a call with several deadlines says which one binds the row
            assert [d.line for d in row.deadlines] == [
                x.strip() for x in _text(own[0]).removeprefix("截止：").split("；")
            ]
    lines = tree.xpath('//*[@data-kx="matrix-row"]')
    assert len(lines) == len(expected)
    for tr, (_, row) in zip(lines, expected, strict=True):
        if not row.applicants_known:
            assert tr.xpath('./td[@data-kx="matrix-unknown"]')
            continue
        for td in tr.xpath('./td[@data-kx="matrix-cell"]'):
            entry = row.entry(ApplicantType(td.get("data-applicant")))
            assert _text(td) == (entry.cell if entry else "不可申报")
    regions = [o.get("value") for o in tree.xpath('//select[@data-kx="finder-region"]/option')][1:]
    assert regions == [r.key for r in region_options(list(views.values()))]


def test_built_open_data_and_calendar_show_the_view(built_site: Path, views: dict[str, CallView]):
    manifest = json.loads((built_site / urls.calls_json()).read_text(encoding="utf-8"))
    for entry in manifest:
        view = views[entry["id"]]
        assert entry["category_count"] == view.category_count
        assert entry["form_count"] == view.form_count
        assert [d["display"] for d in entry["deadlines"]] == [d.display for d in view.deadlines]
        cats = {c["id"]: c for c in entry["categories"]}
        for c in view.categories:
            want = [a.value for a in c.types("apply")] if c.applicants_known else None
            assert cats[c.id]["applicants"] == want
    text = (built_site / urls.calls_csv()).read_bytes().decode("utf-8-sig")
    for row in csv.DictReader(io.StringIO(text, newline="")):
        view = views[row["call_id"]]
        deadlines = view.category(row["category_id"]).deadlines if row["category_id"] else view.deadlines
        for d in deadlines:
            assert d.line in row["deadlines"]
        if row["deadline_year"] == "inferred":
            assert any(d.year_inferred for d in deadlines)
        assert row["form_count"] == str(view.form_count)
    cal = Calendar.from_ical((built_site / urls.calendar()).read_bytes())
    uids = {str(ev["uid"]) for ev in cal.walk("VEVENT")}
    want = {f"{v.id}-{d.index}@kexie-calls" for v in views.values() for d in v.deadlines if d.in_calendar}
    assert uids == want


# --------------------------------------------------------------------------- the district notice of #17


def _district() -> Call:
    """A 2020 district call as the clerk in #17 brought it: no issue date, a deadline of
    5 月 30 日 with no year, two places for the whole district recommended by 街道/镇, a
    named form that is not attached, one contact line with two numbers."""
    return _with(
        id="district-2020-community-museum",
        issuer={"name": "某区科学技术协会", "level": "区", "region": "某区", "within": ["某省", "某市"]},
        issued=None,
        deadlines=[{"label": "推荐截止", "date": None, "month": 5, "day": 30, "text": "5 月 30 日前"}],
        categories=[],
        eligibility={
            "applicants": ["社区"],
            "recommenders": [{"recommenders": ["街道/乡镇"], "text": "由各街道、镇推荐"}],
            "limits": [{"applicants": ["街道/乡镇"], "max_count": 2, "scope": "整个地区", "role": "推荐",
                        "allocated_by": "街道/镇", "text": "全区推荐 2 个"}],
        },
        submission={"methods": ["paper"], "copies": 2, "recipient": "区科协",
                    "route": [{"by": "社区", "to": "街道/镇", "action": "申报"},
                              {"by": "街道/镇", "to": "区科协", "action": "推荐"}]},
        contacts=[{"id": "office", "department": "区科协", "phones": ["0537-1234567", "1234568"],
                   "phones_text": "0537-1234567、1234568"}],
        attachments=[{"title": "社区微型科普馆申报表", "kind": "form", "in_source": False}],
        forms=[],
    )


def test_the_district_notice_shows_as_written_everywhere(tmp_path: Path):
    from generator.context import BuildContext
    from generator.render.feeds import calendar_of

    call = _district()
    today = dt.date(2020, 5, 1)
    view = call_view(call, today)
    (d,) = view.deadlines
    assert d.display == "5月30日（年份未载明）" and not d.in_calendar
    assert view.status is not None and view.status.status == "unknown"
    assert view.form_count == 1 and view.unattached_forms[0].title == "社区微型科普馆申报表"
    (q,) = view.quotas
    assert q.summary == "街道/乡镇：整个地区共推荐 2 项，由街道/镇推荐" and not q.is_cap
    assert view.region == ("某省", "某市", "某区") and view.level_label == "区级"
    assert not reaches(view.region, ("某省", "某市"))  # a district's call is for its own units
    card = _card(view)
    _check_card(card, view)
    assert "5月30日（年份未载明）" in _text(card) and "1 份（其中 1 份原文未附）" in _text(card)
    # the calendar leaves it out (it cannot say which year); the page says why
    assert not list(calendar_of([call], "x", None).walk("VEVENT"))
    ctx = BuildContext(root=ROOT, calls=[call], docs_dir=tmp_path, site_dir=tmp_path, cache_dir=tmp_path,
                       today=today, made={"form.docx", "form.pdf", "form.fillable", "guide.pdf", "forms.zip"})
    page = pages.call_page(pages.environment(), ctx, call)
    assert "5月30日（年份未载明）" in page and "年份无法确定，未加入日历" in page
    assert "社区 → 街道/镇（申报）" in page and "街道/镇 → 区科协（推荐）" in page
    assert view.route_line == "社区 →（申报）街道/镇 →（推荐）区科协"
    assert "报送路径：社区 →（申报）街道/镇 →（推荐）区科协" in _text(card)
    assert "原文未附此表" in page and "本通知没有需要填写的申报表" not in page
    assert "0537-1234567</a>、" in page and ">1234568</a>" in page  # one line, both numbers
    row = export.csv_rows(view)[0]
    assert (row["deadline"], row["deadline_year"], row["form_count"]) == ("05-30", "unknown", "1")


def test_built_feed_shows_the_view(built_site: Path, views: dict[str, CallView]):
    feed = lxml.etree.parse(str(built_site / urls.feed())).getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    seen = set()
    for entry in feed.findall("a:entry", ns):
        if entry.find("a:category[@term='call']", ns) is None:
            continue
        content = lxml.html.fragment_fromstring(entry.find("a:content", ns).text, create_parent="div")
        page = entry.find("a:link", ns).get("href")
        view = next(v for v in views.values() if page.endswith(urls.call_page(v.call)))
        items = [_text(li) for li in content.xpath(".//li")]
        assert len(items) == len(view.deadlines)
        assert all(i.startswith(d.line) for i, d in zip(items, view.deadlines, strict=True))
        assert view.applicants_line in _text(content)
        seen.add(view.id)
    assert seen == set(views)


def test_guide_shows_the_view(calls: list[Call]):
    from generator.render.pdf import guide_html

    for call in calls:
        view = call_view(call)
        html = lxml.html.fromstring(guide_html(call))
        text = _text(html)
        for d in view.deadlines:
            assert d.label in text and (d.display in text or UNKNOWN in text)
        for q in view.quotas:
            assert q.summary in text
        for w in view.submission:
            assert w.summary in text
        rows = html.xpath('//table[@class="list"]//tr')[1:]
        assert len(rows) == view.form_count
        assert view.applicants_line in text


def test_a_view_is_derived_once_per_call_and_date(calls):
    """The same (frozen) call on the same date gives the very same view; an equal call
    that is another object, or another date, is derived again."""
    call, day = calls[0], dt.date(2099, 1, 1)
    assert call_view(call, day) is call_view(call, day)
    twin = call.model_copy(deep=True)
    assert call_view(twin, day) is not call_view(call, day)
    assert call_view(twin, day) == call_view(call, day)
    assert call_view(call, dt.date(2099, 1, 2)) is not call_view(call, day)
