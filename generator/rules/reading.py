"""Rules for reading a file: data files (``data/calls/*.yaml``) and notices' source texts.

:func:`read_text` is the one place a data file or a source text is opened: it refuses a
file outside the repository (a symlink pointing out), anything but a regular file, and a
file over :data:`MAX_FILE_BYTES` (checked on the open file before reading), then decodes
UTF-8 and refuses a BOM or a NUL character. Each refusal is a :class:`FileProblem` of one
of the rules below.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .base import Rule

MAX_FILE_BYTES = 2 * 1024 * 1024

UNREADABLE = Rule(
    "file-unreadable", "file", "文件能被读取", "the file can be read",
    "检查文件是否存在、是否有读取权限。",
)
OUTSIDE = Rule(
    "file-outside-repo", "file", "文件在仓库之内（不是指向仓库外的链接）",
    "the file is inside the repository (not a link pointing out of it)",
    "把文件本身（而不是快捷方式或链接）放进仓库的 data/ 目录。",
)
NOT_REGULAR = Rule(
    "file-not-regular", "file", "是普通文件（不是文件夹或设备）",
    "the path is a regular file (not a folder or device)",
    "改正路径，使它指向一个文本文件。",
)
TOO_LARGE = Rule(
    "file-too-large", "file", f"文件不超过 {MAX_FILE_BYTES // 1024 // 1024} MB",
    f"the file is at most {MAX_FILE_BYTES // 1024 // 1024} MB",
    "数据文件和原文都是纯文字，通常只有几十 KB；检查是否误放了别的文件。",
)
BOM = Rule(
    "file-bom", "file", "文件没有 UTF-8 BOM", "the file has no UTF-8 byte order mark",
    "在编辑器中另存为“UTF-8（无 BOM）”。",
)
NOT_UTF8 = Rule(
    "file-not-utf8", "file", "文件是 UTF-8 编码", "the file is UTF-8",
    "在编辑器中另存为“UTF-8（无 BOM）”；从 Word 复制的原文先粘贴到记事本再保存。",
)
NUL = Rule(
    "file-nul", "file", "文件中没有空字符（NUL）", "the file holds no NUL character",
    "文件可能是二进制文件或已损坏；重新从原文复制文字保存。",
)
SOURCE_MISSING = Rule(
    "source-missing", "file", "source.text_file 指向的原文文件存在",
    "the source text named by source.text_file exists",
    "把通知原文（纯文本）保存为 data/sources/<编号>.txt，或改正 text_file 的路径。",
)

RULES = (UNREADABLE, OUTSIDE, NOT_REGULAR, TOO_LARGE, BOM, NOT_UTF8, NUL, SOURCE_MISSING)


def _line_col(raw: bytes, offset: int) -> tuple[int, int]:
    line = raw[:offset].count(b"\n") + 1
    return line, offset - (raw.rfind(b"\n", 0, offset) + 1) + 1


def read_text(path: Path, root: Path, *, what: str = "文件") -> str:
    """Read a data file or source text the safe way, as UTF-8 text.

    Parameters:
        path: The file.
        root: The repository root; the file (links resolved) must be inside it.
        what: How messages name the file (``文件`` or ``原文文件``).

    Returns:
        The text.

    Raises:
        FileProblem: The file is missing, outside ``root``, not a regular file, larger
            than :data:`MAX_FILE_BYTES`, starts with a BOM, is not UTF-8 or holds NUL.
            Line and column are positions in the file, when they are known.
    """
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):
        if what == "原文文件":
            raise SOURCE_MISSING.problem(
                0, 0, f"原文文件不存在：{path.name}，请把通知原文保存到该路径或改正路径",
                f"source text file not found: {path.name}",
            ) from None
        raise UNREADABLE.problem(0, 0, f"无法读取{what}", f"cannot read {path.name}") from None
    try:
        real.relative_to(root.resolve())
    except ValueError:
        raise OUTSIDE.problem(
            0, 0, f"{what}指向仓库以外（{real}），请把文件本身放进仓库",
            f"the file resolves outside the repository ({real}); put the file itself in the repository",
        ) from None
    try:
        fd = os.open(real, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise UNREADABLE.problem(0, 0, f"无法读取{what}：{exc.strerror}",
                                 f"cannot read the file: {exc}") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise NOT_REGULAR.problem(0, 0, f"{what}路径指向的不是普通文件（如文件夹），请改正",
                                  "the path is not a regular file (a folder?)")
    with os.fdopen(fd, "rb") as fh:
        if info.st_size > MAX_FILE_BYTES:
            raise TOO_LARGE.problem(
                0, 0, f"{what}过大（{info.st_size // 1024} KB，上限 {MAX_FILE_BYTES // 1024} KB），"
                "请检查是否放错了文件",
                f"file of {info.st_size // 1024} KB, larger than {MAX_FILE_BYTES // 1024} KB",
            )
        raw = fh.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:  # grew while being read
        raise TOO_LARGE.problem(0, 0, f"{what}过大（超过 {MAX_FILE_BYTES // 1024} KB）",
                                f"file larger than {MAX_FILE_BYTES // 1024} KB")
    if raw.startswith(b"\xef\xbb\xbf"):
        raise BOM.problem(1, 1, f"{what}以 UTF-8 BOM 开头，请另存为“UTF-8（无 BOM）”",
                          "file starts with a UTF-8 byte order mark; save it as UTF-8 without BOM")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _line_col(raw, exc.start)
        raise NOT_UTF8.problem(
            line, col, f"{what}不是 UTF-8 编码（第 {line} 行第 {col} 个字节起），请另存为 UTF-8",
            f"file is not valid UTF-8 (line {line}, byte {col}); save it as UTF-8",
        ) from None
    nul = raw.find(b"\x00")
    if nul >= 0:
        line, col = _line_col(raw, nul)
        raise NUL.problem(
            line, col, f"{what}第 {line} 行含有空字符（NUL），可能不是文本文件；请重新保存为纯文本",
            f"NUL character at line {line}; the file may not be text",
        )
    return text
