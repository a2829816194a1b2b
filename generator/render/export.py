"""Open data: ``api/calls.json`` (the manifest), ``api/calls.csv`` and the JSON Schema."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

from .. import urls
from ..context import BuildContext
from ..formset import INDICATORS_FORM_ID, forms_of
from ..models import Call
from ..schema import schema_text
from ..view import CallView, CategoryView, DeadlineView, call_view, earliest


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


#: ``built(site path, kind)``: whether this build made that file (see :func:`manifest_entry`).
Built = Callable[[str, str], bool]


def _view(call: Call | CallView) -> CallView:
    return call if isinstance(call, CallView) else call_view(call)


def _deadline(d: DeadlineView) -> dict[str, Any]:
    return {
        "label": d.label,
        "date": _iso(d.date),
        "year_inferred": d.year_inferred,
        "month": d.date.month if d.date else d.month,
        "day": d.date.day if d.date else d.day,
        "year": d.year_source,
        "display": d.display,
        "categories": list(d.categories),
    }


def _category(c: CategoryView) -> dict[str, Any]:
    cat = c.category
    return {
        "id": c.id,
        "name": c.name,
        "parent_id": c.parent,
        "leaf": c.leaf,
        "count_min": cat.count.min if cat.count else None,
        "count_max": cat.count.max if cat.count else None,
        "funding": (
            {
                "min": cat.funding.min,
                "max": cat.funding.max,
                "unit": cat.funding.unit,
                "text": cat.funding.text,
            }
            if cat.funding
            else None
        ),
        "applicants": [a.value for a in c.types("apply")] if c.applicants_known else None,
        "applicants_only": cat.applicants_only,
        "participants": [
            {
                "applicant": e.applicant.value,
                "role": e.kind,
                "via": e.via.value if e.via else None,
                "within_quota": e.within_quota,
                "only": e.only,
                "max_count": e.cap.max_count if e.cap else None,
                "cap": e.cell,
            }
            for e in c.entries
        ],
    }


def manifest_entry(call: Call | CallView, built: Built) -> dict[str, Any]:
    """The manifest object of one call, read from its view. Keys are a stable public contract.

    Parameters:
        call: The call or its view.
        built: ``built(site path, kind)``: whether this build made that file (files it did
            not make are given as null, never as a dead link).
    """

    def _if_built(path: str, kind: str) -> str | None:
        return path if built(path, kind) else None

    v = _view(call)
    call = v.call
    by_id = {f.id: f for f in forms_of(call)}
    indicators = by_id.get(INDICATORS_FORM_ID) if call.indicators is not None else None
    return {
        "id": call.id,
        "title": call.title,
        "short_title": call.short_title,
        "year": call.year,
        "issuer": {
            "name": call.issuer.name,
            "level": call.issuer.level.value,
            "region": call.issuer.region,
        },
        "region": list(v.region),
        "doc_no": call.doc_no,
        "issued": _iso(call.issued),
        "deadlines": [_deadline(d) for d in v.deadlines],
        "applicants": [a.value for a in v.applicants],
        "applicants_by_category": v.applicants_by_category,
        "applicants_unknown": [c.id for c in v.unknown_categories],
        "recommenders": [a.value for a in v.recommenders],
        "quotas": [
            {
                "text": q.text,
                "max_count": q.max_count,
                "scope": q.scope.value,
                "role": q.role.value,
                "qualifiers": list(q.qualifiers),
                "applicants": [a.value for a in q.applicants],
                "categories": list(q.categories),
                "allocated_by": q.allocated_by,
                "summary": q.summary,
            }
            for q in v.quotas
        ],
        "submission": [
            {"method": w.method, "label": w.label, "details": list(w.details), "emails": list(w.emails)}
            for w in v.submission
        ],
        "route": [
            {"by": s.by, "to": s.to, "action": s.action.value} for s in call.submission.route
        ],
        "url": urls.call_page(call),
        "category_count": v.category_count,
        "categories": [_category(c) for c in v.categories],
        "form_count": v.form_count,
        "forms": [
            {
                "id": f.id,
                "title": f.title,
                "attachment": f.attachment,
                "attached": f.attached,
                "obtain": f.obtain,
                "categories": list(f.categories),
                "docx": _if_built(urls.form_docx(call, by_id[f.id]), "form.docx") if f.id in by_id else None,
                "pdf": _if_built(urls.form_pdf(call, by_id[f.id]), "form.pdf") if f.id in by_id else None,
                "fillable_pdf": (
                    _if_built(urls.form_fillable_pdf(call, by_id[f.id]), "form.fillable")
                    if f.id in by_id else None
                ),
            }
            for f in v.forms
        ],
        "indicators": (
            {
                "title": indicators.title,
                "attachment": indicators.attachment,
                "docx": _if_built(urls.form_docx(call, indicators), "form.docx"),
                "pdf": _if_built(urls.form_pdf(call, indicators), "form.pdf"),
            }
            if indicators is not None
            else None
        ),
        "last_modified": _iso(call.last_modified),
    }


#: Columns of ``api/calls.csv``: the call's fields (repeated on each row), then the category's.
CSV_COLUMNS = [
    "call_id",
    "call_title",
    "short_title",
    "year",
    "issuer",
    "issuer_level",
    "region",
    "doc_no",
    "issued",
    "call_applicants",
    "applicants_summary",
    "recommenders",
    "quotas",
    "submission",
    "category_count",
    "form_count",
    "url",
    "last_modified",
    "category_id",
    "category_code",
    "category_name",
    "parent_id",
    "leaf",
    "count_min",
    "count_max",
    "count_text",
    "funding_min",
    "funding_max",
    "funding_unit",
    "funding_text",
    "category_applicants",
    "applicants_only",
    "deadline",
    "deadline_year",
    "deadlines",
    "forms",
]
#: Separator of several values in one CSV cell.
LIST_SEP = "；"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: object) -> str:
    """A CSV cell that spreadsheets show as text, never run as a formula.

    Parameters:
        value: Any value; None becomes an empty cell, floats lose a trailing ``.0``.

    Returns:
        The cell text, with a leading ``'`` when it starts with = + - @ or a tab/CR.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, float):
        text = f"{value:g}"
    else:
        text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _deadline_cells(deadlines: tuple[DeadlineView, ...]) -> dict[str, object]:
    first = earliest(deadlines)
    return {
        # MM-DD for a month and day without a year (a leading "--" would read as a formula)
        "deadline": first.iso.removeprefix("--") if first else None,
        "deadline_year": first.year_source if first else None,
        "deadlines": LIST_SEP.join(d.line for d in deadlines),
    }


