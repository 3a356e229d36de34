"""The web application: routes over one in-memory ``Session``, behind the ``Guard``.

Routes: ``GET /`` the page; ``POST /upload`` new files; ``POST /new`` an empty
chronology; ``POST /edit`` the tables as edited; ``POST /choices`` the options;
``GET /preview.png`` page 1; ``POST /pdf`` the PDF (optionally with a
password); ``GET /workbook.xlsx`` the tables as the template workbook;
``GET /template.xlsx`` the blank workbook; ``POST /stop`` forget everything
and end the server.
"""

from __future__ import annotations

import os
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from importlib.resources import files
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.datastructures import FormData, UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from timelines.export.workbook import filled_workbook_bytes
from timelines.model.problems import TimelinesError
from timelines.prepare.template import shipped_templates
from timelines.serve.page import page, stopped_page
from timelines.serve.security import Guard
from timelines.serve.session import Choices, Session
from timelines.serve.tables import FIELDS, SHEETS

MAX_UPLOAD_BYTES = 25 * 1024 * 1024
MAX_FILES = 20
MAX_FORM_FIELDS = 50_000
MB = 1024 * 1024
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class TooLarge(Exception):
    """An upload over the limits; the message says which."""


class _InMemoryParser(MultiPartParser):
    """Starlette's parser, keeping each uploaded file in memory up to the upload limit
    (its default spills files over 1 MB to a temporary file on disk)."""

    spool_max_size = MAX_UPLOAD_BYTES + MB


def create_app(key: str, port: int | Callable[[], int], stop: Callable[[], None]) -> Guard:
    """The application for one person: ``key`` is the secret in the opening address,
    ``port`` where it listens, ``stop`` ends the server."""
    session = Session()
    app = Starlette(
        routes=[
            Route("/", _shown(lambda: _page(session)), methods=["GET"]),
            Route("/upload", _handler(session, _upload), methods=["POST"]),
            Route("/new", _handler(session, _new), methods=["POST"]),
            Route("/edit", _handler(session, _edit), methods=["POST"]),
            Route("/choices", _handler(session, _choices), methods=["POST"]),
            Route("/preview.png", _shown(lambda: _preview(session)), methods=["GET"]),
            Route("/pdf", _handler(session, _pdf), methods=["POST"]),
            Route("/workbook.xlsx", _handler(session, _workbook), methods=["GET"]),
            Route("/template.xlsx", _handler(session, _blank), methods=["GET"]),
            Route("/favicon.ico", lambda r: Response(status_code=204), methods=["GET"]),
            Route("/stop", _handler(session, _stopper(stop)), methods=["POST"]),
            Mount("/static", StaticFiles(directory=str(files("timelines.serve") / "static"))),
        ]
    )
    app.state.session = session
    return Guard(app, key, port)


def _page(session: Session, status: int = 200) -> HTMLResponse:
    return HTMLResponse(page(session), status_code=status)


def _home() -> RedirectResponse:
    return RedirectResponse("/", status_code=303)


BUG = (
    "Something went wrong inside timelines ({name}): this is a bug, not a problem with your files."
)


def _shown(show: Callable[[], Response]):
    """A route that only shows something: a failure is a short page, never a logged traceback."""

    async def route(request: Request) -> Response:
        try:
            return show()
        except Exception as exc:
            if os.environ.get("TIMELINES_DEBUG"):
                raise
            return PlainTextResponse(BUG.format(name=type(exc).__name__), status_code=500)

    return route


def _handler(session: Session, action):
    """A route calling ``action(request, session)``: refusals of the library become the
    page's message; no traceback and no cell contents ever reach a log."""

    async def route(request: Request) -> Response:
        session.message = ""
        try:
            return await action(request, session)
        except TimelinesError as exc:
            session.message = str(exc)
            return _home()
        except Exception as exc:
            if os.environ.get("TIMELINES_DEBUG"):
                raise
            session.message = BUG.format(name=type(exc).__name__)
            return _home()

    return route


async def _upload(request: Request, session: Session) -> Response:
    try:
        uploads = await _read_uploads(request)
    except TooLarge as exc:
        session.message = str(exc)
        return _page(session, 413)
    if not uploads:
        session.message = "Choose a file first."
        return _home()
    session.upload(uploads)
    return _home()


