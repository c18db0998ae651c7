"""The `adopt` command's screen: the review, its edits, the plan and the result.

The review starts with one screen (it fits 80x24 however many pages): what changes on the
built site, where the answers came from, the pages that still need answers. After an edit
it shows the rows that changed; the whole table only on request (`list`).
"""

from __future__ import annotations

import json
import os
import sys
import textwrap
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from guidewright.adopt.answers import DEFAULT, INFERRED, Answer, PagePlan, Refused
from guidewright.adopt.plan_file import plan_text, write_plan
from guidewright.adopt.run import AdoptRun, open_run
from guidewright.adopt.write import AdoptedPage
from guidewright.cli.typed_line import read_line

if TYPE_CHECKING:
    from guidewright.update.plan import Outcome

SCREEN_WIDTH = 79  # the review's first screen fits 80x24, however many pages
SHOWN_NEEDS = 4  # pages needing answers named on the review's first screen
SHOWN_ORIGINS = 6  # questions whose sources the first screen counts
ASKED_ONE_BY_ONE = 8  # pages asked, one by one, for an answer their inferences lacked


def _prompt(
    text: str, default: str | None = None, show_default: bool = True, prompt_suffix: str = ": "
) -> str:
    """A line typed, as typer.prompt asks for it (`text [default]: `; Enter gives the
    default, and asks again where there is none; the end of the input aborts), read so
    that a Ctrl-C typed the moment the prompt shows interrupts (exit 130, nothing
    written): cli/typed_line.py."""
    shown = f"{text} [{default}]" if default is not None and show_default else text
    while True:
        typer.echo(shown + prompt_suffix, nl=False)
        try:
            value = read_line()
        except EOFError:
            raise typer.Abort() from None
        if value:
            return value
        if default is not None:
            return default


def _shown(run: AdoptRun, document: str) -> str:
    return os.path.relpath(run.site.root / document)


def _needs(plan: PagePlan) -> str:
    return "; ".join(plan.needs())


def _page_rows(run: AdoptRun, number: int, plan: PagePlan, compact: bool = False) -> list[str]:
    """One page of the review table: its answers, each with where it came from
    (`compact`: the answers that are their question's default named on one line, so that
    a page fits the screen)."""
    lines = [
        f"[{number}] {_shown(run, plan.document)} ({plan.content_type.value}, "
        f"{plan.content_type.origin})"
    ]
    defaults = [n for n, a in plan.answers.items() if compact and a.origin == DEFAULT]
    lines += [_row(name, a) for name, a in plan.answers.items() if name not in defaults]
    if defaults:
        named = f"      defaults: {', '.join(defaults)} (`list` shows them)"
        lines += textwrap.wrap(named, SCREEN_WIDTH, subsequent_indent="        ")
    if not plan.ready:
        lines.append(f"      NEEDS: {_needs(plan)}")
    if plan.kept_keys:
        lines.append(f"      kept as written: {', '.join(plan.kept_keys)}")
    return lines


def _row(name: str, answer: Answer) -> str:
    return f"      {name} = {json.dumps(answer.value, ensure_ascii=False)}  ({answer.origin})"


def review_table(run: AdoptRun) -> str:
    """Every page with its answers, each marked with where it came from."""
    return "\n".join(
        line for number, plan in enumerate(run.plans, 1) for line in _page_rows(run, number, plan)
    )


def overview(run: AdoptRun) -> str:
    """The review's first screen: where the answers came from, question by question, and
    the pages that need answers (a few named)."""
    ready = sum(p.ready for p in run.plans)
    needing = [(n, p) for n, p in enumerate(run.plans, 1) if not p.ready]
    planned = _pages(len(run.plans), "planned:", "planned:")
    lines = [f"{planned} {ready} ready, {len(needing)} needing answers"]
    origins: dict[str, Counter[str]] = {}
    for plan in run.plans:
        for name, answer in plan.answers.items():
            if answer.origin.startswith(INFERRED):
                origins.setdefault(name, Counter())[answer.origin.removeprefix(INFERRED)] += 1
    for name, counts in list(origins.items())[:SHOWN_ORIGINS]:
        sources = ", ".join(f"{count} {how}" for how, count in counts.most_common(3))
        lines.append(f"  {name}: inferred from {sources}")
    for number, plan in needing[:SHOWN_NEEDS]:
        needs = f"  [{number}] {_shown(run, plan.document)}: {_needs(plan)}"
        cut = len(needs) > SCREEN_WIDTH  # the page's own rows say it all
        lines.append(needs[: SCREEN_WIDTH - 4] + " (…)" if cut else needs)
    if len(needing) > SHOWN_NEEDS:
        lines.append(f"  and {len(needing) - SHOWN_NEEDS} more needing answers (`list`)")
    return "\n".join(lines)


