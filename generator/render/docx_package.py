"""The blank Word package every form starts from, and deterministic zip packing.

This module holds plain XML text and zip handling only (no python-docx objects):

* :func:`blank_package` is a minimal ``.docx`` (no thumbnail, no custom XML, no
  author) whose styles carry the Chinese official-document typography: East Asian
  fonts (``w:eastAsia``) set in every style so Word and WPS pick 仿宋/黑体/宋体,
  not a Latin fallback; sizes 二号/三号/四号/小四; exact line spacing.
* :func:`repack` rewrites a saved package with fixed timestamps and attributes,
  so the same data always gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from functools import cache
from xml.sax.saxutils import quoteattr

from ..layout import SIZE_2, SIZE_3, SIZE_4, SIZE_XIAO_2, SIZE_XIAO_4, line_pitch

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

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_DECL = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"

_CONTENT_TYPES = (
    _DECL
    + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
    '<Override PartName="/word/settings.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>'
    '<Override PartName="/word/fontTable.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>'
    '<Override PartName="/docProps/core.xml" '
    'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.extended-properties+xml"/>'
    "</Types>"
)

_ROOT_RELS = (
    _DECL
    + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
    'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)

_DOCUMENT_RELS = (
    _DECL
    + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/styles" Target="styles.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/settings" Target="settings.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/fontTable" Target="fontTable.xml"/>'
    "</Relationships>"
)

_DOCUMENT = (
    _DECL + f'<w:document xmlns:w="{_W}" xmlns:r="{_R}" xmlns:w14="{_W14}" '
    f'xmlns:mc="{_MC}" mc:Ignorable="w14"><w:body><w:sectPr/></w:body></w:document>'
)

_CORE = (
    _DECL
    + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:title/><dc:subject/><dc:creator/><cp:lastModifiedBy/><cp:revision>1</cp:revision>"
    "<dc:language>zh-CN</dc:language>"
    "</cp:coreProperties>"
)

_APP = (
    _DECL
    + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
    'docPropsVTypes"><Application>kexie-calls</Application><DocSecurity>0</DocSecurity>'
    "<ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate>"
    "<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged></Properties>"
)

_SETTINGS = (
    _DECL + f'<w:settings xmlns:w="{_W}" xmlns:w14="{_W14}" xmlns:mc="{_MC}" mc:Ignorable="w14">'
    '<w:zoom w:percent="100"/>'
    '<w:defaultTabStop w:val="420"/>'
    '<w:characterSpacingControl w:val="compressPunctuation"/>'
    "<w:compat>"
    "<w:spaceForUL/><w:balanceSingleByteDoubleByteWidth/><w:doNotLeaveBackslashAlone/>"
    "<w:ulTrailSpace/><w:doNotExpandShiftReturn/><w:adjustLineHeightInTable/>"
    "<w:useFELayout/>"
    '<w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" '
    'w:val="15"/>'
    "</w:compat>"
    '<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/>'
    '<w:decimalSymbol w:val="."/><w:listSeparator w:val=","/>'
    "</w:settings>"
)

# name, English alternative name, panose, charset, family, pitch
_FONTS = [
    (LATIN_FONT, None, "02020603050405020304", "00", "roman", "variable"),
    ("宋体", "SimSun", "02010600030101010101", "86", "auto", "variable"),
    (TITLE_FONT, "SimHei", "02010609060101010101", "86", "modern", "fixed"),
    (BODY_FONT, "FangSong", "02010609060101010101", "86", "modern", "fixed"),
    (KAI_FONT, "KaiTi", "02010609060101010101", "86", "modern", "fixed"),
    (SYMBOL_FONT, None, "020B0502040204020203", "00", "swiss", "variable"),
]


def _font_table() -> str:
    fonts = []
    for name, alt, panose, charset, family, pitch in _FONTS:
        alt_xml = f"<w:altName w:val={quoteattr(alt)}/>" if alt else ""
        fonts.append(
            f"<w:font w:name={quoteattr(name)}>{alt_xml}<w:panose1 w:val=\"{panose}\"/>"
            f'<w:charset w:val="{charset}"/><w:family w:val="{family}"/>'
            f'<w:pitch w:val="{pitch}"/></w:font>'
        )
    return _DECL + f'<w:fonts xmlns:w="{_W}">' + "".join(fonts) + "</w:fonts>"


def _fonts(east_asia: str) -> str:
    return (
        f'<w:rFonts w:ascii="{LATIN_FONT}" w:hAnsi="{LATIN_FONT}" '
        f'w:eastAsia="{east_asia}" w:cs="{LATIN_FONT}" w:hint="eastAsia"/>'
    )


def _half(size: float) -> int:
    return round(size * 2)


def _spacing(size: float, before: float = 0, after: float = 0) -> str:
    line = round(line_pitch(size) * 20)
    return (
        f'<w:spacing w:before="{round(before * 20)}" w:after="{round(after * 20)}" '
        f'w:line="{line}" w:lineRule="exact"/>'
    )


def _para_style(
    style_id: str,
    name: str,
    *,
    font: str,
    size: float,
    jc: str | None = None,
    bold: bool = False,
    before: float = 0,
    after: float = 0,
    outline: int | None = None,
    keep_next: bool = False,
    based_on: str | None = "Normal",
    extra_ppr: str = "",
) -> str:
    ppr = "<w:keepNext/>" if keep_next else ""
    ppr += _spacing(size, before, after) + extra_ppr
    if jc:
        ppr += f'<w:jc w:val="{jc}"/>'
    if outline is not None:
        ppr += f'<w:outlineLvl w:val="{outline}"/>'
    rpr = _fonts(font) + ("<w:b/><w:bCs/>" if bold else "")
    rpr += f'<w:sz w:val="{_half(size)}"/><w:szCs w:val="{_half(size)}"/>'
    based = f'<w:basedOn w:val="{based_on}"/>' if based_on else ""
    return (
        f'<w:style w:type="paragraph" w:styleId="{style_id}"><w:name w:val="{name}"/>{based}'
        f'<w:next w:val="Normal"/><w:qFormat/><w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>'
    )


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


def _styles() -> str:
    rpr_default = (
        _fonts(BODY_FONT) + f'<w:kern w:val="2"/><w:sz w:val="{_half(SIZE_4)}"/>'
        f'<w:szCs w:val="{_half(SIZE_4)}"/>'
        '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/>'
    )
    styles = [
        f"<w:docDefaults><w:rPrDefault><w:rPr>{rpr_default}</w:rPr></w:rPrDefault>"
        f"<w:pPrDefault><w:pPr>{_spacing(SIZE_4)}</w:pPr></w:pPrDefault></w:docDefaults>",
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
        '<w:qFormat/><w:pPr><w:widowControl w:val="0"/><w:jc w:val="both"/></w:pPr></w:style>',
        _para_style(
            STYLE_TITLE, "Title", font=TITLE_FONT, size=SIZE_2, jc="center", after=16, outline=0
        ),
        _para_style(
            heading_style(1), "heading 1", font=TITLE_FONT, size=SIZE_XIAO_2, before=8, after=8,
            outline=0, keep_next=True,
        ),
        _para_style(
            heading_style(2), "heading 2", font=TITLE_FONT, size=SIZE_3, before=6, after=6,
            outline=1, keep_next=True,
        ),
        _para_style(
            heading_style(3), "heading 3", font=KAI_FONT, size=SIZE_3, before=4, after=4,
            outline=2, keep_next=True,
        ),
        _para_style(STYLE_ATTACHMENT, "附件标识", font=TITLE_FONT, size=SIZE_3, jc="left", after=8),
        _para_style(STYLE_LARGE, "正文（三号）", font=BODY_FONT, size=SIZE_3),
        _para_style(STYLE_SMALL, "正文（小四）", font=BODY_FONT, size=SIZE_XIAO_4),
        _para_style(STYLE_TABLE, "表格文字", font=BODY_FONT, size=SIZE_4, jc="left"),
        _para_style(
            STYLE_TABLE_SMALL, "表格文字（小四）", font=BODY_FONT, size=SIZE_XIAO_4, jc="left"
        ),
        _para_style(STYLE_FOOTER, "footer", font=PAGE_NUMBER_FONT, size=SIZE_4, jc="center"),
        '<w:style w:type="paragraph" w:styleId="PageBreakCarrier"><w:name w:val="分页符载体"/>'
        '<w:basedOn w:val="Normal"/><w:pPr><w:spacing w:before="0" w:after="0" w:line="20" '
        'w:lineRule="exact"/></w:pPr><w:rPr><w:sz w:val="2"/><w:szCs w:val="2"/></w:rPr></w:style>',
        '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
        '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/>'
        "<w:unhideWhenUsed/></w:style>",
        f'<w:style w:type="character" w:styleId="{STYLE_PLACEHOLDER}">'
        '<w:name w:val="Placeholder Text"/><w:basedOn w:val="DefaultParagraphFont"/>'
        '<w:uiPriority w:val="99"/><w:semiHidden/><w:rPr><w:color w:val="7F7F7F"/></w:rPr>'
        "</w:style>",
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal">'
        '<w:name w:val="Normal Table"/>'
        '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr>'
        '<w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>'
        '<w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/>'
        '<w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>',
    ]
    return (
        _DECL + f'<w:styles xmlns:w="{_W}" xmlns:w14="{_W14}" xmlns:mc="{_MC}" '
        'mc:Ignorable="w14">' + "".join(styles) + "</w:styles>"
    )


@cache
def blank_package() -> bytes:
    """A minimal, empty ``.docx`` with the official-document styles.

    Returns:
        The package bytes, to be opened with ``docx.Document(io.BytesIO(...))``.
    """
    parts = [
        ("[Content_Types].xml", _CONTENT_TYPES),
        ("_rels/.rels", _ROOT_RELS),
        ("docProps/core.xml", _CORE),
        ("docProps/app.xml", _APP),
        ("word/_rels/document.xml.rels", _DOCUMENT_RELS),
        ("word/document.xml", _DOCUMENT),
        ("word/styles.xml", _styles()),
        ("word/settings.xml", _SETTINGS),
        ("word/fontTable.xml", _font_table()),
    ]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in parts:
            zf.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), text.encode("utf-8"))
    return buf.getvalue()


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
    stamp = (max(when.year, 1980), when.month, when.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, stamp)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.create_system = 0
            member.external_attr = 0
            dst.writestr(member, src.read(info.filename), compresslevel=6)
    return out.getvalue()
