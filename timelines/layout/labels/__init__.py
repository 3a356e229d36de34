"""Event label placement: every label clear of every other label and every stem.

Labels are flags: a stem rises from the event's marker on the axis to its label
on some level, and the text starts just beside the stem, pointing right or left.
Two labels on a level never touch, a label never sits over a stem that rises past
it, and a stem never passes through a label below its own. Events on the same
point share one stem with their labels stacked.

Close events fit best as staircases. Flags pointing right are placed from the
right, each just above the stems its text covers (a staircase falling to the
right); flags pointing left are placed from the left (rising to the right). Which
way each flag points is a *pattern* per run of events that could touch: a
mountain (left, then right: the two sides never clash), a valley (right, then
left, which the page edges force on a run that touches both), or one way
throughout. A few patterns are tried on a grid of bit masks, one per level, so
each test is a handful of integer operations, and each is given up as soon as it
cannot beat the best so far; the pattern that labels every key event, then the
most events, then reaches least high, wins. The best pattern is tried again with
the labels around those left out folded onto two lines, and with labels folded
wherever one line will not fit.

A key event still left out takes the place where it displaces the fewest other
labels (never a key event's: those move, or are cut short), cut short itself,
with its date kept, if that is the only way. The events left without a label get
their number in a lane just under the axis, where close numbers merge into
ranges ('12–17'); the chronology table then follows on the next page. The lane
never runs out of room, so every event is marked. ``place_labels`` with
``complete_only`` looks instead for every label, at the largest size that holds
them all.

The package in four parts: ``grid`` (records, stacks and the grid of bit masks),
``search`` (patterns and ``place_labels``), ``repair`` (key events making room)
and ``lane`` (numbers under the axis).
"""

from timelines.layout.labels.grid import LabelArea, LabelRequest, Measure, PlacedLabel, line_height
from timelines.layout.labels.lane import NUMBER_GAP, NumberMark, number_lane
from timelines.layout.labels.search import LabelPlan, place_labels

__all__ = [
    "NUMBER_GAP",
    "LabelArea",
    "LabelPlan",
    "LabelRequest",
    "Measure",
    "NumberMark",
    "PlacedLabel",
    "line_height",
    "number_lane",
    "place_labels",
]
