"""The grouped placement history page: one row per child on a shared time axis.

Each row, from the top: key decisions and the birth (markers); who the child
lived with (a strip over every stretch shared with a brother or sister, naming
them when the row is tall enough); the placements (coloured and patterned by
type, with the carer, or the placement's description, and how long it lasted
written inside when they fit, and a triangle at each move); and long waits
between events (hatched, with their length when it fits). The number of moves
is at the right. Children who lived together (same carer, same time: see
``timelines.analyse.groups``) are also joined by a connector where their time
together starts. The rows share the page's height: a few children get tall
rows. With ``axis="age"`` the rows are aligned by age: x is the child's age in
years instead of the date, and the strips alone show who lived together (a
connector would join different ages).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from timelines.analyse.groups import Group, SiblingRow, Together
from timelines.layout import plot
from timelines.layout.frame import FrameText, add_frame
from timelines.layout.primitives import Box, Line, Marker, Page, Rect, Text
from timelines.layout.scale import TimeScale
from timelines.layout.style import INK, MUTED, RULE, Ctx
from timelines.model.dates import plain_duration
from timelines.model.records import Placement
from timelines.model.vocab import DECISION_CATEGORIES
from timelines.prepare.template import Style

ROWS_PER_PAGE = 12
LABEL_WIDTH = 132.0
RIGHT_WIDTH = 56.0
LINK = "#00585E"
EPOCH = date(2000, 1, 1)  # age axis: every child is 'born' on this day
LEGEND_LINKED = "Lived together: same carer at the same time (A, B: one household)"
MAX_PITCH = 112.0  # the tallest row on A4 (scaled with the page height)
MAX_BAND = 44.0
FIXED = 20.7  # a row's height besides its band, together strip and wait words
STRIP_NAMED = 10.0  # a strip tall enough to say who with
STRIP_THIN = 2.6
WAIT_WORDS = 8.0  # room under the wait bars for '7 months'
WAIT_BAR = 3.2
LEAD = 1.2  # line height, in text sizes
KEEP = 6  # a name cut shorter than this many letters is left out instead

# (text, size, font, colour): one line of words inside a placement segment.
Words = tuple[str, float, str, str]


@dataclass(frozen=True)
class SiblingsLayout:
    pages: list[Page]
    scale: TimeScale
    links_drawn: int  # connectors drawn, over all pages


@dataclass(frozen=True)
class RowBox:
    """One row's parts, bottom up: wait bars, band, together strip, decision markers."""

    bottom: float  # of the row's slot
    top: float
    wait: float  # bottom of the wait bars
    band: float  # bottom of the placement band
    band_h: float
    strip: float  # bottom of the together strip
    strip_h: float
    marks: float  # centre line of the markers
    wait_words: bool  # room under the wait bars for their length

    @property
    def band_top(self) -> float:
        return self.band + self.band_h

    @property
    def mid(self) -> float:
        return self.band + self.band_h / 2

    @property
    def named(self) -> bool:
        """Tall enough to write on the together strip who with."""
        return self.strip_h >= STRIP_NAMED


def row_box(top: float, pitch: float, scale: float = 1.0) -> RowBox:
    """Share out a row's height: the band as tall as it can be (up to ``MAX_BAND``
    times ``scale``), names on the strip and words under the waits when there is room."""
    room = pitch - FIXED
    strip_h = STRIP_NAMED if room - STRIP_NAMED >= 14 else STRIP_THIN
    words = WAIT_WORDS if room - strip_h - WAIT_WORDS >= 22 else 0.0
    band_h = min(max(room - strip_h - words, min(8.0, room - strip_h)), MAX_BAND * scale)
    spare = max(room - strip_h - words - band_h, 0.0)
    bottom = top - pitch
    wait = bottom + 2 + spare / 2 + words
    band = wait + WAIT_BAR + 2.5
    strip = band + band_h + 5
    marks = strip + strip_h + 4.5
    return RowBox(bottom, top, wait, band, band_h, strip, strip_h, marks, words > 0)


