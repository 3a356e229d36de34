"""Reference floor: bare reportlab drawing of markers, labels and placement bars per child.

No layout work at all (labels may overlap): the least any PDF timeline can cost.

    python benchmarks/ref_reportlab.py COHORT_DIR [N] [OUTDIR]
"""

from __future__ import annotations

import io
import sys
import time
from datetime import date
from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen.canvas import Canvas

sys.path.insert(0, str(Path(__file__).parent))
from cohort_csv import RawChild, read_cohort  # noqa: E402

AS_OF = date(2025, 6, 1)
COLOURS = {"home": "#F3E7A6", "kinship": "#7FBF7F", "foster": "#6FA8DC", "residential": "#D98C3F"}


def draw_child(child: RawChild, unicode_font: bool = False) -> bytes:
    """One page; ``unicode_font`` uses embedded DejaVu (as timelines must), else Helvetica."""
    regular, bold = ("Helvetica", "Helvetica-Bold")
    if unicode_font:
        from timelines.layout.style import Ctx
        from timelines.prepare.template import load_template

        names = Ctx.for_theme(load_template()).font_names
        regular, bold = names["label"], names["bold"]
    width, height = landscape(A4)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width, height), invariant=1)
    days = [e[0] for e in child.events] + [p[0] for p in child.placements] + [AS_OF]
    first, last = min(days).toordinal(), AS_OF.toordinal()

    def x(d: date) -> float:
        return 40 + (d.toordinal() - first) / max(last - first, 1) * (width - 80)

    canvas.setFont(bold, 15)
    canvas.drawString(40, height - 40, f"Timeline for {child.name}")
    canvas.line(40, 200, width - 40, 200)
    canvas.setFont(regular, 7)
    for i, (day, label, _category) in enumerate(child.events):
        canvas.circle(x(day), 200, 3, fill=1)
        canvas.drawString(x(day), 210 + (i % 30) * 10, f"{day:%d/%m/%Y} {label}")
    for start, end, kind in child.placements:
        canvas.setFillColor(COLOURS.get(kind, "#BDBDBD"))
        canvas.rect(x(start), 150, x(end or AS_OF) - x(start), 20, fill=1)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def run(folder: Path, n: int, out: Path | None = None, unicode_font: bool = False) -> float:
    """CPU milliseconds per child for the first ``n`` children (reading excluded)."""
    children = read_cohort(folder, n)
    draw_child(children[0], unicode_font)
    start = time.process_time()
    for child in children:
        data = draw_child(child, unicode_font)
        if out:
            (out / f"{child.child_id}.pdf").write_bytes(data)
    return (time.process_time() - start) * 1000 / len(children)


if __name__ == "__main__":
    from reportlab import rl_config

    rl_config.useA85 = 0  # binary streams: the cheapest, as a floor should be
    out = Path(sys.argv[3]) if len(sys.argv) > 3 else None
    if out:
        out.mkdir(parents=True, exist_ok=True)
    ms = run(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 100, out)
    print(f"bare reportlab: {ms:.1f} ms per child")
