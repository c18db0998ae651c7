"""The engine's configuration after a move: its `nav` entries follow the moved pages, and,
where the site uses redirects (mkdocs-redirects, or Zensical's own `redirects` plugin,
both `redirect_maps` of docs-folder paths), each moved page's old path redirects to its
new one, and redirects that led to a moved page lead to its new place.

Edited as text, the rest of the file byte for byte (the author's file: comments, layout,
keys guidewright does not know), and read back: the file must hold exactly what it held
with those changes, else the move is refused with what to change by hand. `mkdocs.yml`
and `properdocs.yml` are edited value by value (yaml_edit.py); `zensical.toml` by its
quoted strings, read back with tomllib. A file `mkdocs.yml` `INHERIT`s is edited as it is.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

import yaml

from guidewright.core.splice import Edit, spliced
from guidewright.core.yaml_edit import (
    NoTextEdit,
    Path,
    added_to_collection,
    changed_values,
    compose,
    line_end,
    mapping_value,
    replaced,
    require_reads_as,
    scalar_text,
)
from guidewright.move.request import AnyMove
from guidewright.site.profile import CONFIG_LOADER, ZENSICAL, SiteProfile

REDIRECTS = "redirects"  # the plugin's name in both engines
MAPS = "redirect_maps"


def config_after(
    text: str,
    profile: SiteProfile,
    move: AnyMove,
    pages: Sequence[str],
    adds_redirects: bool = True,
) -> tuple[str, list[str]]:
    """A configuration file's `text` after the move of `pages` (their paths in the docs
    folder before it), and what changed, said for the author (`nav: 1 entry`); the old
    paths' redirects added only with `adds_redirects` (the file whose `plugins` the
    engine uses, of a configuration that `INHERIT`s another). Raises NoTextEdit when it
    cannot be edited in place."""
    redirecting = profile.plugin(REDIRECTS) is not None
    if profile.engine == ZENSICAL:
        return _toml_after(text, move, pages, redirecting)
    return _yaml_after(text, move, pages, redirecting, adds_redirects)


def _moved_page(move: AnyMove, value: str) -> str | None:
    """A `nav` or redirect value (a docs-folder path, or a URL) after the move."""
    try:
        if urlsplit(value).scheme:
            return None
    except ValueError:
        return None
    return move.moved(value.strip("/")) if value.endswith(".md") else None


def _is_nav(path: Path) -> bool:
    return bool(path) and path[0] == "nav"


def _is_redirect_target(path: Path) -> bool:
    return MAPS in path[:-1] and REDIRECTS in path and path[0] == "plugins"


def _new_redirects(
    move: AnyMove, pages: Sequence[str], existing: Mapping[str, Any]
) -> dict[str, str]:
    """old page: new page, for each moved page the map does not redirect already; refused
    when the map redirects a page's new path (the redirect would hide the page)."""
    for page in pages:
        if move.after(page) in existing:
            raise NoTextEdit(
                f"{REDIRECTS}: {MAPS} redirects {move.after(page)}, the page's new path, "
                "elsewhere; remove that redirect first"
            )
    return {page: move.after(page) for page in pages if page not in existing}


# ---- mkdocs.yml, properdocs.yml --------------------------------------------------------


def _yaml_after(
    text: str, move: AnyMove, pages: Sequence[str], redirecting: bool, adds_redirects: bool
) -> tuple[str, list[str]]:
    said: list[str] = []

    def in_nav(path: Path, value: str) -> str | None:
        return _moved_page(move, value) if _is_nav(path) else None

    edited, count = changed_values(text, in_nav, CONFIG_LOADER)
    if count:
        said.append(f"nav: {_entries(count)}")
    if not redirecting:
        return edited, said

    def in_redirects(path: Path, value: str) -> str | None:
        return _moved_page(move, value) if _is_redirect_target(path) else None

    edited, count = changed_values(edited, in_redirects, CONFIG_LOADER)
    if count:
        said.append(f"{MAPS}: {_entries(count, 'redirect')} now to the new place")
    if not adds_redirects:
        return edited, said
    edited, added = _yaml_redirects_added(edited, move, pages)
    if added:
        said.append(f"{MAPS}: {_entries(added, 'redirect')} from the old place")
    return edited, said


