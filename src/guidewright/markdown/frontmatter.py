"""Split a Markdown document into YAML frontmatter and body, keeping line numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from guidewright.core import safe_yaml
from guidewright.core.errors import FrontmatterError, UnsafeYaml
from guidewright.core.quick_yaml import quick_mapping
from guidewright.core.yaml_problem import yaml_problem


@dataclass(frozen=True)
class Frontmatter:
    """A document's frontmatter: its data, where each key is, and the body."""

    data: dict[str, Any]
    key_lines: dict[str, int]  # 1-based line of each top-level key in the file
    body: str
    body_line: int  # 1-based line where the body starts
    end_line: int  # 1-based line of the closing delimiter


# As MkDocs reads frontmatter (mkdocs.utils.meta): `---` with trailing blanks allowed, up
# to a line of `---` or `...`, which a newline must end.
_OPENING = re.compile(r"---[ \t]*\r?\n")
_CLOSING = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?\n", re.MULTILINE)
_CLOSING_AT_END = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?\Z", re.MULTILINE)


def split(text: str) -> tuple[str, str, int] | None:
    """(frontmatter text, body, line of the closing delimiter) or None without frontmatter."""
    opened = _OPENING.match(text)
    if opened is None:
        return None
    # MkDocs wants at least one line between the delimiters: `---` twice is no frontmatter.
    closing = _CLOSING.search(text, opened.end() + 1)
    if closing is None:
        if _CLOSING.match(text, opened.end()):
            return None
        if _CLOSING_AT_END.search(text, opened.end() + 1):
            line = text.count("\n") + 1
            raise FrontmatterError(line, "the closing '---' needs a line break after it")
        raise FrontmatterError(1, "frontmatter opened with '---' is never closed")
    source = text[opened.end() : closing.start()]
    body = text[closing.end() :]
    return source or "\n", body, text.count("\n", 0, closing.start()) + 1


def parse(text: str) -> Frontmatter | None:
    """The frontmatter of a Markdown text (a leading BOM is skipped, as MkDocs does)."""
    parts = split(text.removeprefix("\ufeff"))
    if parts is None:
        return None
    source, body, end_line = parts
    quick = quick_mapping(source)  # as the template writes it: no PyYAML constructor
    if quick is not None:
        lines = {key: line + 2 for key, line in quick[1].items()}
        return Frontmatter(quick[0], lines, body, end_line + 1, end_line)
    try:
        node, data = safe_yaml.compose_and_construct(source)
    except (yaml.YAMLError, UnsafeYaml) as error:
        problem = yaml_problem(error, first_line=2, text=source)  # the file's line 2
        raise FrontmatterError(problem.line, problem.message, problem.column) from error
    if data is None:
        data = {}
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        raise FrontmatterError(2, "frontmatter must be a mapping of keys to values")
    key_lines = {
        str(key.value): key.start_mark.line + 2
        for key, _ in node.value
        if isinstance(key, yaml.ScalarNode)
    }
    return Frontmatter(data, key_lines, body, end_line + 1, end_line)
