"""Answers files as Copier writes them, read without PyYAML's Python constructor.

`check` and `update` read every page's answers file; PyYAML builds each value through its
pure-Python constructor (0.18 ms for a 40-line file, as much as the page's own YAML). Copier
writes these files with `to_nice_yaml`, in a few shapes only: `key: value` lines, block lists
at column 0 (`- item`), a long plain text wrapped onto indented lines, `[]`, single-quoted
text. `quick_load` reads exactly those shapes, each scalar resolved by PyYAML's own
resolver, and gives up (None) on anything else: a double-quoted or block scalar, a nested
list, a key twice, a flow mapping, a tab. The caller then loads the file with safe_yaml, so
the result is always what safe_yaml gives (tests/test_copier_answers.py holds it to that on
generated files and on arbitrary text).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import yaml

_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(?: (.*))?\Z")
# What YAML's reader refuses (then safe_yaml reports it): control characters and the like.
_NOT_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
# A plain scalar that cannot start so, or that holds what would end or change it.
_INDICATOR_FIRST = frozenset("-?:,[]{}#&*!|>'\"%@`")
_DECIMAL = re.compile(r"-?(?:0|[1-9][0-9]*)\Z")
_RESOLVER = yaml.resolver.Resolver()


class _GiveUp(Exception):
    """A shape this reader does not take: safe_yaml reads the file instead."""


@lru_cache(maxsize=4096)
def _plain(text: str) -> Any:
    """A plain scalar's value, as PyYAML resolves it; gives up where the conversion is not
    a sure one (floats, dates, YAML 1.1's many spellings of booleans and numbers)."""
    if (
        not text
        or text[0] in _INDICATOR_FIRST
        or text[-1] in " :"
        or ": " in text
        or " #" in text
        or "\t" in text
    ):
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


def _scalar(text: str) -> Any:
    if text.startswith(" "):
        raise _GiveUp  # `-   - x`, a nested list; `key:   x`, not how Copier writes
    if text.startswith("'"):
        inner = text[1:-1]
        if len(text) < 2 or not text.endswith("'") or "'" in inner.replace("''", ""):
            raise _GiveUp
        return inner.replace("''", "'")
    if text == "[]":
        return []
    return _plain(text)


def quick_load(content: bytes) -> dict[str, Any] | None:
    """The answers file's data, or None when it is not in a shape this reader takes."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return None
    # Tabs, other line breaks (YAML also breaks at NEL and U+2028/9), a BOM: YAML's to read.
    if any(mark in text for mark in _NOT_HERE) or _NOT_PRINTABLE.search(text):
        return None
    try:
        return _mapping(text.split("\n"))
    except _GiveUp:
        return None


_NOT_HERE = ("\r", "\t", "\ufeff", "\x85", "\u2028", "\u2029")


def _mapping(lines: list[str]) -> dict[str, Any] | None:
    """Top-level `key: value` lines, each value a scalar, a block list of scalars, or a
    plain text wrapped onto indented lines."""
    data: dict[str, Any] = {}
    key = ""
    state = ""  # "list": `key:` with items to come; "plain": a text indented lines continue
    raw = ""  # the plain text so far, while folding
    items = 0
    blank_since = False
    for line in lines:
        if not line.strip(" "):
            blank_since = True
            continue
        if line.startswith(" "):
            part = line.strip(" ")
            if state != "plain" or blank_since or part[0] in _INDICATOR_FIRST:
                raise _GiveUp
            raw = f"{raw} {part}"
            data[key] = _plain(raw)
            continue
        blank_since = False
        if line.startswith("#"):
            state = "" if state == "plain" else state  # a comment ends a wrapped text
            continue
        if line.startswith("- ") or line == "-":
            item = line[2:]
            if state != "list" or item.startswith("-"):
                raise _GiveUp  # not under `key:`, or a nested list
            data[key].append(_scalar(item) if item else None)
            items += 1
            continue
        found = _KEY.match(line)
        if found is None:
            raise _GiveUp
        if state == "list" and not items:
            data[key] = None  # `key:` and nothing under it: null
        key, value = found.group(1), found.group(2) or ""
        if key in data or _plain(key) != key:
            raise _GiveUp  # twice (safe_yaml refuses it), or not a text key (`yes:`)
        if not value:
            data[key], state, items = [], "list", 0
            continue
        data[key] = _scalar(value)
        state, raw = ("plain", value) if value[0] != "'" and value != "[]" else ("", "")
    if state == "list" and not items:
        data[key] = None
    return data or None
