"""Find the Chinese (CJK) fonts the PDFs are set in, and prepare the font of fillable fields.

The PDFs use the Noto CJK fonts of the Debian package ``fonts-noto-cjk`` (SIL Open Font
Licence), installed by ``scripts/install-system-deps.sh fonts``. They are found through
fontconfig (``fc-match``), which also picks the Simplified Chinese face inside the
``.ttc`` collections. When no CJK font is installed the build stops with a clear message
instead of writing PDFs full of empty boxes.

The faces are not used straight from the collections: :func:`prepare_face` makes a
standalone copy of each, cut down to the GB 2312 repertoire (all common Simplified Chinese
characters) plus Latin, punctuation and symbols, about 2 MB instead of 20 MB, cached by
content hash. This matters twice: WeasyPrint subsets fonts keeping glyph ids, so a subset
of a 65,000-glyph face still carries 65,000 empty slots (hundreds of KB per page), and a
fillable PDF embeds its field font whole (a PDF reader draws what an applicant types with
it), so that font must be small. Rare characters outside the prepared set fall back to the
installed family.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from . import cache
from .errors import BuildError

log = logging.getLogger(__name__)

#: Families tried for the body text (宋体-like serif), best first.
SERIF_FAMILIES: tuple[str, ...] = (
    "Noto Serif CJK SC",
    "Source Han Serif SC",
    "Noto Serif SC",
    "Source Han Serif CN",
)
#: Families tried for titles and labels (黑体-like sans), best first.
SANS_FAMILIES: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Noto Sans SC",
    "Source Han Sans CN",
)
#: Bumped when the way fonts are prepared changes, so old cached fonts are not reused.
PREPARE_VERSION = "4"

MISSING_MESSAGE = (
    "未找到中文字体（Noto Serif CJK SC 或 Noto Sans CJK SC），无法生成 PDF，"
    "以免生成的文件中汉字显示为空框。请运行 scripts/install-system-deps.sh fonts 安装"
    "（Debian/Ubuntu 软件包 fonts-noto-cjk），然后重新生成。"
    " / No Chinese (CJK) font found (Noto Serif CJK SC or Noto Sans CJK SC); refusing to "
    "write PDFs with empty boxes instead of Chinese text. Install one with "
    "`scripts/install-system-deps.sh fonts` (Debian/Ubuntu package fonts-noto-cjk) and "
    "build again."
)


@dataclass(frozen=True)
class Face:
    """One installed font face.

    Attributes:
        family: The fontconfig family name used in CSS, e.g. ``Noto Serif CJK SC``.
        path: The font file (often a ``.ttc`` collection).
        index: The face's index inside the file.
        bold: Whether this is the bold face.
    """

    family: str
    path: Path
    index: int
    bold: bool

    def identity(self) -> str:
        """A string that changes when the font file changes (path, index, size, mtime)."""
        st = self.path.stat()
        return f"{self.path}:{self.index}:{st.st_size}:{st.st_mtime_ns}"


@dataclass(frozen=True)
class CJKFonts:
    """The four faces the PDFs use.

    Attributes:
        serif: Body text (宋体 role).
        serif_bold: Bold body text.
        sans: Labels and fillable fields (黑体 role, regular).
        sans_bold: Titles and headings (黑体 role).
    """

    serif: Face
    serif_bold: Face
    sans: Face
    sans_bold: Face

    def identity(self) -> str:
        """A hash that changes whenever any of the four font files changes."""
        parts = [f.identity() for f in (self.serif, self.serif_bold, self.sans, self.sans_bold)]
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def _fc_match(family: str, bold: bool) -> Face | None:
    """Ask fontconfig for ``family``; None when it only offers a substitute."""
    exe = shutil.which("fc-match")
    if exe is None:
        return None
    pattern = f"{family}:style={'Bold' if bold else 'Regular'}"
    try:
        out = subprocess.run(
            [exe, "-f", "%{family}|%{file}|%{index}|%{weight}", pattern],
            capture_output=True, text=True, encoding="utf-8", check=True, timeout=30,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    try:
        families, file, index, weight = out.rsplit("|", 3)
    except ValueError:
        return None
    if family.lower() not in {f.strip().lower() for f in families.split(",")}:
        return None
    path = Path(file)
    if not path.is_file():
        return None
    is_bold = float(weight or 80) >= 180  # fontconfig: 80 regular, 200 bold
    if bold and not is_bold:
        return None
    return Face(family=family, path=path, index=int(index or 0), bold=bold)


def _first(families: tuple[str, ...], bold: bool) -> Face | None:
    for family in families:
        face = _fc_match(family, bold)
        if face is not None:
            return face
    return None


@functools.lru_cache(maxsize=8)
def find_cjk_fonts(
    serif: tuple[str, ...] = SERIF_FAMILIES, sans: tuple[str, ...] = SANS_FAMILIES
) -> CJKFonts:
    """Find the installed CJK faces.

    A missing serif falls back to the sans family (and the other way round); a missing
    bold face falls back to the regular one of the same role.

    Parameters:
        serif: Serif families to try, best first.
        sans: Sans-serif families to try, best first.

    Returns:
        The four faces.

    Raises:
        BuildError: No CJK font at all (message in Chinese and English, with how to
            install one).
    """
    found = {
        (role, bold): _first(families, bold)
        for role, families in (("serif", serif), ("sans", sans))
        for bold in (False, True)
    }
    for role, other in (("serif", "sans"), ("sans", "serif")):
        for bold in (False, True):
            if found[(role, bold)] is None:
                found[(role, bold)] = found[(role, not bold)] or found[(other, bold)] \
                    or found[(other, not bold)]
    if any(face is None for face in found.values()):
        raise BuildError(MISSING_MESSAGE)
    fonts = CJKFonts(
        serif=found[("serif", False)],  # type: ignore[arg-type]
        serif_bold=found[("serif", True)],  # type: ignore[arg-type]
        sans=found[("sans", False)],  # type: ignore[arg-type]
        sans_bold=found[("sans", True)],  # type: ignore[arg-type]
    )
    if fonts.serif.family in sans:
        log.warning("no CJK serif font found; using %s for body text", fonts.serif.family)
    return fonts


@functools.lru_cache(maxsize=1)
def gb2312_chars() -> frozenset[str]:
    """Every character of GB 2312 (6,763 hanzi plus punctuation, digits, kana, Greek…)."""
    chars = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes((hi, lo)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return frozenset(chars)


@functools.lru_cache(maxsize=1)
def prepared_charset() -> frozenset[int]:
    """Code points a prepared face keeps: printable ASCII, Latin-1, common punctuation,
    CJK symbols and full-width forms, geometric shapes (□ ■ ○ ●) and GB 2312."""
    points = set(range(0x20, 0x7F)) | set(range(0xA0, 0x100))
    points |= set(range(0x2000, 0x2070)) | set(range(0x3000, 0x3040)) | set(range(0xFF00, 0xFFF0))
    points |= set(range(0x25A0, 0x2600))
    points |= {ord(c) for c in gb2312_chars()}
    return frozenset(points)


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/kexie-calls`` (or ``~/.cache/kexie-calls``)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "kexie-calls"


@functools.lru_cache(maxsize=1)
def _charset_digest() -> str:
    return hashlib.sha256(",".join(map(str, sorted(prepared_charset()))).encode()).hexdigest()


def prepared_path(face: Face, cache_dir: Path) -> Path:
    """Where :func:`prepare_face` caches ``face`` (a hash of its identity and the charset)."""
    import uharfbuzz

    key = hashlib.sha256(
        "\n".join([PREPARE_VERSION, uharfbuzz.version_string(), face.identity(), _charset_digest()])
        .encode()
    ).hexdigest()[:20]
    weight = "bold" if face.bold else "regular"
    return cache_dir / "fonts" / f"{face.family.replace(' ', '')}-{weight}-{key}.otf"


#: Tables of no use for horizontal text in PDFs. Vertical metrics alone are 4 bytes a
#: glyph, and WeasyPrint keeps every glyph slot up to the highest one used.
DROP_TABLES = ("BASE", "DSIG", "GDEF", "GPOS", "GSUB", "VORG", "vhea", "vmtx")


def _subset(path: Path, index: int, unicodes: Iterable[int]) -> bytes:
    """The face ``index`` of ``path`` cut to ``unicodes`` (glyphs renumbered), without
    layout features, hints or :data:`DROP_TABLES`, by HarfBuzz's subsetter (uharfbuzz)."""
    import uharfbuzz as hb

    try:
        face = hb.Face(hb.Blob.from_file_path(path), index)
        plan = hb.SubsetInput()
        plan.unicode_set.update(unicodes)
        plan.layout_feature_tag_set.clear()
        plan.drop_table_tag_set.update(int.from_bytes(t.encode(), "big") for t in DROP_TABLES)
        plan.flags = hb.SubsetFlags.NO_HINTING
        data = hb.subset(face, plan).blob.data
    except (OSError, RuntimeError) as exc:
        raise BuildError(
            f"无法读取字体文件 {path}：{exc} / cannot read font file {path}: {exc}"
        ) from exc
    if not data:
        raise BuildError(f"无法裁剪字体文件 {path} / cannot subset font file {path}")
    return bytes(data)


