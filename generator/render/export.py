"""Open data: ``api/calls.json`` (the manifest) and the JSON Schema of the data files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .. import urls
from ..context import BuildContext
from ..formset import forms_of
from ..models import Call, iter_categories
from ..schema import call_schema


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


def render(ctx: BuildContext) -> None:
    """Write ``api/calls.json`` and ``api/call.schema.json`` into the site."""
    api = ctx.site_dir / "api"
    api.mkdir(parents=True, exist_ok=True)
    data = [manifest_entry(c, ctx.site_dir) for c in ctx.calls]
    (api / "calls.json").write_text(
        json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    (api / "call.schema.json").write_text(
        json.dumps(call_schema(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
