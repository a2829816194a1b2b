"""The finder's arrangement of the call views (generator/render/finder.py)."""

from __future__ import annotations

import datetime as dt

from generator.load import load_file
from generator.models import ApplicantType, Call, Category, Limit
from generator.render.finder import finder
from generator.view import call_view

from ..conftest import ROOT, TESTS

CITY = ApplicantType.CITY_SOCIETY
UNI = ApplicantType.UNIVERSITY_KX
COUNTY = ApplicantType.COUNTY_KX
SAMPLE = load_file(TESTS / "data" / "good" / "sample-call.yaml", ROOT)
TODAY = dt.date(2099, 3, 1)


def _call(categories: list[Category], limits: list[Limit], **changes: object) -> Call:
    data = SAMPLE.model_dump()
    data["categories"] = [c.model_dump() for c in categories]
    data["eligibility"]["limits"] = [x.model_dump() for x in limits]
    return Call.model_validate({**data, **changes})


def test_one_group_per_call_one_row_per_leaf():
    parent = Category(id="p", name="父类", children=[Category(id="c1", name="子一"), Category(id="c2", name="子二")])
    plain = Category(id="plain", name="普通")
    f = finder([call_view(_call([parent, plain], []), TODAY)])
    (group,) = f.groups
    assert [r.id for r in group.rows] == ["c1", "c2", "plain"]
    assert [r.path for r in group.rows] == [("父类", "子一"), ("父类", "子二"), ("普通",)]


def test_quotas_listed_once_when_every_row_has_the_same():
    everyone = Limit(max_count=3, text="每个单位最多3个")
    on_one = Limit(categories=["b"], max_count=1, text="乙类限1项")
    cats = [Category(id="a", name="甲"), Category(id="b", name="乙")]
    shared = finder([call_view(_call(cats, [everyone]), TODAY)]).groups[0]
    assert shared.shared and [q.text for q in shared.shared_quotas] == ["每个单位最多3个"]
    split = finder([call_view(_call(cats, [everyone, on_one]), TODAY)]).groups[0]
    assert not split.shared


def test_call_without_categories_is_one_row():
    (group,) = finder([call_view(_call([], []), TODAY)]).groups
    (row,) = group.rows
    assert row.types("apply") == (CITY, UNI)


def test_columns_follow_the_enum_order_and_regions_come_from_the_issuers():
    one = _call([Category(id="x", name="x", applicants=[COUNTY, CITY])], [])
    other = _call([], [], id="other-call", issuer={"name": "某省科协", "level": "省", "region": "某省"})
    f = finder([call_view(one, TODAY), call_view(other, TODAY)])
    assert list(f.columns) == [CITY, UNI, COUNTY]
    assert sorted(r.label for r in f.regions) == sorted(["示例市", "某省"])
