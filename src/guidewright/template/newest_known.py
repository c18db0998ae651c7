"""The newest version of a template source as far as it is known offline, for `check`'s
"made with an older version" warning (GW503) on pages whose recorded source is not the
site's: a local clone is asked directly (its newest release tag, else HEAD); any other
source by what `update` last learnt of it, kept in the version cache. `check` never
fetches for this.
"""

from __future__ import annotations

import contextlib
import hashlib
from pathlib import Path

from guidewright.core.atomic import write_atomic
from guidewright.core.cache_dir import cache_root
from guidewright.core.errors import GitFailed
from guidewright.core.git import git_text


def _record(src: str) -> Path:
    key = hashlib.sha256(src.encode("utf-8", "surrogateescape")).hexdigest()[:24]
    return cache_root() / "newest" / key


def remember_newest(src: str, described: str) -> None:
    """What `update` found to be the newest version of `src`; a cache that cannot be
    written costs only the warning."""
    path = _record(src)
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, f"{src}\n{described}\n".encode("utf-8", "surrogateescape"))


def _local_newest(folder: Path) -> str | None:
    from guidewright.template.versions import newest_release  # loads the renderer: slow

    try:
        git_dir = git_text("rev-parse", "--git-dir", cwd=folder).strip()
        if git_dir not in (".", ".git"):
            return None  # a folder inside some other repository, not a clone
        ref = newest_release(git_text("tag", "--list", cwd=folder).split()) or "HEAD"
        return git_text("describe", "--tags", "--always", ref, cwd=folder).strip() or None
    except (GitFailed, OSError):
        return None


def newest_known(src: str) -> str | None:
    """The newest version of `src` (`git describe`, as `_commit` records it), or None
    when nothing offline knows it."""
    if Path(src).is_dir():  # a URL is not a folder
        found = _local_newest(Path(src))
        if found:
            return found
    try:
        lines = _record(src).read_text("utf-8", "surrogateescape").splitlines()
    except OSError:
        return None
    return lines[1] if len(lines) == 2 and lines[0] == src and lines[1] else None


def not_the_sites(src: str, site_template: str | None) -> str | None:
    """For a page recording `src` when the site's `template:` is another: how to move it."""
    if site_template is None or src == site_template:
        return None
    return (
        f"records the template {src}, not the site's {site_template}: "
        f"`guidewright update --template {site_template}` moves it"
    )


class RecordedSources:
    """GW503 for pages whose recorded source is not the one `check` reads: each source's
    newest version found once per run."""

    def __init__(self, current: str, site_template: str | None) -> None:
        self.current = current
        self.site_template = site_template  # the site's `template:`, when it names one
        self._newest: dict[str, str | None] = {}

    def warning(self, src: str, commit: str | None) -> str | None:
        """What to tell the author about a page recording `src` at `commit`."""
        if src == self.current or commit is None:
            return None
        if src not in self._newest:
            self._newest[src] = newest_known(src)
        newest = self._newest[src]
        move = not_the_sites(src, self.site_template)
        if newest and newest != commit:
            message = f"made with template version {commit} of {src}; its newest is {newest}"
            return f"{message}: run `guidewright update`" + (f"; it {move}" if move else "")
        return move
