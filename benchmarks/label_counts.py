"""Count how events reach page 1: labelled in full, labelled cut short, summarised in a
series, or left as a number; and whether every step (decision) is labelled in full.

    python benchmarks/label_counts.py [N]

Runs the sample child in every template, the dense sample, and N synthetic
children (default 100, from make_cohort.py). Prints figures; the test
tests/test_label_counts.py holds the thresholds.
"""

from __future__ import annotations

import sys
import tempfile
from collections import Counter
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))

from make_cohort import make_cohort  # noqa: E402

from timelines.layout.emphasis import is_step  # noqa: E402
from timelines.load.inputs import load_inputs  # noqa: E402
from timelines.model.options import RenderOptions  # noqa: E402
from timelines.pipeline.child import layout_child  # noqa: E402
from timelines.prepare.template import load_template  # noqa: E402

AS_OF = date(2025, 6, 1)
TEMPLATES = ("hearing", "panel", "family", "england")


def counts(record, template: str = "hearing") -> Counter:
    """events, labelled (in full), cut, series (events summarised), numbered, steps and
    steps_short (steps not labelled in full), for one child's page 1."""
    done = layout_child(record, load_template(template), RenderOptions(as_of=AS_OF), AS_OF)
    plan, events = done.layout.plan, done.layout.events
    found = Counter(events=len(events), numbered=len(plan.numbered))
    for label in {lab.index: lab for lab in plan.labels}.values():
        if label.members:
            found["series"] += len(label.members)
        elif any(lab.text.endswith("…") for lab in plan.labels if lab.index == label.index):
            found["cut"] += 1
        else:
            found["labelled"] += 1
    full = {
        lab.index
        for lab in plan.labels
        if not any(o.text.endswith("…") for o in plan.labels if o.index == lab.index)
    }
    steps = [i for i, e in enumerate(events) if is_step(e)]
    found["steps"] = len(steps)
    found["steps_short"] = sum(1 for i in steps if i not in full)
    return found


def line(name: str, found: Counter) -> str:
    keys = ("events", "labelled", "cut", "series", "numbered", "steps", "steps_short")
    return f"{name:28} " + " ".join(f"{k}={found[k]}" for k in keys)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    for template in TEMPLATES:
        record = load_inputs(ROOT / "samples" / "child", today=AS_OF).records()[0]
        print(line(f"sample child, {template}", counts(record, template)))
    dense = ROOT / "samples" / "dense"
    if dense.exists():
        for template in ("hearing", "family"):
            record = load_inputs(dense, today=AS_OF).records()[0]
            print(line(f"dense, {template}", counts(record, template)))
    with tempfile.TemporaryDirectory() as tmp:
        folder = make_cohort(count, Path(tmp) / "cohort")
        total: Counter = Counter()
        complete = 0
        for record in load_inputs(folder, today=AS_OF).records()[:count]:
            found = counts(record)
            complete += found["numbered"] == 0 and found["cut"] == 0
            total += found
        print(line(f"{count} synthetic children", total))
        print(f"{'':28} pages with every event labelled or summarised: {complete}")


if __name__ == "__main__":
    main()
