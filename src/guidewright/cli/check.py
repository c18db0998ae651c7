"""`guidewright check`: every problem of the site's documents, for an author or CI."""

# No `from __future__ import annotations` here, unlike elsewhere: Typer reads the
# command's parameters from its annotations at every start, and text annotations are
# compiled and evaluated twice there (inspect.signature, get_type_hints), some 1.5 ms of
# every `check` run, the pre-commit and CI command. Names imported for typing only are
# written as text.

import dataclasses
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from guidewright.cli.app import Dest, Template, app, fail, reporting_errors

if TYPE_CHECKING:
    from guidewright.rules.problems import Problem
    from guidewright.rules.registry import Registry
    from guidewright.site.site import Site


class OutputFormat(StrEnum):
    """How `check` prints its findings."""

    text = "text"
    json = "json"
    github = "github"
    sarif = "sarif"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _registry(ctx: typer.Context) -> "Registry":
    """The rules `check` runs: the registry, unless the caller handed the command line
    another as its context object (an in-process test's, with a rule of its own)."""
    # Imported here, not at the top: every command would load every rule to start.
    from guidewright.rules.registry import REGISTRY, Registry

    return ctx.find_object(Registry) or REGISTRY


def _list_rules(ctx: typer.Context, wanted: bool) -> None:
    """`check --rules`: one line a rule, as the registry lists them, then exit."""
    if not wanted:
        return
    rules = list(_registry(ctx))
    width = max(len(rule.name) for rule in rules)
    for rule in rules:
        fixable = "fix" if rule.fix else ""
        optional = " (optional: --select it)" if rule.optional else ""
        typer.echo(
            f"{rule.code} {rule.name:<{width}} {rule.severity:<7} {fixable:<3} {rule.summary}"
            + optional
        )
    raise typer.Exit()


@app.command("check")
def check(
    ctx: typer.Context,
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
        typer.Option(
            "--ignore", help="A rule code to turn off (--rules lists them); repeat for more."
        ),
    ] = None,
    select: Annotated[
        list[str] | None,
        typer.Option(
            "--select", help="An optional rule to turn on (--rules marks them); repeat for more."
        ),
    ] = None,
    verbose: Annotated[
        bool, typer.Option("-v", "--verbose", help="List every page without frontmatter.")
    ] = False,
    fix: Annotated[
        bool,
        typer.Option("--fix", help="Apply every rule's fix (--rules marks the rules with one)."),
    ] = False,
    pretend: Annotated[
        bool, typer.Option("--pretend", help="With --fix: show the diff, write nothing.")
    ] = False,
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache",
            help="Judge every page from nothing: neither read nor keep the site's index.",
        ),
    ] = False,
    changed: Annotated[
        bool,
        typer.Option(
            "--changed",
            help="PATHS are changed files (pre-commit): check each site they are in, whole "
            "(the nearest folder above with mkdocs.yml, properdocs.yml or zensical.toml); "
            "files in no site are skipped.",
        ),
    ] = False,
    rules: Annotated[
        bool,
        typer.Option(
            "--rules",
            callback=_list_rules,
            is_eager=True,
            help="List the rules: code, name, severity, fix, summary; then exit.",
        ),
    ] = False,
) -> None:
    """Report every problem of the site's pages: questions, links, placeholders."""
    asked = _Asked(
        paths or None,
        template,
        output,
        strict,
        ignore or [],
        verbose,
        fix,
        pretend,
        select or [],
        not no_cache,
    )
    if not changed:
        raise typer.Exit(_check_one(ctx, dest, asked))
    with reporting_errors():
        from guidewright.core.errors import InvalidInput
        from guidewright.site.site import site_root_of_changed

        if dest != Path("."):
            raise InvalidInput("--dest: not with --changed (each file's site is checked)")
        if output in (OutputFormat.json, OutputFormat.sarif):
            raise InvalidInput(f"--format {output}: not with --changed (one log a site)")
        roots = {site_root_of_changed(path) for path in paths or []}
    code = 0
    for root in sorted(root for root in roots if root is not None):
        code = max(code, _check_one(ctx, root, dataclasses.replace(asked, paths=None)))
    raise typer.Exit(code)


