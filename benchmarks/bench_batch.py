"""Time `timelines batch` on a synthetic cohort and compare with two reference renderers.

    python benchmarks/bench_batch.py [N] [--sample 100] [--jobs J] [--whole 300] [--rounds 3]

Generates an N-child cohort (default 1,000; `make_cohort.py`), runs `timelines batch`
on it in a subprocess (every core) while sampling the memory of every process it
starts, and reports children/s, ms per child and per booklet page, and peak memory.
Then, on one core, it renders the first ``--sample`` children with timelines (the
whole document, and the picture page alone), with bare reportlab (the floor) and
with matplotlib, side by side ten children at a time, and prints the best ms per
child (CPU time) and the ratios against the targets: the timelines page at most
5x the reportlab floor, at least 10x faster than matplotlib. ``--compare-only``
skips the batch run.

Last, whole processes on one core (``--whole`` children, a cohort of their own): the
CPU time of `timelines batch --outputs children --jobs 1` from start to exit (Python
starting, imports, reading the files, drawing, writing one PDF per child), of the
full batch (children, groups, booklet, summary), of the children-only batch with the
event labels left off (``without_labels.py``: what the labels cost, and the least any
label engine leaves), and of the two references run as scripts on the same children,
one PDF each; each in turn, ``--rounds`` times, the least counting. Targets: children
only at most 4x the floor, at least 15x faster than matplotlib, and the full batch
under 1.3x children only. ``--whole-only`` runs this part alone.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import ref_matplotlib  # noqa: E402
import ref_reportlab  # noqa: E402
from cohort_csv import read_cohort  # noqa: E402
from make_cohort import make_cohort  # noqa: E402

AS_OF = date(2025, 6, 1)
PAGE = 4096
REPEATS = 5
CHUNK = 10


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


def renderers(folder: Path, n: int) -> tuple[dict[str, Callable[[int], object]], int]:
    """Each way of drawing child ``i`` of the first ``n``, and how many pages the
    timelines documents have in all."""
    from timelines.layout.style import Ctx
    from timelines.load.inputs import load_inputs
    from timelines.model.options import RenderOptions
    from timelines.pdf.document import pdf_bytes
    from timelines.pipeline.child import layout_child, render_child
    from timelines.prepare.template import load_template

    records = load_inputs(folder, today=AS_OF).records()[:n]
    raw = read_cohort(folder, n)
    theme, options = load_template(), RenderOptions(as_of=AS_OF)
    fonts = Ctx.for_theme(theme).font_names

    def picture(i: int) -> bytes:
        layout = layout_child(records[i], theme, options, AS_OF).layout
        return pdf_bytes(layout.pages[:1], fonts, "page one")

    ways = {
        "whole": lambda i: render_child(records[i], theme, options, AS_OF),
        "picture": picture,
        "floor": lambda i: ref_reportlab.draw_child(raw[i]),
        "floor_tt": lambda i: ref_reportlab.draw_child(raw[i], unicode_font=True),
        "mpl": lambda i: ref_matplotlib.draw_child(raw[i]),
    }
    pages = sum(len(render_child(r, theme, options, AS_OF).layout.pages) for r in records)
    return ways, pages


def interleaved(ways: dict[str, Callable[[int], object]], n: int) -> dict[str, float]:
    """CPU ms per child for each way, measured side by side.

    The children are taken CHUNK at a time; each way renders the chunk in turn,
    REPEATS times, and the fastest time counts (other work on the machine only ever
    adds time). A slow spell on a shared machine then slows every way alike
    instead of skewing the ratios.
    """
    from timelines import runtime
    from timelines.pdf.settings import streams

    runtime.tune()  # as the timelines command and its workers run (every way gains alike)
    with streams():  # timelines' stream settings for every way, the references too
        return _interleaved(ways, n)


def _interleaved(ways: dict[str, Callable[[int], object]], n: int) -> dict[str, float]:
    for draw in ways.values():
        draw(0)  # warm: fonts, images and caches made once per process
    totals = dict.fromkeys(ways, 0.0)
    for start in range(0, n, CHUNK):
        chunk = range(start, min(start + CHUNK, n))
        best = dict.fromkeys(ways, float("inf"))
        for _ in range(REPEATS):
            for name, draw in ways.items():
                began = time.process_time()
                for i in chunk:
                    draw(i)
                best[name] = min(best[name], time.process_time() - began)
        for name in ways:
            totals[name] += best[name]
    return {name: total * 1000 / n for name, total in totals.items()}


def report_batch(folder: Path, out: Path, n: int, jobs: int | None) -> None:
    seconds, pages, memory = run_batch(folder, out, jobs)
    print(f"timelines batch, {n} children, {jobs or os.cpu_count()} processes:")
    print(f"  {seconds:.1f} s wall, {n / seconds:.1f} children/s,"
          f" {seconds * 1000 / n:.1f} ms per child,"
          f" {seconds * 1000 / pages:.1f} ms per booklet page ({pages} pages)")  # fmt: skip
    print(f"  peak memory: {memory.total:.0f} MB all processes together,"
          f" {memory.largest:.0f} MB the largest")  # fmt: skip


def cpu_seconds(command: list[str], env: dict[str, str] | None = None) -> float:
    """User and system CPU seconds of a process from start to exit (and of any process it
    waits for), read from the kernel as it ends: other work on the machine adds none."""
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    assert process.stderr is not None
    err = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 2):
        raise SystemExit(f"{command[1:4]} failed ({process.returncode}): {err.decode()}")
    return usage.ru_utime + usage.ru_stime


def whole_processes(folder: Path, out: Path, n: int, rounds: int) -> dict[str, float]:
    """Milliseconds of CPU per child, whole process, for each way (the least of ``rounds``,
    the ways taking turns)."""
    batch = [sys.executable, "-m", "timelines", "batch", str(folder), "--jobs", "1", "--quiet"]
    batch += ["--as-of", f"{AS_OF:%d/%m/%Y}", "--out"]
    ways = {
        "children": [*batch, str(out / "children"), "--outputs", "children"],
        "everything": [*batch, str(out / "everything")],
        "unlabelled": [sys.executable, str(HERE / "without_labels.py"), *batch[4:]]
        + [str(out / "unlabelled"), "--outputs", "children"],
        "floor": [sys.executable, str(HERE / "ref_reportlab.py"), str(folder), str(n), str(out)],
        "mpl": [sys.executable, str(HERE / "ref_matplotlib.py"), str(folder), str(n), str(out)],
    }
    env = compiled()
    best = dict.fromkeys(ways, float("inf"))
    for _ in range(rounds):
        for name, command in ways.items():
            shutil.rmtree(out, ignore_errors=True)
            out.mkdir(parents=True)
            best[name] = min(best[name], cpu_seconds(command, env))
    return {name: seconds * 1000 / n for name, seconds in best.items()}


def compiled() -> dict[str, str]:
    """An environment in which Python keeps compiled modules, with timelines' compiled
    already, as installing the package compiles them (reportlab's and matplotlib's are):
    with PYTHONDONTWRITEBYTECODE set, a checkout's modules would be compiled anew in every
    process, a cost no installed copy pays."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    command = [sys.executable, "-m", "compileall", "-q", str(ROOT / "timelines")]
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    return env


