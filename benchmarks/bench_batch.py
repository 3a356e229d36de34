"""Time `timelines batch` on a synthetic cohort and compare with two reference renderers.

    python benchmarks/bench_batch.py [N] [--sample 100] [--jobs J]

Generates an N-child cohort (default 1,000; `make_cohort.py`), runs `timelines batch`
on it in a subprocess (every core) while sampling the memory of every process it
starts, and reports children/s, ms per child and per booklet page, and peak memory.
Then, on one core, it renders the first ``--sample`` children with timelines (the
whole document, and the picture page alone), with bare reportlab (the floor) and
with matplotlib, three times each, and prints the best ms per child (CPU time)
and the ratios against the targets:
the timelines page at most 5x the reportlab floor, at least 10x faster than matplotlib.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
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
PAGE = 4096
REPEATS = 3


class MemorySampler(threading.Thread):
    """Peak resident memory of a process and all its descendants (Linux /proc), in MB."""

    def __init__(self, pid: int, every: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.pid, self.every = pid, every
        self.total = self.largest = 0.0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            sizes = [_rss(p) for p in _tree(self.pid)]
            self.total = max(self.total, sum(sizes))
            self.largest = max(self.largest, max(sizes, default=0.0))
            time.sleep(self.every)


def _tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                parent = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def _rss(pid: int) -> float:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE / 1e6
    except (OSError, IndexError, ValueError):
        return 0.0


def run_batch(folder: Path, out: Path, jobs: int | None) -> tuple[float, int, MemorySampler]:
    """Wall seconds, booklet pages and the memory sampler for `timelines batch`."""
    command = [sys.executable, "-m", "timelines", "batch", str(folder), "--out", str(out)]
    command += ["--as-of", f"{AS_OF:%d/%m/%Y}", "--quiet"]
    if jobs:
        command += ["--jobs", str(jobs)]
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    sampler = MemorySampler(process.pid)
    sampler.start()
    _, err = process.communicate()
    elapsed = time.perf_counter() - start
    sampler.done.set()
    if process.returncode not in (0, 2):
        raise SystemExit(f"batch failed ({process.returncode}): {err.decode()}")
    from pypdf import PdfReader

    pages = sum(len(PdfReader(p).pages) for p in out.glob("booklet*.pdf"))
    return elapsed, pages, sampler


def timelines_in_process(folder: Path, n: int) -> tuple[float, float, float]:
    """(ms per child for the whole document, ms per page, ms for the picture page alone)
    on the first ``n`` children, one core (CPU time)."""
    from timelines.export import pdf_bytes
    from timelines.layout.style import Ctx
    from timelines.load.inputs import load_inputs
    from timelines.options import RenderOptions
    from timelines.render import layout_child, render_child
    from timelines.template import load_template

    records = load_inputs(folder, today=AS_OF).records()[:n]
    theme, options = load_template(), RenderOptions(as_of=AS_OF)
    fonts = Ctx.for_theme(theme).font_names
    render_child(records[0], theme, options, AS_OF)
    pages, start = 0, time.process_time()
    for record in records:
        pages += len(render_child(record, theme, options, AS_OF).layout.pages)
    whole = (time.process_time() - start) * 1000
    start = time.process_time()
    for record in records:
        layout = layout_child(record, theme, options, AS_OF).layout
        pdf_bytes(layout.pages[:1], fonts, "page one")
    picture = (time.process_time() - start) * 1000
    return whole / n, whole / pages, picture / n


def best_of(measure) -> float:
    """The fastest of REPEATS runs: other work on the machine only ever adds time."""
    return min(measure() for _ in range(REPEATS))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", nargs="?", type=int, default=1000)
    parser.add_argument("--sample", type=int, default=100)
    parser.add_argument("--jobs", type=int)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = make_cohort(args.n, Path(tmp) / "cohort")
        seconds, pages, memory = run_batch(folder, Path(tmp) / "out", args.jobs)
        print(f"timelines batch, {args.n} children, {args.jobs or os.cpu_count()} processes:")
        print(f"  {seconds:.1f} s wall, {args.n / seconds:.1f} children/s,"
              f" {seconds * 1000 / args.n:.1f} ms per child,"
              f" {seconds * 1000 / pages:.1f} ms per booklet page ({pages} pages)")  # fmt: skip
        print(f"  peak memory: {memory.total:.0f} MB all processes together,"
              f" {memory.largest:.0f} MB the largest")  # fmt: skip
        runs = [timelines_in_process(folder, args.sample) for _ in range(REPEATS)]
        whole, per_page, picture = (min(r[i] for r in runs) for i in range(3))
        floor = best_of(lambda: ref_reportlab.run(folder, args.sample))
        floor_tt = best_of(lambda: ref_reportlab.run(folder, args.sample, unicode_font=True))
        mpl = best_of(lambda: ref_matplotlib.run(folder, args.sample))
        print(f"one core, first {args.sample} children, ms per child (best of {REPEATS} runs):")
        print(f"  timelines, picture page   {picture:7.1f}")
        print(f"  timelines, whole document {whole:7.1f}  ({per_page:.1f} per page)")
        print(f"  reportlab, bare           {floor:7.1f}  (Helvetica, no layout: the floor)")
        print(f"  reportlab, bare, DejaVu   {floor_tt:7.1f}  (the same with embedded fonts)")
        print(f"  matplotlib                {mpl:7.1f}")
        print(f"  picture page / floor: {picture / floor:.1f}x"
              f" ({picture / floor_tt:.1f}x the embedded-font floor; target <= 5x)")  # fmt: skip
        print(f"  matplotlib / picture page: {mpl / picture:.1f}x,"
              f" / whole document: {mpl / whole:.1f}x (target >= 10x)")  # fmt: skip


if __name__ == "__main__":
    main()
