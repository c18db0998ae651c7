"""A page's lists as Python-Markdown itself renders them, with the site's extensions.

The quick model (pymarkdown_lists.py) reads Python-Markdown's block parser with the
extensions `init` configures. A site may name others that decide lists too: lists that
nest by two spaces (mdx_truly_sane_lists), that do not mix types (sane_lists), lists in
content tabs (pymdownx.tabbed), in `/// blocks`, in `<div markdown>` (md_in_html), in
definitions (def_list) and footnotes. A page showing such a construct is read here by
Python-Markdown configured with the site's extensions instead; every other page stays
with the model. Extension code is imported only when the site names it, only when it is
installed, and only if it is a Markdown extension (one of Python-Markdown's, of pymdownx,
an `mdx_` module, or one an installed package declares); pymdownx.snippets (which reads
other files) never.

Which source line each rendered list item comes from: markdown/line_tokens.py marks the
lines before rendering, markdown/html_items.py reads the marks in the HTML.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Any

from guidewright.markdown.code_regions import superfences_code_lines
from guidewright.markdown.line_tokens import with_tokens
from guidewright.markdown.markdown_profile import (
    Extension,
    FrozenMapping,
    MarkdownProfile,
    PythonCall,
    PythonName,
)
from guidewright.markdown.pymarkdown_text import Line

# The extensions the quick model reads as Python-Markdown does (pymarkdown_lists.py), and
# those that make no block of their own (inline markup, ids, highlighting): neither sends
# a page here. Any other the site names does, on the pages its syntax shows in.
MODELLED = frozenset(
    {
        "admonition",
        "pymdownx.details",
        "pymdownx.superfences",
        "tables",
        "fenced_code",
    }
)
# md_in_html is read by the model as raw HTML, as the core reads it: only a page with a
# `markdown` attribute (its trigger below) is sent here.
INLINE = frozenset(
    {
        "abbr",
        "attr_list",
        "codehilite",
        "legacy_attrs",
        "legacy_em",
        "nl2br",
        "smarty",
        "toc",
        "wikilinks",
        "pymdownx.betterem",
        "pymdownx.caret",
        "pymdownx.emoji",
        "pymdownx.escapeall",
        "pymdownx.highlight",
        "pymdownx.inlinehilite",
        "pymdownx.keys",
        "pymdownx.magiclink",
        "pymdownx.mark",
        "pymdownx.smartsymbols",
        "pymdownx.tasklist",
        "pymdownx.tilde",
        "pymdownx.striphtml",
        "pymdownx.b64",
        "pymdownx.pathconverter",
        "pymdownx.progressbar",
        "material.extensions.emoji",
        "pymdownx.snippets",  # never loaded: it reads other files (and what it includes is theirs)
    }
)
LIST_LIKE = re.compile(r"^(?:[ ]{0,3}>[ ]?)*[ \t]*(?:[-*+]|[0-9]{1,9}[.)])[ \t]", re.MULTILINE)
# Where each extension's syntax shows: a page without it renders as without the extension.
TRIGGERS: dict[str, re.Pattern[str]] = {
    "pymdownx.tabbed": re.compile(r"^[ \t]*={3}(?:\+|\+!|!\+|!)? +\"", re.MULTILINE),
    "def_list": re.compile(r"^[ ]{0,3}:[ \t]", re.MULTILINE),
    "footnotes": re.compile(r"^[ ]{0,3}\[\^[^\]]+\]:", re.MULTILINE),
    "pymdownx.arithmatex": re.compile(r"\${2}"),
    "admonition": re.compile(r"^[ \t]*!{3}", re.MULTILINE),
    "pymdownx.details": re.compile(r"^[ \t]*\?{3}", re.MULTILINE),
    "pymdownx.superfences": re.compile(r"^[ \t>]*(?:`{3}|~{3})", re.MULTILINE),
}
BLOCKS = re.compile(r"^[ ]{0,3}/{3}", re.MULTILINE)  # any pymdownx.blocks.* extension
# Options that hold functions (never called here) or that change no block: left out.
DROPPED_OPTIONS = frozenset({"custom_fences", "slugify", "custom_inline", "format", "validator"})


@dataclass(frozen=True)
class SiteLists:
    """A page's list items as the site's Python-Markdown renders them.

    `items`: marker line -> the line of the item it is nested in (None: a list of its own
    container; UNKNOWN: an item whose line is not known). `shown_as_text`: lines of list
    items Python-Markdown renders as no item (text, code, raw HTML). A line in neither is
    not known and never judged. `containers`: each container's content (admonitions,
    details, tabs, blocks, markdown-enabled HTML), as an author reads it with CommonMark.
    """

    items: dict[int, int | None]
    shown_as_text: frozenset[int]
    containers: list[list[Line]]


@dataclass(frozen=True, eq=False)
class SiteMarkdown:
    """Python-Markdown as the site configures it, for the pages the quick model cannot read."""

    profile: MarkdownProfile
    # Which of the site's extensions are importable (a test replaces it).
    importable: Callable[[str], bool] = field(default=lambda name: _importable(name))

    @cached_property
    def _unmodelled(self) -> tuple[str, ...]:
        """The site's block-making extensions the quick model does not read."""
        names = self.profile.names
        return tuple(sorted(n for n in names if n not in MODELLED and n not in INLINE))

    @cached_property
    def _absent(self) -> tuple[str, ...]:
        """Extensions the quick model reads whose syntax the site has not turned on."""
        names = self.profile.names
        absent = [n for n in ("admonition", "pymdownx.details") if n not in names]
        if "pymdownx.superfences" not in names:
            absent.append("pymdownx.superfences")
        return tuple(absent)

    def _shown(self, name: str, body: str) -> bool:
        """Whether `body` shows the syntax of extension `name` (any list, for an extension
        that changes lists themselves or is not known)."""
        if name.startswith("pymdownx.blocks."):
            return "///" in body and bool(BLOCKS.search(body))
        if name == "md_in_html":
            return _markdown_attribute(body)
        pattern = TRIGGERS.get(name)
        if pattern is None:
            return bool(LIST_LIKE.search(body))
        return bool(pattern.search(body))

    @cached_property
    def counts_spaces(self) -> bool:
        """Whether lists nest as Python-Markdown's own do (by 4 spaces), so that a
        finding can say how many spaces a list needs."""
        return not (self.profile.has("sane_lists") or self.profile.has("mdx_truly_sane_lists"))

    def reads(self, body: str) -> bool:
        """Whether `body` is read here rather than by the quick model."""
        if any(self._shown(name, body) for name in self._absent):
            return True
        return any(self._shown(name, body) for name in self._unmodelled)

    def judged_without(self, body: str) -> tuple[str, ...]:
        """The site's extensions that `body` shows but that cannot be loaded: the page is
        judged without them (one note a run says so)."""
        if not self._unmodelled or not self.reads(body):
            return ()
        return tuple(n for n in self._unmodelled if n in self._missing and self._shown(n, body))

    @cached_property
    def _missing(self) -> frozenset[str]:
        loaded = self._built[1]
        return frozenset(n for n in self._unmodelled if n not in loaded)

    @cached_property
    def _extensions(self) -> tuple[tuple[str, dict[str, Any]], ...]:
        """(name, options) of each extension to load: the block-making ones the site names
        that can be imported, options holding functions left out."""
        found = []
        for extension in self.profile.extensions:
            if extension.name in INLINE or not self.importable(extension.name):
                continue
            found.append((extension.name, _options(extension)))
        return tuple(found)

    @cached_property
    def _built(self) -> tuple[Any, frozenset[str]]:
        """The Markdown instance and the extensions it loaded, made on first need (once a
        process); an extension that fails to load is tried once without its options,
        then left out."""
        import markdown  # imported here: most runs never read a page with Python-Markdown

        extensions = list(self._extensions)
        retried: set[str] = set()
        while True:
            try:
                made = markdown.Markdown(
                    extensions=[name for name, _ in extensions],
                    extension_configs={name: options for name, options in extensions},
                )
            except Exception as error:  # an extension refusing its options, or failing
                culprit = _culprit(error, extensions)
                extensions.remove(culprit)
                if culprit[1] and culprit[0] not in retried:
                    retried.add(culprit[0])
                    extensions.append((culprit[0], {}))
                continue
            return made, frozenset(name for name, _ in extensions)

    def lists(self, lines: list[str]) -> SiteLists:
        """The list items of a page's body (its `lines`) as the site's build renders them."""
        tokened, marked = with_tokens(lines)
        renderer = self._built[0]
        try:
            renderer.reset()
            html = renderer.convert(tokened)
        except Exception:  # an extension's failure on this page: nothing is said of it
            return SiteLists({}, frozenset(), [])
        # Imported here: only a page read by Python-Markdown has HTML to read.
        from guidewright.markdown.html_items import ItemReader

        reader = ItemReader()
        reader.feed(html)
        reader.close()
        first = set(reader.items)
        shown_as_text = frozenset((reader.seen - first) & marked)
        return SiteLists(dict(reader.items), shown_as_text, self.containers(lines))

    def containers(self, lines: list[str]) -> list[list[Line]]:
        """Each container's content the site's extensions make (see `containers`)."""
        return containers(lines, _container_kinds(self.profile))

    def html_block_lines(self, lines: list[str]) -> frozenset[int]:
        """The lines inside markdown-enabled HTML elements (`<div markdown>`)."""
        if not self.profile.has("md_in_html"):
            return frozenset()
        return frozenset(n for body in containers(lines, frozenset({"html"})) for n, _ in body)


