"""Old Word (``.doc``) and WPS (``.wps``) files: converted to DOCX by LibreOffice headless.

The conversion runs in a temporary folder with a LibreOffice profile of its own (kept between
imports under the repository's ``.cache/`` when the import has a root, else in the system's
temporary folder, so it neither touches nor waits for a user's running LibreOffice) and is
stopped after :data:`TIMEOUT`. All the ``.doc``/``.wps`` files of one import are converted by
one LibreOffice start (:func:`read_offices`): starting LibreOffice is most of the time.
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


def _profile(cache_dir: Path | None = None) -> Path:
    """A LibreOffice profile kept between imports (a new one costs about a second on each start).

    Parameters:
        cache_dir: The repository's ``.cache`` folder; ``None``: the system's temporary folder.
    """
    if cache_dir is not None:
        path = cache_dir / "libreoffice-profile"
    else:
        uid = os.getuid() if hasattr(os, "getuid") else 0
        path = Path(tempfile.gettempdir()) / f"kexie-import-lo-profile-{uid}"
    path.mkdir(parents=True, exist_ok=True)
    return path


def convert_all(paths: list[Path], workdir: Path, cache_dir: Path | None = None) -> list[Path]:
    """Convert ``paths`` to DOCX inside ``workdir`` with one LibreOffice start; the new files in order.

    Raises:
        ReadError: LibreOffice is missing, fails or takes longer than :data:`TIMEOUT`.
    """
    # copied under names of their own: a.doc and a.wps would both become a.docx
    sources = []
    for i, path in enumerate(paths):
        src = workdir / f"in{i}{path.suffix.lower()}"
        shutil.copyfile(path, src)
        sources.append(src)
    profile = _profile(cache_dir).as_uri()
    cmd = [_soffice(), f"-env:UserInstallation={profile}", "--headless", "--norestore", "--nologo",
           "--nodefault", "--nolockcheck",
           "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(workdir / "out"), *map(str, sources)]
    names = "、".join(p.name for p in paths)
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired as exc:
        raise ReadError(f"{names}: LibreOffice 转换超过 {TIMEOUT} 秒，已停止 / conversion timed out") from exc
    outs = [workdir / "out" / f"in{i}.docx" for i in range(len(paths))]
    for path, out in zip(paths, outs, strict=True):
        if proc.returncode != 0 or not out.is_file():
            detail = (proc.stderr or proc.stdout).strip()[-300:]
            raise ReadError(f"{path.name}: LibreOffice 无法转换此文件 / conversion failed: {detail}")
    return outs


def convert_to_docx(path: Path, workdir: Path) -> Path:
    """Convert one file to DOCX inside ``workdir`` and return the new file (see :func:`convert_all`)."""
    return convert_all([path], workdir)[0]


def read_offices(paths: list[Path], cache_dir: Path | None = None) -> list[Document]:
    """Read ``.doc``/``.wps`` files through DOCX conversions, all with one LibreOffice start."""
    with tempfile.TemporaryDirectory(prefix="kx-import-") as tmp:
        docs = [read_docx(out) for out in convert_all(paths, Path(tmp), cache_dir)]
    for doc, path in zip(docs, paths, strict=True):
        doc.name = path.name
    return docs


def read_office(path: Path) -> Document:
    """Read a ``.doc`` or ``.wps`` file through a DOCX conversion."""
    return read_offices([path])[0]