def first_screen(run: AdoptRun) -> list[str]:
    """What the review shows first: what changes on the built site, then the overview."""
    from guidewright.adopt.visible import described, visible_changes  # lazy: start-up

    changes = described(visible_changes(run.site, run.plans, _tags(run)), shown_titles=2)
    wrapped = [textwrap.fill(line, SCREEN_WIDTH, subsequent_indent="    ") for line in changes]
    return "\n".join([*wrapped, overview(run)]).split("\n")


def changed_rows(run: AdoptRun, number: int, before: PagePlan, after: PagePlan) -> str:
    """What an edit changed on one page: the rows that differ, old and new."""
    lines = [f"[{number}] {_shown(run, after.document)}:"]
    if before.content_type != after.content_type:
        lines.append(f"      type: {before.content_type.value} -> {after.content_type.value}")
    for name in dict.fromkeys([*before.answers, *after.answers]):
        old, new = before.answers.get(name), after.answers.get(name)
        if old == new:
            continue
        if new is None:
            lines.append(f"      {name}: no longer asked")
            continue
        was = "" if old is None else f"  (was {json.dumps(old.value, ensure_ascii=False)})"
        lines.append(_row(name, new) + was)
    if _needs(before) != _needs(after):
        lines.append(f"      NEEDS: {_needs(after)}" if not after.ready else "      ready")
    if len(lines) == 1:
        lines.append("      nothing changed")
    return "\n".join(lines)


def _ask_type(run: AdoptRun) -> None:
    """The type of the pages nothing gave one (not --type, their frontmatter or a folder
    rule), asked once for all of them; Enter keeps the type question's default."""
    untyped = [p for p in run.plans if p.content_type.origin == DEFAULT]
    if not untyped:
        return
    types = run.questionnaire.content_types
    default = str(untyped[0].content_type.value)
    chosen = _prompt(
        f"{_pages(len(untyped), 'declares', 'declare')} no content type: "
        f"the type of {'it' if len(untyped) == 1 else 'them all'} ({', '.join(types)})",
        default=default,
    ).strip()
    if chosen != default:
        for plan in untyped:
            run.replan(plan.document, run.questionnaire.block.type_question, chosen)


def _ask_missing(run: AdoptRun) -> None:
    """Each answer pages lack, asked once for all of them (Enter leaves it to the review);
    one a page's own inferences gave but the rules refused (its title, say) is asked of
    each page, saying why, for a few pages (more are for the review or a plan)."""
    lacking: dict[str, list[str]] = {}
    own: dict[str, list[PagePlan]] = {}
    for plan in run.plans:
        for name in plan.missing:
            if name in plan.refused_inferences:
                own.setdefault(name, []).append(plan)
            else:
                lacking.setdefault(name, []).append(plan.document)
    for name, plans in own.items():
        if len(plans) > ASKED_ONE_BY_ONE:
            typer.echo(
                f"{len(plans)} pages have no {name} the template's rules take: give them in "
                "the review, or in a plan (--pretend --plan FILE)"
            )
            continue
        for plan in plans:
            typer.echo(f"{_shown(run, plan.document)}: {plan.refused_inferences[name]}")
            value = _ask_answer(run, name, f"  its {name}", "Enter: none, skip it")
            if value is not None:
                run.replan(plan.document, name, value)
    for name, documents in lacking.items():
        them = "it" if len(documents) == 1 else "all of them"
        value = _ask_answer(
            run,
            name,
            f"{_pages(len(documents), 'has', 'have')} no {name}: an answer for {them}",
            "Enter: none, change pages in the review",
        )
        if value is not None:
            for document in documents:
                run.replan(document, name, value)


def _pages(count: int, singular: str, plural: str) -> str:
    """`count` pages and the verb that agrees: "1 page has", "2 pages have"."""
    return f"1 page {singular}" if count == 1 else f"{count} pages {plural}"


