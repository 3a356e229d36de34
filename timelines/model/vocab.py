"""Default vocabularies: event categories and placement types, with their words."""

from __future__ import annotations

from functools import lru_cache

CATEGORIES: dict[str, str] = {
    "birth": "Birth",
    "referral": "Referral",
    "child_protection": "Child protection",
    "hearing": "Children's Hearing",
    "review": "LAC review",
    "decision": "Decision",
    "panel": "Panel",
    "court": "Court",
    "order": "Order",
    "placement": "Placement",
    "contact": "Contact",
    "health": "Health",
    "education": "Education",
    "family": "Family",
    "other": "Other",
}

PLACEMENT_TYPES: dict[str, str] = {
    "home": "At home (CSO)",
    "kinship": "Kinship care",
    "foster": "Foster care",
    "residential": "Residential care",
    "secure": "Secure care",
    "adoptive": "Prospective adopters",
    "other": "Other",
}

# Categories that count as decisions for "time since the last decision".
DECISION_CATEGORIES = frozenset({"hearing", "decision", "panel", "court", "order"})


@lru_cache(maxsize=4096)
def normalise_code(text: str) -> str:
    """'Child Protection ' -> 'child_protection'."""
    return "_".join(str(text).strip().lower().replace("-", " ").split())
