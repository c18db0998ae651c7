"""The YAML that guidewright's own files hold, read without PyYAML's Python constructor.

`check` reads every page's frontmatter and every page's answers file; PyYAML builds each
value through its pure-Python constructor, which costs as much as reading the page's
Markdown. Both are written in a few shapes only, by the template (frontmatter) or by
Copier's `to_nice_yaml` (answers): top-level `key: value` lines with an optional trailing
comment, values that are double- or single-quoted text without escapes, plain scalars,
flow lists of quoted text (`["aws", "caching"]`), block lists of such scalars (`- item`, at
the key's column or indented), and a plain text wrapped onto indented lines.

`quick_mapping` reads exactly those shapes, each plain scalar resolved by PyYAML's own
resolver, and gives up (None) on anything else: an escape, a block scalar, a nested list, a
key twice, a tab, a CR. The callers then load the text with safe_yaml, so the result is
always what safe_yaml gives (tests/test_quick_yaml.py holds it to that on generated files
and on arbitrary text), errors and their lines included.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import yaml

from guidewright.core.safe_yaml import MAX_BYTES

_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(?:[ ]+(.*))?\Z")
_ITEM = re.compile(r"([ ]*)-(?:[ ]+(.*))?\Z")
# What YAML's reader refuses (then safe_yaml reports it): control characters and the like.
_NOT_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
# Tabs, other line breaks (YAML also breaks at NEL and U+2028/9), a BOM: YAML's to read.
_NOT_HERE = ("\r", "\t", "\ufeff", "\x85", "\u2028", "\u2029")
# A plain scalar that cannot start so, or that holds what would end or change it.
_INDICATOR_FIRST = frozenset("-?:,[]{}#&*!|>'\"%@`")
_DECIMAL = re.compile(r"-?(?:0|[1-9][0-9]*)\Z")
_QUOTED = re.compile(r'"([^"\\]*)"|\'((?:[^\']|\'\')*)\'')
_FLOW = re.compile(r"\[[ ]*(?:(?:\"[^\"\\]*\")(?:[ ]*,[ ]*\"[^\"\\]*\")*[ ]*)?\]")
_COMMENT = re.compile(r"(?:[ ]+#.*)?\Z")
_RESOLVER = yaml.resolver.Resolver()


class _GiveUp(Exception):
    """A shape this reader does not take: safe_yaml reads the text instead."""


@lru_cache(maxsize=4096)
def _plain(text: str) -> Any:
    """A plain scalar's value, as PyYAML resolves it; gives up where the conversion is not
    a sure one (floats, dates, YAML 1.1's many spellings of booleans and numbers)."""
    if not text or text[0] in _INDICATOR_FIRST or text[-1] in " :" or ": " in text:
        raise _GiveUp
    tag = _RESOLVER.resolve(yaml.ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
    if tag == "tag:yaml.org,2002:str":
        return text
    if tag == "tag:yaml.org,2002:int" and _DECIMAL.match(text):
        return int(text)
    if tag == "tag:yaml.org,2002:bool" and text in ("true", "false"):
        return text == "true"
    if tag == "tag:yaml.org,2002:null" and text in ("null", "~"):
        return None
    raise _GiveUp


def _value(text: str) -> tuple[Any, bool]:
    """A one-line value and its trailing comment, as (value, whether a plain text that an
    indented line may continue)."""
    if text[:1] == " ":
        raise _GiveUp  # `key:   x`, `-   - x`: not how these files are written
    first = text[:1]
    if first in ('"', "'"):
        quoted = _QUOTED.match(text)
        if quoted is None or not _COMMENT.match(text, quoted.end()):
            raise _GiveUp
        double = quoted.group(1)
        return (double if double is not None else quoted.group(2).replace("''", "'")), False
    if first == "[":
        flow = _FLOW.match(text)
        if flow is None or not _COMMENT.match(text, flow.end()):
            raise _GiveUp
        return [m.group(1) for m in _QUOTED.finditer(text, 1, flow.end())], False
    plain, hash_mark, _ = text.partition(" #")
    plain = plain.rstrip(" ")
    return _plain(plain), not hash_mark


def quick_mapping(text: str) -> tuple[dict[str, Any], dict[str, int]] | None:
    """The mapping a YAML text holds and the line (from 0) of each key, or None when the
    text is not in a shape this reader takes."""
    if len(text) > MAX_BYTES or any(mark in text for mark in _NOT_HERE):
        return None  # too large: safe_yaml refuses it, saying so
    if _NOT_PRINTABLE.search(text):
        return None
    try:
        return _mapping(text.split("\n"))
    except _GiveUp:
        return None


def quick_load(content: bytes) -> dict[str, Any] | None:
    """An answers file's data, or None when it is not in a shape this reader takes."""
    if len(content) > MAX_BYTES:
        return None
    try:
        found = quick_mapping(content.decode("utf-8"))
    except UnicodeDecodeError:
        return None
    return found[0] if found else None


def _mapping(lines: list[str]) -> tuple[dict[str, Any], dict[str, int]] | None:
    data: dict[str, Any] = {}
    key_lines: dict[str, int] = {}
    key = ""
    state = ""  # "list": `key:`, items may follow; "plain": an indented line may continue
    raw = ""  # the plain text so far, while it may continue
    items_indent = -1  # the items' column, once the first is seen
    blank_since = False
    for number, line in enumerate(lines):
        first = line[:1]
        if first in _KEY_FIRST:  # most lines: `key: value`, told first
            found = _KEY.match(line)
            if found is None:
                raise _GiveUp
            if state == "list" and items_indent < 0:
                data[key] = None  # `key:` and nothing under it: null
            key, value = found.group(1), found.group(2) or ""
            if key in data or _plain(key) != key:
                raise _GiveUp  # twice (safe_yaml refuses it), or not a text key (`yes:`)
            key_lines[key] = number
            blank_since = False
            if not value or value[0] == "#":
                data[key], state, items_indent = [], "list", -1
                continue
            data[key], continues = _value(value)
            state, raw = ("plain", value) if continues else ("", "")
            continue
        stripped = line.lstrip(" ")
        if not stripped:
            blank_since = True
            continue
        if stripped[0] == "#":
            state = "" if state == "plain" else state  # a comment ends a wrapped text
            continue
        indent = len(line) - len(stripped)
        item = _ITEM.match(line) if stripped[0] == "-" else None
        if item is not None and state == "list" and items_indent in (-1, indent):
            items_indent = indent
            blank_since = False
            value = item.group(2)
            if value is not None and value[:1] == "-":
                raise _GiveUp  # a nested list
            data[key].append(_value(value)[0] if value else None)
            continue
        if not indent or state != "plain" or blank_since or stripped[0] in _INDICATOR_FIRST:
            raise _GiveUp
        part, hash_mark, _ = stripped.partition(" #")
        raw = f"{raw} {part.rstrip(' ')}"
        data[key] = _plain(raw)
        state = "" if hash_mark else "plain"
    if state == "list" and items_indent < 0:
        data[key] = None
    return (data, key_lines) if data else None


_KEY_FIRST = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_")
