"""England's Children in Need (CIN) census XML → chronology events.

Each ``<Child>`` has ``<ChildIdentifiers>`` (``LAchildID``, ``PersonBirthDate``)
and one ``<CINdetails>`` per episode of need, holding the referral, assessments,
CIN plans, section 47 enquiries, child protection conferences and plans. Each
date becomes an ``Event`` with a plain label and the codes explained in its
detail.

The file is parsed with expat through ElementTree's ``TreeBuilder``: a file
with a ``<!DOCTYPE`` (and so any ``<!ENTITY``) is refused, so entities are
never expanded and nothing outside the file is ever fetched.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import NoReturn
from xml.parsers import expat

from timelines.load.files import InputPath, as_input
from timelines.load.ssda903.codes import CATEGORY_OF_NEED
from timelines.model.counts import RowCount
from timelines.model.dates import DateError, FuzzyDate, parse_exact_date
from timelines.model.problems import Problem, error, warning
from timelines.model.records import Child, Dataset, Event, Origin, child_key

SOURCE = "CIN census"
_COUNTED = ("read", "records", "merged", "errors", "left_out")

REFERRAL_SOURCES: dict[str, str] = {
    "1A": "family member, relative or carer",
    "1B": "acquaintance",
    "1C": "self",
    "1D": "other individual",
    "2A": "school",
    "2B": "other education services",
    "3A": "GP",
    "3B": "health visitor",
    "3C": "school nurse",
    "3D": "other primary health services",
    "3E": "A&E",
    "3F": "other health services",
    "4": "housing",
    "5A": "local authority social care",
    "5B": "other internal local authority department",
    "5C": "external local authority",
    "5D": "early help",
    "6": "police",
    "7": "other legal agency",
    "8": "other",
    "9": "anonymous",
    "10": "unknown",
}

# The DfE's category of need (N1-N8, as in the SSDA903 return), with the CIN census's
# two codes besides.
PRIMARY_NEED: dict[str, str] = {
    "N0": "not stated",
    **CATEGORY_OF_NEED,
    "N9": "cases other than children in need",
}

CLOSURE_REASONS: dict[str, str] = {
    "RC1": "adopted",
    "RC2": "died",
    "RC3": "child arrangements order",
    "RC4": "special guardianship order",
    "RC5": "transferred to another local authority",
    "RC6": "transferred to adult social care",
    "RC7": "services ceased for any other reason, including no longer in need",
    "RC8": "closed after assessment, no further action",
    "RC9": "closed after assessment, referred to early help",
}

ABUSE_CATEGORIES: dict[str, str] = {
    "NEG": "neglect",
    "PHY": "physical abuse",
    "EMO": "emotional abuse",
    "SAB": "sexual abuse",
    "MUL": "multiple",
}


@dataclass(frozen=True)
class DateField:
    """One dated element: where it sits under ``<CINdetails>``, its label and category."""

    path: str
    label: str
    category: str
    key: bool = False


# Paths are relative to <CINdetails>; '/' separates nested elements.
DATE_FIELDS: tuple[DateField, ...] = (
    DateField("CINreferralDate", "Referral to children's social care", "referral", True),
    DateField("Assessments/AssessmentActualStartDate", "Assessment started", "referral"),
    DateField("Assessments/AssessmentAuthorisationDate", "Assessment completed", "decision"),
    DateField("CINPlanDates/CINPlanStartDate", "CIN plan started", "decision"),
    DateField("CINPlanDates/CINPlanEndDate", "CIN plan ended", "decision"),
    DateField("Section47/S47ActualStartDate", "Section 47 enquiry started", "child_protection"),
    DateField(
        "Section47/DateOfInitialCPC", "Initial child protection conference", "child_protection"
    ),
    DateField("DateOfInitialCPC", "Initial child protection conference", "child_protection"),
    DateField(
        "ChildProtectionPlans/CPPstartDate",
        "Child protection plan started",
        "child_protection",
        True,
    ),
    DateField(
        "ChildProtectionPlans/Reviews/CPPreviewDate", "Child protection review", "child_protection"
    ),
    DateField(
        "ChildProtectionPlans/CPPendDate", "Child protection plan ended", "child_protection", True
    ),
    DateField("PreProceedingsandFGDM/PPStartDate", "Pre-proceedings started", "decision"),
    DateField("PreProceedingsandFGDM/LBPSentDate", "Letter before proceedings sent", "decision"),
    DateField("PreProceedingsandFGDM/InitialPPMeetingDate", "Pre-proceedings meeting", "decision"),
    DateField("PreProceedingsandFGDM/CourtAppDate", "Court application made", "court"),
    DateField("CINclosureDate", "Case closed", "other"),
)


def load_cin(
    path: InputPath,
    *,
    today: date | None = None,
    child_id: str | None = None,
    only: Iterable[str] | None = None,
) -> Dataset:
    """Read a CIN census XML file into children (with dates of birth) and events.

    ``child_id`` keeps one child (an error if it is not in the file); ``only``
    keeps the children it names (used to add CIN events to other data; a
    warning if none of them is in the file). Problems (unreadable dates,
    children without an id, dates in the future) name the file, the element
    path (as the column) and the line (as the row).
    """
    path = as_input(path)
    today = today or date.today()
    try:
        root, lines = _parse(path)
    except _Refused as exc:
        return _unread(path.name, error(str(exc), path.name, exc.line))
    if root.tag == "EXPSSDA903":
        message = (
            "this is an SSDA903 XML return, not a CIN census; export the 903 tables as CSV"
            " (episodes.csv, header.csv, ...) and load those"
        )
        return _unread(path.name, error(message, path.name))
    if root.tag != "Message" and root.find(".//Child") is None:
        return _unread(path.name, error("not a CIN census file (no <Child> elements)", path.name))
    reader = _Reader(path.name, lines, today)
    wanted = {child_key(child_id)} if child_id else set(only) if only is not None else None
    for child in root.iter("Child"):
        reader.child(child, wanted)
    if child_id and child_key(child_id) not in reader.children:
        reader.problems.append(error(f"no child with LAchildID '{child_key(child_id)}'", path.name))
    elif only is not None and not reader.children:
        listed = ", ".join(sorted(wanted or ())[:5]) or "none"
        reader.problems.append(
            warning(f"none of the children in the main data ({listed}) is in this file", path.name)
        )
    return Dataset(
        children=tuple(reader.children.values()),
        events=tuple(reader.events),
        problems=tuple(sorted(reader.problems, key=lambda p: p.row or 0)),
        counts=(RowCount.of(path.name, reader.tally, "<Child> element"),),
    )


def _unread(file: str, problem: Problem) -> Dataset:
    return Dataset(problems=(problem,), counts=(RowCount(file, unread=True),))


# --- parsing -------------------------------------------------------------------------------


class _Refused(Exception):
    """The file cannot be read safely or is not XML."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


