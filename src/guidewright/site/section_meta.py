"""Section metadata: the `.meta.yml` files the meta plugin (Material's `meta`, Zensical's
`material/meta`) gives every page below them, and a page's frontmatter as it makes it.

The plugin (material/plugins/meta/plugin.py) reads every file of the docs folder named
`meta_file`, in the order MkDocs walks the folder (a folder before its subfolders, each
sorted), and gives a page each whose folder's path its own path starts with (a text
prefix: `guides/.meta.yml` reaches `guides-old/x.md` too, as it does in the plugin). It
merges them in that order, then the page's own frontmatter over them, with mergedeep's
TYPESAFE_ADDITIVE: mappings merged key by key, lists (and sets, tuples) joined, any other
value replaced, and two values of different types stop the build. Each file is read
within the bounds of every YAML (core/safe_yaml.py), from inside the docs folder.
"""

from __future__ import annotations

import os
import posixpath
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from guidewright.core import safe_yaml
from guidewright.core.errors import UnsafeYaml
from guidewright.core.yaml_problem import yaml_problem
from guidewright.site.site import Site


@dataclass(frozen=True)
class MetaFile:
    """One section metadata file: where (in the docs folder), its data and its key lines."""

    relpath: str
    data: Mapping[str, Any]
    key_lines: Mapping[str, int]

    @property
    def folder(self) -> str:
        return posixpath.dirname(self.relpath)


@dataclass(frozen=True)
class Unreadable:
    """A metadata file that cannot be used (the build stops on it): where, and why."""

    relpath: str
    line: int
    reason: str
    column: int = 0  # 1-based; 0 when unknown


@dataclass(frozen=True)
class Effective:
    """A page's frontmatter as the plugin makes it: the merged data, where each key it
    does not set itself comes from (a file, its line), and what stops the merge."""

    data: dict[str, Any]
    inherited: dict[str, tuple[str, int]] = field(default_factory=dict)
    conflict: str | None = None  # the plugin's merge fails: the page's own data is kept


@dataclass(frozen=True)
class SectionMeta:
    """Every metadata file of the site (none without the plugin), in the plugin's order."""

    files: tuple[MetaFile, ...] = ()
    unreadable: tuple[Unreadable, ...] = ()

    def chain(self, in_docs: str) -> list[MetaFile]:
        """The files that reach the page at `in_docs` (its path in the docs folder)."""
        return [meta for meta in self.files if in_docs.startswith(meta.folder)]

    def effective(self, in_docs: str, own: Mapping[str, Any]) -> Effective | None:
        """The page's frontmatter with its sections' metadata (None: no file reaches it)."""
        chain = self.chain(in_docs)
        if not chain:
            return None
        merged: dict[str, Any] = {}
        origin: dict[str, tuple[str, int]] = {}
        try:
            for meta in chain:
                _merge(merged, meta.data, f"{meta.relpath}")
                for key in meta.data:
                    origin.setdefault(str(key), (meta.relpath, meta.key_lines.get(key, 1)))
            _merge(merged, own, "the page")
        except _Conflict as conflict:
            return Effective(dict(own), {}, str(conflict))
        inherited = {key: place for key, place in origin.items() if key not in own}
        return Effective(merged, inherited)


class _Conflict(Exception):
    """Two values of one key of different types: mergedeep's TypeError, said for a page."""


def _merge(into: dict[str, Any], source: Mapping[str, Any], where: str, path: str = "") -> None:
    """mergedeep's TYPESAFE_ADDITIVE merge of `source` into `into` (copies, never shares)."""
    for key, value in source.items():
        name = f"{path}{key}"
        if key not in into:
            into[key] = _copied(value)
            continue
        present = into[key]
        if isinstance(present, Mapping) and isinstance(value, Mapping):
            _merge(present, value, where, f"{name}.")  # type: ignore[arg-type]
        elif present is value:
            continue
        elif type(present) is not type(value):
            raise _Conflict(
                f"{name}: {_kind(value)} in {where}, {_kind(present)} before it: the meta "
                "plugin stops the build"
            )
        elif isinstance(value, list):
            present.extend(_copied(value))
        else:
            into[key] = _copied(value)


def _kind(value: Any) -> str:
    names = {list: "a list", dict: "a mapping", str: "a text", bool: "true or false"}
    return names.get(type(value), f"a {type(value).__name__}")


def _copied(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {key: _copied(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [_copied(inner) for inner in value]
    return value


def read_section_meta(site: Site) -> SectionMeta:
    """The site's section metadata files (none when the meta plugin is off)."""
    name = site.profile.meta_file
    if name is None:
        return SectionMeta()
    files: list[MetaFile] = []
    unreadable: list[Unreadable] = []
    docs = os.fspath(site.docs_path)
    found = []
    for folder, folders, names in os.walk(docs):
        folders.sort()
        if name in names:
            relative = os.path.relpath(folder, docs).replace(os.sep, "/")
            found.append("" if relative == "." else relative)
    # The plugin's order: a folder before its subfolders, each level sorted.
    for folder in sorted(found, key=lambda f: tuple(f.split("/")) if f else ()):
        relpath = f"{folder}/{name}" if folder else name
        read = _read(os.path.join(docs, relpath), relpath)
        if isinstance(read, MetaFile):
            files.append(read)
        else:
            unreadable.append(read)
    return SectionMeta(tuple(files), tuple(unreadable))


def _read(path: str, relpath: str) -> MetaFile | Unreadable:
    """One metadata file: a regular file (no link), at most 1 MB, one YAML mapping."""
    try:
        flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0)
        descriptor = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
        with os.fdopen(descriptor, "rb") as file:
            if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
                return Unreadable(relpath, 1, "not a regular file")
            content = file.read(safe_yaml.MAX_BYTES + 1)
    except OSError as error:
        return Unreadable(relpath, 1, f"cannot read: {error.strerror or error}")
    content = content.removeprefix(b"\xef\xbb\xbf")
    try:
        node, data = safe_yaml.compose_and_construct(content)
    except (yaml.YAMLError, UnsafeYaml) as error:
        problem = yaml_problem(error, text=content)
        return Unreadable(relpath, problem.line, problem.message, problem.column)
    if data is None:
        return MetaFile(relpath, {}, {})
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        return Unreadable(relpath, 1, "must be a mapping of frontmatter keys")
    lines = {str(key.value): key.start_mark.line + 1 for key, _ in node.value}
    return MetaFile(relpath, data, lines)