def build_siblings_pages(
    group: Group, ctx: Ctx, frame: FrameText, axis: str = "date", threshold_days: int = 92
) -> SiblingsLayout:
    """Lay out the group over as many pages as it takes (12 rows a page, same axis)."""
    ctx = about_several(ctx)
    shift = _shifter(axis)
    scale = _scale(group, ctx, axis)
    chunks = [
        list(range(i, min(i + ROWS_PER_PAGE, len(group.rows))))
        for i in range(0, max(len(group.rows), 1), ROWS_PER_PAGE)
    ]
    pages, drawn = [], 0
    for number, chunk in enumerate(chunks, start=1):
        page = Page(ctx.width, ctx.height)
        top = add_frame(page, ctx, frame, number, len(chunks))
        sheet = _Sheet(page, ctx, group, scale, shift, axis == "age", households(group))
        drawn += sheet.body(chunk, top, threshold_days)
        pages.append(page)
    return SiblingsLayout(pages, scale, drawn)


Shift = Callable[[SiblingRow, date], date]


def _shifter(axis: str) -> Shift:
    if axis != "age":
        return lambda row, day: day
    return lambda row, day: day - (row.born - EPOCH) if row.born else day


def _scale(group: Group, ctx: Ctx, axis: str) -> TimeScale:
    x0 = ctx.margin + LABEL_WIDTH
    x1 = ctx.width - ctx.margin - RIGHT_WIDTH
    if axis != "age":
        return TimeScale(group.start, group.end, x0, x1)
    oldest = max(((group.end - r.born).days for r in group.rows if r.born), default=365 * 5)
    return TimeScale(EPOCH, EPOCH + timedelta(days=max(oldest, 365)), x0, x1)


