"""Redaction: a copy of a child's record safe to share beyond the professionals.

Works on the model, before layout, so the redacted strings never reach a page,
the PDF metadata or a file name. ``--redact`` shows the child's initials, the
age but never the date of birth, no carer names and no event detail; a
``redact`` event keeps its marker but loses its words, with or without
``--redact``.

Names typed into the chronology's own labels are hidden however they are
written: any case, with or without accents ("Seonaid" for "Seònaid"), with
any apostrophe ("O’Neill", "ONeill"), possessive ("Seònaid's") or plural ("the
Robertsons"). The names hidden are the child's, the carers' and those of the
other children given (brothers and sisters in the same files). The date of
birth is hidden in the common ways of writing a date ("14/8/19", "14th August
2019", "August 14, 2019", "2019-08-14"). As a second net, ``redacting_theme``
adds the names and dates to the template's glossary, which rewrites every word
on the page, and hides names in the template's own words.

What stays: dates of events (the point of a timeline), the child id when it
holds no name (used in the default file name ``timeline-<child id>-redacted.pdf``;
an id that holds a name or the date of birth is replaced by a hash of it), and
``prepared_by`` as the PDF author (a professional's name or role).
"""

from __future__ import annotations

import calendar
import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from functools import cache, lru_cache

from timelines.model.dates import FuzzyDate
from timelines.model.options import RenderOptions
from timelines.model.records import ChildRecord, Event
from timelines.prepare.names import file_stem
from timelines.prepare.template import Theme
from timelines.prepare.words import initials

HIDDEN_EVENT = "Sensitive event (details withheld)"
HIDDEN_DATE = "(date withheld)"
HIDDEN_CARER = "carer"
# Words in names that are not names: kept as they are.
_NOT_NAMES = (
    "mr mrs ms miss mx dr and the foster carer carers kinship gran granny grandmother",
    "grandfather grandad grandpa mum mother dad father aunt uncle unit house home",
    "residential children's childrens adopters prospective maternal paternal",
    "baby unborn child nan nana papa granda auntie sister brother cousin step",
    "family friend friends of with for at in on to by st saint care centre",
)
_TITLES = frozenset(word for line in _NOT_NAMES for word in line.split())
_APOSTROPHES = "'’‘`ʼ´"
_LETTERS = r"(?:[^\W\d_][\u0300-\u036f]*)+"
_WORD = re.compile(rf"{_LETTERS}(?:[{_APOSTROPHES}]{_LETTERS})*")
# Letters that Unicode does not take apart into a base letter and an accent, and
# look-alikes from other scripts (a skeleton map: Cyrillic 'Ѕеоnаіd' reads 'Seonaid').
_BASE_LETTERS = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ı": "i"}
    | dict(zip("авсԁеɡһіјкӏмнорԛѕтуԝхѵъьзэ", "abcdeghijklmhopqstywxvbbzэ", strict=True))
    | dict(zip("αβεηικνορτυχωζɑℓ", "abeniknoptuxwzal", strict=True))
)
_ORDINALS = tuple(
    [
        "first",
        "second",
        "third",
        "fourth",
        "fifth",
        "sixth",
        "seventh",
        "eighth",
        "ninth",
        "tenth",
        "eleventh",
        "twelfth",
        "thirteenth",
        "fourteenth",
        "fifteenth",
        "sixteenth",
        "seventeenth",
        "eighteenth",
        "nineteenth",
        "twentieth",
    ]
)
_CARDINALS = tuple(
    [
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
        "twenty",
    ]
)
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def fold(word: str) -> str:
    """How names are compared: 'Seònaid' → 'seonaid', 'O’Neill' → 'oneill', 'Łukasz' → 'lukasz'."""
    plain = unicodedata.normalize("NFKD", word.casefold())
    kept = (c for c in plain if not unicodedata.combining(c) and c not in _APOSTROPHES)
    return "".join(kept).translate(_BASE_LETTERS)