async def _read_uploads(request: Request) -> dict[str, bytes]:
    """The uploaded files (name → bytes), read into memory within the limits."""
    declared = int(request.headers.get("content-length") or 0)
    if declared > MAX_UPLOAD_BYTES:
        await _drain(request.stream())
        raise TooLarge(_too_large(declared))
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_UPLOAD_BYTES:
            await _drain(request.stream())
            raise TooLarge(_too_large(len(body)))
    parser = _InMemoryParser(request.headers, _replay(bytes(body)), max_files=MAX_FILES)
    try:
        form = await parser.parse()
    except MultiPartException as exc:
        if "Too many files" in str(exc):
            raise TooLarge(
                f"Too many files at once: at most {MAX_FILES}. Choose fewer files."
            ) from None
        raise TimelinesError(f"The upload could not be read: {exc}") from None
    try:
        return {
            item.filename or "upload": await item.read()
            for item in form.getlist("files")
            if isinstance(item, UploadFile) and (item.filename or item.size)
        }
    finally:
        await form.close()


def _too_large(size: int) -> str:
    return (
        f"These files are too large together ({size / MB:.1f} MB); the limit is"
        f" {MAX_UPLOAD_BYTES // MB} MB. Choose only the files for this child."
    )


async def _drain(stream: AsyncIterator[bytes]) -> None:
    try:
        async for _ in stream:
            pass
    except Exception:  # the stream may already be consumed
        return


async def _replay(body: bytes) -> AsyncGenerator[bytes, None]:
    yield body


async def _form(request: Request) -> FormData:
    return await request.form(max_fields=MAX_FORM_FIELDS, max_files=0)


async def _new(request: Request, session: Session) -> Response:
    session.start_empty()
    return _home()


async def _edit(request: Request, session: Session) -> Response:
    if session.tables is None:
        raise TimelinesError("there is no table to edit: add a workbook or start an empty one")
    form = await _form(request)
    rows = {
        sheet: [
            [
                str(form.get(f"{sheet}.{i}.{column}", old[c] if c < len(old) else ""))
                for c, column in enumerate(FIELDS[sheet])
            ]
            for i, old in enumerate(session.tables.rows[sheet])
        ]
        for sheet in SHEETS
    }
    delete: tuple[str, int] | tuple[()] = ()
    target = str(form.get("delete", ""))
    if target.count(".") == 1 and target.split(".")[1].isdigit():
        delete = (target.split(".")[0], int(target.split(".")[1]))
    session.set_rows(rows, add=str(form.get("add", "")), delete=delete)
    return _home()


async def _choices(request: Request, session: Session) -> Response:
    form = await _form(request)
    old = session.choices
    template = str(form.get("template", old.template))
    size = str(form.get("page_size", old.page_size))
    session.choices = Choices(
        child_id=str(form.get("child_id", old.child_id)),
        group=str(form.get("group", old.group)),
        template=template if template in shipped_templates() else old.template,
        page_size=size if size in ("A4", "A3") else "",
        as_of=str(form.get("as_of", old.as_of)),
        prepared_by=str(form.get("prepared_by", old.prepared_by)),
        redact=form.get("redact") == "yes",
    )
    session.refresh()
    return _home()


def _preview(session: Session) -> Response:
    picture = session.check.preview or session.last_preview
    if not picture:
        return Response(status_code=404)
    return Response(picture, media_type="image/png")


async def _pdf(request: Request, session: Session) -> Response:
    form = await _form(request)
    password = str(form.get("password", ""))
    if password != str(form.get("password2", "")):
        raise TimelinesError("The two passwords are not the same: type the password twice.")
    name, data = session.pdf(password or None)
    return _attachment(data, name, "application/pdf")


async def _workbook(request: Request, session: Session) -> Response:
    name, data = session.workbook()
    return _attachment(data, name, XLSX)


async def _blank(request: Request, session: Session) -> Response:
    return _attachment(filled_workbook_bytes({}, "timeline.xlsx"), "timeline.xlsx", XLSX)


def _stopper(stop: Callable[[], None]):
    async def stopping(request: Request, session: Session) -> Response:
        session.clear()
        stop()
        return HTMLResponse(stopped_page())

    return stopping


def _attachment(data: bytes, name: str, media_type: str) -> Response:
    disposition = f"attachment; filename*=UTF-8''{quote(name)}"
    return Response(data, media_type=media_type, headers={"content-disposition": disposition})
