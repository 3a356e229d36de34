"""Templates: readable TOML files that set the page, words, colours and patterns.

``hearing.toml`` is complete and is the base of every other template. A
template may say ``extends = "NAME"`` (a shipped template or a path) and then
override only the keys it wants. Every key is checked against the base: an
unknown key, a value of the wrong type or a bad colour is an error naming the
file, the key and what was expected.
"""

from __future__ import annotations

import re
import string
import tomllib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from timelines.model.dates import DateError, days_in_months, parse_duration
from timelines.model.problems import TimelinesError
from timelines.prepare.words import Glossary, repeated_terms
from timelines.resources import templates_dir

DEFAULT_TEMPLATE = "hearing"
PATTERNS = ("none", "diagonal", "backdiagonal", "crosshatch", "dots", "horizontal", "vertical")
MARKERS = (
    "circle",
    "circle_open",
    "square",
    "square_open",
    "diamond",
    "diamond_open",
    "triangle",
    "triangle_down",
    "star",
    "pentagon",
    "hexagon",
    "plus",
    "cross",
    "bar",
    "dot",
    "triangle_right",
    "triangle_left",
    "hourglass",
)
_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
# Tables whose keys are codes a template may add (new categories, placement types, words).
_OPEN_TABLES = ("placements", "categories", "glossary", "targets")
# What a target in [targets] may set (a new one needs label, from, to and after).
_TARGET_KEYS: dict[str, Any] = {
    "label": "",
    "from": "",
    "to": "",
    "after": "",
    "not_before": "",
    "applies_if": "",
    "unless": "",
    "main": False,
    "use": True,
}
_TARGET_REQUIRED = ("label", "from", "to", "after")
_TARGET_DURATIONS = ("after", "not_before")
# Lists whose words are codes a template may add (not a subset of the base's list).
_OPEN_LISTS = (("waits", "steps"),)
_CHOICES = {
    ("page", "size"): ("A4", "A3"),
    ("page", "orientation"): ("landscape", "portrait"),
    ("axis", "start"): ("birth", "first_event"),
    ("axis", "end"): ("today", "last_event"),
}
# Numbers that must stay in a range for the page to be drawn: (smallest, largest).
_RANGES = {
    ("page", "margin"): (0.0, 144.0),
    ("text", "title_size"): (6.0, 48.0),
    ("text", "label_size"): (4.0, 24.0),
    ("text", "min_size"): (4.0, 24.0),
    ("text", "facts_size"): (4.0, 24.0),
    ("axis", "gap_threshold_months"): (0.0, 600.0),
    ("waits", "threshold_months"): (0.0, 600.0),
}
_PLACEHOLDERS = ("name", "initials")  # what a title in [words] may hold, as {name}


class TemplateError(TimelinesError):
    """A template file has a mistake."""


@dataclass(frozen=True)
class Style:
    """How one placement type or category is drawn."""

    label: str
    colour: str
    pattern: str = "none"
    marker: str = "circle"
    routine: bool = False  # categories: any run of them is drawn as one series


@dataclass(frozen=True)
class Theme:
    """A loaded, checked template."""

    name: str
    description: str
    settings: dict[str, Any]

    def get(self, section: str, key: str) -> Any:
        return self.settings[section][key]

    @property
    def placements(self) -> dict[str, Style]:
        return {code: Style(**spec) for code, spec in self.settings["placements"].items()}

    @property
    def categories(self) -> dict[str, Style]:
        return {code: Style(**spec) for code, spec in self.settings["categories"].items()}

    @property
    def glossary(self) -> dict[str, str]:
        return dict(self.settings["glossary"])

    @cached_property
    def compiled_glossary(self) -> Glossary:
        """The glossary compiled once for this template (pages rewrite their words often)."""
        return Glossary(self.settings["glossary"])

    @property
    def vocabulary(self) -> tuple[str, ...]:
        """Every category and placement type the template knows (shipped and its own)."""
        return tuple(self.settings["categories"]) + tuple(self.settings["placements"])

    def gap_threshold_days(self, months: float | None = None) -> int:
        """Waits longer than this many days are marked: ``months`` when given, else the
        template's threshold."""
        if months is None:
            months = self.get("axis", "gap_threshold_months")
        return days_in_months(months)

    def category(self, code: str) -> Style:
        cats = self._styles["categories"]
        return cats[code] if code in cats else cats["other"]

    def placement(self, code: str) -> Style:
        kinds = self._styles["placements"]
        return kinds[code] if code in kinds else kinds["other"]

    @cached_property
    def _styles(self) -> dict[str, dict[str, Style]]:
        """Every style made once (pages look them up for every event and placement)."""
        return {"categories": self.categories, "placements": self.placements}


def shipped_templates() -> dict[str, str]:
    """Name and one-line description of each shipped template."""
    found = {}
    for path in sorted(templates_dir().glob("*.toml")):
        data = _read(path)
        found[path.stem] = str(data.get("description", ""))
    return found


