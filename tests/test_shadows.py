"""Child shadows: the shipped images, a user's own folder, choosing by age, heights."""

from __future__ import annotations

import subprocess
import sys
from itertools import pairwise
from pathlib import Path

import pytest
from PIL import Image

from timelines.layout.shadows import Shadow, height_for_age, load_shadows, shadow_for_age
from timelines.model.problems import TimelinesError


def _image(path: Path, size: tuple[int, int] = (30, 60)) -> Path:
    Image.new("RGBA", size, (90, 90, 90, 255)).save(path)
    return path


def test_shipped_shadows_span_baby_to_teenager():
    shadows = load_shadows()
    ages = [s.age for s in shadows]
    assert ages == sorted(ages)
    assert len(ages) >= 5
    assert ages[0] == 0 and ages[-1] >= 14
    assert ages == [0, 1, 3, 5, 8, 11, 14, 17]


def test_shipped_shadows_are_240px_grey_on_transparent():
    for shadow in load_shadows():
        assert shadow.height_px == 240
        assert shadow.path.name == f"shadow-age-{shadow.age:02d}.png"
        with Image.open(shadow.path) as image:
            assert image.mode == "RGBA"
            colours = {rgba[:3] for _, rgba in image.getcolors(maxcolors=100_000)}
            assert colours == {(0x5A, 0x5A, 0x5A)}
            alpha = image.getchannel("A")
            corners = [(0, 0), (image.width - 1, 0), (0, image.height - 1)]
            assert [alpha.getpixel(xy) for xy in corners] == [0, 0, 0]
            assert alpha.histogram()[255] > image.width * image.height // 5  # solid inside
            assert alpha.getbbox() is not None


def test_user_folder_reads_age_from_any_number_in_the_name(tmp_path):
    _image(tmp_path / "toddler_2.png", (40, 80))
    _image(tmp_path / "age-4.png")
    _image(tmp_path / "teen 15.png")
    (tmp_path / "notes-3.txt").write_text("not an image")
    _image(tmp_path / "no-number.png")
    shadows = load_shadows(tmp_path)
    assert [(s.age, s.path.name) for s in shadows] == [
        (2, "toddler_2.png"),
        (4, "age-4.png"),
        (15, "teen 15.png"),
    ]
    assert shadows[0].width_px == 40 and shadows[0].height_px == 80
    assert shadows[0].aspect == 0.5


def test_user_folder_accepts_jpeg(tmp_path):
    Image.new("RGB", (20, 50), (90, 90, 90)).save(tmp_path / "child_6.jpg")
    (shadow,) = load_shadows(tmp_path)
    assert (shadow.age, shadow.width_px, shadow.height_px) == (6, 20, 50)


def test_empty_folder_is_a_clear_error(tmp_path):
    with pytest.raises(TimelinesError) as caught:
        load_shadows(tmp_path)
    assert str(caught.value) == (
        f"No shadow images in {tmp_path}: expected .png or .jpg files"
        " with the age in years in the name, such as age-4.png"
    )


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(TimelinesError, match="Shadow folder not found: "):
        load_shadows(tmp_path / "nowhere")


def test_unreadable_image_is_a_clear_error(tmp_path):
    (tmp_path / "age-3.png").write_text("not really a png")
    with pytest.raises(TimelinesError, match="Cannot read shadow image .*age-3.png"):
        load_shadows(tmp_path)


def _shadows(*ages: int) -> tuple[Shadow, ...]:
    return tuple(Shadow(age, Path(f"age-{age}.png"), 10, 20) for age in ages)


@pytest.mark.parametrize(
    ("age", "expected"),
    [(-0.5, 0), (0.0, 0), (0.9, 0), (1.0, 1), (2.99, 1), (3.0, 3), (7.5, 5), (16.0, 14), (40, 17)],
)
def test_shadow_for_age_takes_the_nearest_at_or_below(age, expected):
    assert shadow_for_age(_shadows(0, 1, 3, 5, 14, 17), age).age == expected


def test_shadow_for_age_uses_the_youngest_for_a_younger_child():
    assert shadow_for_age(_shadows(5, 2, 9), 1.0).age == 2


def test_shadow_for_age_needs_shadows():
    with pytest.raises(TimelinesError, match="no shadows"):
        shadow_for_age((), 3)


def test_height_follows_the_growth_chart_and_clamps():
    assert height_for_age(0) == 50
    assert height_for_age(1) == 75
    assert height_for_age(4) == pytest.approx(102.5)
    assert height_for_age(17) == 170
    assert height_for_age(-2) == 50
    assert height_for_age(30) == 170


def test_height_is_monotonic():
    heights = [height_for_age(tenth / 10) for tenth in range(0, 171)]
    assert all(b > a for a, b in pairwise(heights))
    assert height_for_age(-1) == heights[0] and height_for_age(18) == heights[-1]


def test_generator_reproduces_the_shipped_images_byte_for_byte(tmp_path):
    shipped = Path(__file__).resolve().parent.parent / "assets" / "shadows"
    script = shipped / "draw_shadows.py"
    subprocess.run([sys.executable, str(script), "--out", str(tmp_path)], check=True)
    made = sorted(p.name for p in tmp_path.glob("*.png"))
    assert made == sorted(p.name for p in shipped.glob("shadow-age-*.png"))
    for name in made:
        assert (tmp_path / name).read_bytes() == (shipped / name).read_bytes(), name


def test_one_child_throughout_by_the_sex_given(tmp_path):
    """A girl's shadows come from the 'girl' set; a boy's, or a child whose sex is not
    given, from the default set: the same figure at every age, never a mixture."""
    default, girl = load_shadows(), load_shadows(sex="female")
    assert load_shadows(sex="male") == default == load_shadows(sex="")
    assert {s.path.parent.name for s in girl} == {"girl"}
    assert [s.age for s in girl] == [s.age for s in default]


def test_a_shadow_stands_at_every_age_or_at_even_steps():
    from datetime import date

    from timelines.layout.plot import Rows, shadow_items
    from timelines.layout.scale import TimeScale

    rows = Rows.for_area(30.0, 500.0, True)
    born = date(2008, 3, 1)
    for width in (700.0, 160.0):
        scale = TimeScale(born, date(2025, 6, 1), 40.0, 40.0 + width)
        items = shadow_items(scale, rows, born, load_shadows())
        centres = [item.x + item.w / 2 for item in items]
        steps = {round((b - a) / scale.points_per_day / 365.25) for a, b in pairwise(centres)}
        assert len(steps) == 1 or max(steps) - min(steps) <= 1  # even steps (edges clamp)
        assert all(item.y == rows.shadows[0] for item in items)  # standing on the age row
        assert all(a.x + a.w < b.x for a, b in pairwise(items))
    assert len(shadow_items(TimeScale(born, date(2025, 6, 1), 40, 740), rows, born,
                            load_shadows())) == 18  # fmt: skip
