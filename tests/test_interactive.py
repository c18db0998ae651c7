"""The wizard as an author meets it: prompts in a real pseudo-terminal (pexpect)."""

from __future__ import annotations

from pathlib import Path

import pexpect
import pytest
from conftest import GUIDEWRIGHT, isolated_env, snapshot

from guidewright.documents import frontmatter

ENTER, DOWN, SPACE, CTRL_C = "\r", "\x1b[B", " ", "\x03"


def spawn(site: Path, home: Path, *args: str) -> pexpect.spawn:
    env = isolated_env(home, PROMPT_TOOLKIT_NO_CPR="1", TERM="xterm")
    return pexpect.spawn(
        GUIDEWRIGHT, ["new-guide", "--dest", str(site), *args],
        cwd=str(site), env=env, encoding="utf-8", timeout=20, dimensions=(40, 120),
    )  # fmt: skip


ESC_ENTER = "\x1b\r"  # ends a multi-line answer
CLEAR_LINE = "\x15"

GUIDE_DIALOGUE = [
    ("Topic", ENTER),  # an empty topic is refused at the prompt ...
    ("topic: must be non-empty text on one line", "Load Balancing" + ENTER),
    ("Section", DOWN + DOWN + ENTER),  # fundamentals, practice, (type a new section)
    ("New section folder", "system-design" + ENTER),
    ("File name", ENTER),  # default slug: load-balancing
    ("Title", ENTER),
    ("summary", ENTER),
    ("Audience", ENTER),
    ("Difficulty", DOWN + ENTER),  # advanced
    ("Estimated time", "\b\b\b\b\b\b30 min" + ENTER),  # '45 min' erased
    ("Tags", "Bad Tag" + ESC_ENTER),  # the whole list is judged by the template's rule
    (
        "tags: must be 2 to 6 distinct lowercase tags",
        CLEAR_LINE + "networking\rscaling" + ESC_ENTER,
    ),
    ("Last updated", ENTER),
    ("Document version", ENTER),
    ("Status", ENTER),
    ("Guide type", ENTER),
    ("Deliverables", ESC_ENTER),
    ("Success criteria", ESC_ENTER),
    ("Prerequisite documents", SPACE + ENTER),  # docs are listed sorted: fundamentals/index.md
    ("Learning objectives", "Compare L4 and L7 balancers" + ESC_ENTER),
    ("Related documents", ENTER),
    ("Progression path", ENTER),
    ("Contributors", ESC_ENTER),  # git user.name
    ("review date", ENTER),
    ("Content owner", "platform-team" + ENTER),
    ("Technical depth", ENTER),
    ("Interview focus", ENTER),
]


def answer(child: pexpect.spawn, dialogue: list[tuple[str, str]]) -> None:
    for prompt, keys in dialogue:
        child.expect(prompt)
        child.send(keys)


def test_answering_every_prompt_creates_the_guide(site: Path, home: Path) -> None:
    child = spawn(site, home)
    answer(child, GUIDE_DIALOGUE)
    child.expect("Create docs/system-design/load-balancing.md")
    child.send("y")
    child.expect("Created docs/system-design/load-balancing.md")  # the site is the cwd
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    parsed = frontmatter.parse((site / "docs/system-design/load-balancing.md").read_text())
    assert parsed is not None
    data = parsed.data
    assert data["title"] == "Load Balancing Complete Guide for Amazon L6/L7 Interviews"
    assert data["difficulty"] == "advanced"
    assert data["estimated_time"] == "30 min"
    assert data["tags"] == ["networking", "scaling"]
    assert data["prerequisites"] == ["fundamentals/index.md"]
    assert data["learning_objectives"] == ["Compare L4 and L7 balancers"]
    assert data["contributors"] == ["Test Author"]
    assert data["content_owner"] == "platform-team"


def test_flags_are_not_asked_again(site: Path, home: Path) -> None:
    child = spawn(site, home, "--topic", "Sharding", "--section", "fundamentals")
    child.expect("File name")
    assert "Topic" not in (child.before or "")
    child.send(CTRL_C)
    child.expect(pexpect.EOF)


@pytest.mark.parametrize("stop_after", [1, 10, len(GUIDE_DIALOGUE)])
def test_ctrl_c_writes_nothing(site: Path, home: Path, stop_after: int) -> None:
    before = snapshot(site)
    child = spawn(site, home)
    answer(child, GUIDE_DIALOGUE[:stop_after])
    child.send(CTRL_C)
    child.expect("interrupted; nothing was written")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert snapshot(site) == before


def test_declining_the_summary_writes_nothing(site: Path, home: Path) -> None:
    before = snapshot(site)
    child = spawn(site, home)
    answer(child, GUIDE_DIALOGUE)
    child.expect("load-balancing")  # the summary table
    child.expect("Create docs/system-design/load-balancing.md")
    child.send("n")
    child.expect("cancelled; nothing was written")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1
    assert snapshot(site) == before
