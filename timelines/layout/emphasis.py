"""Which events are steps (labelled first, bold, over the axis) and which are routine.

Steps are the decisions of a child's journey. Until the milestones of
``analyse/milestones.py`` are drawn, the decision categories stand for them: the
one place to change that is ``is_step``.
"""

from __future__ import annotations

from timelines.model.records import Event
from timelines.model.vocab import DECISION_CATEGORIES


def is_step(event: Event) -> bool:
    """A decision or milestone: never cut short or left as a number while another label
    could give way."""
    return event.category in DECISION_CATEGORIES


def above(event: Event) -> bool:
    """True when the event's label goes over the axis: steps and key events (measured on
    100 synthetic children, this labels more than putting the professional system's
    reviews and referrals over the axis too: 44 pages with every label against 37)."""
    return is_step(event) or event.key