MARKDOWN_ATTRIBUTE = re.compile(r"<[A-Za-z][^>]*\smarkdown(?:\s*=|[\s>/])", re.IGNORECASE)


def _markdown_attribute(body: str) -> bool:
    """Whether a line of `body` starts an HTML element with a `markdown` attribute. Found
    from the few `<` of a page, each a one-character search: a search for the word costs
    ten times more on a page with an emoji (its text four bytes a character), and every
    page of a site `init` made (md_in_html) is asked."""
    at = body.find("<")
    while at >= 0:
        line_start = body.rfind("\n", 0, at) + 1
        end = body.find(">", at)
        if end < 0:
            return False
        if not body[line_start:at].strip(" \t>") and MARKDOWN_ATTRIBUTE.match(body, at, end + 1):
            return True
        at = body.find("<", at + 1)
    return False


def _culprit(
    error: Exception, extensions: list[tuple[str, dict[str, Any]]]
) -> tuple[str, dict[str, Any]]:
    """The extension a failure to make the Markdown instance names, else the last one."""
    text = f"{type(error).__name__} {error}"
    for name, options in reversed(extensions):
        if name in text or name.rpartition(".")[2] in text or any(key in text for key in options):
            return name, options
    return extensions[-1]


@cache
def site_markdown(profile: MarkdownProfile) -> SiteMarkdown:
    """The site's Python-Markdown (one a profile a process)."""
    return SiteMarkdown(profile)


