"""`check --format sarif` (and `github`): where the repository is, paths relative to it,
and the lines the columns count in."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from guidewright.core.errors import GitFailed

if TYPE_CHECKING:
    from guidewright.rules.problems import Problem
    from guidewright.rules.registry import Registry


def repository_root(site_root: Path) -> Path:
    """The git repository the site is in (its working tree's top), else the site itself:
    GitHub code scanning resolves a finding's path against the repository's root."""
    from guidewright.core.git import git_text

    try:
        top = git_text("rev-parse", "--show-toplevel", cwd=site_root).strip()
    except GitFailed:
        return site_root.resolve()
    return Path(top).resolve() if top else site_root.resolve()


def _lines(path: Path) -> list[str]:
    from guidewright.core.bounded_read import PAGE_BYTES, read_bounded

    try:
        return read_bounded(path, PAGE_BYTES).decode("utf-8", "surrogateescape").split("\n")
    except OSError:
        return []


def in_repository(path: str, root: Path) -> str:
    """`path` (relative to the current folder) relative to `root`, else absolute."""
    absolute = Path(os.path.abspath(path))
    try:  # the folder resolved, not a linked page: it is where the repository has it
        return (absolute.parent.resolve() / absolute.name).relative_to(root).as_posix()
    except ValueError:  # a page outside the repository, given on the command line
        return absolute.as_posix()


def sarif_document(
    site_root: Path,
    problems: Sequence[Problem],
    strict: bool,
    without_frontmatter: Sequence[str],
    checked: int,
    registry: Registry,
    exit_code: int,
) -> dict[str, object]:
    """The SARIF log of `problems` (paths relative to the current folder); the pages
    without frontmatter are listed in the run's properties, not as findings (every index
    page would be a code scanning alert), unless --strict made them errors."""
    import dataclasses

    from guidewright import __version__
    from guidewright.check.sarif import sarif_log
    from guidewright.core.shown_text import printable

    root = repository_root(site_root)
    located, lines = [], dict[str, list[str]]()
    for problem in problems:
        path = in_repository(problem.path, root)
        if problem.column and path not in lines:
            lines[path] = _lines(Path(problem.path))
        located.append(dataclasses.replace(problem, path=path))
    return sarif_log(
        located,
        registry,
        strict=strict,
        tool_version=__version__,
        root_uri=root.as_uri().rstrip("/") + "/",
        lines=lines,
        exit_code=exit_code,
        properties={
            "checked": checked,
            "withoutFrontmatter": [printable(in_repository(p, root)) for p in without_frontmatter],
        },
    )


def sarif_failure(dest: Path, reason: str, registry: Registry, exit_code: int) -> dict[str, object]:
    """The SARIF log of a run that could not check the site (an unreachable template, a
    configuration that cannot be read): no results, `executionSuccessful: false` and the
    reason, so that code scanning never takes it for a clean site."""
    from guidewright import __version__
    from guidewright.check.sarif import sarif_log

    root = repository_root(dest)
    return sarif_log(
        [],
        registry,
        strict=False,
        tool_version=__version__,
        root_uri=root.as_uri().rstrip("/") + "/",
        lines={},
        exit_code=exit_code,
        failure=reason,
    )
