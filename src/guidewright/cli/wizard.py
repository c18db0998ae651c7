"""The `new` flow: gather answers, show them, create the document; and `new TYPE --help`.

Part of the command-line layer (it prints and prompts); the work is done by
`template.answering`, `documents.create` and the site.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table

from guidewright.cli.app import Cancelled, runnable
from guidewright.cli.given_flags import parse_extra
from guidewright.copier_compat.render import judge_creation, refuse_unsafe_files
from guidewright.core.errors import GuidewrightError, InvalidInput
from guidewright.site.pages import content_index
from guidewright.site.site import CONFIG_RELPATH, Site, load_site
from guidewright.template.answering import (
    DocumentAnswers,
    Prompt,
    collect_answers,
    editable,
    editing_prompt,
    judge_given,
    load_data_file,
    refuse_unknown,
    section_at,
)
from guidewright.template.create import create_document, render_page
from guidewright.template.normalise import (
    VOCABULARY_SOURCES,
    Vocabulary,
    normalise_answers,
    normalise_value,
    refuse_likely_typos,
    site_vocabularies,
    with_value_replaced,
)
from guidewright.template.questionnaire import Questionnaire, load_questionnaire
from guidewright.template.source import TemplateSource, resolve_template, template_folder

if TYPE_CHECKING:
    from guidewright.cli.prompts import Asker


def shown_answer(value: Any) -> str:
    """An answer as the wizard and the type help show it: a list's items joined by commas."""
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


def _summary(
    answers: DocumentAnswers,
    target: str,
    content_type: str,
    rows: tuple[list[str], int],
    new_rows: list[tuple[str, str]],
) -> Table:
    """The answers the author gave or must see (title, essentials), what will be new to
    the site (tags, a section), and how many took their defaults: it fits an 80x24
    terminal."""
    shown, rest = rows
    caption = f"+ {rest} answers at their defaults (see them: Change an answer)" if rest else None
    table = Table(
        title=f"New {content_type}: {target}",
        show_header=False,
        caption=caption,
        caption_justify="left",
        title_justify="left",
    )
    table.add_column("question", style="bold")
    table.add_column("answer", overflow="fold")
    for name in shown:
        table.add_row(name, shown_answer(answers[name]))
    for row in new_rows:
        table.add_row(*row)
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


@dataclass(frozen=True)
class GivenAnswers:
    """What the command line gave: answers by question, and the new values it confirmed
    for a site vocabulary (`--new-tag`, `--new-section`), by question."""

    answers: dict[str, Any]
    confirmed: dict[str, set[str]]


def given_answers(
    questionnaire: Questionnaire,
    data_file: Path | None,
    data: dict[str, str],
    extra_args: list[str],
) -> GivenAnswers:
    """The data file, then -d, then --flags: each later one wins; normalised as the
    template says, with a notice of what changed. `--new-tag X` answers as `--tag X` does
    and confirms X as a new tag (`--new-section` alike)."""
    from_file = load_data_file(data_file) if data_file else {}
    refuse_unknown(questionnaire, from_file, "--data-file")
    refuse_unknown(questionnaire, data, "-d")
    block = questionnaire.block
    confirming = {
        VOCABULARY_SOURCES[source][1]: name
        for name, source in block.suggestions.items()
        if source in VOCABULARY_SOURCES
    }
    known_flags = [questionnaire.flag_of(name) for name in questionnaire.questions]
    known_flags += [f"--{flag}" for flag in block.flags]
    known_flags += ["--" + name.replace("_", "-") for name in questionnaire.questions]
    known_flags += list(confirming)
    flags = parse_extra(extra_args, list(dict.fromkeys(known_flags)))
    from_flags: dict[str, Any] = {}
    confirmed: dict[str, set[str]] = {}
    # The confirming flags last: `--tag a --new-tag b` answers [a, b].
    for flag, values in sorted(flags.items(), key=lambda item: item[0] in confirming):
        name = confirming.get(flag) or questionnaire.question_for_flag(flag)
        assert name is not None  # parse_extra accepted only known flags
        if questionnaire.is_list(name) or questionnaire.questions[name].multiselect:
            from_flags[name] = list(from_flags.get(name, [])) + values
        else:
            values = values[-1:]  # as with any option, the last one wins
            from_flags[name] = values[0]
        if flag in confirming:
            how = block.normalise.get(name)
            confirmed.setdefault(name, set()).update(
                normalise_value(how, value) if how else value for value in values
            )
    given, changed = normalise_answers(block.normalise, {**from_file, **data, **from_flags})
    for change in changed:
        note(f"{change.name}: {shown_answer(change.before)} → {shown_answer(change.after)}")
    return GivenAnswers(given, confirmed)


