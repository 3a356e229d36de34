"""Reference: a straightforward matplotlib timeline per child, as an analyst would write it.

``matplotlib.figure.Figure`` (no pyplot state), a marker per event, a text label
per event, ``barh`` placements, saved to PDF.

    python benchmarks/ref_matplotlib.py COHORT_DIR [N] [OUTDIR]
"""

from __future__ import annotations

import io
import sys
import time
from datetime import date
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
from matplotlib.figure import Figure  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
from cohort_csv import RawChild, read_cohort  # noqa: E402

AS_OF = date(2025, 6, 1)
COLOURS = {"home": "#F3E7A6", "kinship": "#7FBF7F", "foster": "#6FA8DC", "residential": "#D98C3F"}


def draw_child(child: RawChild) -> bytes:
    fig = Figure(figsize=(11.69, 8.27))
    ax = fig.add_subplot()
    xs = [e[0] for e in child.events]
    ax.scatter(xs, [0] * len(xs), s=18, zorder=3)
    for i, (day, label, _category) in enumerate(child.events):
        ax.text(day, 0.3 + (i % 12) * 0.25, f"{day:%d/%m/%Y} {label}", fontsize=7, rotation=0)
    for start, end, kind in child.placements:
        width = (end or AS_OF) - start
        ax.barh(-0.5, width, left=start, height=0.3, color=COLOURS.get(kind, "#BDBDBD"))
    ax.set_ylim(-1, 3.6)
    ax.set_yticks([])
    ax.set_title(f"Timeline for {child.name}")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="pdf")
    return buffer.getvalue()


def run(folder: Path, n: int, out: Path | None = None) -> float:
    """CPU milliseconds per child for the first ``n`` children (reading excluded)."""
    children = read_cohort(folder, n)
    start = time.process_time()
    for child in children:
        data = draw_child(child)
        if out:
            (out / f"{child.child_id}.pdf").write_bytes(data)
    return (time.process_time() - start) * 1000 / len(children)


if __name__ == "__main__":
    out = Path(sys.argv[3]) if len(sys.argv) > 3 else None
    if out:
        out.mkdir(parents=True, exist_ok=True)
    ms = run(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 100, out)
    print(f"matplotlib: {ms:.1f} ms per child")
