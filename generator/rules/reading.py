"""Rules for reading a file: data files (``data/calls/*.yaml``) and notices' source texts.

:func:`read_text` is the one place a data file or a source text is opened: it refuses a
file outside the repository (a symlink pointing out), anything but a regular file, and a
file over :data:`MAX_FILE_BYTES` (checked on the open file before reading), then decodes
UTF-8 and refuses a BOM or a NUL character. Each refusal is a :class:`FileProblem` of one
of the rules below.
"""

from __future__ import annotations

import os
from pathlib import Path

from .. import files
from .base import FileProblem, Rule

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


def read_text(path: Path, root: Path, *, what: str = "文件") -> str:
    """Read a data file or source text the safe way, as UTF-8 text.

    The reading itself is :func:`generator.files.read_text`; this maps each refusal to
    its rule, with a message naming ``what``.

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
        return files.read_text(path, root, MAX_FILE_BYTES, bom=False)
    except files.UnsafeFile as exc:
        raise _problem(exc, path, what) from None


def _problem(exc: files.UnsafeFile, path: Path, what: str) -> FileProblem:
    line, col = exc.line, exc.column
    limit = MAX_FILE_BYTES // 1024
    if exc.kind == "missing":
        if what == "原文文件":
            return SOURCE_MISSING.problem(
                0, 0, f"原文文件不存在：{path.name}，请把通知原文保存到该路径或改正路径",
                f"source text file not found: {path.name}",
            )
        return UNREADABLE.problem(0, 0, f"无法读取{what}", f"cannot read {path.name}")
    if exc.kind == "outside":
        real = os.path.realpath(path)
        return OUTSIDE.problem(
            0, 0, f"{what} {path.name} 指向仓库以外（{real}），请把文件本身放进仓库",
            f"{path.name} resolves outside the repository ({real}); put the file itself in the repository",
        )
    if exc.kind == "not_regular":
        return NOT_REGULAR.problem(0, 0, f"{what}路径指向的不是普通文件（如文件夹），请改正",
                                   "the path is not a regular file (a folder?)")
    if exc.kind == "too_large":
        return TOO_LARGE.problem(
            0, 0, f"{what}过大（{exc.size // 1024} KB，上限 {limit} KB），请检查是否放错了文件",
            f"file of {exc.size // 1024} KB, larger than {limit} KB",
        )
    if exc.kind == "bom":
        return BOM.problem(1, 1, f"{what}以 UTF-8 BOM 开头，请另存为“UTF-8（无 BOM）”",
                           "file starts with a UTF-8 byte order mark; save it as UTF-8 without BOM")
    if exc.kind == "not_utf8":
        return NOT_UTF8.problem(
            line, col, f"{what}不是 UTF-8 编码（第 {line} 行第 {col} 个字节起），请另存为 UTF-8",
            f"file is not valid UTF-8 (line {line}, byte {col}); save it as UTF-8",
        )
    if exc.kind == "nul":
        return NUL.problem(
            line, col, f"{what}第 {line} 行含有空字符（NUL），可能不是文本文件；请重新保存为纯文本",
            f"NUL character at line {line}; the file may not be text",
        )
    return UNREADABLE.problem(0, 0, f"无法读取{what}：{exc.zh}", f"cannot read the file: {exc.en}")
