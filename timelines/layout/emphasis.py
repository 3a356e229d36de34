"""Which events are steps (labelled first, bold, over the axis) and which are routine.

Steps are the decisions of a child's journey, as the waits for decisions count them
(``analyse/waits.py``): the events of the template's step categories, and the events a
milestone was found in (a review recommending permanence, say). The pipeline marks
them key (``marked_steps``) before the page is laid out; ``is_step`` stands for them
where no analysis was made (the decision categories).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from timelines.analyse.milestones import Milestone
from timelines.model.records import Event
from timelines.model.vocab import DECISION_CATEGORIES


def marked_steps(
    events: Sequence[Event], categories: Iterable[str], milestones: Sequence[Milestone]
) -> tuple[Event, ...]:
    """The events, with each step the waits count (an event of a step category, or one a
    milestone was found in) marked key: drawn as a step."""
    wanted = frozenset(categories)
    found = {(m.origin, m.when, m.label) for m in milestones if m.origin is not None}
    return tuple(
        replace(event, key=True)
        if not event.key
        and (event.category in wanted or (event.origin, event.when, event.label) in found)
        else event
        for event in events
    )


def is_step(event: Event) -> bool:
    """A decision or milestone: never cut short or left as a number while another label
    could give way."""
    return event.category in DECISION_CATEGORIES


def above(event: Event) -> bool:
    """True when the event's label goes over the axis: steps and key events (measured on
    100 synthetic children, this labels more than putting the professional system's
    reviews and referrals over the axis too: 44 pages with every label against 37)."""
    return is_step(event) or event.key
