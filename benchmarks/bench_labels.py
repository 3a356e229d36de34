"""Time the label engine: CPU ms per child for `render_child` and for the labels in it.

    python benchmarks/bench_labels.py [COHORT_DIR] [REPEATS]

The label engine's share is the time spent in `place_labels` (timelines/layout/labels/)
while the children are rendered. First 100 children of the cohort, best of REPEATS
(default 5) rounds. Then the same `place_labels` calls again, recorded while rendering
and replayed alone, each child's with fresh memos (the widths of its texts already
measured): steadier on a shared machine, for changes of a few percent. Prints
figures; not a test. Without COHORT_DIR a 100-child cohort is generated.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))

from make_cohort import make_cohort  # noqa: E402

from timelines.layout import event_labels  # noqa: E402
from timelines.load.inputs import load_inputs  # noqa: E402
from timelines.model.options import RenderOptions  # noqa: E402
from timelines.pipeline.child import render_child  # noqa: E402
from timelines.prepare.template import load_template  # noqa: E402

AS_OF = date(2025, 6, 1)


class LabelClock:
    """CPU time spent in ``place_labels``, counted while it stands in for it."""

    def __init__(self) -> None:
        self.place = event_labels.place_labels
        self.spent = 0.0

    def __call__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        start = time.process_time()
        try:
            return self.place(*args, **kwargs)
        finally:
            self.spent += time.process_time() - start


def measure(folder: Path, repeats: int) -> tuple[float, float]:
    """(render_child ms per child, label engine ms per child), best of ``repeats``."""
    records = load_inputs(folder, today=AS_OF).records()[:100]
    theme, options = load_template(), RenderOptions(as_of=AS_OF)
    clock = LabelClock()
    event_labels.place_labels = clock  # type: ignore[assignment]
    for record in records[:5]:  # warm up
        render_child(record, theme, options, AS_OF)
    best = (float("inf"), float("inf"))
    for _ in range(repeats):
        clock.spent = 0.0
        start = time.process_time()
        for record in records:
            render_child(record, theme, options, AS_OF)
        elapsed = time.process_time() - start
        best = min(best, (elapsed * 1000 / len(records), clock.spent * 1000 / len(records)))
    event_labels.place_labels = clock.place
    return best


def replayed(folder: Path, repeats: int) -> float:
    """The label engine alone, ms per child: every ``place_labels`` call of rendering the
    first 100 children, replayed child by child with fresh memos, best of ``repeats``."""
    records = load_inputs(folder, today=AS_OF).records()[:100]
    theme, options = load_template(), RenderOptions(as_of=AS_OF)
    place = event_labels.place_labels
    calls: list[list[tuple[tuple, dict]]] = []

    def record(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls[-1].append((args, kwargs))
        return place(*args, **kwargs)

    event_labels.place_labels = record  # type: ignore[assignment]
    for child in records:
        calls.append([])
        render_child(child, theme, options, AS_OF)
    event_labels.place_labels = place
    best = float("inf")
    for _ in range(repeats):
        spent = 0.0
        for child_calls in calls:
            memos: dict[int, dict] = {}  # the memos a child's planner kept, made anew
            start = time.process_time()
            for args, kwargs in child_calls:
                fresh = {
                    k: memos.setdefault(id(v), {}) if isinstance(v, dict) else v
                    for k, v in kwargs.items()
                }
                place(*args, **fresh)
            spent += time.process_time() - start
        best = min(best, spent * 1000 / len(calls))
    return best


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(sys.argv[1]) if len(sys.argv) > 1 else make_cohort(100, Path(tmp) / "c")
        repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
        render, labels = measure(folder, repeats)
        print(f"render_child {render:.1f} ms/child, label engine {labels:.1f} ms/child")
        print(f"label engine replayed alone {replayed(folder, repeats):.2f} ms/child")


if __name__ == "__main__":
    main()
