"""A YAML list's items changed in its text, the rest of the file kept byte for byte: how a
tag is renamed in a page's frontmatter, its answers file, the site configuration and the
engine's configuration (`guidewright tags`).

The list is found as PyYAML composes the text (nodes carry their place); its items are
replaced where they stand, each in the quoting its list already uses, so that the
template's `tags: ["aws", "caching"]  # comment` stays one line with its comment, and a
block list `- caching` stays a block list. A list that loses items (a merge leaves one
tag where two were) is written again in place, in its own style. The caller reads the
result back and refuses it unless it holds exactly what was wanted.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

import yaml

_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9._/-]*")  # a scalar YAML reads as this very text
_NOT_TEXT = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


class NoListEdit(Exception):
    """The list cannot be changed by a text edit (its layout, an item not plain text)."""


def mapping_value(node: yaml.Node | None, key: str) -> yaml.Node | None:
    """The value of `key` in a composed mapping (None: not a mapping, or no such key)."""
    if not isinstance(node, yaml.MappingNode):
        return None
    for found, value in node.value:
        if isinstance(found, yaml.ScalarNode) and found.value == key:
            return value  # type: ignore[no-any-return]  # PyYAML's nodes are untyped
    return None


def item_text(value: str, style: str | None) -> str:
    """`value` as a YAML scalar in `style` ('"', "'", None or "" for plain): plain only where
    YAML reads it as this very text, else double-quoted."""
    if style == "'" and "\n" not in value:
        return "'" + value.replace("'", "''") + "'"
    if not style and _PLAIN.fullmatch(value) and value.lower() not in _NOT_TEXT:
        return value
    return json.dumps(value, ensure_ascii=False)


def sequence_rewritten(
    text: str, node: yaml.SequenceNode, items: Sequence[str], offset: int = 0
) -> str:
    """`text` with the list `node` (composed from `text[offset:]`) holding `items`: each
    item that changed replaced where it stands when the count is the same, else the list
    written again in its own style (flow or block, its items' quoting)."""
    old = node.value
    if not all(isinstance(item, yaml.ScalarNode) for item in old):
        raise NoListEdit("an item is not a plain value")
    style = old[0].style if old else '"'
    if len(old) == len(items):
        for item, value in reversed(list(zip(old, items, strict=True))):
            if item.value != value:
                start, end = offset + item.start_mark.index, offset + item.end_mark.index
                text = text[:start] + item_text(value, item.style) + text[end:]
        return text
    rendered = [item_text(value, style) for value in items]
    if node.flow_style or not old:
        start, end = offset + node.start_mark.index, offset + node.end_mark.index
        return text[:start] + "[" + ", ".join(rendered) + "]" + text[end:]
    if not items:
        raise NoListEdit("a block list cannot be left empty by a line edit")
    line_end = "\r\n" if "\r\n" in text else "\n"
    indent = " " * node.start_mark.column
    start, end = offset + node.start_mark.index, offset + old[-1].end_mark.index
    lines = f"{line_end}{indent}- ".join(rendered)
    return text[:start] + "- " + lines + text[end:]