@dataclass
class _Sheet:
    """One page of rows: the page, the group and the shared scale."""

    page: Page
    ctx: Ctx
    group: Group
    scale: TimeScale
    shift: Shift
    age: bool
    homes: dict[str, str] = field(default_factory=dict)  # carer (folded) -> household letter
    placed: list[Box] = field(default_factory=list)  # text and tags so far, never overlapped

    def x(self, row: SiblingRow, day: date) -> float:
        return self.scale.clamp(self.shift(row, day))

    def birth(self, row: SiblingRow) -> float | None:
        """Where the birth is drawn: on the date axis, when it is on it (the age axis starts
        at birth for everyone), and never when the row says not to (only the age is
        shown)."""
        if self.age or not row.mark_birth or row.born is None:
            return None
        if not self.scale.start <= row.born <= self.scale.end:
            return None
        return self.scale.x(row.born)

    def body(self, indices: list[int], top: float, threshold: int) -> int:
        """Axes, rows, links and legend; returns the number of connectors drawn."""
        ctx, page = self.ctx, self.page
        born = any(self.birth(self.group.rows[i]) is not None for i in indices)
        legend_h = _legend(page, ctx, self.group, indices, threshold, None, (born, True))
        axis_top = top - 20
        bottom = ctx.margin + 16 + legend_h
        k = ctx.height / 595.0
        pitch = min((axis_top - bottom - 32) / max(len(indices), 1), MAX_PITCH * k)
        boxes = {i: row_box(axis_top - 4 - n * pitch, pitch, k) for n, i in enumerate(indices)}
        axis_bottom = axis_top - 8 - pitch * len(indices)
        self._zebra([boxes[i] for i in indices])
        self._grid(axis_top, axis_bottom)
        page.add(*_axis(ctx, self.scale, axis_top, above=True, age=self.age))
        page.add(*_axis(ctx, self.scale, axis_bottom, above=False, age=self.age))
        links = self._connectors(boxes)
        together = self.group.together or tuple(() for _ in self.group.rows)
        for i in indices:
            self._row(self.group.rows[i], boxes[i], together[i])
        for xa, ya, xb, yb in links:
            page.add(Marker(xa, ya, "circle", 3.4, LINK), Marker(xb, yb, "circle", 3.4, LINK))
        for row_index in indices:
            for p in self.group.rows[row_index].placements:
                self._home_tag(self.group.rows[row_index], boxes[row_index], p)
        named = any(b.named for b in boxes.values())
        _legend(page, ctx, self.group, indices, threshold, axis_bottom - 24, (born, named))
        return len(links)

    def _zebra(self, boxes: list[RowBox]) -> None:
        """Every other row on a pale grey ground, so each row reads as one."""
        m, w = self.ctx.margin, self.ctx.width - 2 * self.ctx.margin + 8
        for b in boxes[::2]:
            self.page.add(Rect(m - 4, b.bottom, w, b.top - b.bottom, "#F3F3F3", None))

    def _grid(self, top: float, bottom: float) -> None:
        for day in plot.year_ticks(self.scale):
            x = self.scale.x(day)
            self.page.add(Line(x, bottom, x, top, "#E3E3E3", 0.4))

    def _connectors(self, boxes: dict[int, RowBox]) -> list[tuple[float, float, float, float]]:
        """A line between two rows where their time together starts (under the bands),
        from the bottom edge of the upper row's strip to the top edge of the lower's.
        Children already together who move on together get none: their strip goes on.
        Nor does the age axis, where the same day is at a different x on every row."""
        starts = set()
        for row, spans in enumerate(self.group.together):
            starts |= {(row, span.start) for span in spans}
        ends: list[tuple[float, float, float, float]] = []
        order = list(boxes)
        for link in () if self.age else self.group.links:
            shown = link.upper in boxes and link.lower in boxes
            # Only between neighbouring rows: a line past another child's row would seem
            # to join that child too (the household letters say the rest).
            shown = shown and abs(order.index(link.upper) - order.index(link.lower)) == 1
            if shown and starts & {(link.upper, link.start), (link.lower, link.start)}:
                a, b = boxes[link.upper], boxes[link.lower]
                xa = self.x(self.group.rows[link.upper], link.start)
                xb = self.x(self.group.rows[link.lower], link.start)
                ya, yb = a.strip, b.strip + b.strip_h  # edges: the dots miss the names
                self.page.add(Line(xa, ya, xb, yb, LINK, 1.0))
                ends.append((xa, ya, xb, yb))
        return ends

    def _row(self, row: SiblingRow, box: RowBox, together: tuple[Together, ...]) -> None:
        self._names(row, box)
        self.page.add(Line(self.scale.x0, box.band, self.scale.x1, box.band, RULE, 0.3))
        self._waits(row, box)
        for n, placement in enumerate(row.placements):
            self._placement(row, box, placement, moved=n > 0)
        for span in together:
            self._strip(row, box, span)
        self._marks(row, box)
        born = self.birth(row)
        if born is not None:  # on the row's baseline, in front of the band
            self.page.add(Marker(born, box.band, "star", 8.5, "#FFFFFF"))
            self.page.add(Marker(born, box.band, "star", 6.5, INK))

    def _add(self, text: Text, pad: float = 0.0) -> bool:
        """Add the text unless it would overlap text already on the page."""
        box = text.box
        grown = Box(box.x - pad, box.y - pad, box.w + 2 * pad, box.h + 2 * pad)
        if any(grown.overlaps(other) for other in self.placed):
            return False
        self.page.add(text)
        self.placed.append(grown)
        return True

    def _names(self, row: SiblingRow, box: RowBox) -> None:
        """Name (on two lines when it needs them and the row has room), and birth or age."""
        ctx = self.ctx
        size, small, width = ctx.size("facts_size") + 0.5, ctx.min_size, LABEL_WIDTH - 10
        lines = ctx.wrap(row.name, size, width, "bold")
        if len(lines) > 2 or box.band_h < 2 * size * LEAD + small:
            lines = [ctx.fit(row.name, size, width, "bold")]
        height = len(lines) * size * LEAD + small * LEAD
        y = box.mid + height / 2
        for line in lines:
            y -= size * LEAD
            self._add(ctx.text(ctx.margin, y + 0.25 * size, line, size, "bold", role="name"))
        caption = ctx.fit(row.caption, small, width)
        self._add(
            ctx.text(
                ctx.margin,
                y - small * LEAD + 0.25 * small,
                caption,
                small,
                colour=MUTED,
                role="dob",
            )
        )
        self._counts(row, box)

    def _counts(self, row: SiblingRow, box: RowBox) -> None:
        """'3 moves' at the row's end, and the number of placements when there is room."""
        ctx, x = self.ctx, self.scale.x1 + 6
        size = ctx.size("facts_size")
        moves = f"{row.moves} move" + ("" if row.moves == 1 else "s")
        if box.band_h < 2.4 * size:
            self._add(ctx.text(x, box.mid - 0.35 * size, moves, size, "bold", role="moves"))
            return
        self._add(ctx.text(x, box.mid + 0.6, moves, size, "bold", role="moves"))
        count = len(row.placements)
        places = f"{count} placement" + ("" if count == 1 else "s")
        below = box.mid - ctx.min_size - 1
        self._add(ctx.text(x, below, places, ctx.min_size, colour=MUTED, role="placements"))

    def _waits(self, row: SiblingRow, box: RowBox) -> None:
        """Hatched bars for long waits (a hair apart, so neighbours read as two); the
        longest one's length under it when there is room."""
        longest = max(row.gaps, key=lambda g: g.days, default=None)
        for gap in row.gaps:
            x1, x2 = self.x(row, gap.start) + 0.7, self.x(row, gap.end) - 0.7
            w = max(x2 - x1, 0.8)
            self.page.add(
                Rect(x1, box.wait, w, WAIT_BAR, plot.GAP_FILL, MUTED, "backdiagonal", 0.3)
            )
            if box.wait_words and gap is longest:
                self._wait_words(gap.days, (x1 + x2) / 2, w, box.wait - 6.5)

    def _wait_words(self, days: int, x: float, width: float, y: float) -> None:
        """'longest wait: 7 months' (or '7 months') centred under the bar, if as wide."""
        size, words = self.ctx.min_size, plain_duration(days)
        for text in (f"longest wait: {words}", words):
            label = self.ctx.text(x, y, text, size, colour=MUTED, align="centre", role="gap")
            if label.width <= width + 4 and label.box.inside(self._plot_box()):
                self._add(label, 1.0)
                return

    def _plot_box(self) -> Box:
        return Box(self.scale.x0, 0, self.scale.x1 - self.scale.x0, self.ctx.height)

    def _placement(self, row: SiblingRow, box: RowBox, p: Placement, moved: bool) -> None:
        style = self.ctx.theme.placement(p.placement_type)
        x1, x2 = self.x(row, p.start), self.x(row, p.end_or(self.group.end))
        self.page.add(
            Rect(x1, box.band, max(x2 - x1, 0.8), box.band_h, style.colour, INK, style.pattern, 0.5)
        )
        if moved:
            self.page.add(Marker(x1, box.band_top + 2.2, "triangle_down", 4.5, INK))
        days = (p.end_or(self.group.end) - p.start).days
        lines = segment_words(self.ctx, p, x2 - x1 - 5, box.band_h - 2, days)
        self._tags(lines, x1 + 2.5, box.mid)

    def _tags(self, lines: list[Words], x: float, mid: float) -> None:
        """Lines of words on white tags, centred on ``mid``; none when any would collide."""
        height = sum(size * LEAD for _, size, _, _ in lines)
        y, texts = mid + height / 2, []
        for text, size, font, colour in lines:
            y -= size * LEAD
            texts.append(self.ctx.text(x, y + 0.25 * size, text, size, font, colour, role="carer"))
        if any(t.box.overlaps(other) for t in texts for other in self.placed):
            return
        for t in texts:
            b = t.box
            self.page.add(Rect(b.x - 1.2, b.y - 0.6, b.w + 2.4, b.h + 1.2, "#FFFFFF", None))
        for t in texts:
            self._add(t)

    def _home_tag(self, row: SiblingRow, box: RowBox, p: Placement) -> None:
        """The household's letter in an outlined tag at the end of the segment: the same
        letter on every row where children lived with the same carers."""
        letter = self.homes.get(_folded(p.carer))
        if not letter:
            return
        x1, x2 = self.x(row, p.start), self.x(row, p.end_or(self.group.end))
        size = self.ctx.min_size
        tag = self.ctx.text(x2 - 3, box.band + 2.5, letter, size, "bold",
                            align="right", role="household")  # fmt: skip
        b = tag.box
        if b.x - 2 < x1 + 1 or any(b.overlaps(other, 0.5) for other in self.placed):
            return
        self.page.add(Rect(b.x - 1.5, b.y - 1, b.w + 3, b.h + 2, "#FFFFFF", INK, "none", 0.8))
        self._add(tag)

    def _strip(self, row: SiblingRow, box: RowBox, span: Together) -> None:
        """The stretch shared with brothers and sisters; their names on it when they fit,
        else their initials, else just "with"."""
        x1, x2 = self.x(row, span.start), self.x(row, span.end)
        w = max(x2 - x1, 0.8)
        if not box.named:
            self.page.add(Rect(x1, box.strip, w, box.strip_h, LINK, None))
            return
        self.page.add(Rect(x1, box.strip, w, box.strip_h, "#FFFFFF", LINK, "none", 1.0))
        size = self.ctx.min_size
        names = [self.group.rows[o].short for o in span.others]
        for words in [*together_words(names), "+" + str(len(names))]:
            text = self.ctx.text(
                x1 + 3,
                box.strip + box.strip_h / 2 - 0.27 * size,
                words,
                size,
                colour=INK,
                role="together",
            )
            if text.width <= w - 6:
                self._add(text)
                return

    def _marks(self, row: SiblingRow, box: RowBox) -> None:
        """Key decisions, above the row."""
        for event in row.decisions:
            style = self.ctx.theme.category(event.category)
            x = self.x(row, event.day)
            self.page.add(
                Marker(x, box.marks, style.marker, 5.5, style.colour, event.when.uncertain)
            )


