"""Every form the project renders as DOCX imports back with its labels, options, word limits and shape."""

import shutil

import pytest

from bench.importer import bench_round_trip


def _failures(rows):
    return [(r["form"], r["variant"], [k for k, v in r["same"].items() if not v]) for r in rows
            if not all(r["same"].values())]


def test_rendered_docx_imports_back():
    rows = bench_round_trip(resave=False)
    assert len(rows) >= 8
    assert _failures(rows) == []


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is installed by the CI sessions")
def test_libreoffice_resave_imports_back():
    rows = [r for r in bench_round_trip(resave=True) if r["variant"] == "LibreOffice"]
    # tables that follow each other (the 常德 forms) are kept apart by a paragraph, so
    # LibreOffice does not join them when it saves
    assert len(rows) >= 8
    assert _failures(rows) == []
