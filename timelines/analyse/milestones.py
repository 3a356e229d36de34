"""PACE milestones: the steps of a child's journey to permanence, found in the record.

Sources, in this order (a milestone found by an earlier source on a day hides the same
milestone found by a later one on that day; a code given anywhere in the ``milestone``
column is taken from the column alone):

1. the chronology's optional ``milestone`` column (``MILESTONE_CODES``, or a template's own);
2. SSDA903 events: legal status ``C1`` (care proceedings issued: court application),
   ``C2``, ``D1``, ``E1`` (care, freeing or placement order: the court's final order),
   leaving care (``REC``: left care; adopted ``E11``/``E12``, child arrangements
   ``E41``, special guardianship ``E43``-``E48`` and returned home as planned ``E4A``
   are also legal permanence; ``E2`` is a death), the decision that the child should
   be placed for adoption (agency decision maker);
3. placements: starting to be looked after at home (type ``home``), being accommodated
   (a placement away from home after none or after home), moving in with prospective
   adopters (type ``adoptive``, SSDA903 ``A3``-``A6``);
4. words, for other events (``WORD_RULES``): a review whose label says "recommends"
   or "permanence", a panel (not a matching panel), a decision by the agency decision
   maker, a court application or petition lodged, an order granted (not interim:
   legal permanence, and the court's final order),
   a hearing that makes a CSO or says "looked after at home", "accommodated",
   "left care", "died".

Pure functions of a ``ChildRecord``; nothing here reads or draws.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from timelines.model.dates import FuzzyDate
from timelines.model.records import ChildRecord, Event, Origin
from timelines.model.vocab import normalise_code

MILESTONE_CODES: tuple[str, ...] = (
    "looked_after_home",
    "accommodated",
    "permanence_recommendation",
    "panel",
    "adm_decision",
    "court_application",
    "permanence_achieved",
    "left_care",
)
# Found as well, outside the PACE list: moving in with the adoptive family (England's
# adoption scorecard counts to it) and a death (the story ends).
ADOPTIVE_PLACEMENT = "adoptive_placement"
DIED = "died"
COURT_ORDER = "court_order"  # the court's final order: what a court application waits for

MILESTONE_NAMES: dict[str, str] = {
    "looked_after_home": "looked after at home",
    "accommodated": "accommodated",
    "permanence_recommendation": "permanence recommendation",
    "panel": "permanence panel",
    "adm_decision": "agency decision maker's decision",
    "court_application": "court application lodged",
    "permanence_achieved": "legal permanence achieved",
    "left_care": "left care",
    ADOPTIVE_PLACEMENT: "moved in with the adoptive family",
    COURT_ORDER: "final court order",
    DIED: "died",
}

SSDA903 = "SSDA903"
_AWAY_903 = {"C1": "court_application", "C2": COURT_ORDER, "D1": COURT_ORDER, "E1": COURT_ORDER}
_PERMANENCE_REC = frozenset({"E11", "E12", "E41", "E43", "E44", "E45", "E46", "E47", "E48", "E4A"})
_CODE_IN_LABEL = re.compile(r"\(([A-Z0-9]{1,4})\)\s*$")
_ADOPTIVE_CODES = frozenset({"A3", "A4", "A5", "A6"})


@dataclass(frozen=True, slots=True)
class Milestone:
    """One step of the journey reached on a day, and how it was recognised."""

    code: str  # one of MILESTONE_CODES (templates may add more)
    when: FuzzyDate
    label: str  # the event's label, or a description for those derived from placements
    how: str  # plain words: "milestone column", "SSDA903 legal status C1", ...
    origin: Origin | None  # file and row it came from

    @property
    def name(self) -> str:
        """The milestone in plain words ('permanence recommendation')."""
        return milestone_name(self.code)


def milestone_name(code: str) -> str:
    return MILESTONE_NAMES.get(code, code.replace("_", " "))


@dataclass(frozen=True, slots=True)
class WordRule:
    """An event of ``category`` whose label matches ``words`` (and not ``unless``)."""

    code: str
    categories: frozenset[str]  # empty: any category
    words: re.Pattern[str]
    unless: re.Pattern[str] | None
    how: str


def _rule(code: str, categories: str, words: str, unless: str | None, how: str) -> WordRule:
    cats = frozenset(categories.split())
    flags = re.IGNORECASE
    but = re.compile(unless, flags) if unless else None
    return WordRule(code, cats, re.compile(words, flags), but, how)


WORD_RULES: tuple[WordRule, ...] = (
    _rule(
        "permanence_recommendation",
        "review",
        r"recommend|permanence",
        None,
        "review whose label says 'recommends' or 'permanence'",
    ),
    _rule("panel", "panel", r".", r"match", "panel (not a matching panel)"),
    _rule(
        "adm_decision",
        "decision",
        r"\bADM\b|agency decision|decision maker",
        None,
        "decision whose label names the agency decision maker",
    ),
    _rule(
        "court_application",
        "court",
        r"application|applied|petition|lodged",
        None,
        "court event whose label says 'application', 'petition' or 'lodged'",
    ),
    _rule(
        "permanence_achieved",
        "order",
        r"granted|\bmade\b",
        r"interim|\bCSO\b|supervision|protection|assessment|emergency",
        "order whose label says 'granted' or 'made' (not interim, protection or a CSO)",
    ),
    _rule(
        "looked_after_home",
        "hearing",
        r"\bCSO (?:made|granted)|supervision order (?:made|granted)|looked after at home",
        None,
        "hearing whose label says 'CSO made' or 'looked after at home'",
    ),
    _rule(
        "looked_after_home",
        "",
        r"looked after at home",
        None,
        "label says 'looked after at home'",
    ),
    _rule(
        "accommodated",
        "placement family other child_protection referral",
        r"\baccommodated\b",
        r"\bnot accommodated|remain",
        "placement or other event whose label says 'accommodated'",
    ),
    _rule("left_care", "", r"\bleft care\b|\bleaves care\b", None, "label says 'left care'"),
    _rule(DIED, "", r"\bdied\b|\bdeath of the child\b", None, "label says 'died'"),
)


def find_milestones(record: ChildRecord) -> tuple[Milestone, ...]:
    """Every milestone in the record, sorted by date (every occurrence, no duplicates)."""
    given = [m for e in record.events if (m := _from_column(e))]
    column_codes = {m.code for m in given}
    inferred = [*_from_903(record), *_from_placements(record), *_from_words(record)]
    found: dict[tuple[str, object], Milestone] = {}
    for milestone in [*given, *(m for m in inferred if m.code not in column_codes)]:
        found.setdefault((milestone.code, milestone.when.middle), milestone)
    return tuple(sorted(found.values(), key=_order))


def first_milestone(milestones: Sequence[Milestone], code: str) -> Milestone | None:
    """The earliest milestone of ``code``, or None."""
    return min((m for m in milestones if m.code == code), key=_order, default=None)


def _order(milestone: Milestone) -> tuple:
    rank = MILESTONE_CODES.index(milestone.code) if milestone.code in MILESTONE_CODES else 99
    return (milestone.when.middle, rank, milestone.code)


def _from_column(event: Event) -> Milestone | None:
    code = normalise_code(event.milestone) if event.milestone else ""
    if not code:
        return None
    return Milestone(code, event.when, event.label, "milestone column", event.origin)


def _from_903(record: ChildRecord) -> list[Milestone]:
    found = []
    for event in record.events:
        if event.source != SSDA903 or event.milestone:
            continue
        match = _CODE_IN_LABEL.search(event.label)
        code = match[1] if match else ""
        if event.label.startswith("Legal status:") and code in _AWAY_903:
            how = f"SSDA903 legal status {code}" + (
                ": care proceedings issued by then" if code == "C1" else ""
            )
            found.append(Milestone(_AWAY_903[code], event.when, event.label, how, event.origin))
        elif event.label.startswith("Left care:") and code:
            how = f"SSDA903 reason episode ceased {code}"
            found.append(Milestone("left_care", event.when, event.label, how, event.origin))
            if code in _PERMANENCE_REC:
                for achieved in ("permanence_achieved", COURT_ORDER):
                    found.append(Milestone(achieved, event.when, event.label, how, event.origin))
            if code == "E2":
                found.append(Milestone(DIED, event.when, event.label, how, event.origin))
        elif event.label == "Decision: should be placed for adoption":
            how = "SSDA903 date of the decision to place for adoption"
            found.append(Milestone("adm_decision", event.when, event.label, how, event.origin))
    return found


def _from_placements(record: ChildRecord) -> list[Milestone]:
    """Looked after at home, accommodated and adoptive placements, from the placements."""
    found: list[Milestone] = []
    previous_end, previous_type = None, ""
    for p in record.placements:
        continuing = previous_end is not None and p.start <= previous_end
        when = FuzzyDate.exact(p.start)
        what = p.description or p.placement_type
        if p.placement_type == "home" and not continuing:
            how = "placements: looked after at home (CSO)"
            label = f"Looked after at home: {what}"
            found.append(Milestone("looked_after_home", when, label, how, p.origin))
        elif p.placement_type != "home" and (not continuing or previous_type == "home"):
            how = "placements: first placement away from home"
            found.append(Milestone("accommodated", when, f"Accommodated: {what}", how, p.origin))
        if p.placement_type == "adoptive" or p.code in _ADOPTIVE_CODES:
            how = "placements: placed with prospective adopters"
            label = f"Placed with prospective adopters: {what}"
            found.append(Milestone(ADOPTIVE_PLACEMENT, when, label, how, p.origin))
        end = p.end or date.max
        previous_end = end if previous_end is None or not continuing else max(previous_end, end)
        previous_type = p.placement_type
    return found


def _rules_for(category: str) -> tuple[WordRule, ...]:
    rules = tuple(r for r in WORD_RULES if not r.categories or category in r.categories)
    return _ANY_CATEGORY if rules == _ANY_CATEGORY else rules


_RULES_BY_CATEGORY: dict[str, tuple[WordRule, ...]] = {}
_ANY_CATEGORY = tuple(r for r in WORD_RULES if not r.categories)
# Words a rule for any category looks for: an event of another category without them is
# passed over with one search.
_ANY_WORDS = re.compile("|".join(r.words.pattern for r in _ANY_CATEGORY), re.IGNORECASE)


def _from_words(record: ChildRecord) -> list[Milestone]:
    found = []
    for event in record.events:
        if event.source == SSDA903 or event.milestone:
            continue
        rules = _RULES_BY_CATEGORY.get(event.category)
        if rules is None:
            rules = _RULES_BY_CATEGORY.setdefault(event.category, _rules_for(event.category))
        if rules is _ANY_CATEGORY and not _ANY_WORDS.search(event.label):
            continue
        for rule in rules:
            if rule.words.search(event.label) and not (
                rule.unless and rule.unless.search(event.label)
            ):
                found.append(Milestone(rule.code, event.when, event.label, rule.how, event.origin))
                if rule.code == "permanence_achieved":
                    found.append(
                        Milestone(COURT_ORDER, event.when, event.label, rule.how, event.origin)
                    )
                break
    return found


def milestone_notes(record: ChildRecord, name_child: bool = False) -> list[str]:
    """Which row was taken as which milestone, and why: 'chronology.csv, row 17 taken as:
    permanence recommendation (review whose label says ...)'."""
    notes = []
    who = f"child {record.child_id}: " if name_child else ""
    for milestone in find_milestones(record):
        origin = milestone.origin
        where = origin.file if origin else "the data"
        if origin and origin.row is not None:
            where += f", row {origin.row}"
        notes.append(f"{who}{where} taken as: {milestone.name} ({milestone.how})")
    return notes
