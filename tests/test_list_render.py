"""The guide and the tutorial, built with MkDocs, show every list of the seeds as a list."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from built_once import built_once
from support import REPO, commit_all, git, isolated_env, run_cli

# A line of a paragraph that reads as a list item: what Python-Markdown swallowed.
LIST_LINE = re.compile(r"^[ \t]*(?:[-*+]|\d+[.)])[ \t]+\S", re.MULTILINE)
PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.DOTALL)
TAG = re.compile(r"<[^>]+>")
PAGES = {"guide": "system-design/caching-strategies", "tutorial": "coding/rate-limiter"}


def make_site(base: Path) -> Path:
    """A site from `init` holding a guide and a tutorial made by the wizards."""
    home, site = base / "home", base / "site"
    assert (
        run_cli("init", str(site), "--content-owner", "team", cwd=base, home=home).returncode == 0
    )
    common = ("--defaults", "--dest", str(site), "--contributor", "Ada Lovelace")
    for command, topic, section, *extra in (
        ("new-guide", "Caching Strategies", "system-design"),
        ("new-tutorial", "Rate Limiter", "coding", "--skill", "rate limiting"),
    ):
        made = run_cli(
            command,
            *common,
            *extra,
            "--topic",
            topic,
            "--section",
            section,
            "--tag",
            "aws",
            "--tag",
            "coding",
            "--objective",
            "Explain it",
            "--prerequisite",
            "fundamentals/index.md",
            cwd=base,
            home=home,
        )
        assert made.returncode == 0, made.stderr
    return site


def mkdocs_build(site: Path, home: Path) -> str:
    """Build the site strictly; MkDocs' warnings (its log) are returned."""
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(site / "mkdocs.yml")],
        capture_output=True,
        text=True,
        env=isolated_env(home, NO_MKDOCS_2_WARNING="1"),
        cwd=site,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return "\n".join(line for line in result.stderr.splitlines() if "WARNING" in line)


# A bold label ending in a colon, as Python-Markdown renders `**When to Use**:`.
LABEL = re.compile(r"<strong>[^<]*(?:</strong>:|:</strong>)")


def joined_labels(html: str) -> list[str]:
    """The paragraphs of a built page that hold two `**Label**:` labels or more (GW602)."""
    return [
        paragraph[:80] for paragraph in PARAGRAPH.findall(html) if len(LABEL.findall(paragraph)) > 1
    ]


def swallowed_lists(html: str) -> list[str]:
    """The paragraphs of a built page that hold a line reading as a list item."""
    return [
        paragraph[:80]
        for paragraph in PARAGRAPH.findall(html)
        if LIST_LINE.search(TAG.sub("", paragraph))
    ]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site and MkDocs' build of it, once a run (built_once.py): the tests read it."""

    def build(base: Path) -> None:
        mkdocs_build(make_site(base), base / "home")

    return built_once(tmp_path_factory, "list-render-site", build) / "site"


@pytest.mark.differential
@pytest.mark.parametrize("content_type", ["guide", "tutorial"])
def test_no_paragraph_of_the_built_page_holds_a_list_line(built: Path, content_type: str) -> None:
    html = (built / "site" / PAGES[content_type] / "index.html").read_text("utf-8")
    assert PARAGRAPH.search(html)  # the page has paragraphs: the pattern reads it
    assert swallowed_lists(html) == []


@pytest.mark.differential
@pytest.mark.parametrize("content_type", ["guide", "tutorial"])
def test_no_paragraph_of_the_built_page_holds_two_labels(built: Path, content_type: str) -> None:
    """Issue 28: each `**Label**:` line of the templates renders on a line of its own."""
    html = (built / "site" / PAGES[content_type] / "index.html").read_text("utf-8")
    labelled = [p for p in PARAGRAPH.findall(html) if LABEL.search(p)]
    assert len(labelled) > 10  # the pattern reads the page's labels
    assert joined_labels(html) == []


@pytest.mark.parametrize("content_type", ["guide", "tutorial"])
def test_every_task_list_line_is_a_checkbox(built: Path, content_type: str) -> None:
    source = (built / "docs" / f"{PAGES[content_type]}.md").read_text("utf-8")
    prose = re.sub(r"^```.*?^```", "", source, flags=re.DOTALL | re.MULTILINE)
    tasks = len(re.findall(r"^[ \t]*- \[ \] ", prose, re.MULTILINE))
    html = (built / "site" / PAGES[content_type] / "index.html").read_text("utf-8")
    assert tasks > 10
    assert html.count('class="task-list-item"') == tasks


@pytest.mark.differential
def test_the_guides_interview_questions_nest_their_points(built: Path) -> None:
    html = (built / "site" / PAGES["guide"] / "index.html").read_text("utf-8")
    question = html.index("How would you [specific scenario]?")
    assert re.match(r"</strong></p>\s*<ul>\s*<li><strong>Approach", html[question + 35 :])


def test_update_brings_a_page_of_the_old_template_along(tmp_path: Path) -> None:
    """A guide made before the fix (a list right after its paragraph, points nested with 3
    spaces) is fixed by `update` to the new template, the author's own lines kept."""
    home = tmp_path / "home"
    repo = tmp_path / "template-repo"
    shutil.copytree(REPO / "template", repo / "template")
    shutil.copy(REPO / "copier.yml", repo / "copier.yml")
    partial = repo / "template/_partials/guide.md.jinja"
    fixed = partial.read_text("utf-8")
    old = fixed.replace("ensure you have:\n\n", "ensure you have:\n").replace(
        "\n    - **Approach**", "\n   - **Approach**"
    )
    assert old != fixed
    partial.write_text(old, "utf-8")
    commit_all(repo, home, "v1", init=True)
    git(repo, home, "tag", "v1")
    site = tmp_path / "site"
    assert (
        run_cli(
            "init",
            str(site),
            "--content-owner",
            "team",
            "--template",
            str(repo),
            cwd=tmp_path,
            home=home,
        ).returncode
        == 0
    )
    made = run_cli(
        "new-guide",
        "--defaults",
        "--dest",
        str(site),
        "--topic",
        "Old Guide",
        "--section",
        "fundamentals",
        "--tag",
        "aws",
        "--tag",
        "coding",
        "--objective",
        "Explain it",
        cwd=tmp_path,
        home=home,
    )
    assert made.returncode == 0, made.stderr
    page = site / "docs/fundamentals/old-guide.md"
    page.write_text(page.read_text("utf-8") + "\nMy own closing words.\n", "utf-8")
    commit_all(site, home, "v1 page", init=True)
    before = run_cli("check", "--format", "json", "--dest", str(site), cwd=site, home=home)
    assert [p["line"] for p in json.loads(before.stdout)["problems"] if p["code"] == "GW601"]
    partial.write_text(fixed, "utf-8")
    commit_all(repo, home, "v2: lists render in MkDocs")
    git(repo, home, "tag", "v2")
    updated = run_cli("update", "--defaults", "--dest", str(site), cwd=site, home=home)
    assert updated.returncode == 0, updated.stdout + updated.stderr
    text = page.read_text("utf-8")
    assert "ensure you have:\n\n- [ ]" in text and "\n    - **Approach**" in text
    assert text.endswith("\nMy own closing words.\n")
    after = run_cli("check", "--format", "json", "--dest", str(site), cwd=site, home=home)
    assert [p for p in json.loads(after.stdout)["problems"] if p["code"] == "GW601"] == []
