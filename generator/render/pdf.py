"""Application forms and call guidelines as PDF (HTML → WeasyPrint).

One HTML template walks the form model (cover page, 填报说明 page, blocks) for both
variants: the *print* PDF, clean for printing and stamping, and the *fillable* PDF, the
same layout with AcroForm fields named after the form data's field ids. A guideline PDF
gives each call's key facts on A4.

Fonts come from :mod:`generator.fonts` (Noto CJK, subset by WeasyPrint to the glyphs
used). Rendered PDFs are cached under ``<cache>/pdf/`` by a hash of everything that goes
into them, so an unchanged form is not rendered again; :func:`render` renders the rest
in parallel processes.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import Markup

from .. import __version__, cache, fonts, layout, urls, workers
from ..context import BuildContext
from ..errors import BuildError
from ..formset import forms_of
from ..models import UNKNOWN, Call, Form, iter_form_fields

log = logging.getLogger(__name__)
# WeasyPrint reports every layout step at INFO; keep `-v` output to our own steps.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "pdf"
VARIANTS = ("print", "fillable")


#: Last resort for symbols the CJK faces lack (fonts-dejavu-core comes with fontconfig).
SYMBOL_FALLBACK = "DejaVu Sans"
#: The model shows control characters as control pictures (␇ ␛); no installed font draws
#: those, so PDFs print them in caret notation (^G ^[), still visible and inert.
_CARET = {0x2400 + n: f"^{chr(0x40 + n)}" for n in range(0x20)} | {0x2421: "^?"}


def _finalize(value):
    """Jinja finalize: control pictures in text become caret notation."""
    return value.translate(_CARET) if isinstance(value, str) else value


# --------------------------------------------------------------------------- setup


@functools.lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_finalize,
    )
    env.globals["UNKNOWN"] = UNKNOWN
    env.globals["TITLE_AFTER_PT"] = layout.TITLE_AFTER_PT
    return env


def _page_css() -> str:
    """The layout's page margins, page-number size, cell padding and shading and indents,
    as CSS (before ``form.css``)."""
    return (
        f"@page {{ margin: {layout.MARGIN_TOP_MM}mm {layout.MARGIN_RIGHT_MM}mm "
        f"{layout.MARGIN_BOTTOM_MM}mm {layout.MARGIN_LEFT_MM}mm; "
        f"@bottom-center {{ font-size: {layout.PAGE_NUMBER_PT}pt; }} }}\n"
        f"table.form td {{ padding: 0 {layout.CELL_MARGIN_MM:.2f}mm; }}\n"
        f"table.form td.th {{ background: #{layout.HEADER_SHADING}; }}\n"
        f".indent {{ text-indent: {layout.INDENT_CHARS}em; }}\n"
        f".sign.align-right {{ padding-right: {layout.INDENT_CHARS}em; }}\n"
    )


def _stylesheet(
    name: str, prepared: fonts.PreparedFonts, cache_dir: Path, *, text: str, field: bool
) -> Markup:
    """The stylesheet ``name`` with @font-face rules for the document's fonts.

    ``KX Serif`` / ``KX Sans`` become the prepared faces cut to the document's characters
    (``text``), under family names unique to that cut, falling back to the installed
    families; ``KX Field`` (fillable variant only), the font of the form fields, is a
    stub cut to printable ASCII that the PDF replaces by a reference to the standard
    ``STSong-Light`` (see :func:`_reference_field_font`).
    """
    css = (TEMPLATES / name).read_text(encoding="utf-8")
    if name == "form.css":
        css = _page_css() + css
    text = text + css
    faces = [
        ("KX Serif", "normal", fonts.document_font(prepared.serif, text, cache_dir)),
        ("KX Serif", "bold", fonts.document_font(prepared.serif_bold, text, cache_dir)),
        ("KX Sans", "normal", fonts.document_font(prepared.sans, text, cache_dir)),
        ("KX Sans", "bold", fonts.document_font(prepared.sans_bold, text, cache_dir)),
    ]
    if field:  # a stub: the PDF names the standard font instead (_reference_field_font)
        faces.append(("KX Field", "normal", fonts.document_font(prepared.sans, "", cache_dir)))
    # One family name per cut: several documents rendered in one process never mix cuts.
    # File names only (they are content hashes): the PDF's font names, which WeasyPrint
    # derives from the family, must not depend on where the cache folder is.
    tag = hashlib.sha256("".join(path.name for *_, path in faces).encode()).hexdigest()[:10]
    rules = "".join(
        f'@font-face {{ font-family: "{family} {tag}"; font-weight: {weight}; '
        f'src: url("{path.resolve().as_uri()}"); }}\n'
        for family, weight, path in faces
    )
    fallback = {"KX Serif": prepared.cjk.serif.family, "KX Sans": prepared.cjk.sans.family,
                "KX Field": prepared.cjk.sans.family}
    for family, installed in fallback.items():
        css = css.replace(f'"{family}"', f'"{family} {tag}", "{installed}", "{SYMBOL_FALLBACK}"')
    css = rules + css
    if "</" in css:  # family names come from fontconfig; never let them close <style>
        raise BuildError(f"样式表含有非法字符 / invalid characters in stylesheet {name}")
    return Markup(css)


def _url_fetcher():
    """A fetcher that only reads local files and data: URLs (no network, ever)."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"file", "data"}, fail_on_errors=True)


