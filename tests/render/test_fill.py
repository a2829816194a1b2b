"""The 在线填写 page of a form: every answer once, named from the form's grid, typed by its
label, required unless someone else writes it; the page embeds the DOCX and stays inert."""

from __future__ import annotations

import base64
import re

import pytest

from generator.formset import forms_of
from generator.models import Call, Form, InputArea
from generator.render import fill
from generator.render.pages import environment


def _all_forms(calls: list[Call]) -> list[tuple[Call, Form]]:
    return [(call, form) for call in calls for form in forms_of(call)]


def _fields(calls, call_id: str, form_id: str) -> dict[str, fill.Field]:
    call = next(c for c in calls if c.id == call_id)
    form = next(f for f in forms_of(call) if f.id == form_id)
    return {f.id: f for f in fill.prepare(call, form).fields}


def test_every_answer_of_every_form_once_in_order(calls):
    for call, form in _all_forms(calls):
        page = fill.prepare(call, form)
        assert [f.id for f in page.fields] == form.field_ids(), f"{call.id}/{form.id}"


def test_labels_are_unique_within_a_form(calls):
    for call, form in _all_forms(calls):
        labels = [f.label for f in fill.prepare(call, form).fields]
        dupes = sorted({x for x in labels if labels.count(x) > 1})
        assert not dupes, f"{call.id}/{form.id}: {dupes}"


def test_labels_come_from_the_grid(calls):
    jining = _fields(calls, "jining-2023-reform-brand", "apply")
    assert jining["leader-name"].label == "单位负责人 姓名"  # row label + column heading
    assert jining["contact-email"].label == "项目联系人 邮箱"
    changde = _fields(calls, "changde-2022-society-capacity", "capacity")
    assert changde["member-name-3"].label == "姓名（第3行）"  # repeated row under its heading
    assert changde["member-note-1"].label == "备注（第1行）"  # not the 项目负责人 cell above
    assert changde["expense-amount-2"].label == "2 金额"  # row number + column heading
    assert changde["cover-year"].label == "申报日期（年）"
    assert changde["finish-month"].label == "起止时间 于（月）"
    assert changde["pledge-meeting"].label == "经……会议研究审议"
    jiangsu = _fields(calls, "jiangsu-2021-county-kx", "application")
    assert jiangsu["four-heads-school-township"].label == "“四长”兼挂职情况 学校校长 乡镇（街道）科协人数"
    assert jiangsu["overall-approach"].label == "二、总体思路"  # the heading before the table


@pytest.mark.parametrize(
    ("label", "area", "after", "kind"),
    [
        ("移动电话", None, "", "tel"),
        ("电子信箱", None, "", "email"),
        ("邮政编码", None, "", "postcode"),
        ("成立时间", None, "", "date"),
        ("起止时间", None, "", "text"),
        ("乡镇（个）", None, "", "number"),
        ("申报日期", None, "年", "year"),
        ("申报单位", None, "　　　　年　　月　　日", "text"),  # 年 after spaces: not this blank's unit
        ("经费总预算", None, "万元", "number"),
        ("实施方案", InputArea(id="plan", lines=12), "", "multiline"),
        ("金额", InputArea(id="amount", kind="number"), "", "number"),
    ],
)
def test_field_kind(label, area, after, kind):
    assert fill.field_kind(label, area, after=after) == kind


def test_required_unless_optional(calls):
    changde = _fields(calls, "changde-2022-society-capacity", "capacity")
    assert changde["project-name"].required
    assert not changde["member-name-1"].required  # rows an applicant adds
    assert not changde["expense-note-1"].required  # 备注
    case = _fields(calls, "jiangsu-2021-county-kx", "case")
    assert not case["city-kx-opinion"].required  # 市科协意见: written by the 市科协
    assert case["measures"].required


