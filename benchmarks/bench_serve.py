"""Time the page of `timelines serve` on the sample child: upload, an edit, a choice, the PDF.

    python benchmarks/bench_serve.py [RUNS]

Each step goes through the application as the browser's requests do (Starlette's
test client, no network): the time a social worker waits for the page and its
preview after each action. Prints the median and slowest of RUNS (default 10).
Prints figures; not a test. Needs the serve and test extras.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from starlette.testclient import TestClient

from timelines.serve.app import create_app
from timelines.serve.tables import FIELDS, read_tables

ROOT = Path(__file__).resolve().parent.parent
PORT, KEY = 8765, "bench"
SAME = {"sec-fetch-site": "same-origin"}


def main(runs: int) -> None:
    client = TestClient(create_app(KEY, PORT, lambda: None), base_url=f"http://127.0.0.1:{PORT}")
    client.get(f"/?key={KEY}")  # the key swapped for the cookie
    session = client.app.app.state.session
    book = read_tables(ROOT / "samples" / "child").workbook("seonaid.xlsx")

    def upload() -> None:
        client.post("/upload", files=[("files", ("seonaid.xlsx", book))], headers=SAME)
        client.get("/preview.png")

    def edit() -> None:
        fields = {
            f"{sheet}.{i}.{column}": text
            for sheet, rows in session.tables.rows.items()
            for i, row in enumerate(rows)
            for column, text in zip(FIELDS[sheet], row, strict=True)
        }
        fields["chronology.0.event"] += "."
        client.post("/edit", data=fields, headers=SAME)
        client.get("/preview.png")

    def choose() -> None:
        redact = "" if session.choices.redact else "yes"
        client.post("/choices", data={"template": "hearing", "redact": redact}, headers=SAME)
        client.get("/preview.png")

    def download() -> None:
        client.post("/pdf", data={"password": "", "password2": ""}, headers=SAME)

    for name, step in (
        ("upload the workbook, check, preview", upload),
        ("edit a cell, check, preview", edit),
        ("tick or untick redaction, preview", choose),
        ("download the PDF", download),
    ):
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            step()
            times.append(time.perf_counter() - start)
        print(f"{name:40} median {statistics.median(times):.3f} s, slowest {max(times):.3f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
