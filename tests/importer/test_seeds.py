"""The five seed notices imported afresh, against the hand-encoded data (as bench/importer.py measures)."""

import pytest

from bench.importer import KINDS, bench_seeds

GOAL = 0.9


@pytest.fixture(scope="module")
def seeds():
    return bench_seeds()


def test_no_value_is_missing_from_the_source(seeds):
    assert {r["id"]: r["not_in_source"] for r in seeds} == {r["id"]: 0 for r in seeds}


@pytest.mark.parametrize("kind", KINDS)
def test_precision_and_recall_per_kind_of_fact(seeds, kind):
    tp = sum(r["score"][kind][0] for r in seeds)
    drafted = sum(r["score"][kind][1] for r in seeds)
    truth = sum(r["score"][kind][2] for r in seeds)
    assert tp / drafted >= GOAL, (kind, [r["wrong"][kind] for r in seeds])
    assert tp / truth >= GOAL, (kind, [r["missed"][kind] for r in seeds])


def test_unseen_fixtures_meet_the_goal():
    from bench.importer import bench_fixtures

    for r in bench_fixtures():
        tp = sum(v[0] for v in r["score"].values())
        assert tp / sum(v[1] for v in r["score"].values()) >= GOAL, r["wrong"]
        assert tp / sum(v[2] for v in r["score"].values()) >= GOAL, r["missed"]
        assert r["not_in_source"] == 0
