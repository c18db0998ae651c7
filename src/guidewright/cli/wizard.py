"""The new-guide / new-tutorial flow: gather answers, show them, create the document.

Part of the command-line layer (it prints and prompts); the work is done by `answers`,
`create` and `site`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from guidewright import schema
from guidewright.documents.create import create_document
from guidewright.documents.site import Site, load_site, remember_content_owner
from guidewright.errors import OperationFailed
from guidewright.template.answering import DocumentAnswers, collect_answers, load_data_file
from guidewright.template.source import resolve_template


def _shown(value: Any) -> str:
    return ", ".join(value) if isinstance(value, list) else str(value)


def _summary(answers: DocumentAnswers, target: str) -> Table:
    table = Table(title=f"New {answers['content_type']}: {target}", show_header=False)
    table.add_column("field", style="bold")
    table.add_column("value", overflow="fold")
    for field in schema.fields_for(answers["content_type"]):
        table.add_row(field.key, _shown(answers[field.key]))
    return table


def _from_here(path: Path) -> str:
    return Path(os.path.relpath(path)).as_posix()


def _dest_flag(site: Site) -> str:
    return "" if site.root == Path.cwd().resolve() else f" --dest {_from_here(site.root)}"


def _ask_and_confirm(
    content_type: str, given: dict[str, Any], site: Site, console: Console
) -> DocumentAnswers:
    from guidewright.cli.prompts import Asker, SiteHints

    hints = SiteHints(site.sections(), site.tags_in_use(), site.documents())
    with Asker(hints) as asker:
        answers = collect_answers(content_type, given, site, asker)
        target = site.document_path(answers["section"], answers["slug"])
        shown = target.relative_to(site.root).as_posix()
        console.print(_summary(answers, shown))
        if not asker.confirm(f"Create {shown}?"):
            raise OperationFailed("cancelled; nothing was written")
    return answers


def run_wizard(
    content_type: str,
    dest: Path,
    template_flag: str | None,
    data_file: Path | None,
    defaults: bool,
    flags: dict[str, Any],
) -> None:
    site = load_site(dest)
    template = resolve_template(template_flag, site)
    given = load_data_file(data_file, content_type) if data_file else {}
    given.update(flags)
    console = Console()
    if not defaults and sys.stdin.isatty():
        answers = _ask_and_confirm(content_type, given, site, console)
    else:
        answers = collect_answers(content_type, given, site, None)
    target = site.document_path(answers["section"], answers["slug"])
    shown = target.relative_to(site.root).as_posix()
    create_document(site, answers, template)
    remember_content_owner(site, answers["content_owner"])
    console.print(f"Created {shown}", style="green", markup=False, highlight=False)
    console.print(
        "Next steps:\n"
        f"  1. Edit {shown}: replace the remaining [placeholders] with your content.\n"
        f"  2. Check it: guidewright check {_from_here(target)}{_dest_flag(site)}",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )
