"""Settings for the processes timelines runs itself: the command and batch workers.

A library leaves its caller's process alone; these are applied only where the
process is ours.
"""

from __future__ import annotations

import gc

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