def csv_rows(call: Call | CallView, base: str | None = None) -> list[dict[str, str]]:
    """The CSV rows of one call, read from its view: one per category (depth first), or
    one row without categories.

    Parameters:
        call: The call or its view.
        base: The site's public address for ``url``; relative URL when None.

    Returns:
        Rows keyed by :data:`CSV_COLUMNS`, cells already neutralised by :func:`csv_safe`.
    """
    v = _view(call)
    call = v.call
    head: dict[str, object] = {
        "call_id": call.id,
        "call_title": call.title,
        "short_title": call.short_title,
        "year": call.year,
        "issuer": call.issuer.name,
        "issuer_level": call.issuer.level.value,
        "region": call.issuer.region,
        "doc_no": call.doc_no,
        "issued": _iso(call.issued),
        "call_applicants": LIST_SEP.join(a.value for a in v.applicants),
        "applicants_summary": v.applicants_line,
        "recommenders": LIST_SEP.join(a.value for a in v.recommenders),
        "quotas": LIST_SEP.join(q.summary for q in v.quotas),
        "submission": v.submission_line if (v.submission or v.route_line) else None,
        "category_count": v.category_count,
        "form_count": v.form_count,
        "url": urls.absolute(urls.call_page(call), base),
        "last_modified": _iso(call.last_modified),
    }
    rows: list[dict[str, object]] = []
    for c in v.categories:
        cat = c.category
        rows.append(
            {
                **head,
                "category_id": c.id,
                "category_code": cat.code,
                "category_name": c.name,
                "parent_id": c.parent,
                "leaf": c.leaf,
                "count_min": cat.count.min if cat.count else None,
                "count_max": cat.count.max if cat.count else None,
                "count_text": cat.count.text if cat.count else None,
                "funding_min": cat.funding.min if cat.funding else None,
                "funding_max": cat.funding.max if cat.funding else None,
                "funding_unit": cat.funding.unit if cat.funding else None,
                "funding_text": cat.funding.text if cat.funding else None,
                "category_applicants": (
                    LIST_SEP.join(a.value for a in c.types("apply")) if c.applicants_known
                    else None if c.applicants_source == "children" else "原文未载明"
                ),
                "applicants_only": cat.applicants_only,
                **_deadline_cells(c.deadlines),
                "forms": LIST_SEP.join(f.id or f.title for f in c.forms),
            }
        )
    if not v.categories:
        rows.append(
            {
                **head,
                **_deadline_cells(v.deadlines),
                "forms": LIST_SEP.join(f.id or f.title for f in v.forms),
            }
        )
    return [{k: csv_safe(row.get(k)) for k in CSV_COLUMNS} for row in rows]


def calls_csv(calls: list[Call] | list[CallView], base: str | None = None) -> bytes:
    """``api/calls.csv``: UTF-8 with BOM (so Excel reads it), CRLF line ends, a header row.

    Parameters:
        calls: The calls, in output order.
        base: The site's public address for the ``url`` column, or None.

    Returns:
        The file's bytes.
    """
    buf = io.StringIO(newline="")
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for call in calls:
        writer.writerows(csv_rows(call, base))
    return buf.getvalue().encode("utf-8-sig")


def render(ctx: BuildContext) -> None:
    """Write ``api/calls.json``, ``api/calls.csv`` and ``api/call.schema.json`` into the site."""
    def built(path: str, kind: str) -> bool:
        return ctx.artifact(path, kind) is not None

    views = [ctx.views[c.id] for c in ctx.calls]
    data = [manifest_entry(v, built) for v in views]
    files = {
        urls.calls_json(): (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode(),
        urls.calls_csv(): calls_csv(views, urls.site_url()),
        urls.call_schema(): schema_text().encode(),
    }
    for path, content in files.items():
        ctx.write(path, content, "data")
