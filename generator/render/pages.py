"""The guideline site's pages: Jinja2 templates → Markdown (with HTML blocks) in the docs dir.

Writes, for MkDocs (or Zensical) to turn into HTML:

* ``index.md``: the hand-written intro of ``docs/index.md`` followed by a card per call;
* ``calls/index.md``: every call in a list (the 申报通知 tab);
* per call, ``urls.call_markdown`` (the guideline page) and ``urls.source_markdown`` (原文);
* ``compare.md`` (对比), ``finder.md`` (我能申报什么), ``self-check.md`` (自评).

Data is untrusted: every value goes through Jinja autoescaping, and values that land in
Markdown syntax (headings) also through :func:`md_escape`. Data is never used as a template.
Download links are made only to files that earlier steps recorded in the build context.
"""

from __future__ import annotations

import functools
import json
import logging
import posixpath
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup, escape

from .. import cache, files, urls
from ..context import BuildContext
from ..errors import BuildError
from ..formset import forms_of
from ..models import UNKNOWN, ApplicantType, Call, Category, Form
from ..view import (
    LEVEL_LABELS,
    METHOD_LABELS,
    PAPER_LABELS,
    STATUS_LABELS,
    CallView,
    category_unknowns,
    countdown_text,
    period_texts,
    sort_key,
    timeline,
    word_limits,
    zh_date,
)
from .finder import FinderGroup, finder

log = logging.getLogger(__name__)

#: Characters Python-Markdown (with the tables extension) treats as escapable.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")
_PHONE = re.compile(r"[0-9()（）\-+ ]{5,}")

FORMAT_LABELS = {
    "docx": "DOCX",
    "pdf": "PDF",
    "fillable": "可填写 PDF",
    "zip": "ZIP",
    "guide": "PDF",
}


# --------------------------------------------------------------------------- filters


#: Characters that change the direction of the text around them (Unicode Bidi_Control):
#: data holding one is shown in a ``<bdi>`` element, so it cannot reorder the page around it.
_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _isolated(raw: str, markup: Markup) -> Markup:
    """``markup`` in a ``<bdi>`` element when ``raw`` holds a bidi control character."""
    if _BIDI_CONTROLS.isdisjoint(raw):
        return markup
    return Markup("<bdi>") + markup + Markup("</bdi>")


