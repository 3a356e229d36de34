"""Draw the child-shadow silhouettes: ``python assets/shadows/draw_shadows.py``.

Each figure is built from simple shapes (head, torso, tapered limbs) measured in
centimetres for a typical child of that age, drawn at four times the final size
and scaled down with LANCZOS so the edges are smooth. The output is a PNG per
age, 240 px high, cropped to the figure, solid #5A5A5A on a transparent
background. Re-running gives byte-identical files (no timestamps are written).

``--preview FILE`` also writes all the figures side by side at their real
relative heights, for checking by eye.
"""

from __future__ import annotations

import argparse
import math
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
FILL = (0x5A, 0x5A, 0x5A)
HEIGHT_PX = 240
PAD_PX = 4
SUPERSAMPLE = 4

Point = tuple[float, float]
Shape = list[Point]


# --- shapes (all measurements in cm, y grows downwards from the top of the head) -------


def ellipse(cx: float, cy: float, w: float, h: float, turn: float = 0.0, n: int = 96) -> Shape:
    """An ellipse of width w and height h, turned by ``turn`` degrees."""
    c, s = math.cos(math.radians(turn)), math.sin(math.radians(turn))
    points = []
    for i in range(n):
        t = 2 * math.pi * i / n
        x, y = w / 2 * math.cos(t), h / 2 * math.sin(t)
        points.append((cx + x * c - y * s, cy + x * s + y * c))
    return points


def _catmull_rom(p0: Point, p1: Point, p2: Point, p3: Point, steps: int) -> list[Point]:
    out = []
    for j in range(steps):
        t = j / steps
        t2, t3 = t * t, t * t * t
        out.append(
            tuple(
                0.5
                * (
                    2 * p1[k]
                    + (p2[k] - p0[k]) * t
                    + (2 * p0[k] - 5 * p1[k] + 4 * p2[k] - p3[k]) * t2
                    + (3 * p1[k] - p0[k] - 3 * p2[k] + p3[k]) * t3
                )
                for k in (0, 1)
            )
        )
    return out


def smooth(points: list[Point], steps: int = 12) -> Shape:
    """A closed smooth curve through the points."""
    n = len(points)
    out: Shape = []
    for i in range(n):
        out += _catmull_rom(*(points[(i + k) % n] for k in (-1, 0, 1, 2)), steps)
    return out


def smooth_open(points: list[Point], steps: int = 8) -> Shape:
    """An open smooth curve through the points, ending on the last one."""
    padded = [points[0], *points, points[-1]]
    out: Shape = []
    for i in range(1, len(padded) - 2):
        out += _catmull_rom(*padded[i - 1 : i + 3], steps)
    return out + [points[-1]]


def _arc(c: Point, r: float, a0: float, a1: float, n: int = 20) -> Shape:
    return [
        (c[0] + r * math.cos(a0 + (a1 - a0) * i / n), c[1] + r * math.sin(a0 + (a1 - a0) * i / n))
        for i in range(n + 1)
    ]


def segment(p1: Point, p2: Point, widths: tuple[float, ...]) -> Shape:
    """A straight limb from p1 to p2 whose width follows ``widths``, with round ends."""
    dx, dy = p2[0] - p1[0], p2[1] - p1[1]
    length = math.hypot(dx, dy) or 1e-6
    ux, uy = dx / length, dy / length
    at = [i / (len(widths) - 1) for i in range(len(widths))]
    centre = [(p1[0] + t * dx, p1[1] + t * dy) for t in at]
    left = [(x - uy * w / 2, y + ux * w / 2) for (x, y), w in zip(centre, widths, strict=True)]
    right = [(x + uy * w / 2, y - ux * w / 2) for (x, y), w in zip(centre, widths, strict=True)]
    theta = math.atan2(uy, ux)
    half = math.pi / 2
    return (
        smooth_open(left)
        + _arc(p2, widths[-1] / 2, theta + half, theta - half)
        + list(reversed(smooth_open(right)))
        + _arc(p1, widths[0] / 2, theta - half, theta - 3 * half)
    )


def mirrored(right: list[Point]) -> list[Point]:
    """Right-hand outline points (top to bottom) plus their mirror image (bottom to top)."""
    return right + [(-x, y) for x, y in reversed(right) if x != 0]


def toward(p: Point, degrees: float, length: float, side: int) -> Point:
    """The point ``length`` from p; 0 degrees hangs down, 90 points away from the body."""
    a = math.radians(degrees)
    return (p[0] + side * length * math.sin(a), p[1] + length * math.cos(a))


