"""Open data: ``api/calls.json`` (the manifest), ``api/calls.csv`` and the JSON Schema."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from .. import urls
from ..context import BuildContext
from ..formset import forms_of
from ..models import UNKNOWN, Call, Category, Deadline, category_places, iter_categories
from ..schema import schema_text


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _if_built(site_dir: Path, path: str) -> str | None:
    """The path when the file was produced in this build, else None (never a dead link)."""
    return path if (site_dir / path).is_file() else None


def manifest_entry(call: Call, site_dir: Path) -> dict[str, Any]:
    """The manifest object of one call. Keys are a stable public contract."""
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
        "doc_no": call.doc_no,
        "issued": _iso(call.issued),
        "deadlines": [
            {
                "label": d.label,
                "date": _iso(d.date),
                "year_inferred": d.year_inferred,
                "categories": list(d.categories),
            }
            for d in call.deadlines
        ],
        "applicants": [a.value for a in call.eligibility.applicants],
        "url": urls.call_page(call),
        "categories": [
            {
                "id": c.id,
                "name": c.name,
                "count_min": c.count.min if c.count else None,
                "count_max": c.count.max if c.count else None,
                "funding": (
                    {
                        "min": c.funding.min,
                        "max": c.funding.max,
                        "unit": c.funding.unit,
                        "text": c.funding.text,
                    }
                    if c.funding
                    else None
                ),
                "applicants": [a.value for a in c.applicants],
            }
            for c in iter_categories(call.categories)
        ],
        "forms": [
            {
                "id": f.id,
                "title": f.title,
                "attachment": f.attachment,
                "docx": _if_built(site_dir, urls.form_docx(call, f)),
                "pdf": _if_built(site_dir, urls.form_pdf(call, f)),
                "fillable_pdf": _if_built(site_dir, urls.form_fillable_pdf(call, f)),
            }
            for f in forms_of(call)
        ],
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
    "url",
    "last_modified",
    "category_id",
    "category_code",
    "category_name",
    "parent_id",
    "count_min",
    "count_max",
    "count_text",
    "funding_min",
    "funding_max",
    "funding_unit",
    "funding_text",
    "category_applicants",
    "deadline",
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


def _with_parents(categories: list[Category]) -> list[tuple[Category, Category | None]]:
    return [(c, above[-1] if above else None) for c, above, _ in category_places(categories)]


def _applicable(deadlines: list[Deadline], lineage: set[str]) -> list[Deadline]:
    """Deadlines for a category: those for all categories, or naming it or an ancestor."""
    return [d for d in deadlines if not d.categories or lineage & set(d.categories)]


def _deadline_text(d: Deadline) -> str:
    return f"{d.label} {d.date.isoformat() if d.date else UNKNOWN}"


def csv_rows(call: Call, base: str | None = None) -> list[dict[str, str]]:
    """The CSV rows of one call: one per category (depth first), or one row without categories.

    Parameters:
        call: The call.
        base: The site's public address for ``url``; relative URL when None.

    Returns:
        Rows keyed by :data:`CSV_COLUMNS`, cells already neutralised by :func:`csv_safe`.
    """
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
        "call_applicants": LIST_SEP.join(a.value for a in call.eligibility.applicants),
        "url": urls.absolute(urls.call_page(call), base),
        "last_modified": _iso(call.last_modified),
    }
    rows: list[dict[str, object]] = []
    ancestors: dict[str, set[str]] = {}
    pairs = _with_parents(call.categories)
    for cat, parent in pairs:
        ancestors[cat.id] = {cat.id} | (ancestors[parent.id] if parent else set())
        applicable = _applicable(call.deadlines, ancestors[cat.id])
        dates = [d.date for d in applicable if d.date is not None]
        rows.append(
            {
                **head,
                "category_id": cat.id,
                "category_code": cat.code,
                "category_name": cat.name,
                "parent_id": parent.id if parent else None,
                "count_min": cat.count.min if cat.count else None,
                "count_max": cat.count.max if cat.count else None,
                "count_text": cat.count.text if cat.count else None,
                "funding_min": cat.funding.min if cat.funding else None,
                "funding_max": cat.funding.max if cat.funding else None,
                "funding_unit": cat.funding.unit if cat.funding else None,
                "funding_text": cat.funding.text if cat.funding else None,
                "category_applicants": LIST_SEP.join(a.value for a in cat.applicants),
                "deadline": _iso(min(dates)) if dates else None,
                "deadlines": LIST_SEP.join(_deadline_text(d) for d in applicable),
                "forms": LIST_SEP.join(cat.forms),
            }
        )
    if not pairs:
        dates = [d.date for d in call.deadlines if d.date is not None]
        rows.append(
            {
                **head,
                "deadline": _iso(min(dates)) if dates else None,
                "deadlines": LIST_SEP.join(_deadline_text(d) for d in call.deadlines),
                "forms": LIST_SEP.join(f.id for f in forms_of(call)),
            }
        )
    return [{k: csv_safe(row.get(k)) for k in CSV_COLUMNS} for row in rows]


def calls_csv(calls: list[Call], base: str | None = None) -> bytes:
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
    data = [manifest_entry(c, ctx.site_dir) for c in ctx.calls]
    files = {
        urls.calls_json(): (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode(),
        urls.calls_csv(): calls_csv(ctx.calls, urls.site_url()),
        urls.call_schema(): schema_text().encode(),
    }
    for path, content in files.items():
        (ctx.site_dir / path).parent.mkdir(parents=True, exist_ok=True)
        (ctx.site_dir / path).write_bytes(content)
