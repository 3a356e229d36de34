"""Child shadows: silhouettes that show the child's age along the time axis.

Loading a folder of shadow images is part of loading (it only reads the image
sizes); choosing a shadow and a child's typical height are pure functions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from timelines.model.problems import TimelinesError
from timelines.resources import shadows_dir

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")
MAX_AGE = 25
_NUMBER = re.compile(r"\d+")

# Typical height (cm) by age in years, after the UK growth charts (boys and girls averaged).
HEIGHTS_CM = (
    (0, 50.0), (1, 75.0), (2, 87.0), (3, 95.0), (5, 110.0),
    (8, 128.0), (11, 143.0), (14, 160.0), (17, 170.0),
)  # fmt: skip


@dataclass(frozen=True)
class Shadow:
    """One silhouette image, for children from ``age`` years old."""

    age: int
    path: Path
    width_px: int
    height_px: int

    @property
    def aspect(self) -> float:
        """Width divided by height."""
        return self.width_px / self.height_px


def load_shadows(folder: Path | None = None, sex: str = "") -> tuple[Shadow, ...]:
    """The shadows in a folder (the shipped ones by default), youngest first: one child
    throughout. For a child whose sex is given, a sub-folder named ``girl`` or ``boy``
    is used when there is one (the shipped shadows have ``girl``; the others are for
    boys and for children whose sex is not given).

    Every ``.png``/``.jpg`` whose name holds a number is used; the first number
    is the age in years. Raise ``TimelinesError`` when there is none.
    """
    base = Path(folder) if folder is not None else shadows_dir()
    own = base / SETS.get(sex, "")
    return _load(own if own != base and own.is_dir() else base)


SETS = {"female": "girl", "male": "boy"}  # a child's sex: the sub-folder of their shadows


@cache
def _load(folder: Path) -> tuple[Shadow, ...]:
    if not folder.is_dir():
        raise TimelinesError(f"Shadow folder not found: {folder}")
    by_age: dict[int, Shadow] = {}
    for path in sorted(folder.iterdir()):
        age = _age_in_name(path)
        if age is not None and age not in by_age:
            by_age[age] = _shadow(age, path)
    if not by_age:
        raise TimelinesError(
            f"No shadow images in {folder}: expected .png or .jpg files"
            " with the age in years in the name, such as age-4.png"
        )
    return tuple(by_age[age] for age in sorted(by_age))


def _age_in_name(path: Path) -> int | None:
    if path.suffix.lower() not in IMAGE_SUFFIXES or not path.is_file():
        return None
    match = _NUMBER.search(path.stem)
    if match is None or int(match[0]) > MAX_AGE:
        return None
    return int(match[0])


def _shadow(age: int, path: Path) -> Shadow:
    try:
        with Image.open(path) as image:  # reads the header only
            width, height = image.size
    except (OSError, UnidentifiedImageError) as exc:
        raise TimelinesError(f"Cannot read shadow image {path}: {exc}") from exc
    return Shadow(age, path, width, height)


def shadow_for_age(shadows: tuple[Shadow, ...], age_years: float) -> Shadow:
    """The shadow for the nearest age at or below ``age_years`` (the youngest if younger)."""
    if not shadows:
        raise TimelinesError("There are no shadows to choose from")
    ordered = sorted(shadows, key=lambda s: s.age)
    chosen = ordered[0]
    for shadow in ordered:
        if shadow.age <= age_years:
            chosen = shadow
    return chosen


def height_for_age(age_years: float) -> float:
    """A typical child's height in cm at this age (interpolated, clamped to 0-17 years)."""
    if age_years <= HEIGHTS_CM[0][0]:
        return HEIGHTS_CM[0][1]
    for (a0, h0), (a1, h1) in pairwise(HEIGHTS_CM):
        if age_years <= a1:
            return h0 + (h1 - h0) * (age_years - a0) / (a1 - a0)
    return HEIGHTS_CM[-1][1]
