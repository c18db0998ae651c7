"""`new TYPE --help`: the options, then every question a content type asks, in a form
that fits where it is read: a table in a terminal of 100 columns or more, a block a
question below that (no flag broken), plain blocks when piped (no boxes, no long lines).

Part of the command-line layer (it prints); the questions come from the questionnaire.
"""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table
from typer.core import TyperCommand

from guidewright.cli.wizard import shown_answer, template_for
from guidewright.copier_compat.questions import MISSING, Question
from guidewright.core.errors import GuidewrightError
from guidewright.template.answering import DocumentAnswers
from guidewright.template.normalise import VOCABULARY_SOURCES
from guidewright.template.questionnaire import Questionnaire, load_questionnaire
from guidewright.template.source import template_folder

WIDE = 100  # columns from which the questions are a table
SITE_SOURCES = {"git-user": "git", "content-owner": "the site", "docs-dir": "the site"}


def options_help(ctx: typer.Context) -> str:
    """The command's own help: Typer's panels in a terminal, plain text when piped (boxes
    and colours mean nothing in a pipe or a CI log)."""
    command = ctx.command
    if sys.stdout.isatty() or not isinstance(command, TyperCommand):
        return ctx.get_help()
    rich, command.rich_markup_mode = command.rich_markup_mode, None  # click's plain help
    try:
        return ctx.get_help()
    finally:
        command.rich_markup_mode = rich


def describe_type(content_type: str | None, dest: Path, template_flag: str | None) -> None:
    """Print a content type's questions (or the list of types) for `new --help`."""
    piped = not sys.stdout.isatty()
    console = Console()
    with template_folder(template_for(dest, template_flag)) as folder:
        questionnaire = load_questionnaire(folder)
        if content_type is None or content_type not in questionnaire.block.content_types:
            if piped:
                sys.stdout.write("".join(f"{line}\n" for line in types_lines(questionnaire)))
            else:
                console.print(types_table(questionnaire))
            return
        if piped or console.width < WIDE:
            width = None if piped else console.width
            blocks = question_blocks(questionnaire, content_type, width)
            sys.stdout.write("".join(f"{line}\n" for line in blocks))
            return
        console.print(questions_table(questionnaire, content_type))


def types_table(questionnaire: Questionnaire) -> Table:
    """The template's content types."""
    table = Table(title="Content types (guidewright new TYPE)")
    table.add_column("type", style="bold")
    table.add_column("description")
    for content_type in questionnaire.block.content_types.values():
        table.add_row(content_type.name, content_type.help)
    return table


def types_lines(questionnaire: Questionnaire) -> Iterator[str]:
    """The template's content types, a line each."""
    yield "Content types (guidewright new TYPE):"
    for content_type in questionnaire.block.content_types.values():
        yield f"  {content_type.name}: {content_type.help}"


def _rows(questionnaire: Questionnaire, content_type: str) -> Iterator[tuple[str, ...]]:
    """(question, flag, type, help, choices, default) of each question a type asks."""
    typical = questionnaire.typical_answers(content_type)
    block = questionnaire.block
    for question, applies in questionnaire.walk(typical):
        if not applies or question.name in block.from_site or question.name == block.type_question:
            continue
        help_text = question.help_text(typical)
        source = block.suggestions.get(question.name, "")
        if source in VOCABULARY_SOURCES:
            noun, confirm = VOCABULARY_SOURCES[source]
            help_text += f" ({confirm} keeps a new {noun} close to a known one)"
        yield (
            question.name,
            questionnaire.flag_of(question.name),
            _type_shown(questionnaire, question, typical),
            help_text,
            ", ".join(c.label for c in question.choice_list(typical)),
            _default_shown(questionnaire, question, typical),
        )


def questions_title(content_type: str) -> str:
    return f"Questions of a {content_type} (answer with the flag or -d NAME=VALUE)"


def questions_table(questionnaire: Questionnaire, content_type: str) -> Table:
    """Every question a `content_type` asks, as `new TYPE --help` lists them: a default
    that derives from other answers or the site says where from, the rest are values."""
    table = Table(title=questions_title(content_type))
    for column in ("question", "flag", "type", "help", "choices", "default"):
        # A name or a flag is never broken: it is copied into a command line.
        table.add_column(column, overflow="fold", no_wrap=column in ("question", "flag"))
    for row in _rows(questionnaire, content_type):
        table.add_row(*row)
    return table


def question_blocks(
    questionnaire: Questionnaire, content_type: str, width: int | None = None
) -> Iterator[str]:
    """Every question a `content_type` asks, a block each: its flag, type and default on
    the first line, its name and help (and choices) indented below; folded at `width`
    between words (a flag or a name is never broken), or not at all."""
    yield ""
    yield f"{questions_title(content_type)}:"
    for name, flag, type_name, help_text, choices, default in _rows(questionnaire, content_type):
        about = "required" if default == "(required)" else f"default: {_unmarked(default)}"
        yield ""
        yield from _folded(f"  {flag}  ({type_name}; {about})", width, "      ")
        described = f"      {name}: {help_text}" + (f"; choices: {choices}" if choices else "")
        yield from _folded(described, width, "        ")


def _folded(line: str, width: int | None, indent: str) -> list[str]:
    if width is None:
        return [line]
    return textwrap.wrap(
        line, width - 1, subsequent_indent=indent, break_long_words=False, break_on_hyphens=False
    )


def _unmarked(default: str) -> str:
    """A default as the block's words say it: "(from topic)" is "from topic"."""
    marked = default.startswith("(from ") or default == "(none)"
    return default[1:-1] if marked else default


def _type_shown(questionnaire: Questionnaire, question: Question, typical: DocumentAnswers) -> str:
    type_name = question.type_name(typical)
    if question.multiselect:
        return f"{type_name} multiselect"
    return type_name + (" list" if questionnaire.is_list(question.name) else "")


def derived_from(questionnaire: Questionnaire, question: Question) -> list[str]:
    """The other answers a question's default reads (its Jinja), the content type aside:
    `new TYPE --help` fixes that one."""
    if not isinstance(question.default, str):
        return []
    skip = {question.name, questionnaire.block.type_question}
    read = set(questionnaire.jinja.names(question.default)) - skip
    return [name for name in questionnaire.questions if name in read]  # in asking order


def _default_shown(
    questionnaire: Questionnaire, question: Question, typical: DocumentAnswers
) -> str:
    source = questionnaire.block.site_defaults.get(question.name)
    if source is not None:
        return f"(from {SITE_SOURCES.get(source, 'the site')})"
    derived = derived_from(questionnaire, question)
    if derived:
        return f"(from {', '.join(derived)})"
    try:
        default = question.default_value(typical)
    except GuidewrightError:
        default = MISSING
    return "(required)" if default is MISSING else shown_answer(default) or "(none)"