def test_sums_and_rows(calls):
    call = next(c for c in calls if c.id == "jiangsu-2021-county-kx")
    form = call.form("application")
    page = fill.prepare(call, form)
    fields = {f.id: f for f in page.fields}
    assert fields["expense-total"].sum_of == ["expense-amount-1", "expense-amount-2"]
    tables = [b.value for b in page.body if b.type == "table"]
    groups = {g: n for t in tables for g, n in t.groups.items()}
    assert list(groups.values()) == [2]
    assert fields["expense-name-2"].group == next(iter(groups))


def test_word_limits(calls):
    jining = _fields(calls, "jining-2023-reform-brand", "apply")
    assert (jining["conditions"].limit, jining["plan"].limit) == (200, 500)
    call = next(c for c in calls if c.id == "jiangsu-2021-county-kx")
    page = fill.prepare(call, call.form("application"))
    assert [(g.fields, g.limit) for g in page.limits] == [(["overall-approach", "tasks-and-measures"], 2000)]


def test_page_embeds_the_docx_and_keeps_data_inert(calls):
    call = next(c for c in calls if c.id == "jining-2023-reform-brand")
    form = call.form("apply")
    hostile = form.model_copy(update={"title": '<script>alert("x")</script> ``` {{ 7*7 }}'})
    html = fill.fill_page(environment(), call, hostile, b"PK\x03\x04docx bytes")
    embedded = re.search(r'data-kx="fill-docx-data">([^<]+)</script>', html)
    assert embedded and base64.b64decode(embedded.group(1)) == b"PK\x03\x04docx bytes"
    assert html.startswith("---\ntitle: ")
    front, body = html.split("\n---\n", 1)
    # the theme prints the title unescaped: it is HTML-escaped, then a JSON (YAML) string
    assert "\\u0026lt;script\\u0026gt;" in front and "<" not in front
    assert "<script>alert" not in body
    assert "&lt;script&gt;alert" in body
    assert "```" not in body and "{{ 7*7 }}" in body
    assert html.count('data-kx-field="project-class"') == 2  # one per option
    assert 'data-limit="200"' in html


def test_fflate_comes_from_node_modules(tmp_path):
    assert fill.fflate_source(tmp_path).name == "index.js"
    assert fill.fflate_source(tmp_path).parent.parent.name == "fflate"


def test_render_writes_a_page_per_form_and_never_serves_a_stale_one(calls, tmp_path):
    from generator import urls
    from generator.context import BuildContext

    call = next(c for c in calls if c.id == "jining-2023-reform-brand")
    ctx = BuildContext(root=tmp_path, calls=[call], docs_dir=tmp_path / "docs",
                       site_dir=tmp_path / "site", cache_dir=tmp_path / "cache")
    docx_path = urls.form_docx(call, call.form("apply"))
    page = ctx.docs_dir / urls.form_fill_markdown(call, call.form("apply"))

    def docx_step(data: bytes) -> None:
        ctx.step, ctx.produces = "docx", ("form.docx",)
        ctx.write(docx_path, data, "form.docx")
        ctx.made.add("form.docx")
        ctx.step, ctx.produces = "fill", ("page", "asset")

    def embedded() -> bytes:
        m = re.search(r'data-kx="fill-docx-data">([^<]+)<', page.read_text(encoding="utf-8"))
        assert m
        return base64.b64decode(m.group(1))

    docx_step(b"PK first")
    fill.render(ctx)
    assert embedded() == b"PK first"
    assert (ctx.docs_dir / fill.FFLATE_ASSET).read_bytes().startswith(b"!function")
    assert ctx.artifacts[urls.form_fill_markdown(call, call.form("apply"))].kind == "page"
    first = page.read_bytes()
    fill.render(ctx)  # from the cache: the same page
    assert page.read_bytes() == first
    docx_step(b"PK second")  # a new DOCX: a new page, not the cached one
    fill.render(ctx)
    assert embedded() == b"PK second"
    del ctx.artifacts[docx_path]
    with pytest.raises(fill.BuildError, match="缺少 DOCX"):
        fill.render(ctx)