#: How many distinct @font-face rules one font configuration takes before it is replaced.
#: Fontconfig keeps every face and rule it was given and Pango drops its caches at each
#: new one, so a configuration that has seen thousands of document cuts makes every
#: later document slower (0.1 s a page after 400 documents); a fresh one costs ~30 ms.
FONT_FACES_PER_CONFIG = 200
_FONT_FACE = re.compile(r"@font-face \{[^}]*\}")


class _FontConfigs:
    """The WeasyPrint font configuration of this process, renewed now and then."""

    def __init__(self) -> None:
        self.config = None
        self.faces: set[str] = set()

    def get(self, html: str):
        """The configuration to render ``html`` with (reuses loaded @font-face files)."""
        from weasyprint.text.fonts import FontConfiguration

        faces = set(_FONT_FACE.findall(html))
        new = faces - self.faces
        if self.config is None or (new and len(self.faces) + len(new) > FONT_FACES_PER_CONFIG):
            self.config, self.faces = FontConfiguration(), set()
        self.faces |= faces
        return self.config


_font_configs = _FontConfigs()


#: Configurations inherited from the parent process by a forked worker (see below).
_inherited: list[_FontConfigs] = []


def _fresh_worker() -> None:
    """Worker initializer: a font configuration of the worker's own.

    WeasyPrint writes each @font-face file into its configuration's temporary folder and
    skips a face whose file is already there. Workers forked from a process that had
    rendered shared that folder, so a worker skipped faces a sibling had written (but
    only the sibling had loaded) and fell back to the installed font (a 15 MB fillable
    PDF). The inherited configuration is kept
    referenced, so that it is never collected here: its ``__del__`` would delete the
    parent's folder.
    """
    global _font_configs
    _inherited.append(_font_configs)
    _font_configs = _FontConfigs()


def _radio_kids_unnamed(document, pdf) -> None:
    """WeasyPrint finisher: the widgets of a radio group must not carry their own name.

    WeasyPrint gives every radio widget the group's name (``T``) as well, which readers
    see as a child field ``name.name``; without it the group is one field named after
    the choice id, with one widget per option.
    """
    for obj in pdf.objects:
        if isinstance(obj, dict) and "Parent" in obj and obj.get("Subtype") == "/Widget":
            obj.pop("T", None)
            obj.pop("TU", None)


#: Streams at least this long (uncompressed) are remembered compressed, by content hash:
#: the field font (1.5 MB) and its ToUnicode map are the same in every fillable PDF.
_MEMO_MIN_BYTES = 32 * 1024
_MEMO_MAX_ENTRIES = 8
_compressed_memo: dict[bytes, bytes] = {}