def name_words(text: str, every_word: bool = True) -> list[str]:
    """The words of a name worth hiding: not titles or relations, not single letters.

    ``every_word=False`` keeps only capitalised words ('Mr & Mrs Kaur (foster carers)').
    """
    words = []
    for word in _WORD.findall(_clean(text)):
        if word[-2:-1] in _APOSTROPHES and word[-1] in "sS":
            word = word[:-2]  # Mary's → Mary
        key = fold(word)
        if len(key) > 1 and key not in _TITLES and (every_word or word[0].isupper()):
            words.append(word)
    return words


def _clean(text: str) -> str:
    """Composed accents, and no invisible format characters that could split a name."""
    text = unicodedata.normalize("NFC", text)
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


@dataclass(frozen=True)
class Redactor:
    """Hides names (folded word → what to show) and a date of birth in free text."""

    names: dict[str, str]
    phrases: tuple[str, ...] = ()  # whole strings, e.g. each carer as written
    births: tuple[date, ...] = ()

    def __call__(self, text: str, proper_only: bool = False) -> str:
        """``text`` with every name and the date of birth hidden.

        ``proper_only`` hides only capitalised words (for a template's own words,
        where 'hope' is a word and 'Hope' a name).
        """
        if not text:
            return text
        text = _clean(text)
        for phrase in self.phrases:
            text = _phrase_pattern(phrase).sub(HIDDEN_CARER, text)
        for birth in self.births:
            text = birth_pattern(birth).sub(_hidden_date, text)
        text = _BROKEN.sub(lambda match: self._broken(match, proper_only), text)
        return _WORD.sub(lambda match: self._word(match.group(0), proper_only), text)

    def _broken(self, match: re.Match[str], proper_only: bool) -> str:
        """A word broken over two lines ('Seon-\\naid'): hidden whole when it is a name."""
        if fold(match.group(1)) in self.names or fold(match.group(2)) in self.names:
            return match.group(0)  # two words, each a name: hidden one by one
        whole = match.group(1) + match.group(2)
        shown = self._word(whole, proper_only)
        return shown if shown != whole else match.group(0)

    def finds(self, text: str) -> bool:
        """True when ``text`` holds a name or the date of birth."""
        return self(text) != _clean(text)

    def _word(self, word: str, proper_only: bool) -> str:
        if proper_only and not word[0].isupper():
            return word
        key = fold(word)
        if key in self.names:
            return self.names[key]
        if word[-2:-1] in _APOSTROPHES and word[-1] in "sS" and fold(word[:-2]) in self.names:
            return self.names[fold(word[:-2])] + word[-2:]  # Seònaid's → S.'s
        for plural in ("s", "es"):  # the Robertsons → the R.
            if key.endswith(plural) and key[: -len(plural)] in self.names:
                return self.names[key[: -len(plural)]]
        parts = _joined(key, frozenset(self.names))
        if parts:  # SeonaidRobertson → S.R.
            return "".join(self.names[part] for part in parts)
        return word


# Two runs of letters split by a line break (and perhaps a hyphen before it).
_BROKEN = re.compile(rf"({_LETTERS})-?[ \t]*\r?\n[ \t]*({_LETTERS})")


@lru_cache(maxsize=4096)
def _joined(key: str, names: frozenset[str]) -> tuple[str, ...]:
    """``key`` as two or more names run together ('seonaidrobertson'), else ()."""
    if len(key) < 4:
        return ()
    for cut in range(2, len(key) - 1):
        head = key[:cut]
        if head in names:
            tail = key[cut:]
            if tail in names:
                return (head, tail)
            rest = _joined(tail, names)
            if rest:
                return (head, *rest)
    return ()


def _hidden_date(match: re.Match[str]) -> str:
    return (match.group("lead") or "") + HIDDEN_DATE


@lru_cache(maxsize=1024)
def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    words = r"\s+".join(re.escape(w) for w in phrase.split())
    return re.compile(rf"(?<!\w){words}(?!\w)", re.I)


def _day_words(day: int) -> str:
    """A day of the month in words: 'fourteenth', 'fourteen', 'twenty-first', 'thirty one'."""
    tens, unit = divmod(day, 10)
    if day <= 20:
        return f"{_ORDINALS[day - 1]}|{_CARDINALS[day - 1]}"
    head = "twenty" if tens == 2 else "thirty"
    if not unit:
        return f"{head[:-1]}ieth|{head}"
    return rf"{head}[\s-]*(?:{_ORDINALS[unit - 1]}|{_CARDINALS[unit - 1]})"


