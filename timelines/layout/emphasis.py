"""Which events are steps (labelled first, bold, over the axis) and which are routine.

Steps are the decisions of a child's journey. Until the milestones of
``analyse/milestones.py`` are drawn, the decision categories stand for them: the
one place to change that is ``is_step``.
"""

from __future__ import annotations

from timelines.model.records import Event
from timelines.model.vocab import DECISION_CATEGORIES

# Categories labelled under the axis, near the placement band: the child's everyday
# life. Steps and the professional system's events (referrals, child protection,
# reviews) go over it.
BELOW = frozenset({"placement", "contact", "health", "education", "family", "birth", "other"})


def is_step(event: Event) -> bool:
    """A decision or milestone: never cut short or left as a number while another label
    could give way."""
    return event.category in DECISION_CATEGORIES


def above(event: Event) -> bool:
    """True when the event's label goes over the axis (under it otherwise)."""
    return is_step(event) or event.key or event.category not in BELOW
