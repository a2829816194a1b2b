"""MkDocs hooks of the live preview (``python -m generator serve``): tell the preview when
MkDocs has written the pages, so that the PDF pass starts after the page of a save is
shown, not while MkDocs builds it (both run in the serving process).

MkDocs loads this file by path (``mkdocs_serve(..., hooks=[<this file>])``); it reaches
the preview through the ``generator`` package already imported.
"""

from __future__ import annotations

from typing import Any


def on_post_build(*, config: Any) -> None:
    """Signal :data:`generator.preview.BUILT`."""
    from generator import preview

    preview.BUILT.set()