def _deflate(raw: bytes) -> bytes:
    """``raw`` compressed exactly as pydyf compresses a stream (zlib level 9)."""
    if len(raw) < _MEMO_MIN_BYTES:
        return _zlib9(raw)
    key = hashlib.sha256(raw).digest()
    data = _compressed_memo.get(key)
    if data is None:
        data = _zlib9(raw)
        if len(_compressed_memo) >= _MEMO_MAX_ENTRIES:
            _compressed_memo.pop(next(iter(_compressed_memo)))
        _compressed_memo[key] = data
    return data


def _zlib9(raw: bytes) -> bytes:
    compressor = zlib.compressobj(level=9)
    return compressor.compress(raw) + compressor.flush()


def _precompress_streams(pdf) -> None:
    """Compress every stream of ``pdf`` once, now, into the bytes pydyf would write.

    pydyf compresses a stream each time its data is read, and reads every object twice
    when the PDF has an identifier (once to write it, once to hash it). Each stream is
    given its compressed data with the ``/FlateDecode`` filter instead, so the file is
    byte for byte the same, made in half the time (and the field font, the same in
    every fillable PDF, compressed once per process).
    """
    import pydyf

    for obj in pdf.objects:
        if not isinstance(obj, pydyf.Stream) or not obj.compress:
            continue
        raw = b"\n".join(pydyf._to_bytes(item) for item in obj.stream)
        extra = dict(obj.extra)
        extra["Filter"] = "/FlateDecode"
        obj.extra = extra
        obj.stream = [_deflate(raw)]
        obj.compress = False


#: The font of the form fields: a standard Adobe-GB1 font that PDF readers supply
#: (Acrobat, Foxit, PDFium, pdf.js and poppler map it to an installed Song/Ming face),
#: referenced and not embedded. Embedding a GB 2312 face so that any character can be
#: typed cost 1.4 MB a fillable PDF; the reference costs a few hundred bytes. The
#: UCS-2 encoding lets readers write typed text as its Unicode code units.
FIELD_FONT = "STSong-Light"
FIELD_ENCODING = "UniGB-UCS2-H"
#: Adobe-GB1 supplement of the characters GB 2312 and GBK punctuation need.
FIELD_FONT_SUPPLEMENT = 2
#: The Unicode map of the field font: with UniGB-UCS2-H a code *is* the UTF-16 unit of
#: the character (surrogates excepted). Readers know that; tools that write a field's
#: appearance themselves (pypdf) learn from this map how to encode what they write.
_UCS2_TO_UNICODE = b"\n".join([
    b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
    b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
    b"/CMapName /Adobe-Identity-UCS2 def /CMapType 2 def",
    b"1 begincodespacerange <0000> <ffff> endcodespacerange",
    *(
        b"%d beginbfrange\n" % len(block)
        + b"\n".join(b"<%02x00> <%02xff> <%02x00>" % (hi, hi, hi) for hi in block)
        + b"\nendbfrange"
        for block in (
            [hi for hi in range(256) if not 0xD8 <= hi <= 0xDF][i:i + 100] for i in (0, 100, 200)
        )
    ),
    b"endcmap CMapName currentdict /CMap defineresource pop end end",
])
_DA_FONT = re.compile(rb"/(\S+)\s+[\d.]+\s+Tf")


def _object(pdf, value):
    """The object ``value`` (an indirect reference ``b"12 0 R"`` or the object itself)."""
    if isinstance(value, (bytes, str)):
        text = value.decode() if isinstance(value, bytes) else value
        if text.endswith(" R"):
            return pdf.objects[int(text.split()[0])]
    return value


def _empty_stream(stream) -> None:
    """Leave an unreferenced stream object with no data (its number stays taken)."""
    stream.stream = []
    stream.extra = {}
    stream.compress = False


