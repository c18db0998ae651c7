"""Where the cursor is in a page: its frontmatter's lines, the key a line belongs to."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml

from guidewright.copier_compat.questions import MISSING, Question, plain_value
from guidewright.core.errors import FrontmatterError
from guidewright.markdown import frontmatter

KEY_LINE = re.compile(r"^([A-Za-z_][\w-]*)\s*:")
# An item of a block list (`- tag`) or of a flow list (`[a, "b"]`).
LIST_ITEM = re.compile(r"(?:^\s*-\s*|[\[,]\s*)([^,\[\]\n\r]+?)\s*(?=[,\]\r\n]|$)")


@dataclass(frozen=True)
class Head:
    """The frontmatter: lines 1 to `closing - 1` (0-based), and its answers as far as
    they can be read while the author types (empty when they cannot)."""

    closing: int  # 0-based line of the closing `---`
    data: dict[str, Any]


def head_of(lines: list[str]) -> Head | None:
    """The frontmatter of a page's lines, None when the page opens with none."""
    if not lines or lines[0].lstrip("\ufeff").rstrip("\r\n").rstrip() != "---":
        return None
    for number, line in enumerate(lines[1:], 1):
        if line.rstrip("\r\n").rstrip() in {"---", "..."}:
            closing = number
            break
    else:
        return None
    # A deep copy: the cached answers stay as parsed whatever a caller (or a template's
    # expression rendered with them: a sandbox lets `tags.append(...)` run) does with its
    # Head's, lists included; still far cheaper than the parse.
    return Head(closing, copy.deepcopy(_answers_of("".join(lines))))


# Hovers, completions, code actions and folding on an unchanged page all ask for the same
# answers: parsed once per text rather than once per request (a YAML parse each). A few
# texts kept: the pages open side by side in an editor.
@lru_cache(maxsize=8)
def _answers_of(text: str) -> dict[str, Any]:
    """A page's frontmatter answers as far as they can be read, empty when they cannot."""
    try:
        parsed = frontmatter.parse(text)
    except FrontmatterError:
        parsed = None
    return {k: plain_value(v) for k, v in parsed.data.items()} if parsed else {}


def owning_key(lines: list[str], line: int) -> str | None:
    """The top-level key whose value `line` (0-based) is part of."""
    for number in range(line, 0, -1):
        found = KEY_LINE.match(lines[number])
        if found:
            return found.group(1)
        if lines[number][:1] not in {" ", "\t", "-", "\r", "\n", ""}:
            return None
    return None


def default_of(question: Question, context: dict[str, Any]) -> Any:
    """The question's default as the wizard would offer it, MISSING when it has none."""
    if question.default is MISSING:
        return MISSING
    try:
        return question.render(question.default, context)
    except Exception:  # a template's Jinja may fail on a half-written page
        return MISSING


def dump(value: Any) -> str:
    """A value as it reads in the frontmatter."""
    return (
        yaml.safe_dump(value, default_flow_style=True, allow_unicode=True)
        .strip()
        .removesuffix("\n...")
        .removesuffix("...")
        .strip()
    )
