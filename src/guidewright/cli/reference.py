"""The command-line reference of guidewright's docs, rendered from the commands themselves.

The docs build (docs/hooks.py) calls `cli_markdown()`: it walks the command tree Typer builds
from `guidewright.cli.app` (every command, its arguments and options, their help), so the
page can only say what `--help` says. Typer carries its own copy of click, so the tree is
read through `typer.core`'s classes. The questions `new TYPE` takes come from the
template, not from the code: they are shown for the bundled template, as `new TYPE --help`
shows them, from the same tables.
"""

from __future__ import annotations

import enum
import inspect
from collections.abc import Iterator
from pathlib import Path

import typer
from rich.table import Table
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from guidewright.cli import app
from guidewright.cli.type_help import questions_table, types_table
from guidewright.template.questionnaire import load_questionnaire
from guidewright.template.source import resolve_template, template_folder

Parameter = TyperArgument | TyperOption
Command = TyperCommand | TyperGroup

PROGRAM = "guidewright"

INTRODUCTION = f"""\
# Command line

Every command of `{PROGRAM}`, generated from the commands themselves when the docs are
built: it says what `{PROGRAM} COMMAND --help` says. Every command also takes `-h` and
`--help`.

Exit codes: 0 success; 1 a failed operation (or findings that fail `check`); 2 bad input
or usage; 130 interrupted (Ctrl-C). A failure is one line, `error: <field>: <what is
allowed>`, and nothing is written.
"""


def _paragraphs(text: str | None) -> str:
    """A command's or option's help as Markdown paragraphs (click's `\\b` markers dropped)."""
    cleaned = inspect.cleandoc(text or "").replace("\b\n", "")
    return "\n\n".join(" ".join(block.split()) for block in cleaned.split("\n\n") if block.strip())


def _cell(text: str) -> str:
    """`text` safe inside a Markdown table cell."""
    return " ".join(text.split()).replace("|", "\\|")


def _code(text: str) -> str:
    """`text` as inline code in a table cell (a `|` in it escaped for the table)."""
    return f"`{text}`".replace("|", "\\|")


def _default(param: Parameter) -> str:
    """The default `--help` shows, or nothing where it shows none."""
    default = param.default
    if default is None or (isinstance(param, TyperOption) and param.is_flag):
        return ""
    if isinstance(default, enum.Enum):
        default = default.value
    if isinstance(default, Path):
        default = str(default)
    return _code(str(default)) if not isinstance(default, list | tuple) or default else ""


def _names(param: Parameter, context: typer.Context) -> str:
    """How the parameter is written: its flags, or the argument's metavar."""
    if isinstance(param, TyperOption):
        names = ", ".join(_code(name) for name in [*param.opts, *param.secondary_opts])
        return names if param.is_flag else f"{names} {_code(param.make_metavar(context))}"
    return _code(param.make_metavar(context))


def _help(param: Parameter) -> str:
    text = param.help or ""
    if isinstance(param, TyperOption) and param.multiple:
        text += "" if "repeat" in text else " Repeatable."
    return _cell(text)


def _parameters(command: Command, context: typer.Context) -> Iterator[str]:
    shown = [
        p for p in command.params if isinstance(p, TyperArgument | TyperOption) and not p.hidden
    ]
    if not shown:
        return
    yield "| argument or option | default | what it does |"
    yield "| --- | --- | --- |"
    for param in shown:
        yield f"| {_names(param, context)} | {_default(param)} | {_help(param)} |"


def _usage(command: Command, context: typer.Context) -> str:
    pieces = command.collect_usage_pieces(context)
    return " ".join([context.command_path, *pieces])


def _commands(group: TyperGroup, context: typer.Context) -> Iterator[tuple[Command, typer.Context]]:
    """Every command under `group`, depth first, in `--help`'s order, each with its context."""
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        if not isinstance(command, TyperCommand | TyperGroup) or command.hidden:
            continue
        inner = typer.Context(command, info_name=name, parent=context)
        if isinstance(command, TyperGroup):
            yield from _commands(command, inner)
        else:
            yield command, inner


def table_markdown(table: Table) -> str:
    """A rich table (a `--help` screen's) as a Markdown table, its title as a caption line."""
    header = [_cell(str(column.header)) for column in table.columns]
    rows = zip(*(column.cells for column in table.columns), strict=True)
    lines = [f"| {' | '.join(header)} |", "|" + " --- |" * len(header)]
    lines.extend(f"| {' | '.join(_cell(str(cell)) for cell in row)} |" for row in rows)
    title = f"{table.title}:\n\n" if table.title else ""
    return title + "\n".join(lines)


def _template_questions() -> Iterator[str]:
    """What `new TYPE --help` shows with the bundled template: its types, then each type's
    questions."""
    with template_folder(resolve_template(None, None)) as folder:
        questionnaire = load_questionnaire(folder)
        yield (
            "`new`'s other options are the template's questions: every question is "
            "`--its-name VALUE` (a list question repeats its flag), the short flags the "
            "template's `_guidewright` block declares, and `-d NAME=VALUE`. "
            "With the template bundled in guidewright, `new TYPE --help` shows:"
        )
        yield table_markdown(types_table(questionnaire))
        for content_type in questionnaire.content_types:
            yield table_markdown(questions_table(questionnaire, content_type))


def cli_markdown() -> str:
    """The command-line reference page: every command, its usage, arguments and options."""
    root = typer.main.get_command(app)
    assert isinstance(root, TyperGroup)  # a Typer app with several commands is a group
    parts = [INTRODUCTION]
    for command, context in _commands(root, typer.Context(root, info_name=PROGRAM)):
        parts.append(f"## {context.command_path}\n")
        parts.append(_paragraphs(command.help) + "\n")
        parts.append(f"```\n{_usage(command, context)}\n```\n")
        parts.extend(_parameters(command, context))
        parts.append("")
        if context.info_name == "new":
            parts.extend(f"{part}\n" for part in _template_questions())
    return "\n".join(parts)