def _reference_field_font(pdf) -> None:
    """Make the font that text fields name in their ``/DA`` the standard ``STSong-Light``.

    WeasyPrint embeds the font of a field whole, with widths and a Unicode map for all
    its glyphs. The fields are set in a stub face (printable ASCII, see
    :func:`_stylesheet`); its font dictionary is rewritten here into a reference to the
    Adobe-GB1 font the reader supplies: its font file is emptied and its Unicode map
    becomes the identity of UCS-2.
    """
    import pydyf

    acroform = pdf.catalog.get("AcroForm")
    if not acroform:
        return
    names = {
        m.group(1).decode()
        for obj in pdf.objects
        if isinstance(obj, dict) and "DA" in obj
        for m in [_DA_FONT.search(obj["DA"].data)] if m
    }
    resources = _object(pdf, acroform["DR"])
    font_refs = _object(pdf, resources["Font"])
    for name in sorted(names):
        font = _object(pdf, font_refs[name])
        descendant = _object(pdf, font["DescendantFonts"][0])
        descriptor = _object(pdf, descendant["FontDescriptor"])
        for key in ("FontFile", "FontFile2", "FontFile3"):
            if key in descriptor:
                _empty_stream(_object(pdf, descriptor[key]))
        if "ToUnicode" in font:
            to_unicode = _object(pdf, font["ToUnicode"])
            to_unicode.stream = [_UCS2_TO_UNICODE]
            to_unicode.extra = {}
            to_unicode.compress = True
        font["BaseFont"] = f"/{FIELD_FONT}"
        font["Encoding"] = f"/{FIELD_ENCODING}"
        descriptor_ref = descendant["FontDescriptor"]
        descendant.clear()
        descendant.update({
            "Type": "/Font",
            "Subtype": "/CIDFontType0",
            "BaseFont": f"/{FIELD_FONT}",
            "CIDSystemInfo": pydyf.Dictionary({
                "Registry": pydyf.String("Adobe"),
                "Ordering": pydyf.String("GB1"),
                "Supplement": FIELD_FONT_SUPPLEMENT,
            }),
            "FontDescriptor": descriptor_ref,
            "DW": 1000,
            "W": pydyf.Array([1, 95, 500]),  # proportional Latin: half width
        })
        descriptor.clear()
        descriptor.update({
            "Type": "/FontDescriptor",
            "FontName": f"/{FIELD_FONT}",
            "Flags": 6,  # serif, symbolic (not the standard Latin character set)
            "FontBBox": pydyf.Array([-25, -254, 1000, 880]),
            "ItalicAngle": 0,
            "Ascent": 880,
            "Descent": -120,
            "CapHeight": 880,
            "StemV": 93,
        })


def _finish(fill: bool):
    """The WeasyPrint finisher: radio groups fixed and the field font referenced
    (fillable only), streams compressed."""

    def finisher(document, pdf) -> None:
        if fill:
            _radio_kids_unnamed(document, pdf)
            _reference_field_font(pdf)
        _precompress_streams(pdf)

    return finisher


def _without_fields(page):
    """A copy of a laid-out page whose inputs are drawn but are no form fields."""
    import copy

    bare = copy.copy(page)
    bare.forms = {None: []}
    return bare


def _write_pdfs(html: str, variants: Iterable[str]) -> dict[str, bytes]:
    """Lay ``html`` out once and write it in each of ``variants``.

    ``fillable`` keeps the inputs as AcroForm fields; ``print`` (and ``guide``) draws
    the same pages without them, so that the two variants of a form share one layout
    (the layout is two thirds of the time a PDF takes).
    """
    from weasyprint import HTML

    wanted = list(variants)
    document = HTML(string=html, url_fetcher=_url_fetcher(), base_url=str(TEMPLATES)).render(
        font_config=_font_configs.get(html), pdf_forms="fillable" in wanted,
    )
    out: dict[str, bytes] = {}
    for variant in wanted:
        fill = variant == "fillable"
        pages = document.pages if fill else [_without_fields(page) for page in document.pages]
        out[variant] = document.copy(pages).write_pdf(
            uncompressed_pdf=False,
            pdf_identifier=b"kexie-calls",
            finisher=_finish(fill),
        )
    return out


