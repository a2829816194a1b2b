"""``python -m generator import NOTICE [ATTACHMENT ...] --id ID``: read, extract, write the draft."""

from __future__ import annotations

import datetime as dt
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..models import SLUG_PATTERN, Call, iter_quotes
from .document import Document, RawCell, RawTable
from .draft import render_yaml, set_at, validated
from .extract.attachments import SLOT, extract_attachments
from .extract.categories import extract_categories
from .extract.contacts import extract_contacts
from .extract.context import Context
from .extract.deadlines import extract_deadlines
from .extract.eligibility import extract_eligibility
from .extract.header import extract_header
from .extract.process import extract_process
from .extract.submission import extract_submission
from .findings import Findings
from .forms import extract_forms
from .readers import ReadError, read_documents
from .report import format_report
from .script import Restorer, to_simplified


class ImportError_(Exception):
    """The import cannot run (bad id, unreadable file, existing output without --force)."""


@dataclass
class ImportResult:
    """What an import wrote and found.

    Attributes:
        call_path: The draft data file.
        source_path: The source text file.
        findings: Every field's finding.
        report: The review report text.
        seconds: Time taken.
        data: The draft as plain data.
    """

    call_path: Path
    source_path: Path
    findings: Findings
    report: str
    seconds: float
    data: dict[str, Any] = field(default_factory=dict)


def combine(docs: list[Document]) -> Document:
    """One document from the notice and its attachment files (in the order given)."""
    lines: list[str] = []
    tables: list[RawTable] = []
    for doc in docs:
        if lines:
            lines.append("")
        offset = len(lines)
        lines.extend(doc.lines)
        tables.extend(RawTable(t.rows, t.widths, t.line + offset) for t in doc.tables)
    return Document(docs[0].name, lines, tables)


def _year(title: str | None, issued: dt.date | None, deadlines: list[dict[str, Any]], f: Findings) -> int:
    m = re.search(r"(20\d{2})\s*年度?", title or "")
    if m:
        f.found("year", "项目年度", int(m.group(1)), None, "取自标题")
        return int(m.group(1))
    for source, year in (("发文日期", issued.year if issued else None),
                         ("截止日期", next((d["date"].year for d in deadlines if d.get("date")), None))):
        if year:
            f.ambiguous("year", "项目年度", year, None, f"标题中没有年度，按{source}推定")
            return year
    year = dt.date.today().year
    f.ambiguous("year", "项目年度", year, None, "标题和日期都没有年份，暂填今年，请改正")
    return year


def extract(doc: Document, call_id: str, *, seed: str | None = None, today: dt.date | None = None
            ) -> tuple[dict[str, Any], Findings]:
    """Every fact of a notice as draft data, with the findings.

    Parameters:
        doc: The notice (with its attachments) as read.
        call_id: The new call's id.
        seed: The imported file's name (``source.seed``).
        today: ``last_modified``.

    Returns:
        ``(data, findings)``; data is ready for :func:`generator.importer.draft.validated`.
    """
    shadow = [to_simplified(line) for line in doc.lines]
    ctx = Context(shadow)
    f = ctx.findings
    tables = [RawTable(tuple(tuple(RawCell(tuple(to_simplified(x) for x in c.lines), c.colspan, c.rowspan,
                                           c.placeholder) for c in row) for row in t.rows), t.widths, t.line)
              for t in doc.tables]
    head = extract_header(ctx)
    deadlines = extract_deadlines(ctx, head["issued"])
    audience_text = "，".join(head["audience"]) if head["audience"] else None
    attachments, headings = extract_attachments(ctx)
    forms = extract_forms(ctx, tables, attachments, headings)
    for att in attachments:
        att.pop(SLOT, None)
    data: dict[str, Any] = {"id": call_id}
    data["title"] = head["title"] or ""
    data["short_title"] = head["title"] or call_id
    f.ambiguous("short_title", "简称", data["short_title"], None, "简称是编者所写，暂用标题：请改为简短名称")
    data["year"] = _year(head["title"], head["issued"], deadlines, f)
    # not found: left empty (check then asks for it), never guessed
    data["issuer"] = head["issuer"] or {"name": None, "level": None}
    data["doc_no"] = head["doc_no"]
    data["issued"] = head["issued"]
    data["audience"] = head["audience"]
    data["summary"] = "待核对：请用一两句话概括本通知（申报什么、谁可申报、何时截止）。"
    f.ambiguous("summary", "摘要", None, None, "摘要由编者撰写：请填写")
    data["deadlines"] = deadlines
    data["eligibility"] = extract_eligibility(ctx, audience_text)
    data["categories"] = extract_categories(ctx)
    data["submission"] = extract_submission(ctx)
    data["process"] = extract_process(ctx)
    data["contacts"] = extract_contacts(ctx)
    data["attachments"] = attachments
    data["forms"] = forms
    data["source"] = {"text_file": f"data/sources/{call_id}.txt", **({"seed": seed} if seed else {})}
    data["last_modified"] = today or dt.date.today()
    # not found is written as the model's 原文未载明 (unstated), never as a made-up entry;
    # the comment and the report ask the clerk to fill it in if the notice has it after all
    unstated = []
    if not data["categories"] and not data.get("indicators"):
        unstated.append("categories")
        f.ambiguous("unstated", "原文未载明", "categories", None,
                    "未找到项目类别，暂写 unstated: [categories]（原文未载明）；"
                    "原文有类别的，请录入 categories 并删去此项")
    if not data["contacts"]:
        unstated.append("contacts")
        f.ambiguous("unstated", "原文未载明", "contacts", None,
                    "未找到联系方式，暂写 unstated: [contacts]（原文未载明）；原文有的，请录入 contacts 并删去此项")
    data["unstated"] = unstated
    keep = ("doc_no", "issued", "eligibility", "submission")
    data = {k: v for k, v in data.items() if v not in (None, [], {}) or k in keep}
    if shadow != doc.lines:  # traditional characters: quote them as written
        restore = Restorer("\n".join(doc.lines), "\n".join(shadow))
        issuer = data["issuer"]
        # to list the quoted fields, the model needs its required values: stand-ins, not written
        trial = {**data, "title": data["title"] or "x",
                 "issuer": {**issuer, "name": issuer["name"] or "x", "level": issuer["level"] or "省"}}
        for path, text in iter_quotes(Call.model_validate(trial)):
            if (path == "issuer.name" and not issuer["name"]) or (path == "title" and not data["title"]):
                continue
            set_at(data, path, restore(text))
        data["short_title"] = data["title"] or call_id
        for item in f.items:
            if isinstance(item.value, str):
                item.value = restore(item.value)
    return data, f