@cache
def _markdown_extension_names() -> frozenset[str]:
    """Python-Markdown's extensions and those installed packages declare."""
    # Imported here: reading the installed packages' metadata costs more than most runs'
    # need of it (only a site naming an extension the quick model does not read).
    from importlib.metadata import entry_points

    return frozenset(point.name for point in entry_points(group="markdown.extensions"))


def _importable(name: str) -> bool:
    """Whether `name` is a Markdown extension that is installed (its module found, not
    imported: only Python-Markdown imports it, when the page needs it)."""
    if name in _markdown_extension_names():
        return True
    module = name.partition(":")[0]
    if not (module.startswith(("pymdownx.", "mdx_")) or module in _markdown_extension_names()):
        return False
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def _holds_function(value: Any) -> bool:
    if isinstance(value, PythonName | PythonCall):
        return True
    if isinstance(value, tuple):
        return any(_holds_function(inner) for inner in value)
    return False


def _thawed(value: Any) -> Any:
    if isinstance(value, FrozenMapping):
        return {key: _thawed(inner) for key, inner in value}
    if isinstance(value, tuple):
        return [_thawed(inner) for inner in value]
    return value


def _options(extension: Extension) -> dict[str, Any]:
    return {
        key: _thawed(value)
        for key, value in extension.options
        if key not in DROPPED_OPTIONS and not _holds_function(value)
    }