def _ask_answer(run: AdoptRun, name: str, question: str, empty: str) -> Any:
    """One answer typed: a list question's items one a line, as `new` takes them (an
    empty line ends the list; `[a, b]` on the first line is the whole list), any other
    question's text (its question parses it). None: nothing typed."""
    if not run.questionnaire.is_list(name):
        raw = _prompt(f"{question} ({empty})", default="", show_default=False)
        return raw if raw.strip() else None
    typer.echo(f"{question} (one per line; an empty line ends it; {empty})")
    items: list[str] = []
    while line := _prompt("", default="", show_default=False, prompt_suffix="  ").strip():
        if not items and line.startswith("[") and line.endswith("]"):
            return _flow_list(line)
        items.append(line)
    return items or None


def _flow_list(raw: str) -> Any:
    """`[a, b]` read as YAML (what the review took before items came one a line)."""
    import yaml

    from guidewright.copier_compat.questions import load_yaml
    from guidewright.core.errors import UnsafeYaml

    try:
        return load_yaml(raw)
    except (yaml.YAMLError, ValueError, UnsafeYaml):  # ValueError: a date that is none
        return raw  # the question's rule says what is wrong with it


def _review(run: AdoptRun) -> None:
    """Let the author change any answer of any page, then go on."""
    _ask_type(run)
    _ask_missing(run)
    typer.echo("\n".join(first_screen(run)))
    while True:
        choice = _prompt(
            "Page number to change, `list` for every page, Enter writes the pages",
            default="",
            show_default=False,
        ).strip()
        if not choice:
            return
        if choice in ("list", "l"):
            typer.echo(review_table(run))
            continue
        if not choice.isdigit() or not 1 <= int(choice) <= len(run.plans):
            typer.echo(f"  no page {choice}: a number from 1 to {len(run.plans)}, or `list`")
            continue
        number = int(choice)
        plan = run.plans[number - 1]
        typer.echo("\n".join(_page_rows(run, number, plan, compact=True)))
        name = _prompt("  question").strip()
        asked = {*plan.answers, *plan.missing, *(p.split(":", 1)[0] for p in plan.problems)}
        type_question = run.questionnaire.block.type_question
        if name not in run.questionnaire.questions:
            typer.echo(
                f"  no question {name!r} (its questions: {', '.join(run.questionnaire.questions)})"
            )
            continue
        if name not in asked and name != type_question:
            typer.echo(f"  {name}: not asked of a {plan.content_type.value} page")
            continue
        value = _ask_answer(run, name, f"  {name}", "Enter: keep it")
        if value is None:
            continue
        found = run.replan(plan.document, name, value)
        if isinstance(found, Refused):
            typer.echo(f"  {found.reason}")
        else:
            typer.echo(changed_rows(run, number, plan, found))


def _tags(run: AdoptRun) -> str | None:
    return run.questionnaire.block.tags_question


def run_adopt(
    dest: Path,
    template: str | None,
    paths: list[Path] | None,
    inputs: dict[str, Any],
    pretend: bool,
    plan_file: Path | None,
    interactive: bool,
    force: bool = False,
    again: bool = False,
) -> int:
    """Plan, review (in a terminal), write; the exit code."""
    render_now = not interactive and plan_file is None  # no review changes a plan: render
    with open_run(dest, template, paths, inputs, render_now, again) as run:
        if run.new_config is not None:
            verb = "would write" if pretend else "will write"
            typer.echo(f"A site new to guidewright: adopt {verb} .guidewright/config.yml")
        for note in run.notes:
            typer.echo(f"note: {note}", err=True)
        if plan_file is not None:
            write_plan(plan_file, plan_text(run.plans, run.refused, run.questionnaire), force)
            missing = sum(1 for p in run.plans if not p.ready)
            typer.echo(
                f"Wrote the plan of {len(run.plans)} page{'' if len(run.plans) == 1 else 's'} "
                f"to {plan_file} ({missing} with answers to fill); nothing else was written."
            )
            _say_visible(run, False)
            _list_refused(run)
            return 0
        if interactive and run.plans:
            _review(run)
        ready = [p for p in run.plans if p.ready]
        pages = run.render(ready)
        if again:
            return _report_again(run, pages, pretend)
        left = 0
        if pretend:
            for page in pages:
                typer.echo(f"--- {_shown(run, page.document)} would start with:")
                typer.echo(
                    page.content[: len(page.content) - _body_length(run, page.document)].decode(
                        "utf-8", "replace"
                    ),
                    nl=False,
                )
            _say_visible(run, interactive)
        else:
            done = run.write(pages)
            written = len(done.written)
            typer.echo(f"Adopted {written} page{'' if written == 1 else 's'}.")
            for kept in done.left:
                typer.echo(f"left: {_shown(run, kept.relpath)}: {kept.reason}", err=True)
            left = len(done.left)
        skipped = [p for p in run.plans if not p.ready]
        for plan in skipped:
            typer.echo(f"skipped: {_shown(run, plan.document)}: {_needs(plan)}", err=True)
        if skipped:
            typer.echo(
                f"{len(skipped)} page{'' if len(skipped) == 1 else 's'} skipped: give "
                f"{'its' if len(skipped) == 1 else 'their'} answers with -d NAME=VALUE or "
                "a plan (--pretend --plan FILE, then --data-file FILE)",
                err=True,
            )
        _list_refused(run)
        return 1 if skipped or run.refused or left else 0


