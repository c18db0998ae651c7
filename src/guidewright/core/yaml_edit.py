"""A YAML file edited as text, the one way guidewright changes an author's YAML: a
page's frontmatter, an answers file, the site configuration, the engine's `mkdocs.yml`.

Only the text that changes is rewritten, where PyYAML's nodes say it is: a value in the
style it was written in (plain, single or double quoted), an item or entry added at the
end of a list or mapping in its own style (flow, or a line each with its indentation);
comments, layout and every other byte stay. Each edit is read back: the file must then
hold exactly what it held with the change, else the edit is refused (NoTextEdit, saying
why) rather than guessed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from typing import Any

import yaml

from guidewright.core import safe_yaml
from guidewright.core.errors import UnsafeYaml
from guidewright.core.splice import Edit, spliced
from guidewright.core.yaml_problem import yaml_problem

Path = tuple[str | int, ...]  # keys and list positions from the top of the file
Change = Callable[[Path, str], str | None]  # a text value's new text; None: unchanged
_STR = "tag:yaml.org,2002:str"
# A plain scalar that YAML reads back as this very text: a path, a slug.
_PLAIN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_./+@-]*")
_NOT_TEXT = re.compile(
    r"(?i:y|n|yes|no|on|off|true|false|null|~|[-+]?(\.inf|\.nan)|[-+]?[0-9][0-9_.:eE+-]*|0[box].*)"
)


class NoTextEdit(Exception):
    """The file's values cannot be changed in place as asked: why."""


class UnreadableYaml(NoTextEdit):
    """The file's YAML does not read at all (nothing reads its values either)."""


def scalar_text(value: str, style: str | None) -> str:
    """`value` written as YAML in a scalar's `style` (None: plain where that reads back as
    this text, else double quoted)."""
    if style == "'" and "\n" not in value:  # a line break in single quotes reads as a blank
        return "'" + value.replace("'", "''") + "'"
    if not style and _PLAIN.fullmatch(value) and not _NOT_TEXT.fullmatch(value):
        return value
    return json.dumps(value, ensure_ascii=False)


def line_end(text: str) -> str:
    """The line break `text` uses (a Windows file keeps its CRLF)."""
    return "\r\n" if "\r\n" in text else "\n"


def appended(text: str, lines: str) -> str:
    """`lines` after the last line of `text` (which gets its line break if it lacks one)."""
    if text and not text.endswith("\n"):
        text += line_end(text)
    return text + lines


def mapping_value(node: yaml.Node | None, key: str) -> yaml.Node | None:
    """The value node of `key` in a mapping node (None: not a mapping, or no such key)."""
    if isinstance(node, yaml.MappingNode):
        for found, value in node.value:
            if isinstance(found, yaml.ScalarNode) and found.value == key:
                return value  # type: ignore[no-any-return]  # PyYAML's nodes are untyped
    return None


def replaced(text: str, node: yaml.Node, new: str) -> str:
    """The text of `node` replaced by `new` (an empty value: its place after `key:`)."""
    start, end = node.start_mark.index, node.end_mark.index
    space = " " if text[start - 1 : start] == ":" else ""
    return text[:start] + space + new + text[end:]


def added_to_collection(text: str, node: yaml.CollectionNode, entries: list[str]) -> str:
    """`entries` (each an item's or a `key: value` entry's YAML) added at the end of a
    list or mapping in its own style: inside the brackets of a flow one, a line each
    (with its indentation, `- ` before a list's items) after the last of a block one.
    NoTextEdit for an empty block one (it has no place to add to)."""
    if node.flow_style:
        closing = node.end_mark.index - 1
        separator = ", " if node.value else ""
        return text[:closing] + separator + ", ".join(entries) + text[closing:]
    if not node.value:
        raise NoTextEdit("an empty block collection has no line to add after")
    last = node.value[-1]
    last_end = (last[1] if isinstance(node, yaml.MappingNode) else last).end_mark.index
    marker = "- " if isinstance(node, yaml.SequenceNode) else ""
    indent = " " * node.start_mark.column
    lines = "".join(f"{indent}{marker}{entry}{line_end(text)}" for entry in entries)
    after = text.find("\n", last_end)
    return appended(text, lines) if after < 0 else text[: after + 1] + lines + text[after + 1 :]


