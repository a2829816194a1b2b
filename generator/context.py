"""What every build step gets: the validated calls and where to write."""

from __future__ import annotations

import datetime as dt
import functools
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from .models import Call
from .view import CallView, call_view


def build_date() -> dt.date:
    """The build's "today": from SOURCE_DATE_EPOCH when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.date.fromtimestamp(time.time())


@dataclass
class BuildContext:
    """Inputs and output folders shared by the renderers.

    Attributes:
        root: Repository root (holds mkdocs.yml, data/, docs/, overrides/).
        calls: The validated calls, sorted by id.
        docs_dir: Staging folder for Markdown and downloads, read by MkDocs.
        site_dir: The new site being built (swapped in only when every step succeeded).
        cache_dir: Content-hash cache shared between builds.
        today: Build date, used for deadline status and countdowns.
        jobs: How many processes renderers may use.
    """

    root: Path
    calls: list[Call]
    docs_dir: Path
    site_dir: Path
    cache_dir: Path
    today: dt.date = field(default_factory=build_date)
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)

    @functools.cached_property
    def views(self) -> dict[str, CallView]:
        """The one view of each call on the build date (:func:`generator.view.call_view`),
        computed once per build and read by every renderer."""
        return {c.id: call_view(c, self.today) for c in self.calls}