@dataclass(frozen=True)
class _Asked:
    """What `check` was asked, for each site it checks."""

    paths: list[Path] | None
    template: str | None
    output: OutputFormat
    strict: bool
    ignore: list[str]
    verbose: bool
    fix: bool
    pretend: bool
    select: list[str]
    use_index: bool = True  # the site's index (check/site_index.py): not with --no-cache


def _check_one(ctx: typer.Context, dest: Path, asked: _Asked) -> int:
    """Check the site at `dest` and print what is found; its exit status."""
    import datetime as dt
    import os

    paths, template, output, strict = asked.paths, asked.template, asked.output, asked.strict
    ignore, verbose, fix, pretend = asked.ignore, asked.verbose, asked.fix, asked.pretend
    # --fix writes pages: an interrupt after some leaves those fixed whole, the rest as found.
    interrupted = (
        "interrupted; each page is as it was or fixed whole (git diff shows which)"
        if fix and not pretend
        else "interrupted; nothing was written"
    )
    with reporting_errors(interrupted):
        from guidewright.check.site_check import check_site, strict_findings
        from guidewright.core.errors import GuidewrightError, InvalidInput
        from guidewright.core.shown_text import printable
        from guidewright.rules.problems import ERROR
        from guidewright.rules.reading import NO_FRONTMATTER
        from guidewright.site.site import CONFIG_RELPATH, load_site

        registry = _registry(ctx)
        try:
            site = load_site(dest)
            registry = registry.selecting(asked.select, "--select")
            selected = f"{CONFIG_RELPATH}: check: select"
            registry = registry.selecting(site.config.check_select, selected)
            ignored = registry.ignored(ignore or [], "--ignore")
            ignored |= registry.ignored(
                site.config.check_ignore, f"{CONFIG_RELPATH}: check: ignore"
            )
            if pretend and not fix:
                raise InvalidInput("--pretend: only with --fix")
            text = output is OutputFormat.text
            left = _fix(site, paths or None, pretend, text, registry) if fix else 0
            report = check_site(
                site, paths or None, dt.date.today(), template, registry, asked.use_index
            )
        except GuidewrightError as error:
            return _could_not_run(dest, error.message, output, registry)
    found = report.problems + (strict_findings(report) if strict else [])
    problems = sorted(
        (dataclasses.replace(p, path=os.path.relpath(site.root / p.path)) for p in found),
        key=lambda p: (p.path, p.line, p.column, p.code),
    )
    problems = [p for p in problems if p.code not in ignored]  # never counted, never failing
    # What fails the run is what the summary calls an error: with --strict, every finding.
    errors = sum(p.severity == ERROR or strict for p in problems)
    plain = [os.path.relpath(site.root / path) for path in report.without_frontmatter]
    code = FINDINGS if errors or left else 0
    if output is not OutputFormat.sarif:  # SARIF reads the pages' lines; it escapes its own
        problems = [_printable(p) for p in problems]
        plain = [printable(page) for page in plain]
    for note in report.notes:  # on stderr where stdout is for a machine
        typer.echo(note, err=output is not OutputFormat.text)
    if output is OutputFormat.json:
        import json

        listed = {
            "problems": [p.as_dict() for p in problems],
            "without_frontmatter": plain,
            "checked": report.checked,
            "notes": report.notes,
            "read_by_python_markdown": report.read_by_python_markdown,
        }
        typer.echo(json.dumps(listed, indent=2, ensure_ascii=False))
    elif output is OutputFormat.sarif:
        import json

        from guidewright.cli.sarif_output import sarif_document

        bare = [] if strict or NO_FRONTMATTER.code in ignored else plain
        document = sarif_document(site.root, problems, strict, bare, report.checked, registry, code)
        typer.echo(json.dumps(document, indent=2, ensure_ascii=False))
    elif output is OutputFormat.github:
        from guidewright.check.github_annotations import annotation
        from guidewright.cli.sarif_output import in_repository, repository_root

        # The runner places an annotation by its path from the repository's root, wherever
        # in the repository `check` ran.
        root = repository_root(site.root)
        for p in problems:
            typer.echo(annotation(dataclasses.replace(p, path=in_repository(p.path, root)), strict))
    else:
        from guidewright.core.shown_text import one_line  # a name's CR or LF: no line of its own

        for p in problems:
            label = "" if p.severity == ERROR or strict else f"{p.severity}: "
            where = f"{p.path}:{p.line}:{p.column}" if p.column else f"{p.path}:{p.line}"
            typer.echo(one_line(f"{where}: {p.code} {p.field}: {label}{p.message}"))
        if plain and not strict and NO_FRONTMATTER.code not in ignored:
            typer.echo(_without_frontmatter([one_line(page) for page in plain], verbose))
        pages = f", {_plural(len(plain), 'page')} without frontmatter" if plain else ""
        typer.echo(
            f"{_plural(report.checked, 'document')} checked{pages}: "
            f"{_plural(errors, 'error')}, {_plural(len(problems) - errors, 'warning')}"
            + (" (--strict: warnings are errors)" if strict and problems else "")
        )
    return code


