"""The comparison behind the quote rules: normalised text, quotes missing from a source.

That every quote of the real data is in its source is the rule ``quote-in-source``
(tests/rules/test_registry.py has its broken fixture; the loader runs it on the data).
"""

from __future__ import annotations

from generator.fidelity import normalise, unquoted
from generator.load import load_file

from .conftest import ROOT, TESTS


def test_normalise_folds_width_space_and_quotes():
    assert normalise("申 报 单 位：") == normalise("申报单位:")
    assert normalise("“提升计划”") == normalise('"提升计划"')
    assert normalise("1-2万元／个") == normalise("1－2万元/个")


def test_detects_a_quote_missing_from_the_source():
    call = load_file(TESTS / "data" / "good" / "sample-call.yaml", ROOT)
    source = (ROOT / call.source.text_file).read_text(encoding="utf-8")
    assert unquoted(call, source) == []
    assert ("title", call.title) in unquoted(call, "只有别的文字")
