"""A library leaves its caller's process be: reportlab's settings and the garbage
collector are as they were after importing timelines and after rendering with it."""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from timelines.model.options import RenderOptions

REPO = Path(__file__).resolve().parents[1]

CALLER = """
import gc, importlib, importlib.util, json, pkgutil, sys
from pathlib import Path
from reportlab import rl_config
from reportlab.pdfbase import pdfdoc

def state():
    names = type(pdfdoc.PDFName).__name__
    reportlab = [rl_config.useA85, type(pdfdoc.PDFZCompress).__name__, names]
    return reportlab + [gc.get_threshold(), gc.isenabled()]

seen = {"before": state()}
import timelines
serving = importlib.util.find_spec("starlette") is not None  # the serve extra
for module in pkgutil.walk_packages(timelines.__path__, "timelines."):
    if not module.name.endswith("__main__") and (serving or ".serve" not in module.name):
        importlib.import_module(module.name)
seen["imported"] = state()
from timelines import api
from timelines.model.options import RenderOptions
samples, out = Path(sys.argv[1]), Path(sys.argv[2])
api.validate(api.Inputs(samples / "child"))
seen["validated"] = state()
api.render(api.Inputs(samples / "child"), RenderOptions(), out=out / "child.pdf")
seen["rendered"] = state()
api.render_siblings(api.Inputs(samples / "siblings"), RenderOptions(), out=out / "group.pdf")
api.run_batch(api.Inputs(samples / "siblings"), out / "batch", RenderOptions(), jobs=1)
seen["others"] = state()
print(json.dumps(seen))
"""


def test_importing_and_rendering_leave_reportlab_and_the_collector_as_they_were(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", CALLER, str(REPO / "samples"), str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
    )
    seen = json.loads(done.stdout)
    before = seen.pop("before")
    assert before[:3] == [1, "PDFStreamFilterZCompress", "function"]
    assert before[4] is True  # reportlab's own settings, and the collector on
    for step, state in seen.items():
        assert state == before, step
    # While it was drawn, timelines' settings were in force: binary, not ASCII85, streams.
    pdf = (tmp_path / "child.pdf").read_bytes()
    assert b"/ASCII85Decode" not in pdf and b"/FlateDecode" in pdf


def test_documents_built_in_threads_at_once_are_the_same_as_alone(samples, today):
    """The settings are held while any document is being built, and given back after the
    last one: a thread finishing first never takes them from another still drawing."""
    from reportlab import rl_config

    from timelines.load.inputs import load_inputs
    from timelines.pipeline.child import render_child
    from timelines.prepare.template import load_template

    record = load_inputs(samples / "child", today=today).records()[0]
    theme, options = load_template(), RenderOptions(as_of=today, prepared_on=today)
    alone = render_child(record, theme, options, today).pdf
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads switch all the time: races show every run
    try:
        with ThreadPoolExecutor(4) as pool:
            drawn = pool.map(lambda _: render_child(record, theme, options, today), range(24))
            pdfs = [done.pdf for done in drawn]
    finally:
        sys.setswitchinterval(interval)
    assert all(pdf == alone for pdf in pdfs)
    assert rl_config.useA85 == 1


def test_each_thread_embeds_images_through_a_reader_of_its_own():
    """reportlab rewinds and reads an image's reader for every document: two threads
    sharing one mixed their images up (a shadow came out as another picture)."""
    import threading

    from timelines.pdf.painter import image
    from timelines.resources import shadows_dir

    path = str(next(shadows_dir().glob("*.png")))
    readers = []
    threads = [threading.Thread(target=lambda: readers.append(image(path))) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert readers[0] is not readers[1]
    assert image(path) is image(path)  # one per thread, kept for the whole run


def test_a_drawing_leaves_almost_no_garbage_in_cycles(samples, today):
    """A page leaves next to nothing in reference cycles (label placement once left 1,600
    objects a page), so no collection has to walk what the next page makes."""
    import gc

    from timelines.load.inputs import load_inputs
    from timelines.pipeline.child import render_child
    from timelines.prepare.template import load_template

    record = load_inputs(samples / "dense", today=today).records()[0]
    theme, options = load_template(), RenderOptions(as_of=today, prepared_on=today)
    was_on = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        render_child(record, theme, options, today)
        left = gc.collect()
    finally:
        if was_on:
            gc.enable()
    assert left < 50
