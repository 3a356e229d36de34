"""Write the fictional run-chart cohort in samples/cohort/ (seeded: the same files every time).

    python benchmarks/make_runchart_cohort.py [OUTDIR]

72 children accommodated between January 2022 and August 2025, followed to
30/09/2025. From January 2024 the (fictional) area holds a planning meeting two
weeks after every child is accommodated and tracks permanence: the time to a
permanence recommendation falls from a median of about 38 weeks to about 21, a
real shift (children already waiting when it starts have their cases reviewed
within four months). Some children are still waiting, two were only looked after at home
(no accommodation: excluded) and one has its recommendation dated before its
accommodation (a typing error: excluded, with the reason). Milestones are given
in the chronology's ``milestone`` column.
"""

from __future__ import annotations

import csv
import math
import random
import sys
from datetime import date, timedelta
from pathlib import Path

AS_OF = date(2025, 9, 30)
FIRST_DAY = date(2022, 1, 10)
LAST_DAY = date(2025, 8, 25)
CHANGE = date(2024, 1, 8)  # the 2-week planning meeting starts
CHILDREN = 72
NAMES = (
    "Ailsa",
    "Blair",
    "Callum",
    "Demi",
    "Eilidh",
    "Fraser",
    "Grace",
    "Harris",
    "Iona",
    "Jamie",
    "Kayla",
    "Lewis",
    "Morven",
    "Niamh",
    "Owen",
    "Peigi",
    "Rory",
    "Skye",
    "Tam",
    "Una",
    "Vari",
    "Wren",
    "Zara",
    "Innes",
)
SURNAMES = ("MacLeod", "Gray", "Duncan", "Ross", "Fraser", "Munro", "Baird", "Sinclair")
CHANGES = (
    (date(2023, 9, 4), "PACE tests of change begin"),
    (CHANGE, "2-week planning meeting for every child accommodated"),
    (date(2024, 6, 3), "Permanence review no later than 6 months"),
)


def day(d: date) -> str:
    return f"{d:%d/%m/%Y}"


def weeks_to_recommendation(rng: random.Random, accommodated: date) -> float:
    """Before the change a median of about 38 weeks, after it about 21 (log-normal)."""
    median = 21 if accommodated >= CHANGE - timedelta(weeks=4) else 38
    return median * math.exp(rng.gauss(0, 0.25))


def child_rows(rng: random.Random, number: int, accommodated: date) -> tuple[list, list, list]:
    cid = f"R{number:03d}"
    born = accommodated - timedelta(days=rng.randint(60, 12 * 365))
    name = f"{rng.choice(NAMES)} {rng.choice(SURNAMES)}"
    events = [
        [
            cid,
            day(accommodated),
            "Accommodated: emergency foster placement",
            "placement",
            "accommodated",
        ],
        [cid, day(accommodated + timedelta(days=3)), "LAC review (72 hours)", "review", ""],
    ]
    if accommodated >= CHANGE:
        events.append(
            [cid, day(accommodated + timedelta(days=14)), "2-week planning meeting", "review", ""]
        )
    events.append(
        [cid, day(accommodated + timedelta(weeks=6)), "LAC review (6 weeks)", "review", ""]
    )
    weeks = weeks_to_recommendation(rng, accommodated)
    recommended = accommodated + timedelta(days=round(weeks * 7))
    if accommodated < CHANGE < recommended:  # already waiting: their cases reviewed
        reviewed = CHANGE + timedelta(weeks=rng.randint(4, 16))
        recommended = max(min(recommended, reviewed), accommodated + timedelta(weeks=16))
    if number in (38, 47):  # complex cases, still waiting
        recommended = AS_OF + timedelta(days=200)
    steps = [
        (
            recommended,
            "Permanence review recommends permanence away from home",
            "review",
            "permanence_recommendation",
        ),
        (recommended + timedelta(weeks=rng.randint(6, 12)), "Permanence panel", "panel", "panel"),
        (None, "Agency decision maker agrees permanence plan", "decision", "adm_decision"),
        (None, "Permanence order application lodged", "court", "court_application"),
        (None, "Permanence order granted", "order", "permanence_achieved"),
    ]
    when = recommended
    for given, label, category, milestone in steps:
        when = given or when + timedelta(weeks=rng.randint(3, 20))
        if when <= AS_OF:
            events.append([cid, day(when), label, category, milestone])
    placements = [
        [cid, day(accommodated), "", "foster", f"{rng.choice(SURNAMES)} family", "Accommodated"]
    ]
    return [[cid, name, day(born)]], events, placements


def cohort(rng: random.Random) -> tuple[list, list, list]:
    span = (LAST_DAY - FIRST_DAY).days
    starts = sorted(FIRST_DAY + timedelta(days=rng.randint(0, span)) for _ in range(CHILDREN))
    children, events, placements = [], [], []
    for number, accommodated in enumerate(starts, 1):
        c, e, p = child_rows(rng, number, accommodated)
        children += c
        events += e
        placements += p
    # Two children looked after at home only: no accommodation, so not on the chart.
    for number in (CHILDREN + 1, CHILDREN + 2):
        cid = f"R{number:03d}"
        start = FIRST_DAY + timedelta(days=rng.randint(0, span))
        children.append(
            [cid, f"{rng.choice(NAMES)} {rng.choice(SURNAMES)}", day(start - timedelta(days=2000))]
        )
        events.append(
            [
                cid,
                day(start),
                "Children's Hearing: CSO made, looked after at home",
                "hearing",
                "looked_after_home",
            ]
        )
        placements.append([cid, day(start), "", "home", "Mother", "CSO at home"])
    # A typing error: the recommendation dated a year before the accommodation.
    cid = f"R{CHILDREN + 3:03d}"
    children.append([cid, f"{rng.choice(NAMES)} {rng.choice(SURNAMES)}", day(date(2016, 3, 2))])
    events.append(
        [
            cid,
            day(date(2024, 5, 13)),
            "Accommodated: kinship placement",
            "placement",
            "accommodated",
        ]
    )
    events.append(
        [
            cid,
            day(date(2023, 10, 2)),
            "Permanence review recommends kinship care",
            "review",
            "permanence_recommendation",
        ]
    )
    placements.append([cid, day(date(2024, 5, 13)), "", "kinship", "Grandmother", "Accommodated"])
    return children, events, placements


def write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    children, events, placements = cohort(random.Random(14))
    write(out / "children.csv", ["child_id", "name", "date_of_birth"], children)
    write(out / "chronology.csv", ["child_id", "date", "event", "category", "milestone"], events)
    header = ["child_id", "start_date", "end_date", "placement_type", "carer", "reason"]
    write(out / "placements.csv", header, placements)
    write(out / "changes.csv", ["date", "text"], [[day(d), t] for d, t in CHANGES])
    print(f"wrote {out}: {len(children)} children, {len(events)} events")


if __name__ == "__main__":
    main(
        Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parents[1] / "samples" / "cohort"
    )