def _write_pdf(html: str, *, fill: bool) -> bytes:
    """:func:`_write_pdfs` for one variant."""
    variant = "fillable" if fill else "print"
    return _write_pdfs(html, [variant])[variant]


# --------------------------------------------------------------------------- HTML


def form_html(
    call: Call, form: Form, *, fillable: bool = False, cache_dir: Path | None = None
) -> str:
    """The HTML that :func:`form_pdf` prints.

    Parameters:
        call: The call the form belongs to.
        form: The form (from :func:`generator.formset.forms_of`).
        fillable: Add form fields for the fillable variant.
        cache_dir: Where prepared fonts are cached (default: the user cache folder).

    Returns:
        A complete HTML document.

    Raises:
        BuildError: No CJK font is installed.
    """
    prefix = f"{form.attachment} " if form.attachment else ""
    values = dict(call=call, layout=layout.layout_form(form), fill=fillable,
                  doc_title=f"{prefix}{form.title}")
    return _document("form", values, cache_dir, field=fillable)


def guide_html(call: Call, *, cache_dir: Path | None = None) -> str:
    """The HTML that :func:`guide_pdf` prints.

    Parameters:
        call: The call.
        cache_dir: Where prepared fonts are cached (default: the user cache folder).

    Returns:
        A complete HTML document.

    Raises:
        BuildError: No CJK font is installed.
    """
    from ..view import call_view

    view = call_view(call)
    return _document("guide", dict(call=call, v=view, forms=view.forms, urls=urls), cache_dir)


_CSS_MARKER = "<kx-stylesheet/>"


def _document(name: str, values: dict, cache_dir: Path | None, *, field: bool = False) -> str:
    """Render ``<name>.html`` with a stylesheet whose fonts are cut to the page's characters.

    The template is rendered once, with a marker where the stylesheet goes, to learn
    which characters it uses; the marker is then replaced by the stylesheet with the
    ``@font-face`` rules of fonts subset to those characters. (The marker holds a ``<``,
    which data never produces unescaped, and only printable ASCII, which every cut keeps.)
    """
    cache_dir = cache_dir or fonts.default_cache_dir()
    prepared = fonts.prepare_fonts(cache_dir)
    call = values["call"]
    values = {**values, "date": call.last_modified.isoformat(), "version": __version__}
    template = _env().get_template(f"{name}.html")
    text = template.render(**values, css=Markup(_CSS_MARKER))
    before, marker, after = text.partition(_CSS_MARKER)
    if not marker or _CSS_MARKER in after:
        raise BuildError(f"模板 {name}.html 应恰好写入一次样式表 / template {name}.html "
                         "must write the stylesheet exactly once")
    css = _stylesheet(f"{name}.css", prepared, cache_dir, text=text, field=field)
    return "".join((before, str(css), after))


# --------------------------------------------------------------------------- PDF


def field_names(form: Form) -> list[str]:
    """The AcroForm field names of the fillable PDF of ``form``, in form order.

    Inputs and blanks keep their field id; a single-choice group is one radio group named
    after its id; each option of a multiple-choice group is a check box ``<id>-<n>``.
    """
    names: list[str] = []
    for fid, element in iter_form_fields(form):
        options = getattr(element, "options", None)
        if options is not None and getattr(element, "multiple", False):
            names.extend(f"{fid}-{n}" for n in range(1, len(options) + 1))
        else:
            names.append(fid)
    return names


