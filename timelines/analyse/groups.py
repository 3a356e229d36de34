"""Grouped placement histories: the rows, links and facts for a sibling group or cohort.

Pure functions of ``ChildRecord`` objects (no drawing, no files). One row per
child, ordered by date of birth. Two children are *linked* (they lived
together) for every period in which both had a placement with the same carer
(names compared case-insensitively after trimming; a blank carer never links)
and those placements overlap in time. The link's span is that overlap. Only
``Placement.carer`` counts: a placement code and its meaning
(``Placement.description``, e.g. SSDA903 'U4: foster placement ...') is shared
by unrelated children and never links them.

Each row's *together* spans say with whom the child lived, and when: the
links cut into stretches with the same brothers and sisters (who may move
together from one carer to the next).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from timelines.analyse.facts import Gap, count_moves, event_gaps
from timelines.model.dates import age_in_years
from timelines.model.problems import TimelinesError
from timelines.model.records import ChildRecord, Dataset, Event, Placement
from timelines.model.vocab import DECISION_CATEGORIES
from timelines.prepare.redact import Shared

ALL_CHILDREN = "all children"


@dataclass(frozen=True)
class SiblingRow:
    """One child's row: who, when born, where they lived, decisions and long waits."""

    child_id: str
    name: str
    short: str  # for 'with Zoë, Aoife': the first name, initials when redacted, or the id
    born: date | None
    caption: str  # under the name: 'Born 03/05/2012', or 'Age 9' when redacted
    placements: tuple[Placement, ...]
    moves: int
    decisions: tuple[Event, ...]
    gaps: tuple[Gap, ...]  # waits between events longer than the threshold
    mark_birth: bool = True  # False: ``born`` (a month) only aligns the age axis, never drawn


@dataclass(frozen=True)
class Link:
    """Two rows (by index, ``upper`` < ``lower``) whose children lived together."""

    upper: int
    lower: int
    start: date
    end: date
    carer: str


@dataclass(frozen=True)
class Together:
    """A stretch of one child's row spent with the children of rows ``others``."""

    start: date
    end: date
    others: tuple[int, ...]


@dataclass(frozen=True)
class Group:
    """Everything the siblings page draws."""

    name: str
    rows: tuple[SiblingRow, ...]
    links: tuple[Link, ...]
    start: date
    end: date  # the as-of day
    together: tuple[tuple[Together, ...], ...] = ()  # per row: with whom, when


def sibling_groups(dataset: Dataset) -> dict[str, list[str]]:
    """Group name → child ids (children file order); children without a group are left out."""
    groups: dict[str, list[str]] = {}
    for child in dataset.children:
        if child.sibling_group:
            groups.setdefault(child.sibling_group, []).append(child.child_id)
    return groups


def select_records(dataset: Dataset, group: str | None) -> list[ChildRecord]:
    """The records of one sibling group, or of every child when ``group`` is None."""
    records = dataset.records()
    if group is None:
        return records
    groups = sibling_groups(dataset)
    if group not in groups:
        known = ", ".join(groups) if groups else "none: the children file has no sibling_group"
        raise TimelinesError(f"no sibling group '{group}' in the input (groups: {known})")
    wanted = set(groups[group])
    return [r for r in records if r.child_id in wanted]


def carer_key(placement: Placement) -> str:
    """The carer's name compared: trimmed, spaces collapsed, any case ('' links nothing)."""
    return " ".join(placement.carer.split()).casefold()


def together_links(records: list[ChildRecord], as_of: date) -> tuple[Link, ...]:
    """Every period two children spent with the same carer at the same time."""
    by_carer: dict[str, list[tuple[int, Placement]]] = {}
    for index, record in enumerate(records):
        for placement in record.placements:
            if key := carer_key(placement):
                by_carer.setdefault(key, []).append((index, placement))
    links: list[Link] = []
    for stays in by_carer.values():
        for n, (i, a) in enumerate(stays):
            for j, b in stays[n + 1 :]:
                start = max(a.start, b.start)
                end = min(a.end_or(as_of), b.end_or(as_of), as_of)
                if i != j and end > start:  # not a child's own overlapping placements
                    carer = (a if i < j else b).carer.strip()
                    links.append(Link(min(i, j), max(i, j), start, end, carer))
    return tuple(sorted(links, key=lambda k: (k.start, k.upper, k.lower, k.end, k.carer)))


