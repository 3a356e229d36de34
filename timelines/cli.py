"""The command line: thin click commands, one library call each."""

from __future__ import annotations

import contextlib
import functools
import math
import os
import re
import signal
import sys
import threading
import time
from datetime import date
from pathlib import Path

import click

from timelines import __version__, api, runtime
from timelines.analyse.milestones import MILESTONE_CODES
from timelines.export.files import remove_unfinished
from timelines.model.counts import accounting_lines
from timelines.model.dates import DateError, parse_exact_date
from timelines.model.options import RenderOptions
from timelines.model.problems import InputError, Problem, TimelinesError
from timelines.prepare.words import counted
from timelines.runchart.analysis import RULES, Choices
from timelines.runchart.options import RunChartOptions, parse_target

EXISTING = click.Path(exists=True, path_type=Path)


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return parse_exact_date(value)
    except DateError as exc:
        raise click.BadParameter(str(exc)) from None


def _finite(ctx: click.Context, param: click.Parameter, value: float | None) -> float | None:
    if value is not None and not math.isfinite(value):
        raise click.BadParameter(f"{value} is not a finite number")
    return value


# Control characters and terminal escape sequences (ESC [ ... letter, ESC ] ... BEL/ST).
_CONTROLS = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b.?"
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f]"
)


def plain(text: str) -> str:
    """``text`` safe to print: escape sequences and control characters from the input
    (which could recolour or rewrite the terminal) removed; line breaks and tabs kept."""
    return _CONTROLS.sub("", text)


class Failure(click.ClickException):
    """A clean ``Error:`` message (exit status 1), with the input's control characters removed."""

    def __init__(self, message: str):
        super().__init__(plain(message))


def _from(ctx: click.Context, param: click.Parameter, value: str | None) -> date | str | None:
    if value is not None and value.strip().lower() == "birth":
        return "birth"
    return _date(ctx, param, value)


def _report(problems: tuple[Problem, ...] | list[Problem]) -> None:
    for problem in problems:
        click.echo(plain(f"{problem.severity}: {problem}"), err=True)


def _account(counts) -> None:
    """What became of every row read, one line per file."""
    for line in accounting_lines(counts):
        click.echo(line)


def _fail(exc: TimelinesError) -> None:
    if isinstance(exc, InputError):
        _report(exc.problems)
        count = len(exc.errors)
        raise Failure(f"{count} error{'s' if count != 1 else ''} in the input; nothing was written")
    raise Failure(str(exc))


