"""Label placement on its own: clear of each other and of every stem, and as many as fit."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from timelines.layout.labels import (
    LabelArea,
    LabelPlan,
    LabelRequest,
    line_height,
    place_labels,
)

AREA = LabelArea(40.0, 640.0, 200.0, 520.0)
CLEARANCE = 1.0  # what the checks below demand; the placer keeps about 1.5 pt


def measure(text: str, size: float) -> float:
    return len(text) * size * 0.5


def requests(xs: list[float], width: int = 24, keys: set[int] | None = None) -> list[LabelRequest]:
    keys = keys or set()
    return [LabelRequest(i, x, f"{i:03d} " + "x" * width, i in keys) for i, x in enumerate(xs)]


def clashes(plan: LabelPlan, area: LabelArea) -> list[str]:
    """Every broken rule, checked from the boxes alone (not with the placer's own grid)."""
    found = []
    tops: dict[float, float] = {}
    for label in plan.labels:
        tops[label.x] = max(tops.get(label.x, area.y0), label.box.top)
        box = label.box
        if box.x < area.x0 - 0.01 or box.right > area.x1 + 0.01 or box.top > area.y1 + 0.01:
            found.append(f"{label.text} leaves the area")
    labels = sorted(plan.labels, key=lambda lb: lb.box.x)
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            if b.box.x >= a.box.right + CLEARANCE:
                break
            if a.box.overlaps(b.box, CLEARANCE):
                found.append(f"{a.text} touches {b.text}")
    for label in plan.labels:
        box = label.box
        for x, top in tops.items():
            inside = box.x - CLEARANCE < x < box.right + CLEARANCE
            if x != label.x and inside and top > box.y:
                found.append(f"the stem at {x:.1f} crosses {label.text}")
    return found


def test_a_crowded_run_is_a_clean_staircase_with_every_label():
    xs = [100 + 6 * i for i in range(20)]
    plan = place_labels(requests(xs), AREA, [7.5], measure)
    assert plan.complete and clashes(plan, AREA) == []
    assert len({label.level for label in plan.labels}) == 20  # one level each: a staircase


def test_a_run_touching_both_edges_turns_at_its_widest_gap():
    """Flags at the left edge must point right and at the right edge left: the valley
    between them goes where the events are furthest apart, and nothing is lost."""
    xs = [45 + 14 * i for i in range(12)] + [470 + 14 * i for i in range(12)]
    plan = place_labels(requests(xs, width=40), AREA, [7.5], measure)
    assert plan.complete, plan.numbered
    sides = {label.index: label.side for label in plan.labels}
    assert sides[0] == "right" and sides[23] == "left"
    assert clashes(plan, AREA) == []


def test_when_not_all_fit_key_events_keep_their_labels_and_the_rest_are_numbered():
    xs = [100 + 2 * i for i in range(90)]
    keys = {5, 44, 88}
    plan = place_labels(requests(xs, keys=keys), AREA, [7.5, 6.5], measure)
    assert not plan.complete and plan.size == 6.5
    assert keys <= plan.labelled
    assert plan.labelled | set(plan.numbered) == set(range(90))
    assert not plan.labelled & set(plan.numbered)
    assert clashes(plan, AREA) == []


def test_events_on_one_day_share_a_stem_with_stacked_labels():
    plan = place_labels(requests([300.0] * 6), AREA, [7.5], measure)
    assert plan.complete
    assert {label.x for label in plan.labels} == {300.0}
    levels = sorted(label.level for label in plan.labels)
    assert levels == list(range(levels[0], levels[0] + 6))


def test_the_sample_childs_story_to_june_2025_keeps_most_labels():
    """The sample child drawn to 01/06/2025 runs from edge to edge: it used to lose 28 of
    its 42 labels to numbers; the valley search keeps all but a handful."""
    from conftest import SAMPLES

    from timelines.load.inputs import load_inputs
    from timelines.model.options import RenderOptions
    from timelines.pipeline.child import layout_child
    from timelines.prepare.template import load_template

    as_of = date(2025, 6, 1)
    record = load_inputs(SAMPLES / "child").records()[0]
    done = layout_child(record, load_template(), RenderOptions(as_of=as_of), as_of)
    keys = {i for i, event in enumerate(record.events) if event.key}
    assert len(done.layout.plan.labels) >= 36
    assert keys <= done.layout.plan.labelled


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(40.0, 640.0), min_size=1, max_size=70),
    st.integers(2, 40),
    st.sets(st.integers(0, 69), max_size=5),
)
def test_no_placement_ever_breaks_the_rules(xs, width, keys):
    plan = place_labels(requests(xs, width, keys), AREA, [7.5, 6.5], measure)
    assert clashes(plan, AREA) == []
    assert plan.labelled | set(plan.numbered) == set(range(len(xs)))
    assert all(label.level < AREA.levels(label.size) for label in plan.labels)
    assert all(
        abs(label.box.y - (AREA.y0 + label.level * line_height(label.size))) < 1e-6
        for label in plan.labels
    )
