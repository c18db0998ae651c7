"""The references of guidewright's docs are generated from the code and cover all of it:
every command and option (`guidewright.cli.reference`), every rule of the registry with its
severity (`guidewright.rules.reference`)."""

from __future__ import annotations

from pathlib import Path

import typer
from typer.core import TyperArgument, TyperGroup, TyperOption

from guidewright.cli import app
from guidewright.cli.reference import cli_markdown
from guidewright.rules.reference import rules_markdown
from guidewright.rules.registry import REGISTRY

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "guidewright"


def test_the_cli_reference_has_every_command_and_option() -> None:
    page = cli_markdown()
    root = typer.main.get_command(app)
    assert isinstance(root, TyperGroup)
    context = typer.Context(root, info_name="guidewright")
    for name in root.list_commands(context):
        command = root.get_command(context, name)
        assert command is not None
        inner = typer.Context(command, info_name=name, parent=context)
        leaves = (
            [
                (f"{name} {sub}", command.get_command(inner, sub))
                for sub in command.list_commands(inner)
            ]
            if isinstance(command, TyperGroup)
            else [(name, command)]
        )
        for path, leaf in leaves:
            assert leaf is not None
            assert f"## guidewright {path}\n" in page
            for param in leaf.params:
                if isinstance(param, TyperOption):
                    assert all(f"`{flag}`" in page for flag in param.opts), param.opts
                if isinstance(param, TyperArgument) and param.help:
                    assert param.help in page
    # `new`'s questions come from the bundled template, as `new TYPE --help` shows them.
    assert "| learning_objectives | --objective | yaml list |" in page


def test_the_rules_reference_lists_every_rule_with_its_severity() -> None:
    page = rules_markdown()
    for rule in REGISTRY:
        assert f"| {rule.name} | {rule.severity} | " in page, rule.code
        assert f"## {rule.code} {rule.name}" in page