_SEP = r"(?:\s*[/.\-–—]\s*|\s+)"  # 14/08, 14.08, 14-08, 14–08 (a dash), 14 08
_ANY_MONTH = "|".join(m for full in _MONTHS for m in dict.fromkeys((full, full[:3], full[:4])))
_ANY_DAY_MONTH = (
    rf"\d{{1,2}}(?:st|nd|rd|th)?[\s/.\-–—]*(?:of\s+)?(?:{_ANY_MONTH})\.?"
    rf"|(?:{_ANY_MONTH})\.?\s+(?:the\s+)?\d{{1,2}}(?:st|nd|rd|th)?"
    r"|\d{1,2}\s*[/.\-–—]\s*\d{1,2}"
)
_ANY_YEAR = r"(?:,?(?:\s*[/.\-–—]\s*|\s+)['’]?(?:\d{4}|\d{2}))?(?!\d)"
_BIRTH_WORDS = r"born|birthday|birth\s*date|date\s+of\s+birth|d\.?o\.?b\.?"


@cache
def birth_pattern(day: date) -> re.Pattern[str]:
    """A date written any common way: 14/8/19, 14.08.2019, 14th of Aug 2019, 14-Aug-19,
    14 Aug '19, 14–08–2019, 14 08 2019, 8/14/2019 (American), 14 August, 14/08 (no
    year), the fourteenth of August; and any day and month just after 'born',
    'birthday' or 'DOB'."""
    full = _MONTHS[day.month - 1]
    month_name = "|".join(dict.fromkeys((full, full[:3], full[:4])))
    d = rf"0?{day.day}(?:st|nd|rd|th)?"
    m = rf"0?{day.month}"
    y = rf"(?:{day.year}|['’]?{day.year % 100:02d})"
    named = rf"(?:{month_name})\.?"
    words = rf"(?:the\s+)?(?:{_day_words(day.day)})"
    sep, no_year = _SEP, rf"(?!{_SEP}?['’]?\d)"
    forms = (
        rf"{d}{sep}{m}{sep}{y}",
        rf"{m}{sep}0?{day.day}{sep}{y}",  # American order
        rf"{day.year}{sep}{m}{sep}0?{day.day}",
        rf"{d}[\s/.\-–—]*(?:of\s+)?{named}[\s,/.\-–—]*{y}",
        rf"{named}[\s/.\-–—]*{d},?[\s/.\-–—]+{y}",
        rf"{words}(?:\s+of)?\s+{named}(?:,?\s+{y})?",
        rf"{named}\s+{words}(?:,?\s+{y})?",
        rf"{d}[\s/.\-–—]*(?:of\s+)?{named}{no_year}",
        rf"{named}\s+(?:the\s+)?{d}{no_year}",
        rf"{d}\s*[/.\-–—]\s*{m}{no_year}",
        f"{day:%d%m%Y}|{day:%Y%m%d}|{day:%d%m%y}",
    )
    lead = rf"\b(?P<lead>(?:{_BIRTH_WORDS})\s*[:,(]?\s*(?:on\s+)?(?:the\s+)?)"
    after_birth = rf"{lead}(?:{_ANY_DAY_MONTH}){_ANY_YEAR}"
    dated = r"(?<![\d\w])(?:" + "|".join(forms) + r")(?!\d)"
    return re.compile(f"{dated}|{after_birth}", re.I)


def redactor(record: ChildRecord, others: Iterable[str] = ()) -> Redactor:
    """What to hide for this child: their name, carers, date of birth, and ``others`` (names)."""
    names: dict[str, str] = {}
    for name in (record.child.name, *others):
        for word in name_words(name):
            names.setdefault(fold(word), word[0].upper() + ".")
    carers = sorted({c for p in record.placements if (c := " ".join(p.carer.split()))}, key=len)
    named = []  # carers with a name in them: 'Gran' or 'Mum and Dad' stay as written
    for carer in reversed(carers):
        for word in name_words(carer, every_word=carer == carer.lower()):
            names.setdefault(fold(word), word[0].upper() + ".")
            named.append(carer)
    birth = record.child.date_of_birth
    return Redactor(names, tuple(dict.fromkeys(named)), (birth,) if birth else ())