def households(group: Group) -> dict[str, str]:
    """A letter (A, B, ...) for each carer that two or more children lived with, in the
    order the rows meet them: the household's identity, in colour and in greyscale."""
    rows_of: dict[str, set[int]] = {}
    for n, row in enumerate(group.rows):
        for p in row.placements:
            if _folded(p.carer):
                rows_of.setdefault(_folded(p.carer), set()).add(n)
    shared = [carer for carer, rows in rows_of.items() if len(rows) > 1]
    return {carer: chr(ord("A") + i) for i, carer in enumerate(shared[:26])}


def _folded(carer: str) -> str:
    return " ".join(carer.split()).casefold()


def about_several(ctx: Ctx) -> Ctx:
    """The context for a page about several children: the glossary's "you" and "your"
    become "them" and "their" ("people who hope to adopt them")."""
    glossary = ctx.theme.glossary
    if not glossary:
        return ctx
    words = {term: _them(plain) for term, plain in glossary.items()}
    settings = {**ctx.theme.settings, "glossary": words}
    return replace(ctx, theme=replace(ctx.theme, settings=settings))


_YOU = re.compile(r"\b(you|your|yours|yourself)\b", re.I)
_THEM = {"you": "them", "your": "their", "yours": "theirs", "yourself": "themselves"}


