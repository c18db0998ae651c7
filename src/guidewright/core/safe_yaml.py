"""YAML from files anyone can commit: bounded in size, depth and aliases, duplicate keys
refused.

PyYAML keeps the last of two equal keys and expands no alias limit; a billion-laughs file
then blows up whatever walks the data, and a value nested 500 deep breaks whatever walks it
by recursion (PyYAML's own Python loader first). Every untrusted YAML (answers files, data
files, frontmatter, copier.yml, mkdocs.yml, `-d` values) is loaded through `load`, in C:
libyaml composes without recursion, and the depth is judged before anything is built.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

import yaml

from guidewright.core.errors import UnsafeYaml

try:  # The C parser is several times faster, which matters for `check` on big sites.
    _Base: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Base = yaml.SafeLoader


class Loader(_Base):  # type: ignore[valid-type,misc]
    """Safe loading where an impossible date (2024-13-45) stays the text it is, so that
    the value's own rule reports it at its line instead of the whole file failing."""

    def construct_yaml_timestamp(self, node: yaml.Node) -> Any:
        """A date, or the text itself when it is no real date."""
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError):
            return self.construct_scalar(node)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        """A mapping whose keys are unique: YAML says so, and PyYAML keeps the last."""
        seen: set[str] = set()
        for key, _ in node.value:
            if isinstance(key, yaml.ScalarNode):
                if key.value in seen:
                    raise UnsafeYaml(key.start_mark.line + 1, f"duplicate key '{key.value}'")
                seen.add(key.value)
        return super().construct_mapping(node, deep)  # type: ignore[no-any-return]


Loader.add_constructor("tag:yaml.org,2002:timestamp", Loader.construct_yaml_timestamp)


MAX_BYTES = 1_000_000
MAX_NODES = 100_000  # values after alias expansion; a real document has hundreds
# Levels of lists and mappings; a real document has two or three. Far enough below
# Python's recursion limit for anything that walks the data (Jinja, a YAML dump, a copy).
MAX_DEPTH = 100
TOO_DEEP = f"nested deeper than {MAX_DEPTH} levels of lists and mappings"


class PlainLoader(yaml.SafeLoader):
    """yaml.safe_load's own loader, for YAML another tool reads with it (Copier casting a
    `yaml` answer, MkDocs its configuration): the same text errors (libyaml takes a tab
    PyYAML refuses) and the last of two equal keys kept. Its composer recurses for each
    level, so the depth is counted there, before Python's recursion limit is reached."""

    _depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        """A node, refused past MAX_DEPTH levels."""
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH + 1:  # + 1: a scalar inside the deepest list
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise UnsafeYaml(mark.line + 1, TOO_DEEP)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _walk(root: yaml.Node) -> None:
    """Refuse data whose aliases expand it past the bound, or that contains itself."""
    expanded: dict[int, int] = {}  # node id -> nodes it stands for, aliases expanded
    open_nodes: set[int] = set()  # on the current path: meeting one again is a cycle
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if children_done:
            open_nodes.discard(id(node))
            size = 1 + sum(expanded[id(child)] for child in _children(node))
            if size > MAX_NODES:
                raise UnsafeYaml(
                    node.start_mark.line + 1, f"its aliases expand to more than {MAX_NODES} values"
                )
            expanded[id(node)] = size
            continue
        if id(node) in expanded:
            continue
        if id(node) in open_nodes:
            raise UnsafeYaml(node.start_mark.line + 1, "an alias that contains itself")
        open_nodes.add(id(node))
        stack.append((node, True))
        stack += [(child, False) for child in _children(node)]


def _depth_within_bound(root: yaml.Node) -> None:
    """Refuse data with more than MAX_DEPTH lists and mappings one inside another."""
    stack: list[tuple[yaml.Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, yaml.CollectionNode):
            if depth > MAX_DEPTH:
                raise UnsafeYaml(node.start_mark.line + 1, TOO_DEEP)
            stack += [(child, depth + 1) for child in _children(node)]


def nested_too_deep(value: Any) -> bool:
    """Whether data (a JSON answer, say) has more than MAX_DEPTH lists and mappings one
    inside another (walked without recursion)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: list[Any] = [part for pair in item.items() for part in pair]
        elif isinstance(item, list | tuple):
            children = list(item)
        else:
            continue
        if depth > MAX_DEPTH:
            return True
        stack += [(child, depth + 1) for child in children]
    return False


def compose_and_construct(
    text: str | bytes, loader_class: type[yaml.SafeLoader] = Loader
) -> tuple[yaml.Node | None, Any]:
    """The root node (for key lines) and the data of a one-document YAML text."""
    if len(text) > MAX_BYTES:
        raise UnsafeYaml(1, f"larger than {MAX_BYTES // 1_000_000} MB")
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        if _may_alias(text):
            _walk(node)
        _depth_within_bound(node)
        return node, _construct(loader, node)
    finally:
        loader.dispose()


def _may_alias(text: str | bytes) -> bool:
    """Whether the text may hold an alias: an alias names an anchor made before it (an
    undefined one fails to compose), so a text without both marks has none. A `*` alone
    is common (a glob, Markdown's emphasis, a Jinja product in copier.yml), and walking
    the bundled template's copier.yml for aliases costs half a millisecond a read."""
    if isinstance(text, str):
        return "&" in text and "*" in text
    return b"&" in text and b"*" in text


def _construct(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    try:
        return loader.construct_document(node)
    except UnsafeYaml:
        raise
    except (ValueError, TypeError, OverflowError) as error:
        # An impossible date (2024-13-45) matches YAML's timestamp pattern, then fails.
        raise UnsafeYaml(node.start_mark.line + 1, f"invalid value: {error}") from error


def load(text: str | bytes, loader_class: type[yaml.SafeLoader] = Loader) -> Any:
    """Safe-load one YAML document within the bounds."""
    return compose_and_construct(text, loader_class)[1]


def load_all(
    text: str | bytes, loader_class: type[yaml.SafeLoader], per_document: Callable[[Any], Any]
) -> list[Any]:
    """Every document of a multi-document YAML text, each checked as `load` checks one."""
    if len(text) > MAX_BYTES:
        raise UnsafeYaml(1, f"larger than {MAX_BYTES // 1_000_000} MB")
    loader = loader_class(text)
    documents = []
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                continue
            if _may_alias(text):
                _walk(node)
            _depth_within_bound(node)
            documents.append(per_document(_construct(loader, node)))
    finally:
        loader.dispose()
    return documents


def texts_in(value: object) -> Iterator[str]:
    """Every text in a value read from YAML: itself, or its mappings' keys and values and
    its sequences' and sets' items, at any depth (a template setting's Jinja sources)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from texts_in(key)
            yield from texts_in(item)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            yield from texts_in(item)