def md_escape(value: Any) -> Markup:
    """Escape text for a Markdown context (heading, table cell): HTML first, then Markdown.

    Parameters:
        value: Any value; ``None`` becomes 原文未载明.

    Returns:
        Markup that Markdown renders as the literal text, on one line.
    """
    raw = UNKNOWN if value is None else str(value)
    text = _MD_SPECIAL.sub(r"\\\1", " ".join(raw.split()))
    return _isolated(raw, Markup(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")))


def text_lines(value: Any) -> Markup:
    """Escaped text with line breaks kept as ``<br>``; ``None`` becomes 原文未载明."""
    if value is None:
        return Markup('<span class="kx-unknown">') + UNKNOWN + Markup("</span>")
    parts = [verbatim(line) for line in str(value).split("\n")]
    return Markup("<br>").join(parts)


def verbatim(value: str) -> Markup:
    """Escaped multi-line text for an HTML block, safe from Markdown preprocessors too.

    SuperFences finds code fences even inside raw HTML, so the fence characters ` and ~
    become character references: a line of three backticks in the data stays text. Text
    holding a bidi control character (U+202E…) is isolated in ``<bdi>``.
    """
    return _isolated(value, Markup(str(escape(value)).replace("`", "&#96;").replace("~", "&#126;")))


def _inert(value: Any) -> Any:
    """Jinja ``finalize``: every plain string printed into a page goes through :func:`verbatim`."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return verbatim(value)
    return value


def join_text(items: Any, separator: str = "") -> Markup:
    """Jinja's ``join`` for pages: each item printed like any other value (:func:`_inert`)."""
    return Markup(escape(separator)).join(_inert(item) for item in items)


def yaml_text(value: Any) -> Markup:
    """A YAML double-quoted scalar for the page's front matter (e.g. ``title:``).

    The theme prints the title unescaped in the header and the search index holds it as
    HTML, so the text is HTML-escaped first (the <title> block of overrides/main.html copes
    with that). JSON strings are YAML; characters YAML reads as line breaks are escaped too.
    """
    text = json.dumps(str(escape(str(value))), ensure_ascii=False)
    for ch in ("\u0085", "\u2028", "\u2029"):
        text = text.replace(ch, f"\\u{ord(ch):04x}")
    return Markup(text)


def human_size(size: int) -> str:
    """A file size for a download button: 812 B, 24 KB, 1.3 MB."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{-(-size // 1024)} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def http_url(value: str) -> str | None:
    """``value`` when it is an http(s) URL with a host, else ``None`` (never a link)."""
    parts = urlsplit(value.strip())
    if (
        parts.scheme.lower() in ("http", "https")
        and parts.netloc
        and not any(ch in value for ch in "\"'<> \n\t\\")
        and not any(unicodedata.category(ch) in ("Cc", "Cf") for ch in value)
    ):
        return value.strip()
    return None


def tel_url(phone: str) -> str | None:
    """A ``tel:`` link for a phone number made only of digits and separators."""
    if _PHONE.fullmatch(phone.strip()):
        digits = re.sub(r"[^0-9+]", "", phone)
        return f"tel:{digits}" if len(digits) >= 5 else None
    return None


def relative(from_url: str, target: str) -> str:
    """Relative URL from the page at directory URL ``from_url`` to site path ``target``.

    Parameters:
        from_url: URL of the page (``""`` for home, ``calls/x/``…), with directory URLs.
        target: Site-relative path of a page (ending in ``/``) or a file.

    Returns:
        A relative URL, e.g. ``../../downloads/x/form.docx``.
    """
    base = from_url.rstrip("/") or "."
    rel = posixpath.relpath(target.rstrip("/") or ".", base)
    if target.endswith("/") or target == "":
        rel = "./" if rel == "." else rel + "/"
    return rel


# --------------------------------------------------------------------------- view data


@dataclass(frozen=True)
class Download:
    """One download button: format, site path, size, the browser's file name."""

    format: str
    path: str
    size: int
    filename: str

    @property
    def label(self) -> str:
        return f"下载 {FORMAT_LABELS[self.format]}（{human_size(self.size)}）"


def _download(ctx: BuildContext, kind: str, fmt: str, path: str, filename: str) -> Download | None:
    item = ctx.artifact(path, kind)
    return None if item is None else Download(fmt, path, item.size, filename)


def form_downloads(ctx: BuildContext, call: Call, form: Form) -> list[Download]:
    """The DOCX, PDF and fillable PDF of ``form`` that earlier steps made (others left out).

    Parameters:
        ctx: The build context, with the records of the files made so far.
        call: The call.
        form: One of ``forms_of(call)``.

    Returns:
        Downloads in the order DOCX, PDF, fillable PDF.
    """
    pdf_name = urls.download_name(call, form, "pdf")
    candidates = [
        ("form.docx", "docx", urls.form_docx(call, form), urls.download_name(call, form, "docx")),
        ("form.pdf", "pdf", urls.form_pdf(call, form), pdf_name),
        ("form.fillable", "fillable", urls.form_fillable_pdf(call, form),
         pdf_name[:-4] + "（可填写）.pdf"),
    ]
    return [d for d in (_download(ctx, *c) for c in candidates) if d is not None]


def call_downloads(ctx: BuildContext, call: Call) -> dict[str, Download | None]:
    """The ZIP of all forms and the guideline PDF of ``call``, when earlier steps made them."""
    zip_name = urls.safe_file_name(f"{call.short_title} 全部申报表", "zip")
    guide_name = urls.safe_file_name(f"{call.short_title} 申报指南", "pdf")
    return {
        "zip": _download(ctx, "forms.zip", "zip", urls.forms_zip(call), zip_name),
        "guide": _download(ctx, "guide.pdf", "guide", urls.guide_pdf(call), guide_name),
    }


def category_text_size(cat: Category) -> int:
    """How much text a category holds (decides whether it starts collapsed)."""
    parts = [
        cat.description or "",
        *cat.requirements,
        *cat.deliverables,
        *cat.priority,
        *cat.materials,
    ]
    for sec in cat.outline:
        parts.extend([sec.heading or "", *sec.paragraphs, *sec.items])
    return sum(len(p) for p in parts)


# --------------------------------------------------------------------------- environment


def environment(cache_dir: Path | None = None) -> jinja2.Environment:
    """The Jinja environment of the page templates (autoescape on, strict undefined).

    Parameters:
        cache_dir: Build cache folder; compiled templates are kept in its ``jinja``
            folder so later builds skip compiling them (default: no bytecode cache).
    """
    bytecode_cache = None if cache_dir is None else cache.jinja_bytecode_cache(cache_dir)
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("generator", "templates/pages"),
        bytecode_cache=bytecode_cache,
        autoescape=True,
        finalize=_inert,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        join=join_text,
        md=md_escape,
        yaml_text=yaml_text,
        lines=text_lines,
        zh_date=zh_date,
        size=human_size,
        http_url=http_url,
        tel_url=tel_url,
    )
    env.globals.update(
        UNKNOWN=UNKNOWN,
        STATUS_LABELS=STATUS_LABELS,
        METHOD_LABELS=METHOD_LABELS,
        PAPER_LABELS=PAPER_LABELS,
        LEVEL_LABELS=LEVEL_LABELS,
        relative=relative,
        urls=urls,
        forms_of=forms_of,
        word_limits=word_limits,
        countdown_text=countdown_text,
        category_text_size=category_text_size,
        category_unknowns=category_unknowns,
        period_texts=period_texts,
        ApplicantType=ApplicantType,
    )
    return env


def call_page(env: jinja2.Environment, ctx: BuildContext, call: Call) -> str:
    """The Markdown of one call's guideline page.

    Parameters:
        env: From :func:`environment`.
        ctx: The build context (build date, docs dir with the downloads).
        call: The call.

    Returns:
        Markdown with HTML blocks, written to ``urls.call_markdown(call)``.
    """
    view = ctx.views[call.id]
    forms = [(f, form_downloads(ctx, call, f), word_limits(f)) for f in forms_of(call)]
    return env.get_template("call.md.j2").render(
        call=call,
        v=view,
        here=urls.call_page(call),
        status=view.status,
        today=ctx.today,
        forms=forms,
        extra=call_downloads(ctx, call),
        timeline=timeline(view),
        has_self_check=call.indicators is not None,
        cats_by_id={c.id: c for c in call.all_categories()},
        form_titles={f.id: f for f in forms_of(call)},
        form_categories={
            f.id: [view.category(cid).category for cid in f.categories] for f in view.forms if f.id
        },
    )


def source_page(env: jinja2.Environment, ctx: BuildContext, call: Call) -> str:
    """The Markdown of a call's 原文 page: the notice's text, escaped, line breaks kept."""
    text = source_text(ctx, call)
    return env.get_template("source.md.j2").render(
        call=call, here=urls.source_page(call), text=text
    )


def home_page(env: jinja2.Environment, ctx: BuildContext, intro: str,
              store: cache.Store | None = None) -> str:
    """The home page: the hand-written ``intro`` (trusted Markdown), then the call cards
    (each kept in ``store``, see :func:`call_cards`)."""
    cards = _cards(ctx)
    open_count = sum(1 for v in cards if v.status is not None and v.status.status == "open")
    return env.get_template("home.md.j2").render(
        intro=Markup(intro), cards=cards, open_count=open_count, here="", today=ctx.today,
        card=call_cards(env, ctx, "", store),
    )


def calls_index_page(env: jinja2.Environment, ctx: BuildContext, store: cache.Store | None = None) -> str:
    """The list of all calls (申报通知 tab), grouped by status."""
    return env.get_template("calls.md.j2").render(
        cards=_cards(ctx), here="calls/", today=ctx.today, card=call_cards(env, ctx, "calls/", store)
    )


def call_cards(env: jinja2.Environment, ctx: BuildContext, here: str,
               store: cache.Store | None) -> Callable[[CallView], Markup]:
    """The card of a call on the page at ``here`` (the ``call_card`` macro); with ``store``,
    kept under the hash of what it depends on (the call's data, the build date, the code),
    so that a page listing every call is put together again without rendering the cards
    of the calls that did not change."""
    macro = env.get_template("_macros.md.j2").module.call_card  # type: ignore[attr-defined]

    def card(view: CallView) -> Markup:
        if store is None:
            return Markup(macro(view, here))
        key = cache.digest(cache.code_digest(), "call_card", ctx.data[view.id], ctx.today.isoformat(), here)
        return Markup(store.fetch(key, lambda: str(macro(view, here)).encode("utf-8")).decode("utf-8"))

    return card


def _cards(ctx: BuildContext) -> list[CallView]:
    """The call views in card order (:func:`generator.view.sort_key`)."""
    return sorted(ctx.views.values(), key=sort_key)


def compare_page(env: jinja2.Environment, ctx: BuildContext) -> str:
    """The comparison table across all calls (对比)."""
    return env.get_template("compare.md.j2").render(
        views=[ctx.views[c.id] for c in ctx.calls], here="compare/"
    )


#: One call's rows of the finder's matrix.
MATRIX_PART = "_finder_matrix.md.j2"


def finder_page(env: jinja2.Environment, ctx: BuildContext, store: cache.Store | None = None) -> str:
    """The eligibility finder (我能申报什么): a select, result rows and a static matrix.

    Each call's part of the page (its results, its rows of the matrix) is rendered on its
    own and, with ``store``, kept under the hash of what it depends on (the call's data,
    the build date, the code; the matrix's columns for its rows): a page listing every
    call is put together again without rendering the calls that did not change.
    """
    f = finder([ctx.views[c.id] for c in ctx.calls])
    here = "finder/"
    columns = repr(f.columns)

    def part(name: str, group: FinderGroup) -> Markup:
        def make() -> bytes:
            return env.get_template(name).render(g=group, f=f, here=here).encode("utf-8")

        if store is None:
            return Markup(make().decode("utf-8"))
        # the matrix rows also show the columns (a shard whose calls use fewer applicant
        # types than all calls renders them again when the site is assembled)
        key = cache.digest(cache.code_digest(), name, ctx.data[group.view.id], ctx.today.isoformat(),
                           columns if name == MATRIX_PART else "", here)
        return Markup(store.fetch(key, make).decode("utf-8"))

    return env.get_template("finder.md.j2").render(
        f=f, here=here,
        f_calls=[part("_finder_call.md.j2", g) for g in f.groups],
        f_rows=[part(MATRIX_PART, g) for g in f.groups],
    )


def self_check_page(env: jinja2.Environment, ctx: BuildContext) -> str:
    """The self-assessment checklist for every call with an indicator table (自评)."""
    return env.get_template("self-check.md.j2").render(
        calls=[c for c in ctx.calls if c.indicators is not None], here="self-check/"
    )


def source_text(ctx: BuildContext, call: Call) -> str:
    """The notice text of ``call``, read safely (a regular UTF-8 file inside the repository).

    Raises:
        BuildError: The file is not one (see :func:`generator.files.read_text`).
    """
    try:
        return files.read_text(ctx.root / call.source.text_file, ctx.root)
    except files.UnsafeFile as exc:
        raise BuildError(f"{call.source.text_file}: {exc.zh} / {exc.en}") from None


def page_key(ctx: BuildContext, call: Call) -> str:
    """Content hash of everything one call's two pages depend on: its data and notice
    text, the build date (status, countdown), its download files' sizes and the code."""
    downloads = [d for form in forms_of(call) for d in form_downloads(ctx, call, form)]
    downloads += [d for d in call_downloads(ctx, call).values() if d is not None]
    return cache.digest(
        cache.code_digest(),
        call.model_dump_json(),
        source_text(ctx, call),
        ctx.today.isoformat(),
        repr(downloads),
    )


def _page_bytes(page: Callable[[jinja2.Environment, BuildContext, Call], str],
                env: jinja2.Environment, ctx: BuildContext, call: Call) -> bytes:
    return page(env, ctx, call).encode("utf-8")


def render(ctx: BuildContext) -> None:
    """Write every generated page into ``ctx.docs_dir`` (runs after the download steps).

    A call's own pages (guideline and 原文) are read back from the build cache when
    nothing they depend on changed (:func:`page_key`); the pages that list all calls
    are always written again.
    """
    env = environment(ctx.cache_dir)
    store = ctx.store()

    def write(path: str, text: str) -> None:
        ctx.write(path, text.encode("utf-8"), "page")

    intro_file = ctx.docs_dir / "index.md"  # the hand-written intro, staged before the steps
    intro = intro_file.read_text(encoding="utf-8") if intro_file.is_file() else ""
    write("index.md", home_page(env, ctx, intro, ctx.store()))  # each page: its own hit counts
    write("calls/index.md", calls_index_page(env, ctx, ctx.store()))
    for call in ctx.own_calls:
        key = page_key(ctx, call)
        for name, page in ((urls.call_markdown(call), call_page), (urls.source_markdown(call), source_page)):
            make = functools.partial(_page_bytes, page, env, ctx, call)
            ctx.write(name, store.fetch(cache.digest(key, name), make), "page")
    write("compare.md", compare_page(env, ctx))
    write("finder.md", finder_page(env, ctx, ctx.store()))
    write("self-check.md", self_check_page(env, ctx))
    log.info("pages: %d call pages rendered, %d from cache", store.misses, store.hits)