def _them(words: str) -> str:
    return _YOU.sub(lambda m: _THEM[m.group(1).lower()], words)


def together_words(names: list[str]) -> list[str]:
    """'with Zoë and Aoife', then shorter ways of saying it: 'with Z., A.'."""
    if not names:
        return []
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    letters = ", ".join(_initial(name) for name in names)
    return [f"with {joined}", f"with {', '.join(names)}", f"with {letters}"]


def _initial(name: str) -> str:
    """'Zoë' -> 'Z.'; initials ('Z. N.') give their first; an id ('C042') stays whole."""
    if name.endswith("."):
        return name.split()[0]
    return f"{name[0]}." if name[0].isalpha() else name


def segment_words(ctx: Ctx, p: Placement, width: float, height: float, days: int) -> list[Words]:
    """What fits inside a placement's segment: the carer (else its description or code),
    on as many lines as the band holds, then how long it lasted."""
    small = ctx.min_size
    if width < 8 or height < small * LEAD:
        return []
    shown = [p.carer] if p.carer else [t for t in (p.description, p.code) if t]
    lines = next((found for text in shown if (found := _name_lines(ctx, text, width, height))), [])
    used = sum(size * LEAD for _, size, _, _ in lines)
    if height - used >= small * LEAD:
        words = plain_duration(days)
        for text in (words, _short_duration(words)):
            if ctx.measure(text, small) <= width:
                return [*lines, (text, small, "regular", MUTED)]
    return lines


