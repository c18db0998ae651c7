"""A template's git repository, cloned once per run, each version checked out once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from functools import cached_property
from pathlib import Path

from packaging.version import InvalidVersion, Version

from guidewright.copier_compat.render import TemplateRenderer
from guidewright.core.errors import GitFailed, InvalidInput, OperationFailed
from guidewright.core.git import git_text as git

_SHORTHANDS = {"gh:": "https://github.com/", "gl:": "https://gitlab.com/"}


def clone_url(src_path: str) -> str:
    """A source as git clones it (Copier's gh:/gl: shorthands expanded)."""
    for prefix, base in _SHORTHANDS.items():
        if src_path.startswith(prefix):
            src_path = base + src_path[len(prefix) :]
    return src_path.removeprefix("git+")


def _release(tag: str) -> Version | None:
    try:
        version = Version(tag)
    except InvalidVersion:
        return None
    return None if version.is_prerelease else version


def _tag_of(described: str) -> str:
    """The tag of a `git describe --tags` name (`v1.2-3-gabc1234` → `v1.2`)."""
    return re.sub(r"-[0-9]+-g[0-9a-f]+$", "", described)


def newest_release(tags: list[str]) -> str | None:
    """Copier's choice among tags: the newest PEP 440 release, None when there is none."""
    releases = [t for t in tags if _release(t)]
    return max(releases, key=lambda t: _release(t) or Version("0")) if releases else None


class RefOrigin(Enum):
    """Who named the version to resolve: a refusal blames only them."""

    GIVEN = "--vcs-ref"  # the author, on the command line
    RECORDED = "_commit"  # a page's answers file, as its base
    NEWEST = "newest"  # nobody: Copier's default, the newest release tag, else HEAD

    def refusal(self, ref: str, src_path: str) -> str:
        """Why `ref` of `src_path` cannot be used, blaming whoever named it."""
        if self is RefOrigin.GIVEN:
            return f"--vcs-ref: {ref} is not a version of {src_path}"
        if self is RefOrigin.RECORDED:
            return f"its recorded version {ref} (_commit) is not a version of {src_path}"
        return f"the template {src_path} has no version to use ({ref} names no commit)"


@dataclass(frozen=True)
class ResolvedVersion:
    """A version of the template: its commit and its name."""

    sha: str
    described: str  # what Copier records as `_commit`: `git describe --tags --always`


class TemplateRepository:
    """A template's git repository, cloned once per run."""

    def __init__(self, src_path: str, workdir: Path) -> None:
        self.src_path = src_path
        self.workdir = workdir
        self.clone = workdir / "clone"
        try:
            git("clone", "--quiet", "--no-checkout", clone_url(src_path), str(self.clone))
        except GitFailed as error:
            reason = (error.stderr or "").strip().splitlines()
            raise OperationFailed(
                f"cannot clone the template {src_path}: {reason[-1] if reason else error}"
            ) from error
        self._renderers: dict[str, TemplateRenderer] = {}
        self._refused: dict[str, InvalidInput] = {}
        self._resolved: dict[str, ResolvedVersion] = {}

    @cached_property
    def tags(self) -> tuple[str, ...]:
        """Its tags, as git lists them."""
        return tuple(git("tag", "--list", cwd=self.clone).split())

    @cached_property
    def latest_ref(self) -> str:
        """Copier's default: the newest PEP 440 release tag, else HEAD."""
        return newest_release(list(self.tags)) or "HEAD"

    def releases_after(self, described: str, newest: str) -> int | None:
        """How many releases came after the version `described` (as Copier records it,
        `v1.2-3-gabc`: 3 commits after v1.2) up to `newest`; None: either is no release."""
        base, after = _release(_tag_of(described)), _release(_tag_of(newest))
        if base is None or after is None:
            return None
        return sum(1 for tag in self.tags if (r := _release(tag)) is not None and base < r <= after)

    def resolve(self, ref: str, origin: RefOrigin) -> ResolvedVersion:
        """The version `ref` names (once per ref); `origin` says who named it, for the
        refusal when it names none."""
        if ref not in self._resolved:
            self._resolved[ref] = self._resolve(ref, origin)
        return self._resolved[ref]

    def _resolve(self, ref: str, origin: RefOrigin) -> ResolvedVersion:
        try:
            sha = git(
                "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", cwd=self.clone
            ).strip()
        except GitFailed as error:
            raise InvalidInput(origin.refusal(ref, self.src_path)) from error
        described = git("describe", "--tags", "--always", sha, cwd=self.clone).strip()
        return ResolvedVersion(sha, described)

    def checkout(self, version: ResolvedVersion) -> Path:
        """The files of `version`, checked out once."""
        tree = self.workdir / f"v-{version.sha[:12]}"
        if not tree.exists():
            git("worktree", "add", "--quiet", "--detach", str(tree), version.sha, cwd=self.clone)
        return tree

    def renderer(self, version: ResolvedVersion) -> TemplateRenderer:
        """The renderer of `version`, loaded once; a version refused once stays refused
        (each of its pages fails with the same reason, without reading it again)."""
        if version.sha in self._refused:
            raise self._refused[version.sha].with_traceback(None)
        if version.sha not in self._renderers:
            try:
                self._renderers[version.sha] = TemplateRenderer(self.checkout(version))
            except InvalidInput as error:
                self._refused[version.sha] = error
                raise
        return self._renderers[version.sha]