def report_whole(tmp: Path, n: int, rounds: int) -> None:
    folder = make_cohort(n, tmp / f"cohort-{n}")
    ms = whole_processes(folder, tmp / "whole", n, rounds)
    children, everything, floor, mpl = ms["children"], ms["everything"], ms["floor"], ms["mpl"]
    unlabelled = ms["unlabelled"]
    print(f"whole processes, one core, {n} children, one PDF each, ms of CPU per child"
          f" (least of {rounds}, in turn):")  # fmt: skip
    print(f"  timelines batch --outputs children --jobs 1  {children:7.1f}")
    print(f"  timelines batch --jobs 1 (everything)        {everything:7.1f}")
    print(f"  the same, event labels left off              {unlabelled:7.1f}  (without_labels.py)")
    print(f"  reportlab, bare (ref_reportlab.py)           {floor:7.1f}  (the floor)")
    print(f"  matplotlib (ref_matplotlib.py)               {mpl:7.1f}")
    print(f"  children / floor: {children / floor:.1f}x (target <= 4x)")
    print(f"  matplotlib / children: {mpl / children:.1f}x (target >= 15x)")
    print(f"  everything / children: {everything / children:.2f}x (target < 1.3x)")
    budget = min(4 * floor, mpl / 15)  # the most a child may cost and meet both targets
    left = budget - unlabelled
    print(f"  event labels: {children - unlabelled:.1f} ms a child; both targets leave them"
          f" {left:.1f} ms ({budget:.1f} in all, less {unlabelled:.1f} without them)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", nargs="?", type=int, default=1000)
    parser.add_argument("--sample", type=int, default=100)
    parser.add_argument("--jobs", type=int)
    parser.add_argument("--compare-only", action="store_true")
    parser.add_argument("--whole", type=int, default=300, help="children, whole processes")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--whole-only", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.whole_only:
            report_whole(Path(tmp), args.whole, args.rounds)
            return
        folder = make_cohort(args.n, Path(tmp) / "cohort")
        if not args.compare_only:
            report_batch(folder, Path(tmp) / "out", args.n, args.jobs)
        ways, doc_pages = renderers(folder, args.sample)
        ms = interleaved(ways, args.sample)
        whole, picture, floor, floor_tt, mpl = (ms[k] for k in ways)
        per_page = whole * args.sample / doc_pages
        print(f"one core, first {args.sample} children, ms per child"
              f" (CPU time, best of {REPEATS}, {CHUNK} children at a time, in turn):")  # fmt: skip
        print(f"  timelines, picture page   {picture:7.1f}")
        print(f"  timelines, whole document {whole:7.1f}  ({per_page:.1f} per page)")
        print(f"  reportlab, bare           {floor:7.1f}  (Helvetica, no layout: the floor)")
        print(f"  reportlab, bare, DejaVu   {floor_tt:7.1f}  (the same with embedded fonts)")
        print(f"  matplotlib                {mpl:7.1f}")
        print(f"  picture page / floor: {picture / floor:.1f}x"
              f" ({picture / floor_tt:.1f}x the embedded-font floor; target <= 5x)")  # fmt: skip
        print(f"  matplotlib / picture page: {mpl / picture:.1f}x,"
              f" / whole document: {mpl / whole:.1f}x (target >= 10x)")  # fmt: skip
        report_whole(Path(tmp), args.whole, args.rounds)


if __name__ == "__main__":
    main()
