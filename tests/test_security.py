"""Hostile content is inert: a call full of payloads, built end to end.

``tests/data/hostile/hostile-call.yaml`` carries script tags, event handlers, ``javascript:``
links, Markdown and HTML block syntax, Jinja syntax, control characters, an iCalendar
newline injection and spreadsheet formulas in as many text fields as practical. The whole
site is built from it once; every output must show the payloads as literal text and never
turn them into markup, links, formulas, calendar properties or evaluated templates.
"""

from __future__ import annotations

import ast
import copy
import csv
import io
import json
import re
import shutil
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, ClassVar
from xml.etree import ElementTree

import markdown
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar
from pydantic import ValidationError
from pypdf import PdfReader

from generator.load import load_file
from generator.models import Call, iter_quotes, reference_problems
from generator.pipeline import build
from generator.render.pages import md_escape, text_lines

from .conftest import ROOT, TESTS, TODAY

HOSTILE = TESTS / "data" / "hostile" / "hostile-call.yaml"
CALL_ID = "hostile-call"

SCRIPT = '<script>alert("kx")</script>'
IMG = "<img src=x onerror=alert(1)>"
BOLD = "**bold**"
MD_LINK = "[x](http://evil.example)"
MD_IMAGE = "![x](http://evil.example/x.png)"
JINJA_EXPR = "{{ 1337*1000 }}"
JINJA_STMT = "{% if true %}x{% endif %}"
#: What the Jinja expression would print if data were ever evaluated as a template.
EVALUATED = "1337000"
#: \x07 and \x1b[31m as the model shows them (Unicode control pictures).
CONTROLS = "\u2407"
ESCAPE_SEQ = "\u241b[31m"
FORMULAS = ('=HYPERLINK("http://evil.example")', "+1", "-1", "@SUM(1)")
#: The payloads every text rendering (page, DOCX, PDF) must show literally.
LITERALS = (SCRIPT, IMG, BOLD, MD_LINK, MD_IMAGE, JINJA_EXPR, JINJA_STMT)
#: attr_list syntax: at the end of a Markdown block it would become an attribute.
ATTR = " {: onmouseover=alert(1) }"
#: Appended to every text field of the hostile call to make the sweep call.
SWEEP = f"\n```\n{SCRIPT}{IMG}{BOLD}{MD_LINK}{JINJA_EXPR}\n```\n# {JINJA_STMT}\n~~~\n{ATTR}"
SWEEP_ID = "sweep-call"
#: Text files of the site that are checked for evaluated templates.
TEXT_SUFFIXES = {".html", ".json", ".csv", ".ics", ".xml", ".txt", ".md"}


def _string_leaves(data: Any, path: tuple = ()) -> list[tuple]:
    if isinstance(data, str):
        return [path]
    if isinstance(data, dict):
        return [p for k, v in data.items() for p in _string_leaves(v, (*path, k))]
    if isinstance(data, list):
        return [p for i, v in enumerate(data) for p in _string_leaves(v, (*path, i))]
    return []


