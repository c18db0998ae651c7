"""The site configuration is the author's file: `new` and `adopt` add a tag (or the first
content owner) with a line edit that keeps every comment, layout and unknown key."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from support import commit_all, git, run_cli

from guidewright.core.errors import OperationFailed
from guidewright.site.config_edit import add_site_tags, remember_content_owner
from guidewright.site.site import CONFIG_RELPATH, Site, SiteConfig, load_config
from guidewright.site.write_session import WriteSession

COMMENTED = """\
# The site's guidewright settings: keep this comment.
template: gh:example/templates  # pinned by the platform team
tags:
  - aws  # the cloud we run on
  - caching
# not_content lists pages that are not documents
not_content: [index.md, "*/index.md"]
review_board: {chair: Ada, every: 2 weeks}  # guidewright does not know this key
"""


def edited(tmp_path: Path, text: str, tags: list[str], owner: str | None = None) -> str:
    (tmp_path / ".guidewright").mkdir(exist_ok=True)
    (tmp_path / CONFIG_RELPATH).write_bytes(text.encode())
    with WriteSession(Site(tmp_path, "docs", SiteConfig()), "new") as session:
        add_site_tags(session, tags)
        if owner is not None:
            remember_content_owner(session, owner)
    return (tmp_path / CONFIG_RELPATH).read_bytes().decode()


def added_lines(before: str, after: str) -> list[str]:
    """The diff, as the lines it adds; none removed."""
    diff = list(difflib.ndiff(before.splitlines(keepends=True), after.splitlines(keepends=True)))
    assert not [line for line in diff if line.startswith("- ")], diff
    return [line[2:] for line in diff if line.startswith("+ ")]


def test_a_tag_is_added_after_the_last_with_its_indentation(tmp_path: Path) -> None:
    after = edited(tmp_path, COMMENTED, ["aws", "system-design", "c++", "yes"])
    assert added_lines(COMMENTED, after) == [
        "  - system-design\n",
        "  - c++\n",
        '  - "yes"\n',
    ]
    assert load_config(tmp_path).tags == ["aws", "caching", "system-design", "c++", "yes"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tags: [aws, caching]  # flow\n", "tags: [aws, caching, queues]  # flow\n"),
        ("tags: []\n", "tags: [queues]\n"),
        ("tags:\nsections: [a]\n", "tags: [queues]\nsections: [a]\n"),
        ("tags: ~\n", "tags: [queues]\n"),
        ("sections: [a]", "sections: [a]\ntags:\n- queues\n"),
        ("", "tags:\n- queues\n"),
        ("tags:\r\n- aws\r\nx: 1\r\n", "tags:\r\n- aws\r\n- queues\r\nx: 1\r\n"),
        ("tags:\n- aws", "tags:\n- aws\n- queues\n"),
    ],
)
def test_every_list_layout_takes_the_tag_in_its_own_style(
    tmp_path: Path, text: str, expected: str
) -> None:
    assert edited(tmp_path, text, ["queues"]) == expected


def test_the_content_owner_is_set_on_its_line_or_added(tmp_path: Path) -> None:
    assert edited(tmp_path, COMMENTED, [], owner="platform-team") == (
        COMMENTED + "content_owner: platform-team\n"
    )
    assert edited(tmp_path, 'content_owner: ""  # who?\n', [], owner="Ada L") == (
        'content_owner: "Ada L"  # who?\n'
    )
    kept = "content_owner: team  # theirs\n"
    assert edited(tmp_path, kept, [], owner="other") == kept


def test_a_layout_no_line_edit_can_change_is_left_as_it_is(tmp_path: Path) -> None:
    text = "{tags: [aws], sections: [a]}\n"
    with pytest.raises(OperationFailed) as refused:
        edited(tmp_path, text, ["queues"])
    assert str(refused.value) == (
        f"{CONFIG_RELPATH}: tags: it is not a mapping of one key a line; add queues to them by hand"
    )
    assert (tmp_path / CONFIG_RELPATH).read_text() == text


def test_new_adding_a_tag_changes_only_that_line(tmp_path: Path, home: Path) -> None:
    """A commented configuration with a key guidewright does not know: after `new` adds a
    tag, the only difference git shows is the tag."""
    site = tmp_path / "site"
    made = run_cli("init", str(site), "--content-owner", "team", cwd=tmp_path, home=home)
    assert made.returncode == 0, made.stderr
    config = site / CONFIG_RELPATH
    text = config.read_text()
    config.write_text(
        "# Edited by hand: keep me.\n"
        + text.replace("tags:\n", "tags:  # the site's known tags\n")
        + "review_board: {chair: Ada}  # not guidewright's\n"
    )
    commit_all(site, home, "site", init=True)
    before = config.read_text()
    made = run_cli(
        "new-guide",
        "--defaults",
        "--topic",
        "Caching",
        "--section",
        "system-design",
        "--tag",
        "aws",
        "--tag",
        "caching",
        "--tag",
        "performance",
        "--objective",
        "Explain it",
        "--dest",
        str(site),
        cwd=site,
        home=home,
    )
    assert made.returncode == 0, made.stderr
    diff = git(site, home, "diff", "-U0", "--", CONFIG_RELPATH)
    changed = [
        line for line in diff.splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")
    ]
    assert changed == ["+- caching", "+- performance"], diff
    assert added_lines(before, config.read_text()) == ["- caching\n", "- performance\n"]