def input_options(func):
    """The inputs, taken the same way by every command that reads a child's data: SOURCE (a
    folder or a file) or --chronology, and --placements, --children, --events, --format.
    The command receives the one given as ``chronology``."""

    @functools.wraps(func)
    def command(*args, source: Path | None = None, chronology: Path | None = None, **kwargs):
        if source is not None and chronology is not None:
            raise click.UsageError("give the chronology as SOURCE or with --chronology, not both")
        if source is None and chronology is None:
            raise click.UsageError(
                "give the input: a folder or a chronology file (SOURCE), or --chronology FILE"
            )
        return func(*args, chronology=source or chronology, **kwargs)

    options = [
        click.argument("source", type=EXISTING, required=False),
        click.option(
            "--chronology", type=EXISTING, help="Chronology file (CSV or XLSX), or give SOURCE."
        ),
        click.option("--placements", type=EXISTING, help="Placements file (CSV or XLSX)."),
        click.option(
            "--children", type=EXISTING, help="Children file: child_id, name, date_of_birth…"
        ),
        click.option(
            "--events",
            "extra",
            type=EXISTING,
            multiple=True,
            help="More events for the chronology, e.g. a CIN census XML file (repeatable).",
        ),
        click.option(
            "--format",
            "fmt",
            type=click.Choice(["contract", "ssda903", "cin"]),
            help="Input format; detected from the files when left out.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


class InternalError(click.ClickException):
    """Something went wrong that is not the input's fault: a bug, reported without a traceback."""

    exit_code = 3

    def __init__(self, exc: BaseException):
        super().__init__(
            f"unexpected {type(exc).__name__}: {exc} -- this is a bug in timelines, not a"
            " problem with your files; please report it (TIMELINES_DEBUG=1 shows the details)"
        )


INTERRUPTED = "interrupted: no partial file was left (files finished before the interruption stay)"


class Interrupted(click.ClickException):
    """Stopped by Ctrl-C (exit status 130) or a terminate signal (143)."""

    def __init__(self, signum: int):
        super().__init__(INTERRUPTED)
        self.exit_code = 128 + signum  # type: ignore[misc]


def _stop_now(signum: int, frame: object) -> None:
    """Ctrl-C or SIGTERM: remove the files being written here and in the workers, say so,
    and end at once. Unwinding through a process pool at an arbitrary point can wait
    forever on a lock the interrupted code held; ending at once cannot."""
    runtime.stop_forkserver()  # first: no new worker can start
    running = sys.modules.get("multiprocessing")  # imported once a batch uses other processes
    for child in running.active_children() if running else ():
        child.kill()  # workers and the loading process: at once, without a word
    for _ in range(3):  # a worker being born as the signal came shows in /proc soon after
        time.sleep(0.05)
        runtime.stop_forkserver()
    remove_unfinished()  # ours, and the workers' in the batch's folder
    runtime.release_semaphores()
    click.echo(f"Error: {INTERRUPTED}", err=True)
    os._exit(128 + signum)


def _quiet_pool_threads(args: threading.ExceptHookArgs) -> None:
    """A process pool's own threads fail when its workers are stopped by a signal (as a
    terminal or a service manager sends it to them all): nothing to say, the command
    itself says it was interrupted. Any other thread's failure is shown as usual."""
    if (
        args.thread is not None
        and args.thread.name.startswith("Thread-")
        and ("_handle_" in args.thread.name)
    ):
        return
    threading.__excepthook__(args)


def _on_signals(handler) -> tuple:
    """Set the handler of SIGINT and SIGTERM (where signals can be handled: the main
    thread); the handlers they had."""
    try:
        return tuple(signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM))
    except ValueError:
        return ()


def _signals_back(previous: tuple) -> None:
    for number, handler in zip((signal.SIGINT, signal.SIGTERM), previous, strict=False):
        signal.signal(number, handler)


class Commands(click.Group):
    """The command group: every error ends in a clean message and exit status, never a traceback.

    Exit status 1: the input, a file or an option is wrong (the message says which),
    including a mistyped command or option; 2: ``batch`` drew some children but not
    all; 3: a bug; 130 or 143: interrupted (Ctrl-C, SIGTERM). ``TIMELINES_DEBUG=1``
    lets a bug's traceback through.
    """

    def make_context(self, info_name, args, parent=None, **extra):
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.UsageError as exc:
            exc.exit_code = 1  # type: ignore[misc]
            raise

    def invoke(self, ctx: click.Context):
        previous = _on_signals(_stop_now)
        hook, threading.excepthook = threading.excepthook, _quiet_pool_threads
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            exc.exit_code = 1  # type: ignore[misc]
            raise
        except KeyboardInterrupt:
            raise Interrupted(signal.SIGINT) from None
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except TimelinesError as exc:
            raise Failure(str(exc)) from None
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            raise Failure(f"{where}{exc.strerror or exc}") from None
        except Exception as exc:
            if os.environ.get("TIMELINES_DEBUG"):
                raise
            raise InternalError(exc) from None
        finally:
            _signals_back(previous)
            threading.excepthook = hook


def password_options(func):
    """--password-env and --ask-password (AES-256), and a refusal of --password."""
    options = [
        click.option(
            "--password-env",
            metavar="VAR",
            help="Encrypt (AES-256) with the password in this environment variable.",
        ),
        click.option(
            "--ask-password",
            is_flag=True,
            help="Encrypt (AES-256) with a password typed at a prompt (not echoed).",
        ),
        click.option(
            "--password",
            "password_given",
            hidden=True,
            expose_value=False,
            callback=lambda ctx, param, value: _no_password_here(value),
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="timelines")
def main() -> None:
    """Visual timelines for looked-after children, from chronology and placement files.

    Start with `timelines render samples/child` or `timelines template my-child.xlsx`.
    """
    runtime.tune()


@main.command()
@input_options
@click.option("--child", "child_id", help="The child to draw when the files describe several.")
@click.option("--name", help="The child's name (when there is no children file).")
@click.option("--dob", help="Date of birth, dd/mm/yyyy (when there is no children file).")
@click.option(
    "-o",
    "--out",
    type=click.Path(path_type=Path),
    help="PDF to write. Default: timeline-<child id>.pdf beside the input.",
)
@click.option(
    "--template", "template", help="Template name (see `timelines templates`) or a .toml file."
)
@click.option(
    "--page-size", type=click.Choice(["A4", "A3"]), help="Paper size (default: the template's)."
)
@click.option(
    "--as-of", callback=_date, help="End the story on this day (dd/mm/yyyy). Default: today."
)
@click.option(
    "--from",
    "window_from",
    callback=_from,
    help="Start the axis on this day (dd/mm/yyyy) or at 'birth'."
    " Default: the first event, the years from birth compressed.",
)
@click.option(
    "--gap-months",
    type=click.FloatRange(min=0),
    callback=_finite,
    help="Mark waits between decisions longer than this many months (default: the template's, 6).",
)
@click.option("--prepared-by", default="", help="Name or role of who prepared the timeline.")
@click.option("--prepared-on", callback=_date, help="Date prepared (dd/mm/yyyy). Default: today.")
@click.option("--marking", help="Protective marking (default: OFFICIAL-SENSITIVE).")
@click.option(
    "--shadows",
    "shadows",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder of your own child-shadow images (age in the file name).",
)
@click.option("--no-shadows", is_flag=True, help="Leave out the child shadows.")
@click.option(
    "--redact",
    is_flag=True,
    help="Safe to share: initials, no date of birth, no carers, no details.",
)
@password_options
def render(
    chronology,
    placements,
    children,
    extra,
    fmt,
    child_id,
    name,
    dob,
    out,
    template,
    page_size,
    as_of,
    window_from,
    gap_months,
    prepared_by,
    prepared_on,
    marking,
    shadows,
    no_shadows,
    redact,
    password_env,
    ask_password,
) -> None:
    """Draw one child's timeline as a one-page PDF.

    SOURCE (or --chronology) is a chronology CSV/XLSX, a workbook from
    `timelines template`, a folder holding chronology.csv (and placements.csv,
    children.csv), an SSDA903 extract (episodes file or folder) or a CIN census XML.

    To share beyond the professionals: --redact (initials, age, no carers or
    details). To protect the PDF with a password (AES-256): --ask-password,
    or --password-env VAR in a script. There is no --password option: a
    password typed on the command line can be seen by other users and stays
    in the shell history.
    """
    password = _password(password_env, ask_password)
    inputs = api.Inputs(chronology, placements, children, tuple(extra), fmt, child_id, name, dob)
    options = RenderOptions(
        as_of=as_of,
        window_from=window_from,
        prepared_by=prepared_by,
        prepared_on=prepared_on or date.today(),
        marking=marking,
        page_size=page_size,
        gap_threshold_months=gap_months,
        shadows_folder=shadows,
        show_shadows=False if no_shadows else None,
        redact=redact,
    )
    try:
        result = api.render(inputs, options, template, out, password)
    except TimelinesError as exc:
        _fail(exc)
    _report(result.warnings)
    click.echo(f"wrote {result.path} ({result.pages} page{'s' if result.pages != 1 else ''})")
    _account(result.counts)


def _no_password_here(value: str | None) -> None:
    if value is not None:
        raise click.UsageError(
            "there is no --password option: a password on the command line can be seen by"
            " other users and stays in the shell history. Use --ask-password (typed, not"
            " shown) or --password-env VAR (the name of an environment variable holding it)."
        )


def _password(env_name: str | None, ask: bool) -> str | None:
    if env_name and ask:
        raise click.UsageError("use --password-env or --ask-password, not both")
    if env_name:
        value = os.environ.get(env_name)
        if value is None:
            raise Failure(f"environment variable {env_name} is not set")
        if not value:
            raise Failure(f"environment variable {env_name} is empty: a PDF needs a password")
        return _usable(value)
    if ask:
        return _usable(click.prompt("Password", hide_input=True, confirmation_prompt=True))
    return None


MAX_PASSWORD_BYTES = 127  # PDF readers (PDFium, in Chrome) use only the first 127 bytes


def _usable(password: str) -> str:
    """Refuse a password longer than readers read: a longer one would open with its start."""
    size = len(password.encode("utf-8"))
    if size > MAX_PASSWORD_BYTES:
        raise Failure(
            f"the password is {size} bytes long; PDF readers use only the first"
            f" {MAX_PASSWORD_BYTES}, so use a shorter one"
        )
    return password


@main.command()
@input_options
@click.option("--child", "child_id", help="Check only this child.")
def validate(chronology, placements, children, extra, fmt, child_id) -> None:
    """Check input files without drawing: list every problem with file, row and column.

    Exit status 0 when there are no errors (warnings allowed), 1 when there are.
    """
    inputs = api.Inputs(chronology, placements, children, tuple(extra), fmt, child_id)
    try:
        checked = api.check_inputs(inputs)
    except TimelinesError as exc:
        _fail(exc)
    problems = checked.problems
    _report(problems)
    for note in checked.notes:
        click.echo(f"note: {note}", err=True)
    _account(checked.counts)
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    click.echo(f"{counted(errors, 'error')}, {counted(warnings, 'warning')}")
    if errors:
        sys.exit(1)


@main.command()
def templates() -> None:
    """List the shipped templates, one line each."""
    from timelines.prepare.template import shipped_templates

    for name, description in shipped_templates().items():
        click.echo(f"{name:10} {description}")


@main.command()
@input_options
@click.option("--group", help="The sibling_group to draw (default: every child, a cohort view).")
@click.option(
    "--axis",
    type=click.Choice(["date", "age"]),
    default="date",
    show_default=True,
    help="Shared date axis, or align the children by age.",
)
@click.option(
    "-o", "--out", type=click.Path(path_type=Path), help="PDF to write (default beside input)."
)
@click.option("--template", help="Template name (see `timelines templates`) or a .toml file.")
@click.option("--page-size", type=click.Choice(["A4", "A3"]), help="Paper size.")
@click.option("--redact", is_flag=True, help="Initials and ages only: no names, dates of birth.")
@click.option("--as-of", callback=_date, help="End on this day (dd/mm/yyyy). Default: today.")
@click.option("--prepared-by", default="", help="Name or role of who prepared it.")
@password_options
def siblings(
    chronology,
    placements,
    children,
    extra,
    fmt,
    group,
    axis,
    out,
    template,
    page_size,
    redact,
    as_of,
    prepared_by,
    password_env,
    ask_password,
) -> None:
    """Draw placement histories, one row per child: a sibling group or a whole cohort.

    Children who lived with the same carer at the same time are linked.
    """
    password = _password(password_env, ask_password)
    inputs = api.Inputs(chronology, placements, children, tuple(extra), fmt)
    options = RenderOptions(
        as_of=as_of,
        page_size=page_size,
        redact=redact,
        prepared_by=prepared_by,
        prepared_on=date.today(),
    )
    try:
        result = api.render_siblings(inputs, options, group, axis, template, out, password)
    except TimelinesError as exc:
        _fail(exc)
    _report(result.warnings)
    click.echo(f"wrote {result.path} ({result.pages} page{'s' if result.pages != 1 else ''})")
    _account(result.counts)


@main.command()
@input_options
@click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path), required=True, help="Folder."
)
@click.option(
    "--outputs",
    "outputs",
    multiple=True,
    callback=lambda ctx, param, value: _outputs(value),
    help="What to write: children, groups, booklet, summary (comma-separated or repeated;"
    " default all). errors.csv is always written.",
)
@click.option("--jobs", type=click.IntRange(min=1), help="Processes (default: every core).")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option("--template", help="Template name (see `timelines templates`) or a .toml file.")
@click.option("--as-of", callback=_date, help="End on this day (dd/mm/yyyy). Default: today.")
@click.option("--prepared-by", default="", help="Name or role of who prepared the timelines.")
@click.option(
    "--redact",
    is_flag=True,
    help="Safe to share: initials, no dates of birth, carers or details, in every file.",
)
@click.option(
    "--force", is_flag=True, help="Replace an earlier batch in OUT (only the files it wrote)."
)
@password_options
def batch(
    chronology,
    placements,
    children,
    extra,
    fmt,
    out,
    outputs,
    jobs,
    quiet,
    template,
    as_of,
    prepared_by,
    redact,
    force,
    password_env,
    ask_password,
) -> None:
    """Render a cohort: every child's timeline, every sibling group, a booklet and a summary.

    Writes OUT/children/<id>.pdf, OUT/groups/<group>.pdf, OUT/booklet.pdf (an
    index and every child's picture page, bookmarked; booklet-001.pdf, … past
    1,000 children), OUT/summary.csv, OUT/errors.csv and OUT/accounting.csv (what
    became of every row read); --outputs children (or groups, booklet, summary,
    comma-separated) writes only those (and errors.csv, accounting.csv). OUT must be
    new or empty, or hold an earlier batch (replaced with --force). Exit status 0 when
    every child was drawn, 2 when some children failed or a row with errors names no
    child (see errors.csv), 1 when nothing could be loaded.
    """
    password = _password(password_env, ask_password)
    inputs = api.Inputs(chronology, placements, children, tuple(extra), fmt)
    options = RenderOptions(
        as_of=as_of, prepared_by=prepared_by, prepared_on=date.today(), redact=redact
    )
    show = not quiet and sys.stderr.isatty()
    bar = click.progressbar(length=1, label="Rendering", file=sys.stderr) if show else None
    try:
        with bar or contextlib.nullcontext():
            tick = _ticker(bar) if bar else None
            result = api.run_batch(
                inputs,
                out,
                options,
                template,
                jobs,
                tick,
                outputs=outputs,
                password=password,
                force=force,
            )
    except TimelinesError as exc:
        _fail(exc)
    unowned = f" ({counted(result.unowned, 'row')} naming no child)" if result.unowned else ""
    groups = f", {counted(result.groups, 'sibling group')}" if "groups" in outputs else ""
    drawn = counted(result.rendered, "child", "children")
    click.echo(f"wrote {out}: {drawn} drawn, {result.failed} failed{unowned}{groups}")
    _account(result.counts)
    if result.exit_code:
        sys.exit(result.exit_code)


