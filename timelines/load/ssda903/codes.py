"""SSDA903 code lists (DfE guidance; meanings shortened) and the words made from them."""

from __future__ import annotations

SOURCE = "SSDA903"


# PLACE: placement type code, our placement type, what it means.
PLACE_CODES: dict[str, tuple[str, str]] = {
    "A3": ("adoptive", "placed for adoption with consent, with current foster carer"),
    "A4": ("adoptive", "placed for adoption with consent, not with current foster carer"),
    "A5": ("adoptive", "placed for adoption under a placement order, with current foster carer"),
    "A6": (
        "adoptive",
        "placed for adoption under a placement order, not with current foster carer",
    ),
    "H5": ("other", "semi-independent living, not a registered children's home"),
    "K1": ("secure", "secure children's home"),
    "K2": ("residential", "children's home"),
    "K3": ("other", "registered supported accommodation"),
    "P1": ("home", "with parent(s) or other person(s) with parental responsibility"),
    "P2": ("other", "independent living (flat, lodgings, bedsit, with friends)"),
    "P3": ("other", "residential employment"),
    "Q1": ("kinship", "foster placement with relative or friend (older code)"),
    "Q2": ("foster", "foster placement with other foster carer (older code)"),
    "R1": ("residential", "residential care home"),
    "R2": ("other", "NHS or health trust establishment (medical or nursing care)"),
    "R3": ("other", "family centre or mother and baby unit"),
    "R5": ("other", "young offender institution or prison"),
    "S1": ("residential", "residential school"),
    "T0": ("other", "temporary move"),
    "T1": ("other", "temporary period in hospital"),
    "T2": ("other", "temporary absence on holiday"),
    "T3": ("other", "temporary stay while the usual foster carer is on holiday"),
    "T4": ("other", "temporary stay of 7 days or less"),
    "U1": ("kinship", "foster placement with relative or friend, long term"),
    "U2": ("kinship", "foster placement with relative or friend, fostering for adoption"),
    "U3": ("kinship", "foster placement with relative or friend, not long term"),
    "U4": ("foster", "foster placement with other foster carer, long term"),
    "U5": ("foster", "foster placement with other foster carer, fostering for adoption"),
    "U6": ("foster", "foster placement with other foster carer, not long term"),
    "Z1": ("other", "other placement"),
    # From 2025-26 Z1 is split into Z11-Z14; their meanings are not in our reference data.
    "Z11": ("other", "other placement"),
    "Z12": ("other", "other placement"),
    "Z13": ("other", "other placement"),
    "Z14": ("other", "other placement"),
}


# PLACE: a few words for the label of a move ('Moved: foster care, long term (U4)').
PLACE_SHORT: dict[str, str] = {
    "A3": "placed for adoption",
    "A4": "placed for adoption",
    "A5": "placed for adoption",
    "A6": "placed for adoption",
    "H5": "semi-independent living",
    "K1": "secure children's home",
    "K2": "children's home",
    "K3": "supported accommodation",
    "P1": "placed with parent(s)",
    "P2": "independent living",
    "P3": "residential employment",
    "Q1": "kinship foster care",
    "Q2": "foster care",
    "R1": "residential care home",
    "R2": "NHS or health care",
    "R3": "mother and baby unit",
    "R5": "young offender institution",
    "S1": "residential school",
    "T0": "temporary move",
    "T1": "hospital (temporary)",
    "T2": "holiday (temporary)",
    "T3": "while carer on holiday",
    "T4": "stay of 7 days or less",
    "U1": "kinship care, long term",
    "U2": "kinship fostering for adoption",
    "U3": "kinship foster care",
    "U4": "foster care, long term",
    "U5": "fostering for adoption",
    "U6": "foster care",
    "Z1": "other placement",
    "Z11": "other placement",
    "Z12": "other placement",
    "Z13": "other placement",
    "Z14": "other placement",
}


# LS: legal status code, the short words used in labels, and the full meaning.
LEGAL_STATUS: dict[str, tuple[str, str]] = {
    "C1": ("interim care order", "interim care order (Children Act 1989 s38)"),
    "C2": ("full care order", "full care order (Children Act 1989 s31)"),
    "D1": ("freeing order", "freeing order granted (Adoption Act 1976 s18)"),
    "E1": ("placement order", "placement order granted (Adoption and Children Act 2002 s21)"),
    "J1": ("remanded", "remanded to local authority or youth detention accommodation"),
    "J2": ("detained under PACE", "in local authority accommodation under PACE 1984"),
    "J3": (
        "youth rehabilitation order",
        "youth rehabilitation order with a residence or intensive fostering requirement",
    ),
    "L1": ("police protection", "under police protection, in local authority accommodation"),
    "L2": ("emergency protection order", "emergency protection order (Children Act 1989 s44)"),
    "L3": ("child assessment order", "child assessment order, in local authority accommodation"),
    "V2": ("accommodated (section 20)", "single period of accommodation under section 20"),
    "V3": ("short breaks", "agreed series of short breaks (each episode recorded)"),
    "V4": ("short breaks", "agreed series of short breaks (agreements recorded)"),
}


KEY_LEGAL_STATUS = frozenset({"C2", "D1", "E1"})


# RNE: reason for new episode.
RNE_CODES: dict[str, str] = {
    "S": "started to be looked after",
    "L": "change of legal status only",
    "P": "change of placement and carer(s)",
    "T": "change of placement, same carer(s)",
    "B": "change of legal status, placement and carer(s)",
    "U": "change of legal status and placement, same carer(s)",
}


