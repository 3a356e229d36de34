"""The page as HTML, from the session: files, check, preview and choices, tables.

Plain server-rendered HTML; every piece of text from the files goes through
``html.escape``. Styles and the small script are files in ``static/``.
"""

from __future__ import annotations

from html import escape
from importlib.resources import files
from string import Template

from timelines.export.workbook import LISTS
from timelines.model.problems import Problem
from timelines.prepare.template import load_template, shipped_templates
from timelines.serve.session import Session
from timelines.serve.tables import FIELDS, SHEETS, Tables, understood

ACCEPT = ".xlsx,.xlsm,.csv,.txt,.tsv,.xml"
DATE_FIELDS = {
    "chronology": ("date",),
    "placements": ("start_date", "end_date"),
    "children": ("date_of_birth",),
}
SHEET_TITLES = {
    "chronology": "Chronology: one row per event",
    "placements": "Placements: one row per placement",
    "children": "Child: name and date of birth",
}
WIDE = {"event", "detail", "carer", "reason", "name"}


def _template(name: str) -> Template:
    return Template((files("timelines.serve") / "templates" / name).read_text("utf-8"))


def stopped_page() -> str:
    return _template("stopped.html").substitute()


def page(session: Session) -> str:
    """The whole page."""
    parts = [_message(session), _files(session), _check(session), _preview(session)]
    if session.tables is not None:
        parts.append(_tables(session))
    elif session.files and session.check.fmt:
        parts.append(
            '<section><p class="quiet">Editing on the page is for the timelines workbook '
            "and CSV files. These files are checked and drawn as they are.</p></section>"
        )
    return _template("page.html").substitute(main="\n".join(p for p in parts if p))


def _message(session: Session) -> str:
    if not session.message:
        return ""
    return f'<p class="message" role="status">{escape(session.message)}</p>'


def _files(session: Session) -> str:
    names = ", ".join(escape(n) for n in session.uploaded)
    if session.tables is not None and session.tables.edited:
        names = "the tables below" + (f", started from {names}" if names else "")
    shown = f'<p class="quiet">Working on: <strong>{names}</strong></p>' if session.files else ""
    return f"""<section class="files">
<h2>1. Your files</h2>
<form method="post" action="/upload" enctype="multipart/form-data" class="upload" data-upload>
  <label for="files">Choose the filled-in workbook, or the CSV files (chronology, placements,
  children), or an SSDA903 extract's files:</label>
  <input type="file" id="files" name="files" multiple accept="{ACCEPT}">
  <button type="submit">Check these files</button>
</form>
{shown}
<div class="row">
  <a class="button secondary" href="/template.xlsx" download>Download the blank workbook</a>
  <form method="post" action="/new"><button type="submit" class="secondary">Start an empty
  chronology here</button></form>
</div>
</section>"""


def _check(session: Session) -> str:
    check = session.check
    if not session.files:
        return ""
    if not check.problems:
        summary = '<p class="summary ok">No problems found.</p>'
    else:
        summary = (
            f'<p class="summary {"bad" if check.errors else "warn"}">'
            f"{_count(check.errors, 'error')}, {_count(check.warnings, 'warning')}"
            + (
                ": errors stop the timeline being drawn; warnings do not."
                if check.errors
                else ": the timeline is drawn; check these are right."
            )
            + "</p>"
        )
    items = "\n".join(_problem_item(p, session.tables) for p in check.problems)
    listing = f'<ul class="problems">{items}</ul>' if items else ""
    return f'<section class="check" id="check"><h2>2. Check</h2>{summary}{listing}</section>'


def _problem_item(problem: Problem, tables: Tables | None) -> str:
    shown = tables.shown(problem) if tables else problem
    text = f'<span class="tag">{problem.severity}</span> {escape(str(shown))}'
    cell = tables.cell_of(problem) if tables else None
    if cell:
        sheet, index, column = cell
        target = _cell_id(sheet, index, column) if column else _row_id(sheet, index)
        text += f' <a href="#{target}">show</a>'
    return f'<li class="{problem.severity}">{text}</li>'