def _outputs(values: tuple[str, ...]) -> tuple[str, ...]:
    """--outputs as given (comma-separated or repeated), checked; every output when none."""
    chosen = [word.strip().lower() for value in values for word in value.split(",")]
    unknown = [word for word in chosen if word and word not in api.OUTPUTS]
    if unknown:
        raise click.BadParameter(
            f"unknown output '{unknown[0]}'; choose from {', '.join(api.OUTPUTS)}"
        )
    return tuple(dict.fromkeys(word for word in chosen if word)) or api.OUTPUTS


def _ticker(bar):
    """A progress callback (done, total) that moves a click progress bar."""

    def tick(done: int, total: int) -> None:
        bar.length = max(total, 1)
        bar.update(done - bar.pos)

    return tick


@main.command("template")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace OUT if it exists.")
def template_workbook(out: Path, force: bool) -> None:
    """Write a blank Excel workbook to fill in: children, chronology and placements sheets.

    It has drop-down lists for categories and placement types, date cells and an
    instructions sheet. Fill it in, then run `timelines render OUT.xlsx`.
    """
    try:
        api.write_template(out, force)
    except TimelinesError as exc:
        _fail(exc)
    click.echo(f"wrote {out}: fill in the sheets, then run: timelines render {out}")


@main.command()
@click.option(
    "--no-browser",
    is_flag=True,
    help="Do not open the browser (the address is printed either way).",
)
@click.option(
    "--idle-exit",
    type=click.FloatRange(min=0, min_open=True),
    callback=_finite,
    default=30,
    show_default=True,
    metavar="MINUTES",
    help="Stop after this many minutes without a request.",
)
@click.option(
    "--port", type=click.IntRange(0, 65535), default=0, help="Port (default: a free one)."
)
def serve(no_browser: bool, idle_exit: float, port: int) -> None:
    """Open a page in your browser to check, edit and draw a timeline, on this computer only.

    It listens on 127.0.0.1 alone, behind a key in the address it opens (or
    prints). Files are read in memory and nothing is kept: press Stop on the
    page, or it stops after --idle-exit minutes without use. Needs the serve
    extra: pip install "timelines[serve]".
    """
    try:
        from timelines.serve.server import serve as run_server
    except ImportError as exc:
        raise click.ClickException(
            f"timelines serve needs the serve extra ({exc.name} is missing):"
            ' pip install "timelines[serve]"'
        ) from None

    def announce(started) -> None:
        click.echo(f"Timelines is at {started.url}")
        click.echo("This address is for you alone: do not share it. Press Stop on the page to end.")

    run_server(idle_exit, not no_browser, port, announce)
    click.echo("Timelines has stopped; nothing was kept.")


