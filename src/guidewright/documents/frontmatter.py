"""Split a Markdown document into YAML frontmatter and body, keeping line numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from guidewright import safe_yaml
from guidewright.errors import describe_yaml_error

DELIMITER = "---"


@dataclass(frozen=True)
class Frontmatter:
    """A document's frontmatter: its data, where each key is, and the body."""

    data: dict[str, Any]
    key_lines: dict[str, int]  # 1-based line of each top-level key in the file
    body: str
    body_line: int  # 1-based line where the body starts
    end_line: int  # 1-based line of the closing delimiter


class FrontmatterError(Exception):
    """Frontmatter that cannot be read, with the line to look at."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


_CLOSING = re.compile(r"^---\r?$", re.MULTILINE)


def split(text: str) -> tuple[str, str, int] | None:
    """(frontmatter text, body, line of the closing delimiter) or None without frontmatter."""
    first_end = text.find("\n")
    first_line = text if first_end < 0 else text[:first_end]
    if first_line.rstrip("\r") != DELIMITER:
        return None
    closing = _CLOSING.search(text, first_end + 1) if first_end >= 0 else None
    if closing is None:
        raise FrontmatterError(1, "frontmatter opened with '---' is never closed")
    source = text[first_end + 1 : closing.start()]
    source = source if source.endswith("\n") or not source else source + "\n"
    body = text[closing.end() + 1 :]
    return source or "\n", body, text.count("\n", 0, closing.start()) + 1


def parse(text: str) -> Frontmatter | None:
    """The frontmatter of a Markdown text (a leading BOM is skipped, as MkDocs does)."""
    parts = split(text.removeprefix("\ufeff"))
    if parts is None:
        return None
    source, body, end_line = parts
    try:
        node, data = safe_yaml.compose_and_construct(source)
    except safe_yaml.UnsafeYaml as error:
        raise FrontmatterError(error.line + 1, f"invalid YAML: {error}") from error
    except yaml.MarkedYAMLError as error:
        # Where the broken construct starts (an unclosed list) is where the author looks.
        mark = error.context_mark or error.problem_mark
        line = mark.line + 2 if mark is not None else 1
        raise FrontmatterError(line, f"invalid YAML: {error.problem}") from error
    except yaml.YAMLError as error:
        raise FrontmatterError(1, f"invalid YAML: {describe_yaml_error(error)}") from error
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
