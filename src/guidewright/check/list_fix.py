"""`check --fix`: GW601's fix of the lists (rules/list_rules.py) written to the site's
pages as `update` writes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from guidewright.core.atomic import write_all_atomic
from guidewright.core.errors import InvalidInput, OperationFailed
from guidewright.core.parallel import map_on_all_cores
from guidewright.rules.list_rules import fix_lists
from guidewright.site.git_checks import require_clean_git
from guidewright.site.lock import update_lock
from guidewright.site.site import Site, files_under


@dataclass(frozen=True)
class PageFix:
    """One page whose lists `check --fix` fixes: where, its bytes after (and before, for
    --pretend's diff: otherwise None, half the bytes the workers send back)."""

    path: Path  # absolute
    relpath: str  # relative to the site's root
    before: bytes | None
    after: bytes
    fixed: int


@dataclass(frozen=True)
class SiteFix:
    """What `check --fix` changed (with --pretend: would change)."""

    pages: list[PageFix]
    unfixed: int  # findings no fix reaches, in every page read


def _fix_page(task: tuple[Path, str, bool]) -> tuple[PageFix | None, int]:
    path, relpath, keep_before = task
    try:
        before = path.read_bytes()
        text = before.decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None, 0  # check reports it (GW001)
    result = fix_lists(text)
    if result.text == text:
        return None, result.unfixed
    after = result.text.encode("utf-8")
    kept = before if keep_before else None
    return PageFix(path, relpath, kept, after, result.fixed), result.unfixed


def fix_site_lists(site: Site, paths: list[Path] | None, pretend: bool) -> SiteFix:
    """Fix the lists of the given pages (default: every page of the docs folder) in place,
    as `update` writes: under its lock, only if git has no uncommitted change in a page it
    changes, each page replaced atomically; with `pretend`, nothing written."""
    from guidewright.check.site_check import PARALLEL_FROM, pages_to_check

    listed = files_under(site.docs_path, ".md", skip_hidden=True)
    tasks = []
    for text_path, _ in pages_to_check(site, paths, listed):
        path = Path(text_path)
        try:
            relpath = path.relative_to(site.root).as_posix()
        except ValueError as error:
            message = f"PATHS: {path} is outside the site; --fix changes the site's pages only"
            raise InvalidInput(message) from error
        tasks.append((path, relpath, pretend))
    with update_lock(site, pretend):
        results = map_on_all_cores(_fix_page, tasks, minimum=PARALLEL_FROM)
        pages = [page for page, _ in results if page is not None]
        if not pretend and pages:
            require_clean_git(site, [page.relpath for page in pages])
            try:
                write_all_atomic([(page.path, page.after) for page in pages])
            except OSError as error:
                shown = os.path.relpath(error.filename or site.root)
                raise OperationFailed(
                    f"{shown}: not written ({error.strerror}); other pages may be fixed already"
                    " (git diff shows which), none is half-written"
                ) from error
    return SiteFix(pages, sum(unfixed for _, unfixed in results))
