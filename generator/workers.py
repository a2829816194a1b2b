"""Worker processes that never outlive the build.

:func:`pool` is the one way renderers start processes. Each worker asks the kernel to be
killed when the build process dies (``prctl(PR_SET_PDEATHSIG, SIGKILL)``), so a build
stopped by SIGTERM or SIGKILL, or one that crashed, leaves no 150 MB PDF worker behind;
and when the build leaves the pool because of an exception (Ctrl+C, a failed job) the
queued jobs are dropped and the workers stopped at once instead of finishing them.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import signal
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor

_PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    """In a worker: be killed when ``parent`` exits (Linux); exit now if it already has."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def _init(parent: int, initializer: Callable[[], None] | None) -> None:
    _die_with_parent(parent)
    if initializer is not None:
        initializer()


@contextlib.contextmanager
def pool(processes: int, initializer: Callable[[], None] | None = None
         ) -> Iterator[ProcessPoolExecutor]:
    """A process pool whose workers die with the build.

    Parameters:
        processes: Worker processes.
        initializer: Run in each worker after it is set up.

    Yields:
        The executor.
    """
    executor = ProcessPoolExecutor(max_workers=processes, initializer=_init,
                                   initargs=(os.getpid(), initializer))
    try:
        yield executor
    except BaseException:
        executor.shutdown(wait=False, cancel_futures=True)
        for process in list((getattr(executor, "_processes", None) or {}).values()):
            process.terminate()
        raise
    else:
        executor.shutdown(wait=True)
