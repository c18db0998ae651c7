"""Which site a page belongs to, found from the documents the editor opens (not from the
server's working directory, which an editor sets as it likes): the nearest folder at or
above the page holding an engine's configuration (mkdocs.yml, zensical.toml, ...), else
the innermost workspace folder holding the page. Each site is read once, on its first
page (or at start, for a workspace folder that is a site), and kept with what the disk
held: a workspace of several sites holds one index each."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass
from pathlib import Path

from guidewright.core.errors import GuidewrightError
from guidewright.lsp.disk_watch import DiskWatch, config_stamp
from guidewright.lsp.live_site import LiveSite, open_live_site
from guidewright.site.profile import is_site_root
from guidewright.site.site import Site, load_site
from guidewright.template.questionnaire import load_questionnaire
from guidewright.template.source import resolve_template


@dataclass
class ServedSite:
    """One site's index, and its files as last seen on disk."""

    live: LiveSite
    disk: DiskWatch


class Sites:
    """The sites served, by root folder. `refused` keeps why a site could not be read (a
    bad configuration, an unreachable template, a local template's broken copier.yml)
    with its configuration files' times and its local template's files' statuses: it is
    said once, and tried again when one of them changes."""

    def __init__(
        self,
        template: str | None = None,
        opener: Callable[[Site, str | None], LiveSite] = open_live_site,
    ) -> None:
        self.template = template
        self.opener = opener
        self.folders: list[Path] = []  # the workspace's folders, as the client gave them
        self.served: dict[Path, ServedSite] = {}
        self.refused: dict[Path, tuple[str, Hashable]] = {}

    def add(self, site: Site) -> ServedSite:
        """`site` read and served; raises its error (`--dest`: as the CLI reports them)."""
        served = ServedSite(self.opener(site, self.template), DiskWatch(site))
        self.served[site.root] = served
        return served

    def root_of(self, path: Path) -> Path | None:
        """The root of the site `path` (a page) belongs to, None when it is in none."""
        try:
            resolved = path.resolve()
        except OSError:
            return None
        for root, served in self.served.items():  # a `--dest` whose docs folder is elsewhere
            docs = served.live.site.docs_path.resolve()
            if docs in resolved.parents:
                return root
        for folder in resolved.parents:
            if is_site_root(folder):
                return folder
        inner_first = sorted(self.folders, key=lambda f: len(f.parts), reverse=True)
        return next((folder for folder in inner_first if folder in resolved.parents), None)

    def for_page(self, path: Path) -> tuple[ServedSite | None, str | None]:
        """The site serving the page at `path`, read on first need; else None and why it
        cannot be read (said the first time only), or (None, None) outside every site."""
        root = self.root_of(path)
        return (None, None) if root is None else self.at(root)

    def at(self, root: Path) -> tuple[ServedSite | None, str | None]:
        """The site at `root`, read on first need, as `for_page`."""
        if root in self.served:
            return self.served[root], None
        refused = self.refused.get(root)
        if refused is not None and refused[1] == self._stamp(root):
            return None, None
        try:
            return self.add(load_site(root)), None
        except GuidewrightError as error:
            message = (str(error).splitlines() or [type(error).__name__])[0]
            self.refused[root] = (message, self._stamp(root))
            return None, f"guidewright: the site at {root} cannot be read: {message}"

    def _stamp(self, root: Path) -> Hashable:
        """What a refusal of the site at `root` stands on: its configuration files' times,
        and the statuses of the files its template is read from where it is a local
        folder (a copier.yml saved broken, then mended, is read again)."""
        stamp = config_stamp(root)
        try:
            source = resolve_template(self.template, load_site(root))
        except GuidewrightError:  # the configuration itself: its times say when it changes
            return stamp
        folder = Path(source.src)
        if not folder.is_dir():  # a repository's address: its new commits are not watched
            return stamp
        return (stamp, load_questionnaire.statuses_of(folder))

    def reopen(self, root: Path) -> tuple[ServedSite | None, str | None]:
        """The site read again (its configuration changed); the old index is let go."""
        old = self.served.pop(root, None)
        if old is not None:
            old.live.close()
        self.refused.pop(root, None)
        return self.at(root)

    def open_workspace_sites(self) -> list[str]:
        """Each workspace folder that is a site, read now (workspace diagnostics list
        their pages); what could not be read."""
        said = []
        for folder in self.folders:
            if is_site_root(folder):
                _, message = self.at(folder.resolve())
                if message:
                    said.append(message)
        return said

    def __iter__(self) -> Iterator[tuple[Path, ServedSite]]:
        return iter(list(self.served.items()))

    def close(self) -> None:
        for _, served in self:
            served.live.close()
        self.served.clear()