def _local(tag: str) -> str:
    """Element name without a namespace: '{urn:x}Child' or 'x:Child' -> 'Child'."""
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1]


def _parse(path: InputPath) -> tuple[ET.Element, dict[int, int]]:
    """Parse with expat, refusing any DTD; return the root and each element's line."""
    if not path.is_file():
        raise _Refused("file not found")
    builder = ET.TreeBuilder()
    lines: dict[int, int] = {}
    parser = expat.ParserCreate()

    def start(tag: str, attrs: dict[str, str]) -> None:
        element = builder.start(_local(tag), attrs)
        lines[id(element)] = parser.CurrentLineNumber

    def refuse(*_args: object) -> NoReturn:
        raise _Refused(
            "the XML has a <!DOCTYPE> or <!ENTITY> declaration, which is refused for safety;"
            " remove it (CIN census files do not need one)",
            parser.CurrentLineNumber,
        )

    parser.StartElementHandler = start
    parser.EndElementHandler = lambda tag: builder.end(_local(tag))
    parser.CharacterDataHandler = builder.data
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        with path.open("rb") as stream:
            parser.ParseFile(stream)
    except expat.ExpatError as exc:
        raise _Refused(
            f"not well-formed XML ({expat.errors.messages[exc.code]})", exc.lineno
        ) from None
    root = builder.close()
    return root, lines


# --- reading -------------------------------------------------------------------------------


