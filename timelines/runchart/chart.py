"""Draw the run chart: the points in the order children reached the end, the
baseline median (solid over the baseline, dashed where frozen and extended), the
target, phases, tests of change, and beside it the children still waiting.

matplotlib's object API only (``Figure``, never ``pyplot``), inside an
``rc_context``, with fonts pinned to the bundled DejaVu and fixed metadata: the
same analysis gives the same bytes. matplotlib is imported here and only here,
when a chart is drawn, so the other commands never pay for it. No child's name or
id is ever put on the chart.
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any

from timelines.load.annotations import Annotation
from timelines.resources import fonts_dir
from timelines.runchart.analysis import Analysis, weeks_text

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.font_manager import FontProperties

FORMATS = ("pdf", "png", "svg")
PAGE = (11.69, 8.27)  # A4 landscape, inches
PNG_DPI = 150
INK = "#222222"
COLOURS = {
    "line": "#9a9a9a",
    "point": "#1f4e79",
    "signal": "#c0392b",
    "median": "#222222",
    "target": "#1b7837",
    "waiting": "#9ab3cf",
    "mark": "#666666",
    "grid": "#e3e3e3",
}
RC: dict[Any, Any] = {
    "pdf.fonttype": 42,  # TrueType, so the words can be read back and searched
    "svg.fonttype": "path",
    "svg.hashsalt": "timelines-runchart",
    "font.family": "DejaVu Sans",
    "axes.unicode_minus": False,
    "text.usetex": False,
}


@dataclass(frozen=True, slots=True)
class Frame:
    """The words around the chart."""

    title: str
    subtitle: str
    marking: str
    footer: str
    author: str = ""


@cache
def font(size: float, bold: bool = False) -> FontProperties:
    from matplotlib.font_manager import FontProperties

    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return FontProperties(fname=str(fonts_dir() / name), size=size)


def chart_bytes(
    analysis: Analysis, annotations: Sequence[Annotation], frame: Frame, fmt: str = "pdf"
) -> bytes:
    """The chart as PDF, PNG or SVG bytes."""
    import matplotlib
    from matplotlib.figure import Figure

    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    with matplotlib.rc_context(RC):
        figure = Figure(figsize=PAGE)
        _draw(figure, analysis, annotations, frame)
        buffer = io.BytesIO()
        figure.savefig(buffer, format=fmt, dpi=PNG_DPI, metadata=_metadata(fmt, frame))
    return buffer.getvalue()


def _metadata(fmt: str, frame: Frame) -> dict:
    if fmt == "pdf":
        return {
            "Title": frame.title,
            "Author": frame.author,
            "Subject": "Run chart",
            "Creator": "timelines",
            "Producer": "timelines",
            "CreationDate": None,
        }
    if fmt == "svg":
        return {"Title": frame.title, "Creator": "timelines", "Date": None}
    return {"Title": frame.title, "Software": "timelines"}


def _draw(figure, analysis: Analysis, annotations: Sequence[Annotation], frame: Frame) -> None:
    figure.text(0.04, 0.945, frame.title, fontproperties=font(15, True), parse_math=False)
    figure.text(
        0.04,
        0.925,
        frame.subtitle,
        va="top",
        linespacing=1.4,
        fontproperties=font(9.5),
        parse_math=False,
    )
    for y in (0.945, 0.02):
        figure.text(
            0.96, y, frame.marking, ha="right", fontproperties=font(10, True), parse_math=False
        )
    figure.text(0.04, 0.02, frame.footer, fontproperties=font(7), color="#555555", parse_math=False)
    main = figure.add_axes((0.07, 0.335, 0.655, 0.505))
    side = figure.add_axes((0.765, 0.335, 0.195, 0.505), sharey=main)
    top = _top(analysis)
    left, right = x_range(analysis)
    _points(main, analysis)
    _medians(main, analysis, right)
    _phases(main, analysis, top)
    _annotations(main, annotations, left, right, top)
    _target(main, analysis)
    _waiting(side, analysis)
    _axes(main, side, analysis, left, right, top)
    _legend(main, analysis)
    _caption(figure, analysis, change_lines(annotations, left, right))


def x_range(analysis: Analysis) -> tuple[date, date]:
    """The chart's dates: the first end (or start of the waiting) to the as-of date."""
    series = analysis.series
    first = series.points[0].end if series.points else series.as_of - timedelta(days=365)
    span = max((series.as_of - first).days, 60)
    return first - timedelta(days=round(span * 0.03)), series.as_of + timedelta(
        days=round(span * 0.02)
    )