def _entries(count: int, noun: str = "entry") -> str:
    plural = ("entries" if noun == "entry" else f"{noun}s") if count != 1 else noun
    return f"{count} {plural}"


def _yaml_redirects_added(text: str, move: AnyMove, pages: Sequence[str]) -> tuple[str, int]:
    """The old paths added to the redirects plugin's `redirect_maps`, in its own style."""
    root, data = compose(text, CONFIG_LOADER)
    plugins = mapping_value(root, "plugins")
    items = plugins.value if isinstance(plugins, yaml.SequenceNode) else []
    for index, item in enumerate(items):
        if isinstance(item, yaml.ScalarNode) and item.value in (REDIRECTS, f"material/{REDIRECTS}"):
            options, maps = None, None
        elif (options := mapping_value(item, REDIRECTS)) is not None:
            maps = mapping_value(options, MAPS)
        else:
            continue
        plugin = data["plugins"][index]
        settings = plugin.get(REDIRECTS) if isinstance(plugin, dict) else None
        existing = (settings or {}).get(MAPS) or {}
        added = _new_redirects(move, pages, existing)
        if not added:
            return text, 0
        pairs = [
            f"{scalar_text(old, None)}: {scalar_text(new, None)}" for old, new in added.items()
        ]
        flow = "{" + ", ".join(pairs) + "}"
        if options is None:  # `- redirects`, no settings
            edited = replaced(text, item, f"{REDIRECTS}: {{{MAPS}: {flow}}}")
        elif maps is None or (isinstance(maps, yaml.ScalarNode) and maps.tag.endswith(":null")):
            edited = _yaml_maps_made(text, options, maps, flow)
        elif isinstance(maps, yaml.MappingNode):
            edited = added_to_collection(text, maps, pairs)
        else:
            raise NoTextEdit(f"plugins: {REDIRECTS}: {MAPS}: not a mapping")
        expected = _with_maps(data, index, {**existing, **added})
        require_reads_as(edited, expected, CONFIG_LOADER)
        return edited, len(added)
    return text, 0


def _yaml_maps_made(text: str, options: yaml.Node, maps: yaml.Node | None, flow: str) -> str:
    """`redirect_maps: {old: new}` where the plugin's settings have none (or an empty one)."""
    if maps is not None:
        return replaced(text, maps, flow)
    if isinstance(options, yaml.MappingNode):
        return added_to_collection(text, options, [f"{MAPS}: {flow}"])
    if isinstance(options, yaml.ScalarNode):  # `- redirects:` with nothing after
        return replaced(text, options, f"{{{MAPS}: {flow}}}")
    raise NoTextEdit(f"plugins: {REDIRECTS}: its settings are not a mapping")


def _with_maps(data: dict[str, Any], index: int, maps: dict[str, str]) -> dict[str, Any]:
    plugins = list(data["plugins"])
    plugin = plugins[index]
    if isinstance(plugin, str):
        plugins[index] = {REDIRECTS: {MAPS: maps}}
    else:
        name = next(iter(plugin))
        settings = plugin[name] if isinstance(plugin[name], dict) else {}
        plugins[index] = {name: {**settings, MAPS: maps}}
    return {**data, "plugins": plugins}