def form_pdfs(
    call: Call, form: Form, variants: Iterable[str] = VARIANTS, *, cache_dir: Path | None = None
) -> dict[str, bytes]:
    """Render one form in several variants from one layout.

    Both variants are drawn from the fillable HTML laid out once: ``print`` leaves the
    inputs as drawn lines and boxes, ``fillable`` makes them AcroForm fields.

    Parameters:
        call: The call the form belongs to.
        form: The form (from :func:`generator.formset.forms_of`).
        variants: ``print`` (clean, for printing and stamping) and/or ``fillable`` (text
            fields and check boxes named after the field ids).
        cache_dir: Where prepared fonts are cached (default: the user cache folder).

    Returns:
        The PDF bytes of each variant (A4, CJK fonts embedded and subset; the text
        fields of the fillable variant name the standard ``STSong-Light``, which
        readers supply, see :func:`_reference_field_font`).

    Raises:
        BuildError: No CJK font is installed.
    """
    html = form_html(call, form, fillable=True, cache_dir=cache_dir)
    return _write_pdfs(html, variants)


def form_pdf(
    call: Call, form: Form, *, fillable: bool = False, cache_dir: Path | None = None
) -> bytes:
    """Render one form as PDF: :func:`form_pdfs` for one variant.

    Parameters:
        call: The call the form belongs to.
        form: The form (from :func:`generator.formset.forms_of`).
        fillable: The fillable variant; otherwise the print variant.
        cache_dir: Where prepared fonts are cached (default: the user cache folder).

    Returns:
        The PDF bytes.

    Raises:
        BuildError: No CJK font is installed.
    """
    variant = "fillable" if fillable else "print"
    return form_pdfs(call, form, [variant], cache_dir=cache_dir)[variant]


def guide_pdf(call: Call, *, cache_dir: Path | None = None) -> bytes:
    """Render a call's guideline (key facts, categories, contacts, forms) as an A4 PDF.

    Parameters:
        call: The call.
        cache_dir: Where prepared fonts are cached (default: the user cache folder).

    Returns:
        The PDF bytes.

    Raises:
        BuildError: No CJK font is installed.
    """
    return _write_pdfs(guide_html(call, cache_dir=cache_dir), ["guide"])["guide"]


# --------------------------------------------------------------------------- cache


@dataclass(frozen=True)
class Job:
    """The PDFs of one layout: a form in one or both variants, or a call's guideline
    (form None, variants ``("guide",)``)."""

    call: Call
    form: Form | None
    variants: tuple[str, ...] = VARIANTS

    def kind(self, variant: str) -> str:
        """The artifact kind of the file (``form.pdf``, ``form.fillable``, ``guide.pdf``)."""
        if self.form is None:
            return "guide.pdf"
        return "form.fillable" if variant == "fillable" else "form.pdf"

    def path(self, variant: str) -> str:
        """Output path of ``variant`` relative to the site root (from :mod:`generator.urls`)."""
        if self.form is None:
            return urls.guide_pdf(self.call)
        if variant == "fillable":
            return urls.form_fillable_pdf(self.call, self.form)
        return urls.form_pdf(self.call, self.form)

    def key(self, variant: str) -> str:
        """Content hash of everything the PDF of ``variant`` depends on."""
        data = self.call.model_dump_json() if self.form is None else json.dumps(
            {
                "call": [self.call.id, self.call.title, self.call.last_modified.isoformat()],
                "form": self.form.model_dump(mode="json"),
            },
            ensure_ascii=False,
            sort_keys=True,
        )
        return cache.digest(
            variant, data, cache.code_digest(), fonts.find_cjk_fonts().identity(),
            fonts.PREPARE_VERSION,
        )

    def weight(self) -> int:
        """A rough measure of how long the job takes (the size of its data)."""
        if self.form is None:
            return len(self.call.model_dump_json())
        return len(self.form.model_dump_json())

    def render(self, cache_dir: Path) -> dict[str, bytes]:
        """Produce the PDF bytes of every variant (no result cache)."""
        if self.form is None:
            return {"guide": guide_pdf(self.call, cache_dir=cache_dir)}
        return form_pdfs(self.call, self.form, self.variants, cache_dir=cache_dir)


#: The cache folder of rendered PDFs (the pipeline step's name) outside a build.
STORE = "pdf"


