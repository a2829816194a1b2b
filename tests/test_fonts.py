"""Finding and preparing the CJK fonts (generator/fonts.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from generator import fonts
from generator.errors import BuildError

from .conftest import ROOT


@pytest.fixture(autouse=True)
def _fresh_lookup():
    fonts.find_cjk_fonts.cache_clear()
    yield
    fonts.find_cjk_fonts.cache_clear()


def test_finds_the_simplified_chinese_noto_faces():
    found = fonts.find_cjk_fonts()
    for face in (found.serif, found.serif_bold, found.sans, found.sans_bold):
        assert face.path.is_file()
        assert face.family in (*fonts.SERIF_FAMILIES, *fonts.SANS_FAMILIES)
    assert found.serif.family in fonts.SERIF_FAMILIES
    assert found.sans.family in fonts.SANS_FAMILIES
    assert found.serif_bold.bold and found.sans_bold.bold
    assert not found.serif.bold and not found.sans.bold
    # The face in the collection really is the Simplified Chinese one.
    name = TTFont(found.serif.path, fontNumber=found.serif.index, lazy=True)["name"]
    assert "SC" in name.getDebugName(1)


def test_missing_font_raises_a_clear_bilingual_message():
    with pytest.raises(BuildError) as info:
        fonts.find_cjk_fonts(("No Such Serif",), ("No Such Sans",))
    message = str(info.value)
    assert "未找到中文字体" in message
    assert "No Chinese (CJK) font found" in message
    assert "scripts/install-system-deps.sh fonts" in message
    assert "fonts-noto-cjk" in message


def test_serif_falls_back_to_sans():
    found = fonts.find_cjk_fonts(("No Such Serif",), fonts.SANS_FAMILIES)
    assert found.serif.family == found.sans.family


def test_cli_stops_when_fontconfig_knows_no_cjk_font(tmp_path: Path):
    """A machine without the fonts: the forms command fails and writes no PDF."""
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><fontconfig>'
        f"<dir>{tmp_path / 'no-fonts'}</dir><cachedir>{tmp_path / 'fc-cache'}</cachedir>"
        "</fontconfig>",
        encoding="utf-8",
    )
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "generator", "forms", "--format", "pdf", "--out", str(out),
         "--no-cache"],
        cwd=ROOT, env=env, capture_output=True, text=True, encoding="utf-8", check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "scripts/install-system-deps.sh fonts" in result.stderr
    assert not list(out.rglob("*.pdf"))


def test_prepared_face_is_small_and_covers_gb2312(tmp_path: Path):
    face = fonts.find_cjk_fonts().sans
    path = fonts.prepare_face(face, tmp_path)
    assert path.parent == tmp_path / "fonts"
    assert path.stat().st_size < 3_000_000  # the whole face is about 16 MB
    font = TTFont(path)
    cmap = font.getBestCmap()
    assert {ord(c) for c in fonts.gb2312_chars() if "\u4e00" <= c <= "\u9fff"} <= set(cmap)
    for char in "□（）：、。“”0123456789ABCabc":
        assert ord(char) in cmap, char
    assert "vmtx" not in font and "GSUB" not in font
    # Cached: asking again returns the same file, not written again.
    inode = path.stat().st_ino
    assert fonts.prepare_face(face, tmp_path) == path
    assert path.stat().st_ino == inode


def test_gb2312_has_every_level_one_and_two_hanzi():
    hanzi = [c for c in fonts.gb2312_chars() if "\u4e00" <= c <= "\u9fff"]
    assert len(hanzi) == 6763
    assert {"科", "协", "申", "报", "鑫", "堃"} & set(hanzi) == {"科", "协", "申", "报", "鑫"}


def test_document_font_keeps_only_the_documents_characters(tmp_path: Path):
    prepared = fonts.prepare_face(fonts.find_cjk_fonts().serif, tmp_path)
    path = fonts.document_font(prepared, "申报表单位公章年月日", tmp_path)
    cmap = TTFont(path).getBestCmap()
    assert {ord(c) for c in "申报表单位公章年月日"} <= set(cmap)
    assert ord("科") not in cmap
    assert len(cmap) < 120  # the characters plus printable ASCII
    assert path.stat().st_size < 40_000
    assert fonts.document_font(prepared, "申报表单位公章年月日", tmp_path) == path
    assert fonts.document_font(prepared, "科协", tmp_path) != path


def test_document_font_hit_counts_as_a_use(tmp_path):
    import time

    from generator import cache

    prepared = fonts.prepare_fonts(tmp_path)
    cut = fonts.document_font(prepared.sans, "申报表", tmp_path)
    long_ago = time.time() - 30 * 86400
    os.utime(cut, (long_ago, long_ago))
    assert fonts.document_font(prepared.sans, "申报表", tmp_path) == cut
    cache.prune(tmp_path, cache.SHARED)
    assert cut.is_file(), "a cut read by this build was pruned"