# --- a standing child, seen from the front --------------------------------------------------


@dataclass(frozen=True)
class Body:
    """Measurements in cm; widths are silhouette widths seen from the front."""

    height: float
    head_h: float
    head_w: float
    neck: float  # visible neck length
    neck_w: float
    shoulders: float  # across the outside of the shoulders
    waist: float
    hips: float
    crotch: float  # height of the crotch above the floor
    thigh: float
    knee: float
    ankle: float
    upper_arm: float
    wrist: float
    arm: float  # shoulder joint to fingertip
    foot: float  # shoe width seen from the front

    @property
    def top(self) -> float:
        """Where the neck meets the shoulders."""
        return self.head_h + self.neck

    @property
    def waist_y(self) -> float:
        return self.top + (self.height - self.crotch - self.top) * 0.6


@dataclass(frozen=True)
class Arm:
    """Angles in degrees: 0 hangs down, 90 points out sideways, 180 points up."""

    upper: float = 8.0
    fore: float = 4.0
    hand: float | None = None  # None: in line with the forearm
    pocket: bool = False  # the hand is hidden in a pocket


@dataclass(frozen=True)
class Pose:
    """How a figure stands and what it wears."""

    left: Arm = field(default_factory=Arm)  # the arm on the left of the picture
    right: Arm = field(default_factory=Arm)
    stance: float = 1.0  # how far apart the feet are, relative to the hips
    hair: str = "short"  # short, curls, pigtails, ponytail, long
    dress: str = ""  # "", "dress" or "skirt"
    ball: bool = False  # a ball held in the right-hand hand


def head(b: Body, hair: str) -> list[Shape]:
    """The head with its hair (and ears where the hair is short)."""
    w, h = b.head_w, b.head_h
    right = [
        (0, 0),
        (0.28 * w, 0.05 * h),
        (0.44 * w, 0.18 * h),
        (0.5 * w, 0.42 * h),
        (0.47 * w, 0.66 * h),
        (0.35 * w, 0.86 * h),
        (0.14 * w, 0.98 * h),
        (0, h),
    ]
    shapes = [smooth(mirrored(right))]
    if hair in ("short", "curls"):
        shapes.append(ellipse(0, 0.36 * h, 1.04 * w, 0.74 * h))
        for side in (-1, 1):
            shapes.append(ellipse(side * 0.49 * w, 0.53 * h, 0.16 * w, 0.24 * h, side * 10))
    if hair == "curls":
        for i in range(9):
            a = math.radians(-180 + i * 22.5)
            shapes.append(ellipse(0.5 * w * math.cos(a), 0.38 * h + 0.4 * h * math.sin(a), 5, 5))
    if hair in ("pigtails", "ponytail"):
        shapes.append(ellipse(0, 0.4 * h, 1.06 * w, 0.84 * h))
    if hair == "pigtails":
        for side in (-1, 1):
            knot = (side * 0.42 * w, 0.2 * h)
            end = (side * (0.5 * w + 5.5), 0.3 * h)
            shapes.append(ellipse(*knot, 4.0, 4.0))
            shapes.append(segment(knot, end, (3.0, 5.5, 6.0, 3.0)))
    if hair == "ponytail":
        knot = (0.4 * w, 0.12 * h)
        bend = (0.5 * w + 3.2, 0.32 * h)
        tip = (0.5 * w + 3.8, 0.95 * h)
        shapes += [ellipse(*knot, 4.6, 4.6), segment(knot, bend, (3.6, 5.0, 5.6))]
        shapes.append(segment(bend, tip, (5.6, 5.4, 4.0, 1.6)))
    if hair == "long":
        drop = b.top + 8
        right = [
            (0, -0.4),
            (0.3 * w, 0.02 * h),
            (0.48 * w, 0.18 * h),
            (0.55 * w, 0.42 * h),
            (0.6 * w, 0.7 * h),
            (0.62 * w, b.top - 1),
            (0.66 * w, drop - 3.0),
            (0.5 * w, drop),
            (0.2 * w, drop - 1.5),
            (0, drop - 2.5),
        ]
        shapes.append(smooth(mirrored(right)))
    return shapes