def sequence_rewritten(
    text: str, node: yaml.SequenceNode, items: Sequence[str], offset: int = 0
) -> str:
    """`text` with the list `node` (composed from `text[offset:]`) holding `items`: each
    item that changed replaced where it stands when the count is the same (a tag renamed:
    `tags: ["aws", "caching"]  # comment` stays one line with its comment), else the list
    written again in its own style (flow or block, its items' quoting: a merge leaves one
    tag where two were). The caller reads the result back (`require_reads_as`)."""
    old = node.value
    if not all(isinstance(item, yaml.ScalarNode) for item in old):
        raise NoTextEdit("an item is not a plain value")
    style = old[0].style if old else '"'
    if len(old) == len(items):
        for item, value in reversed(list(zip(old, items, strict=True))):
            if item.value != value:
                start, end = offset + item.start_mark.index, offset + item.end_mark.index
                text = text[:start] + scalar_text(value, item.style) + text[end:]
        return text
    rendered = [scalar_text(value, style) for value in items]
    if node.flow_style or not old:
        start, end = offset + node.start_mark.index, offset + node.end_mark.index
        return text[:start] + "[" + ", ".join(rendered) + "]" + text[end:]
    if not items:
        raise NoTextEdit("a block list cannot be left empty by a line edit")
    indent = " " * node.start_mark.column
    start, end = offset + node.start_mark.index, offset + old[-1].end_mark.index
    lines = f"{line_end(text)}{indent}- ".join(rendered)
    return text[:start] + "- " + lines + text[end:]


def compose(
    text: str, loader: type[yaml.SafeLoader] = safe_yaml.Loader
) -> tuple[yaml.Node | None, Any]:
    """The root node and data of a YAML text; NoTextEdit when it does not read."""
    try:
        return safe_yaml.compose_and_construct(text, loader)
    except (yaml.YAMLError, UnsafeYaml) as error:
        raise UnreadableYaml(str(yaml_problem(error, text=text))) from None
    except RecursionError:
        raise UnreadableYaml(f"invalid YAML: {safe_yaml.TOO_DEEP}") from None


def changed_values(
    text: str, change: Change, loader: type[yaml.SafeLoader] = safe_yaml.Loader
) -> tuple[str, int]:
    """`text` with each text value `change` gives a new text for rewritten, and how many."""
    node, data = compose(text, loader)
    if node is None:
        return text, 0
    edits: list[Edit] = []
    for path, scalar in _scalars(node):
        new = change(path, scalar.value)
        if new is not None and new != scalar.value:
            if scalar.style in ("|", ">"):
                raise NoTextEdit(f"{_shown(path)}: a block scalar; change it by hand")
            written = scalar_text(new, scalar.style)
            edits.append((scalar.start_mark.index, scalar.end_mark.index, written))
    if not edits:
        return text, 0
    edited = spliced(text, edits)
    require_reads_as(edited, _changed_data(data, change, ()), loader)
    return edited, len(edits)


def require_reads_as(
    edited: str, expected: Any, loader: type[yaml.SafeLoader] = safe_yaml.Loader
) -> None:
    """NoTextEdit unless `edited` reads back as `expected`."""
    try:
        _, data = compose(edited, loader)
    except NoTextEdit:
        data = None
    if data != expected:
        raise NoTextEdit("an edit in place would not read back as it should")


def _scalars(root: yaml.Node) -> list[tuple[Path, yaml.ScalarNode]]:
    """Every text value (not a key) with its path, walked without recursion."""
    found: list[tuple[Path, yaml.ScalarNode]] = []
    stack: list[tuple[Path, yaml.Node]] = [((), root)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            if node.tag == _STR:
                found.append((path, node))
        elif isinstance(node, yaml.SequenceNode):
            stack += [((*path, index), item) for index, item in enumerate(node.value)]
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    stack.append(((*path, str(key.value)), value))
    return found


def _changed_data(data: Any, change: Change, path: Path) -> Any:
    """`data` with `change` applied to its text values, as `_scalars` walks the nodes."""
    if isinstance(data, str):
        new = change(path, data)
        return data if new is None else new
    if isinstance(data, list):
        return [_changed_data(item, change, (*path, index)) for index, item in enumerate(data)]
    if isinstance(data, dict):
        return {key: _changed_data(value, change, (*path, str(key))) for key, value in data.items()}
    return data


def _shown(path: Path) -> str:
    return ": ".join(str(part) for part in path)
