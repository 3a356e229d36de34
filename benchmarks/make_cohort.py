"""Write a synthetic cohort in the contract CSV format (seeded: same N, same files).

    python benchmarks/make_cohort.py N OUTDIR [SEED]

N children in sibling groups of 1-5; each has 15-80 events and 1-12
placements; siblings share some carers so the together-links show.
"""

from __future__ import annotations

import csv
import random
import sys
from datetime import date, timedelta
from pathlib import Path

AS_OF = date(2025, 6, 1)
FIRST = ("Amy", "Ben", "Cara", "Dan", "Eve", "Finn", "Gail", "Hugh", "Isla", "Jack", "Kirsty")
LAST = ("Reid", "Kerr", "Nowak", "Brown", "Smith", "Wilson", "Campbell", "Stewart", "Murray")
EVENTS = (
    ("referral", "Referral from school"),
    ("child_protection", "CP case conference"),
    ("hearing", "Children's Hearing: CSO continued"),
    ("review", "LAC review"),
    ("decision", "Permanence decision"),
    ("panel", "Permanence panel"),
    ("court", "Court: PO application lodged"),
    ("order", "Permanence order granted"),
    ("contact", "Contact with mother"),
    ("health", "Health assessment"),
    ("education", "Moved school"),
    ("family", "Father released from prison"),
)
TYPES = ("home", "kinship", "foster", "foster", "foster", "residential", "secure", "adoptive")


def day(d: date) -> str:
    return f"{d:%d/%m/%Y}"


def family(rng: random.Random, group: str, first_id: int, size: int) -> tuple[list, list, list]:
    children, events, placements = [], [], []
    surname = rng.choice(LAST)
    shared = [f"{rng.choice(LAST)} family (carers {group}-{k})" for k in range(4)]
    for k in range(size):
        cid = f"C{first_id + k:06d}"
        born = AS_OF - timedelta(days=rng.randint(400, 17 * 365))
        children.append([cid, f"{rng.choice(FIRST)} {surname}", day(born), group])
        span = (AS_OF - born).days
        events.append([cid, day(born), "Born", "birth", "", "Health", ""])
        for _ in range(rng.randint(14, 79)):
            category, label = rng.choice(EVENTS)
            when = born + timedelta(days=rng.randint(1, span - 1))
            key = "yes" if category in ("decision", "order") else ""
            events.append([cid, day(when), label, category, "Synthetic detail.", "SW", key])
        count = rng.randint(1, 12)
        cuts = sorted(rng.sample(range(1, span), count))
        for i, start in enumerate(cuts):
            end = cuts[i + 1] if i + 1 < len(cuts) else None
            carer = rng.choice(shared) if rng.random() < 0.5 else f"Carer {cid}-{i}"
            placements.append(
                [
                    cid,
                    day(born + timedelta(days=start)),
                    day(born + timedelta(days=end)) if end else "",
                    rng.choice(TYPES),
                    carer,
                    "Synthetic reason",
                ]
            )
    return children, events, placements


def make_cohort(n: int, out: Path, seed: int = 903) -> Path:
    """Write children.csv, chronology.csv and placements.csv for ``n`` children."""
    rng = random.Random(seed)
    children = [["child_id", "name", "date_of_birth", "sibling_group"]]
    events = [["child_id", "date", "event", "category", "detail", "source", "key"]]
    placements = [["child_id", "start_date", "end_date", "placement_type", "carer", "reason"]]
    made, group = 0, 0
    while made < n:
        size = min(rng.randint(1, 5), n - made)
        group += 1
        c, e, p = family(rng, f"SG{group:05d}", made + 1, size)
        children += c
        events += e
        placements += p
        made += size
    out.mkdir(parents=True, exist_ok=True)
    for name, rows in (
        ("children.csv", children),
        ("chronology.csv", events),
        ("placements.csv", placements),
    ):
        with (out / name).open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerows(rows)
    return out


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    out = Path(sys.argv[2] if len(sys.argv) > 2 else "cohort")
    folder = make_cohort(count, out, *(int(seed) for seed in sys.argv[3:4]))
    print(f"wrote {count} children to {folder}")