def note(message: str) -> None:
    """A one-line notice on stderr, which scripts can keep apart from the output."""
    Console(stderr=True).print(f"note: {message}", markup=False, highlight=False, soft_wrap=True)


def vocabularies_of(
    questionnaire: Questionnaire, site: Site, tags: list[str], confirmed: dict[str, set[str]]
) -> list[Vocabulary]:
    """The site's vocabularies for this template (its sections; its tags, `tags` being
    those the configuration and the pages use), with what the author confirmed."""
    known = {"site-tags": tags, "site-sections": site.sections()}
    found = site_vocabularies(questionnaire.block.suggestions, known)
    for vocabulary in found:
        vocabulary.confirmed.update(confirmed.get(vocabulary.question, ()))
    return found


def new_to_the_site(
    questionnaire: Questionnaire,
    site: Site,
    vocabularies: list[Vocabulary],
    answers: DocumentAnswers,
) -> tuple[list[str], list[tuple[str, str]]]:
    """The tags to add to the site's configuration, and the summary's rows of what will
    be new to the site (its tags, a section folder)."""
    tags_question = questionnaire.block.tags_question
    added: list[str] = []
    rows = []
    for vocabulary in vocabularies:
        new = vocabulary.new_values(answers.get(vocabulary.question))
        if not new:
            continue
        if vocabulary.question == tags_question:
            added = new
            rows.append((f"new {vocabulary.noun}s", f"{', '.join(new)} (added to the site's tags)"))
        else:
            where = f"a new folder of {site.docs_dir}/"
            rows.append((f"new {vocabulary.noun}", f"{', '.join(new)} ({where})"))
    return added, rows


def _settle_likely_typos(
    asker: Asker, vocabularies: list[Vocabulary], answers: DocumentAnswers
) -> dict[str, Any]:
    """The author's pick for each new value that is most likely a slip of a known one:
    the known value (the changed answers are returned) or the new one, kept (confirmed)."""
    changed: dict[str, Any] = {}
    for vocabulary in vocabularies:
        answer = answers.get(vocabulary.question)
        for value, meant in vocabulary.likely_typos(answer):
            picked = asker.choose(
                f"{vocabulary.question}: '{value}' is new to this site; did you mean '{meant}'?",
                [(f"Use '{meant}'", meant), (f"Keep '{value}' as a new {vocabulary.noun}", value)],
            )
            if picked == value:
                vocabulary.confirmed.add(value)
            else:
                answer = changed[vocabulary.question] = with_value_replaced(answer, value, meant)
    return changed


