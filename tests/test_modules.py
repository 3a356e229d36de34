"""The package's shape: every module imports alone, and no modules import each other
(the data flows one way, so the imports do too)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "timelines"


def module_names() -> list[str]:
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names.append(".".join(parts))
    return names


def imported(name: str) -> set[str]:
    """The timelines modules that module ``name`` imports, anywhere in it (in functions and
    under TYPE_CHECKING too)."""
    known = set(module_names())
    path = PACKAGE.parent.joinpath(*name.split("."))
    path = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                whole = f"{node.module}.{alias.name}"
                found.add(whole if whole in known else node.module)
    return {m for m in found if m in known and m != name}


def test_no_modules_import_each_other():
    graph = {name: imported(name) for name in module_names()}
    cycles = []

    def visit(name: str, trail: list[str]) -> None:
        for nxt in sorted(graph[name]):
            if nxt in trail:
                cycles.append(" → ".join([*trail[trail.index(nxt) :], nxt]))
            elif nxt not in done:
                visit(nxt, [*trail, nxt])
        done.add(name)

    done: set[str] = set()
    for name in graph:
        if name not in done:
            visit(name, [name])
    assert cycles == []
    assert "timelines.api" in graph["timelines.cli"]  # the test sees real imports
    assert "timelines.cli" in graph["timelines.__main__"]


# Each module is imported in a process of its own, forked from one that has imported the
# third-party libraries only (much quicker than an interpreter per module, as fresh for
# timelines: none of its modules is loaded when the fork imports one).
ALONE = """
import os, sys, traceback
import click, openpyxl, PIL.Image, pypdf, reportlab.pdfgen.canvas  # third parties, shared
failed = []
for name in sys.argv[1:]:
    pid = os.fork()
    if pid == 0:
        try:
            __import__(name)
        except BaseException:
            traceback.print_exc()
            os._exit(1)
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    if status:
        failed.append(name)
print(" ".join(failed))
"""


def importable(name: str) -> bool:
    """Every module but ``__main__`` (it runs the command), and the web page's only with
    the serve extra installed."""
    from importlib.util import find_spec

    if name.endswith("__main__"):
        return False
    return not name.startswith("timelines.serve") or find_spec("starlette") is not None


def test_every_module_imports_alone():
    names = [n for n in module_names() if importable(n)]
    done = subprocess.run(
        [sys.executable, "-c", ALONE, *names], capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == [], done.stderr
    assert len(names) > 40


# Declared dependencies the package uses through another one, and where.
THROUGH = {
    "rl_accel": "reportlab",  # reportlab.lib.rl_accel: reportlab's C accelerator (pdf/painter.py)
    "cryptography": "pypdf",  # pypdf's AES-256 (pdf/document.encrypt)
}


def _third_party_imports(paths) -> set[str]:
    """The distributions (lower case) that the modules at ``paths`` import."""
    from importlib.metadata import packages_distributions

    distribution_of = {m: ds[0].lower() for m, ds in packages_distributions().items()}
    imports = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imports |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                imports.add(node.module.split(".")[0])
    third_party = imports - set(sys.stdlib_module_names) - {"timelines"}
    return {distribution_of.get(m, m).lower() for m in third_party}


def _names(requirements: list[str]) -> set[str]:
    import re

    return {re.split(r"[<>=!~ \[;]", d)[0].lower() for d in requirements}


# The serve extra's packages that the web page uses through another one.
SERVE_THROUGH = {"python-multipart": "starlette"}  # starlette parses uploads with it


def test_every_declared_dependency_is_used_and_every_import_declared():
    import tomllib

    project = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text())["project"]
    declared = _names(project["dependencies"])
    serving = PACKAGE / "serve"
    core = [p for p in PACKAGE.rglob("*.py") if serving not in p.parents]
    used = _third_party_imports(core)
    assert used - declared == set()  # nothing imported that is not declared
    assert declared - used == set(THROUGH)  # nothing declared that is not used
    assert {THROUGH[d] for d in THROUGH} <= used
    # The web page (timelines.serve) may use the serve extra too, and uses all of it.
    extra = _names(project["optional-dependencies"]["serve"])
    served = _third_party_imports(serving.rglob("*.py"))
    assert served - declared - extra == set()
    assert extra - served == set(SERVE_THROUGH)
    assert set(SERVE_THROUGH.values()) <= served


def test_only_the_pdf_package_imports_reportlab():
    """reportlab behind one door: layout measures text through pdf/fonts.py."""
    outside = []
    for path in PACKAGE.rglob("*.py"):
        if PACKAGE / "pdf" in path.parents:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            outside += [f"{path.name}: {n}" for n in names if n.split(".")[0] == "reportlab"]
    assert outside == []
