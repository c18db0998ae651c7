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

from guidewright.cli.app import Cancelled, runnable
from guidewright.cli.given_flags import parse_extra
from guidewright.copier_compat.questions import MISSING, Question
from guidewright.copier_compat.render import judge_creation, refuse_unsafe_files
from guidewright.core.errors import GuidewrightError, InvalidInput
from guidewright.site.pages import content_index
from guidewright.site.site import (
    CONFIG_RELPATH,
    Site,
    add_site_tags,
    load_site,
    remember_content_owner,
)
from guidewright.template.answering import (
    DocumentAnswers,
    Prompt,
    collect_answers,
    editable,
    editing_prompt,
    judge_given,
    load_data_file,
    refuse_unknown,
)
from guidewright.template.create import create_document, render_page
from guidewright.template.normalise import likely_meant, new_tag_note, normalise_answers
from guidewright.template.questionnaire import Questionnaire, load_questionnaire
from guidewright.template.source import TemplateSource, resolve_template, template_folder


def _shown(value: Any) -> str:
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


def _summary(
    answers: DocumentAnswers,
    target: str,
    content_type: str,
    rows: tuple[list[str], int],
    new_tags: list[str],
) -> Table:
    """The answers the author gave or must see (title, essentials), the tags that will be
    new to the site, and how many took their defaults: it fits an 80x24 terminal."""
    shown, rest = rows
    caption = f"+ {rest} answers at their defaults (see them: Change an answer)" if rest else None
    table = Table(
        title=f"New {content_type}: {target}", show_header=False, caption=caption,
        caption_justify="left", title_justify="left",
    )  # fmt: skip
    table.add_column("question", style="bold")
    table.add_column("answer", overflow="fold")
    for name in shown:
        table.add_row(name, _shown(answers[name]))
    if new_tags:
        table.add_row("new tags", f"{', '.join(new_tags)} (added to the site's tags)")
    return table


def summary_rows(
    questionnaire: Questionnaire, answers: DocumentAnswers, chosen: set[str]
) -> tuple[list[str], int]:
    """The rows of the summary (the title, the essentials and what the author gave or
    answered; not the type, the site's own answers or the place, which the path shows),
    and how many other answers took their defaults."""
    block = questionnaire.block
    internal = {block.type_question, *block.from_site, *LOCATION_SHOWN_IN_PATH}
    wanted = {"title", *block.essential, *chosen}
    public = [name for name in answers if name not in internal]
    shown = [name for name in public if name in wanted]
    return shown, len(public) - len(shown)


LOCATION_SHOWN_IN_PATH = ("section", "slug")


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
    known_flags = [questionnaire.flag_of(name) for name in questionnaire.questions]
    known_flags += [f"--{flag}" for flag in questionnaire.block.flags]
    known_flags += ["--" + name.replace("_", "-") for name in questionnaire.questions]
    flags = parse_extra(extra_args, list(dict.fromkeys(known_flags)))
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


def new_tags(questionnaire: Questionnaire, answers: DocumentAnswers, known: list[str]) -> list[str]:
    """The tags of `answers` the site does not know yet (its `tags`, and every page's)."""
    name = questionnaire.block.tags_question
    values = answers.get(name) if name else None
    if not isinstance(values, list):
        return []
    return [v for v in values if isinstance(v, str) and new_tag_note(v, known) is not None]


def _new_tag_notes(
    questionnaire: Questionnaire, answers: DocumentAnswers, known: list[str], told: bool
) -> None:
    """The one rule for new tags: a likely typo gets "did you mean"; the new tags are added
    to the site's tags (`told`: the summary says so already)."""
    name = questionnaire.block.tags_question
    added = new_tags(questionnaire, answers, known)
    for tag in added:
        if likely_meant(tag, known):
            note(f"{name}: {new_tag_note(tag, known)}")
    if added and not told:
        note(f"{name}: new to this site, added to its tags ({CONFIG_RELPATH}): {', '.join(added)}")


