"""`update --template SRC`: pages move to a new home of their template.

SRC is normally the same history in a new place (a moved or mirrored repository); where it
lacks a page's recorded commit, the merge base comes from the page's recorded source.
"""

from __future__ import annotations

from collections.abc import Callable

from guidewright.core.errors import GitFailed, GuidewrightError, OperationFailed
from guidewright.site.answers_files import RecordedDocument
from guidewright.template.newest_known import not_the_sites
from guidewright.template.versions import RefOrigin, ResolvedVersion, TemplateRepository


def recorded_version(
    clone: Callable[[str], TemplateRepository],
    repository: TemplateRepository,
    recorded: RecordedDocument,
) -> tuple[TemplateRepository, ResolvedVersion]:
    """The page's recorded version and the repository that holds it: the target's, else
    (the template moved, to a source without that commit) the page's recorded source."""
    assert recorded.commit is not None
    try:
        return repository, repository.resolve(recorded.commit, RefOrigin.RECORDED)
    except GuidewrightError:
        if recorded.src_path == repository.src_path:
            raise
    try:
        old = clone(recorded.src_path)
        return old, old.resolve(recorded.commit, RefOrigin.RECORDED)
    except (GuidewrightError, GitFailed) as error:
        reason = error.message if isinstance(error, GuidewrightError) else str(error)
        raise OperationFailed(
            f"{repository.src_path} lacks version {recorded.commit}, the page's base, and "
            f"its recorded source {recorded.src_path} cannot give it ({reason})"
        ) from error


def move_hint(recorded_src: str, site_template: str | None) -> tuple[str, ...]:
    """For the table: a plain `update` follows the page's recorded source, and would say
    only "already current" of a page whose site now names another template."""
    hint = not_the_sites(recorded_src, site_template)
    return (hint,) if hint else ()
