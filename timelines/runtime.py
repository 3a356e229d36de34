"""Process settings: for the duration of a job in a caller's process, for good in ours.

A library leaves its caller's process alone: settings that make timelines faster
are applied by a ``Scoped`` context while timelines works (loading, building a
document) and restored when the last job leaves it. The processes timelines runs
itself (the command, batch workers, the loading process) call ``tune`` once.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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
