"""Every string that claims to quote a notice occurs in that notice's source text."""

from __future__ import annotations

import pytest

from generator.fidelity import normalise, source_text, unquoted
from generator.load import load_file

from .conftest import ROOT, TESTS


def test_normalise_folds_width_space_and_quotes():
    assert normalise("申 报 单 位：") == normalise("申报单位:")
    assert normalise("“提升计划”") == normalise('"提升计划"')
    assert normalise("1-2万元／个") == normalise("1－2万元/个")


def test_detects_a_quote_missing_from_the_source():
    call = load_file(TESTS / "data" / "good" / "sample-call.yaml", ROOT)
    assert unquoted(call, source_text(call, ROOT)) == []
    assert ("title", call.title) in unquoted(call, "只有别的文字")


def test_every_quote_in_the_data_is_in_its_source(calls):
    problems = []
    for call in calls:
        for path, text in unquoted(call, source_text(call, ROOT)):
            problems.append(f"{call.id}: {path}: {text[:60]}")
    assert not problems, "quotes not found in the source text:\n" + "\n".join(problems)


@pytest.mark.parametrize("seed", sorted((ROOT.parent / "shared" / "seeds").glob("*.txt")) or [None])
def test_sources_are_copies_of_the_seeds(seed, calls):
    """Each seed notice is in the repo unchanged as some call's source text."""
    if seed is None:
        pytest.skip("shared/seeds is not beside this checkout")
    found = any(source_text(c, ROOT) == seed.read_text(encoding="utf-8") for c in calls)
    assert found, f"{seed.name}: no call has it as its source text"