def sweep_data() -> tuple[dict[str, Any], int]:
    """The hostile call with :data:`SWEEP` appended to every string the model accepts it in.

    Returns:
        The data (id ``sweep-call``) and how many fields carry the payload.
    """
    data = yaml.safe_load(HOSTILE.read_text(encoding="utf-8"))
    data["id"] = SWEEP_ID
    swept = 0
    for path in _string_leaves(data):
        if path[-1] in {"id", "text_file", "seed"}:
            continue
        trial = copy.deepcopy(data)
        parent = trial
        for part in path[:-1]:
            parent = parent[part]
        parent[path[-1]] += SWEEP
        try:
            call = Call.model_validate(trial)
        except ValidationError:
            continue  # an id, enum, e-mail or other constrained value
        if not reference_problems(call):
            data, swept = trial, swept + 1
    return data, swept


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole site built from the hostile call and the sweep call."""
    repo = tmp_path_factory.mktemp("hostile-repo")
    shutil.copy(ROOT / "mkdocs.yml", repo / "mkdocs.yml")
    for name in ("docs", "overrides"):
        shutil.copytree(ROOT / name, repo / name)
    calls = repo / "data" / "calls"
    calls.mkdir(parents=True)
    shutil.copy(HOSTILE, calls / f"{CALL_ID}.yaml")
    data, _ = sweep_data()
    src = repo / "tests" / "data" / "hostile"
    src.mkdir(parents=True)
    shutil.copy(TESTS / "data" / "hostile" / "hostile-source.txt", src)
    # The sweep call's own notice: it says every payload the sweep quotes (the rules
    # compare quotes with the notice, and one notice has one call).
    data["source"] = {**data["source"], "text_file": f"tests/data/hostile/{SWEEP_ID}.txt", "seed": None}
    quoted = [text for _, text in iter_quotes(Call.model_validate(data))]
    emails = [e for c in data.get("contacts", []) for e in c.get("emails", [])]
    (src / f"{SWEEP_ID}.txt").write_text("\n".join([*quoted, *emails]) + "\n", encoding="utf-8")
    (calls / f"{SWEEP_ID}.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    build(repo, today=TODAY, cache_dir=repo / ".cache")
    return repo / "site"


@pytest.fixture(scope="module")
def hostile_call():
    return load_file(HOSTILE, ROOT)


# --------------------------------------------------------------------------- HTML


class _Page(HTMLParser):
    """Collects the elements, attributes and text of one HTML page."""

    EMPHASIS: ClassVar[set[str]] = {"strong", "b", "em", "i"}
    HEADINGS: ClassVar[set[str]] = {"h1", "h2", "h3", "h4", "h5", "h6"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.scripts: list[str] = []
        self.emphasised: list[str] = []
        self.headings: list[str] = []
        self.cells: list[str] = []
        self.details: list[str] = []
        self.code: list[str] = []
        self._open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        if tag not in {"br", "img", "hr", "input", "meta", "link", "wbr"}:
            self._open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._open:
            while self._open and self._open.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        inside = set(self._open)
        if "script" in inside:
            self.scripts.append(data)
        if inside & self.EMPHASIS:
            self.emphasised.append(data)
        if inside & self.HEADINGS:
            self.headings.append(data)
        if inside & {"td", "th"}:
            self.cells.append(data)
        if "details" in inside:
            self.details.append(data)
        if inside & {"pre", "code"}:
            self.code.append(data)


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def _html_pages(site: Path) -> list[Path]:
    pages = sorted(site.rglob("*.html"))
    assert pages, "no HTML pages built"
    return pages


def _flat(text: str) -> str:
    """Text without any whitespace (renderers may wrap or collapse it)."""
    return re.sub(r"\s+", "", text)


def test_html_has_no_markup_made_from_data(hostile_site: Path):
    problems: list[str] = []
    for path in _html_pages(hostile_site):
        rel = path.relative_to(hostile_site).as_posix()
        page = _parse(path)
        for tag, attrs in page.tags:
            for name, value in attrs.items():
                low = value.strip().lower()
                if name.startswith("on") and "alert" in low:
                    problems.append(f"{rel}: <{tag} {name}={value!r}>")
                if name in {"href", "src", "action", "formaction", "data"} and (
                    low.startswith(("javascript:", "data:text/html")) or "evil.example" in low
                ):
                    problems.append(f"{rel}: <{tag} {name}={value!r}>")
            if tag == "img" and attrs.get("src") == "x":
                problems.append(f"{rel}: <img src=x> from data")
        problems += [f"{rel}: script runs {s[:60]!r}" for s in page.scripts if "alert" in s]
        problems += [f"{rel}: emphasis {t!r}" for t in page.emphasised if t.strip() == "bold"]
        problems += [
            f"{rel}: heading made from '# ' text: {h!r}"
            for h in page.headings
            if "井号标题" in h and "# 井号标题" not in h
        ]
        problems += [
            f"{rel}: table made from '|' text: {c!r}"
            for c in page.cells
            if c.strip() in {"管道", "表格", "a", "b"}
        ]
        problems += [
            f"{rel}: <details> made from data: {d!r}"
            for d in page.details
            if d.strip() in {"展开", "不得"}
        ]
        problems += [
            f"{rel}: code block made from data: {c!r}"
            for c in page.code
            if "if true" in c or "围栏" in c or "缩进的代码块" in c
        ]
        # <title> is RCDATA: only '</title>' ends it, so it must hold no markup at all.
        title = re.search(r"<title>(.*?)</title>", path.read_text(encoding="utf-8"), re.DOTALL)
        if title and "<" in title.group(1):
            problems.append(f"{rel}: markup in <title>: {title.group(1)[:80]!r}")
    assert not problems, "\n".join(problems)


def test_html_shows_payloads_literally(hostile_site: Path):
    page = _parse(hostile_site / "calls" / CALL_ID / "index.html")
    text = _flat("".join(page.text))
    shown = (*LITERALS, CONTROLS, ESCAPE_SEQ, "javascript:alert(1)", "<details>展开</details>")
    for literal in (*shown, "|管道|表格|", "#井号标题", *FORMULAS):
        assert _flat(literal) in text, f"{literal!r} is not shown literally on the call page"


def test_sweep_page_shows_every_payload_literally(hostile_site: Path):
    """The sweep call's page shows the payload of (nearly) every field as text."""
    _, swept = sweep_data()
    page = _flat("".join(_parse(hostile_site / "calls" / SWEEP_ID / "index.html").text))
    assert page.count(_flat(SWEEP)) >= swept * 0.8