# What `check` exits with: 0 clean, 1 findings (an error, or a page --fix left), 2 when it
# could not check at all. CI tells the two failures apart: a finding is the author's to fix,
# a run that could not check is the set-up's (an unreachable template, a broken config).
FINDINGS = 1
COULD_NOT_RUN = 2


def _could_not_run(dest: Path, reason: str, output: OutputFormat, registry: "Registry") -> int:
    """Say that the site could not be checked, in the chosen format too (a SARIF log that
    says it did not run, never an empty file; a workflow command a GitHub run shows);
    the exit status, 2."""
    import json

    if output is OutputFormat.sarif:
        from guidewright.cli.sarif_output import sarif_failure

        document = sarif_failure(dest, reason, registry, COULD_NOT_RUN)
        typer.echo(json.dumps(document, indent=2, ensure_ascii=False))
    elif output is OutputFormat.github:
        from guidewright.check.github_annotations import failure_annotation

        typer.echo(failure_annotation(reason))
    elif output is OutputFormat.json:
        typer.echo(json.dumps({"error": reason}, indent=2, ensure_ascii=False))
    return fail(reason, COULD_NOT_RUN).exit_code


def _printable(problem: "Problem") -> "Problem":
    """The finding with its texts printable: a file name that is not UTF-8, a key holding
    a lone surrogate, shown escaped (`caf\\xe9.md`)."""
    import dataclasses

    from guidewright.core.shown_text import printable

    return dataclasses.replace(
        problem,
        path=printable(problem.path),
        field=printable(problem.field),
        message=printable(problem.message),
    )


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


def _fix(
    site: "Site", paths: list[Path] | None, pretend: bool, text: bool, registry: "Registry"
) -> int:
    """Apply the rules' fixes, then say what changed (the diff, with --pretend) and how
    much each rule fixed, before the findings; to stderr where stdout is JSON or workflow
    commands. Returns how many pages were left as someone saved them meanwhile (or as
    symbolic links), each listed on stderr."""
    import difflib
    import os

    from guidewright.check.fix import fix_site
    from guidewright.core.shown_text import printable

    done = fix_site(site, paths, pretend, registry)
    for page in done.pages if pretend else []:
        shown = printable(os.path.relpath(page.path))
        assert page.before is not None  # kept with --pretend
        before, after = (
            b.decode("utf-8").splitlines(keepends=True) for b in (page.before, page.after)
        )
        diff = difflib.unified_diff(before, after, f"a/{shown}", f"b/{shown}")
        typer.echo("".join(diff), nl=False, err=not text)
    verb = "would fix" if pretend else "fixed"
    unreached = ""
    # What no fix reached, and why, said on the first fix's line (GW601's: GW602 leaves
    # only label lines inside list items, which check names too).
    if done.unfixed:
        why = ", ".join(f"{count} {reason}" for reason, count in sorted(done.left_because.items()))
        unreached = f"; {done.unfixed:,} left: {why} (see check)"
    for number, rule in enumerate(done.rules):
        assert rule.fix is not None  # Registry.fixable: rules with a fix
        fixed = sum(page.fixed[number] for page in done.pages)
        pages = sum(1 for page in done.pages if page.fixed[number])
        counted = f"{_plural(fixed, rule.fix.unit)} in {_plural(pages, 'page')}"
        typer.echo(f"{verb} {counted} ({rule.code}){'' if number else unreached}", err=not text)
    for left in done.left:
        typer.echo(f"{os.path.relpath(site.root / left.relpath)}: {left.reason}", err=True)
    return len(done.left)
