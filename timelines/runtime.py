"""Settings for the processes timelines runs itself: the command and batch workers.

A library leaves its caller's process alone; these are applied only where the
process is ours.
"""

from __future__ import annotations

import gc
import signal

YOUNG_OBJECTS = 50_000  # allocations between collections of the youngest generation


def tune() -> None:
    """Collect cyclic garbage less often.

    A page is built from thousands of small objects that die young, freed as soon
    as they are dropped; Python's default (a collection every 700 allocations)
    spent 8–10% of a page's time looking for cycles that are not there
    (measured with `benchmarks/bench_batch.py`'s children, side by side).
    """
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_OBJECTS, middle, old)


def quiet_worker() -> None:
    """A worker process of ours: Ctrl-C is the parent's to handle, and a terminate
    (SIGTERM) ends the worker through Python, so its unfinished file is removed."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _exit)


def _exit(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def tune_worker() -> None:
    """Settings for a worker process of ours: ``tune`` and ``quiet_worker``."""
    tune()
    quiet_worker()