def group_redactor(records: Iterable[ChildRecord]) -> Redactor:
    """Hides every child's and carer's name of a sibling group (for its name and title)."""
    names: dict[str, str] = {}
    for record in records:
        names.update(redactor(record).names)
    return Redactor(names)


def redact_group_name(name: str, records: Iterable[ChildRecord]) -> str:
    """A sibling group's name ('Robertson family') with every child's and carer's name hidden."""
    return group_redactor(records)(name)


def redact_options(options: RenderOptions, hide: Redactor) -> RenderOptions:
    """The words given on the command line (prepared by, marking, title) with names hidden too.

    They reach the page and the PDF's metadata (the author), so a name typed there by
    accident ('prepared for Seònaid's hearing') is hidden like one in the chronology.
    """
    return replace(
        options,
        prepared_by=hide(options.prepared_by, proper_only=True),
        marking=None if options.marking is None else hide(options.marking, proper_only=True),
        title=None if options.title is None else hide(options.title, proper_only=True),
    )


def redact_event(event: Event, full: bool, hide: Redactor | None = None) -> Event:
    """Hide an event's words when it is marked ``redact`` (and its detail when ``full``;
    names in its label and category are hidden like any other text)."""
    if event.redact:
        return replace(event, label=HIDDEN_EVENT, detail="", source="")
    if not full:
        return event
    if hide is None:
        return replace(event, detail="", source="")
    return replace(
        event, label=hide(event.label), category=hide(event.category), detail="", source=""
    )


def redact_events(record: ChildRecord) -> ChildRecord:
    """Only the events marked ``redact`` lose their words (always applied)."""
    if not any(e.redact for e in record.events):
        return record
    return replace(record, events=tuple(redact_event(e, full=False) for e in record.events))


def redact_record(record: ChildRecord, others: Iterable[str] = ()) -> ChildRecord:
    """Initials for the name, no date of birth, no carers, no free-text detail, no names.

    ``others``: more names to hide in the labels (the child's brothers and sisters).
    """
    hide = redactor(record, others)
    child = replace(
        record.child,
        child_id=redacted_id(record, hide),
        name=initials(record.child.name or "Child"),
        date_of_birth=None,
        sibling_group=hide(record.child.sibling_group),
    )
    birth = record.child.date_of_birth
    events = tuple(redact_event(_to_month(e, birth), full=True, hide=hide) for e in record.events)
    placements = tuple(
        replace(
            p,
            start=p.start.replace(day=1) if p.start == birth else p.start,
            end=p.end.replace(day=1) if p.end is not None and p.end == birth else p.end,
            carer="",
            reason="",
            placement_type=hide(p.placement_type),
            code=hide(p.code),  # a type not in the vocabulary, as written
            description=hide(p.description),
        )
        for p in record.placements
    )
    return replace(record, child=child, events=events, placements=placements)


def _to_month(event: Event, birth: date | None) -> Event:
    """An event on the day of birth, shown to the month: its marker would pin the day."""
    if birth is None or event.when.start != birth or event.when.end != birth:
        return event
    last = calendar.monthrange(birth.year, birth.month)[1]
    return replace(event, when=FuzzyDate(birth.replace(day=1), birth.replace(day=last), "month"))


def redacted_id(record: ChildRecord, hide: Redactor | None = None) -> str:
    """The child id, or a short hash of it when it holds a name or the date of birth."""
    return redacted_id_of(record.child_id, hide or redactor(record))


def redacted_id_of(child_id: str, hide: Redactor) -> str:
    """``child_id``, or a short hash of it when ``hide`` finds a name or date in it."""
    if not hide.finds(child_id):
        return child_id
    return "child-" + hashlib.sha256(child_id.encode()).hexdigest()[:8]


