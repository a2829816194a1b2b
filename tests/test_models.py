"""Model and loader properties: any document loads and round-trips, or fails as a data error."""

from __future__ import annotations

import contextlib
import copy
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from generator.errors import DataErrors
from generator.load import load_file
from generator.models import Call, Table, field_title, iter_quotes, table_grid, table_rows

from .conftest import ROOT, TESTS

SAMPLE = TESTS / "data" / "good" / "sample-call.yaml"
SAMPLE_DATA = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
_TMP = Path(tempfile.mkdtemp(prefix="kexie-props-"))
FIELD_NAMES = sorted(set(Call.model_fields) | set(SAMPLE_DATA))

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.dates(),
    st.sampled_from(["市", "省", "县", "市级学会", "2022-02-30", "<script>", "{{ 1 }}", "=1+1"]),
)
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(FIELD_NAMES), st.text(max_size=8)), children, max_size=4),
    ),
    max_leaves=20,
)


def _paths(data: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(data, dict):
        for k, v in data.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += _paths(v, (*prefix, i))
    return out


SAMPLE_PATHS = [p for p in _paths(SAMPLE_DATA) if p]


def _set(data: Any, path: tuple, value: Any) -> Any:
    data = copy.deepcopy(data)
    cur = data
    for part in path[:-1]:
        cur = cur[part]
    cur[path[-1]] = value
    return data


def _load_text(text: str, name: str = "sample-call.yaml") -> Call | None:
    path = _TMP / name
    path.write_text(text, encoding="utf-8")
    try:
        return load_file(path, ROOT)
    except DataErrors as exc:
        assert exc.errors, "DataErrors raised without any error"
        for err in exc.errors:
            assert err.zh and err.en
        return None


def _round_trips(call: Call) -> None:
    as_json = json.loads(call.model_dump_json())
    again = Call.model_validate(as_json)
    assert again == call
    # and through YAML text as a publisher would write it
    reloaded = _load_text(yaml.safe_dump(as_json, allow_unicode=True, sort_keys=False), f"{call.id}.yaml")
    assert reloaded == call


def test_sample_and_real_calls_round_trip(calls):
    for call in [load_file(SAMPLE, ROOT), *calls]:
        _round_trips(call)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from(SAMPLE_PATHS), value=values)
def test_mutated_call_loads_or_fails_cleanly(path, value):
    data = _set(SAMPLE_DATA, path, value)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    call = _load_text(text)
    if call is not None:
        _round_trips(call)


@settings(max_examples=100, deadline=None)
@given(doc=values)
def test_arbitrary_document_loads_or_fails_cleanly(doc):
    text = yaml.safe_dump(doc, allow_unicode=True)
    assert _load_text(text) is None  # nothing random is a whole valid call


@settings(max_examples=150, deadline=None)
@given(text=st.text(max_size=200))
def test_arbitrary_text_never_crashes_the_loader(text):
    with contextlib.suppress(UnicodeEncodeError):  # lone surrogates cannot be written to a file
        _load_text(text)


def test_quotes_cover_form_labels_but_not_editorial_text():
    call = load_file(SAMPLE, ROOT)
    paths = dict(iter_quotes(call))
    assert paths["forms[0].blocks[0].rows[0].cells[0].text"] == "申报单位"
    assert "summary" not in paths and "short_title" not in paths
    assert not any(p.endswith(".id") for p in paths)


def test_field_titles_follow_the_model():
    assert field_title(("deadlines", 0, "date")) == "日期"
    assert field_title(("issuer", "name")) == "发文单位"
    assert field_title(("forms", 0, "blocks", 1, "table", "rows", 0, "cells", 2, "input", "hint")) == "提示"


# --------------------------------------------------------------------------- additions for the next notice


def _sample_with(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(SAMPLE_DATA)
    data.update(changes)
    return data


def test_a_deadline_keeps_month_and_day_when_the_year_is_unknown():
    from generator.models import Deadline

    d = Deadline(label="申报截止", date=None, month=5, day=30, text="5 月 30 日前")
    assert (d.month, d.day, d.date) == (5, 30, None)
    for bad in (
        {"month": 5},  # a month without a day
        {"month": 2, "day": 30},  # no such day
        {"month": 5, "day": 30, "date": "2020-05-30"},  # a full date says it already
        {"year_inferred": True},  # nothing to infer a year for
    ):
        data = {"label": "申报截止", "date": None, **bad}
        with pytest.raises(ValidationError):
            Deadline.model_validate(data)


def test_district_issuer_area_quota_route_and_unattached_form_load():
    from generator.models import LimitScope, Role

    data = _sample_with(
        issuer={"name": "某区科学技术协会", "level": "区", "region": "某区", "within": ["某省", "某市"]},
    )
    data["eligibility"] = {
        **data["eligibility"],
        "applicants": ["社区"],
        "limits": [
            {"max_count": 2, "scope": "整个地区", "allocated_by": "街道/镇", "role": "推荐", "text": "全区推荐 2 个"}
        ],
    }
    data["submission"] = {**data["submission"], "route": [
        {"by": "社区", "to": "街道/镇", "action": "申报"},
        {"by": "街道/镇", "to": "区科协", "action": "推荐"},
    ]}
    call = Call.model_validate(data)
    lim = call.eligibility.limits[0]
    assert (lim.scope, lim.role, lim.allocated_by) == (LimitScope.PER_AREA, Role.RECOMMEND, "街道/镇")
    assert [s.to for s in call.submission.route] == ["街道/镇", "区科协"]
    assert call.issuer.within == ["某省", "某市"]


def test_new_references_are_checked():
    from generator.models import reference_problems

    data = copy.deepcopy(SAMPLE_DATA)
    data["eligibility"] = {
        **data["eligibility"],
        "recommenders": [{"recommenders": ["机关部室和直属单位"], "form": "no-such-form", "text": "推荐"}],
    }
    data["attachments"] = [
        *data.get("attachments", []),
        {"title": "筹建申请表", "kind": "form", "in_source": False, "categories": ["no-such-cat"]},
    ]
    problems = [loc for loc, _, _ in reference_problems(Call.model_validate(data))]
    assert ("eligibility", "recommenders", 0, "form", 0) in problems
    assert any(loc[0] == "attachments" and loc[-2] == "categories" for loc in problems)


def test_table_rows_name_the_data_row_of_each_physical_row():
    table = Table.model_validate({
        "type": "table",
        "widths": [1, 1],
        "rows": [
            {"cells": [{"text": "姓名"}, {"text": "单位"}]},
            {"cells": [{"input": {"id": "name"}}, {"input": {"id": "unit"}}], "repeat": 3},
        ],
    })
    assert table_rows(table) == [(0, 1), (1, 1), (1, 2), (1, 3)]
    assert len(table_rows(table)) == len(table_grid(table))