def torso(b: Body) -> Shape:
    """Shoulders, chest, waist and hips as one smooth outline."""
    top, ua = b.top, b.upper_arm
    hip_y = b.height - b.crotch - 3.5
    right = [
        (0, top - 1.0),
        (b.neck_w * 0.5, top - 0.8),
        (b.neck_w * 0.5 + (b.shoulders - b.neck_w) * 0.22, top + 1.0),
        (b.shoulders * 0.5 - ua * 0.4, top + 2.2),
        (b.shoulders * 0.5, top + ua * 0.95),
        (max(b.shoulders * 0.5 - ua * 0.7, b.waist * 0.5), top + ua * 2.3),
        (b.waist * 0.5, b.waist_y),
        (b.hips * 0.5, hip_y),
        (b.hips * 0.49, b.height - b.crotch + 0.5),
        (0, b.height - b.crotch + 1.0),
    ]
    return smooth(mirrored(right))


def neck(b: Body) -> Shape:
    """The neck, overlapping the head and the shoulders."""
    return segment((0, b.head_h * 0.7), (0, b.top + 1.5), (b.neck_w, b.neck_w * 1.15))


def shoe(x: float, b: Body) -> Shape:
    """A shoe seen from the front, flat underneath."""
    h = b.ankle * 1.0
    oval = ellipse(x, b.height - h * 0.5, b.foot * 1.4, h * 1.3)
    return [(px, min(py, b.height)) for px, py in oval]


def leg(b: Body, side: int, stance: float) -> list[Shape]:
    """Thigh, shin (with a calf) and shoe; side is -1 (left of the picture) or 1."""
    hip = (side * (b.hips * 0.5 - b.thigh * 0.5), b.height - b.crotch - b.thigh * 0.6)
    ankle = (side * (b.hips * 0.5 - b.thigh * 0.5) * stance, b.height - b.ankle * 1.1)
    knee = ((hip[0] + ankle[0]) / 2 - side * 0.3, b.height - b.crotch * 0.56)
    k, t = b.knee, b.thigh
    return [
        segment(hip, knee, (t, t * 0.93, t * 0.8, k)),
        segment(knee, ankle, (k, k * 1.06, k * 0.98, b.ankle * 1.1, b.ankle)),
        shoe(ankle[0] + side * b.foot * 0.22, b),
    ]


def arm(b: Body, side: int, a: Arm) -> tuple[list[Shape], Point]:
    """The arm's shapes and the middle of the hand."""
    ua, wr = b.upper_arm, b.wrist
    shoulder = (side * (b.shoulders * 0.5 - ua * 0.5), b.top + ua * 0.8)
    elbow = toward(shoulder, a.upper, b.arm * 0.42, side)
    wrist = toward(elbow, a.fore, b.arm * 0.33, side)
    shapes = [
        segment(shoulder, elbow, (ua, ua * 1.0, ua * 0.84)),
        segment(elbow, wrist, (ua * 0.84, ua * 0.88, wr * 1.1, wr)),
    ]
    if a.pocket:
        return shapes, wrist
    angle = a.fore if a.hand is None else a.hand
    tip = toward(wrist, angle, b.arm * 0.25 - wr * 0.45, side)
    shapes.append(segment(wrist, tip, (wr, wr * 1.45, wr * 1.4, wr * 1.05)))
    thumb = toward(wrist, angle - 30, b.arm * 0.12, side)
    shapes.append(segment(toward(wrist, angle, wr * 0.3, side), thumb, (wr * 0.6, wr * 0.5)))
    return shapes, toward(wrist, angle, b.arm * 0.1, side)


def clothes(b: Body, dress: str) -> list[Shape]:
    """A dress from the chest or a skirt from the waist, flared at the hem."""
    if dress == "dress":
        start, hem, flare = b.top + b.upper_arm * 2.0, b.height - b.crotch * 0.5, 1.6
    elif dress == "skirt":
        start, hem, flare = b.waist_y, b.height - b.crotch * 0.6, 1.25
    else:
        return []
    half = b.hips * flare * 0.5
    side = smooth_open(
        [(b.waist * 0.5, start), (b.hips * 0.53, b.height - b.crotch - 2.0), (half, hem - 1.0)]
    )
    right = [(0, start), *side, (half - 0.6, hem), (0, hem)]
    return [mirrored(right)]


def standing(b: Body, pose: Pose) -> list[Shape]:
    """A whole standing child."""
    shapes = head(b, pose.hair) + [neck(b), torso(b)] + clothes(b, pose.dress)
    for side in (-1, 1):
        shapes += leg(b, side, pose.stance)
    for side, a in ((-1, pose.left), (1, pose.right)):
        arm_shapes, hand = arm(b, side, a)
        shapes += arm_shapes
        if pose.ball and side == 1:
            r = 10.5
            shapes.append(ellipse(hand[0] + r * 0.6, hand[1] - r * 0.15, 2 * r, 2 * r))
    return shapes