def cached_render(job: Job, cache_dir: Path, *, use_cache: bool = True,
                  store: str = STORE) -> dict[str, bytes]:
    """Render ``job``, reusing its entries in ``cache_dir/<store>/`` when nothing changed.

    The variants of a job are laid out together: when one is missing, all are rendered
    (and stored) again.

    Parameters:
        job: What to render.
        cache_dir: The build cache folder.
        use_cache: False to render again (the result still refreshes the cache).
        store: The cache folder's name.

    Returns:
        The PDF bytes of each variant of the job.
    """
    cached = cache.Store(cache_dir, store, enabled=use_cache)
    names = {variant: f"{job.key(variant)}.pdf" for variant in job.variants}
    found = {variant: cached.get(name) for variant, name in names.items()}
    if all(data is not None for data in found.values()):
        return {variant: data for variant, data in found.items() if data is not None}
    cached.misses += 1
    made = job.render(cache_dir)
    for variant, name in names.items():
        cached.put(name, made[variant])
    return made


def _written(out: Path, data: bytes) -> tuple[str, int, str]:
    cache.atomic_write(out, data)
    return str(out), len(data), hashlib.sha256(data).hexdigest()


def _run_job(job: Job, cache_dir: Path, store: str | None,
             outs: dict[str, Path]) -> list[tuple[str, int, str]]:
    """Render ``job`` (stored in the cache ``store``; None: not cached) into ``outs``."""
    made = job.render(cache_dir) if store is None else \
        cached_render(job, cache_dir, use_cache=False, store=store)
    return [_written(out, made[variant]) for variant, out in outs.items()]


def render_jobs(
    jobs: Iterable[tuple[Job, dict[str, Path]]], cache_dir: Path, *, processes: int = 1,
    use_cache: bool = True, store: str = STORE, isolate: bool = False,
) -> list[tuple[str, int, str]]:
    """Render each job into its output files, in parallel processes.

    The fonts are prepared once before the workers start (when anything is to be
    rendered), so they never race to build them. PDFs found in the cache are copied
    here, without starting WeasyPrint; the rest are rendered largest first, so that no
    worker is left with a long one at the end. Workers die with this process
    (:mod:`generator.workers`).

    Parameters:
        jobs: ``(job, {variant: output file})`` pairs.
        cache_dir: The build cache folder.
        processes: Worker processes (1 renders in this process).
        use_cache: False to render every job without the rendered-PDF cache (neither
            read nor written, so no cache key is computed either).
        store: The cache folder's name (the build step's).
        isolate: Render even a single job in a worker process, so that the calling
            process stays responsive (the live preview serves pages meanwhile).

    Returns:
        ``(output file, size in bytes, SHA-256)`` in job and variant order.

    Raises:
        BuildError: No CJK font is installed, or a PDF could not be rendered.
    """
    todo = list(jobs)
    results: dict[int, list[tuple[str, int, str]]] = {}
    pending: list[int] = []
    cached = cache.Store(cache_dir, store)
    for i, (job, outs) in enumerate(todo):
        if not use_cache:
            pending.append(i)
            continue
        found = {variant: cached.get(f"{job.key(variant)}.pdf") for variant in outs}
        if any(data is None for data in found.values()):
            pending.append(i)
            continue
        results[i] = [_written(out, found[variant]) for variant, out in outs.items()]  # type: ignore[arg-type]
    pending.sort(key=lambda i: -todo[i][0].weight())
    if pending:  # a build whose PDFs are all cached needs no fonts (e.g. assembling shards)
        fonts.prepare_fonts(cache_dir)
    kept = store if use_cache else None
    if not pending or (not isolate and (processes <= 1 or len(pending) <= 1)):
        for i in pending:
            results[i] = _run_job(todo[i][0], cache_dir, kept, todo[i][1])
    else:
        import weasyprint  # noqa: F401  (imported once here: forked workers inherit it)

        with workers.pool(max(1, min(processes, len(pending))), _fresh_worker) as pool:
            futures = {i: pool.submit(_run_job, todo[i][0], cache_dir, kept, todo[i][1])
                       for i in pending}
            for i, future in futures.items():
                results[i] = future.result()
    return [item for i in range(len(todo)) for item in results[i]]


