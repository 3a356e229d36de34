"""README examples stay true: the template example loads, the commands it names exist."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from timelines.cli import main
from timelines.prepare.template import load_template

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_the_template_example_loads(tmp_path):
    block = re.search(r"```toml\n(.*?)```", README, re.S).group(1)
    path = tmp_path / "mine.toml"
    path.write_text(block, encoding="utf-8")
    theme = load_template(path)
    assert theme.glossary["Reviewing Officer"] == "the person who checks your plan"
    assert theme.get("marking", "text") == "OFFICIAL-SENSITIVE: FAMILY COPY"


def test_every_command_in_the_readme_exists_with_its_options():
    commands = re.findall(r"^timelines (\w+)(.*?)(?:#|$)", README, re.M)
    assert commands
    for name, rest in commands:
        assert name in main.commands, name
        known = {o for p in main.commands[name].params for o in p.opts}
        for word in shlex.split(rest):
            if word.startswith("--"):
                assert word in known, (name, word)


def test_the_two_setup_commands_are_the_ones_ci_runs():
    setup = re.search(r"## Set-up: two commands.*?```bash\n(.*?)```", README, re.S).group(1)
    install, test = setup.strip().splitlines()
    assert install.startswith(
        'python -m pip install ".[serve,test]" && timelines render samples/child'
    )
    assert test == "python -m pytest"
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text()
    assert "python -m pytest" in ci