def prepare_face(face: Face, cache_dir: Path) -> Path:
    """A standalone OpenType copy of ``face`` cut down to :func:`prepared_charset`.

    Cached under ``cache_dir/fonts/``, checked against its digest on every use. HarfBuzz
    cuts a CJK face in well under a second (fontTools takes about 20 s).

    Parameters:
        face: The face to copy (may live in a ``.ttc`` collection).
        cache_dir: The build cache folder.

    Returns:
        Path of the prepared ``.otf`` file.

    Raises:
        BuildError: The font file cannot be read.
    """
    out = prepared_path(face, cache_dir)
    out.parent.mkdir(parents=True, exist_ok=True)

    def make() -> bytes:
        data = _subset(face.path, face.index, sorted(prepared_charset()))
        log.info("prepared font %s (%d bytes)", out.name, len(data))
        return data

    return cache.verified_file(out, make)


def document_font(prepared: Path, text: str, cache_dir: Path) -> Path:
    """``prepared`` cut down to the characters of one document (plus printable ASCII).

    WeasyPrint subsets fonts keeping glyph ids, so a document set in a font of 7,000
    glyphs still carries 7,000 empty slots (some 30 KB a face). Cut to the document's
    own characters first, a face costs a few KB. Cached by content hash.

    Parameters:
        prepared: A face from :func:`prepare_face`.
        text: Every character the document may show.
        cache_dir: The build cache folder.

    Returns:
        Path of the document's ``.otf``.

    Raises:
        BuildError: The font cannot be subset.
    """
    wanted = sorted(set(range(0x20, 0x7F)) | {ord(c) for c in set(text)} - set(range(0x20)))
    key = hashlib.sha256(
        (prepared.name + "\n" + ",".join(map(str, wanted))).encode()
    ).hexdigest()[:20]
    out = cache_dir / "fonts" / "documents" / f"{key}.otf"
    out.parent.mkdir(parents=True, exist_ok=True)
    # checked against its digest on every use; in use: kept by generator.cache.prune
    return cache.verified_file(out, lambda: _subset(prepared, 0, wanted))


@dataclass(frozen=True)
class PreparedFonts:
    """The prepared files of the four faces, plus the installed families to fall back to."""

    cjk: CJKFonts
    serif: Path
    serif_bold: Path
    sans: Path
    sans_bold: Path


def prepare_fonts(cache_dir: Path) -> PreparedFonts:
    """Find the CJK faces and prepare all four.

    Parameters:
        cache_dir: The build cache folder.

    Returns:
        The prepared fonts.

    Raises:
        BuildError: No CJK font is installed, or a font file cannot be read.
    """
    cjk = find_cjk_fonts()
    faces = (cjk.serif, cjk.serif_bold, cjk.sans, cjk.sans_bold)
    paths = [prepare_face(face, cache_dir) for face in faces]
    return PreparedFonts(cjk, *paths)
