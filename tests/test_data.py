"""Invariants of the real call data in data/calls.

Each check is a plain function ``<what>_problems(call, ...) -> list[str]`` that lists what
is wrong with one call. The ``test_*_in_the_data`` tests run it over every call; the
``test_*_catches_*`` tests run it over a deliberately broken copy of the sample call, so
every check is shown to be able to fail.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import BaseModel

from generator.fidelity import normalise, source_text
from generator.formset import forms_of
from generator.load import load_file
from generator.models import (
    EMAIL_PATTERN,
    SLUG_PATTERN,
    Call,
    Category,
    Cell,
    Contact,
    CountRange,
    Deadline,
    Form,
    Funding,
    Indicator,
    IndicatorGroup,
    IndicatorTable,
    InputArea,
    Period,
    Row,
    Table,
    iter_categories,
    iter_form_fields,
    iter_quotes,
    table_grid,
)

from .conftest import ROOT, TESTS

SAMPLE = TESTS / "data" / "good" / "sample-call.yaml"
SEEDS_DIR = ROOT.parent / "shared" / "seeds"

#: The five source notices and the fixed id of the call encoding each.
SEED_CALLS = {
    "000_2f8a7353d479275a.txt": "jining-2023-reform-brand",
    "001_e177855668ea4276.txt": "shandong-2022-reform-brand",
    "002_d919467686d347e6.txt": "changde-2022-society-capacity",
    "003_868d155737daf8a5.txt": "xuzhou-2022-society-capacity",
    "004_7d6f9b0163dfda3d.txt": "jiangsu-2021-county-kx",
}

_EMAIL = re.compile(EMAIL_PATTERN)
_SLUG = re.compile(SLUG_PATTERN)
_ATTACHMENT_NO = re.compile(r"附件\s*(\d+)")


@pytest.fixture(scope="module")
def sample() -> Call:
    """The small valid sample call, as the base of broken copies."""
    return load_file(SAMPLE, ROOT)


def _call(calls: list[Call], call_id: str) -> Call:
    for call in calls:
        if call.id == call_id:
            return call
    pytest.fail(f"data/calls/{call_id}.yaml is missing")


def _report(problems: list[str]) -> str:
    return "\n".join(problems)


def _replace_category(call: Call, index: int, **changes: object) -> Call:
    cats = list(call.categories)
    cats[index] = cats[index].model_copy(update=changes)
    return call.model_copy(update={"categories": cats})


# --------------------------------------------------------------------------- ranges


def range_problems(call: Call) -> list[str]:
    """Count and funding ranges whose minimum exceeds the maximum; periods ending before they start.

    Parameters:
        call: The call to check.

    Returns:
        One message per inverted range.
    """
    out = []
    for cat in iter_categories(call.categories):
        for what, rng in (("count", cat.count), ("funding", cat.funding)):
            if (
                rng is not None
                and rng.min is not None
                and rng.max is not None
                and rng.min > rng.max
            ):
                out.append(f"{call.id}: {cat.id}.{what}: min {rng.min} > max {rng.max}")
        per = cat.period
        if per is not None and per.start and per.end and per.start > per.end:
            out.append(f"{call.id}: {cat.id}.period: start {per.start} after end {per.end}")
    return out


def test_ranges_in_the_data_are_ordered(calls):
    problems = [p for call in calls for p in range_problems(call)]
    assert not problems, _report(problems)


def test_range_check_catches_inverted_ranges(sample):
    bad = _replace_category(
        sample,
        0,
        count=CountRange.model_construct(min=10, max=8, text="8-10个"),
        funding=Funding.model_construct(min=3.0, max=1.0, unit="万元", per=None, text="1-2万元/个"),
        period=Period.model_construct(
            text="x", start=sample.issued, end=sample.issued.replace(year=2098)
        ),
    )
    assert len(range_problems(bad)) == 3
    assert range_problems(sample) == []


# --------------------------------------------------------------------------- parent counts


def _exact(rng: CountRange | None) -> int | None:
    if rng is not None and rng.min is not None and rng.min == rng.max:
        return rng.min
    return None


def child_count_problems(call: Call) -> list[str]:
    """Parents whose planned count cannot hold the counts of their children.

    The children's minimums must fit in the parent's maximum; when every child is
    counted, their maximums must reach the parent's minimum (with exact counts: the
    children add up to the parent, e.g. 服务专项 30 = 20 + 10).

    Parameters:
        call: The call to check.

    Returns:
        One message per inconsistent parent.
    """
    out = []
    for cat in iter_categories(call.categories):
        parent = cat.count
        counted = [c.count for c in cat.children if c.count is not None]
        if parent is None or not counted:
            continue
        mins = [c.min for c in counted if c.min is not None]
        if parent.max is not None and len(mins) == len(counted) and sum(mins) > parent.max:
            out.append(
                f"{call.id}: {cat.id}: children need at least {sum(mins)}, "
                f"parent allows {parent.max}"
            )
        maxes = [c.max for c in counted if c.max is not None]
        complete = len(maxes) == len(counted) == len(cat.children)
        if complete and parent.min is not None and sum(maxes) < parent.min:
            out.append(
                f"{call.id}: {cat.id}: children add up to at most {sum(maxes)}, "
                f"parent needs {parent.min}"
            )
    return out


def test_children_counts_add_up_in_the_data(calls):
    problems = [p for call in calls for p in child_count_problems(call)]
    assert not problems, _report(problems)


def test_child_count_check_catches_a_wrong_sum(sample):
    def cat(cid: str, n: int) -> Category:
        return Category(id=cid, name="学术交流", count=CountRange(min=n, max=n, text="8-10个"))

    good = _replace_category(
        sample,
        0,
        count=CountRange(min=30, max=30, text="8-10个"),
        children=[cat("a", 20), cat("b", 10)],
    )
    assert child_count_problems(good) == []
    too_many = _replace_category(good, 0, children=[cat("a", 20), cat("b", 11)])
    too_few = _replace_category(good, 0, children=[cat("a", 20), cat("b", 9)])
    assert len(child_count_problems(too_many)) == 1
    assert len(child_count_problems(too_few)) == 1


def test_xuzhou_group_counts(calls):
    """徐州: 一流学会 5–7, 创新特色学会 10–12, 服务专项 30 = 科技服务 20 + 科技创新智库 10."""
    call = _call(calls, "xuzhou-2022-society-capacity")
    cats = call.all_categories()

    def named(word: str, among: list[Category]) -> Category:
        found = [c for c in among if word in c.name]
        assert found, f"no category named like {word}"
        return found[0]

    first_rate = named("一流学会", cats)
    featured = named("创新特色学会", cats)
    service = named("服务专项", cats)
    assert (first_rate.count.min, first_rate.count.max) == (5, 7)  # type: ignore[union-attr]
    assert (featured.count.min, featured.count.max) == (10, 12)  # type: ignore[union-attr]
    assert _exact(service.count) == 30
    tech = named("科技服务", service.children)
    think_tank = named("智库", service.children)
    assert (_exact(tech.count), _exact(think_tank.count)) == (20, 10)
    assert sum(_exact(c.count) or 0 for c in service.children) == _exact(service.count)
    text = normalise(source_text(call, ROOT))
    assert normalise("服务专项 30 个，包括 20 个科技服务项目、10 个科技创新智库项目") in text


def test_xuzhou_has_separate_deadlines_for_its_groups(calls):
    call = _call(calls, "xuzhou-2022-society-capacity")
    service = next(c for c in call.all_categories() if "服务专项" in c.name)
    first_rate = next(c for c in call.all_categories() if "一流学会" in c.name)
    dated = [d for d in call.deadlines if d.date is not None]
    for_service = [d for d in dated if service.id in d.categories]
    for_first_rate = [d for d in dated if first_rate.id in d.categories]
    assert len(for_service) == 1 and len(for_first_rate) == 1
    assert for_service[0].date != for_first_rate[0].date


# --------------------------------------------------------------------------- indicators


def indicator_problems(table: IndicatorTable) -> list[str]:
    """Indicator points that do not add up to their group, or groups to the table total.

    Parameters:
        table: An indicator table.

    Returns:
        One message per sum that does not match.
    """
    out = []
    for g in table.groups:
        got = sum(i.points for i in g.indicators)
        if got != g.points:
            out.append(f"{g.id}: indicators add up to {got}, group says {g.points}")
    got = sum(g.points for g in table.groups)
    if got != table.total:
        out.append(f"groups add up to {got}, table says {table.total}")
    return out


def test_indicator_tables_add_up(calls):
    problems = [
        f"{call.id}: {p}"
        for call in calls
        if call.indicators
        for p in indicator_problems(call.indicators)
    ]
    assert not problems, _report(problems)


def test_indicator_check_catches_a_wrong_sum():
    group = IndicatorGroup.model_construct(
        id="g",
        name="服务科技工作者",
        points=15,
        indicators=[Indicator(text="a", points=4), Indicator(text="b", points=3)],
    )
    table = IndicatorTable.model_construct(title="t", total=100, groups=[group], bonus=[])
    assert len(indicator_problems(table)) == 2


def test_jiangsu_indicators_match_the_notice(calls):
    """江苏 附件1: five groups 15/20/20/15/30 = 100, plus 单项工作创新 附加分10分, as printed."""
    call = _call(calls, "jiangsu-2021-county-kx")
    table = call.indicators
    assert table is not None
    text = normalise(source_text(call, ROOT))
    assert [g.points for g in table.groups] == [15, 20, 20, 15, 30]
    assert sum(i.points for g in table.groups for i in g.indicators) == table.total == 100
    assert normalise(f"项目指标（计{table.total}分）") in text
    assert sum(len(g.indicators) for g in table.groups) == 24
    for g in table.groups:
        assert normalise(f"{g.name}（{g.points}分）") in text, g.name
        for ind in g.indicators:
            # In the source each indicator's text is followed by its points.
            assert normalise(ind.text) + str(ind.points) in text, ind.text[:30]
    assert [(b.name, b.points) for b in table.bonus] == [("单项工作创新", 10)]
    assert normalise(f"{table.bonus[0].name}附加分{table.bonus[0].points}分") in text
    assert normalise(table.bonus[0].text) in text


def test_jiangsu_facts_missing_from_the_source_stay_unknown(calls):
    """The notice body is not in the source: no issue date, number or deadline may be invented."""
    call = _call(calls, "jiangsu-2021-county-kx")
    assert call.issued is None and call.doc_no is None
    assert [d.date for d in call.deadlines] == [None]
    assert call.source.missing
    assert call.eligibility.applicants and {a.value for a in call.eligibility.applicants} == {
        "县级科协"
    }


# --------------------------------------------------------------------------- dates


def deadline_problems(call: Call) -> list[str]:
    """Deadlines before the issue date, or whose date is not what their quoted text says.

    A dated deadline must quote its text; the text must name the month and day, and
    the year too unless ``year_inferred`` is set (then the year must follow from the
    issue date: the same year or the next).

    Parameters:
        call: The call to check.

    Returns:
        One message per problem.
    """
    out = []
    for i, d in enumerate(call.deadlines):
        where = f"{call.id}: deadlines[{i}] ({d.label})"
        if d.date is None:
            if d.year_inferred:
                out.append(f"{where}: year_inferred without a date")
            continue
        if call.issued is not None and d.date < call.issued:
            out.append(f"{where}: {d.date} is before the issue date {call.issued}")
        if d.text is None:
            out.append(f"{where}: a date without the notice's text")
            continue
        said = unicodedata.normalize("NFKC", normalise(d.text))
        if f"{d.date.month}月{d.date.day}日" not in said:
            out.append(f"{where}: text does not say {d.date.month}月{d.date.day}日")
        if d.year_inferred:
            if call.issued is None or d.date.year not in (call.issued.year, call.issued.year + 1):
                out.append(
                    f"{where}: inferred year {d.date.year} does not follow from the issue date"
                )
        elif f"{d.date.year}年" not in said:
            out.append(f"{where}: text does not say {d.date.year}年 (set year_inferred?)")
    return out


def test_deadlines_in_the_data_are_consistent(calls):
    problems = [p for call in calls for p in deadline_problems(call)]
    assert not problems, _report(problems)


def test_deadline_check_catches_bad_dates(sample):
    assert deadline_problems(sample) == []
    first = sample.deadlines[0]
    early = first.model_copy(update={"date": sample.issued.replace(day=1, month=1)})
    wrong_day = first.model_copy(update={"date": first.date.replace(day=30)})  # type: ignore[union-attr]
    no_year = Deadline(label="截止", date=first.date, text="于3月31日前报送")
    for broken in (early, wrong_day, no_year):
        bad = sample.model_copy(update={"deadlines": [broken]})
        assert deadline_problems(bad), broken


# --------------------------------------------------------------------------- contacts


def email_problems(call: Call, source: str) -> list[str]:
    """Malformed e-mail addresses, or addresses the notice does not give.

    Parameters:
        call: The call to check.
        source: The notice's source text.

    Returns:
        One message per bad address.
    """
    haystack = normalise(source).lower()
    found = [(f"contacts[{c.id}]", e) for c in call.contacts for e in c.emails]
    found += [("submission", e) for e in call.submission.emails]
    out = []
    for where, email in found:
        if not _EMAIL.fullmatch(email) or ".." in email or email.startswith("."):
            out.append(f"{call.id}: {where}: malformed e-mail {email!r}")
        elif normalise(email).lower() not in haystack:
            out.append(f"{call.id}: {where}: {email} is not in the notice")
    return out


def test_emails_in_the_data_are_well_formed_and_in_the_notice(calls):
    problems = [p for call in calls for p in email_problems(call, source_text(call, ROOT))]
    assert not problems, _report(problems)


def test_email_check_catches_bad_addresses(sample):
    src = source_text(sample, ROOT)
    assert email_problems(sample, src) == []
    for email in ("xzkxxhb@126", "a..b@example.com", "other@example.com"):
        contact = Contact.model_construct(id="x", names=[], phones=[], emails=[email])
        bad = sample.model_copy(update={"contacts": [contact]})
        assert len(email_problems(bad, src)) == 1, email


# --------------------------------------------------------------------------- forms


def field_id_problems(call: Call) -> list[str]:
    """Field ids that repeat within a form or are not slugs, across every downloadable form.

    Parameters:
        call: The call to check.

    Returns:
        One message per form with bad ids.
    """
    out = []
    for form in forms_of(call):
        ids = [fid for fid, _ in iter_form_fields(form)]
        dupes = sorted({x for x in ids if ids.count(x) > 1})
        if dupes:
            out.append(f"{call.id}: form {form.id}: duplicate field ids {dupes}")
        bad = sorted({x for x in ids if not _SLUG.match(x)})
        if bad:
            out.append(f"{call.id}: form {form.id}: field ids that are not slugs {bad}")
    return out


def grid_problems(call: Call) -> list[str]:
    """Form tables whose cells do not fill a full grid of ``len(widths)`` columns.

    Parameters:
        call: The call to check.

    Returns:
        One message per broken table.
    """
    out = []
    for form in forms_of(call):
        for section in ("cover", "instructions", "blocks"):
            for j, block in enumerate(getattr(form, section)):
                if isinstance(block, Table):
                    try:
                        table_grid(block)
                    except ValueError as exc:
                        out.append(f"{call.id}: form {form.id}: {section}[{j}]: {exc}")
    return out


def _with_form(call: Call, form: Form) -> Call:
    return call.model_copy(update={"forms": [form]})


def test_form_field_ids_in_the_data_are_unique(calls):
    problems = [p for call in calls for p in field_id_problems(call)]
    assert not problems, _report(problems)


def test_field_id_check_catches_duplicates(sample):
    assert field_id_problems(sample) == []
    table = Table(
        widths=[1, 3],
        rows=[
            Row(cells=[Cell(text="申报单位"), Cell(input=InputArea(id="unit"))]),
            Row(cells=[Cell(text="实施方案"), Cell(input=InputArea(id="unit"))]),
        ],
    )
    bad = _with_form(sample, Form(id="apply", title="示例申报表", blocks=[table]))
    assert len(field_id_problems(bad)) == 1
    repeated = Table(widths=[1], rows=[Row(cells=[Cell(input=InputArea(id="member"))], repeat=3)])
    ok = _with_form(sample, Form(id="apply", title="示例申报表", blocks=[repeated]))
    assert field_id_problems(ok) == []


def test_form_tables_in_the_data_fill_their_grid(calls):
    problems = [p for call in calls for p in grid_problems(call)]
    assert not problems, _report(problems)


def test_grid_check_catches_short_and_long_rows(sample):
    assert grid_problems(sample) == []
    short = Table(
        widths=[1, 3, 1], rows=[Row(cells=[Cell(text="申报单位"), Cell(input=InputArea(id="u"))])]
    )
    long = Table(widths=[1], rows=[Row(cells=[Cell(text="申报单位"), Cell(text="实施方案")])])
    span = Table(
        widths=[1, 1], rows=[Row(cells=[Cell(text="申报单位", rowspan=2), Cell(text="x")])]
    )
    for table in (short, long, span):
        assert len(grid_problems(_with_form(sample, Form(id="f", title="t", blocks=[table])))) == 1


def _row_text(row: Row) -> str:
    out = []
    for cell in row.cells:
        out.append(cell.text or "")
        if cell.input is not None:
            out.append(cell.input.hint or "")
        out += [p for p in cell.parts or [] if isinstance(p, str)]
    return normalise("".join(out))


def word_limit_problems(call: Call, source: str) -> list[str]:
    """Word limits that their text does not state, and limits of the notice left out.

    An input's ``word_limit`` N must be stated as "N字" in its own row or the row above
    (the hint or the label); a form-wide limit in its quoted text; and every "N字以内"
    of the notice must be encoded as some limit of the call.

    Parameters:
        call: The call to check.
        source: The notice's source text.

    Returns:
        One message per problem.
    """
    out = []
    encoded: set[int] = set()
    for form in call.forms:
        for wl in form.word_limits:
            encoded.add(wl.limit)
            if f"{wl.limit}字" not in normalise(wl.text):
                out.append(f"{call.id}: form {form.id}: word_limits text does not say {wl.limit}字")
        for block in (*form.cover, *form.instructions, *form.blocks):
            if not isinstance(block, Table):
                continue
            above = ""
            for row in block.rows:
                here = _row_text(row)
                for cell in row.cells:
                    n = cell.input.word_limit if cell.input else None
                    if n is None:
                        continue
                    encoded.add(n)
                    if f"{n}字" not in here + above:
                        out.append(f"{call.id}: form {form.id}: {cell.input.id}: {n}字 not stated")  # type: ignore[union-attr]
                above = here
    stated = {int(n) for n in re.findall(r"(\d+)字以内", normalise(source))}
    for n in sorted(stated - encoded):
        out.append(f"{call.id}: the notice limits a text to {n}字, no form encodes it")
    return out


def test_word_limits_in_the_data_match_the_notice(calls):
    problems = [p for call in calls for p in word_limit_problems(call, source_text(call, ROOT))]
    assert not problems, _report(problems)


def test_word_limit_check_catches_unstated_and_missing_limits(sample):
    src = source_text(sample, ROOT)
    assert word_limit_problems(sample, src) == []
    assert len(word_limit_problems(sample, src + "（200字以内）")) == 1
    table = Table(
        widths=[1, 3],
        rows=[Row(cells=[Cell(text="实施方案"), Cell(input=InputArea(id="plan", word_limit=800))])],
    )
    bad = _with_form(sample, Form(id="apply", title="示例申报表", blocks=[table]))
    assert len(word_limit_problems(bad, "")) == 1


def test_jiangsu_forms_carry_the_notice_word_limits(calls):
    """附件2: 2000字 over 总体思路 + 目标任务和计划措施; 附件3: 2000字 over 背景、举措、成效."""
    call = _call(calls, "jiangsu-2021-county-kx")
    app, case = call.form("application"), call.form("case")
    assert [(w.limit, len(w.fields)) for w in app.word_limits] == [(2000, 2)]
    assert [(w.limit, len(w.fields)) for w in case.word_limits] == [(2000, 3)]
    assert app.cover and len(app.instructions) == 6  # heading + 五 items
    assert {a.number: a.kind.value for a in call.attachments} == {
        "附件1": "indicators",
        "附件2": "form",
        "附件3": "form",
    }


# --------------------------------------------------------------------------- completeness


def completeness_problems(call: Call, source: str) -> list[str]:
    """What every call must have: categories or an indicator table, a contact, its attachments.

    Every 附件N the notice names must be an attachment of the call, and every form
    attachment that is in the source must be encoded as a form.

    Parameters:
        call: The call to check.
        source: The notice's source text.

    Returns:
        One message per missing part.
    """
    out = []
    if not call.categories and call.indicators is None:
        out.append(f"{call.id}: neither categories nor an indicator table")
    if not call.contacts:
        out.append(f"{call.id}: no contact")
    named = {int(n) for n in _ATTACHMENT_NO.findall(unicodedata.normalize("NFKC", source))}
    have = {
        int(m.group(1))
        for a in call.attachments
        if a.number and (m := _ATTACHMENT_NO.search(unicodedata.normalize("NFKC", a.number)))
    }
    for n in sorted(named - have):
        out.append(f"{call.id}: 附件{n} is named in the notice but not among the attachments")
    form_ids = {f.id for f in call.forms}
    for a in call.attachments:
        if a.kind.value == "form" and a.in_source and a.form not in form_ids:
            out.append(f"{call.id}: {a.number or a.title} is a form in the source but not encoded")
    return out


def test_every_call_is_complete(calls):
    problems = [p for call in calls for p in completeness_problems(call, source_text(call, ROOT))]
    assert not problems, _report(problems)


def test_completeness_check_catches_missing_parts(sample):
    src = source_text(sample, ROOT)
    assert completeness_problems(sample, src) == []
    assert completeness_problems(sample, src + "\n附件2 另一份表") == [
        "sample-call: 附件2 is named in the notice but not among the attachments"
    ]
    bare = sample.model_copy(update={"categories": [], "contacts": [], "forms": []})
    assert len(completeness_problems(bare, src)) == 3


# --------------------------------------------------------------------------- editorial text

_CJK = "[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]"
_CJK_GAP = re.compile(f"{_CJK}[ \t]+{_CJK}")


def _strings(value: object, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _strings(getattr(value, name), f"{path}.{name}" if path else name)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, f"{path}[{i}]")
    elif isinstance(value, str):
        yield path, value


def editorial_spacing_problems(call: Call) -> list[str]:
    """Our own (editorial) text with a space between two Chinese characters.

    Such a space is almost always left by YAML line folding (``>-`` joins lines with a
    space), and shows to readers as a stray gap. Quoted text is exempt: the notice
    itself may have spaces (``2022 年度``).

    Parameters:
        call: The call to check.

    Returns:
        One message per string with a gap.
    """
    quoted = {path for path, _ in iter_quotes(call)}
    out = []
    for path, text in _strings(call, ""):
        if path in quoted:
            continue
        m = _CJK_GAP.search(text)
        if m:
            out.append(f"{call.id}: {path}: space in …{text[max(0, m.start() - 8) : m.end() + 8]}…")
    return out


def test_editorial_text_has_no_folding_gaps(calls):
    problems = [p for call in calls for p in editorial_spacing_problems(call)]
    assert not problems, _report(problems)


def test_editorial_gap_check_catches_a_folded_line(sample):
    assert editorial_spacing_problems(sample) == []
    folded = sample.model_copy(update={"summary": "用于测试的 示例通知。"})
    assert len(editorial_spacing_problems(folded)) == 1
    quoted = sample.model_copy(update={"title": "关于申报2099 年度示例项目的通知"})
    assert editorial_spacing_problems(quoted) == []


# --------------------------------------------------------------------------- seeds


def seed_problems(calls: list[Call], seeds_dir: Path | None) -> list[str]:
    """Each of the five seed notices has exactly one call, with its fixed id and an exact copy.

    Parameters:
        calls: Every call.
        seeds_dir: Folder of the seed notices, or None when it is not available
            (then only the recorded seed names are compared).

    Returns:
        One message per problem.
    """
    out = []
    for seed, call_id in SEED_CALLS.items():
        mine = [c for c in calls if c.source.seed == seed]
        if len(mine) != 1:
            out.append(f"{seed}: {len(mine)} calls name it as their seed, expected exactly 1")
            continue
        call = mine[0]
        if call.id != call_id:
            out.append(f"{seed}: call id {call.id}, expected {call_id}")
        expected_file = f"data/sources/{call_id}.txt"
        if call.source.text_file != expected_file:
            out.append(f"{seed}: source text at {call.source.text_file}, expected {expected_file}")
        if seeds_dir is None or not (seeds_dir / seed).is_file():
            continue
        if source_text(call, ROOT) != (seeds_dir / seed).read_text(encoding="utf-8"):
            out.append(f"{seed}: {call.source.text_file} is not an exact copy of the seed")
    return out


def test_each_seed_has_exactly_one_call(calls):
    problems = seed_problems(calls, SEEDS_DIR if SEEDS_DIR.is_dir() else None)
    assert not problems, _report(problems)


def test_seed_check_catches_missing_and_doubled_calls(calls):
    assert len(seed_problems([], None)) == len(SEED_CALLS)
    jiangsu = _call(calls, "jiangsu-2021-county-kx")
    doubled = seed_problems([jiangsu, jiangsu.model_copy(update={"id": "jiangsu-copy"})], None)
    assert "004_7d6f9b0163dfda3d.txt: 2 calls name it as their seed, expected exactly 1" in doubled
    renamed = jiangsu.model_copy(update={"id": "jiangsu-other"})
    assert any("expected jiangsu-2021-county-kx" in p for p in seed_problems([renamed], None))
