"""Facts of the real call data in data/calls that no general rule can know.

Every rule about data lives in :mod:`generator.rules` and is run by the loader (and so by
``check``, ``build``, ``serve`` and the ``calls`` fixture); its broken fixtures are in
``tests/data/bad`` (see tests/rules/test_registry.py). What stays here are facts of the
five notices: the 徐州 group counts, the 江苏 indicator table as printed, what 江苏's
source lacks, and which seed notice each call encodes.
"""

from __future__ import annotations

import pytest

from generator.errors import DataErrors
from generator.fidelity import normalise
from generator.load import load
from generator.models import Call, Category, CountRange
from generator.rules.reading import read_text

from .conftest import ROOT

SEEDS_DIR = ROOT.parent / "shared" / "seeds"

#: The five source notices and the fixed id of the call encoding each.
SEED_CALLS = {
    "000_2f8a7353d479275a.txt": "jining-2023-reform-brand",
    "001_e177855668ea4276.txt": "shandong-2022-reform-brand",
    "002_d919467686d347e6.txt": "changde-2022-society-capacity",
    "003_868d155737daf8a5.txt": "xuzhou-2022-society-capacity",
    "004_7d6f9b0163dfda3d.txt": "jiangsu-2021-county-kx",
}

def _call(calls: list[Call], call_id: str) -> Call:
    for call in calls:
        if call.id == call_id:
            return call
    pytest.fail(f"data/calls/{call_id}.yaml is missing")


def _source(call: Call) -> str:
    return read_text(ROOT / call.source.text_file, ROOT)


def test_the_data_passes_every_rule():
    try:
        load(ROOT / "data" / "calls", ROOT)
    except DataErrors as exc:
        pytest.fail(exc.report())


# --------------------------------------------------------------------------- parent counts


def _exact(rng: CountRange | None) -> int | None:
    if rng is not None and rng.min is not None and rng.min == rng.max:
        return rng.min
    return None


def test_xuzhou_group_counts(calls):
    """徐州: 一流学会 5–7, 创新特色学会 10–12, 服务专项 30 = 科技服务 20 + 科技创新智库 10."""
    call = _call(calls, "xuzhou-2022-society-capacity")
    cats = call.all_categories()

    def named(word: str, among: list[Category]) -> Category:
        found = [c for c in among if word in c.name]
        assert found, f"no category named like {word}"
        return found[0]

    first_rate = named("一流学会", cats)
    featured = named("创新特色学会", cats)
    service = named("服务专项", cats)
    assert (first_rate.count.min, first_rate.count.max) == (5, 7)  # type: ignore[union-attr]
    assert (featured.count.min, featured.count.max) == (10, 12)  # type: ignore[union-attr]
    assert _exact(service.count) == 30
    tech = named("科技服务", service.children)
    think_tank = named("智库", service.children)
    assert (_exact(tech.count), _exact(think_tank.count)) == (20, 10)
    assert sum(_exact(c.count) or 0 for c in service.children) == _exact(service.count)
    text = normalise(_source(call))
    assert normalise("服务专项 30 个，包括 20 个科技服务项目、10 个科技创新智库项目") in text


def test_xuzhou_has_separate_deadlines_for_its_groups(calls):
    call = _call(calls, "xuzhou-2022-society-capacity")
    service = next(c for c in call.all_categories() if "服务专项" in c.name)
    first_rate = next(c for c in call.all_categories() if "一流学会" in c.name)
    dated = [d for d in call.deadlines if d.date is not None]
    for_service = [d for d in dated if service.id in d.categories]
    for_first_rate = [d for d in dated if first_rate.id in d.categories]
    assert len(for_service) == 1 and len(for_first_rate) == 1
    assert for_service[0].date != for_first_rate[0].date


# --------------------------------------------------------------------------- indicators


def test_jiangsu_indicators_match_the_notice(calls):
    """江苏 附件1: five groups 15/20/20/15/30 = 100, plus 单项工作创新 附加分10分, as printed."""
    call = _call(calls, "jiangsu-2021-county-kx")
    table = call.indicators
    assert table is not None
    text = normalise(_source(call))
    assert [g.points for g in table.groups] == [15, 20, 20, 15, 30]
    assert sum(i.points for g in table.groups for i in g.indicators) == table.total == 100
    assert normalise(f"项目指标（计{table.total}分）") in text
    assert sum(len(g.indicators) for g in table.groups) == 24
    for g in table.groups:
        assert normalise(f"{g.name}（{g.points}分）") in text, g.name
        for ind in g.indicators:
            # In the source each indicator's text is followed by its points.
            assert normalise(ind.text) + str(ind.points) in text, ind.text[:30]
    assert [(b.name, b.points) for b in table.bonus] == [("单项工作创新", 10)]
    assert normalise(f"{table.bonus[0].name}附加分{table.bonus[0].points}分") in text
    assert normalise(table.bonus[0].text) in text


def test_jiangsu_facts_missing_from_the_source_stay_unknown(calls):
    """The notice body is not in the source: no issue date, number or deadline may be invented."""
    call = _call(calls, "jiangsu-2021-county-kx")
    assert call.issued is None and call.doc_no is None
    assert [d.date for d in call.deadlines] == [None]
    assert call.source.missing
    assert call.eligibility.applicants and {a.value for a in call.eligibility.applicants} == {
        "县级科协"
    }


def test_jiangsu_forms_carry_the_notice_word_limits(calls):
    """附件2: 2000字 over 总体思路 + 目标任务和计划措施; 附件3: 2000字 over 背景、举措、成效."""
    call = _call(calls, "jiangsu-2021-county-kx")
    app, case = call.form("application"), call.form("case")
    assert [(w.limit, len(w.fields)) for w in app.word_limits] == [(2000, 2)]
    assert [(w.limit, len(w.fields)) for w in case.word_limits] == [(2000, 3)]
    assert app.cover and len(app.instructions) == 6  # heading + 五 items
    assert {a.number: a.kind.value for a in call.attachments} == {
        "附件1": "indicators",
        "附件2": "form",
        "附件3": "form",
    }


# --------------------------------------------------------------------------- seeds


@pytest.mark.parametrize("seed", sorted(SEED_CALLS))
def test_each_seed_notice_is_encoded_by_its_call(seed, calls):
    """The call of each seed names it, and its source text is an exact copy of it.

    That no two calls share a seed or a source text is the rule ``one-call-per-source``.
    """
    call = _call(calls, SEED_CALLS[seed])
    assert call.source.seed == seed
    assert call.source.text_file == f"data/sources/{call.id}.txt"
    if not (SEEDS_DIR / seed).is_file():
        pytest.skip("shared/seeds is not beside this checkout")
    assert _source(call) == (SEEDS_DIR / seed).read_text(encoding="utf-8")