def _toml_string(value: str) -> str:
    """`value` as a TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(value, ensure_ascii=False)


# ---- zensical.toml -----------------------------------------------------------------------

_KEY_AFTER = re.compile(r"[ \t]*[=.]")  # what follows a quoted key (`"a.md" = `, `"a".b`)
# Its header, `[project.plugins.redirects.redirect_maps]`, blanks allowed around the dots.
_MAPS_TABLE = re.compile(
    r"^[ \t]*\[[ \t]*"
    + r"[ \t]*\.[ \t]*".join(("project", "plugins", REDIRECTS, MAPS))
    + r"[ \t]*\][^\n]*\n?",
    re.MULTILINE,
)


def _toml_after(
    text: str, move: AnyMove, pages: Sequence[str], redirecting: bool
) -> tuple[str, list[str]]:
    data = _toml(text)
    project = _project(data)
    said: list[str] = []
    edits: list[Edit] = []
    for start, end, basic in _toml_strings(text):
        value = text[start + 1 : end - 1]
        new = None if basic and "\\" in value else _moved_page(move, value)
        if new is not None and not _KEY_AFTER.match(text, end):
            edits.append((start, end, _toml_string(new) if basic else f"'{new}'"))
    edited = spliced(text, edits)
    expected = dict(project)
    if "nav" in project:
        expected["nav"] = _nav_moved(project["nav"], move)
    plugins = project.get("plugins")
    plugin = plugins.get(REDIRECTS) if isinstance(plugins, dict) else None
    maps: dict[str, Any] = {}
    if (
        isinstance(plugins, dict)
        and isinstance(plugin, dict)
        and isinstance(plugin.get(MAPS), dict)
    ):
        maps = {key: _nav_moved(value, move) for key, value in plugin[MAPS].items()}
        expected["plugins"] = {**plugins, REDIRECTS: {**plugin, MAPS: maps}}
    if _project(_toml(edited)) != expected:
        raise NoTextEdit("an edit in place of its quoted paths would not read back as it should")
    in_nav = _differing(project.get("nav"), expected.get("nav"))
    if in_nav:
        said.append(f"nav: {_entries(in_nav)}")
    if len(edits) > in_nav:
        said.append(f"{MAPS}: {_entries(len(edits) - in_nav, 'redirect')} now to the new place")
    if not redirecting or not isinstance(plugins, dict):
        return edited, said
    added = _new_redirects(move, pages, maps)
    if not added:
        return edited, said
    newline = line_end(edited)
    lines = "".join(f"{_toml_string(o)} = {_toml_string(n)}{newline}" for o, n in added.items())
    table = _MAPS_TABLE.search(edited)
    if table is not None:
        at = table.end()
        header_ended = table.group().endswith("\n")
        edited = edited[:at] + ("" if header_ended else newline) + lines + edited[at:]
    else:
        if edited and not edited.endswith("\n"):
            edited += newline
        edited += f"{newline}[project.plugins.{REDIRECTS}.{MAPS}]{newline}{lines}"
    settings = plugin if isinstance(plugin, dict) else {}
    expected["plugins"] = {**plugins, REDIRECTS: {**settings, MAPS: {**maps, **added}}}
    if _project(_toml(edited)) != expected:
        raise NoTextEdit(
            f"[project.plugins.{REDIRECTS}.{MAPS}]: the redirects cannot be added in place"
        )
    said.append(f"{MAPS}: {_entries(len(added), 'redirect')} from the old place")
    return edited, said


def _differing(before: Any, after: Any) -> int:
    """How many texts differ between two values of the same shape."""
    if isinstance(before, list) and isinstance(after, list):
        return sum(_differing(one, other) for one, other in zip(before, after, strict=True))
    if isinstance(before, dict) and isinstance(after, dict):
        return sum(_differing(before[key], after[key]) for key in before)
    return int(before != after)


def _project(data: dict[str, Any]) -> dict[str, Any]:
    project = data.get("project", data)
    return project if isinstance(project, dict) else {}


def _toml_strings(text: str) -> list[tuple[int, int, bool]]:
    """Where each one-line string of a TOML text is (its quotes included), and whether it
    is a basic ("...") one rather than a literal ('...'): the text scanned once, comments
    and multi-line strings passed over."""
    found: list[tuple[int, int, bool]] = []
    at, size = 0, len(text)
    while at < size:
        char = text[at]
        if char == "#":
            line_end = text.find("\n", at)
            at = size if line_end < 0 else line_end
        elif text.startswith(('"""', "'''"), at):
            closing = text.find(text[at : at + 3], at + 3)
            at = size if closing < 0 else closing + 3
        elif char in "\"'":
            end = at + 1
            while end < size and text[end] not in (char, "\n"):
                end += 2 if char == '"' and text[end] == "\\" else 1
            if end < size and text[end] == char:
                found.append((at, end + 1, char == '"'))
            at = end + 1
        else:
            at += 1
    return found


def _nav_moved(nav: Any, move: AnyMove) -> Any:
    if isinstance(nav, str):
        return _moved_page(move, nav) or nav
    if isinstance(nav, list):
        return [_nav_moved(item, move) for item in nav]
    if isinstance(nav, dict):
        return {key: _nav_moved(value, move) for key, value in nav.items()}
    return nav


def _toml(text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError) as error:
        raise NoTextEdit(f"its TOML does not read ({error})") from None
