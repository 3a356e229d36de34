"""Process settings: for the duration of a job in a caller's process, for good in ours.

A library leaves its caller's process alone: settings that make timelines faster
are applied by a ``Scoped`` context while timelines works (loading, building a
document) and restored when the last job leaves it. The processes timelines runs
itself (the command, batch workers, the loading process) call ``tune`` once.
"""

from __future__ import annotations

import gc
import os
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any

YOUNG_OBJECTS = 50_000  # allocations between collections of the youngest generation


class Scoped:
    """Settings applied when the first job enters and restored when the last one leaves.

    Counted and locked, so that jobs in several threads (or nested jobs) never
    restore the settings under another job that still needs them.
    """

    def __init__(self, apply: Callable[[], Any], restore: Callable[[Any], None]) -> None:
        self._apply = apply
        self._restore = restore
        self._lock = threading.Lock()
        self._depth = 0
        self._saved: Any = None

    @contextmanager
    def __call__(self) -> Iterator[None]:
        with self._lock:
            if self._depth == 0:
                self._saved = self._apply()
            self._depth += 1
        try:
            yield
        finally:
            with self._lock:
                self._depth -= 1
                if self._depth == 0:
                    self._restore(self._saved)
                    self._saved = None


def _fewer_collections() -> tuple[int, int, int]:
    """Collect cyclic garbage less often; the threshold before.

    A page is built from thousands of small objects that die young, freed as soon
    as they are dropped; Python's default (a collection every 700 allocations)
    spent 8–10% of a page's time looking for cycles that are not there
    (measured with `benchmarks/bench_batch.py`'s children, side by side).
    """
    before = gc.get_threshold()
    young, middle, old = before
    if 0 < young < YOUNG_OBJECTS:  # 0: automatic collection is off, and stays off
        gc.set_threshold(YOUNG_OBJECTS, middle, old)
    return before


def _threshold_back(before: tuple[int, int, int]) -> None:
    gc.set_threshold(*before)


def _collector_off() -> bool:
    was_on = gc.isenabled()
    gc.disable()
    return was_on


def _collector_back(was_on: bool) -> None:
    if was_on:
        gc.enable()


fewer_collections = Scoped(_fewer_collections, _threshold_back)
"""While drawing: cyclic garbage collected every ``YOUNG_OBJECTS`` allocations."""

collector_paused = Scoped(_collector_off, _collector_back)
"""While loading: the cyclic collector off. Loading makes millions of small objects
and no cycles: the collector would only rescan them again and again (twice as
slow on a cohort)."""


def tune() -> None:
    """For good, in a process timelines runs itself: collect cyclic garbage less often."""
    _fewer_collections()


def quiet_worker() -> None:
    """A worker process of ours: Ctrl-C is the parent's to handle (a terminate ends it
    at once, as by default: the parent removes what it left unfinished)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def tune_worker() -> None:
    """Settings for a worker process of ours: ``tune`` and ``quiet_worker``."""
    tune()
    quiet_worker()


def release_semaphores() -> None:
    """Unlink the semaphores this process's pools made, as their finalizers would have (for
    a process ending at once: otherwise multiprocessing's tracker warns of leaks)."""
    from multiprocessing import synchronize, util

    for finalizer in list(getattr(util, "_finalizer_registry", {}).values()):
        cleanup = getattr(synchronize.SemLock, "_cleanup", None)
        if cleanup is not None and getattr(finalizer, "_callback", None) is cleanup:
            finalizer()


def stop_forkserver() -> None:
    """End the process that starts this process's workers, and every process it started
    in our process group (a worker being born as we stop included), at once."""
    from multiprocessing import forkserver

    pid = getattr(getattr(forkserver, "_forkserver", None), "_forkserver_pid", None)
    if pid:
        with suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    for other in _forkserver_processes():
        with suppress(OSError):
            os.kill(other, signal.SIGKILL)


def _forkserver_processes() -> list[int]:
    """Processes of our process group started by a multiprocessing fork server (Linux)."""
    group, found = os.getpgrp(), []
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else ():
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                command = handle.read()
            if b"multiprocessing.forkserver" in command and os.getpgid(int(entry)) == group:
                found.append(int(entry))
        except OSError:
            continue
    return found
