"""`guidewright check`: every problem of the site's documents, for an author or CI."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from guidewright.cli.app import Dest, Template, app, reporting_errors

if TYPE_CHECKING:
    from guidewright.rules.problems import Problem
    from guidewright.site.site import Site


class OutputFormat(StrEnum):
    """How `check` prints its findings."""

    text = "text"
    json = "json"
    github = "github"
    sarif = "sarif"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


@app.command("check")
def check(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Pages or folders (default: the docs folder).")
    ] = None,
    dest: Dest = Path("."),
    template: Template = None,
    output: Annotated[
        OutputFormat,
        typer.Option("--format", help="text, json, github (annotations), sarif (code scanning)."),
    ] = OutputFormat.text,
    strict: Annotated[
        bool,
        typer.Option("--strict", help="Warnings and content pages without frontmatter are errors."),
    ] = False,
    ignore: Annotated[
        list[str] | None,
        typer.Option("--ignore", help="A rule code to turn off (GW104); repeat for more."),
    ] = None,
    verbose: Annotated[
        bool, typer.Option("-v", "--verbose", help="List every page without frontmatter.")
    ] = False,
    fix: Annotated[
        bool,
        typer.Option(
            "--fix", help="Fix the lists (GW601) and label lines (GW602) MkDocs renders otherwise."
        ),
    ] = False,
    pretend: Annotated[
        bool, typer.Option("--pretend", help="With --fix: show the diff, write nothing.")
    ] = False,
) -> None:
    """Report every problem of the site's pages: questions, links, placeholders."""
    import dataclasses
    import datetime as dt
    import os

    # --fix writes pages: an interrupt after some leaves those fixed whole, the rest as found.
    interrupted = (
        "interrupted; each page is as it was or fixed whole (git diff shows which)"
        if fix and not pretend
        else "interrupted; nothing was written"
    )
    with reporting_errors(interrupted):
        from guidewright.check.site_check import check_site, strict_findings
        from guidewright.core.errors import InvalidInput
        from guidewright.rules.problems import ERROR, RULES
        from guidewright.site.site import load_site

        site = load_site(dest)
        ignored = {code.upper() for code in [*(ignore or []), *site.config.check_ignore]}
        unknown = sorted(ignored - set(RULES))
        if unknown:
            rules = f"{min(RULES)} to {max(RULES)}"
            raise InvalidInput(f"--ignore: no rule {unknown[0]} (rules: {rules})")
        if pretend and not fix:
            raise InvalidInput("--pretend: only with --fix")
        if fix:
            _fix_lists(site, paths or None, pretend, output is OutputFormat.text)
        report = check_site(site, paths or None, dt.date.today(), template)
    found = report.problems + (strict_findings(report) if strict else [])
    problems = sorted(
        (dataclasses.replace(p, path=os.path.relpath(site.root / p.path)) for p in found),
        key=lambda p: (p.path, p.line, p.column, p.code),
    )
    problems = [p for p in problems if p.code not in ignored]  # never counted, never failing
    # What fails the run is what the summary calls an error: with --strict, every finding.
    errors = sum(p.severity == ERROR or strict for p in problems)
    plain = [os.path.relpath(site.root / path) for path in report.without_frontmatter]
    if output is OutputFormat.json:
        import json

        listed = {"problems": [p.as_dict() for p in problems], "without_frontmatter": plain,
                  "checked": report.checked}  # fmt: skip
        typer.echo(json.dumps(listed, indent=2, ensure_ascii=False))
    elif output is OutputFormat.sarif:
        import json

        from guidewright.cli.sarif_output import sarif_document

        bare = [] if strict or "GW003" in ignored else plain
        document = sarif_document(site.root, problems, strict, bare, report.checked)
        typer.echo(json.dumps(document, indent=2, ensure_ascii=False))
    elif output is OutputFormat.github:
        for p in problems:
            typer.echo(_annotation(p, strict))
    else:
        for p in problems:
            label = "" if p.severity == ERROR or strict else f"{p.severity}: "
            where = f"{p.path}:{p.line}:{p.column}" if p.column else f"{p.path}:{p.line}"
            typer.echo(f"{where}: {p.code} {p.field}: {label}{p.message}")
        if plain and not strict and "GW003" not in ignored:
            typer.echo(_without_frontmatter(plain, verbose))
        pages = f", {_plural(len(plain), 'page')} without frontmatter" if plain else ""
        typer.echo(
            f"{_plural(report.checked, 'document')} checked{pages}: "
            f"{_plural(errors, 'error')}, {_plural(len(problems) - errors, 'warning')}"
            + (" (--strict: warnings are errors)" if strict and problems else "")
        )
    raise typer.Exit(1 if errors else 0)


SHOWN_WITHOUT_FRONTMATTER = 5  # a brownfield site has hundreds: the first few, then a count


def _without_frontmatter(plain: list[str], verbose: bool) -> str:
    """The pages without frontmatter: the first few and a count (all of them with
    --verbose, one a line), then how to adopt them."""
    hint = "\n  hint: `guidewright adopt` gives them the template's frontmatter"
    if verbose:
        listed = "\n".join(f"  {p}" for p in plain)
        return (
            f"no frontmatter (GW003, links checked): {_plural(len(plain), 'page')}\n{listed}{hint}"
        )
    if len(plain) <= SHOWN_WITHOUT_FRONTMATTER:
        return f"no frontmatter (GW003, links checked): {', '.join(plain)}" + hint
    shown = ", ".join(plain[:SHOWN_WITHOUT_FRONTMATTER])
    more = len(plain) - SHOWN_WITHOUT_FRONTMATTER
    return (
        f"no frontmatter (GW003, links checked): {_plural(len(plain), 'page')}: {shown} "
        f"and {more} more (--verbose lists them)" + hint
    )


def _fix_lists(site: Site, paths: list[Path] | None, pretend: bool, text: bool) -> None:
    """Fix the lists, then say what changed (the diff, with --pretend) before the findings;
    to stderr where stdout is JSON or workflow commands."""
    import difflib
    import os

    from guidewright.check.list_fix import fix_site_lists

    done = fix_site_lists(site, paths, pretend)
    for page in done.pages if pretend else []:
        shown = os.path.relpath(page.path)
        assert page.before is not None  # kept with --pretend
        before, after = (
            b.decode("utf-8").splitlines(keepends=True) for b in (page.before, page.after)
        )
        diff = difflib.unified_diff(before, after, f"a/{shown}", f"b/{shown}")
        typer.echo("".join(diff), nl=False, err=not text)
    fixed = sum(page.fixed for page in done.pages)
    verb = "would fix" if pretend else "fixed"
    lists = sum(1 for page in done.pages if page.fixed)
    typer.echo(f"{verb} {_plural(fixed, 'list')} in {_plural(lists, 'page')} (GW601)", err=not text)
    labels = sum(page.labels for page in done.pages)
    if labels:
        pages = _plural(sum(1 for page in done.pages if page.labels), "page")
        typer.echo(f"{verb} {_plural(labels, 'label line')} in {pages} (GW602)", err=not text)


def _annotation(problem: Problem, strict: bool) -> str:
    """A GitHub Actions workflow command: the finding shows on the pull request's line."""
    level = "error" if problem.severity == "error" or strict else "warning"
    column = f",col={problem.column}" if problem.column else ""
    message = f"{problem.field}: {problem.message}".replace("%", "%25").replace("\n", "%0A")
    path = problem.path.replace(",", "%2C").replace(":", "%3A")
    return f"::{level} file={path},line={problem.line}{column},title={problem.code}::{message}"