def test_source_page_shows_the_source_text_literally(hostile_site: Path):
    """The 原文 text file (also edited through pull requests) is shown as text, line for line."""
    source = (TESTS / "data" / "hostile" / "hostile-source.txt").read_text(encoding="utf-8")
    html = (hostile_site / "calls" / CALL_ID / "source" / "index.html").read_text(encoding="utf-8")
    start = html.index('data-kx="source-text"')
    inner = _Page()
    inner.feed(html[html.index(">", start) + 1 : html.index("</div>", start)])
    inner.close()
    assert {tag for tag, _ in inner.tags} <= {"br", "p"}, inner.tags
    assert _flat("".join(inner.text)) == _flat(source)


def test_search_index_holds_the_data_as_text(hostile_site: Path):
    """The search index keeps markup from data as text (kx-search.js escapes what it lists;
    tests/browser/test_search.py feeds it markup): no page of the index has lost it, and
    the hit title is the page title as the data gives it."""
    from generator.render import search

    pages = [search.fragment(p) for p in (hostile_site / search.FOLDER / "fragment").iterdir()]
    call = next(p for p in pages if p["url"] == f"/calls/{CALL_ID}/")
    text = call["content"].replace(search.SEPARATOR, "")
    assert SCRIPT in text and IMG in text, "markup from data is kept as text"


