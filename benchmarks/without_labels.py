"""`timelines batch` with the event labels left off: what the rest of a child costs.

    python benchmarks/without_labels.py BATCH-ARGUMENTS...

Runs the command line exactly as `timelines batch BATCH-ARGUMENTS...` would, except
that no event gets a label (markers, series, placements, panel and chronology table
are drawn as usual). `bench_batch.py` times it beside the real batch: the difference
is what placing and drawing the labels costs, and the rest is a bound no label
engine can go below. A benchmark's tool, never the product's.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from timelines.layout import child_page, event_labels  # noqa: E402
from timelines.layout.labels import LabelPlan  # noqa: E402


def no_labels(ctx, events, scale, area, with_shadows):  # type: ignore[no-untyped-def]
    """The rows the page would have, with every label left off."""
    planner = event_labels._Planner(ctx, events, scale, area, with_shadows)
    rows = planner.rows((area[1] - area[0]) / 2, True)  # half the height under the axis
    return event_labels.EventLabels(rows, LabelPlan((), ctx.min_size), planner.series)


if __name__ == "__main__":
    from timelines.cli import main

    child_page.plan_event_labels = no_labels
    main(["batch", *sys.argv[1:]])