def _count(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"


def _preview(session: Session) -> str:
    check = session.check
    if not session.files:
        return ""
    size = _png_size(check.preview or session.last_preview)
    if check.preview:
        picture = (
            f'<img src="/preview.png?v={session.version}" alt="Page 1 of the timeline"'
            f' class="preview"{size}>'
        )
    elif session.last_preview:
        picture = (
            f'<p class="stale-note">{escape(check.note)} This is the timeline as it was'
            " before.</p>"
            f'<img src="/preview.png?v={session.version}" alt="Page 1 of the timeline, before'
            f' the last change" class="preview stale"{size}>'
        )
    else:
        picture = f'<p class="no-preview">{escape(check.note)}</p>'
    return f"""<section class="timeline">
<h2>3. Timeline</h2>
<div class="columns">
  <figure>{picture}</figure>
  <div class="side">{_choices(session)}{_download(session)}</div>
</div>
</section>"""


def _png_size(png: bytes) -> str:
    """width and height attributes from a PNG's header, so the page keeps its place while
    the image loads."""
    if len(png) < 24:
        return ""
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    return f' width="{width}" height="{height}"'


def _choices(session: Session) -> str:
    c = session.choices
    child = ""
    if session.check.groups:
        groups = ("", *session.check.groups)
        named = {"": "one child's timeline"} | {
            g: f"sibling group {g}: placement history" for g in session.check.groups
        }
        child += (
            '<label for="group">What to draw</label>'
            f'<select id="group" name="group">{_options(groups, c.group, named)}</select>'
        )
    if len(session.check.child_ids) > 1 and not c.group:
        options = _options(session.check.child_ids, c.child_id)
        child += (
            f'<label for="child_id">Child (the files describe '
            f"{len(session.check.child_ids)})</label>"
            f'<select id="child_id" name="child_id">{options}</select>'
        )
    templates = "".join(
        f'<option value="{escape(n)}"{" selected" if n == c.template else ""}>{escape(d)}</option>'
        for n, d in shipped_templates().items()
    )
    sizes = _options(("", "A4", "A3"), c.page_size, {"": "as the template says"})
    return f"""<form method="post" action="/choices" class="choices" data-auto>
{child}
<label for="template">Who it is for</label>
<select id="template" name="template">{templates}</select>
<label for="page_size">Paper size</label>
<select id="page_size" name="page_size">{sizes}</select>
<label for="as_of">Timeline up to (dd/mm/yyyy; blank: today)</label>
<input id="as_of" name="as_of" value="{escape(c.as_of)}" inputmode="numeric" autocomplete="off">
<label for="prepared_by">Prepared by</label>
<input id="prepared_by" name="prepared_by" value="{escape(c.prepared_by)}" autocomplete="off">
<label class="check-label"><input type="checkbox" id="redact" name="redact" value="yes"
{" checked" if c.redact else ""}> Safe to share (redacted): initials, no date of birth, no
carers, no details</label>
<noscript><button type="submit">Apply</button></noscript>
</form>"""


def _download(session: Session) -> str:
    name = session.check.pdf_name
    if not session.check.preview:
        return ""
    return f"""<form method="post" action="/pdf" class="download">
<p>The file will be called <strong id="pdf-name">{escape(name)}</strong></p>
<label for="password">Password (optional: leave blank for none)</label>
<input type="password" id="password" name="password" autocomplete="new-password">
<label for="password2">Password again</label>
<input type="password" id="password2" name="password2" autocomplete="new-password">
<button type="submit" class="primary">Download PDF</button>
</form>"""


def _options(values, chosen: str, labels: dict[str, str] | None = None) -> str:
    labels = labels or {}
    return "".join(
        f'<option value="{escape(v)}"{" selected" if v == chosen else ""}>'
        f"{escape(labels.get(v, v))}</option>"
        for v in values
    )


# --- the tables --------------------------------------------------------------------------------


def _tables(session: Session) -> str:
    tables = session.tables
    assert tables is not None
    theme = load_template(session.choices.template)
    lists = {where: ("", *choices) for where, choices in LISTS.items()} | {
        ("chronology", "category"): ("", *theme.settings["categories"]),
        ("placements", "placement_type"): ("", *theme.settings["placements"]),
    }
    labels = {
        ("chronology", "category"): {
            k: v["label"] for k, v in theme.settings["categories"].items()
        },
        ("placements", "placement_type"): {
            k: v["label"] for k, v in theme.settings["placements"].items()
        },
    }
    marks = _marks(session)
    body = "\n".join(_sheet(tables, s, lists, labels, marks) for s in SHEETS)
    return f"""<section class="tables">
<h2>4. Chronology and placements</h2>
<p class="quiet">Change a cell and press Tab: everything is checked again and the timeline
redrawn. Save the workbook to keep your changes: this page keeps nothing.</p>
<form method="post" action="/edit" id="tables" data-auto>
{body}
<noscript><button type="submit">Check again</button></noscript>
</form>
<p><a class="button" href="/workbook.xlsx" download>Save workbook</a></p>
</section>"""


def _marks(session: Session) -> dict[tuple[str, int, str], list[Problem]]:
    marks: dict[tuple[str, int, str], list[Problem]] = {}
    assert session.tables is not None
    for problem in session.check.problems:
        cell = session.tables.cell_of(problem)
        if cell:
            marks.setdefault(cell, []).append(problem)
    return marks


def _sheet(tables: Tables, sheet: str, lists, labels, marks) -> str:
    heads = "".join(f"<th>{escape(f)}</th>" for f in FIELDS[sheet])
    rows = []
    for index, cells in enumerate(tables.rows[sheet]):
        number = tables.numbers[sheet][index] if index < len(tables.numbers[sheet]) else ""
        row_problems = marks.get((sheet, index, ""), [])
        tds = "".join(
            _cell(sheet, index, number, f, cells[i] if i < len(cells) else "", lists, labels, marks)
            for i, f in enumerate(FIELDS[sheet])
        )
        note = "".join(f'<small class="problem">{escape(p.message)}</small>' for p in row_problems)
        rows.append(
            f'<tr id="{_row_id(sheet, index)}"><th scope="row">{number}{note}</th>{tds}'
            f'<td><button type="submit" name="delete" value="{sheet}.{index}" class="quiet"'
            f' title="Delete this row">Delete</button></td></tr>'
        )
    add = f'<button type="submit" name="add" value="{sheet}" class="secondary">Add a row</button>'
    return f"""<h3>{SHEET_TITLES[sheet]}</h3>
<div class="scroll"><table class="sheet {sheet}">
<thead><tr><th>row</th>{heads}<th></th></tr></thead>
<tbody>{"".join(rows)}</tbody>
</table></div>
{add}"""


def _cell(sheet, index, number, column, text, lists, labels, marks) -> str:
    name = f"{sheet}.{index}.{column}"
    attributes = f'name="{name}" id="{_cell_id(sheet, index, column)}"'
    attributes += f' aria-label="{sheet}, row {number}, {column}"'
    found = marks.get((sheet, index, column), [])
    level = "error" if any(p.severity == "error" for p in found) else "warning" if found else ""
    choices = lists.get((sheet, column))
    if choices is not None:
        values = choices if text in choices else (*choices, text)
        named = labels.get((sheet, column), {})
        shown = {v: named.get(v, v) for v in values}
        field = f"<select {attributes}>{_options(values, text, shown)}</select>"
    else:
        size = f' class="{"wide" if column in WIDE else column}"'
        field = f'<input {attributes} value="{escape(text)}"{size} autocomplete="off">'
    notes = "".join(f'<small class="problem">{escape(p.message)}</small>' for p in found)
    if sheet == "chronology" and column == "date" and text.strip() and not found:
        meaning = understood(text)
        if meaning != text.strip():
            notes += f'<small class="understood">read as {escape(meaning)}</small>'
    return f'<td class="{level}">{field}{notes}</td>'


def _cell_id(sheet: str, index: int, column: str) -> str:
    return f"c-{sheet}-{index}-{column}"


def _row_id(sheet: str, index: int) -> str:
    return f"r-{sheet}-{index}"