# --- a sitting baby, seen from the side, facing right ---------------------------------------


# The head in profile, facing right: crown, forehead, nose, chin, then the back of the head.
BABY_HEAD = [
    (0.0, 0.3),
    (5.2, 1.4),
    (8.4, 4.6),
    (9.5, 8.2),
    (10.3, 10.2),
    (9.6, 11.4),
    (9.5, 12.8),
    (8.2, 14.8),
    (5.6, 15.9),
    (3.6, 17.0),
    (-4.4, 15.2),
    (-7.0, 11.0),
    (-7.6, 6.6),
    (-5.4, 2.3),
]


def sitting_baby() -> list[Shape]:
    """A baby sitting on the floor, legs out in front, reaching forward."""
    shapes = [
        smooth(BABY_HEAD),
        segment((2.0, 0.9), (3.4, -0.9), (2.2, 1.4)),  # a curl of hair
        segment((3.4, -0.9), (5.0, -0.6), (1.4, 1.0)),
    ]
    body = [
        (-3.4, 14.5),
        (-4.6, 19.5),
        (-5.6, 26.0),
        (-5.6, 32.5),
        (-4.4, 37.0),
        (-2.0, 39.8),
        (2.0, 40.0),
        (5.2, 37.5),
        (6.2, 31.5),
        (5.8, 25.0),
        (4.6, 19.0),
        (3.4, 15.5),
    ]
    shapes.append(smooth(body))
    # the far leg, a little higher, then the near leg; knees slightly up, feet point up
    shapes += [
        segment((0.5, 33.0), (9.0, 29.6), (8.4, 7.6, 6.2)),
        segment((9.0, 29.6), (15.0, 35.4), (6.2, 5.8, 4.0)),
        segment((15.0, 35.4), (17.0, 30.8), (4.0, 4.8, 3.6)),
        segment((1.0, 36.2), (11.6, 35.0), (9.6, 8.8, 7.0)),
        segment((11.6, 35.0), (20.0, 39.0), (7.0, 6.4, 4.4)),
        segment((20.0, 39.0), (23.0, 34.4), (4.4, 5.4, 4.0)),
    ]
    # an arm reaching forward
    shapes += [
        segment((0.5, 19.0), (3.4, 25.8), (6.2, 5.8, 5.2)),
        segment((3.4, 25.8), (9.8, 23.0), (5.2, 4.8, 4.0)),
        segment((9.8, 23.0), (12.8, 20.6), (4.0, 5.0, 4.2)),
    ]
    return shapes


# --- the children ------------------------------------------------------------------------


def body_for(age: int) -> Body:
    """Typical front-view measurements (cm) of a child of this age."""
    return {
        1: Body(75, 18.0, 15.6, 1.2, 7.0, 22, 21, 21, 27, 10.5, 8.0, 5.8, 6.2, 4.4, 29, 7.0),
        3: Body(95, 19.6, 15.8, 2.5, 7.0, 24, 20, 21, 39, 10.0, 7.2, 5.0, 6.0, 4.4, 37, 7.6),
        5: Body(110, 20.4, 15.8, 3.5, 7.2, 27, 20, 22, 48, 11.0, 7.6, 5.2, 6.4, 4.6, 44, 8.0),
        8: Body(128, 21.0, 16.0, 5.0, 7.6, 30, 21, 24, 58, 12.4, 8.2, 5.6, 7.0, 4.8, 53, 8.6),
        11: Body(143, 22.0, 16.4, 6.0, 8.2, 33, 22, 26, 67, 13.4, 8.8, 6.0, 7.4, 5.0, 61, 9.0),
        14: Body(160, 22.8, 16.4, 7.0, 8.6, 36, 24, 33, 76, 15.4, 9.4, 6.4, 7.8, 5.2, 69, 9.0),
        17: Body(170, 23.0, 16.6, 7.0, 11.5, 44, 28, 33, 81, 16.0, 10.2, 7.0, 9.6, 6.0, 75, 10.0),
    }[age]


