"""Every shipped palette survives greyscale printing and colour-vision deficiency,
and no text on any page is smaller than the template's minimum size."""

from __future__ import annotations

import io
from datetime import date
from itertools import combinations

import pdfplumber
import pytest

from timelines.model.dates import FuzzyDate
from timelines.model.options import RenderOptions
from timelines.model.records import Child, ChildRecord, Event, Placement
from timelines.pipeline.child import render_child
from timelines.prepare.template import Style, load_template, shipped_templates

SHIPPED = tuple(shipped_templates())
MIN_LUMINANCE_STEP = 0.12

# Machado, Oliveira & Fernandes (2009), severity 1.0, applied to linear RGB.
VISION = {
    "typical": ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0)),
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
}


def _linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str, vision: str = "typical") -> float:
    """Relative luminance (sRGB, WCAG) of a colour as seen with ``vision``."""
    rgb = [_linear(int(colour[i : i + 2], 16)) for i in (1, 3, 5)]
    matrix = VISION[vision]
    seen = [min(1.0, max(0.0, sum(m * c for m, c in zip(row, rgb, strict=True)))) for row in matrix]
    return 0.2126 * seen[0] + 0.7152 * seen[1] + 0.0722 * seen[2]


def test_luminance_matches_known_values():
    assert luminance("#FFFFFF") == pytest.approx(1.0)
    assert luminance("#000000") == pytest.approx(0.0)
    assert luminance("#808080") == pytest.approx(0.2159, abs=1e-3)
    # Without red cones pure red looks much darker; greys look the same to everyone.
    assert luminance("#FF0000", "protanopia") == pytest.approx(0.1143, abs=1e-3)
    assert luminance("#808080", "deuteranopia") == pytest.approx(0.2159, abs=2e-3)


def _apart(a: Style, b: Style, vision: str, by: str) -> bool:
    if getattr(a, by) != getattr(b, by):
        return True
    return abs(luminance(a.colour, vision) - luminance(b.colour, vision)) >= MIN_LUMINANCE_STEP


def _pairs(styles: dict[str, Style]) -> list[tuple[tuple[str, Style], tuple[str, Style]]]:
    return list(combinations(styles.items(), 2))


@pytest.mark.parametrize("vision", VISION)
@pytest.mark.parametrize("name", SHIPPED)
def test_placement_types_stay_apart(name, vision):
    theme = load_template(name)
    close = [
        (a, b)
        for (a, sa), (b, sb) in _pairs(theme.placements)
        if not _apart(sa, sb, vision, "pattern")
    ]
    assert close == []


@pytest.mark.parametrize("vision", VISION)
@pytest.mark.parametrize("name", SHIPPED)
def test_categories_stay_apart(name, vision):
    theme = load_template(name)
    close = [
        (a, b)
        for (a, sa), (b, sb) in _pairs(theme.categories)
        if not _apart(sa, sb, vision, "marker")
    ]
    assert close == []


@pytest.mark.parametrize("vision", VISION)
@pytest.mark.parametrize("name", SHIPPED)
def test_uncertain_markers_do_not_pass_for_another_category(name, vision):
    """An uncertain event is drawn hollow: 'circle' then looks like 'circle_open', so
    categories sharing a base shape must differ in luminance."""
    theme = load_template(name)
    close = [
        (a, b)
        for (a, sa), (b, sb) in _pairs(theme.categories)
        if sa.marker.removesuffix("_open") == sb.marker.removesuffix("_open")
        and abs(luminance(sa.colour, vision) - luminance(sb.colour, vision)) < MIN_LUMINANCE_STEP
    ]
    assert close == []


# --- minimum text size ------------------------------------------------------------------------


def busy_child() -> ChildRecord:
    """Enough events that some labels are shortened and the chronology table follows."""
    events = [Event(FuzzyDate.exact(date(2019, 8, 14)), "Birth", "birth")]
    events += [
        Event(
            FuzzyDate.exact(date(2020, 1, 1 + i % 28)),
            f"LAC review {i}: a long label that will not fit in the space near the others",
            "review",
            detail="Long detail " * 12,
        )
        for i in range(40)
    ]
    placements = (
        Placement(date(2020, 1, 2), date(2021, 1, 2), "foster", "Ms A"),
        Placement(date(2021, 1, 2), None, "kinship", "Gran"),
    )
    return ChildRecord(Child("B1", "Busy Child", date(2019, 8, 14)), tuple(events), placements)


@pytest.mark.parametrize("name", SHIPPED)
def test_no_text_is_smaller_than_the_minimum(name):
    theme = load_template(name)
    smallest = theme.get("text", "min_size")
    done = render_child(busy_child(), theme, RenderOptions(as_of=date(2024, 6, 1)))
    assert len(done.layout.pages) > 1
    sizes = [t.size for page in done.layout.pages for t in page.texts()]
    assert min(sizes) >= smallest
    with pdfplumber.open(io.BytesIO(done.pdf)) as pdf:
        chars = [c for page in pdf.pages for c in page.chars if c["text"].strip()]
    assert chars
    assert min(c["size"] for c in chars) >= smallest - 0.01


@pytest.mark.parametrize("name", SHIPPED)
def test_no_text_on_the_siblings_page_is_smaller_than_the_minimum(name):
    from timelines.pipeline.siblings import render_group

    theme = load_template(name)
    smallest = theme.get("text", "min_size")
    records = [
        ChildRecord(
            Child(f"S{i}", f"Child {i}", date(2012 + i, 1, 1), "G"),
            busy_child().events[:6],
            busy_child().placements,
        )
        for i in range(14)
    ]
    layout = render_group(records, "G", theme, RenderOptions(as_of=date(2024, 6, 1))).layout
    assert len(layout.pages) == 2
    assert min(t.size for page in layout.pages for t in page.texts()) >= smallest


@pytest.mark.parametrize("name", SHIPPED)
def test_hollow_markers_mean_only_an_uncertain_date(name):
    theme = load_template(name)
    assert [c for c, s in theme.categories.items() if s.marker.endswith("_open")] == []


@pytest.mark.parametrize("name", SHIPPED)
def test_every_category_has_a_shape_of_its_own(name):
    """Greyscale prints and colour-blind readers tell categories apart by shape alone."""
    shapes = [s.marker.removesuffix("_open") for s in load_template(name).categories.values()]
    assert len(shapes) == len(set(shapes))