def _top(analysis: Analysis) -> float:
    series = analysis.series
    weeks = [p.weeks for p in series.points] + [w.weeks for w in series.waiting]
    weeks.append(analysis.choices.target_weeks or 0)
    return max(max(weeks, default=0) * 1.1, 10)


def _num(day: date) -> float:
    from matplotlib.dates import date2num

    return float(date2num(day))


def _points(ax: Axes, analysis: Analysis) -> None:
    points = analysis.series.points
    if not points:
        ax.text(
            0.5,
            0.5,
            f"No child has reached the {analysis.series.end_name} yet",
            transform=ax.transAxes,
            ha="center",
            fontproperties=font(11),
            parse_math=False,
        )
        return
    scale = marker_scale(len(points))
    xs = [_num(p.end) for p in points]
    ys = [p.weeks for p in points]
    ax.plot(xs, ys, color=COLOURS["line"], lw=1, zorder=2)
    plain = [i for i, f in enumerate(analysis.flags) if not f]
    ax.plot(
        [xs[i] for i in plain],
        [ys[i] for i in plain],
        ls="none",
        marker="o",
        ms=4.5 * scale,
        color=COLOURS["point"],
        zorder=3,
        label="a child",
    )
    for name, marker, size, label in (
        ("shift", "D", 8.5, "signal: part of a shift"),
        ("trend", "^", 9.5, "signal: part of a trend"),
    ):
        chosen = [
            i
            for i, f in enumerate(analysis.flags)
            if name in f and (name == "shift" or "shift" not in f)
        ]
        if chosen:
            ax.plot(
                [xs[i] for i in chosen],
                [ys[i] for i in chosen],
                ls="none",
                marker=marker,
                ms=size * scale,
                mfc=COLOURS["signal"],
                mec=INK,
                mew=0.7,
                zorder=4,
                label=label,
            )


def marker_scale(points: int) -> float:
    """Full-size markers up to 120 points, smaller (down to half) on crowded charts."""
    return 1.0 if points <= 120 else max(0.5, math.sqrt(120 / points))


def median_segments(analysis: Analysis, right: date) -> list[tuple[date, date, float, bool]]:
    """(from, to, weeks, frozen) for each median line: solid over a phase's baseline,
    dashed (frozen) from there to the phase's end; the last phase runs on to ``right``."""
    points = analysis.series.points
    segments = []
    for number, phase in enumerate(analysis.phases):
        last_phase = number == len(analysis.phases) - 1
        start, base_end = points[phase.first].end, points[phase.baseline_last].end
        end = right if last_phase else points[phase.last].end
        segments.append((start, base_end, phase.centre, False))
        if end > base_end:
            segments.append((base_end, end, phase.centre, True))
    return segments


def _medians(ax: Axes, analysis: Analysis, right: date) -> None:
    for number, (start, end, weeks, frozen) in enumerate(median_segments(analysis, right)):
        ax.plot(
            [_num(start), _num(end)],
            [weeks, weeks],
            color=COLOURS["median"],
            lw=1.6,
            ls=(0, (5, 3)) if frozen else "-",
            zorder=2.5,
            label="median of the baseline" if number == 0 else None,
        )
    for phase in analysis.phases:
        at = analysis.series.points[phase.first].end
        ax.annotate(
            f"median {weeks_text(phase.centre)}",
            (_num(at), phase.centre),
            xytext=(0, 4),
            textcoords="offset points",
            fontproperties=font(7.5, True),
            color=COLOURS["median"],
            parse_math=False,
        )