def _say_visible(run: AdoptRun, reviewed: bool) -> None:
    """What the written pages would change on the built site (said once a run: the review
    said it already)."""
    if reviewed:
        return
    from guidewright.adopt.visible import described, visible_changes  # lazy: start-up

    lines = described(visible_changes(run.site, run.plans, _tags(run)))
    if lines:
        typer.echo("On the built site:")
        for line in lines:
            typer.echo(f"  {line}")


def _report_again(run: AdoptRun, pages: list[AdoptedPage], pretend: bool) -> int:
    """`--again`: each page as `update` reports it, written (unless `pretend`) each page
    with its answers file or not at all."""
    # Imported here, for CLI start-up: a first adoption, the common run, reports in a
    # line, without update's table and its terminal libraries (some 0.1 s to import).
    from rich.console import Console

    from guidewright.cli.update_screen import counted, table
    from guidewright.update.plan import Outcome, Status

    outcomes: list[Outcome] = []
    by_document = {p.document: p for p in pages}
    unchanged = {p.document for p in pages if p.answers_seen.holds(p.answers)}
    same_page = {p.document for p in pages if p.content == p.original}
    changing = [p for p in pages if p.document not in unchanged or p.document not in same_page]
    written = {p.document for p in changing}
    left_reasons: dict[str, str] = {}
    if not pretend:
        done = run.write(changing)
        written = set(done.written)
        left_reasons = {kept.relpath: kept.reason for kept in done.left}
    for plan in run.plans:
        document = plan.document
        if document not in by_document:
            outcomes.append(Outcome(document, Status.LEFT, _needs(plan)))
        elif document in unchanged and document in same_page:
            outcomes.append(Outcome(document, Status.CURRENT))
        elif document not in written:
            reason = left_reasons.get(document, "changed while adopt ran")
            outcomes.append(Outcome(document, Status.LEFT, reason))
        elif document in same_page:  # only the answers file records the template's version
            outcomes.append(Outcome(document, Status.VERSION_RECORDED))
        else:
            outcomes.append(Outcome(document, Status.UPDATED, _changed_answers(run, plan)))
    for item in run.refused:
        outcomes.append(Outcome(item.document, Status.LEFT, item.reason))
    console = Console(width=None if sys.stdout.isatty() else 1000)
    report = table(outcomes, run.site)
    report.title = "guidewright adopt --again"
    console.print(report)
    counts = {s: sum(o.status is s for o in outcomes) for s in Status}
    console.print(
        ", ".join(counted(n, s) for s, n in counts.items() if n or s is Status.UPDATED)
        + (" (pretend: nothing written)" if pretend else "")
    )
    if pretend:
        _say_visible(run, False)
    return 1 if counts[Status.LEFT] else 0


def _changed_answers(run: AdoptRun, plan: PagePlan) -> str:
    """The answers that differ from those recorded, by name."""
    before = run.inputs.again[plan.document].recorded.answers
    changed = [n for n, a in plan.answers.items() if before.get(n) != a.value]
    return f"answers: {', '.join(changed)}" if changed else "the new template's frontmatter"


def _body_length(run: AdoptRun, document: str) -> int:
    plan = next(p for p in run.plans if p.document == document)
    assert plan.parts is not None
    return len(plan.parts.body)


def _list_refused(run: AdoptRun) -> None:
    for item in run.refused:
        typer.echo(f"refused: {_shown(run, item.document)}: {item.reason}", err=True)
