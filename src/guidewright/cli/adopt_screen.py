"""The `adopt` command's screen: the review table, its edits, the plan and the result."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import typer

from guidewright.adopt.answers import DEFAULT, PagePlan, Refused
from guidewright.adopt.plan_file import plan_text, write_plan
from guidewright.adopt.run import AdoptRun, open_run


def _shown(run: AdoptRun, document: str) -> str:
    return os.path.relpath(run.site.root / document)


def _needs(plan: PagePlan) -> str:
    wanted = [f"{name}: missing" for name in plan.missing] + plan.problems
    return "; ".join(wanted)


def review_table(run: AdoptRun) -> str:
    """Every page with its answers, each marked with where it came from."""
    lines = []
    for number, plan in enumerate(run.plans, 1):
        lines.append(
            f"[{number}] {_shown(run, plan.document)} ({plan.content_type.value}, "
            f"{plan.content_type.origin})"
        )
        for name, answer in plan.answers.items():
            lines.append(
                f"      {name} = {json.dumps(answer.value, ensure_ascii=False)}  ({answer.origin})"
            )
        if not plan.ready:
            lines.append(f"      NEEDS: {_needs(plan)}")
        if plan.kept_keys:
            lines.append(f"      kept as written: {', '.join(plan.kept_keys)}")
    return "\n".join(lines)


def _ask_type(run: AdoptRun) -> None:
    """The type of the pages nothing gave one (not --type, their frontmatter or a folder
    rule), asked once for all of them; Enter keeps the type question's default."""
    untyped = [p for p in run.plans if p.content_type.origin == DEFAULT]
    if not untyped:
        return
    types = run.questionnaire.content_types
    default = str(untyped[0].content_type.value)
    chosen = typer.prompt(
        f"{_pages(len(untyped), 'declares', 'declare')} no content type: "
        f"the type of {'it' if len(untyped) == 1 else 'them all'} ({', '.join(types)})",
        default=default,
    ).strip()  # fmt: skip
    if chosen != default:
        for plan in untyped:
            run.replan(plan.document, run.questionnaire.block.type_question, chosen)


def _ask_missing(run: AdoptRun) -> None:
    """Each answer pages lack, asked once for all of them (Enter leaves it to the review)."""
    lacking: dict[str, list[str]] = {}
    for plan in run.plans:
        for name in plan.missing:
            lacking.setdefault(name, []).append(plan.document)
    for name, documents in lacking.items():
        them = "it" if len(documents) == 1 else "all of them"
        value = _ask_answer(
            run, name, f"{_pages(len(documents), 'has', 'have')} no {name}: an answer for {them}",
            "Enter: none, change pages in the review",
        )  # fmt: skip
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
        raw = typer.prompt(f"{question} ({empty})", default="", show_default=False)
        return raw if raw.strip() else None
    typer.echo(f"{question} (one per line; an empty line ends it; {empty})")
    items: list[str] = []
    while line := typer.prompt("", default="", show_default=False, prompt_suffix="  ").strip():
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
    while True:
        typer.echo(review_table(run))
        choice = typer.prompt(
            "Change an answer: page number (Enter writes the pages)", default="",
            show_default=False,
        ).strip()  # fmt: skip
        if not choice:
            return
        if not choice.isdigit() or not 1 <= int(choice) <= len(run.plans):
            typer.echo(f"  no page {choice}: a number from 1 to {len(run.plans)}")
            continue
        plan = run.plans[int(choice) - 1]
        name = typer.prompt("  question").strip()
        if name not in run.questionnaire.questions:
            typer.echo(
                f"  no question {name!r} (its questions: {', '.join(run.questionnaire.questions)})"
            )
            continue
        value = _ask_answer(run, name, f"  {name}", "Enter: keep it")
        if value is None:
            continue
        found = run.replan(plan.document, name, value)
        if isinstance(found, Refused):
            typer.echo(f"  {found.reason}")


def run_adopt(
    dest: Path,
    template: str | None,
    paths: list[Path] | None,
    inputs: dict[str, Any],
    pretend: bool,
    plan_file: Path | None,
    interactive: bool,
    force: bool = False,
) -> int:
    """Plan, review (in a terminal), write; the exit code."""
    render_now = not interactive and plan_file is None  # no review changes a plan: render
    with open_run(dest, template, paths, inputs, pretend, render_now) as run:
        if run.config_written:
            verb = "would write" if pretend else "wrote"
            typer.echo(f"A site new to guidewright: {verb} .guidewright/config.yml")
        for note in run.notes:
            typer.echo(f"note: {note}", err=True)
        if plan_file is not None:
            write_plan(plan_file, plan_text(run.plans, run.refused, run.questionnaire), force)
            missing = sum(1 for p in run.plans if not p.ready)
            typer.echo(
                f"Wrote the plan of {len(run.plans)} page{'' if len(run.plans) == 1 else 's'} "
                f"to {plan_file} ({missing} with answers to fill); nothing else was written."
            )
            _list_refused(run)
            return 0
        if interactive and run.plans:
            _review(run)
        ready = [p for p in run.plans if p.ready]
        pages = run.render(ready)
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


def _body_length(run: AdoptRun, document: str) -> int:
    plan = next(p for p in run.plans if p.document == document)
    assert plan.parts is not None
    return len(plan.parts.body)


def _list_refused(run: AdoptRun) -> None:
    for item in run.refused:
        typer.echo(f"refused: {_shown(run, item.document)}: {item.reason}", err=True)
