"""JSON Schema of a call data file, for editors (yaml-language-server) and open data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .models import Call

SCHEMA_PATH = Path("schema") / "call.schema.json"


def call_schema() -> dict[str, Any]:
    """The JSON Schema of ``Call`` (validation mode)."""
    schema = Call.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "科协项目申报通知 / Kexie project call"
    return schema


def schema_text() -> str:
    return json.dumps(call_schema(), ensure_ascii=False, indent=2) + "\n"


def write_schema(root: Path) -> Path:
    """Write ``schema/call.schema.json`` under ``root``; return its path."""
    path = root / SCHEMA_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(schema_text(), encoding="utf-8")
    return path
