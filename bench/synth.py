"""Synthetic repositories of N calls, made from the real ones (changed ids, dates and text)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import yaml

MODELINE = "# yaml-language-server: $schema=../../schema/call.schema.json\n"


def _shift_dates(value: Any, days: int) -> Any:
    if isinstance(value, dt.date):
        return value + dt.timedelta(days=days)
    if isinstance(value, dict):
        return {k: _shift_dates(v, days) for k, v in value.items()}
    if isinstance(value, list):
        return [_shift_dates(v, days) for v in value]
    return value


def _own_source(root: Path, dest: Path, data: dict[str, Any], base_file: str) -> None:
    """Give a synthetic call its own source text, which states its shifted deadlines.

    The rules hold for synthetic calls as for real ones: one call per source text, and a
    dated deadline quotes the notice's words for that date.
    """
    lines = [(root / base_file).read_text(encoding="utf-8").rstrip("\n"), "（合成数据）"]
    for d in data["deadlines"]:
        if d.get("date") is not None:
            d["text"] = f"合成数据截止日期：{d['date'].year}年{d['date'].month}月{d['date'].day}日"
            d.pop("year_inferred", None)
            lines.append(d["text"])
    data["source"] = {**data["source"], "text_file": f"data/sources/{data['id']}.txt", "seed": None}
    (dest / data["source"]["text_file"]).write_text("\n".join(lines) + "\n", encoding="utf-8")


def make_repo(root: Path, dest: Path, n: int) -> Path:
    """Write a repository at ``dest`` with ``n`` calls cycled from ``root``'s real calls.

    Parameters:
        root: The real repository (mkdocs.yml, docs/, overrides/, data/).
        dest: Where to create the synthetic repository (replaced if it exists).
        n: Number of calls; ``n`` equal to the real count copies them unchanged.

    Returns:
        ``dest``.
    """
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for name in ("mkdocs.yml",):
        shutil.copy(root / name, dest / name)
    for name in ("docs", "overrides", "schema"):
        if (root / name).exists():
            shutil.copytree(root / name, dest / name)
    shutil.copytree(root / "data" / "sources", dest / "data" / "sources")
    calls_dir = dest / "data" / "calls"
    calls_dir.mkdir(parents=True)
    real = sorted((root / "data" / "calls").glob("*.yaml"))
    docs = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in real]
    for i in range(n):
        base = docs[i % len(docs)]
        if n <= len(docs):
            data = base
        else:
            k = i // len(docs)
            data = _shift_dates(base, 7 * k)
            data["id"] = f"{base['id']}-s{k:04d}"
            data["short_title"] = f"{base['short_title']}（样例{k}）"
            data["summary"] = f"{base['summary']}（合成数据第 {k} 份，用于性能测试。）"
            _own_source(root, dest, data, base["source"]["text_file"])
        text = MODELINE + yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        (calls_dir / f"{data['id']}.yaml").write_text(text, encoding="utf-8")
    return dest