def load_template(name_or_path: str | Path | None = None) -> Theme:
    """Load a shipped template by name, or a user's template file, checked against the base."""
    base_path = templates_dir() / f"{DEFAULT_TEMPLATE}.toml"
    base = _read(base_path)
    if name_or_path is None or str(name_or_path) == DEFAULT_TEMPLATE:
        return _theme(base)
    merged = _resolve(_locate(name_or_path), base, seen=())
    return _theme(merged)


def _theme(data: dict[str, Any]) -> Theme:
    settings = {k: v for k, v in data.items() if k not in ("name", "description", "extends")}
    return Theme(str(data.get("name", "")), str(data.get("description", "")), settings)


def _locate(name_or_path: str | Path) -> Path:
    path = Path(name_or_path)
    shipped = templates_dir() / f"{name_or_path}.toml"
    if path.suffix == ".toml" or path.is_file() or (path.exists() and not shipped.is_file()):
        if path.is_dir():
            raise TemplateError(f"{path} is a folder, not a template file")
        if not path.is_file():
            raise TemplateError(f"template file not found: {path}")
        return path
    if not shipped.is_file():
        names = ", ".join(shipped_templates())
        raise TemplateError(f"unknown template '{name_or_path}' (shipped templates: {names})")
    return shipped


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise TemplateError(f"{path.name}: not valid TOML ({exc})") from None
    except UnicodeDecodeError:
        raise TemplateError(
            f"{path.name}: not a text file in UTF-8; save the template as UTF-8 text"
        ) from None
    except OSError as exc:
        raise TemplateError(f"{path}: cannot be read ({exc.strerror})") from None


def _resolve(path: Path, base: dict[str, Any], seen: tuple[Path, ...]) -> dict[str, Any]:
    if path.resolve() in seen:
        raise TemplateError(f"{path.name}: 'extends' goes round in a circle")
    data = _read(path)
    parent_name = data.get("extends", DEFAULT_TEMPLATE)
    if not isinstance(parent_name, str):
        raise TemplateError(f"{path.name}: key 'extends' should be a template name or path")
    if parent_name == DEFAULT_TEMPLATE:
        parent = base
    else:
        parent_path = (
            templates_dir() / f"{parent_name}.toml"
            if parent_name in _shipped_names()
            else path.parent / parent_name
        )
        if not parent_path.is_file():
            names = ", ".join(shipped_templates())
            raise TemplateError(
                f"{path.name}: key 'extends' names no template: '{parent_name}' "
                f"(shipped templates: {names}; or a path to a .toml file)"
            )
        parent = _resolve(parent_path, base, seen + (path.resolve(),))
    _check(data, base, path.name)
    merged = _merge(parent, data)
    _check_glossary(merged.get("glossary", {}), path.name)
    return merged


def _check_glossary(glossary: dict[str, str], file: str) -> None:
    """Plain words must not hold a glossary term, or the page would rewrite them again."""
    for term, words in repeated_terms(glossary)[:1]:
        raise TemplateError(
            f"{file}: glossary entry '{term}' = {words!r} contains a glossary term itself; "
            "use words that are not themselves rewritten"
        )


def _shipped_names() -> set[str]:
    return {p.stem for p in templates_dir().glob("*.toml")}