#: Required values the importer may not find; while one is empty the draft does not pass check.
_REQUIRED = {("issuer", "name"): "发文单位", ("issuer", "level"): "层级", ("title",): "通知标题"}


def _check_draft(data: dict[str, Any], source: str, findings: Findings) -> list[str]:
    """Validate the draft and drop values not in the source; returns the required values left empty.

    A required value that was not found stays empty in the draft (``check`` will ask for it):
    for validation only, it is stood in for by the source's first line.
    """
    missing: list[tuple[tuple[str, ...], str]] = []
    for path, label in _REQUIRED.items():
        holder: Any = data
        for key in path[:-1]:
            holder = holder[key]
        if not holder.get(path[-1]):
            missing.append((path, label))
    stand_in = {"name": next((ln.strip() for ln in source.splitlines() if ln.strip()), "x"), "level": "省",
                "title": next((ln.strip() for ln in source.splitlines() if ln.strip()), "x")}
    trial = {**data, "issuer": dict(data["issuer"])}
    for path, _ in missing:
        (trial["issuer"] if path[0] == "issuer" else trial)[path[-1]] = stand_in[path[-1]]
    validated(trial, source, findings)
    for key in data:
        if key != "issuer":
            data[key] = trial[key]
    data["issuer"] = {k: v for k, v in trial["issuer"].items()}
    for path, _ in missing:
        (data["issuer"] if path[0] == "issuer" else data)[path[-1]] = None
    return [label for _, label in missing]


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8", newline="\n")
    os.replace(tmp, path)


def import_notice(root: Path, files: list[Path], call_id: str, *, force: bool = False,
                  today: dt.date | None = None) -> ImportResult:
    """Import a notice: write ``data/sources/<id>.txt`` and the draft ``data/calls/<id>.yaml``.

    Parameters:
        root: Repository root.
        files: The notice, then its attachment files.
        call_id: The new call's id.
        force: Overwrite existing files.
        today: ``last_modified`` (default today).

    Returns:
        Paths written, findings and the report.

    Raises:
        ImportError_: Bad id, unreadable input, or existing files without ``force``.
    """
    t0 = time.perf_counter()
    if not re.match(SLUG_PATTERN, call_id) or len(call_id) > 80:
        raise ImportError_(f"编号 {call_id!r} 格式不符：只能用小写字母、数字和连字符，如 jining-2024-reform-brand"
                           f" / invalid id {call_id!r}: use lowercase letters, digits and hyphens")
    call_path = root / "data" / "calls" / f"{call_id}.yaml"
    source_path = root / "data" / "sources" / f"{call_id}.txt"
    existing = [p for p in (call_path, source_path) if p.exists()]
    if existing and not force:
        shown = "、".join(p.relative_to(root).as_posix() for p in existing)
        raise ImportError_(f"{shown} 已存在，未覆盖；确需重新导入请加 --force / exists; use --force to overwrite")
    try:
        docs = read_documents(files, cache_dir=root / ".cache")
    except ReadError as exc:
        raise ImportError_(str(exc)) from exc
    doc = combine(docs)
    if not any(line.strip() for line in doc.lines):
        raise ImportError_(f"{files[0].name}: 文件中没有读到文字，请检查文件是否正确 / no text in the file")
    source = "\n".join(doc.lines) + "\n"
    data, findings = extract(doc, call_id, seed=files[0].name, today=today)
    try:
        missing = _check_draft(data, source, findings)
    except ValueError as exc:
        raise ImportError_(f"草稿未能生成，请把此信息和通知文件报告给维护者"
                           f" / the importer failed on this notice: {exc}") from exc
    text = render_yaml(data, findings, call_id, [p.name for p in files])
    _write(source_path, source)
    _write(call_path, text)
    report = format_report(findings, call_id)
    if missing:
        report += (f"\n\n草稿中还缺 {len(missing)} 项必填内容（{'、'.join(missing)}），原文中没有找到，请填写后再运行"
                   f" python -m generator check / the draft lacks required values: {', '.join(missing)}")
    return ImportResult(call_path, source_path, findings, report, time.perf_counter() - t0, data)