def _dates(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> tuple:
    return tuple(sorted(_date(ctx, param, value) for value in values))


def _target(ctx: click.Context, param: click.Parameter, value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return parse_target(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


SHOWN_WARNINGS = 10  # a cohort may have thousands; validate lists them all


@main.command()
@click.argument("cohort", type=EXISTING)
@click.option("--placements", type=EXISTING, help="Placements file (CSV or XLSX).")
@click.option("--children", type=EXISTING, help="Children file: child_id, name, date_of_birth…")
@click.option(
    "--events", "extra", type=EXISTING, multiple=True, help="More events, e.g. CIN census XML."
)
@click.option(
    "--input-format",
    "input_fmt",
    type=click.Choice(["contract", "ssda903", "cin"]),
    help="Input format; detected from the files when left out.",
)
@click.option(
    "--start",
    type=click.Choice(MILESTONE_CODES),
    default="accommodated",
    show_default=True,
    help="The milestone the time is counted from.",
)
@click.option(
    "--end",
    type=click.Choice(MILESTONE_CODES),
    default="permanence_recommendation",
    show_default=True,
    help="The milestone the time is counted to.",
)
@click.option(
    "--as-of",
    callback=_date,
    help="Count the waiting to this day. Default: --to, else the last milestone in the data.",
)
@click.option(
    "--from", "since", callback=_date, help="Chart the children who reached the end from this day."
)
@click.option("--to", "until", callback=_date, help="… and up to this day.")
@click.option(
    "--baseline",
    type=click.IntRange(min=1),
    help="The median is that of the first N points, frozen and extended (default 12).",
)
@click.option("--baseline-until", callback=_date, help="… or of the points up to this day.")
@click.option(
    "--phase",
    "phases",
    multiple=True,
    callback=_dates,
    help="Start a new phase (its own median) on this day; repeatable.",
)
@click.option("--target", callback=_target, help="A target line: 26w, 182d or 6m.")
@click.option(
    "--rules",
    type=click.Choice(RULES),
    default="ihi",
    show_default=True,
    help="IHI run-chart rules, or Anhøj's.",
)
@click.option("--annotate", type=EXISTING, help="Tests of change to mark: a CSV with date, text.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["pdf", "png", "svg"]),
    help="Chart format (default: from -o, else pdf).",
)
@click.option("--marking", help="Protective marking (default: OFFICIAL-SENSITIVE).")
@click.option("--prepared-by", default="", help="Name or role of who prepared the chart.")
@click.option(
    "-o",
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Chart to write (default: runchart.pdf beside the input); the tables go beside it.",
)
def runchart(
    cohort,
    placements,
    children,
    extra,
    input_fmt,
    start,
    end,
    as_of,
    since,
    until,
    baseline,
    baseline_until,
    phases,
    target,
    rules,
    annotate,
    fmt,
    marking,
    prepared_by,
    out,
) -> None:
    """Draw a cohort's run chart: each child's time from one milestone to another, in
    the order they reached it, with the children still waiting beside it.

    Writes the chart and, beside it, <chart>.csv (every child on the chart, with
    its signals), <chart>-waiting.csv and <chart>-excluded.csv (the children not
    on the chart, with the reason). Default: accommodated to permanence
    recommendation, median of the first 12 points, IHI rules.
    """
    if baseline is not None and baseline_until is not None:
        raise click.UsageError("use --baseline or --baseline-until, not both")
    inputs = api.Inputs(cohort, placements, children, tuple(extra), input_fmt)
    choices = Choices(rules, baseline or 12, baseline_until, phases, target)
    options = RunChartOptions(
        start, end, as_of, since, until, choices, annotate, fmt, marking, prepared_by
    )
    try:
        result = api.runchart(inputs, options, out)
    except TimelinesError as exc:
        _fail(exc)
    warnings = [p for p in result.problems if p.severity == "warning"]
    _report(warnings[:SHOWN_WARNINGS])
    if len(warnings) > SHOWN_WARNINGS:
        more = len(warnings) - SHOWN_WARNINGS
        click.echo(
            f"warning: … and {counted(more, 'more warning')} in the input"
            f" (`timelines validate {cohort}` lists them all)",
            err=True,
        )
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    for finding in result.findings:
        click.echo(finding)
    tables = ", ".join(path.name for path in result.tables)
    click.echo(
        f"wrote {result.chart} and {tables}: {result.points} children on the chart,"
        f" {result.waiting} still waiting, {result.excluded} not on the chart"
    )
