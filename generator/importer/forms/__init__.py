"""Forms (申报表) from Word tables and from tables pasted into text as tab-prefixed cell lines."""

from .extract import extract_forms

__all__ = ["extract_forms"]