def jobs_for(calls: Iterable[Call], *, variants: Iterable[str] = VARIANTS,
             guides: bool = True) -> list[Job]:
    """Every PDF of ``calls``: each form (in ``variants``, one layout), then each call's
    guideline."""
    wanted = tuple(variants)
    out: list[Job] = []
    for call in calls:
        out.extend(Job(call, form, wanted) for form in forms_of(call))
        if guides:
            out.append(Job(call, None, ("guide",)))
    return out


def all_cached(calls: Iterable[Call], cache_dir: Path, store: str = STORE) -> tuple[bool, set[str]]:
    """Whether every PDF of ``calls`` is in the cache, and their paths in the site.

    What the live preview checks to tell whether PDFs must be rendered after a save
    (:mod:`generator.preview`).
    """
    folder = cache.Store(cache_dir, store).folder
    jobs = jobs_for(calls)
    cached = all((folder / f"{job.key(v)}.pdf").is_file() for job in jobs for v in job.variants)
    return cached, {job.path(v) for job in jobs for v in job.variants}


def render(ctx: BuildContext, *, isolate: bool = False) -> None:
    """Write every form's print and fillable PDF and every call's guideline PDF.

    Paths come from :mod:`generator.urls` (``form_pdf``, ``form_fillable_pdf``,
    ``guide_pdf``), under ``ctx.docs_dir``; ``isolate`` as in :func:`render_jobs`.

    Raises:
        BuildError: No CJK font is installed, or a PDF could not be rendered.
    """
    jobs = jobs_for(ctx.own_calls)
    written = render_jobs(
        [(job, {v: ctx.docs_dir / job.path(v) for v in job.variants}) for job in jobs],
        ctx.cache_dir, processes=ctx.jobs, store=ctx.step, isolate=isolate,
    )
    outputs = [(job, v) for job in jobs for v in job.variants]
    for (job, variant), (file, size, digest) in zip(outputs, written, strict=True):
        ctx.record(job.path(variant), job.kind(variant), Path(file), size, digest)
    log.info("pdf: %d files, %d bytes", len(written), sum(size for _, size, _ in written))


def render_kept(ctx: BuildContext, kept: Path) -> None:
    """The PDF step of the live preview's first pass (:mod:`generator.preview`).

    A PDF found in the cache is written as :func:`render` writes it; one that is not (its
    form or guideline changed) is the file ``kept`` (the folder the preview serves) has
    at its path, recorded as this build's, so that the pages show an edit without
    waiting for WeasyPrint; the second pass renders it. A form or guideline with no
    file in ``kept`` yet is rendered here.

    Raises:
        BuildError: No CJK font is installed, or a PDF could not be rendered.
    """
    cached = cache.Store(ctx.cache_dir, ctx.step)
    missing: list[Job] = []
    for job in jobs_for(ctx.own_calls):
        found = {}
        for variant in job.variants:
            data = cached.get(f"{job.key(variant)}.pdf")
            old = kept / job.path(variant)
            found[variant] = data if data is not None else old.read_bytes() if old.is_file() else None
        if any(data is None for data in found.values()):
            missing.append(job)
            continue
        for variant, data in found.items():
            assert data is not None
            ctx.write(job.path(variant), data, job.kind(variant))
    written = render_jobs(
        [(job, {v: ctx.docs_dir / job.path(v) for v in job.variants}) for job in missing],
        ctx.cache_dir, processes=ctx.jobs, store=ctx.step,
    )
    outputs = [(job, v) for job in missing for v in job.variants]
    for (job, variant), (file, size, digest) in zip(outputs, written, strict=True):
        ctx.record(job.path(variant), job.kind(variant), Path(file), size, digest)
