"""``python -m generator.rules``: write the rule table into docs/publish.md (between its markers)."""

from __future__ import annotations

import sys
from pathlib import Path

from . import catalogue

START, END = "<!-- rules:start -->\n", "<!-- rules:end -->"


def main(root: Path) -> int:
    """Replace the table between the markers of ``docs/publish.md`` under ``root``."""
    page = root / "docs" / "publish.md"
    text = page.read_text(encoding="utf-8")
    if START not in text or END not in text:
        print(f"{page}: 没有找到 {START.strip()} 标记 / markers not found", file=sys.stderr)
        return 1
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    page.write_text(f"{head}{START}\n{catalogue()}\n{END}{tail}", encoding="utf-8")
    print(f"已更新 / updated {page}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(Path.cwd()))
