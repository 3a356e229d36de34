"""What the page is working on: the files, the tables being edited, the choices, the check.

One server serves one person, so there is one ``Session``, held in memory only.
Checking and drawing call the library exactly as the command line does
(``api.load`` for the problems, ``api.render_pdf`` for the bytes ``api.render``
writes), on the files as uploaded or, once a table has been edited, on the tables
as the contract's CSV files ("Save workbook" gives the same rows as the template
workbook). The files stay in memory (``api.upload_inputs``): nothing about the
child is ever written to disk.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field, replace
from datetime import date

import pypdfium2

from timelines import api
from timelines.load.contract import find_contract_files
from timelines.load.files import InputPath
from timelines.load.inputs import detect_format
from timelines.model.dates import DateError, parse_exact_date
from timelines.model.options import RenderOptions
from timelines.model.problems import InputError, Problem, TimelinesError, has_errors, warning
from timelines.model.records import Dataset
from timelines.prepare.template import load_template
from timelines.serve.tables import FIELDS, SHEETS, Tables, csv_files, edited_tables, read_tables

BLANK_BOOK = "timeline.xlsx"
PREVIEW_SCALE = 1.4


@dataclass
class Choices:
    """The options beside the preview (as typed: checked when drawing)."""

    child_id: str = ""
    group: str = ""  # a sibling group: draw its placement history instead of one child
    template: str = "hearing"
    page_size: str = ""
    as_of: str = ""
    prepared_by: str = ""
    redact: bool = False


@dataclass
class Check:
    """The outcome of checking the current files with the current choices."""

    problems: tuple[Problem, ...] = ()
    fmt: str = ""
    child_ids: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()  # sibling groups in the files
    preview: bytes = b""  # page 1 as PNG, when it could be drawn
    pdf_name: str = ""
    note: str = ""  # why there is no preview

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> int:
        return len(self.problems) - self.errors


@dataclass
class Session:
    files: dict[str, bytes] = field(default_factory=dict)
    book: str = BLANK_BOOK  # the name "Save workbook" uses
    uploaded: tuple[str, ...] = ()  # the names of the files given
    tables: Tables | None = None
    choices: Choices = field(default_factory=Choices)
    check: Check = field(default_factory=Check)
    message: str = ""  # one line for the top of the page (a refusal, a result)
    version: int = 0  # changes whenever the preview may change
    last_preview: bytes = b""  # the last page 1 drawn, shown greyed while there are errors

    def clear(self) -> None:
        """Forget everything (Stop, or a new start)."""
        self.files.clear()
        self.uploaded = ()
        self.book = BLANK_BOOK
        self.tables = None
        self.choices = Choices()
        self.check = Check()
        self.last_preview = b""
        self.message = ""

    def upload(self, files: dict[str, bytes]) -> None:
        """Take new files in place of the old ones, and check them."""
        self.files = {safe_upload_name(name): data for name, data in files.items()}
        self.uploaded = tuple(self.files)
        books = [n for n in self.files if n.lower().endswith(".xlsx")]
        self.book = books[0] if len(self.files) == 1 and books else BLANK_BOOK
        self.tables = None
        self.last_preview = b""
        self.choices = replace(self.choices, child_id="")
        self.refresh()

    def start_empty(self) -> None:
        """An empty chronology to fill in on the page."""
        self.files = {}
        self.uploaded = ()
        self.book = BLANK_BOOK
        self.set_rows({sheet: [] for sheet in SHEETS}, add="chronology")

    def set_rows(self, rows: dict[str, list[list[str]]], add: str = "", delete: tuple = ()) -> None:
        """Take the tables as edited on the page (a row added or deleted), and check them."""
        if delete:
            sheet, index = delete
            if 0 <= index < len(rows.get(sheet, [])):
                del rows[sheet][index]
        if add in SHEETS:
            rows[add].append([""] * len(FIELDS[add]))
        self.tables = edited_tables(rows)
        self.files = csv_files(self.tables)
        self.refresh()

    def refresh(self) -> None:
        """Check the files and draw the preview again."""
        self.version += 1
        self.check = self._checked()
        if self.check.preview or not self.files:
            self.last_preview = self.check.preview

    def _checked(self) -> Check:
        if not self.files:
            return Check(note="Add a file, or start an empty chronology.")
        try:
            theme = load_template(self.choices.template)
        except TimelinesError as exc:
            return Check(note=str(exc))
        inputs = api.upload_inputs(self.files)  # read in memory: nothing is written to disk
        primary = inputs.primary
        fmt = detect_format(primary)
        try:
            dataset = api.load(inputs, vocabulary=theme.vocabulary)
        except InputError as exc:
            return Check(problems=exc.problems, fmt=fmt, note="The files could not be read.")
        except TimelinesError as exc:
            return Check(fmt=fmt, note=str(exc))
        if self.tables is None and fmt == "contract":
            self.tables = read_tables(primary)
        ids = tuple(dataset.child_ids())
        problems = (*_not_read(primary, fmt), *dataset.problems)
        groups = tuple(sorted({c.sibling_group for c in dataset.children if c.sibling_group}))
        check = Check(problems=problems, fmt=fmt, child_ids=ids, groups=groups)
        if self.choices.child_id not in ids or len(ids) == 1:
            # One child: chosen as the command line does, without --child.
            self.choices.child_id = ids[0] if len(ids) > 1 else ""
        if self.choices.group not in groups:
            self.choices.group = ""
        if has_errors(problems):
            return replace(check, note="Fix the errors to see the timeline.")
        if not ids:
            return replace(check, note="There is nothing to draw yet.")
        try:
            drawn = self._render(password=None, loaded=dataset)  # not read again
        except TimelinesError as exc:
            return replace(check, note=str(exc))
        return replace(check, preview=page_one_png(drawn.pdf), pdf_name=drawn.name)

    def options(self) -> RenderOptions:
        """The choices as the command line's options (a bad date raises TimelinesError)."""
        as_of = None
        if self.choices.as_of.strip():
            try:
                as_of = parse_exact_date(self.choices.as_of)
            except DateError as exc:
                raise TimelinesError(f"As-of date: {exc}") from None
        return RenderOptions(
            as_of=as_of,
            prepared_by=self.choices.prepared_by.strip(),
            prepared_on=date.today(),
            page_size=self.choices.page_size or None,
            redact=self.choices.redact,
        )

    def _render(self, password: str | None, loaded: Dataset | None = None) -> api.RenderedPdf:
        """What `timelines render` (or `timelines siblings --group`) writes, drawn in memory
        (from ``loaded``, every child of the files, when the check has loaded them)."""
        options, template, group = self.options(), self.choices.template, self.choices.group
        if group:
            inputs = api.upload_inputs(self.files)
            return api.render_siblings_pdf(
                inputs, options, group, "date", template, password, loaded=loaded
            )
        inputs = api.upload_inputs(self.files, child_id=self.choices.child_id or None)
        return api.render_pdf(inputs, options, template, password, loaded=loaded)

    def pdf(self, password: str | None) -> tuple[str, bytes]:
        """(file name, PDF bytes) as `timelines render` writes them; raises TimelinesError."""
        if not self.files:
            raise TimelinesError("there is nothing to draw yet: add a file first")
        try:
            drawn = self._render(password)
        except InputError as exc:
            count = len(exc.errors)
            raise TimelinesError(
                f"The PDF cannot be made while there {'is' if count == 1 else 'are'} {count}"
                f" error{'' if count == 1 else 's'}: fix {'it' if count == 1 else 'them'}"
                " first (see Check)."
            ) from None
        return drawn.name, drawn.pdf

    def workbook(self) -> tuple[str, bytes]:
        """(file name, bytes) of the tables as the template workbook."""
        if self.tables is None:
            raise TimelinesError(
                "only a timelines workbook or CSV files can be saved as a workbook"
            )
        return self.book, self.tables.workbook(self.book)


def _not_read(primary: InputPath, fmt: str) -> list[Problem]:
    """A warning for each uploaded file the contract's folder loader passes over."""
    if fmt != "contract" or not primary.is_dir():
        return []
    found, _ = find_contract_files(primary)
    used = {path.name for path in found.values()}
    return [
        warning(
            "this file is not read: the tables are chronology, placements and children"
            " (.csv or .xlsx), or the sheets of one workbook",
            name,
        )
        for name in sorted(path.name for path in primary.iterdir())
        if name not in used
    ]


def safe_upload_name(name: str) -> str:
    """An uploaded file's own name, without any folder: a plain file name, safe to show and
    to read as an upload (``api.upload_inputs``)."""
    base = re.split(r"[\\/]", name)[-1].strip()
    cleaned = re.sub(r"[^\w.\- ]+", "_", base).strip(". ")
    return cleaned[:120] or "upload"


def page_one_png(pdf: bytes) -> bytes:
    """Page 1 of a PDF as a PNG image."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        image = document[0].render(scale=PREVIEW_SCALE).to_pil()
    finally:
        document.close()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()