def phase_starts(analysis: Analysis) -> list[date]:
    """Where each phase after the first begins: the --phase date that began it."""
    points, given = analysis.series.points, analysis.choices.phases
    return [
        max((d for d in given if d <= points[phase.first].end), default=points[phase.first].end)
        for phase in analysis.phases[1:]
    ]


def _phases(ax: Axes, analysis: Analysis, top: float) -> None:
    for number, day in enumerate(phase_starts(analysis), 2):
        ax.axvline(_num(day), color=INK, lw=1.2, zorder=1)
        ax.text(
            _num(day),
            top * 0.93,
            f" phase {number}",
            va="top",
            fontproperties=font(8, True),
            parse_math=False,
        )


def drawn_annotations(annotations: Sequence[Annotation], left: date, right: date) -> list:
    """The tests of change inside the chart's dates, numbered in date order."""
    return [(n, a) for n, a in enumerate((a for a in annotations if left <= a.when <= right), 1)]


def _annotations(ax: Axes, annotations, left: date, right: date, top: float) -> None:
    for number, annotation in drawn_annotations(annotations, left, right):
        at = _num(annotation.when)
        ax.axvline(at, color=COLOURS["mark"], lw=0.9, ls=(0, (2, 2)), zorder=1)
        ax.text(
            at,
            top * 0.985,
            str(number),
            ha="center",
            va="top",
            fontproperties=font(8, True),
            bbox={
                "boxstyle": "circle,pad=0.25",
                "facecolor": "white",
                "edgecolor": INK,
                "linewidth": 0.7,
            },
            zorder=5,
        )


def _target(ax: Axes, analysis: Analysis) -> None:
    target = analysis.choices.target_weeks
    if target is None:
        return
    ax.axhline(
        target,
        color=COLOURS["target"],
        lw=1.4,
        ls=(0, (1, 1.5)),
        zorder=1.5,
        label=f"target {weeks_text(target)}",
    )


def waiting_title(analysis: Analysis) -> str:
    """'Still waiting (13)', with how many are past the target when there is one."""
    waiting, target = analysis.series.waiting, analysis.choices.target_weeks
    title = f"Still waiting ({len(waiting)})"
    if target is not None and waiting:
        past = sum(1 for w in waiting if w.weeks > target)
        title += f"\n{past} past the {weeks_text(target).replace(' weeks', '-week')} target"
    return title


def _waiting(ax: Axes, analysis: Analysis) -> None:
    waiting = analysis.series.waiting
    ax.set_title(waiting_title(analysis), fontproperties=font(10, True), loc="left")
    if waiting:
        edge = 0.5 if len(waiting) <= 80 else 0
        ax.bar(
            range(len(waiting)),
            [w.weeks for w in waiting],
            width=0.75,
            color=COLOURS["waiting"],
            edgecolor=INK,
            linewidth=edge,
            hatch="///" if edge else None,
            zorder=2,
        )
        ax.set_xlim(-0.7, max(len(waiting), 6) - 0.3)
    else:
        ax.text(
            0.5,
            0.5,
            "no child waiting",
            transform=ax.transAxes,
            ha="center",
            fontproperties=font(9),
            parse_math=False,
        )
    if analysis.phases:
        ax.axhline(analysis.phases[-1].centre, color=COLOURS["median"], lw=1.6, ls=(0, (5, 3)))
    if analysis.choices.target_weeks is not None:
        ax.axhline(analysis.choices.target_weeks, color=COLOURS["target"], lw=1.4, ls=(0, (1, 1.5)))
    ax.set_xticks([])
    ax.set_xlabel(
        f"weeks waited so far, to {analysis.series.as_of:%d/%m/%Y}\n(longest first)",
        fontproperties=font(8),
    )
    ax.tick_params(labelleft=False)


def _step(span: float, steps: tuple[int, ...], most: int, unit: int) -> int:
    """The first step giving at most ``most`` ticks over ``span`` (past the list: whole
    multiples of ``unit``)."""
    return next((s for s in steps if span / s <= most), unit * math.ceil(span / most / unit))


