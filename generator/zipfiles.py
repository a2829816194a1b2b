"""Deterministic ZIP archives: the one writer of the forms archives, the offline copy and
Word packages.

Every entry gets the same timestamp, fixed permissions and the same compression, so the
same entries give the same bytes on every machine.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

#: A ZIP timestamp: year, month, day, hour, minute, second (even).
Stamp = tuple[int, int, int, int, int, int]
#: The earliest time a ZIP entry can carry.
EPOCH_1980: Stamp = (1980, 1, 1, 0, 0, 0)
#: ``-rw-r--r--``, a regular file.
FILE_MODE = 0o100644


def stamp(when: dt.date | dt.datetime) -> Stamp:
    """The ZIP timestamp of ``when`` (a date at 00:00); nothing earlier than 1980."""
    if isinstance(when, dt.datetime):
        out = (when.year, when.month, when.day, when.hour, when.minute, when.second - when.second % 2)
    else:
        out = (when.year, when.month, when.day, 0, 0, 0)
    return max(out, EPOCH_1980)


def write_zip(
    target: Path | BinaryIO,
    entries: Iterable[tuple[str, bytes]],
    when: Stamp,
    *,
    mode: int | None = FILE_MODE,
    stored: tuple[str, ...] = (),
) -> int:
    """Write ``entries`` into a ZIP archive, in order, every one stamped ``when``.

    Parameters:
        target: The archive file, or a binary stream.
        entries: ``(entry name, content)`` pairs (may be a generator).
        when: The timestamp of every entry (see :func:`stamp`).
        mode: Unix permissions of every entry; None writes DOS entries (as Word
            packages have; :mod:`zipfile` fills in its default attributes).
        stored: Name endings (lower case) of entries kept uncompressed (already
            compressed content such as images).

    Returns:
        How many entries were written.
    """
    count = 0
    with zipfile.ZipFile(target, "w") as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=when)
            keep = bool(stored) and name.lower().endswith(stored)
            info.compress_type = zipfile.ZIP_STORED if keep else zipfile.ZIP_DEFLATED
            if mode is None:
                info.create_system = 0
                info.external_attr = 0
            else:
                info.create_system = 3  # Unix, so the permissions are read as such
                info.external_attr = mode << 16
            archive.writestr(info, data, compresslevel=6)
            count += 1
    return count


def zip_bytes(entries: Iterable[tuple[str, bytes]], when: Stamp, *, mode: int | None = FILE_MODE) -> bytes:
    """:func:`write_zip` into memory; returns the archive bytes."""
    buf = io.BytesIO()
    write_zip(buf, entries, when, mode=mode)
    return buf.getvalue()