def _ask_and_confirm(
    questionnaire: Questionnaire,
    content_type: str,
    given: dict[str, Any],
    site: Site,
    console: Console,
    pretend: bool,
) -> tuple[DocumentAnswers, list[str]]:
    from guidewright.cli.prompts import Asker, SiteHints

    block = questionnaire.block
    hints = SiteHints(site, block.tags_question, block.type_question)
    asked: dict[str, Any] = {}
    verb = "Show (pretend: write nothing)" if pretend else "Create"

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
                added = new_tags(questionnaire, answers, hints.tags)
                rows = summary_rows(questionnaire, answers, {*given, *asked})
                console.print(_summary(answers, shown, content_type, rows, added))
                _new_tag_notes(questionnaire, answers, hints.tags, told=True)
                action = asker.choose(
                    "Next:",
                    [(f"{verb} {shown}", "create"), ("Change an answer", "edit"),
                     ("Cancel", "cancel")],
                )  # fmt: skip
                if action == "create":
                    return answers, added
                if action == "cancel":
                    raise Cancelled("cancelled; nothing was written")
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
    content_type: str | None,
    dest: Path,
    template_flag: str | None,
    data_file: Path | None,
    data: dict[str, str],
    extra_args: list[str],
    defaults: bool,
    pretend: bool = False,
) -> None:
    """Create one document of `content_type` (None: asked first, in a terminal), asking
    in a terminal unless `defaults`; with `pretend`, print the page it would write and
    write nothing. The site and the template are read once, the type's question too."""
    site = load_site(dest)
    source = resolve_template(template_flag, site)
    console = Console()
    with template_folder(source) as folder:
        questionnaire = load_questionnaire(folder)
        refuse_unsafe_files(folder, questionnaire.config.subdirectory)
        given = given_answers(questionnaire, data_file, data, extra_args)
        if content_type is None:
            content_type = _ask_content_type(questionnaire)
        if content_type in questionnaire.block.content_types:
            judge_given(questionnaire, content_type, given, site)  # before any question
        interactive = not defaults and sys.stdin.isatty()
        known: list[str] = []  # for the notes without a summary
        if interactive:
            answers, added = _ask_and_confirm(
                questionnaire, content_type, given, site, console, pretend
            )
        else:
            answers = collect_answers(questionnaire, content_type, given, site, None)
            block = questionnaire.block
            known, _ = content_index(site, block.tags_question, block.type_question)
            added = new_tags(questionnaire, answers, known)
        judge_creation(folder, answers, site.answers_relpath(answers["section"], answers["slug"]))
    target = site.document_path(answers["section"], answers["slug"])
    shown = _from_here(target)
    if pretend:
        sys.stdout.write(render_page(site, answers, source).decode("utf-8", "replace"))
        if not interactive:
            _new_tag_notes(questionnaire, answers, known, told=True)
        note(f"pretend: {shown} would be created; nothing was written")
        return
    create_document(site, answers, source)
    owner = answers.get("content_owner")
    if isinstance(owner, str):
        remember_content_owner(site, owner)
    add_site_tags(site, added)
    if not interactive:  # once the page is written: a failure stays one error line
        _new_tag_notes(questionnaire, answers, known, told=False)
    console.print(f"Created {shown}", style="green", markup=False, highlight=False)
    mkdocs_yml = _from_here(site.root / "mkdocs.yml")
    console.print(
        "Next steps:\n"
        f"  1. Edit {shown}: replace the remaining [placeholders] with your content.\n"
        f"  2. Check it: {runnable('guidewright')} check {shown}{_dest_flag(site)}\n"
        f"  3. See it: {runnable('mkdocs')} serve -f {mkdocs_yml}",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )


def template_for(dest: Path, template_flag: str | None) -> TemplateSource:
    """The template of the site at `dest` (or `--template`), even when there is no site;
    a `--dest` that is no folder at all is a typo, not "no site"."""
    if not dest.is_dir():
        raise InvalidInput(f"--dest: {dest} is not a folder (create a site with: guidewright init)")
    try:
        site: Site | None = load_site(dest)
    except GuidewrightError:
        site = None
    return resolve_template(template_flag, site)


def content_type_names(dest: Path, template_flag: str | None) -> list[str]:
    """The template's content types, by name."""
    with template_folder(template_for(dest, template_flag)) as folder:
        return list(load_questionnaire(folder).block.content_types)


def _ask_content_type(questionnaire: Questionnaire) -> str:
    """Ask which of the template's content types to create."""
    from guidewright.cli.prompts import Asker, SiteHints

    types = questionnaire.block.content_types.values()
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
    """Every question a `content_type` asks, as `new TYPE --help` lists them: a default
    that derives from other answers or the site says where from, the rest are values."""
    typical = questionnaire.typical_answers(content_type)
    table = Table(title=f"Questions of a {content_type} (answer with the flag or -d NAME=VALUE)")
    for column in ("question", "flag", "type", "help", "choices", "default"):
        table.add_column(column, overflow="fold")
    block = questionnaire.block
    for question, applies in questionnaire.walk(typical):
        if not applies or question.name in block.from_site or question.name == block.type_question:
            continue
        choices = ", ".join(c.label for c in question.choice_list(typical))
        table.add_row(
            question.name,
            questionnaire.flag_of(question.name),
            _type_shown(questionnaire, question, typical),
            question.help_text(typical),
            choices,
            _default_shown(questionnaire, question, typical),
        )
    return table


SITE_SOURCES = {"git-user": "git", "content-owner": "the site", "docs-dir": "the site"}


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
    read = questionnaire.jinja.names(question.default)
    return [n for n in read if n in questionnaire.questions and n not in skip]


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
    return "(required)" if default is MISSING else _shown(default) or "(none)"
