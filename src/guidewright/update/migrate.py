"""update's migration step: the target version's migrations that a page crosses, applied
to its answers; then no answer the new version has no question for goes in silence.

Recorded commits are `git describe` strings or bare hashes, which PEP 440 cannot order:
a page crosses an entry when the entry's version tag is at or before the target but not
at or before the page's recorded commit, in git's ancestry. That is asked once per pair of
commits, however many pages share it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from guidewright.copier_compat.render import TemplateRenderer
from guidewright.core.errors import MigrationConflict, UnanswerableDocument
from guidewright.core.git import run_git
from guidewright.template.block import BLOCK, Block, read_block
from guidewright.template.migrations import Migrated, Migration, apply_migrations, shown_value
from guidewright.template.versions import TemplateRepository

DROP_FLAG = "--drop-unknown-answers"


@dataclass(frozen=True)
class Endpoint:
    """A commit in the repository that holds it."""

    repository: TemplateRepository
    sha: str


@dataclass(frozen=True)
class MigrationStep:
    """A page's answers for the new version, and what was done to them, for the table."""

    answers: dict[str, Any]
    notes: tuple[str, ...] = ()


@cache
def _tag_commit(repository: TemplateRepository, tag_names: tuple[str, ...]) -> str | None:
    for name in tag_names:
        done = run_git(
            "rev-parse",
            "--verify",
            "--quiet",
            f"refs/tags/{name}^{{commit}}",
            cwd=repository.clone,
            allowed=(0, 1, 128),
        )
        if done.returncode == 0:
            return done.stdout.decode().strip()
    return None


@cache
def _at_or_before(repository: TemplateRepository, ancestor: str, descendant: str) -> bool:
    """Whether `ancestor` is `descendant` or one of its ancestors (once per pair)."""
    if ancestor == descendant:
        return True
    done = run_git(
        "merge-base",
        "--is-ancestor",
        ancestor,
        descendant,
        cwd=repository.clone,
        allowed=(0, 1, 128),
    )
    return done.returncode == 0


def _crosses(migration: Migration, target: Endpoint, recorded: Endpoint) -> bool:
    tags = migration.tag_names()
    at = _tag_commit(target.repository, tags)
    if at is None:
        raise UnanswerableDocument(
            f"the template's migrations name version {migration.version}, but "
            f"{target.repository.src_path} has no tag {' or '.join(tags)}: tag that version"
        )
    if not _at_or_before(target.repository, at, target.sha):
        return False  # a version after the target: the page gets it when it gets there
    if recorded.repository is not target.repository:
        # The page's commit is only in its recorded source (the template moved): the
        # version is before it there if the tag is, by name.
        at_there = _tag_commit(recorded.repository, tags)
        return at_there is None or not _at_or_before(recorded.repository, at_there, recorded.sha)
    return not _at_or_before(target.repository, at, recorded.sha)


# Keyed by the repositories themselves (not their ids, which a later run could reuse).
_CROSSED: dict[tuple[TemplateRepository, str, TemplateRepository, str], tuple[Migration, ...]] = {}


def crossed(
    migrations: tuple[Migration, ...], target: Endpoint, recorded: Endpoint
) -> tuple[Migration, ...]:
    """The entries (of the target's block) a page at `recorded` crosses, in order."""
    key = (target.repository, target.sha, recorded.repository, recorded.sha)
    found = _CROSSED.get(key)
    if found is None:
        found = tuple(m for m in migrations if _crosses(m, target, recorded))
        _CROSSED[key] = found
    return found


@cache
def target_block(renderer: TemplateRenderer) -> Block | None:
    """A version's `_guidewright` block (None for a plain Copier template without one);
    a block this guidewright cannot read fails the page, since its migrations would be
    skipped."""
    if BLOCK not in renderer.config.settings:
        return None
    return read_block(renderer.config.settings)


def migrate(
    answers: Mapping[str, Any],
    new: TemplateRenderer,
    target: Endpoint,
    recorded: Endpoint,
    drop_unknown: bool = False,
) -> MigrationStep:
    """`answers` (a page's, under the recorded version's names) under the new version's
    names; raises UnanswerableDocument for an answer that would be lost unsaid."""
    block = target_block(new)
    entries = crossed(block.migrations, target, recorded) if block else ()
    try:
        migrated: Migrated = apply_migrations(answers, entries)
    except MigrationConflict as error:
        raise UnanswerableDocument(str(error)) from error
    result = migrated.answers
    notes = [f"migrated {line}" for line in migrated.applied]
    unknown = [name for name in result if name not in new.config.questions]
    if unknown and not drop_unknown:
        names = ", ".join(unknown)
        raise UnanswerableDocument(
            f"recorded answer {names}: the template's new version has no such question; "
            "declare it renamed or removed in the template's migrations "
            f"(or pass {DROP_FLAG} to drop it)"
        )
    for name in unknown:
        notes.append(f"dropped {name} (was {shown_value(result.pop(name))})")
    return MigrationStep(result, tuple(notes))
