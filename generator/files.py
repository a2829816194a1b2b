"""Reading the repository's input files safely: regular files inside the repository only.

Data files and notice texts come from pushes and pull requests the office may not fully
trust. :func:`read_bytes` refuses what a careful build tool must not read: a symbolic link
that leads out of the repository (``/proc/self/environ``), a FIFO (which blocks a reader
forever), a device (``/dev/zero``) and any file larger than the caller allows, whose size is
checked on the opened file before a single byte is read. :func:`read_text` adds the checks a
text must pass (UTF-8, no NUL bytes), with the position of the first bad byte.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

#: Largest notice text (``data/sources/<id>.txt``) a build reads.
MAX_SOURCE_BYTES = 2 * 1024 * 1024


class UnsafeFile(Exception):
    """A file that must not be read, with a Chinese and an English message.

    Attributes:
        path: The file as given.
        zh: What is wrong and what to do, in Chinese.
        en: The same in English.
        line: Line of the problem inside the file (0: the file as a whole).
        column: Column of the problem (0: none).
        kind: Which check refused it: ``outside``, ``missing``, ``unreadable``,
            ``not_regular``, ``too_large``, ``bom``, ``not_utf8`` or ``nul``.
        size: The file's size in bytes, when known (0 otherwise).
    """

    def __init__(self, path: Path, zh: str, en: str, line: int = 0, column: int = 0, *,
                 kind: str = "unreadable", size: int = 0) -> None:
        super().__init__(f"{path}: {zh} / {en}")
        self.path, self.zh, self.en, self.line, self.column = path, zh, en, line, column
        self.kind, self.size = kind, size


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def read_bytes(path: Path, root: Path, max_bytes: int) -> bytes:
    """The bytes of ``path``, when it is a regular file inside ``root`` of at most ``max_bytes``.

    Symbolic links are followed only when they end inside ``root``. The file is opened
    without blocking (a FIFO never hangs the reader) and its type and size are checked on
    the open file, before reading; at most ``max_bytes + 1`` bytes are ever read, so a
    file that grows meanwhile is refused too.

    Parameters:
        path: The file.
        root: The repository root the file must lie in.
        max_bytes: The largest size allowed.

    Returns:
        The file's content.

    Raises:
        UnsafeFile: The file is missing, outside ``root``, not a regular file, too large or
            unreadable.
    """
    real = Path(os.path.realpath(path))
    if not os.path.lexists(real):  # missing, or a link to nothing: say so before anything else
        raise UnsafeFile(path, "文件不存在", "file not found", kind="missing")
    if not _inside(real, Path(os.path.realpath(root))):
        raise UnsafeFile(path, "文件是指向仓库以外的链接，请改为普通文件",
                         "the file links to a place outside the repository; use a regular file", kind="outside")
    try:
        fd = os.open(real, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise UnsafeFile(path, "文件不存在", "file not found", kind="missing") from None
    except OSError as exc:
        raise UnsafeFile(path, f"无法读取文件（{exc.strerror}）",
                         f"cannot read the file: {exc.strerror}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise UnsafeFile(path, "不是普通文件（如管道、设备或文件夹），请改为普通文件",
                             "not a regular file (a pipe, device or folder); use a regular file",
                             kind="not_regular")
        if st.st_size > max_bytes:
            raise UnsafeFile(path, f"文件过大（{st.st_size} 字节，上限 {max_bytes} 字节）",
                             f"file too large ({st.st_size} bytes, at most {max_bytes})",
                             kind="too_large", size=st.st_size)
        os.set_blocking(fd, True)
        chunks: list[bytes] = []
        left = max_bytes + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        raise UnsafeFile(path, f"无法读取文件（{exc.strerror}）",
                         f"cannot read the file: {exc.strerror}") from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > max_bytes:
        raise UnsafeFile(path, f"文件过大（上限 {max_bytes} 字节）",
                         f"file too large (at most {max_bytes} bytes)", kind="too_large",
                         size=len(data))
    return data


def _position(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    column = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return line, column


def read_text(path: Path, root: Path, max_bytes: int = MAX_SOURCE_BYTES, *, bom: bool = True) -> str:
    """:func:`read_bytes`, decoded: UTF-8 without NUL bytes (a UTF-8 BOM is dropped).

    Parameters:
        path: The file.
        root: The repository root the file must lie in.
        max_bytes: The largest size allowed.
        bom: Whether a leading UTF-8 byte order mark is allowed (and dropped).

    Returns:
        The text.

    Raises:
        UnsafeFile: As :func:`read_bytes`; or the text is not UTF-8 or holds a NUL byte
            (``line`` and ``column`` say where).
    """
    data = read_bytes(path, root, max_bytes)
    if not bom and data.startswith(b"\xef\xbb\xbf"):
        raise UnsafeFile(path, "以 UTF-8 BOM 开头，请另存为“UTF-8（无 BOM）”",
                         "starts with a UTF-8 byte order mark; save it as UTF-8 without BOM", 1, 1,
                         kind="bom")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _position(data, exc.start)
        raise UnsafeFile(path, f"不是 UTF-8 编码（第 {line} 行第 {col} 列），请另存为 UTF-8",
                         f"not valid UTF-8 (line {line}, column {col}); save it as UTF-8",
                         line, col, kind="not_utf8") from None
    nul = data.find(b"\x00")
    if nul >= 0:
        line, col = _position(data, nul)
        raise UnsafeFile(path, f"含有空字符 NUL（第 {line} 行第 {col} 列），请删除",
                         f"contains a NUL byte (line {line}, column {col}); remove it", line, col,
                         kind="nul")
    return text.removeprefix("\ufeff")
