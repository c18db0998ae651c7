"""The `new` flow: gather answers, show them, create the document; and `new TYPE --help`.

Part of the command-line layer (it prints and prompts); the work is done by
`template.answering`, `documents.create` and the site.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from guidewright.cli.new import parse_extra
from guidewright.documents.create import create_document
from guidewright.documents.site import Site, load_site, remember_content_owner
from guidewright.errors import GuidewrightError, OperationFailed
from guidewright.template.answering import (
    DocumentAnswers,
    Prompt,
    collect_answers,
    editable,
    editing_prompt,
    load_data_file,
    refuse_unknown,
)
from guidewright.template.confinement import judge_creation
from guidewright.template.normalise import FEW_TAGS, nearest, normalise_answers
from guidewright.template.questionnaire import Questionnaire, load_questionnaire
from guidewright.template.questions import MISSING
from guidewright.template.render import refuse_unsafe_files
from guidewright.template.source import TemplateSource, resolve_template, template_folder


def _shown(value: Any) -> str:
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


def _summary(answers: DocumentAnswers, target: str, content_type: str) -> Table:
    table = Table(title=f"New {content_type}: {target}", show_header=False)
    table.add_column("question", style="bold")
    table.add_column("answer", overflow="fold")
    for name, value in answers.items():
        table.add_row(name, _shown(value))
    return table


def _from_here(path: Path) -> str:
    return Path(os.path.relpath(path)).as_posix()


def _dest_flag(site: Site) -> str:
    return "" if site.root == Path.cwd().resolve() else f" --dest {_from_here(site.root)}"


def given_answers(
    questionnaire: Questionnaire,
    data_file: Path | None,
    data: dict[str, str],
    extra_args: list[str],
) -> dict[str, Any]:
    """The data file, then -d, then --flags: each later one wins; normalised as the
    template says, with a notice of what changed."""
    from_file = load_data_file(data_file) if data_file else {}
    refuse_unknown(questionnaire, from_file, "--data-file")
    refuse_unknown(questionnaire, data, "-d")
    flags = parse_extra(extra_args, lambda f: questionnaire.question_for_flag(f) is not None)
    from_flags: dict[str, Any] = {}
    for flag, values in flags.items():
        name = questionnaire.question_for_flag(flag)
        assert name is not None  # parse_extra accepted only known flags
        if questionnaire.is_list(name) or questionnaire.questions[name].multiselect:
            from_flags[name] = list(from_flags.get(name, [])) + values
        else:
            from_flags[name] = values[-1]  # as with any option, the last one wins
    given, changed = normalise_answers(
        questionnaire.block.normalise, {**from_file, **data, **from_flags}
    )
    for change in changed:
        note(f"{change.name}: {_shown(change.before)} → {_shown(change.after)}")
    return given


def note(message: str) -> None:
    """A one-line notice on stderr, which scripts can keep apart from the output."""
    Console(stderr=True).print(f"note: {message}", markup=False, highlight=False, soft_wrap=True)


def _new_tag_notes(
    questionnaire: Questionnaire, answers: DocumentAnswers, known: list[str]
) -> None:
    """Name the known tag a new tag most likely means (a new tag alone is no news)."""
    name = questionnaire.block.tags_question
    values = answers.get(name) if name else None
    if len(known) < FEW_TAGS or not isinstance(values, list):
        return  # a new site: every tag is new, and no tag is a typo of another yet
    for value in values:
        close = nearest(value, known) if isinstance(value, str) and value not in known else None
        if close:
            note(f"{name}: '{value}' is new to this site; did you mean '{close}'?")


def _ask_and_confirm(
    questionnaire: Questionnaire,
    content_type: str,
    given: dict[str, Any],
    site: Site,
    console: Console,
) -> DocumentAnswers:
    from guidewright.cli.prompts import Asker, SiteHints

    block = questionnaire.block
    hints = SiteHints(site, block.tags_question, block.type_question)
    asked: dict[str, Any] = {}

    def ask(prompt: Prompt) -> Any:
        asked[prompt.question.name] = answer = asker(prompt)
        return answer

    try:
        with Asker(hints) as asker:
            answers = collect_answers(
                questionnaire, content_type, given, site, ask, essential_only=True
            )
            while True:
                shown = _from_here(site.document_path(answers["section"], answers["slug"]))
                console.print(_summary(answers, shown, content_type))
                _new_tag_notes(questionnaire, answers, hints.tags)
                action = asker.choose(
                    "Next:",
                    [(f"Create {shown}", "create"), ("Change an answer", "edit"),
                     ("Cancel", "cancel")],
                )  # fmt: skip
                if action == "create":
                    return answers
                if action == "cancel":
                    raise OperationFailed("cancelled; nothing was written")
                name = asker.choose(
                    "Which answer?",
                    [(f"{n}: {_shown(answers[n])}", n) for n in editable(questionnaire, answers)],
                )
                asked[name] = asker(editing_prompt(questionnaire, site, answers, name))
                given = {k: v for k, v in given.items() if k != name}  # the edit wins
                answers = collect_answers(
                    questionnaire, content_type, given, site, ask,
                    essential_only=True, earlier=asked,
                )  # fmt: skip
    finally:
        hints.close()


def run_wizard(
    content_type: str,
    dest: Path,
    template_flag: str | None,
    data_file: Path | None,
    data: dict[str, str],
    extra_args: list[str],
    defaults: bool,
) -> None:
    """Create one document of `content_type`, asking in a terminal unless `defaults`."""
    site = load_site(dest)
    source = resolve_template(template_flag, site)
    console = Console()
    with template_folder(source) as folder:
        questionnaire = load_questionnaire(folder)
        refuse_unsafe_files(folder, questionnaire.config.subdirectory)
        given = given_answers(questionnaire, data_file, data, extra_args)
        if not defaults and sys.stdin.isatty():
            answers = _ask_and_confirm(questionnaire, content_type, given, site, console)
        else:
            answers = collect_answers(questionnaire, content_type, given, site, None)
            block = questionnaire.block
            known, _ = site.content_index(block.tags_question, block.type_question)
            _new_tag_notes(questionnaire, answers, known)
        judge_creation(folder, answers, site.answers_relpath(answers["section"], answers["slug"]))
    target = site.document_path(answers["section"], answers["slug"])
    create_document(site, answers, source)
    owner = answers.get("content_owner")
    if isinstance(owner, str):
        remember_content_owner(site, owner)
    shown = _from_here(target)
    console.print(f"Created {shown}", style="green", markup=False, highlight=False)
    mkdocs_yml = _from_here(site.root / "mkdocs.yml")
    console.print(
        "Next steps:\n"
        f"  1. Edit {shown}: replace the remaining [placeholders] with your content.\n"
        f"  2. Check it: guidewright check {shown}{_dest_flag(site)}\n"
        f"  3. See it: mkdocs serve -f {mkdocs_yml}",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )


def template_for(dest: Path, template_flag: str | None) -> TemplateSource:
    """The template of the site at `dest` (or `--template`), even when there is no site."""
    try:
        site: Site | None = load_site(dest)
    except GuidewrightError:
        site = None
    return resolve_template(template_flag, site)


def ask_content_type(dest: Path, template_flag: str | None) -> str:
    """Ask which of the template's content types to create."""
    from guidewright.cli.prompts import Asker, SiteHints

    with template_folder(template_for(dest, template_flag)) as folder:
        types = load_questionnaire(folder).block.content_types.values()
    choices = [(f"{t.name}: {t.help}" if t.help else t.name, t.name) for t in types]
    with Asker(SiteHints.none()) as asker:
        return asker.choose("Content type:", choices)