def _merge(parent: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    merged = dict(parent)
    for key, value in child.items():
        if isinstance(value, dict) and isinstance(parent.get(key), dict):
            merged[key] = _merge(parent[key], value)
        else:
            merged[key] = value
    return merged


def _check(data: dict[str, Any], base: dict[str, Any], file: str, prefix: str = "") -> None:
    for key, value in data.items():
        dotted = f"{prefix}{key}"
        if not prefix and key in ("name", "description", "extends"):
            continue
        section = prefix.split(".")[0] if prefix else key
        if prefix and section in _OPEN_TABLES:
            _check_open(section, dotted, value, base, file)
            continue
        if key not in base:
            known = ", ".join(sorted(k for k in base if k not in ("name", "description")))
            raise TemplateError(f"{file}: unknown key '{dotted}' (expected one of: {known})")
        expected = base[key]
        if isinstance(expected, dict):
            if not isinstance(value, dict):
                raise TemplateError(f"{file}: key '{dotted}' should be a table")
            _check(value, expected, file, f"{dotted}.")
        else:
            _check_value(dotted, value, expected, file)


def _check_open(section: str, dotted: str, value: Any, base: dict[str, Any], file: str) -> None:
    if section == "glossary":
        if not isinstance(value, str) or not value.strip() or not dotted.split(".", 1)[1].strip():
            raise TemplateError(f"{file}: key '{dotted}' should be text (the words to show)")
        return
    if not isinstance(value, dict):
        raise TemplateError(f"{file}: key '{dotted}' should be a table")
    if section == "targets":
        _check_target(dotted, value, base, file)
        return
    shape = base["other"]
    code = dotted.split(".", 1)[1]
    missing = [k for k in ("label", "colour") if code not in base and k not in value]
    if missing:
        raise TemplateError(
            f"{file}: new {section} entry '{dotted}' needs {' and '.join(repr(k) for k in missing)}"
        )
    for key, item in value.items():
        if key not in shape:
            expected = ", ".join(shape)
            raise TemplateError(
                f"{file}: unknown key '{dotted}.{key}' (expected one of: {expected})"
            )
        _check_value(f"{dotted}.{key}", item, shape[key], file)


def _check_target(dotted: str, value: dict[str, Any], base: dict[str, Any], file: str) -> None:
    code = dotted.split(".", 1)[1]
    missing = [k for k in _TARGET_REQUIRED if code not in base and k not in value]
    if missing and value.get("use", True):
        raise TemplateError(
            f"{file}: new target '{dotted}' needs {' and '.join(repr(k) for k in missing)}"
        )
    for key, item in value.items():
        if key not in _TARGET_KEYS:
            expected = ", ".join(_TARGET_KEYS)
            raise TemplateError(
                f"{file}: unknown key '{dotted}.{key}' (expected one of: {expected})"
            )
        _check_value(f"{dotted}.{key}", item, _TARGET_KEYS[key], file)
        if key in _TARGET_DURATIONS and item:
            try:
                parse_duration(item)
            except DateError as error:
                raise TemplateError(f"{file}: key '{dotted}.{key}': {error}") from None
        if key in _TARGET_REQUIRED and not item.strip():
            raise TemplateError(f"{file}: key '{dotted}.{key}' should not be empty")


def _check_value(dotted: str, value: Any, expected: Any, file: str) -> None:
    kind = _kind(expected)
    if not _same_kind(value, expected):
        raise TemplateError(f"{file}: key '{dotted}' should be {kind}, not {value!r}")
    name = dotted.split(".")[-1]
    if name == "colour" and not _COLOUR.match(value):
        raise TemplateError(
            f"{file}: key '{dotted}' should be a colour like '#1F77B4', not {value!r}"
        )
    if name == "pattern" and value not in PATTERNS:
        raise TemplateError(f"{file}: key '{dotted}' should be one of {', '.join(PATTERNS)}")
    if name == "marker" and value not in MARKERS:
        raise TemplateError(f"{file}: key '{dotted}' should be one of {', '.join(MARKERS)}")
    choices = _CHOICES.get(_last_two(dotted))
    if choices and value not in choices:
        raise TemplateError(f"{file}: key '{dotted}' should be one of {', '.join(choices)}")
    if isinstance(value, int | float) and not isinstance(value, bool) and value < 0:
        raise TemplateError(f"{file}: key '{dotted}' should not be negative")
    _check_range(dotted, value, file)
    open_list = tuple(dotted.split(".")[-2:]) in _OPEN_LISTS
    if (
        isinstance(expected, list)
        and not open_list
        and (unknown := [v for v in value if v not in expected])
    ):
        raise TemplateError(
            f"{file}: key '{dotted}' has {unknown[0]!r}; expected some of: {', '.join(expected)}"
        )
    if dotted.startswith("words."):
        _check_placeholders(dotted, value, file)
    if name == "label" and not value.strip():
        raise TemplateError(f"{file}: key '{dotted}' should not be empty")


def _last_two(dotted: str) -> tuple[str, str]:
    """A key's table and name: ("text", "min_size") for "text.min_size"."""
    *tables, name = dotted.split(".")
    return (tables[-1] if tables else "", name)


def _check_range(dotted: str, value: Any, file: str) -> None:
    bounds = _RANGES.get(_last_two(dotted))
    if bounds is None:
        return
    low, high = bounds
    if not low <= value <= high:
        raise TemplateError(
            f"{file}: key '{dotted}' should be a number from {low:g} to {high:g}, not {value!r}"
        )


def _check_placeholders(dotted: str, value: str, file: str) -> None:
    expected = " and ".join("{" + p + "}" for p in _PLACEHOLDERS)
    braces = "write {{ and }} for a brace"
    try:
        fields = [field for _, field, _, _ in string.Formatter().parse(value) if field is not None]
    except ValueError:
        raise TemplateError(f"{file}: key '{dotted}' has a lone {{ or }} ({braces})") from None
    for field in fields:
        if field not in _PLACEHOLDERS:
            raise TemplateError(
                f"{file}: key '{dotted}' may hold {expected} only, not {{{field}}} ({braces})"
            )


def _same_kind(value: Any, expected: Any) -> bool:
    if isinstance(expected, bool):
        return isinstance(value, bool)
    if isinstance(expected, int | float):
        return isinstance(value, int | float) and not isinstance(value, bool)
    if isinstance(expected, list):
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    return isinstance(value, type(expected))


def _kind(expected: Any) -> str:
    if isinstance(expected, bool):
        return "true or false"
    if isinstance(expected, int | float):
        return "a number"
    if isinstance(expected, list):
        return "a list of words"
    return "text"
