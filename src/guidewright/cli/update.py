"""`guidewright update`: re-apply the template's newest version to existing documents."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from guidewright.cli.app import Defaults, Dest, app, fail, reporting_errors
from guidewright.core.errors import GuidewrightError, InvalidInput

if TYPE_CHECKING:
    from guidewright.update.plan import Behind, Outcome


class CheckFormat(StrEnum):
    """How `update --check` prints what is behind."""

    text = "text"
    json = "json"


@app.command("update")
def update(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Documents to update (default: all with answers).")
    ] = None,
    dest: Dest = Path("."),
    vcs_ref: Annotated[
        str | None, typer.Option("--vcs-ref", help="Template version (default: the newest).")
    ] = None,
    pretend: Annotated[
        bool, typer.Option("--pretend", help="Write nothing; show the diff it would apply.")
    ] = False,
    defaults: Defaults = False,
    allow_downgrade: Annotated[
        bool,
        typer.Option("--allow-downgrade", help="Apply a --vcs-ref older than a document's."),
    ] = False,
    template: Annotated[
        str | None,
        typer.Option(
            "--template",
            help="Move the documents to this template source (path or git URL): update them "
            "to its newest version and record it as their source.",
        ),
    ] = None,
    drop_unknown_answers: Annotated[
        bool,
        typer.Option(
            "--drop-unknown-answers",
            help="Drop recorded answers the new version has no question for (listed).",
        ),
    ] = False,
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Update nothing: list the documents behind their template and the "
            "migrations waiting; exit 1 when there is any, 2 when one cannot be told.",
        ),
    ] = False,
    output: Annotated[
        CheckFormat, typer.Option("--format", help="With --check: text or json.")
    ] = CheckFormat.text,
) -> None:
    """Re-apply the template's newest version to every document, keeping all author edits."""
    if check:
        given = {
            "--pretend": pretend,
            "--defaults": defaults,
            "--template": template,
            "--allow-downgrade": allow_downgrade,
            "--drop-unknown-answers": drop_unknown_answers,
        }
        with reporting_errors():
            raise _check_behind(paths or None, dest, vcs_ref, output, given)
    if output is not CheckFormat.text:
        with reporting_errors():
            raise InvalidInput("--format: only with --check")
    with reporting_errors("interrupted; each document is either updated or untouched: git status"):
        from guidewright.cli.update_screen import run_update

        code = run_update(
            paths or None,
            dest,
            vcs_ref,
            pretend,
            defaults,
            allow_downgrade,
            move_to=template,
            drop_unknown=drop_unknown_answers,
        )
    raise typer.Exit(code)


BEHIND = 1  # some document is behind: an update is waiting
UNTOLD = 2  # some document's template cannot be reached: whether it is behind is unknown


def _check_behind(
    paths: list[Path] | None,
    dest: Path,
    vcs_ref: str | None,
    output: CheckFormat,
    given: Mapping[str, object],
) -> typer.Exit:
    """`update --check`: what an update would bring, as `copier check-update` says it of
    one project; the exit to raise: 0 all current, 1 any behind, 2 any that cannot be told."""
    import json
    import os
    import tempfile

    from guidewright.site.site import load_site
    from guidewright.update.plan import behind_template

    refused = [name for name, value in given.items() if value]
    if refused:
        raise InvalidInput(f"{refused[0]}: not with --check (it writes nothing, asks nothing)")
    try:
        site = load_site(dest)
        with tempfile.TemporaryDirectory(prefix="guidewright-check-update-") as scratch:
            behind, failed, current = behind_template(site, paths, Path(scratch), vcs_ref)
    except GuidewrightError as error:
        # Could not tell at all (a site that does not read, a --vcs-ref no source has):
        # exit 2 whatever the error's own code (1 says "behind"), and a JSON reader still
        # gets JSON, saying why.
        if output is CheckFormat.json:
            typer.echo(json.dumps({"error": error.message}, indent=2, ensure_ascii=False))
        return fail(error.message, UNTOLD)
    from guidewright.core.shown_text import printable  # a name that is not UTF-8: escaped

    shown = {b.document: printable(os.path.relpath(site.root / b.document)) for b in behind}
    shown |= {f.document: printable(os.path.relpath(site.root / f.document)) for f in failed}
    if output is CheckFormat.json:
        listed = {
            "behind": [_behind_entry(b, shown[b.document]) for b in behind],
            "failed": [{"document": shown[f.document], "reason": f.detail} for f in failed],
            "current": current,
        }
        typer.echo(json.dumps(listed, indent=2, ensure_ascii=False))
    else:
        typer.echo(_behind_text(behind, failed, current, shown))
    return typer.Exit(UNTOLD if failed else BEHIND if behind else 0)


def _behind_entry(behind: Behind, shown: str) -> dict[str, object]:
    from guidewright.core.shown_text import printable  # lazy, as the command's imports

    return {
        "document": shown,
        "answers_file": printable(behind.answers_file),
        "template": behind.template,
        "recorded": behind.recorded,
        "newest": behind.newest,
        "migrations": list(behind.migrations),
    }


def _behind_text(
    behind: list[Behind], failed: list[Outcome], current: int, shown: dict[str, str]
) -> str:
    """One line a document behind (and a document that cannot be told), then the count."""
    from guidewright.core.shown_text import one_line

    lines = []
    for b in behind:
        waiting = f" (migrations: {', '.join(b.migrations)})" if b.migrations else ""
        lines.append(f"{shown[b.document]}: {b.recorded} -> {b.newest}{waiting}")
    lines += [f"{shown[f.document]}: cannot tell: {f.detail}" for f in failed]
    # Each on its line: an answers file's `_commit` or `_src_path`, a file name, anyone
    # can commit, and CI reads a line starting with `::` as a workflow command.
    lines = [one_line(line) for line in lines]
    count = len(behind)
    summary = f"{count} document{'' if count == 1 else 's'} behind the template"
    summary += f", {current} current"
    if failed:
        summary += f", {len(failed)} that cannot be told"
    if behind:
        summary += ": `guidewright update` brings them to it"
    return "\n".join([*lines, summary])
