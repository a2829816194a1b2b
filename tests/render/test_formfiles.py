"""Just the forms (generator/render/formfiles.py and ``python -m generator forms``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from generator.errors import BuildError
from generator.formset import forms_of
from generator.load import load, load_file
from generator.render import formfiles

from ..conftest import ROOT, TESTS


@pytest.fixture(scope="module")
def sample():
    return load_file(TESTS / "data" / "good" / "sample-call.yaml", ROOT)


def test_file_names(sample):
    form = forms_of(sample)[0]
    assert formfiles.file_name(sample, form, "pdf") == "附件1 示例申报表.pdf"
    assert formfiles.file_name(sample, form, "fillable") == "附件1 示例申报表（可填写）.pdf"
    assert formfiles.file_name(sample, form, "docx") == "附件1 示例申报表.docx"


def test_write_pdf_and_fillable(sample, tmp_path: Path):
    for fmt in ("pdf", "fillable"):
        files = formfiles.write_forms([sample], fmt, tmp_path / fmt, cache_dir=tmp_path / "cache")
        assert [f.relative_to(tmp_path / fmt).as_posix() for f in files] == [
            f"sample-call/{formfiles.file_name(sample, forms_of(sample)[0], fmt)}"
        ]
        reader = PdfReader(files[0])
        assert bool(reader.get_fields()) == (fmt == "fillable")


def test_unknown_call_and_format(sample, tmp_path: Path):
    with pytest.raises(BuildError, match="nope"):
        formfiles.select_calls([sample], "nope")
    assert formfiles.select_calls([sample], "sample-call") == [sample]
    with pytest.raises(BuildError):
        formfiles.write_forms([sample], "odt", tmp_path, cache_dir=tmp_path)


def test_cli_writes_one_calls_forms(tmp_path: Path):
    calls = load(ROOT / "data" / "calls", ROOT)
    call = calls[0]
    result = subprocess.run(
        [sys.executable, "-m", "generator", "forms", "--format", "pdf", "--call", call.id,
         "--out", str(tmp_path), "--jobs", "1"],
        cwd=ROOT, capture_output=True, text=True, encoding="utf-8", check=False,
    )
    assert result.returncode == 0, result.stderr
    written = sorted(p.name for p in (tmp_path / call.id).iterdir())
    assert written == sorted(formfiles.file_name(call, f, "pdf") for f in forms_of(call))
    assert [p.name for p in tmp_path.iterdir()] == [call.id]
