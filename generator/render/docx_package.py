"""The blank Word package every form starts from, and deterministic zip packing.

This module holds the package parts and zip handling only (no python-docx objects):

* :func:`blank_package` is a minimal ``.docx`` (no thumbnail, no custom XML, no
  author), made from the XML template files under ``templates/docx/``, whose styles
  carry the Chinese official-document typography (sizes from :mod:`generator.layout`):
  East Asian fonts (``w:eastAsia``) set in every style so Word and WPS pick
  仿宋/黑体/宋体, not a Latin fallback; sizes 二号/三号/四号/小四; exact line spacing.
* :func:`repack` rewrites a saved package with fixed timestamps and attributes,
  so the same data always gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from functools import cache
from pathlib import Path

import jinja2

from .. import layout, zipfiles

#: Latin text (digits, ASCII) in every style.
LATIN_FONT = "Times New Roman"
#: Title and section-heading font (方正小标宋/黑体 style; 黑体 is on every Chinese system).
TITLE_FONT = "黑体"
#: Body and table text (仿宋).
BODY_FONT = "仿宋"
#: Page numbers (GB/T 9704: 4号半角宋体).
PAGE_NUMBER_FONT = "宋体"
#: Second-level headings (GB/T 9704: 楷体).
KAI_FONT = "楷体"
#: Checkbox glyphs ☐ ☑, present on every Windows since 7.
SYMBOL_FONT = "Segoe UI Symbol"

# name, English alternative name, panose, charset, family, pitch
_FONTS = [
    (LATIN_FONT, None, "02020603050405020304", "00", "roman", "variable"),
    ("宋体", "SimSun", "02010600030101010101", "86", "auto", "variable"),
    (TITLE_FONT, "SimHei", "02010609060101010101", "86", "modern", "fixed"),
    (BODY_FONT, "FangSong", "02010609060101010101", "86", "modern", "fixed"),
    (KAI_FONT, "KaiTi", "02010609060101010101", "86", "modern", "fixed"),
    (SYMBOL_FONT, None, "020B0502040204020203", "00", "swiss", "variable"),
]


#: Paragraph style ids used by the renderer.
STYLE_TITLE = "Title"
STYLE_ATTACHMENT = "AttachmentLabel"
STYLE_LARGE = "BodyLarge"
STYLE_SMALL = "BodySmall"
STYLE_TABLE = "TableText"
STYLE_TABLE_SMALL = "TableTextSmall"
STYLE_FOOTER = "Footer"
STYLE_PLACEHOLDER = "PlaceholderText"
STYLE_TINY = "PageBreakCarrier"


def heading_style(level: int) -> str:
    """Style id of a heading of ``level`` (1-3)."""
    return f"Heading{level}"


#: The package parts in the order they are zipped: part name, template under
#: ``templates/docx/`` (``_rels/.rels`` is stored without the leading dot, which package
#: data globs skip).
_PARTS = (
    ("[Content_Types].xml", "[Content_Types].xml"),
    ("_rels/.rels", "_rels/package.rels"),
    ("docProps/core.xml", "docProps/core.xml"),
    ("docProps/app.xml", "docProps/app.xml"),
    ("word/_rels/document.xml.rels", "word/_rels/document.xml.rels"),
    ("word/document.xml", "word/document.xml"),
    ("word/styles.xml", "word/styles.xml"),
    ("word/settings.xml", "word/settings.xml"),
    ("word/fontTable.xml", "word/fontTable.xml"),
)
_TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "docx"
_BETWEEN_TAGS = re.compile(r">\s+<")


def _part(env: jinja2.Environment, name: str) -> bytes:
    """A package part from its template: the XML declaration on a line of its own, then
    the document with the template's indentation between tags removed."""
    declaration, _, body = env.get_template(name).render(**_values()).partition("\n")
    return f"{declaration}\n{_BETWEEN_TAGS.sub('><', body.strip())}".encode()


def _values() -> dict[str, object]:
    """What the templates read: fonts, style ids, and the layout's sizes and pitches."""
    return {
        **{name: getattr(layout, name) for name in (
            "SIZE_2", "SIZE_4", "SIZE_XIAO_4", "PARAGRAPH_PT", "HEADING_PT", "HEADING_SPACE_PT",
            "TITLE_AFTER_PT", "ATTACHMENT_PT", "ATTACHMENT_AFTER_PT", "PAGE_NUMBER_PT",
        )},
        **{name: value for name, value in globals().items()
           if name.startswith("STYLE_") or name.endswith("_FONT")},
        "line_pitch": layout.line_pitch,
        "half": lambda size: round(size * 2),
        "twentieths": lambda pt: round(pt * 20),
        "fonts": [
            {"name": name, "alt": alt, "panose": panose, "charset": charset, "family": family,
             "pitch": pitch}
            for name, alt, panose, charset, family, pitch in _FONTS
        ],
    }


@cache
def blank_package() -> bytes:
    """A minimal, empty ``.docx`` with the official-document styles.

    Returns:
        The package bytes, to be opened with ``docx.Document(io.BytesIO(...))``.
    """
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(_TEMPLATES), autoescape=True,
        undefined=jinja2.StrictUndefined, keep_trailing_newline=False,
    )
    parts = ((name, _part(env, template)) for name, template in _PARTS)
    return zipfiles.zip_bytes(parts, zipfiles.EPOCH_1980, mode=None)


def repack(data: bytes, when: dt.date) -> bytes:
    """Rewrite a zip package with fixed metadata, so equal content gives equal bytes.

    Member order is kept; every member gets the timestamp ``when`` (00:00), the same
    permissions and ``create_system``, and is deflated at a fixed level.

    Parameters:
        data: The package as saved by python-docx.
        when: Timestamp for every member (e.g. the call's ``last_modified``).

    Returns:
        The normalised package bytes.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        members = [(info.filename, src.read(info.filename)) for info in src.infolist()]
    return zipfiles.zip_bytes(members, zipfiles.stamp(when), mode=None)