SAME_CARERS = frozenset({"T", "U"})


# REC: reason episode ceased: short words for the label, full meaning, event category.
CONTINUES = "X1"


REC_CODES: dict[str, tuple[str, str, str]] = {
    "X1": ("new episode", "episode ended and a new one started the same day", "placement"),
    "E11": ("adopted", "adopted: application unopposed", "order"),
    "E12": ("adopted", "adopted: consent dispensed with by the court", "order"),
    "E2": ("died", "died", "other"),
    "E3": (
        "another local authority took over",
        "care taken over by another LA",
        "placement",
    ),
    "E4A": (
        "returned home",
        "returned home to parent(s) or others with PR, as planned",
        "placement",
    ),
    "E4B": (
        "returned home",
        "returned home to parent(s) or others with PR, not as planned",
        "placement",
    ),
    "E13": (
        "to live with family or others",
        "left care to live with parent(s), relatives or others without PR",
        "placement",
    ),
    "E41": ("child arrangements order", "residence order or child arrangements order", "order"),
    "E43": (
        "special guardianship order",
        "special guardianship order: former foster carer(s)",
        "order",
    ),
    "E44": ("special guardianship order", "special guardianship order: other carer(s)", "order"),
    "E45": (
        "special guardianship order",
        "special guardianship order: former foster carer(s), relative or friend",
        "order",
    ),
    "E46": (
        "special guardianship order",
        "special guardianship order: former foster carer(s), not relative or friend",
        "order",
    ),
    "E47": (
        "special guardianship order",
        "special guardianship order: other carer(s), relative or friend",
        "order",
    ),
    "E48": (
        "special guardianship order",
        "special guardianship order: other carer(s), not relative or friend",
        "order",
    ),
    "E5": ("independent living", "moved to independent living with formal support", "placement"),
    "E6": ("independent living", "moved to independent living without formal support", "placement"),
    "E7": (
        "adult social care",
        "transferred to residential care funded by adult social care",
        "placement",
    ),
    "E8": ("other reason", "stopped being looked after for any other reason", "placement"),
    "E9": ("sentenced to custody", "sentenced to custody", "court"),
    "E14": ("remand ended", "accommodation on remand ended", "order"),
    "E15": (
        "assessed as 18 or over",
        "age assessment found the young person is 18 or over",
        "decision",
    ),
    "E16": ("moved abroad", "child moved abroad", "placement"),
    "E17": (
        "stayed with carers at 18",
        "aged 18 or over and stayed with current carers (staying put)",
        "placement",
    ),
}


REASON_PLACE_CHANGE: dict[str, str] = {
    "CARPL": "change to or carrying out the care plan",
    "CLOSE": "the provision resigned or closed",
    "ALLEG": "allegation (section 47 enquiry)",
    "STAND": "concerns about standards of care",
    "APPRR": "the carer's approval was removed",
    "CREQB": "the carer asked for it to end because of the child's behaviour",
    "CREQO": "the carer asked for it to end for another reason",
    "CHILD": "the child asked for it to end",
    "LAREQ": "the local authority asked for it to end",
    "PLACE": "change in the status of the placement only",
    "CUSTOD": "custody arrangement",
    "OTHER": "other reason",
}


CATEGORY_OF_NEED: dict[str, str] = {
    "N1": "abuse or neglect",
    "N2": "child's disability",
    "N3": "parental illness or disability",
    "N4": "family in acute stress",
    "N5": "family dysfunction",
    "N6": "socially unacceptable behaviour",
    "N7": "low income",
    "N8": "absent parenting",
}


PLACE_PROVIDER: dict[str, str] = {
    "PR0": "parent(s) or other person(s) with parental responsibility",
    "PR1": "own local authority",
    "PR2": "other local authority",
    "PR3": "other public provision",
    "PR4": "private provision",
    "PR5": "voluntary or third sector provision",
}


REVIEW_PARTICIPATION: dict[str, str] = {
    "PN0": "child under 4 at the time of the review",
    "PN1": "child attended and spoke for themselves",
    "PN2": "child attended and an advocate spoke for them",
    "PN3": "child attended and conveyed their views without words",
    "PN4": "child attended but did not convey their views",
    "PN5": "child did not attend but briefed an advocate",
    "PN6": "child did not attend but conveyed their views another way",
    "PN7": "child did not attend and their views were not conveyed",
}


MISSING_KINDS: dict[str, str] = {
    "M": "Missing from placement",
    "A": "Away from placement without authorisation",
}


ADOPTION_CEASED_REASONS: dict[str, str] = {
    "RD1": "the child's needs changed",
    "RD2": "the court did not make a placement order",
    "RD3": "prospective adopters could not be found",
    "RD4": "any other reason",
}


def place_label(code: str) -> str:
    """'U4' -> 'U4: foster placement with other foster carer, long term'."""
    meaning = PLACE_CODES.get(code, ("other", "unknown placement code"))[1]
    return f"{code}: {meaning}" if code else meaning


def place_short(code: str) -> str:
    """'U4' -> 'foster care, long term (U4)': the words for an event label."""
    if not code:
        return "placement type not given"
    return f"{PLACE_SHORT.get(code, 'unknown placement code')} ({code})"