def _settle_slips(
    asker: Asker,
    questionnaire: Questionnaire,
    site: Site,
    answers: DocumentAnswers,
    offered: set[str],
    renames: dict[str, str],
) -> dict[str, Any]:
    """For each tag a page of the site holds that `check` calls a slip of a known one
    (GW402), where the author chose the slip or the tag it means: whether to rename it
    on the site's pages once this page is created (`renames`, as `tags rename` does),
    and which of the two this page takes. Each slip is asked about once (`offered`); the
    changed answers are returned."""
    # Imported here, not at the top: the renaming core is heavy for every command's start.
    from guidewright.site_ops.tags import slips_of, tag_uses

    key = questionnaire.block.tags_question
    chosen = answers.get(key) if key else None
    if not key or not isinstance(chosen, list):
        return {}
    changed: dict[str, Any] = {}
    for slip in slips_of(tag_uses(site, questionnaire), chosen):
        if slip.tag in offered:
            continue
        offered.add(slip.tag)
        tag, meant, page = slip.tag, slip.meant, slip.pages[0]
        if tag in chosen:
            picked = asker.choose(
                f"{key}: '{tag}' is on one page only ({page}), most likely a slip of '{meant}'",
                [
                    (f"Use '{meant}', and rename '{tag}' to '{meant}' on {page} too", "rename"),
                    (f"Use '{meant}' on this page only", "use"),
                    (f"Keep '{tag}'", "keep"),
                ],
            )
            if picked != "keep":
                chosen = changed[key] = with_value_replaced(chosen, tag, meant)
        else:
            picked = asker.choose(
                f"{key}: {page} holds '{tag}', most likely a slip of '{meant}'",
                [
                    (f"Rename '{tag}' to '{meant}' there (guidewright tags rename)", "rename"),
                    ("Leave it", "keep"),
                ],
            )
        if picked == "rename":
            renames[tag] = meant
    return changed


def _ask_and_confirm(
    questionnaire: Questionnaire,
    content_type: str,
    given: GivenAnswers,
    site: Site,
    console: Console,
    pretend: bool,
    renames: dict[str, str],
) -> tuple[DocumentAnswers, list[str]]:
    """The answers, asked and confirmed at the summary, and the tags to add to the site;
    `renames` gets the slipped tags the author chose to rename on the site."""
    from guidewright.cli.prompts import Asker, SiteHints

    block = questionnaire.block
    hints = SiteHints(site, block.tags_question, block.type_question)
    asked: dict[str, Any] = {}
    verb = "Show (pretend: write nothing)" if pretend else "Create"
    values = given.answers
    offered: set[str] = set()

    def ask(prompt: Prompt) -> Any:
        asked[prompt.question.name] = answer = asker(prompt)
        return answer

    try:
        with Asker(hints) as asker:
            answers = collect_answers(
                questionnaire,
                content_type,
                values,
                site,
                ask,
                essential_only=True,
                here=hints.here,
            )
            vocabularies = vocabularies_of(questionnaire, site, hints.tags, given.confirmed)
            while True:
                # A likely typo is never taken unasked: the author's pick is an edit.
                edited = _settle_likely_typos(asker, vocabularies, answers) or _settle_slips(
                    asker, questionnaire, site, answers, offered, renames
                )
                if not edited:
                    added, new_rows = new_to_the_site(questionnaire, site, vocabularies, answers)
                    rows = summary_rows(questionnaire, answers, {*values, *asked})
                    changed = _at_the_summary(
                        asker, questionnaire, site, answers, (rows, new_rows), verb, console
                    )
                    if changed is None:
                        return answers, added
                    edited = changed
                asked.update(edited)
                values = {k: v for k, v in values.items() if k not in edited}  # the edit wins
                answers = collect_answers(
                    questionnaire,
                    content_type,
                    values,
                    site,
                    ask,
                    essential_only=True,
                    earlier=asked,
                    here=hints.here,
                )
    finally:
        hints.close()


def _at_the_summary(
    asker: Asker,
    questionnaire: Questionnaire,
    site: Site,
    answers: DocumentAnswers,
    rows: tuple[tuple[list[str], int], list[tuple[str, str]]],
    verb: str,
    console: Console,
) -> dict[str, Any] | None:
    """Show the summary and ask what next: None to create the page, else the answer the
    author changed; Cancel stops."""
    shown = _from_here(site.document_path(answers["section"], answers["slug"]))
    content_type = answers[questionnaire.block.type_question]
    console.print(_summary(answers, shown, content_type, *rows))
    action = asker.choose(
        "Next:",
        [(f"{verb} {shown}", "create"), ("Change an answer", "edit"), ("Cancel", "cancel")],
    )
    if action == "create":
        return None
    if action == "cancel":
        raise Cancelled("cancelled; nothing was written")
    name = asker.choose(
        "Which answer?",
        [(f"{n}: {shown_answer(answers[n])}", n) for n in editable(questionnaire, answers)],
    )
    return {name: asker(editing_prompt(questionnaire, site, answers, name))}