def date_ticks(left: date, right: date) -> list[tuple[date, str]]:
    """Ticks for the date axis: month, quarter or year starts, as 'Jan 2024'."""
    months = (right.year - left.year) * 12 + right.month - left.month
    step = _step(months, (1, 2, 3, 6, 12, 24, 60), 10, 12)
    ticks: list[tuple[date, str]] = []
    year, month = left.year, left.month
    while True:
        month += 1
        if month > 12:
            year, month = year + 1, 1
        day = date(year, month, 1)
        if day > right:
            return ticks
        if (month - 1) % step == 0 if step < 12 else month == 1 and year % (step // 12) == 0:
            ticks.append((day, f"{day:%b %Y}"))


def week_ticks(top: float) -> list[float]:
    step = _step(top, (2, 4, 8, 13, 26, 52, 104, 260), 9, 52)
    return [float(w) for w in range(0, int(top) + 1, step)]


def _axes(main: Axes, side: Axes, analysis: Analysis, left: date, right: date, top: float) -> None:
    series = analysis.series
    main.set_xlim(_num(left), _num(right))
    main.set_ylim(0, top)
    ticks = date_ticks(left, right)
    main.set_xticks([_num(d) for d, _ in ticks], [t for _, t in ticks], fontproperties=font(8))
    weeks = week_ticks(top)
    main.set_yticks(weeks, [f"{w:g}" for w in weeks], fontproperties=font(8))
    main.set_ylabel(f"weeks from {series.start_name} to {series.end_name}", fontproperties=font(9))
    main.set_xlabel(
        f"the day each child reached the end ({series.end_name}), in the order they reached it",
        fontproperties=font(9),
    )
    for ax in (main, side):
        ax.grid(axis="y", color=COLOURS["grid"], lw=0.6, zorder=0)
        ax.set_axisbelow(True)
        for edge in ("top", "right"):
            ax.spines[edge].set_visible(False)


def _legend(ax: Axes, analysis: Analysis) -> None:
    from matplotlib.lines import Line2D

    handles, labels = ax.get_legend_handles_labels()
    if any(segment[3] for segment in median_segments(analysis, analysis.series.as_of)):
        handles.append(Line2D([], [], color=COLOURS["median"], lw=1.6, ls=(0, (5, 3))))
        labels.append("median frozen and extended")
    ax.legend(
        handles,
        labels,
        loc="upper left",
        bbox_to_anchor=(0, -0.105),
        ncol=3,
        frameon=False,
        prop=font(8),
    )


def caption_lines(analysis: Analysis, width: int = 165) -> list[str]:
    """What was found, wrapped for the space under the chart."""
    lines = []
    for finding in analysis.findings:
        lines += textwrap.wrap(finding, width) or [""]
    return lines


def change_lines(annotations: Sequence[Annotation], left: date, right: date) -> list[str]:
    """The key to the numbered marks: '1  04/09/2023  PACE tests of change begin'."""
    lines = []
    for number, a in drawn_annotations(annotations, left, right):
        text = f"{number}  {a.when:%d/%m/%Y}  {textwrap.shorten(a.text, 150, placeholder='…')}"
        lines += textwrap.wrap(text, 52, subsequent_indent="    ")
    return lines


CAPTION_TOP = 0.205  # figure fraction
CAPTION_BOTTOM = 0.045


def _block(figure, x: float, heading: str, lines: list[str]) -> None:
    """A heading and lines under it, the text made smaller when it would not fit."""
    height = (CAPTION_TOP - 0.02 - CAPTION_BOTTOM) * PAGE[1] * 72
    size = min(8.5, height / (max(len(lines), 1) * 1.35))
    figure.text(x, CAPTION_TOP, heading, fontproperties=font(9, True), parse_math=False)
    figure.text(
        x,
        CAPTION_TOP - 0.02,
        "\n".join(lines),
        va="top",
        linespacing=1.35,
        fontproperties=font(size),
        parse_math=False,
    )


def _caption(figure, analysis: Analysis, changes: list[str]) -> None:
    _block(figure, 0.04, "What the chart shows", caption_lines(analysis, 98))
    if changes:
        _block(figure, 0.64, "Changes made (the numbered marks)", changes)