def together_spans(links: tuple[Link, ...], count: int) -> tuple[tuple[Together, ...], ...]:
    """For each of ``count`` rows, the stretches it shared, cut where the company changes."""
    mine: list[list[Link]] = [[] for _ in range(count)]
    for link in links:
        mine[link.upper].append(link)
        mine[link.lower].append(link)
    return tuple(_stretches(row, shared) for row, shared in enumerate(mine))


def _stretches(row: int, links: list[Link]) -> tuple[Together, ...]:
    """Cut at every link's start and end; join neighbours with the same company."""
    cuts = sorted({day for k in links for day in (k.start, k.end)})
    pieces: list[Together] = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        inside = [k for k in links if k.start <= start and end <= k.end]
        if not inside:
            continue
        others = tuple(sorted({k.lower if k.upper == row else k.upper for k in inside}))
        if pieces and pieces[-1].end == start and pieces[-1].others == others:
            pieces[-1] = Together(pieces[-1].start, end, others)
        else:
            pieces.append(Together(start, end, others))
    return tuple(pieces)


AXIS_PADDING_DAYS = 61  # the axis starts this long before the first event, so it shows


def _by_birth(records: list[ChildRecord]) -> list[ChildRecord]:
    indexed = list(enumerate(records))
    indexed.sort(key=lambda p: (p[1].child.date_of_birth is None, p[1].child.date_of_birth, p[0]))
    return [r for _, r in indexed]


def _first_day(record: ChildRecord) -> date | None:
    """The first event or placement: the axis shows the time in care, not whole lives."""
    days = [e.when.start for e in record.events] + [p.start for p in record.placements]
    return min(days, default=record.child.date_of_birth)


def build_row(
    record: ChildRecord, as_of: date, threshold_days: int, shared: Shared | None = None
) -> SiblingRow:
    """One child's row; ``shared`` when redacted (initials, and age instead of date of birth)."""
    born = record.child.date_of_birth
    name = record.child.name or record.child_id
    short = name.split()[0] if record.child.name.strip() else record.child_id
    mark_birth = True
    if shared is not None and shared.redacted:
        caption = f"Age {age_in_years(born, as_of)}" if born else "Age not known"
        shown = shared.record
        name = shown.child.name if record.child.name else shown.child_id
        short = name
        born, mark_birth = shared.birth, False
    else:
        caption = f"Born {born:%d/%m/%Y}" if born else "Date of birth not known"
        shown = record
    decisions = tuple(e for e in shown.events if e.category in DECISION_CATEGORIES)
    gaps = tuple(g for g in event_gaps(shown.events) if g.days >= threshold_days)
    return SiblingRow(
        record.child_id,
        name,
        short,
        born,
        caption,
        shown.placements,
        count_moves(shown.placements),
        decisions,
        gaps,
        mark_birth,
    )


def build_group(
    records: list[ChildRecord],
    name: str,
    as_of: date,
    threshold_days: int,
    shared: dict[str, Shared] | None = None,
) -> Group:
    """Rows ordered by date of birth, the together-links between them, each row's
    together spans, and the date span; ``shared``: each child's redacted form, by id."""
    ordered = _by_birth(records)
    shared = shared or {}
    rows = tuple(build_row(r, as_of, threshold_days, shared.get(r.child_id)) for r in ordered)
    firsts = [d for d in (_first_day(r) for r in ordered) if d is not None]
    start = min(firsts, default=as_of) - timedelta(days=AXIS_PADDING_DAYS)
    if start >= as_of:
        start = date.fromordinal(as_of.toordinal() - 365)
    links = together_links(ordered, as_of)
    return Group(name, rows, links, start, as_of, together_spans(links, len(rows)))
