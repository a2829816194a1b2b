"""Tables pasted into text: each cell a tab-prefixed line, its further lines untabbed, rows apart."""

from __future__ import annotations

from ..document import RawCell, RawTable


def parse_pasted(lines: list[str], start: int) -> tuple[RawTable, int]:
    """Read a pasted table from ``lines[start]`` (a tab-prefixed line).

    A cell is a line starting with a tab plus the untabbed lines after it; an empty line
    followed by a tab-prefixed line starts a new row. The table ends at an untabbed line that
    follows an empty line and is not followed by another cell within two lines, or at an
    attachment heading. Cell spans are not in the text: a row with fewer cells than the
    widest row gets its last cell widened.

    Parameters:
        lines: All source lines.
        start: Index of the table's first cell line.

    Returns:
        The table (``line`` = ``start``) and the index of the first line after it.
    """
    rows: list[list[list[str]]] = [[]]
    i = start
    blank = False
    while i < len(lines):
        line = lines[i]
        if line.startswith("\t") or (line.strip() == "" and "\t" in line):
            if blank and rows[-1]:
                rows.append([])
            rows[-1].append([line[1:]])
            blank = False
        elif line == "":
            blank = True
        else:
            ahead = lines[i + 1: i + 4]
            more = any(a.startswith("\t") for a in ahead)
            if line.lstrip().startswith("附件") or (blank and not more) or not rows[-1]:
                break
            rows[-1][-1].append(line)
            blank = False
        i += 1
    while i > start and lines[i - 1] == "":
        i -= 1
    rows = [r for r in rows if r]
    ncols = max(len(r) for r in rows)
    table_rows: list[tuple[RawCell, ...]] = []
    for r in rows:
        cells = [RawCell(tuple(c)) for c in r]
        if len(cells) < ncols:
            last = cells[-1]
            cells[-1] = RawCell(last.lines, ncols - len(cells) + 1, 1)
        table_rows.append(tuple(cells))
    return RawTable(tuple(table_rows), (1.0,) * ncols, start), i