def test_templates_are_never_evaluated(hostile_site: Path):
    """The Jinja syntax in the data is printed as it is, in every file of the site."""
    found: list[str] = []
    for path in sorted(hostile_site.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(hostile_site).as_posix()
        if path.suffix in TEXT_SUFFIXES:
            if EVALUATED in path.read_text(encoding="utf-8"):
                found.append(rel)
        elif path.suffix in {".docx", ".zip"}:
            with zipfile.ZipFile(path) as archive:
                for info in archive.infolist():
                    if EVALUATED in info.filename or (
                        info.filename.endswith((".xml", ".html", ".json", ".csv", ".ics"))
                        and EVALUATED in archive.read(info).decode("utf-8")
                    ):
                        found.append(f"{rel}!{info.filename}")
        elif path.suffix == ".pdf" and EVALUATED in _pdf_text(path):
            found.append(rel)
    assert not found, f"{EVALUATED} (an evaluated template) in: {found}"
    assert JINJA_EXPR in (hostile_site / "api" / "calls.json").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- forms


def _docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        root = ElementTree.fromstring(archive.read("word/document.xml"))
    ns = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    return "".join(t.text or "" for t in root.iter(f"{ns}t"))


def _pdf_text(path: Path) -> str:
    # pypdf puts NULs between the glyphs of some two-byte font encodings.
    text = "".join(page.extract_text() or "" for page in PdfReader(path).pages)
    return text.replace("\x00", "")


def _form_payloads(call) -> list[str]:
    form = call.form("apply")
    table = form.blocks[2]
    return [
        form.title,
        form.cover[0].text,
        form.cover[1].parts[0],
        form.blocks[0].text,
        form.blocks[1].parts[0],
        form.blocks[1].parts[2],
        table.rows[0].cells[0].text,
        table.rows[1].cells[0].text,
        table.rows[1].cells[1].input.hint,
        table.rows[2].cells[0].text,
        *table.rows[2].cells[1].parts[1].options,
        table.rows[3].cells[0].text,
        table.rows[3].cells[1].sign.lines[0],
    ]


def test_docx_holds_literal_text(hostile_site: Path, hostile_call):
    path = hostile_site / "downloads" / CALL_ID / "apply.docx"
    text = _flat(_docx_text(path))
    payloads = _form_payloads(hostile_call)
    assert any(SCRIPT in p for p in payloads) and any(CONTROLS in p for p in payloads)
    for payload in payloads:
        assert _flat(payload) in text, f"{payload!r} not literal in the DOCX"


def test_indicator_form_and_self_check_hold_literal_text(hostile_site: Path, hostile_call):
    table = hostile_call.indicators
    payloads = [table.title, table.groups[0].name, table.groups[0].indicators[0].text,
                table.bonus[0].name, table.bonus[0].text]
    docx = _flat(_docx_text(hostile_site / "downloads" / CALL_ID / "indicators.docx"))
    pdf = _flat(_pdf_text(hostile_site / "downloads" / CALL_ID / "indicators.pdf"))
    page = _flat("".join(_parse(hostile_site / "self-check" / "index.html").text))
    for payload in payloads:
        assert _flat(payload) in docx, f"{payload!r} not literal in the indicator DOCX"
        assert _flat(payload) in page, f"{payload!r} not literal on the self-check page"
        for ascii_run in re.findall(r"[\x21-\x7e][\x20-\x7e]*", payload):
            assert _flat(ascii_run) in pdf, f"{ascii_run!r} not literal in the indicator PDF"


@pytest.mark.parametrize("name", ["apply.pdf", "apply-fillable.pdf"])
def test_pdf_holds_literal_text(hostile_site: Path, hostile_call, name: str):
    path = hostile_site / "downloads" / CALL_ID / name
    form = hostile_call.form("apply")
    meta = PdfReader(path).metadata
    assert meta.title == f"{form.attachment} {form.title}"
    assert meta.subject == hostile_call.title
    text = _flat(_pdf_text(path))
    # The PDF prints the title only where the form has no cover (its cover shows it).
    for payload in _form_payloads(hostile_call)[1:]:
        # CJK glyphs of subset fonts may not extract; the ASCII payloads must.
        for ascii_run in re.findall(r"[\x21-\x7e][\x20-\x7e]*", payload):
            assert _flat(ascii_run) in text, f"{ascii_run!r} not literal in {name}"


def test_fillable_pdf_fields_keep_literal_labels(hostile_site: Path, hostile_call):
    fields = PdfReader(hostile_site / "downloads" / CALL_ID / "apply-fillable.pdf").get_fields()
    assert fields
    table = hostile_call.form("apply").blocks[2]
    assert fields["unit"].get("/TU") == table.rows[0].cells[0].text
    assert fields["venue"].get("/TU") == table.rows[2].cells[1].parts[1].options[0]


def test_guide_pdf_holds_literal_text(hostile_site: Path):
    text = _flat(_pdf_text(hostile_site / "downloads" / CALL_ID / f"{CALL_ID}-guide.pdf"))
    for literal in (SCRIPT, IMG, JINJA_EXPR, JINJA_STMT, MD_LINK):
        assert _flat(literal) in text, f"{literal!r} not literal in the guideline PDF"


# --------------------------------------------------------------------------- feeds and data


@pytest.mark.parametrize("rel", ["calendar.ics", f"downloads/{CALL_ID}/{CALL_ID}.ics"])
def test_calendar_has_no_injected_lines(hostile_site: Path, hostile_call, rel: str):
    raw = (hostile_site / rel).read_bytes()
    unfolded = raw.replace(b"\r\n ", b"").decode("utf-8")
    lines = unfolded.split("\r\n")
    assert "\n" not in unfolded.replace("\r\n", ""), "bare newline in the calendar"
    names = [line.split(":", 1)[0].split(";", 1)[0] for line in lines if line]
    assert "ATTENDEE" not in names
    assert names.count("BEGIN") == names.count("END")
    assert "END:VEVENT" not in {line.strip() for line in lines if line.startswith(" ")}
    events = [
        ev for ev in Calendar.from_ical(raw).walk("VEVENT")
        if str(ev["uid"]).startswith(f"{CALL_ID}-")
    ]
    assert len(events) == 2
    labels = {str(ev["summary"]) for ev in events}
    expected = {f"{hostile_call.short_title}：{d.label}" for d in hostile_call.deadlines}
    assert labels == expected


def test_csv_neutralises_formulas(hostile_site: Path):
    text = (hostile_site / "api" / "calls.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) > 1
    cells = [cell for row in rows for cell in row]
    dangerous = [c for c in cells if c[:1] in {"=", "+", "-", "@", "\t", "\r"}]
    assert not dangerous, f"cells a spreadsheet would run: {dangerous}"
    for formula in FORMULAS:
        assert "'" + formula in cells, f"{formula!r} is not shown as text"


def test_json_holds_literal_strings(hostile_site: Path, hostile_call):
    entries = json.loads((hostile_site / "api" / "calls.json").read_text(encoding="utf-8"))
    (entry,) = [e for e in entries if e["id"] == CALL_ID]
    assert entry["title"] == hostile_call.title
    assert entry["short_title"] == hostile_call.short_title
    assert entry["doc_no"] == hostile_call.doc_no
    assert entry["doc_no"].endswith(CONTROLS)
    assert [c["name"] for c in entry["categories"]] == list(FORMULAS)
    assert [d["label"] for d in entry["deadlines"]] == [d.label for d in hostile_call.deadlines]


def test_feed_content_is_escaped(hostile_site: Path):
    ns = {"a": "http://www.w3.org/2005/Atom"}
    root = ElementTree.fromstring((hostile_site / "feed.xml").read_bytes())
    entries = root.findall("a:entry", ns)
    assert entries
    for entry in entries:
        content = entry.find("a:content", ns)
        assert content is not None and content.get("type") == "html"
        page = _Page()
        page.feed(content.text or "")
        hrefs = [attrs.get("href", "") for _, attrs in page.tags]
        assert {tag for tag, _ in page.tags} <= {"p", "ul", "li", "a"}, page.tags
        assert not any("evil.example" in h or h.lower().startswith("javascript:") for h in hrefs)
        assert _flat(SCRIPT) in _flat("".join(page.text))
        title = entry.find("a:title", ns)
        assert title is not None and title.get("type", "text") == "text"


# --------------------------------------------------------------------------- templates


def _calls_named(tree: ast.AST, names: set[str]) -> list[ast.Call]:
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in names:
                out.append(node)
    return out


def test_jinja_autoescapes_and_never_compiles_data():
    """Every Jinja environment of the generator escapes; only literal text becomes a template."""
    sources = sorted((ROOT / "generator").rglob("*.py"))
    environments = 0
    for path in sources:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for call in _calls_named(tree, {"Environment"}):
            environments += 1
            autoescape = {k.arg: k.value for k in call.keywords}.get("autoescape")
            assert isinstance(autoescape, ast.Constant) and autoescape.value is True, (
                f"{path.name}:{call.lineno}: Jinja Environment without autoescape=True"
            )
        for call in _calls_named(tree, {"from_string", "Template"}):
            args = [*call.args, *(k.value for k in call.keywords)]
            assert args and isinstance(args[0], ast.Constant), (
                f"{path.name}:{call.lineno}: a template made from something other than literal text"
            )
    assert environments >= 2


# --------------------------------------------------------------------------- Markdown contexts

#: Pieces of Markdown, HTML, entity and template syntax that hostile text is made of.
_TOKENS = [
    *"<>&*_`[]()#!|\\-+.{}:=\"' ~^$%", "\n", "\t", "a", "b", "1", "中", "文",
    "&amp;", "&#x41;", "&lt;", "<script>", "</div>", "<!--", "-->", "]]>", "***", "---",
    "```", "~~~", "!!!", "???", ":::", "[^1]", "{: .x}", "{{ 1 }}", "{% raw %}", "http://x.y",
    "<http://x.y>", "[x](http://x.y)", "![x](y.png)", "| a |", "1. ", "- ", "> ", "    ",
]
hostile_text = st.lists(st.sampled_from(_TOKENS), min_size=1, max_size=25).map("".join)


def _markdown() -> markdown.Markdown:
    """Python-Markdown with the extensions of mkdocs.yml (unknown YAML tags read as null)."""

    class _Loader(yaml.SafeLoader):
        pass

    _Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)
    names, configs = [], {}
    for ext in config.get("markdown_extensions", []):
        name, options = next(iter(ext.items())) if isinstance(ext, dict) else (ext, None)
        names.append(name)
        if options:
            configs[name] = options
    return markdown.Markdown(extensions=names, extension_configs=configs)


_MD = _markdown()


class _Visible(HTMLParser):
    """Text a reader sees, without the heading permalinks, and every tag."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "a" and ("class", "headerlink") in attrs:
            self._skip += 1
        if tag == "br":
            self.text.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)


def _render(source: str) -> _Visible:
    _MD.reset()
    page = _Visible()
    page.feed(_MD.convert(source))
    page.close()
    return page


@settings(max_examples=200, deadline=None)
@given(text=hostile_text)
def test_md_escape_is_literal_in_headings_and_cells(text: str):
    flat = " ".join(text.split())
    heading = _render(f"## {md_escape(text)}")
    assert "".join(heading.text).strip() == flat.strip()
    assert set(heading.tags) <= {"h2", "a"}, heading.tags
    table = _render(f"| 列 |\n| --- |\n| {md_escape(text)} |")
    assert "".join(table.text).replace("列", "", 1).strip() == flat.strip()
    assert set(table.tags) <= {"table", "thead", "tbody", "tr", "th", "td"}, table.tags


@settings(max_examples=200, deadline=None)
@given(text=hostile_text)
def test_lines_filter_is_literal_in_html_blocks(text: str):
    page = _render(f'<div class="kx">\n<p>{text_lines(text)}</p>\n</div>')
    # Markdown expands tabs; apart from whitespace, the text is exactly what was given.
    assert _flat("".join(page.text)) == _flat(text)
    assert page.tags.count("br") == text.count("\n")
    assert set(page.tags) <= {"div", "p", "br"}, page.tags


def test_sweep_reaches_every_text_field():
    """The sweep call carries the payload in every free-text field of the hostile call."""
    data, swept = sweep_data()
    assert swept >= 100
    call = Call.model_validate(data)
    texts = dict(iter_quotes(call))
    assert len(texts) > 60
    assert not [path for path, text in texts.items() if not text.endswith(SWEEP)]
    assert call.summary.endswith(SWEEP) and call.changelog[0].summary.endswith(SWEEP)
