"""Templates: the shipped ones load and draw; mistakes in a user's template are named exactly."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from timelines.cli import main
from timelines.layout.style import Ctx
from timelines.model.dates import FuzzyDate
from timelines.model.options import RenderOptions
from timelines.model.records import Child, ChildRecord, Event, Placement
from timelines.pipeline.child import render_child
from timelines.prepare.template import TemplateError, load_template, shipped_templates
from timelines.prepare.words import repeated_terms, rewrite

SHIPPED = ("hearing", "panel", "family", "england")
AS_OF = date(2024, 6, 1)
SYSTEM_WORDS = ("LAC", "CSO", "ADM", "POA", "PO", "Compulsory Supervision Order", "kinship")


def child_with_system_words() -> ChildRecord:
    """A child whose chronology is written in system words, as social workers write it."""
    events = [
        (date(2019, 8, 14), "Birth", "birth"),
        (date(2020, 1, 10), "Accommodated: kinship placement with gran", "placement"),
        (date(2020, 2, 1), "LAC review", "review"),
        (date(2020, 3, 5), "Children's Hearing: CSO made", "hearing"),
        (date(2020, 6, 1), "Contact with mum reduced", "contact"),
        (date(2021, 1, 7), "ADM agrees permanence plan", "decision"),
        (date(2021, 5, 2), "POA application lodged", "court"),
        (date(2021, 9, 9), "PO granted by the Sheriff", "order"),
        (date(2022, 2, 2), "Looked after child review", "review"),
    ]
    return ChildRecord(
        Child("T1", "Ailsa Test", date(2019, 8, 14)),
        tuple(
            Event(FuzzyDate.exact(d), label, cat, detail=f"{label} (CSO, ADM)", child_id="T1")
            for d, label, cat in events
        ),
        (
            Placement(date(2020, 1, 10), date(2020, 9, 1), "kinship", "Gran", child_id="T1"),
            Placement(date(2020, 9, 1), None, "residential", "Unit 4", child_id="T1"),
        ),
    )


def page_text(pdf: bytes) -> str:
    from io import BytesIO

    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)


def test_every_shipped_template_is_listed_and_loads():
    assert tuple(sorted(shipped_templates())) == tuple(sorted(SHIPPED))
    for name in SHIPPED:
        assert load_template(name).name == name


def test_panel_is_a3_landscape_with_larger_text_and_every_fact():
    panel, hearing = load_template("panel"), load_template("hearing")
    assert (panel.get("page", "size"), panel.get("page", "orientation")) == ("A3", "landscape")
    assert panel.get("text", "label_size") > hearing.get("text", "label_size")
    assert len(panel.get("show", "key_facts")) == 11


def test_family_has_larger_text_and_its_own_title():
    family, hearing = load_template("family"), load_template("hearing")
    for key in ("min_size", "label_size", "facts_size"):
        assert family.get("text", key) > hearing.get("text", key)
    assert family.get("words", "title").format(name="Ailsa") == "Ailsa's story"


@pytest.mark.parametrize("name", SHIPPED)
def test_glossary_rewriting_twice_changes_nothing(name):
    assert repeated_terms(load_template(name).glossary) == []


def test_rewrite_keeps_a_capital_at_the_start_only():
    glossary = {"contact": "family time", "CSO": "order to help keep you safe"}
    assert rewrite("Contact with mum", glossary) == "Family time with mum"
    assert rewrite("CSO made; contact weekly", glossary) == (
        "Order to help keep you safe made; family time weekly"
    )
    assert rewrite("CSOs and recontact", glossary) == "CSOs and recontact"


def test_family_page_has_no_system_words_anywhere():
    done = render_child(
        child_with_system_words(), load_template("family"), RenderOptions(as_of=AS_OF)
    )
    text = page_text(done.pdf)
    display = "\n".join(t.text for page in done.layout.pages for t in page.texts())
    for word in SYSTEM_WORDS:
        pattern = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)", re.I)
        assert not pattern.search(text), word
        assert not pattern.search(display), word
    assert "meeting to review your care" in text.lower()
    assert "order to keep you safe" in text.lower()
    assert "Ailsa Test's story" in text


def test_family_chronology_table_is_in_plain_words_too():
    long = child_with_system_words()
    events = long.events + tuple(
        Event(FuzzyDate.exact(date(2022, 3, 1 + i)), f"LAC review number {i}", "review")
        for i in range(25)
    )
    record = ChildRecord(long.child, events, long.placements)
    done = render_child(record, load_template("family"), RenderOptions(as_of=AS_OF))
    assert len(done.layout.pages) > 1
    table = page_text(done.pdf)
    assert "meeting to review your care number 24" in table.lower()
    assert not re.search(r"(?<!\w)(LAC|CSO|ADM)(?!\w)", table)


def test_england_uses_english_words():
    done = render_child(
        child_with_system_words(), load_template("england"), RenderOptions(as_of=AS_OF)
    )
    text = page_text(done.pdf)
    assert "IRO review" in text
    assert "court hearing: care order made" in text.lower()
    assert not re.search(r"(?<!\w)(LAC|CSO|Children's Hearing)(?!\w)", text)


def test_a_user_can_extend_the_family_glossary(tmp_path):
    mine = tmp_path / "ours.toml"
    mine.write_text('extends = "family"\n[glossary]\n"Unit 4" = "Rowan House"\n')
    theme = load_template(mine)
    assert theme.glossary["Unit 4"] == "Rowan House"
    assert theme.glossary["CSO"] == "order to keep you safe"
    done = render_child(child_with_system_words(), theme, RenderOptions(as_of=AS_OF))
    assert "Rowan House" in page_text(done.pdf)


# --- mistakes in a template, word for word --------------------------------------------------


def write(tmp_path: Path, text: str, name: str = "mine.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


MISTAKES = [
    (
        "[page]\npaper = 'A4'\n",
        "mine.toml: unknown key 'page.paper' (expected one of: margin, orientation, size)",
    ),
    (
        "[placements.foster]\ncolour = 'blue'\n",
        "mine.toml: key 'placements.foster.colour' should be a colour like '#1F77B4', not 'blue'",
    ),
    (
        "[text]\nlabel_size = 'big'\n",
        "mine.toml: key 'text.label_size' should be a number, not 'big'",
    ),
    (
        "[show]\nshadows = 'yes'\n",
        "mine.toml: key 'show.shadows' should be true or false, not 'yes'",
    ),
    (
        "[page]\nsize = 'A5'\n",
        "mine.toml: key 'page.size' should be one of A4, A3",
    ),
    (
        "[categories.review]\nmarker = 'heart'\n",
        "mine.toml: key 'categories.review.marker' should be one of "
        "circle, circle_open, square, square_open, diamond, diamond_open, triangle, "
        "triangle_down, star, pentagon, hexagon, plus, cross, bar, dot, triangle_right, "
        "triangle_left, hourglass",
    ),
    (
        "[placements.boat]\nlabel = 'On a boat'\n",
        "mine.toml: new placements entry 'placements.boat' needs 'colour'",
    ),
    (
        '[glossary]\nHearing = "Children\'s Hearing"\n',
        "mine.toml: glossary entry 'Hearing' = \"Children's Hearing\" contains a glossary "
        "term itself; use words that are not themselves rewritten",
    ),
    (
        "[glossary]\nCSO = 3\n",
        "mine.toml: key 'glossary.CSO' should be text (the words to show)",
    ),
    (
        "extends = 'nothing-like-this'\n",
        "mine.toml: key 'extends' names no template: 'nothing-like-this' (shipped "
        "templates: england, family, hearing, panel; or a path to a .toml file)",
    ),
    ("[page\n", None),
]


@pytest.mark.parametrize(("text", "message"), MISTAKES)
def test_template_mistakes_are_named(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(TemplateError) as caught:
        load_template(path)
    if message is None:
        assert str(caught.value).startswith("mine.toml: not valid TOML (")
    else:
        assert str(caught.value) == message


def test_unknown_top_level_key_lists_the_sections(tmp_path):
    path = write(tmp_path, "[colours]\nfoster = '#000000'\n")
    with pytest.raises(TemplateError) as caught:
        load_template(path)
    assert str(caught.value) == (
        "mine.toml: unknown key 'colours' (expected one of: axis, categories, glossary, "
        "marking, page, placements, show, targets, text, waits, words)"
    )


def test_unknown_template_name():
    with pytest.raises(TemplateError) as caught:
        load_template("scotland")
    assert str(caught.value) == (
        "unknown template 'scotland' (shipped templates: england, family, hearing, panel)"
    )


def test_extends_in_a_circle(tmp_path):
    write(tmp_path, "extends = 'b.toml'\n", "a.toml")
    write(tmp_path, "extends = 'a.toml'\n", "b.toml")
    with pytest.raises(TemplateError) as caught:
        load_template(tmp_path / "a.toml")
    assert str(caught.value) == "a.toml: 'extends' goes round in a circle"


SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "child"


def test_cli_lists_templates():
    result = CliRunner().invoke(main, ["templates"])
    assert result.exit_code == 0
    assert [line.split()[0] for line in result.output.splitlines()] == sorted(SHIPPED)


def test_cli_reports_a_template_mistake(tmp_path):
    path = write(tmp_path, "[text]\nlabel_size = 'big'\n")
    out = tmp_path / "out.pdf"
    result = CliRunner().invoke(
        main, ["render", str(SAMPLE), "-o", str(out), "--template", str(path)]
    )
    assert result.exit_code == 1
    assert result.output.strip().endswith(
        "Error: mine.toml: key 'text.label_size' should be a number, not 'big'"
    )
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [path]


def test_cli_reports_an_unknown_template(tmp_path):
    out = tmp_path / "out.pdf"
    result = CliRunner().invoke(
        main, ["render", str(SAMPLE), "-o", str(out), "--template", "scotland"]
    )
    assert result.exit_code == 1
    assert "Error: unknown template 'scotland' (shipped templates: england, family, " in (
        result.output
    )
    assert not out.exists()


@pytest.mark.parametrize("name", SHIPPED)
def test_cli_renders_the_sample_with_every_template(tmp_path, name):
    out = tmp_path / f"{name}.pdf"
    result = CliRunner().invoke(
        main, ["render", str(SAMPLE), "-o", str(out), "--template", name, "--as-of", "01/06/2024"]
    )
    assert result.exit_code == 0, result.output
    reader = PdfReader(out)
    width = float(reader.pages[0].mediabox.width)
    assert width == pytest.approx(1190.55 if name == "panel" else 841.89, abs=0.1)


@pytest.mark.parametrize("name", SHIPPED)
def test_legend_words_are_not_cut(name):
    done = render_child(child_with_system_words(), load_template(name), RenderOptions(as_of=AS_OF))
    legend = [t.text for t in done.layout.pages[0].texts() if t.role == "legend"]
    assert len(legend) >= 5
    assert [text for text in legend if text.endswith("…")] == []


# --- the sample child, as each reader sees it -------------------------------------------------

FAMILY_BANNED = SYSTEM_WORDS + (
    "IRD",
    "CP",
    "SCRA",
    "Reporter",
    "looked after",
    "accommodated",
    "placement",
    "placements",
    "permanence",
    "Sheriff",
    "referral",
    "case conference",
    "paediatric",
    "rehabilitation",
    "proof",
    "lodged",
    "bridging",
)


def sample_pdf(tmp_path: Path, command: str, template: str, *args: str) -> str:
    folder = SAMPLE if command == "render" else SAMPLE.parent / "siblings"
    out = tmp_path / f"{command}-{template}.pdf"
    result = CliRunner().invoke(
        main,
        [command, str(folder), "-o", str(out), "--template", template, "--as-of", "01/10/2025"]
        + list(args),
    )
    assert result.exit_code == 0, result.output
    return " ".join(page_text(out.read_bytes()).split())


@pytest.mark.parametrize("command", ["render", "siblings"])
@pytest.mark.parametrize("redact", [False, True])
def test_the_family_sample_has_no_system_words_on_any_page(tmp_path, command, redact):
    text = sample_pdf(tmp_path, command, "family", *(["--redact"] if redact else []))
    found = [
        word for word in FAMILY_BANNED if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.I)
    ]
    assert found == []
    assert not re.search(r"(?<!\w)a [aeiou]", text, re.I)  # 'a order' after rewriting


def test_the_family_sample_reads_kindly(tmp_path):
    text = sample_pdf(tmp_path, "render", "family")
    for words in (
        "Pre-birth meeting about keeping you safe",
        "Request for a hearing",
        "Final decision",
        "Panel recommends an order so you can be adopted",
        "Meeting to match you with a new family",
        "Moved to people who hope to adopt you",
    ):
        assert words in text


def test_the_england_sample_uses_english_terms(tmp_path):
    text = sample_pdf(tmp_path, "render", "england")
    for words in ("care order", "placement order", "IRO review", "child protection conference"):
        assert words in text
    for word in ("CSO", "LAC", "Children's Hearing", "Sheriff", "POA", "IRD", "Reporter"):
        assert not re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text), word


def test_the_family_key_lists_everything_even_when_crowded():
    """Larger text must not push the key off the page: the side panel shrinks to fit."""
    from timelines.load.contract import load_folder

    record = load_folder(SAMPLE).record("C001")
    theme = load_template("family")
    done = render_child(record, theme, RenderOptions(as_of=date(2025, 10, 1)))
    legend = {t.text for t in done.layout.pages[0].texts() if t.role == "legend"}
    wanted = {theme.placement(p.placement_type).label for p in record.placements}
    wanted |= {theme.category(e.category).label for e in record.events}
    assert wanted <= legend
    assert "Move to a new home" in legend
    facts = [t for t in done.layout.pages[0].texts() if t.role in ("fact", "placement")]
    assert min(t.size for t in facts) >= theme.get("text", "min_size")


# --- more mistakes: ranges, lists, placeholders, files -------------------------------------

MORE_MISTAKES = [
    ("[page]\nmargin = 400.0\n", "key 'page.margin' should be a number from 0 to 144, not 400.0"),
    ("[text]\nmin_size = 0\n", "key 'text.min_size' should be a number from 4 to 24, not 0"),
    (
        "[text]\ntitle_size = inf\n",
        "key 'text.title_size' should be a number from 6 to 48, not inf",
    ),
    (
        "[show]\nkey_facts = ['name', 'nope']\n",
        "key 'show.key_facts' has 'nope'; expected some of: name, date_of_birth, age, "
        "first_looked_after, time_looked_after, placements, moves, longest_gap, "
        "since_last_decision, main_target, current_placement",
    ),
    (
        "[words]\ntitle = 'Timeline for {child}'\n",
        "key 'words.title' may hold {name} and {initials} only, not {child} "
        "(write {{ and }} for a brace)",
    ),
    (
        "[words]\ntitle = '{name.__class__}'\n",
        "key 'words.title' may hold {name} and {initials} only, not {name.__class__} "
        "(write {{ and }} for a brace)",
    ),
    (
        "[words]\nredacted_title = 'For {initials'\n",
        "key 'words.redacted_title' has a lone { or } (write {{ and }} for a brace)",
    ),
    ("[categories.review]\nlabel = ' '\n", "key 'categories.review.label' should not be empty"),
]


@pytest.mark.parametrize(("text", "message"), MORE_MISTAKES)
def test_more_template_mistakes_are_named(tmp_path, text, message):
    with pytest.raises(TemplateError) as caught:
        load_template(write(tmp_path, text))
    assert str(caught.value) == f"mine.toml: {message}"


def test_braces_can_be_written_twice(tmp_path):
    theme = load_template(write(tmp_path, "[words]\ntitle = '{{draft}} {name}'\n"))
    assert theme.get("words", "title").format(name="A", initials="A.") == "{draft} A"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"name = '\xff\xfe'\n", "mine.toml: not a text file in UTF-8; save the template as UTF-8"),
        (bytes(range(256)), "mine.toml: not a text file in UTF-8; save the template as UTF-8"),
        (b"\x00\x01[page", "mine.toml: not valid TOML ("),
    ],
)
def test_a_template_that_is_not_toml_text(tmp_path, data, message):
    (tmp_path / "mine.toml").write_bytes(data)
    with pytest.raises(TemplateError) as caught:
        load_template(tmp_path / "mine.toml")
    assert str(caught.value).startswith(message)


def test_a_folder_is_not_a_template(tmp_path):
    (tmp_path / "mine.toml").mkdir()
    with pytest.raises(TemplateError, match="mine.toml is a folder, not a template file"):
        load_template(tmp_path / "mine.toml")


def test_a_folder_named_like_a_shipped_template_does_not_hide_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "panel").mkdir()
    assert load_template("panel").get("page", "size") == "A3"


def test_cli_reports_a_template_that_is_not_utf8(tmp_path):
    path = tmp_path / "latin.toml"
    path.write_bytes(b"[marking]\ntext = 'caf\xe9'\n")
    out = tmp_path / "out.pdf"
    result = CliRunner().invoke(
        main, ["render", str(SAMPLE), "-o", str(out), "--template", str(path)]
    )
    assert result.exit_code == 1
    assert "Error: latin.toml: not a text file in UTF-8" in result.output
    assert "Traceback" not in result.output and not out.exists()


@pytest.mark.parametrize("redact", [False, True])
@pytest.mark.parametrize("name", SHIPPED)
def test_no_text_overlaps_or_leaves_the_page(name, redact):
    """Each template's sizes fit its page: the sample child and the sibling group, every page."""
    from helpers import overlapping_texts

    from timelines.api import Inputs, load
    from timelines.load.contract import load_folder
    from timelines.pipeline.siblings import render_group

    theme = load_template(name)
    options = RenderOptions(as_of=date(2025, 10, 1), redact=redact, prepared_by="Team 3")
    record = load_folder(SAMPLE).record("C001")
    pages = render_child(record, theme, options).layout.pages
    group = load(Inputs(SAMPLE.parent / "siblings")).records()
    pages += render_group(group, "", theme, options).layout.pages
    for page in pages:
        assert overlapping_texts(page) == []
        for text in page.texts():
            box = text.box
            assert box.x >= 0 and box.right <= page.width and 0 <= box.y <= box.top <= page.height


def test_family_words_for_a_hidden_event():
    from timelines.prepare.redact import HIDDEN_EVENT

    words = rewrite(HIDDEN_EVENT, load_template("family").glossary)
    assert words == "Something private (not written here)"


def test_family_words_never_make_nonsense():
    ctx = Ctx.for_theme(load_template("family"))
    assert ctx.plain("Permanence Orders granted") == "Settled-home orders granted"
    assert ctx.plain("PO application lodged") == "Application for a settled-home order handed in"
    assert ctx.plain("Permanence Order granted") == "Settled-home order granted"
    assert ctx.plain("Legal permanence") == "A settled home in law"
