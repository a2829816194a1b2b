"""Who may apply for what (generator/render/finder.py)."""

from __future__ import annotations

import pytest

from generator.load import load_file
from generator.models import ApplicantType, Call, Category, Limit
from generator.render.finder import applicant_columns, finder_rows

from ..conftest import ROOT, TESTS

CITY = ApplicantType.CITY_SOCIETY
UNI = ApplicantType.UNIVERSITY_KX
COUNTY = ApplicantType.COUNTY_KX


@pytest.fixture(scope="module")
def sample() -> Call:
    return load_file(TESTS / "data" / "good" / "sample-call.yaml", ROOT)


def _call(sample: Call, categories: list[Category], limits: list[Limit]) -> Call:
    eligibility = sample.eligibility.model_copy(update={"limits": limits})
    return sample.model_copy(update={"categories": categories, "eligibility": eligibility})


def test_leaf_categories_inherit_applicants_from_parent_then_call(sample: Call):
    parent = Category(
        id="p",
        name="父类",
        applicants=[COUNTY],
        children=[Category(id="c1", name="子一"), Category(id="c2", name="子二", applicants=[UNI])],
    )
    plain = Category(id="plain", name="普通")
    rows = finder_rows(_call(sample, [parent, plain], []))
    assert [(r.category_id, r.path, r.applicants) for r in rows] == [
        ("c1", ("父类", "子一"), (COUNTY,)),
        ("c2", ("父类", "子二"), (UNI,)),
        ("plain", ("普通",), (CITY, UNI)),  # the sample call's own applicants
    ]
    assert [r.depth for r in rows] == [1, 1, 0]


def test_limits_apply_by_category_ancestor_and_applicant(sample: Call):
    parent = Category(id="p", name="父类", children=[Category(id="c", name="子")])
    other = Category(id="o", name="其他")
    everyone = Limit(max_count=3, text="每个单位最多3个")
    on_parent = Limit(categories=["p"], applicants=[UNI], max_count=1, text="高校科协限1项")
    rows = {
        r.category_id: r for r in finder_rows(_call(sample, [parent, other], [everyone, on_parent]))
    }
    assert rows["c"].limits == (everyone, on_parent)
    assert rows["o"].limits == (everyone,)
    assert rows["c"].limits_for(UNI) == [everyone, on_parent]
    assert rows["c"].limits_for(CITY) == [everyone]


def test_call_without_categories_is_one_row(sample: Call):
    rows = finder_rows(_call(sample, [], []))
    assert len(rows) == 1
    assert rows[0].category is None and rows[0].category_id == ""
    assert rows[0].applicants == (CITY, UNI)


def test_columns_follow_the_enum_order_and_skip_unused(sample: Call):
    rows = finder_rows(_call(sample, [Category(id="x", name="x", applicants=[COUNTY, CITY])], []))
    assert applicant_columns(rows) == [CITY, COUNTY]