@dataclass
class _Reader:
    file: str
    lines: dict[int, int]
    today: date
    children: dict[str, Child] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    tally: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_COUNTED, 0))

    def child(self, element: ET.Element, wanted: set[str] | None) -> None:
        """Read one ``<Child>``, counting it: used, merged (listed again), with errors, or
        left out (not a child asked for)."""
        self.tally["read"] += 1
        first, known = len(self.problems), len(self.children)
        outcome = self._child(element, wanted)
        if any(p.severity == "error" for p in self.problems[first:]):
            outcome = "errors"
        elif outcome == "records" and len(self.children) == known:
            outcome = "merged"
        self.tally[outcome] += 1

    def _child(self, element: ET.Element, wanted: set[str] | None) -> str:
        ids = element.find("ChildIdentifiers")
        child_id = child_key(_text(ids, "LAchildID")) if ids is not None else ""
        if ids is None or not child_id:
            line = self.lines.get(id(element))
            self.problems.append(
                error(
                    "<Child> has no LAchildID; left out",
                    self.file,
                    line,
                    "Child/ChildIdentifiers/LAchildID",
                )
            )
            return "errors"
        if wanted is not None and child_id not in wanted:
            return "left_out"
        born = self._day(ids, "PersonBirthDate", child_id, "Child/ChildIdentifiers")
        self._add_child(child_id, born, element)
        died = self._day(ids, "PersonDeathDate", child_id, "Child/ChildIdentifiers")
        if died:
            self._event(died, "Died", "other", "", child_id, ids.find("PersonDeathDate"))
        for details in element.iter("CINdetails"):
            self._details(details, child_id)
        return "records"

    def _add_child(self, child_id: str, born: date | None, element: ET.Element) -> None:
        origin = Origin(self.file, self.lines.get(id(element)))
        known = self.children.get(child_id)
        if known and known.date_of_birth and born and known.date_of_birth != born:
            self.problems.append(
                warning(
                    f"child {child_id} is listed again with a different date of birth"
                    f" ({born:%d/%m/%Y}); using {known.date_of_birth:%d/%m/%Y} (line"
                    f" {known.origin.row if known.origin else '?'})",
                    self.file,
                    origin.row,
                    "Child/ChildIdentifiers/PersonBirthDate",
                )
            )
        if known is None or (known.date_of_birth is None and born):
            self.children[child_id] = Child(child_id, "", born, "", origin)

    def _details(self, details: ET.Element, child_id: str) -> None:
        seen: set[tuple[date, str]] = set()
        for spec in DATE_FIELDS:
            parent, _, name = spec.path.rpartition("/")
            holders = details.findall(parent) if parent else [details]
            for holder in holders:
                for element in holder.findall(name):
                    where = f"CINdetails/{spec.path}"
                    day = self._date(element, child_id, where)
                    if day is None or (day, spec.label) in seen:
                        continue
                    seen.add((day, spec.label))
                    detail = _detail(spec, details, holder)
                    self._event(day, spec.label, spec.category, detail, child_id, element, spec.key)

    def _day(self, parent: ET.Element | None, name: str, child_id: str, where: str):
        element = parent.find(name) if parent is not None else None
        return self._date(element, child_id, f"{where}/{name}") if element is not None else None

    def _date(self, element: ET.Element, child_id: str, where: str) -> date | None:
        text = (element.text or "").strip()
        line = self.lines.get(id(element))
        if not text:
            return None
        try:
            day = parse_exact_date(text)
        except DateError as exc:
            self.problems.append(
                error(f"child {child_id}: {exc}; not drawn", self.file, line, where)
            )
            return None
        if day > self.today:
            self.problems.append(
                warning(f"child {child_id}: '{text}' is in the future", self.file, line, where)
            )
        return day

    def _event(
        self,
        day: date,
        label: str,
        category: str,
        detail: str,
        child_id: str,
        element: ET.Element | None,
        key: bool = False,
    ) -> None:
        line = self.lines.get(id(element)) if element is not None else None
        self.events.append(
            Event(
                FuzzyDate.exact(day),
                label,
                category,
                detail,
                SOURCE,
                key,
                False,
                child_id,
                Origin(self.file, line),
            )
        )


def _text(parent: ET.Element | None, name: str) -> str:
    if parent is None:
        return ""
    element = parent.find(name)
    return (element.text or "").strip() if element is not None else ""


def _coded(label: str, code: str, codes: dict[str, str]) -> str:
    return f"{label}: {codes.get(code.upper(), 'unknown code')} ({code})" if code else ""


def _detail(spec: DateField, details: ET.Element, holder: ET.Element) -> str:
    """The codes that explain an event, in plain words."""
    name = spec.path.rsplit("/", 1)[-1]
    parts: list[str] = []
    if name == "CINreferralDate":
        parts = [
            _coded("source", _text(details, "ReferralSource"), REFERRAL_SOURCES),
            _coded("primary need", _text(details, "PrimaryNeedCode"), PRIMARY_NEED),
        ]
        if _text(details, "ReferralNFA").lower() in ("true", "1"):
            parts.append("no further action")
    elif name == "CINclosureDate":
        parts = [_coded("reason", _text(details, "ReasonForClosure"), CLOSURE_REASONS)]
    elif name == "AssessmentAuthorisationDate":
        factors = [f.text.strip() for f in holder.iter("AssessmentFactors") if f.text]
        parts = [f"factors identified: {', '.join(factors)}" if factors else ""]
    elif name in ("CPPstartDate", "CPPendDate"):
        tag = "InitialCategoryOfAbuse" if name == "CPPstartDate" else "LatestCategoryOfAbuse"
        parts = [_coded("category", _text(holder, tag), ABUSE_CATEGORIES)]
    return "; ".join(part for part in parts if part)
