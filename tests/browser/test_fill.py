"""在线填写 in a real browser: every field of every form filled, kept on reload, exported as the
site's own DOCX with its content controls filled (read back with python-docx, converted by
LibreOffice), imported again, printed; word limits, checks, drafts, JSON, file:// and axe."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree

from generator import urls
from generator.formset import forms_of
from generator.load import load

from .support import ROOT, SCREENSHOTS, describe, failing, run_axe, save_screenshot

CALLS = load(ROOT / "data" / "calls", ROOT)
FORMS = [(call, form) for call in CALLS for form in forms_of(call)]
FORM_IDS = [f"{call.id}/{form.id}" for call, form in FORMS]
W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
READY = "[data-kx=fill][data-kx-ready]"

_FIELDS_JS = """() => {
  const seen = new Set(), out = [];
  document.querySelectorAll('[data-kx-field]').forEach(el => {
    const id = el.dataset.kxField;
    if (seen.has(id)) return;
    seen.add(id);
    const options = el.dataset.kind === 'choice'
      ? [...document.querySelectorAll(`input[name="${id}"]`)].map(x => x.value) : [];
    out.push({id, kind: el.dataset.kind, readonly: !!el.readOnly, multiple: el.type === 'checkbox',
              options, max: el.dataset.max || null, sum: (el.dataset.sum || '').split(' ').filter(Boolean)});
  });
  return out;
}"""
_ANSWERS_JS = """() => {
  const a = {};
  document.querySelectorAll('[data-kx-field]').forEach(el => {
    const id = el.dataset.kxField;
    if (el.dataset.kind === 'choice') { if (el.checked) (a[id] = a[id] || []).push(el.value); }
    else if (el.value.trim()) a[id] = el.value;
  });
  return a;
}"""
_STORED_JS = """(key) => {
  const raw = localStorage.getItem(key);
  if (!raw) return null;
  const s = JSON.parse(raw);
  const d = s.drafts.find(x => x.id === s.current) || s.drafts[0];
  return d ? d.answers : null;
}"""


def _fill_url(call, form) -> str:
    return urls.form_fill_page(call, form)


def _key(call, form) -> str:
    return f"kx-fill:v1:{call.id}/{form.id}"


def _open(page, call, form):
    """Open the fill page and wait until loading is over (a second of no request after the
    network first fell idle; the search worker fetches nothing until a query is typed)."""
    page.goto(_fill_url(call, form))
    page.wait_for_selector(READY, state="attached")
    page.wait_for_load_state("networkidle")
    seen, quiet = len(page.recorder.requests), 0
    for _ in range(40):
        page.wait_for_timeout(250)
        now = len(page.recorder.requests)
        quiet = quiet + 1 if now == seen else 0
        seen = now
        if quiet >= 4:
            break
    return page


def _answer(field: dict, n: int) -> str | list[str]:
    """A valid answer for a field of ``kind``, unique where the kind allows."""
    kind = field["kind"]
    if kind == "choice":
        opts = field["options"]
        return [opts[0], opts[-1]] if field["multiple"] and len(opts) > 1 else [opts[-1]]
    if field["max"]:
        return "1"
    return {
        "multiline": f"第{n}栏首行甲\n次行乙{n}号",
        "number": str(n),
        "date": f"2022年3月{n % 28 + 1}日",
        "year": "2023",
        "month": "3",
        "day": "15",
        "tel": f"0537-37{n:05d}",
        "email": f"a{n}@example.com",
        "postcode": "272000",
    }.get(kind, f"答{n}号丙")


def _show_all_rows(page) -> None:
    for button in page.locator("[data-kx-add-row]").all():
        while button.is_enabled():
            button.click()


def _fill_everything(page) -> dict:
    """Fill every field as an applicant would; returns the answers typed (sums included)."""
    _show_all_rows(page)
    fields = page.evaluate(_FIELDS_JS)
    typed: dict = {}
    for n, field in enumerate(fields, 1):
        if field["readonly"]:
            continue
        value = _answer(field, n)
        if field["kind"] == "choice":
            boxes = page.locator(f'input[name="{field["id"]}"]')
            for option in value:
                boxes.nth(field["options"].index(option)).check()
        else:
            page.locator(f'[id="f-{field["id"]}"]').fill(value)
        typed[field["id"]] = value
    for field in fields:
        if field["sum"]:
            total = sum(float(typed[i]) for i in field["sum"] if i in typed)
            typed[field["id"]] = f"{total:g}"
    return typed


def _controls(data: bytes) -> tuple[dict, dict, etree._Element]:
    """``{tag: text or ticked options}``, ``{tag/alias: xpath}`` and the body of a DOCX."""
    document = docx.Document(io.BytesIO(data))
    body = document.element.body
    tree = body.getroottree()
    values: dict = {}
    places: dict = {}
    for sdt in body.iter(qn("w:sdt")):
        pr = sdt.find(qn("w:sdtPr"))
        tag = pr.find(qn("w:tag")).get(qn("w:val"))
        content = sdt.find(qn("w:sdtContent"))
        box = pr.find(f"{W14}checkbox")
        if box is not None:
            alias = pr.find(qn("w:alias")).get(qn("w:val"))
            places[f"{tag}/{alias}"] = tree.getpath(sdt)
            ticked = box.find(f"{W14}checked").get(f"{W14}val") == "1"
            glyph = "".join(t.text or "" for t in content.iter(qn("w:t")))
            values.setdefault(tag, [])
            if ticked:
                values[tag].append(alias)
                assert glyph in ("☑", "√"), f"{tag}/{alias}: ticked but shows {glyph!r}"
            else:
                assert glyph in ("☐", "\u3000"), f"{tag}/{alias}: not ticked but shows {glyph!r}"
            continue
        places[tag] = tree.getpath(sdt)
        if pr.find(qn("w:showingPlcHdr")) is not None:
            values[tag] = None
            continue
        values[tag] = "".join(
            "\n" if el.tag == qn("w:br") else el.text or ""
            for el in content.iter(qn("w:t"), qn("w:br"))
        )
    return {k: v for k, v in values.items() if v}, places, body


def _skeleton(body: etree._Element) -> bytes:
    """The document without its answers: what must not change when a form is filled."""
    body = etree.fromstring(etree.tostring(body))
    for sdt in body.iter(qn("w:sdt")):
        pr = sdt.find(qn("w:sdtPr"))
        for ph in pr.findall(qn("w:showingPlcHdr")):
            pr.remove(ph)
        for checked in pr.iter(f"{W14}checked"):
            checked.set(f"{W14}val", "0")
        content = sdt.find(qn("w:sdtContent"))
        for child in list(content):
            content.remove(child)
    return etree.tostring(body, method="c14n")


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _text_answers(answers: dict) -> list[str]:
    """Every line of every text answer (what must be readable on paper)."""
    out = []
    for value in answers.values():
        if isinstance(value, str):
            out.extend(line for line in value.split("\n") if line.strip())
    return out


def _pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def _libreoffice_pdf(docx_path: Path, work: Path) -> Path:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    assert exe, "LibreOffice is missing: run scripts/install-system-deps.sh libreoffice"
    subprocess.run(
        [exe, f"-env:UserInstallation=file://{work}/lo-profile", "--headless",
         "--convert-to", "pdf", "--outdir", str(work / "lo"), str(docx_path)],
        check=True, capture_output=True, timeout=300,
    )
    pdf = work / "lo" / (docx_path.stem + ".pdf")
    assert pdf.is_file(), f"LibreOffice did not convert {docx_path.name}"
    return pdf


def _later_requests(page, since: int) -> list[str]:
    """Requests made after index ``since`` that left the page (blob:/data: stay in memory)."""
    return [u for u in page.recorder.requests[since:] if urlsplit(u).scheme not in ("blob", "data")]


# --------------------------------------------------------------------------- every form


@pytest.mark.parametrize(("call", "form"), FORMS, ids=FORM_IDS)
def test_fill_every_field_export_reimport_print(open_page, site_dir, tmp_path, call, form):
    page = _open(open_page(), call, form)
    since = len(page.recorder.requests)
    typed = _fill_everything(page)
    assert page.evaluate(_ANSWERS_JS) == typed
    assert len(typed) == len(page.evaluate(_FIELDS_JS)), "a field was left unfilled"

    # saved as one types: the stored draft holds every answer
    page.wait_for_function(
        "([key, n]) => { const raw = localStorage.getItem(key); if (!raw) return false;"
        " const s = JSON.parse(raw); return Object.keys(s.drafts[0].answers).length === n; }",
        arg=[_key(call, form), len(typed)],
    )

    # export the DOCX
    with page.expect_download() as info:
        page.locator("[data-kx=fill-docx]").click()
    out = tmp_path / "filled.docx"
    info.value.save_as(out)
    assert info.value.suggested_filename.endswith(".docx")
    offered = (site_dir / urls.form_docx(call, form)).read_bytes()
    filled = out.read_bytes()

    # every answer in its own content control, in the place the site's DOCX has it
    got, places, body = _controls(filled)
    assert got == typed
    _, original_places, original_body = _controls(offered)
    assert places == original_places
    assert _skeleton(body) == _skeleton(original_body), "filling changed the document's layout"
    with zipfile.ZipFile(io.BytesIO(offered)) as a, zipfile.ZipFile(io.BytesIO(filled)) as b:
        assert a.namelist() == b.namelist()
        for name in a.namelist():
            if name != "word/document.xml":
                assert a.read(name) == b.read(name), f"{name} changed"

    # the print view: A4, the answers on paper, none of the page's controls
    page.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }")
    page.locator("[data-kx=fill-print]").click()
    assert page.evaluate("() => window.__printed") == 1
    printed = tmp_path / "print.pdf"
    page.pdf(path=str(printed), format="A4", prefer_css_page_size=True, print_background=True)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOTS / f"fill-print-{call.id}-{form.id}"
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "3", str(printed), str(shot)],
                   check=True, capture_output=True)
    text = _squash(_pdf_text(printed))
    missing = [a for a in _text_answers(typed) if _squash(a) not in text]
    assert not missing, f"answers missing from the printout: {missing[:10]}"
    for control in ("导出Word", "清除本机数据", "打开文件继续填写", "签字盖章处"):
        assert control not in text, f"{control} printed"

    # no request after the page loaded (filling, saving, exporting, printing)
    assert not _later_requests(page, since), _later_requests(page, since)

    # reload: the answers are kept
    page.reload()
    page.wait_for_selector(READY, state="attached")
    assert page.evaluate(_ANSWERS_JS) == typed

    # LibreOffice opens the filled DOCX with the answers visible
    lo_text = _squash(_pdf_text(_libreoffice_pdf(out, tmp_path)))
    missing = [a for a in _text_answers(typed) if _squash(a) not in lo_text]
    assert not missing, f"answers missing from LibreOffice's PDF: {missing[:10]}"

    # open the filled DOCX on a fresh device: the same answers, and the check passes
    fresh = _open(open_page(), call, form)
    since = len(fresh.recorder.requests)
    fresh.locator("[data-kx=fill-open]").set_input_files(str(out))
    fresh.wait_for_selector("[data-kx=fill-summary]:not([hidden])")
    assert fresh.evaluate(_ANSWERS_JS) == typed
    assert "检查通过" in fresh.locator("[data-kx=fill-summary]").inner_text()
    assert fresh.evaluate(_STORED_JS, _key(call, form)) == typed
    assert not _later_requests(fresh, since)


@pytest.mark.parametrize(("call", "form"), FORMS, ids=FORM_IDS)
def test_fill_page_embeds_the_offered_docx(site_dir, call, form):
    html = (site_dir / _fill_url(call, form) / "index.html").read_text(encoding="utf-8")
    m = re.search(r'<script type="application/octet-stream" data-kx="fill-docx-data">([^<]+)</script>', html)
    assert m, "no DOCX in the page"
    import base64

    assert base64.b64decode(m.group(1)) == (site_dir / urls.form_docx(call, form)).read_bytes()


def test_call_page_offers_fill_beside_the_downloads(page):
    call, _ = FORMS[0]
    page.goto(urls.call_page(call))
    for form in forms_of(call):
        box = page.locator(f"#form-{form.id}")
        link = box.locator("[data-kx=fill-link]")
        assert link.inner_text() == "在线填写"
        assert box.locator("[data-kx=download][data-format=docx]").count() == 1
        link.click()
        page.wait_for_selector(READY, state="attached")
        assert page.url.endswith(_fill_url(call, form))
        page.go_back()


# --------------------------------------------------------------------------- word limits and checks


def _form(call_id: str, form_id: str):
    for call, form in FORMS:
        if call.id == call_id and form.id == form_id:
            return call, form
    raise KeyError(f"{call_id}/{form_id}")


def test_word_limit_warns_and_counts_as_the_notice_counts(open_page):
    call, form = _form("jining-2023-reform-brand", "apply")
    page = _open(open_page(), call, form)
    field = page.locator("#f-conditions")
    count = page.locator("[data-kx-count=conditions]")
    # Chinese characters and Chinese punctuation count one each; a run of Latin letters or
    # digits counts one; ASCII punctuation, spaces and line breaks do not count.
    field.fill("AI 2023年，好。 test\n字!")
    assert count.inner_text() == "已写 8 字，限 200 字以内"
    field.fill("字" * 199 + "。 ... ,\n")
    assert count.inner_text() == "已写 200 字，限 200 字以内"
    assert "kx-fill__count--over" not in (count.get_attribute("class") or "")
    field.fill("字" * 201)
    assert count.inner_text() == "已写 201 字，限 200 字以内，超出 1 字"
    assert "kx-fill__count--over" in count.get_attribute("class")
    page.wait_for_function(
        "() => document.querySelector('[data-kx=fill-status]').textContent.includes('超出字数限制')"
    )
    page.locator("[data-kx=fill-check]").click()
    error = page.locator("[data-kx-error=conditions]")
    assert "已写 201 字，限 200 字" in error.inner_text()
    assert "f-conditions-error" in field.get_attribute("aria-describedby")
    assert field.get_attribute("aria-invalid") == "true"


def test_a_limit_over_several_fields_is_counted_together(open_page):
    call, form = _form("jiangsu-2021-county-kx", "application")
    page = _open(open_page(), call, form)
    group = page.locator("[data-kx-limit-group]")
    page.locator("#f-overall-approach").fill("思" * 1500)
    assert "已写 1500 字" in group.inner_text()
    page.locator("#f-tasks-and-measures").fill("任" * 501)
    assert "已写 2001 字，超出 1 字" in group.inner_text()
    page.locator("[data-kx=fill-check]").click()
    assert "超出 1 字" in page.locator("[data-kx=fill-summary]").inner_text()


def test_check_shows_each_problem_next_to_its_field(open_page):
    call, form = _form("changde-2022-society-capacity", "capacity")
    page = _open(open_page(), call, form)
    page.locator("#f-unit-founded").fill("2022-02-30")
    page.locator("#f-unit-email").fill("不是邮箱")
    page.locator("#f-unit-head-mobile").fill("电话号码")
    page.locator("#f-cover-year").fill("22")
    page.locator("[data-kx=fill-check]").click()
    summary = page.locator("[data-kx=fill-summary]")
    assert summary.evaluate("el => el === document.activeElement")
    expected = {
        "unit-founded": "这一天不存在",
        "unit-email": "不像电子邮箱地址",
        "unit-head-mobile": "不像电话号码",
        "cover-year": "四位数的年份",
        "project-name": "请填写此项",
    }
    for fid, words in expected.items():
        error = page.locator(f"[data-kx-error={fid}]")
        assert error.is_visible() and words in error.inner_text(), fid
        described = page.locator(f"#f-{fid}").get_attribute("aria-describedby") or ""
        assert f"f-{fid}-error" in described.split(), fid
    assert "请选择一项" in page.locator("[data-kx-error=project-type]").inner_text()
    assert "处需要处理" in summary.inner_text()
    page.wait_for_function(
        "() => document.querySelector('[data-kx=fill-status]').textContent.includes('处需要处理')"
    )
    # a remark and the rows an applicant did not add are not required
    assert page.locator("[data-kx-error=member-note-1]").is_hidden()
    # fixing a field clears its message
    page.locator("#f-unit-founded").fill("2021年5月")
    assert page.locator("[data-kx-error=unit-founded]").is_hidden()
    assert page.locator("#f-unit-founded").get_attribute("aria-invalid") is None
    bad = failing(run_axe(page))
    assert not bad, describe(bad)


def test_rows_are_added_up_to_the_form_and_summed(open_page):
    call, form = _form("jiangsu-2021-county-kx", "application")
    page = _open(open_page(), call, form)
    add = page.locator("[data-kx-add-row]")
    rows = page.locator("tr[data-kx-repeat]")
    assert rows.nth(1).is_hidden()
    add.click()
    assert rows.nth(1).is_visible()
    assert add.is_disabled(), "the form has two expense lines"
    page.locator("#f-expense-amount-1").fill("1.5")
    page.locator("#f-expense-amount-2").fill("2")
    assert page.locator("#f-expense-total").input_value() == "3.5"
    page.locator("[data-kx-remove-row]").click()
    assert rows.nth(1).is_hidden()
    assert page.locator("#f-expense-total").input_value() == "1.5"


# --------------------------------------------------------------------------- drafts, JSON, clearing


def test_drafts_json_and_clearing(open_page, tmp_path):
    call, form = _form("shandong-2022-reform-brand", "recommend")
    page = _open(open_page(), call, form)
    page.locator("#f-project-name").fill("第一份")
    page.locator("[data-kx=fill-new]").click()
    assert page.locator("#f-project-name").input_value() == ""
    page.locator("#f-project-name").fill("第二份")
    page.locator("#kx-fill-draft-name").fill("给王老师的版本")
    page.locator("#kx-fill-draft-name").dispatch_event("change")
    options = page.locator("[data-kx=fill-draft] option")
    assert options.all_inner_texts() == ["草稿 1", "给王老师的版本"]
    page.locator("[data-kx=fill-draft]").select_option(label="草稿 1")
    assert page.locator("#f-project-name").input_value() == "第一份"
    page.reload()
    page.wait_for_selector(READY, state="attached")
    assert page.locator("#f-project-name").input_value() == "第一份"

    with page.expect_download() as info:
        page.locator("[data-kx=fill-json]").click()
    saved = tmp_path / "draft.json"
    info.value.save_as(saved)
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert (data["format"], data["call"], data["form"]) == ("kexie-calls-fill", call.id, form.id)
    assert data["answers"] == {"project-name": "第一份"}

    other = _open(open_page(), call, form)
    other.locator("[data-kx=fill-open]").set_input_files(str(saved))
    other.wait_for_selector("[data-kx=fill-summary]:not([hidden])")
    assert other.locator("#f-project-name").input_value() == "第一份"
    # a draft of another form is refused, and nothing is replaced
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps({**data, "form": "apply"}), encoding="utf-8")
    other.locator("[data-kx=fill-open]").set_input_files(str(wrong))
    other.wait_for_function(
        "() => document.querySelector('[data-kx=fill-status]').textContent.includes('不是本表')"
    )
    assert other.locator("#f-project-name").input_value() == "第一份"

    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("[data-kx=fill-clear]").click()
    assert page.locator("#f-project-name").input_value() == ""
    left = page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('kx-fill:'))")
    assert left == []


def test_keyboard_alone(open_page):
    call, form = _form("jining-2023-reform-brand", "apply")
    page = _open(open_page(), call, form)
    page.locator("[data-kx=fill-check]").focus()
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id") == "f-project-name":
            break
    else:
        pytest.fail("Tab never reached the first answer")
    page.keyboard.type("键盘填写")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.name") == "project-class"
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")
    assert page.evaluate(_ANSWERS_JS) == {"project-name": "键盘填写", "project-class": ["B类"]}


# --------------------------------------------------------------------------- offline, phone, a11y


def test_works_from_the_offline_copy(browser, site_dir, tmp_path):
    with zipfile.ZipFile(site_dir / urls.site_zip()) as zf:
        zf.extractall(tmp_path)
    call, form = _form("jining-2023-reform-brand", "apply")
    index = tmp_path / "kexie-calls" / urls.form_fill_page(call, form) / "index.html"
    context = browser.new_context(accept_downloads=True)
    errors: list[str] = []
    requests: list[str] = []
    try:
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        context.on("request", lambda r: requests.append(r.url))
        page.goto(index.as_uri())
        page.wait_for_selector(READY, state="attached")
        loaded = len(requests)
        page.locator("#f-project-name").fill("离线填写")
        page.wait_for_function(
            "() => (localStorage.getItem(" + json.dumps(_key(call, form)) + ") || '').includes('离线填写')"
        )
        page.reload()
        page.wait_for_selector(READY, state="attached")
        assert page.locator("#f-project-name").input_value() == "离线填写"
        since = len(requests)
        with page.expect_download() as info:
            page.locator("[data-kx=fill-docx]").click()
        got, _, _ = _controls(Path(info.value.path()).read_bytes())
        assert got["project-name"] == "离线填写"
        assert [u for u in requests[since:] if not u.startswith(("blob:", "data:"))] == []
        assert all(urlsplit(u).scheme in ("file", "blob", "data") for u in requests), requests
        # The theme's bundle looks for search/search_index.js on file:// (every page of the
        # offline copy, which has no search); anything else is this page's fault.
        errors = [e for e in errors if "search_index" not in e]
        assert loaded > 0 and not errors, errors
    finally:
        context.close()


@pytest.mark.parametrize(("call", "form"), FORMS, ids=FORM_IDS)
def test_axe_and_screenshots(open_page, call, form):
    page = _open(open_page(1366, 768), call, form)
    bad = failing(run_axe(page))
    assert not bad, describe(bad)
    save_screenshot(page, f"fill-{call.id}-{form.id}-1366")
    phone = _open(open_page(390, 844, mobile=True), call, form)
    width = phone.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide on a 390px phone"
    bad = failing(run_axe(phone))
    assert not bad, describe(bad)
    save_screenshot(phone, f"fill-{call.id}-{form.id}-390")


def test_fflate_is_vendored_from_npm(site_dir):
    assert (site_dir / "assets" / "vendor" / "fflate.min.js").read_bytes() == (
        ROOT / "node_modules" / "fflate" / "umd" / "index.js"
    ).read_bytes()
    assert os.path.isfile(site_dir / "assets" / "kx-fill.js")


def test_axe_in_dark_mode(open_page):
    call, form = _form("jiangsu-2021-county-kx", "application")
    page = _open(open_page(color_scheme="dark"), call, form)
    page.locator("[data-kx=fill-check]").click()  # with every message shown
    bad = failing(run_axe(page))
    assert not bad, describe(bad)
    save_screenshot(page, f"fill-{call.id}-{form.id}-dark-checked")


@pytest.mark.parametrize(("call", "form"), FORMS, ids=FORM_IDS)
def test_blank_print_takes_no_more_pages_than_the_pdf(open_page, site_dir, tmp_path, call, form):
    """The print view is drawn from the form's layout: a blank form prints on as many
    A4 pages as the site's PDF of it, or fewer."""
    from pypdf import PdfReader

    page = _open(open_page(), call, form)
    printed = tmp_path / "blank.pdf"
    page.pdf(path=str(printed), format="A4", prefer_css_page_size=True, print_background=True)
    pages = len(PdfReader(printed).pages)
    offered = len(PdfReader(site_dir / urls.form_pdf(call, form)).pages)
    assert pages <= offered, f"the print view takes {pages} pages, the PDF {offered}"
