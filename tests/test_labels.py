"""Label placement on its own: clear of each other and of every stem, and as many as fit."""

from __future__ import annotations

from datetime import date
from functools import cache
from unittest.mock import patch

from hypothesis import example, given, settings
from hypothesis import strategies as st

from timelines.layout.labels import (
    NUMBER_GAP,
    LabelArea,
    LabelPlan,
    LabelRequest,
    line_height,
    number_lane,
    place_labels,
    search,
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


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.floats(200.0, 440.0), min_size=10, max_size=60),  # crowded: keys cut short
    st.integers(10, 40),
    st.sets(st.integers(0, 9), min_size=2, max_size=6),
    st.lists(st.floats(20.0, 120.0), min_size=2, max_size=4),
)
def test_measures_shared_between_trials_change_no_plan(xs, width, keys, heights):
    """The planner keeps a run's measures for trials at other heights (and key events
    cut short in one trial must not leak into the next): each plan is the one made
    afresh, with or without repair."""
    reqs = requests(xs, width, keys)
    shared: dict = {}
    widths = cache(measure)  # one measure throughout, as the page's planner keeps
    for height in heights:
        for repair in (True, False):
            area = LabelArea(40.0, 640.0, 200.0, 200.0 + height)
            alone = place_labels(reqs, area, [6.5], measure, repair=repair)
            kept = place_labels(reqs, area, [6.5], widths, repair=repair, shared=shared)
            assert kept == alone


# A side's stems (x), the label width, its key events, the events moved away, the height.
A_FEW_MOVED = (
    st.lists(st.floats(200.0, 440.0), min_size=8, max_size=50),
    st.integers(10, 40),
    st.sets(st.integers(0, 49), min_size=2, max_size=12),
    st.sets(st.integers(0, 49), min_size=1, max_size=3),
    st.floats(20.0, 120.0),
)


@settings(max_examples=80, deadline=None)
@example(  # without ``stood`` the second placement loses key event 1
    [200.0, 272.0, 200.0, 200.0, 202.0, 271.0, 273.0, 273.0], 10, {0, 1}, {0}, 20.0
)
@given(*A_FEW_MOVED)
def test_moving_a_few_events_away_never_costs_the_others_a_key_label(xs, width, keys, gone, height):
    """With ``stood`` kept between trials, placing a side again without a few of its
    events leaves out no more of the remaining key events than the first placement did
    (without it, the search may go another way and lose some)."""
    reqs = requests(xs, width, keys)
    area = LabelArea(40.0, 640.0, 200.0, 200.0 + height)
    stood: dict = {}
    widths = cache(measure)
    first = place_labels(reqs, area, [6.5], widths, repair=False, stood=stood)
    rest = [r for r in reqs if r.index not in gone]
    again = place_labels(rest, area, [6.5], widths, repair=False, stood=stood)
    assert first is not None and again is not None
    remaining_keys = {r.index for r in rest if r.key}
    assert clashes(again, area) == []
    assert len(remaining_keys - again.labelled) <= len(remaining_keys - first.labelled)


def settle_every_stack(run, attempt) -> None:  # type: ignore[no-untyped-def]
    """Settling as first written: every stack, lowest first, drops as far as it can."""
    grid = attempt.grid
    for k, (base, side) in sorted(attempt.placed.items(), key=lambda item: item[1][0]):
        shape = run.shape(side, k)
        grid.remove(shape, base)
        lower = grid.lowest(shape)
        base = base if lower is None else min(lower, base)
        grid.take(shape, base)
        attempt.placed[k] = (base, side)


@settings(max_examples=60, deadline=None)
@example(  # labels drop after key events make room
    [257.0, 292.0, 265.0, 223.0, 213.0, 252.0, 246.0, 221.0], 30, {0, 3, 7}, {4}, 21.0
)
@given(*A_FEW_MOVED)
def test_settling_only_the_stacks_that_may_drop_changes_no_plan(xs, width, keys, gone, height):
    """Labels settle after key events make room and after stacks stand where they stood:
    trying only the stacks that may drop gives the plans trying every stack gives."""
    reqs = requests(xs, width, keys)
    rest = [r for r in reqs if r.index not in gone]
    area = LabelArea(40.0, 640.0, 200.0, 200.0 + height)

    def plans() -> list[LabelPlan | None]:
        stood: dict = {}
        widths = cache(measure)
        return [place_labels(r, area, [6.5], widths, stood=stood) for r in (reqs, rest)]

    quick = plans()
    with patch.object(search, "_settle", settle_every_stack):
        assert plans() == quick


# --- the number lane: merging touching numbers into ranges, in linear time -----------------


def reference_lane(reqs: list[LabelRequest], size: float) -> list[tuple]:
    """The lane as first written: each merge re-sorts the indices it has gathered."""
    marks: list[tuple] = []
    for req in sorted(reqs, key=lambda r: (r.x, r.index)):
        mark = ((req.index,), req.x, req.x)
        while marks:
            (indices, lo, _), width = marks[-1], lane_width(marks[-1][0], size)
            left_centre = (lo + marks[-1][2]) / 2
            right_width = lane_width(mark[0], size)
            if left_centre + width / 2 + NUMBER_GAP <= (mark[1] + mark[2]) / 2 - right_width / 2:
                break
            marks.pop()
            mark = (tuple(sorted(indices + mark[0])), lo, mark[2])
        marks.append(mark)
    return [(m[0], m[1], m[2]) for m in marks]


def lane_width(indices: tuple[int, ...], size: float) -> float:
    first, last = min(indices) + 1, max(indices) + 1
    text = (
        str(first)
        if first == last
        else f"{first},{last}"
        if len(indices) == 2
        else f"{first}–{last}"
    )
    return measure(text, size)


@settings(max_examples=60, derandomize=True, database=None, deadline=None)
@given(st.lists(st.floats(0, 400, allow_nan=False), max_size=60))
def test_number_lane_merges_as_the_simple_way_does(xs):
    reqs = [LabelRequest(i, x, f"E{i}") for i, x in enumerate(xs)]
    lane = number_lane(reqs, -1000, 1000, 7, measure)
    assert [(m.indices, m.x_min, m.x_max) for m in lane] == reference_lane(reqs, 7)
    for mark in lane:
        first, last = mark.indices[0] + 1, mark.indices[-1] + 1
        assert mark.text == (
            str(first)
            if len(mark.indices) == 1
            else f"{first},{last}"
            if len(mark.indices) == 2
            else f"{first}–{last}"
        )


def test_a_crowd_of_numbers_merges_into_one_range():
    """50,000 events on one day: every merge re-sorted all the indices so far (quadratic; a
    100,000-row chronology spent most of its two minutes here)."""
    reqs = [LabelRequest(i, 100.0, "E") for i in range(50_000)]
    (mark,) = number_lane(reqs, 0, 500, 7, measure)
    assert mark.indices == tuple(range(50_000))
    assert mark.text == "1–50000"
