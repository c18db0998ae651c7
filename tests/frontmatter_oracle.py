"""The oracle for a page whose frontmatter the author edited: `copier update` told the
values its frontmatter holds (`--data KEY=VALUE`), lists, multiselect and `yaml` values as
JSON so that Copier casts them as guidewright does. Read here with plain PyYAML, not with
guidewright's reader, so that the two readings are compared too.

And the one deliberate difference: where Copier's result has conflict markers inside the
frontmatter, guidewright's has none.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import yaml

LOCATION = ("topic", "docs_dir", "section", "slug")
TYPE_QUESTION = "content_type"
MARKERS = (b"<<<<<<< ", b"=======", b">>>>>>> ")


def _head_lines(content: bytes) -> list[bytes] | None:
    """The frontmatter's lines, or None when there is no closed frontmatter."""
    lines = content.split(b"\n")
    if not lines or lines[0].rstrip(b"\r") != b"---":
        return None
    for index, line in enumerate(lines[1:], 1):
        if line.rstrip(b"\r") == b"---":
            return lines[1:index]
    return None


def frontmatter_data(content: bytes) -> dict[str, Any] | None:
    """The page's frontmatter as PyYAML reads it; None when it does not parse."""
    head = _head_lines(content)
    if head is None:
        return None
    try:
        data = yaml.safe_load(b"\n".join(head).decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError):
        return None
    return data if isinstance(data, dict) else None


def questions(copier_yml: Path) -> set[str]:
    config = yaml.safe_load(copier_yml.read_text("utf-8"))
    return {k for k in config if not k.startswith("_")} - set(LOCATION) - {TYPE_QUESTION}


def _as_data(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    return json.dumps(value, ensure_ascii=False)


def copier_data(content: bytes, asked: set[str]) -> list[str]:
    """`--data KEY=VALUE` for every question the page's frontmatter answers."""
    data = frontmatter_data(content) or {}
    return [
        arg
        for key, value in data.items()
        if key in asked
        for arg in ("--data", f"{key}={_as_data(value)}")
    ]


def frontmatter_conflict_end(content: bytes) -> int | None:
    """The offset just after the last conflict that opens inside the frontmatter; None when
    no conflict opens inside it."""
    lines = content.split(b"\n")
    end, offset, in_conflict, crossed, side_start = None, 0, False, False, False
    for index, line in enumerate(lines):
        after, bare = offset + len(line) + 1, line.rstrip(b"\r")
        if line.startswith(MARKERS[0]):
            in_conflict, crossed, side_start = True, False, index == 0
        elif in_conflict and line.startswith(MARKERS[2]):
            in_conflict, end = False, after
            if crossed:
                break
        elif in_conflict and bare == MARKERS[1]:
            side_start = index == 0 or side_start
        elif in_conflict and bare == b"---":
            if side_start and (
                lines[index - 1].startswith(MARKERS[0])
                or lines[index - 1].rstrip(b"\r") == MARKERS[1]
            ):
                pass  # the opening delimiter, inside a conflict that starts the file
            else:
                crossed = True
        elif index == 0 and bare != b"---":
            return None
        elif index and bare == b"---":
            break
        offset = after
    return end


def page_of(site: Path, answers: Path) -> Path:
    """The page an answers file places."""
    data = yaml.safe_load(answers.read_text("utf-8"))
    return site / data.get("docs_dir", "docs") / data["section"] / f"{data['slug']}.md"


def copier_update(site: Path, answers: Path, asked: set[str]) -> list[str]:
    """The `copier update` command for one page, told what its frontmatter holds."""
    relpath = answers.relative_to(site).as_posix()
    data = copier_data(page_of(site, answers).read_bytes(), asked)
    return ["update", "--defaults", "--answers-file", relpath, "--vcs-ref", "v2", *data]