# ---- containers: their content as an author reads it --------------------------------

ADMONITION = re.compile(r"([ ]*)(?:!{3}|\?{3}\+?)[ ]?[\w\-]")
TAB = re.compile(r"([ ]*)={3}(?:\+|\+!|!\+|!)? +\".*?\" *$")
BLOCK_OPEN = re.compile(r"([ ]{0,3})(/{3,})[ ]*[\w-]+[ ]*(?:\|.*)?$")
HTML_OPEN = re.compile(r"[ ]{0,3}<([A-Za-z][A-Za-z0-9-]*)\b[^>]*\smarkdown\b[^>]*>[ ]*$")


def containers(lines: list[str], kinds: frozenset[str]) -> list[list[Line]]:
    """Each container's content, outer ones first, of the `kinds` the site has (see
    `_container_kinds`): an admonition's, a detail's or a tab's lines indented under it
    (one indent off), a block's or a markdown-enabled HTML element's lines between its
    start and its end."""
    found: list[list[Line]] = []
    pending: list[list[Line]] = [[(n, text.expandtabs(4)) for n, text in enumerate(lines)]]
    while pending:
        body = pending.pop(0)
        for inner in _containers_in(body, kinds):
            found.append(inner)
            pending.append(inner)
    return found


def _container_kinds(profile: MarkdownProfile) -> frozenset[str]:
    kinds = set()
    if profile.has("admonition") or profile.has("pymdownx.details"):
        kinds.add("admonition")
    if profile.has("pymdownx.tabbed"):
        kinds.add("tab")
    if profile.blocks:
        kinds.add("block")
    if profile.has("md_in_html"):
        kinds.add("html")
    return frozenset(kinds)


def _containers_in(body: list[Line], kinds: frozenset[str]) -> list[list[Line]]:
    found: list[list[Line]] = []
    # Fenced code, as superfences renders it: no container opens inside.
    code = superfences_code_lines([text for _, text in body])
    index = 0
    while index < len(body):
        text = body[index][1]
        if code[index]:
            index += 1
            continue
        indented = None
        if "admonition" in kinds:
            indented = ADMONITION.match(text)
        if indented is None and "tab" in kinds:
            indented = TAB.match(text)
        if indented is not None:
            content, index = _indented(body, index + 1, len(indented.group(1)) + 4)
            found.append(content)
            continue
        block = BLOCK_OPEN.match(text) if "block" in kinds else None
        if block is not None:
            end = re.compile(rf"[ ]{{0,3}}{block.group(2)}[ ]*$")
            content, index = _until(body, index + 1, end)
            found.append(content)
            continue
        html = HTML_OPEN.match(text) if "html" in kinds else None
        if html is not None:
            tag = html.group(1).lower()
            content, index = _until(body, index + 1, re.compile(rf"[ ]{{0,3}}</{tag}>", re.I))
            found.append(content)
            continue
        index += 1
    return found


def _indented(body: list[Line], start: int, indent: int) -> tuple[list[Line], int]:
    """The lines from `start` indented by `indent` (and the blank ones among them),
    dedented; and where the container ends."""
    content: list[Line] = []
    index = start
    while index < len(body):
        number, text = body[index]
        if text.strip() and not text.startswith(" " * indent):
            break
        content.append((number, text[indent:]))
        index += 1
    while content and not content[-1][1].strip():
        content.pop()
    return content, index


def _until(body: list[Line], start: int, end: re.Pattern[str]) -> tuple[list[Line], int]:
    """The lines from `start` to the first that `end` matches, and the line after it."""
    for index in range(start, len(body)):
        if end.match(body[index][1]):
            return body[start:index], index + 1
    return body[start:], len(body)
