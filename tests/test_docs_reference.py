"""The references of guidewright's docs are generated from the code and cover all of it:
every command and option (`guidewright.cli.reference`), every rule with the severity its
findings have (`guidewright.rules.reference`)."""

from __future__ import annotations

import ast
from pathlib import Path

import typer
from typer.core import TyperArgument, TyperGroup, TyperOption

from guidewright.cli import app
from guidewright.cli.reference import cli_markdown
from guidewright.rules.problems import ERROR, RULES
from guidewright.rules.reference import LISTED, SEVERITIES, rules_markdown

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
    for code, text in RULES.items():
        cell = text.replace("|", "\\|")
        assert f"| {code} | {SEVERITIES[code]} | {cell} |" in page
    assert set(SEVERITIES) == set(RULES)


def _literal(node: ast.expr | None) -> object:
    return node.value if isinstance(node, ast.Constant) else None


def _built_severities() -> dict[str, set[str]]:
    """Code -> the severities the package's `Problem(...)` and `Fallback(...)` calls give
    it (positional or keyword, ERROR where the call leaves it to the default)."""
    names = {"ERROR": "error", "WARNING": "warning"}
    found: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            keywords = {k.arg: k.value for k in node.keywords}
            if node.func.id == "Problem":
                severity, code = node.args[4:5], node.args[5:6]
            elif node.func.id == "Fallback":
                severity, code = node.args[1:2], node.args[2:3]
            else:
                continue
            code_value = _literal(code[0] if code else keywords.get("code"))
            severity_node = severity[0] if severity else keywords.get("severity")
            if not isinstance(code_value, str):
                continue
            if severity_node is None:
                level = ERROR
            else:  # a severity the scan cannot read is "?", and fails the test below
                name = severity_node.id if isinstance(severity_node, ast.Name) else ""
                level = names.get(name, "?")
            found.setdefault(code_value, set()).add(level)
    return found


def test_the_rules_reference_severities_are_the_ones_the_rules_give() -> None:
    built = _built_severities()
    assert set(built) == set(RULES)  # the scan finds every rule's findings
    for code, levels in built.items():
        expected = ERROR if SEVERITIES[code] == LISTED else SEVERITIES[code]
        assert levels == {expected}, (code, levels)
