"""Time one child's timeline, CSV to PDF: in-process, as `timelines render`, and per page.

    python benchmarks/bench_render.py [COHORT_DIR]

Prints figures; not a test. Without COHORT_DIR a 200-child cohort is generated.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))

from make_cohort import make_cohort  # noqa: E402

from timelines import api  # noqa: E402
from timelines.model.options import RenderOptions  # noqa: E402
from timelines.pipeline.child import render_child  # noqa: E402
from timelines.prepare.template import load_template  # noqa: E402

AS_OF = date(2025, 6, 1)
SAMPLE = ROOT / "samples" / "child"


def in_process(out: Path, repeats: int = 20) -> tuple[float, float]:
    """(first call ms, median of later calls ms) for load + render + write."""
    options = RenderOptions(as_of=AS_OF, prepared_on=AS_OF)
    times = []
    for _ in range(repeats + 1):
        start = time.perf_counter()
        api.render(api.Inputs(SAMPLE), options, out=out / "child.pdf", today=AS_OF)
        times.append((time.perf_counter() - start) * 1000)
    return times[0], statistics.median(times[1:])


def as_subprocess(out: Path, repeats: int = 5) -> float:
    """Median ms for `python -m timelines render samples/child` (interpreter start included)."""
    command = [sys.executable, "-m", "timelines", "render", str(SAMPLE), "--as-of", "01/06/2025"]
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run([*command, "-o", str(out / "sub.pdf")], check=True, cwd=ROOT,
                       capture_output=True)  # fmt: skip
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def many(folder: Path, count: int = 200) -> tuple[float, float, int]:
    """(ms per child, ms per page, pages) rendering ``count`` cohort children in-process."""
    from timelines.load.inputs import load_inputs

    records = load_inputs(folder, today=AS_OF).records()[:count]
    theme, options = load_template(), RenderOptions(as_of=AS_OF)
    render_child(records[0], theme, options, AS_OF)
    pages = 0
    start = time.perf_counter()
    for record in records:
        pages += len(render_child(record, theme, options, AS_OF).layout.pages)
    elapsed = (time.perf_counter() - start) * 1000
    return elapsed / len(records), elapsed / pages, pages


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        folder = Path(sys.argv[1]) if len(sys.argv) > 1 else make_cohort(200, out / "cohort")
        first, warm = in_process(out)
        print(f"sample child, in-process: first {first:.0f} ms, then {warm:.1f} ms (median)")
        print(f"sample child, `timelines render` subprocess: {as_subprocess(out):.0f} ms (median)")
        per_child, per_page, pages = many(folder)
        print(f"cohort children in-process: {per_child:.1f} ms/child, {per_page:.1f} ms/page"
              f" ({pages} pages)")  # fmt: skip


if __name__ == "__main__":
    main()
