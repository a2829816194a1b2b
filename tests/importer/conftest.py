"""Helpers of the importer tests: the fixtures folder and a context from literal text."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.importer.extract.context import Context
from generator.importer.normalise import normalise_text

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def context(text: str) -> Context:
    """A notice's extraction context from its text."""
    return Context(normalise_text(text))


@pytest.fixture(scope="session")
def fixtures() -> Path:
    return FIXTURES
