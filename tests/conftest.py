"""Shared fixtures: the repository's samples and a fixed 'today'."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"
TODAY = date(2026, 11, 22)


@pytest.fixture
def samples() -> Path:
    return SAMPLES


@pytest.fixture
def today() -> date:
    return TODAY
