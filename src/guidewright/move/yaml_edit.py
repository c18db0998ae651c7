"""Text values of a YAML file changed in place: a page's frontmatter, an answers file,
the engine's `mkdocs.yml`. Only the changed values' own text is rewritten, in the style
they were written in (plain, single or double quoted); comments, layout and every other
byte stay. Each edit is read back: the file must then hold exactly what it held with
those values changed, else the edit is refused (NoTextEdit) rather than guessed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import yaml

from guidewright.core import safe_yaml
from guidewright.core.errors import UnsafeYaml
from guidewright.move.splice import Edit, spliced

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
    if style == "'":
        return "'" + value.replace("'", "''") + "'"
    if not style and _PLAIN.fullmatch(value) and not _NOT_TEXT.fullmatch(value):
        return value
    return json.dumps(value, ensure_ascii=False)


def compose(
    text: str, loader: type[yaml.SafeLoader] = safe_yaml.Loader
) -> tuple[yaml.Node | None, Any]:
    """The root node and data of a YAML text; NoTextEdit when it does not read."""
    try:
        return safe_yaml.compose_and_construct(text, loader)
    except (yaml.YAMLError, UnsafeYaml, RecursionError) as error:
        raise UnreadableYaml(f"its YAML does not read ({error})") from None


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
