"""Old Word (``.doc``) and WPS (``.wps``) files: converted to DOCX by LibreOffice headless.

The conversion runs in a temporary folder with a LibreOffice profile of its own (kept in the
system's temporary folder between imports, so it neither touches nor waits for a user's
running LibreOffice) and is stopped after :data:`TIMEOUT`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..document import Document
from .docx import read_docx
from .errors import ReadError

#: Seconds a conversion may take (a first start of LibreOffice takes a few seconds).
TIMEOUT = 120


def _soffice() -> str:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise ReadError(
        "找不到 LibreOffice（soffice），无法读取 .doc/.wps 文件：请运行 scripts/install-system-deps.sh office，"
        "或在 Word/WPS 中另存为 .docx / LibreOffice not found: install it or save the file as .docx"
    )


def _profile() -> Path:
    """A LibreOffice profile kept between imports (a new one costs seconds on each start)."""
    path = Path(tempfile.gettempdir()) / f"kexie-import-lo-profile-{os.getuid() if hasattr(os, 'getuid') else 0}"
    path.mkdir(parents=True, exist_ok=True)
    return path


def convert_to_docx(path: Path, workdir: Path) -> Path:
    """Convert ``path`` to DOCX inside ``workdir`` and return the new file.

    Raises:
        ReadError: LibreOffice is missing, fails or takes longer than :data:`TIMEOUT`.
    """
    src = workdir / ("in" + path.suffix.lower())
    shutil.copyfile(path, src)
    profile = _profile().as_uri()
    cmd = [_soffice(), f"-env:UserInstallation={profile}", "--headless", "--norestore", "--nologo",
           "--nodefault", "--nolockcheck",
           "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(workdir / "out"), str(src)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired as exc:
        raise ReadError(f"{path.name}: LibreOffice 转换超过 {TIMEOUT} 秒，已停止 / conversion timed out") from exc
    out = workdir / "out" / "in.docx"
    if proc.returncode != 0 or not out.is_file():
        detail = (proc.stderr or proc.stdout).strip()[-300:]
        raise ReadError(f"{path.name}: LibreOffice 无法转换此文件 / conversion failed: {detail}")
    return out


def read_office(path: Path) -> Document:
    """Read a ``.doc`` or ``.wps`` file through a DOCX conversion."""
    with tempfile.TemporaryDirectory(prefix="kx-import-") as tmp:
        doc = read_docx(convert_to_docx(path, Path(tmp)))
    doc.name = path.name
    return doc
