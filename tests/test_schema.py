"""The JSON Schema in schema/ matches the model, and data files point editors at it."""

from __future__ import annotations

from generator.schema import SCHEMA_PATH, schema_text

from .conftest import ROOT

MODELINE = "# yaml-language-server: $schema=../../schema/call.schema.json"


def test_committed_schema_is_current():
    committed = (ROOT / SCHEMA_PATH).read_text(encoding="utf-8")
    assert committed == schema_text(), "run: python -m generator schema"


def test_every_data_file_has_the_schema_modeline():
    for path in (ROOT / "data" / "calls").glob("*.yaml"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == MODELINE, path
