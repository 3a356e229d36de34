"""Time `timelines batch` on a synthetic cohort and compare with two reference renderers.

    python benchmarks/bench_batch.py [N] [--sample 100]

Generates an N-child cohort (default 1,000), runs `timelines batch` on it in a
subprocess (every core), and reports children/s, ms per page and peak memory
(resource.getrusage of children and self). Then renders the first ``--sample``
children with timelines in-process (one core), with bare reportlab (the floor)
and with matplotlib, and prints ms per child and the ratios against the targets:
timelines ≤ 5× the reportlab floor per page, ≥ 10× faster than matplotlib.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import ref_matplotlib  # noqa: E402
import ref_reportlab  # noqa: E402
from make_cohort import make_cohort  # noqa: E402

AS_OF = date(2025, 6, 1)


def peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # kB on Linux


def run_batch(folder: Path, out: Path, jobs: int | None) -> tuple[float, int]:
    """Wall seconds and booklet page count for `timelines batch`."""
    command = [sys.executable, "-m", "timelines", "batch", str(folder), "--out", str(out)]
    command += ["--as-of", f"{AS_OF:%d/%m/%Y}", "--quiet"]
    if jobs:
        command += ["--jobs", str(jobs)]
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 2):
        raise SystemExit(f"batch failed ({done.returncode}): {done.stderr}")
    from pypdf import PdfReader

    return elapsed, len(PdfReader(out / "booklet.pdf").pages)


def timelines_in_process(folder: Path, n: int) -> tuple[float, float]:
    """(ms per child, ms per page) for render_child on the first ``n`` children, one core."""
    from timelines.load.inputs import load_inputs
    from timelines.options import RenderOptions
    from timelines.render import render_child
    from timelines.template import load_template

    records = load_inputs(folder, today=AS_OF).records()[:n]
    theme, options = load_template(), RenderOptions(as_of=AS_OF)
    render_child(records[0], theme, options, AS_OF)
    pages, start = 0, time.perf_counter()
    for record in records:
        pages += len(render_child(record, theme, options, AS_OF).layout.pages)
    ms = (time.perf_counter() - start) * 1000
    return ms / n, ms / pages


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", nargs="?", type=int, default=1000)
    parser.add_argument("--sample", type=int, default=100)
    parser.add_argument("--jobs", type=int)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = make_cohort(args.n, Path(tmp) / "cohort")
        seconds, pages = run_batch(folder, Path(tmp) / "out", args.jobs)
        print(f"timelines batch, {args.n} children, {args.jobs or os.cpu_count()} processes:")
        print(f"  {seconds:.1f} s wall, {args.n / seconds:.1f} children/s,"
              f" {seconds * 1000 / pages:.1f} ms per booklet page ({pages} pages)")  # fmt: skip
        print(f"  peak memory: {peak_mb(resource.RUSAGE_CHILDREN):.0f} MB (largest process)")
        tl_child, tl_page = timelines_in_process(folder, args.sample)
        floor = ref_reportlab.run(folder, args.sample)
        floor_tt = ref_reportlab.run(folder, args.sample, unicode_font=True)
        mpl = ref_matplotlib.run(folder, args.sample)
        print(f"one core, first {args.sample} children, ms per child (per page for timelines):")
        print(f"  timelines   {tl_child:7.1f}  ({tl_page:.1f} per page)")
        print(f"  reportlab   {floor:7.1f}  (bare drawing, no layout, Helvetica: the floor)")
        print(f"  reportlab   {floor_tt:7.1f}  (the same with embedded DejaVu, as timelines uses)")
        print(f"  matplotlib  {mpl:7.1f}")
        print(f"  timelines per page / floor: {tl_page / floor:.1f}x,"
              f" / DejaVu floor: {tl_page / floor_tt:.1f}x (target <= 5x)")  # fmt: skip
        print(f"  matplotlib / timelines: {mpl / tl_child:.1f}x per child,"
              f" {mpl / tl_page:.1f}x per page (target >= 10x)")  # fmt: skip
        print(f"  self peak memory: {peak_mb(resource.RUSAGE_SELF):.0f} MB")


if __name__ == "__main__":
    main()