def describe_type(content_type: str | None, dest: Path, template_flag: str | None) -> None:
    """Print a content type's questions (or the list of types) for `new --help`."""
    # Outside a terminal (pipes, CI logs) nothing is gained by folding names and flags.
    console = Console(width=None if sys.stdout.isatty() else 200)
    with template_folder(template_for(dest, template_flag)) as folder:
        questionnaire = load_questionnaire(folder)
        if content_type is None or content_type not in questionnaire.block.content_types:
            console.print(types_table(questionnaire))
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


def questions_table(questionnaire: Questionnaire, content_type: str) -> Table:
    """Every question a `content_type` asks, as `new TYPE --help` lists them."""
    typical = questionnaire.typical_answers(content_type)
    table = Table(title=f"Questions of a {content_type} (answer with the flag or -d NAME=VALUE)")
    for column in ("question", "flag", "type", "help", "choices", "default"):
        table.add_column(column, overflow="fold")
    block = questionnaire.block
    for question, applies in questionnaire.walk(typical):
        if not applies or question.name in block.from_site or question.name == block.type_question:
            continue
        list_of = " list" if questionnaire.is_list(question.name) else ""
        choices = ", ".join(c.label for c in question.choice_list(typical))
        try:
            default = question.default_value(typical)
        except (ValueError, GuidewrightError):
            default = MISSING
        shown_default = "(required)" if default is MISSING else _shown(default) or "(none)"
        table.add_row(
            question.name,
            questionnaire.flag_of(question.name),
            question.type_name(typical) + list_of,
            question.help_text(typical),
            choices,
            shown_default,
        )
    return table