def _name_lines(ctx: Ctx, text: str, width: float, height: float) -> list[Words]:
    """The name on whole lines at the label size, else the minimum; cut only when it must,
    and never so short that it says nothing ('Mot…')."""
    for size in (ctx.size("label_size"), ctx.min_size):
        lines = ctx.wrap(text, size, width)
        whole = all(line.strip() and "…" not in line for line in lines)
        if whole and len(lines) * size * LEAD <= height:
            return [(line, size, "regular", INK) for line in lines]
    small = ctx.min_size
    room = max(int(height // (small * LEAD)), 1)
    lines = ctx.wrap(text, small, width)
    if len(lines) > room:
        lines = lines[: room - 1] + [ctx.fit(" ".join(lines[room - 1 :]) + " …", small, width)]
    for candidate in (lines, [ctx.fit(text, small, width)]):
        if all(_says_something(line) for line in candidate):
            return [(line, small, "regular", INK) for line in candidate]
    return []


def _says_something(line: str) -> bool:
    """A line is worth writing unless it was cut to a few letters (or to nothing)."""
    kept = line.replace("…", "").strip()
    return bool(kept) and ("…" not in line or len(kept) >= KEEP)


def _short_duration(words: str) -> str:
    for long, short in ((" years", "y"), (" year", "y"), (" months", "m"), (" month", "m")):
        words = words.replace(long, short)
    return words.replace(" weeks", "w").replace(" days", "d").replace(" day", "d")


def _axis(ctx: Ctx, scale: TimeScale, y: float, above: bool, age: bool) -> list:
    rows = plot.Rows((0, 0), 0, (0, 0), 0, y + 6 if above else y - 13, y, (0, 0))
    items = plot.axis_items(ctx, scale, rows)
    if not age:
        return items
    out = []
    for item in items:
        if isinstance(item, Text) and item.role == "year":
            years = int(item.text) - EPOCH.year
            item = ctx.text(
                item.x, item.y, f"{years}", item.size, "bold", align="centre", role="year"
            )
        out.append(item)
    label = "Age (years)"
    out.append(ctx.text(scale.x0 - 6, y - 3, label, ctx.min_size, "bold", MUTED, "right", "axis"))
    return out


Draw = Callable[[float, float], list]


def _legend(
    page: Page,
    ctx: Ctx,
    group: Group,
    indices: list[int],
    threshold: int,
    top: float | None,
    marks: tuple[bool, bool] = (False, True),
) -> float:
    """A flowing legend along the bottom (drawn from ``top`` unless None); its height.
    ``marks``: whether a birth is marked, and whether the strips name who with."""
    size = ctx.size("facts_size") - 0.5
    entries = _legend_entries(ctx, group, indices, threshold, marks, size)
    lead = size * 1.7
    x, line = ctx.margin, 0
    right = ctx.width - ctx.margin
    placed: list[tuple[float, int, Draw, str]] = []
    for draw, text in entries:
        w = 14 + ctx.measure(text, size) + 12
        if x + w > right and x > ctx.margin:
            x, line = ctx.margin, line + 1
        placed.append((x, line, draw, text))
        x += w
    if top is not None:
        for x, line, draw, text in placed:
            y = top - size - line * lead
            page.add(*draw(x, y))
            page.add(ctx.text(x + 14, y, text, size, role="legend"))
    return (line + 1) * lead


def _legend_entries(
    ctx: Ctx,
    group: Group,
    indices: list[int],
    threshold: int,
    marks: tuple[bool, bool],
    size: float,
) -> list[tuple[Draw, str]]:
    """Placement types and decisions on the page, then the signs used on it. ``marks``:
    whether a birth is marked, and whether the strips are tall enough to name."""
    born, named = marks
    kinds = [p.placement_type for i in indices for p in group.rows[i].placements]
    cats = [e.category for i in indices for e in group.rows[i].decisions]
    waits = any(group.rows[i].gaps for i in indices)
    together = any(group.together[i] for i in indices) if group.together else False
    entries: list[tuple[Draw, str]] = []
    for code in _ordered(kinds, ctx, "placements"):
        s = ctx.theme.placement(code)
        entries.append((_swatch(s, size), s.label))
    for code in _ordered([c for c in cats if c in DECISION_CATEGORIES], ctx, "categories"):
        s = ctx.theme.category(code)
        entries.append((_sign(s, size), s.label))
    if born:
        entries.append((lambda x, y: [Marker(x + 5, y + size * 0.35, "star", 6.5, INK)], "Born"))
    entries.append((lambda x, y: [Marker(x + 5, y + size * 0.35, "triangle_down", 5, INK)], "Move"))
    if waits:
        entries.append(
            (
                lambda x, y: [Rect(x, y, 11, WAIT_BAR, plot.GAP_FILL, MUTED, "backdiagonal", 0.3)],
                f"Wait over {plain_duration(threshold)} between events",
            )
        )
    if together:
        entries.append((_together_sample(size, named), LEGEND_LINKED))
    return entries


def _swatch(style: Style, size: float) -> Draw:
    """The legend's sample of a placement type: its colour and pattern."""
    return lambda x, y: [Rect(x, y - 1.5, 11, size + 1, style.colour, INK, style.pattern, 0.4)]


def _sign(style: Style, size: float) -> Draw:
    """The legend's sample of a decision: its marker."""
    return lambda x, y: [Marker(x + 5, y + size * 0.35, style.marker, 6, style.colour)]


def _together_sample(size: float, named: bool) -> Draw:
    """The legend's strip as the rows draw it: pale with names, or a thin dark line."""
    if named:
        return lambda x, y: [
            Rect(x, y - 1.5, 11, size + 1, "#FFFFFF", LINK, "none", 1.0),
            Marker(x, y - 1.5, "circle", 3.4, LINK),
        ]
    return lambda x, y: [
        Rect(x, y + 1, 11, STRIP_THIN, LINK, None),
        Marker(x, y + 1 + STRIP_THIN / 2, "circle", 3.4, LINK),
    ]


def _ordered(codes: list[str], ctx: Ctx, table: str) -> list[str]:
    order = list(ctx.theme.settings[table])
    unique = set(codes)
    return sorted(unique, key=lambda c: (order.index(c) if c in order else len(order), c))
