"""The output folder of a build: which folders may be one, one build at a time, the swap.

* :func:`check_out` refuses an output folder that is, contains or lies inside one of the
  repository's inputs (``--out .``, ``--out docs``, ``--out ..``…): a build replaces its
  output folder whole, so such a folder would be deleted. Every entry at the top of the
  repository is an input, except a site built earlier.
* :func:`locked` lets one build at a time write an output or staging folder (``fcntl``
  lock on a file next to it); a second build waits for the first, saying so.
* :func:`new_temp` makes the folder the new site is built in, next to the output, with
  normal permissions; :func:`remove_stale` removes what interrupted builds left there.
* :func:`swap_in` replaces the output by the new folder with one atomic exchange
  (``renameat2(RENAME_EXCHANGE)``), so ``site/`` never goes missing, not even briefly.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import fcntl
import logging
import os
import secrets
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

from .errors import BuildError

log = logging.getLogger(__name__)

#: The staging area of generated pages (mkdocs.yml's ``docs_dir`` is ``build/docs``).
STAGING = "build"
#: Seconds a build waits for another one writing the same folder (then it stops).
LOCK_WAIT_SECONDS = 30 * 60
_TEMP = ".tmp-"
_OLD = ".old-"


def check_out(root: Path, out: Path, *, staging: bool = False, replaced: bool = True) -> None:
    """Refuse ``out`` when replacing it could delete or overwrite an input of the build.

    Parameters:
        root: Repository root (resolved).
        out: The wanted output folder (resolved).
        staging: ``out`` is a staging docs folder (may lie in ``build/``; an earlier one
            holds ``index.md``) rather than a site folder.
        replaced: The build replaces ``out`` whole (False: it only adds files to it, as
            ``forms --out`` does, so other content is no reason to refuse).

    Raises:
        BuildError: ``out`` is the repository, one of its parents, one of its inputs or a
            folder inside one, is not a folder, or is a folder of something else.
    """
    shown = str(out)
    if out == root or out in root.parents:
        raise BuildError(
            f"输出目录 {shown} 是仓库本身或其上级目录，生成会删除仓库；请改用如 site/ 的新目录 / "
            f"output folder {shown} is the repository or contains it; use a new folder such as site/"
        )
    entries = sorted({*root.iterdir(), *(() if staging else (root / STAGING,))})
    for entry in entries:
        if (staging and entry.name == STAGING) or (_is_site(entry) and not entry.is_symlink()):
            continue
        if out == entry or entry in out.parents:
            raise BuildError(
                f"输出目录 {shown} 是或位于仓库的 {entry.name} 中，请改用如 site/ 的新目录 / "
                f"output folder {shown} is or lies inside the input '{entry.name}' of the "
                "repository; use a new folder"
            )
    if os.path.lexists(out) and (out.is_symlink() or not out.is_dir()):
        raise BuildError(
            f"输出路径 {shown} 不是文件夹（是文件或链接），请删除或改用新目录 / "
            f"output path {shown} is not a folder (a file or link); remove it or use a new folder"
        )
    earlier = (out / "index.md").is_file() if staging else _is_site(out)
    if replaced and out.is_dir() and any(out.iterdir()) and not earlier:
        raise BuildError(
            f"输出目录 {shown} 已有其他内容（不是本工具生成的网站），生成会替换整个目录；"
            f"请改用新目录或先清空它 / output folder {shown} holds something other than a site "
            "built by this tool; use a new folder or empty it first"
        )


def _is_site(folder: Path) -> bool:
    """Whether ``folder`` is a site built earlier (MkDocs writes both files every time)."""
    return (folder / "index.html").is_file() and (folder / "sitemap.xml").is_file()


@contextlib.contextmanager
def locked(folder: Path, *, wait: float = LOCK_WAIT_SECONDS) -> Iterator[None]:
    """Hold the build lock of ``folder`` (``.<name>.build-lock`` next to it).

    A second build of the same folder waits (and says so) for at most ``wait`` seconds.
    The lock goes with the process: a killed build never leaves it held.

    Raises:
        BuildError: Another build still holds the lock after ``wait`` seconds.
    """
    folder.parent.mkdir(parents=True, exist_ok=True)
    path = folder.with_name(f".{folder.name}.build-lock")
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        deadline = time.monotonic() + wait
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not told:
                    log.warning("另一个生成正在写入 %s，等待其完成… / another build is writing %s; "
                                "waiting for it", folder, folder)
                    told = True
                if time.monotonic() >= deadline:
                    raise BuildError(
                        f"另一个生成仍在写入 {folder}，已等待 {wait:.0f} 秒，请稍后再试 / another "
                        f"build is still writing {folder} after {wait:.0f} s; try again later"
                    ) from None
                time.sleep(0.2)
        yield
    finally:
        os.close(fd)  # releases the lock; the file stays (removing it would race)


def _siblings(out: Path, infix: str) -> list[Path]:
    return sorted(out.parent.glob(f".{out.name}{infix}*"))


def remove_stale(out: Path) -> int:
    """Remove the temporary folders interrupted builds of ``out`` left next to it.

    Call only while holding :func:`locked` for ``out``: no other build is using them.

    Returns:
        How many were removed.
    """
    stale = [p for p in _siblings(out, _TEMP) + _siblings(out, _OLD) if not p.is_symlink()]
    for path in stale:
        shutil.rmtree(path, ignore_errors=True)
    if stale:
        log.info("removed %d folders left by interrupted builds", len(stale))
    return len(stale)


def new_temp(out: Path, suffix: str = "") -> Path:
    """A new empty folder next to ``out`` (``.<name>.tmp-<random><suffix>``), made with the
    usual permissions (the umask's, e.g. 0755, so a web server can read the site)."""
    while True:
        path = out.with_name(f".{out.name}{_TEMP}{secrets.token_hex(4)}{suffix}")
        try:
            path.mkdir(parents=False)
            return path
        except FileExistsError:
            continue


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _renameat2():
    libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    func = getattr(libc, "renameat2", None)
    if func is not None:
        func.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
        func.restype = ctypes.c_int
    return func


def exchange(a: Path, b: Path) -> bool:
    """Swap ``a`` and ``b`` atomically; False when the system cannot (no renameat2, or a
    file system without RENAME_EXCHANGE)."""
    func = _renameat2()
    if func is None:
        return False
    if func(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(a), None, str(b))


def swap_in(new: Path, out: Path) -> None:
    """Replace ``out`` with ``new``; at every moment ``out`` is the old site or the new one.

    With ``renameat2(RENAME_EXCHANGE)`` (Linux 3.15+, ext4, xfs, btrfs, tmpfs, overlayfs)
    the two folders trade places in one step and the old site is removed afterwards. Where
    the system cannot exchange, the old site is renamed aside and the new one renamed in
    (a gap of one system call).
    """
    if not os.path.lexists(out):
        new.rename(out)
        return
    if exchange(new, out):
        shutil.rmtree(new, ignore_errors=True)  # `new` now holds the old site
        return
    log.warning("此系统不支持原子交换，改用两次重命名 / no atomic exchange here; renaming twice")
    old = out.with_name(f".{out.name}{_OLD}{secrets.token_hex(4)}")
    out.rename(old)
    new.rename(out)
    shutil.rmtree(old, ignore_errors=True)
