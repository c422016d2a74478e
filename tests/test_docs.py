"""Every CLI command is documented in the README (after sqlite-utils' ``test_docs.py``): a command
added without a line of usage fails here, and so does a README naming a command that is gone."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from textkit.cli import main

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = "") -> list[str]:
    out = []
    for name, command in sorted(group.commands.items()):
        path = f"{prefix}{name}"
        if isinstance(command, click.Group):
            out += _commands(command, path + " ")
        else:
            out.append(path)
    return out


COMMANDS = _commands(main)


def test_the_cli_has_commands():
    assert {"align", "parse", "report", "review apply"} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_in_the_readme(command):
    assert re.search(rf"`?textkit {re.escape(command)}\b", README), (
        f"README.md does not show `textkit {command} …`: add a usage line"
    )


def test_the_readme_names_no_missing_command():
    named = set(re.findall(r"^textkit ([a-z][a-z-]*(?: [a-z][a-z-]*)?)", README, re.M))
    groups = {n for n, c in main.commands.items() if isinstance(c, click.Group)}
    for line in sorted(named):
        first = line.split()[0]
        assert first in main.commands, f"README shows `textkit {line}`, which is no command"
        if first in groups:
            assert line in COMMANDS, f"README shows `textkit {line}`, which is no command"
