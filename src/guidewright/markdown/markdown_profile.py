"""What a site's Markdown is made with: its extensions, each with its options, and what
they decide for the rules (the slugify of its headings' ids, the tab and block syntaxes).

Plain frozen data. site/profile.py reads it from the site's configuration; the rules that
read Markdown as the site's engine does (heading ids, lists) take it. Nothing here imports
or calls what the configuration names: a `!!python/name:` stays a `PythonName`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

# Options, frozen: (key, value) pairs in the configuration's order, lists made tuples.
Options = tuple[tuple[str, Any], ...]


class FrozenMapping(tuple):  # type: ignore[type-arg]
    """A mapping of the configuration, frozen: its (key, value) pairs. A tuple, so that a
    profile is hashable; its own type, so that it is told from a list of pairs."""


@dataclass(frozen=True)
class PythonName:
    """A `!!python/name:module.attribute` of the configuration: named, never imported."""

    name: str


@dataclass(frozen=True)
class PythonCall:
    """What `!!python/object/apply:module.attribute` (or Zensical's `{object = ..., kwds =
    ...}`) would call, and with which arguments: never called here."""

    name: str
    args: tuple[Any, ...] = ()
    kwds: Options = ()


def frozen(value: Any) -> Any:
    """A YAML or TOML value made immutable: mappings become `Options`, lists tuples."""
    if isinstance(value, Mapping):
        return FrozenMapping((str(key), frozen(inner)) for key, inner in value.items())
    if isinstance(value, list | tuple):
        return tuple(frozen(inner) for inner in value)
    return value


def option(options: Options, key: str, default: Any = None) -> Any:
    """The value of `key` in frozen options (the last given wins, as in a mapping)."""
    found = default
    for name, value in options:
        if name == key:
            found = value
    return found


def canonical_extension(name: str) -> str:
    """An extension's name as Python-Markdown resolves it: `markdown.extensions.toc` and
    `markdown.extensions.toc:TocExtension` are `toc`."""
    module = name.partition(":")[0].strip()
    return module.removeprefix("markdown.extensions.")


# Bundles: one name, several extensions (markdown.extensions.extra, pymdownx.extra).
BUNDLES: dict[str, tuple[str, ...]] = {
    "extra": ("abbr", "attr_list", "def_list", "fenced_code", "footnotes", "md_in_html", "tables"),
    "pymdownx.extra": (
        "pymdownx.betterem",
        "pymdownx.superfences",
        "footnotes",
        "attr_list",
        "def_list",
        "tables",
        "abbr",
        "md_in_html",
    ),
}

TOC_SLUGIFY = "markdown.extensions.toc.slugify"
TOC_SLUGIFY_UNICODE = "markdown.extensions.toc.slugify_unicode"
PYMDOWNX_SLUGIFY = "pymdownx.slugs.slugify"


@dataclass(frozen=True)
class Extension:
    """One Markdown extension as the site names it, canonical (`toc`, `pymdownx.tabbed`)."""

    name: str
    options: Options = ()

    def option(self, key: str, default: Any = None) -> Any:
        return option(self.options, key, default)


@dataclass(frozen=True)
class Slugify:
    """The function toc makes heading ids with: its dotted name, and for
    `pymdownx.slugs.slugify` the keywords it is made with (`case`, `percent_encode`,
    `normalize`). `known` is False for a function guidewright cannot reproduce."""

    name: str = TOC_SLUGIFY
    kwds: Options = ()

    @property
    def known(self) -> bool:
        return self.name in (TOC_SLUGIFY, TOC_SLUGIFY_UNICODE, PYMDOWNX_SLUGIFY)


@dataclass(frozen=True)
class MarkdownProfile:
    """The site's Markdown extensions, in the order the engine loads them."""

    extensions: tuple[Extension, ...] = ()

    @cached_property
    def names(self) -> frozenset[str]:
        """Every extension's canonical name, bundles expanded."""
        found: set[str] = set()
        for extension in self.extensions:
            found.add(extension.name)
            found.update(BUNDLES.get(extension.name, ()))
        return frozenset(found)

    def has(self, name: str) -> bool:
        return name in self.names

    def extension(self, name: str) -> Extension | None:
        """The extension named `name` (its last mention: the one whose options count)."""
        found = None
        for extension in self.extensions:
            if extension.name == name:
                found = extension
        return found

    def options(self, name: str) -> Options:
        extension = self.extension(name)
        return extension.options if extension else ()

    @property
    def slugify(self) -> Slugify:
        """toc's slugify, from its `slugify` option."""
        value = option(self.options("toc"), "slugify")
        if value is None:
            return Slugify()
        if isinstance(value, PythonName):
            return Slugify(value.name)
        if isinstance(value, PythonCall):
            return Slugify(value.name, value.kwds)
        return Slugify(repr(value))  # not a function: the engine fails; nothing to reproduce

    @property
    def separator(self) -> str:
        value = option(self.options("toc"), "separator", "-")
        return value if isinstance(value, str) else "-"

    @property
    def permalink(self) -> bool:
        """Whether toc adds a permalink to each heading (it changes no id)."""
        return bool(option(self.options("toc"), "permalink", False))

    @property
    def tab_syntaxes(self) -> tuple[str, ...]:
        """The content-tab syntaxes in use: `===` (pymdownx.tabbed), `/// tab` (blocks)."""
        found = []
        if self.has("pymdownx.tabbed"):
            found.append("===")
        if self.has("pymdownx.blocks.tab"):
            found.append("/// tab")
        return tuple(found)

    @property
    def blocks(self) -> tuple[str, ...]:
        """The pymdownx.blocks extensions in use (`pymdownx.blocks.admonition`, ...)."""
        return tuple(sorted(n for n in self.names if n.startswith("pymdownx.blocks.")))