def _rename_slip(
    site: Site, old: str, new: str, template_flag: str | None, console: Console
) -> None:
    """`tags rename OLD NEW` once the page is created; a failure is a note (the page
    stays created) naming the command to run later."""
    from guidewright.site_ops.tags import retag_site  # heavy: see _settle_slips

    try:
        result = retag_site(site, [old], new, False, "new", template_flag)
    except GuidewrightError as error:
        later = f"guidewright tags rename {old} {new}"
        note(f"'{old}' was not renamed: {error.message}; to rename it later: {later}")
        return
    pages = len(result.written)
    console.print(
        f"Renamed '{old}' to '{new}' on {pages} page{'' if pages == 1 else 's'}",
        markup=False,
        highlight=False,
    )
    for refused in result.plan.refused:
        note(f"left as it is: {refused.document}: {refused.reason}")
    for left in result.left:
        note(f"left as it is: {left.message}")


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
    try:
        site: Site | None = load_site(dest)
    except InvalidInput as no_site:
        site, not_a_site = None, no_site
    source = (
        template_for(dest, template_flag) if site is None else resolve_template(template_flag, site)
    )
    console = Console()
    with template_folder(source) as folder:
        questionnaire = load_questionnaire(folder)
        refuse_unsafe_files(folder, questionnaire.config.subdirectory)
        # The command line is read first: an unknown option is the mistake to report,
        # even outside a site.
        given = given_answers(questionnaire, data_file, data, extra_args)
        if site is None:
            raise not_a_site
        if content_type is None:
            content_type = _ask_content_type(questionnaire)
        if content_type in questionnaire.block.content_types:
            judge_given(questionnaire, content_type, given.answers, site)  # before any question
        interactive = not defaults and sys.stdin.isatty()
        renames: dict[str, str] = {}  # slipped tags to rename on the site (interactive)
        if interactive:
            answers, added = _ask_and_confirm(
                questionnaire, content_type, given, site, console, pretend, renames
            )
        else:
            here = section_at(site, Path.cwd())
            answers = collect_answers(
                questionnaire, content_type, given.answers, site, None, here=here
            )
            block = questionnaire.block
            tags, _ = content_index(site, block.tags_question, block.type_question)
            vocabularies = vocabularies_of(questionnaire, site, tags, given.confirmed)
            refuse_likely_typos(vocabularies, answers, questionnaire.flag_of)
            added, _ = new_to_the_site(questionnaire, site, vocabularies, answers)
        judge_creation(folder, answers, site.answers_relpath(answers["section"], answers["slug"]))
    target = site.document_path(answers["section"], answers["slug"])
    shown = _from_here(target)
    tags_question = questionnaire.block.tags_question
    if pretend:
        sys.stdout.write(render_page(site, answers, source).decode("utf-8", "replace"))
        note(f"pretend: {shown} would be created; nothing was written")
        for old, new in renames.items():
            note(f"pretend: '{old}' would be renamed to '{new}' on the site")
        return
    create_document(site, answers, source, added)  # the site keeps the owner and new tags
    if added and not interactive:  # once the page is written: a failure stays one error line
        where = f"added to its tags ({CONFIG_RELPATH})"
        note(f"{tags_question}: new to this site, {where}: {', '.join(added)}")
    console.print(f"Created {shown}", style="green", markup=False, highlight=False)
    for old, new in renames.items():
        _rename_slip(site, old, new, template_flag, console)
    profile = site.profile
    config = f" -f {_from_here(site.root / profile.config_file)}" if profile.config_file else ""
    console.print(
        "Next steps:\n"
        f"  1. Edit {shown}: replace the remaining [placeholders] with your content.\n"
        f"  2. Check it: {runnable('guidewright')} check {shown}{_dest_flag(site)}\n"
        f"  3. See it: {runnable(profile.engine)} serve{config}",
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
