"""What changed on disk, for a client that does not watch files for the server (Neovim on
Linux offers no `workspace/didChangeWatchedFiles`): the docs folder's folders are stat'ed
(a file created, moved or deleted changes its folder's time: a few dozen stats find it),
and on demand (a save) every file, for one rewritten in place; the site's configuration
files are stat'ed each time, so that a change to them re-reads the site."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from guidewright.site.profile import CONFIG_FILES
from guidewright.site.site import CONFIG_RELPATH, Site, files_under


def _mtime(path: Path | str) -> int | None:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return None


def config_paths(root: Path) -> list[Path]:
    """The files whose change re-reads the whole site: the site's configuration and each
    engine's (mkdocs.yml, properdocs.yml, zensical.toml: one created beside another may
    change which is read)."""
    return [root / CONFIG_RELPATH, *(root / name for name, _ in CONFIG_FILES)]


def config_stamp(root: Path) -> tuple[int | None, ...]:
    """The configuration files' modification times: a change to any changes it."""
    return tuple(_mtime(path) for path in config_paths(root))


@dataclass
class DiskWatch:
    """The docs folder as last seen: each folder's and each file's modification time."""

    site: Site
    folders: dict[str, int | None] = field(default_factory=dict)
    files: dict[str, int | None] = field(default_factory=dict)
    configs: dict[Path, int | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.configs = {path: _mtime(path) for path in config_paths(self.site.root)}
        self._walk()

    def _walk(self) -> None:
        docs = self.site.docs_path
        self.folders = {}
        for current, subfolders, _ in os.walk(docs):
            subfolders[:] = [name for name in subfolders if not name.startswith(".")]
            self.folders[current] = _mtime(current)
        self.files = {
            relpath: _mtime(docs / relpath) for relpath in files_under(docs, "", skip_hidden=True)
        }

    def config_changed(self) -> bool:
        """Whether a configuration file changed (created, edited, removed) since last seen."""
        now = {path: _mtime(path) for path in self.configs}
        changed = now != self.configs
        self.configs = now
        return changed

    def changes(self, every_file: bool = False) -> list[tuple[str, bool]]:
        """(path in the docs folder, whether it exists) of each file created, deleted or
        (with `every_file`, or in a folder that changed) modified since last seen."""
        moved = any(_mtime(folder) != seen for folder, seen in self.folders.items())
        if not moved and not every_file:
            return []
        before = self.files
        if moved:
            self._walk()
        else:
            docs = self.site.docs_path
            self.files = {relpath: _mtime(docs / relpath) for relpath in before}
        found = [(relpath, False) for relpath in before.keys() - self.files.keys()]
        for relpath, seen in self.files.items():
            if before.get(relpath, -1) != seen:
                found.append((relpath, True))
        return sorted(found)