def cohort_redactor(records: Iterable[ChildRecord]) -> Redactor:
    """Hides every child's and carer's name and every date of birth of a cohort (for the
    words of a batch's reports, which may quote any child's row)."""
    names: dict[str, str] = {}
    phrases: list[str] = []
    births: list[date] = []
    for record in records:
        hide = redactor(record)
        for key, shown in hide.names.items():
            names.setdefault(key, shown)
        phrases += hide.phrases
        births += hide.births
    return Redactor(names, tuple(dict.fromkeys(phrases)), tuple(dict.fromkeys(births)))


def redaction_words(record: ChildRecord, others: Iterable[str] = ()) -> dict[str, str]:
    """Glossary entries that hide the names and the date of birth wherever the page shows them."""
    hide = redactor(record, others)
    words: dict[str, str] = {}
    for name in (record.child.name, *others):
        if name.strip():
            words[" ".join(name.split())] = initials(name)
    words.update(dict.fromkeys(hide.phrases, HIDDEN_CARER))
    for name in (record.child.name, *others, *hide.phrases):
        for word in _WORD.findall(_clean(name)):
            if fold(word) in hide.names:
                words.setdefault(word, hide.names[fold(word)])
    if record.child.date_of_birth:
        words.update(dict.fromkeys(date_forms(record.child.date_of_birth), HIDDEN_DATE))
    return words


def date_forms(day: date) -> list[str]:
    """A day written the ways a chronology might write it."""
    month = _MONTHS[day.month - 1]
    return [
        f"{day:%d/%m/%Y}",
        f"{day.day}/{day.month}/{day.year}",
        f"{day:%d/%m/%y}",
        f"{day:%d.%m.%Y}",
        f"{day:%d-%m-%Y}",
        day.isoformat(),
        f"{day.day} {month} {day.year}",
        f"{day.day} {month[:3]} {day.year}",
        f"{day:%d} {month} {day.year}",
        f"{day:%d} {month[:3]} {day.year}",
    ]


def redacting_theme(theme: Theme, record: ChildRecord, others: Iterable[str] = ()) -> Theme:
    """The theme with names hidden in its own words, and the redaction words in its glossary.

    The redaction words win over the template's glossary entries for the same term.
    """
    others = tuple(others)
    hide = redactor(record, others)
    glossary = {term: hide(words, proper_only=True) for term, words in theme.glossary.items()}
    glossary.update(redaction_words(record, others))
    return replace(theme, settings={**theme.settings, "glossary": glossary})


@dataclass(frozen=True)
class Shared:
    """What may be shown of one child: on the page, in the PDF's metadata, in its file name.

    ``birth`` is what the age axis (birthday ticks, ages, shadows) may use: the date
    of birth, or when redacting the first day of its month, so that no tick pins
    the day. ``record.child.date_of_birth`` is None when redacting: nothing writes it.
    """

    record: ChildRecord
    theme: Theme
    options: RenderOptions
    stem: str
    birth: date | None
    hide: Redactor | None = None  # for any other text about the child (None: nothing hidden)

    @property
    def redacted(self) -> bool:
        return self.hide is not None

    def drawn(self) -> ChildRecord:
        """The record the layout draws: the shared one, with the birth the axis may use."""
        child = replace(self.record.child, date_of_birth=self.birth)
        return replace(self.record, child=child)


def share(
    record: ChildRecord, siblings: Iterable[str], theme: Theme, options: RenderOptions
) -> Shared:
    """The one redaction step: what is safe to share of ``record`` under ``options``.

    Without ``options.redact`` only the events marked ``redact`` lose their words.
    With it: initials, no date of birth (the axis keeps the month), no carers,
    reasons or details, names (the child's, the carers', ``siblings``') and the date
    of birth hidden in every label, category, placement type and template word, and
    in the options' words; the file stem never holds a name.
    """
    birth = record.child.date_of_birth
    if not options.redact:
        return Shared(redact_events(record), theme, options, file_stem(record.child_id), birth)
    siblings = tuple(siblings)
    hide = redactor(record, siblings)
    shown = redact_record(record, siblings)
    return Shared(
        shown,
        redacting_theme(theme, record, siblings),
        redact_options(options, hide),
        file_stem(shown.child_id),
        month_start(birth),
        hide,
    )


def month_start(day: date | None) -> date | None:
    """The first day of ``day``'s month: all a redacted axis may know of a birth."""
    return day.replace(day=1) if day else None