POSES: dict[int, Pose] = {
    1: Pose(Arm(22, 12), Arm(120, 152), stance=1.35, hair="curls"),
    3: Pose(Arm(12, 6), Arm(75, 165, 175), stance=1.2),
    5: Pose(Arm(14, 8), Arm(14, 20), stance=1.3),
    8: Pose(Arm(10, 6), Arm(45, -60, -80), stance=1.2),
    11: Pose(Arm(9, 4), Arm(12, 16), stance=1.25, ball=True),
    14: Pose(Arm(9, 4), Arm(9, 14), stance=1.0),
    17: Pose(Arm(8, 4), Arm(22, -25, pocket=True), stance=1.2),
}
# The same child throughout: short hair (the default, for a boy or when the sex is not
# given), or for a girl pigtails when small, then a ponytail, then long hair. No dresses:
# clothes change, the child does not.
GIRL_HAIR = {1: "curls", 3: "pigtails", 5: "pigtails", 8: "ponytail", 11: "ponytail",
             14: "long", 17: "long"}  # fmt: skip
SETS = {"": {}, "girl": GIRL_HAIR}  # sub-folder: hair by age


def figure(age: int, hair: dict[int, str] | None = None) -> list[Shape]:
    """The shapes of the figure for one age (with the set's hair)."""
    if age == 0:
        return sitting_baby()
    pose = POSES[age]
    if hair and age in hair:
        pose = Pose(pose.left, pose.right, pose.stance, hair[age], pose.dress, pose.ball)
    return standing(body_for(age), pose)


AGES = (0, 1, 3, 5, 8, 11, 14, 17)


# --- rendering ----------------------------------------------------------------------------


def render(shapes: list[Shape], height_px: int = HEIGHT_PX) -> Image.Image:
    """Draw at SUPERSAMPLE x, crop to the figure, pad, and scale down to height_px."""
    ys = [y for shape in shapes for _, y in shape]
    xs = [x for shape in shapes for x, _ in shape]
    scale = (height_px - 2 * PAD_PX) * SUPERSAMPLE / (max(ys) - min(ys))
    margin = 8
    size = (
        math.ceil((max(xs) - min(xs)) * scale) + 2 * margin,
        math.ceil((max(ys) - min(ys)) * scale) + 2 * margin,
    )
    mask = Image.new("L", size, 0)
    draw = ImageDraw.Draw(mask)
    for shape in shapes:
        draw.polygon(
            [((x - min(xs)) * scale + margin, (y - min(ys)) * scale + margin) for x, y in shape],
            fill=255,
        )
    left, top, right, bottom = mask.getbbox()
    pad = PAD_PX * SUPERSAMPLE
    mask = mask.crop((left - pad, top - pad, right + pad, bottom + pad))
    width_px = max(1, round(mask.width * height_px / mask.height))
    mask = mask.resize((width_px, height_px), Image.Resampling.LANCZOS)
    image = Image.new("RGBA", mask.size, (*FILL, 0))
    image.putalpha(mask)
    return image


def file_name(age: int) -> str:
    """shadow-age-05.png"""
    return f"shadow-age-{age:02d}.png"


def real_height(age: int) -> float:
    """The height (cm) each image stands for: standing height, or sitting height for a baby."""
    return 45.0 if age == 0 else body_for(age).height


def preview(images: dict[int, Image.Image], path: Path) -> None:
    """All figures side by side, scaled to their real relative heights."""
    px_per_cm = 2.4
    scaled = []
    for age, image in images.items():
        h = round(real_height(age) * px_per_cm * HEIGHT_PX / (HEIGHT_PX - 2 * PAD_PX))
        scaled.append(image.resize((round(image.width * h / image.height), h), Image.LANCZOS))
    width = sum(im.width for im in scaled) + 20 * (len(scaled) + 1)
    height = max(im.height for im in scaled) + 40
    sheet = Image.new("RGBA", (width, height), (255, 255, 255, 255))
    ImageDraw.Draw(sheet).line([(0, height - 20), (width, height - 20)], fill=(180, 180, 180))
    x = 20
    for im in scaled:
        sheet.alpha_composite(im, (x, height - 20 - im.height + round(PAD_PX * 2.4)))
        x += im.width + 20
    sheet.convert("RGB").save(path)


def main() -> None:
    """Write every shadow (and the preview when asked)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="folder to write the PNGs to")
    parser.add_argument("--preview", type=Path, help="also write a side-by-side preview here")
    args = parser.parse_args()
    for folder, hair in SETS.items():
        images = {age: render(figure(age, hair)) for age in AGES}
        out = args.out / folder
        out.mkdir(exist_ok=True)
        for age, image in images.items():
            image.save(out / file_name(age), format="PNG", optimize=False, compress_level=9)
        if args.preview:
            stem = args.preview.stem + (f"-{folder}" if folder else "")
            preview(images, args.preview.with_stem(stem))


if __name__ == "__main__":
    main()
