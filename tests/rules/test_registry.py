"""The rule registry: one broken fixture per rule, with the exact message ``check`` prints.

``tests/data/bad/<name>.yaml`` (or a folder ``<name>.d`` of data files, for rules across
calls) holds one mistake; ``<name>.expected`` the exact line (``file:line:col: field（字段）:
中文 / English``). A few rules need a file the repository cannot hold (a link out of it, a
file over the size limit): they are made in :mod:`tests.rules.test_reading`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import rules
from generator.errors import DataError, DataErrors
from generator.load import load, load_file

from ..conftest import ROOT, TESTS

BAD_DIR = TESTS / "data" / "bad"
BAD = sorted([*BAD_DIR.glob("*.yaml"), *BAD_DIR.glob("*.d")])
#: Rules whose broken file is made by a test in tests/rules/test_reading.py.
#: Rules whose broken input is made by a test rather than kept as a fixture file (links out of
#: the repository, oversized files, a call over the size limits: tests/test_faults.py).
MADE_BY_TESTS = {"file-unreadable", "file-outside-repo", "file-too-large", "call-size"}


def _errors(path: Path) -> list[DataError]:
    with pytest.raises(DataErrors) as info:
        if path.is_dir():
            load(path, ROOT)
        else:
            load_file(path, ROOT)
    return info.value.errors


def _expected(path: Path) -> str:
    return path.with_suffix(".expected").read_text(encoding="utf-8").strip()


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_bad_file_gives_expected_message(path: Path):
    assert _expected(path) in [e.format() for e in _errors(path)]


def test_every_rule_has_a_broken_fixture():
    covered = set()
    for path in BAD:
        covered |= {e.rule for e in _errors(path) if e.format() == _expected(path)}
    codes = {r.code for r in rules.RULES}
    assert covered <= codes
    assert codes - covered == MADE_BY_TESTS


def test_rule_codes_are_unique_and_described():
    codes = [r.code for r in rules.RULES]
    assert len(codes) == len(set(codes))
    for r in rules.RULES:
        assert r.zh and r.en and r.fix, r.code
        assert (r.check is None) == (r.stage in ("file", "model")), r.code
        assert rules.rule(r.code) is r


def test_every_error_carries_its_rule():
    for path in BAD:
        assert all(e.rule in {r.code for r in rules.RULES} for e in _errors(path)), path.name


def test_all_problems_of_a_valid_call_are_reported_at_once(tmp_path: Path):
    text = (TESTS / "data" / "good" / "sample-call.yaml").read_text(encoding="utf-8")
    text = text.replace("min: 8, max: 10", "min: 12, max: 10")
    text = text.replace('phones: ["7256979"]', 'phones: ["7256978"]')
    text = text.replace("title: 关于申报2099年度示例项目的通知", "title: 关于申报2099年度示范项目的通知")
    bad = tmp_path / "sample-call.yaml"
    bad.write_text(text, encoding="utf-8")
    found = {e.rule for e in _errors(bad)}
    assert {"range-order", "phone-in-notice", "quote-in-source"} <= found


def test_the_publishing_page_lists_every_rule():
    """docs/publish.md carries the table :func:`generator.rules.catalogue` makes, unchanged."""
    page = (ROOT / "docs" / "publish.md").read_text(encoding="utf-8")
    start, end = "<!-- rules:start -->\n", "<!-- rules:end -->"
    assert start in page and end in page
    table = page.split(start, 1)[1].split(end, 1)[0].strip()
    assert table == rules.catalogue().strip(), (
        "docs/publish.md: regenerate the table with python -m generator.rules"
    )
