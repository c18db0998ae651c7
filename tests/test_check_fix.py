"""`guidewright check --fix` on a real site, end to end: the seeds' pages (written before
the templates were fixed) come out rendering every list as a list in MkDocs, with no other
change to them or to the built site, as `update` writes (git clean, lock, atomic)."""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from list_oracle import documents, init_site_extensions
from support import commit_all, folder_for_the_process, isolated_env, run_cli, seed_text
from test_list_fix import words
from test_list_render import joined_labels, swallowed_lists

from guidewright.check.fix import INTERFERING, MAX_PASSES, fix_text
from guidewright.markdown.markdown_profile import MarkdownProfile
from guidewright.markdown.site_markdown import site_markdown
from guidewright.rules.labels import label_problems
from guidewright.rules.list_rules import list_problems
from guidewright.rules.problems import WARNING
from guidewright.rules.registry import REGISTRY
from guidewright.rules.rule import Fix, FixedText, Rule
from guidewright.site.site import load_site

PAGES = {"guide": "docs/system-design/seed-guide.md", "tutorial": "docs/coding/seed-tutorial.md"}


def build(site: Path, home: Path, into: Path) -> tuple[list[str], dict[str, str]]:
    """MkDocs' warnings, and each built page's HTML by its path."""
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(site / "mkdocs.yml"), "-d", str(into)],
        capture_output=True,
        text=True,
        env=isolated_env(home, NO_MKDOCS_2_WARNING="1"),
        cwd=site,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    warnings = sorted(line for line in result.stderr.splitlines() if "WARNING" in line)
    return warnings, {
        p.relative_to(into).as_posix(): p.read_text("utf-8") for p in into.rglob("*.html")
    }


@pytest.fixture
def seeded(tmp_path: Path) -> tuple[Path, Path]:
    home, site = tmp_path / "home", tmp_path / "site"
    assert run_cli("init", str(site), cwd=tmp_path, home=home).returncode == 0
    for content_type, relpath in PAGES.items():
        (site / relpath).write_text(seed_text(content_type), "utf-8")
    (site / "docs/notes.md").write_bytes(b"Notes:\r\n- one\r\n  - two\r\n")  # no frontmatter, CRLF
    commit_all(site, home, "seed pages")
    return site, home


@pytest.mark.differential
def test_fix_makes_every_list_render_and_changes_nothing_else(
    seeded: tuple[Path, Path], tmp_path: Path
) -> None:
    site, home = seeded
    before = {
        relpath: (site / relpath).read_bytes() for relpath in [*PAGES.values(), "docs/notes.md"]
    }
    warnings_before, html_before = build(site, home, tmp_path / "before")
    assert swallowed_lists(html_before["system-design/seed-guide/index.html"])
    assert joined_labels(html_before["system-design/seed-guide/index.html"])

    pretend = run_cli("check", "--fix", "--pretend", cwd=site, home=home)
    assert "+\n - [ ] Completed [prerequisite topic 1](../fundamentals/index.md)" in pretend.stdout
    assert "would fix" in pretend.stdout
    assert {r: (site / r).read_bytes() for r in before} == before  # nothing written

    found = run_cli("check", "--format", "json", cwd=site, home=home)
    lists = [p for p in json.loads(found.stdout)["problems"] if p["code"] == "GW601"]
    assert {p["path"] for p in lists} == {*PAGES.values(), "docs/notes.md"}
    labels = [p for p in json.loads(found.stdout)["problems"] if p["code"] == "GW602"]
    assert {p["path"] for p in labels} == {PAGES["guide"]} and len(labels) == 14
    fixed = run_cli("check", "--fix", cwd=site, home=home)
    count = int(re.search(r"fixed (\d+) lists in 3 pages \(GW601\)", fixed.stdout).group(1))  # type: ignore[union-attr]
    assert count >= len(lists)  # and the nested lists found once their parents render
    assert "GW601" not in fixed.stdout.replace("(GW601)", "")
    assert "fixed 14 label lines in 1 page (GW602)" in fixed.stdout
    assert "GW602" not in fixed.stdout.replace("(GW602)", "")
    for relpath, old in before.items():
        new = (site / relpath).read_bytes()
        assert new != old
        assert words(new.decode("utf-8")) == words(old.decode("utf-8"))  # blank lines, indentation
    assert (site / "docs/notes.md").read_bytes() == b"Notes:\r\n\r\n- one\r\n    - two\r\n"
    assert not (site / ".guidewright/update.lock").exists()

    warnings_after, html_after = build(site, home, tmp_path / "after")
    assert warnings_after == warnings_before
    assert set(html_after) == set(html_before)
    for page, html in html_after.items():
        assert swallowed_lists(html) == [], page
        assert joined_labels(html) == [], page

    again = run_cli("check", "--fix", cwd=site, home=home)
    assert "fixed 0 lists in 0 pages" in again.stdout


def test_fix_refuses_uncommitted_pages_and_writes_nothing(seeded: tuple[Path, Path]) -> None:
    site, home = seeded
    page = site / PAGES["guide"]
    page.write_text(page.read_text("utf-8") + "\nMore:\n- item\n", "utf-8")
    edited = page.read_bytes()
    result = run_cli("check", "--fix", cwd=site, home=home)
    assert result.returncode == 2
    assert "uncommitted changes in docs/system-design/seed-guide.md" in result.stderr
    assert "Traceback" not in result.stderr
    assert page.read_bytes() == edited
    assert run_cli("check", "--pretend", cwd=site, home=home).returncode == 2


# GW602's blank line between the two label lines of w1 starts a paragraph that the list
# below (nested in w1) then follows without a blank line: GW601's, after GW601 had said
# nothing was left. `check --fix` once reported "fixed 0 lists" and nothing left, and the
# next `check` found the list.
LABELS_THEN_A_LIST = '- w1\n    **C**: z\n    **C**: z\n=== "Tab"\n    - w98\n'


def test_what_fix_says_is_left_is_what_check_then_finds(tmp_path: Path) -> None:
    home, site = tmp_path / "home", tmp_path / "site"
    assert run_cli("init", str(site), cwd=tmp_path, home=home).returncode == 0
    (site / "docs/notes.md").write_text(LABELS_THEN_A_LIST, "utf-8")
    commit_all(site, home, "a page")
    fixed = run_cli("check", "--fix", cwd=site, home=home)
    assert "fixed 1 list in 1 page (GW601)\n" in fixed.stdout
    assert "fixed 1 label line in 1 page (GW602)\n" in fixed.stdout
    assert "GW60" not in fixed.stdout.replace("(GW60", "")
    fresh = run_cli("check", cwd=site, home=home)
    assert "GW60" not in fresh.stdout
    assert (site / "docs/notes.md").read_text("utf-8") == (
        '- w1\n    **C**: z\n\n    **C**: z\n=== "Tab"\n\n    - w98\n'
    )


@cache
def init_markdown() -> MarkdownProfile:
    """The Markdown of the site `init` writes."""
    site = folder_for_the_process("gw-fix-")
    init_site_extensions(site)
    return load_site(site).profile.markdown


LABEL_LINES = st.sampled_from(["**A**: x", "    **B**: y", "**C:** z", "    **D:** w"])


@st.composite
def pages_with_labels(draw: st.DrawFn) -> str:
    """The list oracle's documents, label lines among their lines."""
    lines = draw(documents())[0].split("\n")
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(lines)))
        lines[at:at] = [draw(LABEL_LINES), draw(LABEL_LINES)]
    return "\n".join(lines)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
@given(pages_with_labels())
def test_the_findings_fix_leaves_are_those_check_finds(text: str) -> None:
    markdown = init_markdown()
    after, _, left = fix_text(text, REGISTRY.fixable, markdown)
    found = list_problems("p", after, 1, site_markdown(markdown)) + label_problems("p", after, 1)
    assert sum(left.values()) == len(found)
    assert fix_text(after, REGISTRY.fixable, markdown)[0] == after


def test_fixes_undoing_each_other_leave_what_they_would_fix(tmp_path: Path) -> None:
    """Two fixes that undo each other (none of guidewright's do) stop after `MAX_PASSES`,
    what each would still fix counted as left."""

    def swap(old: str, new: str) -> Fix:
        def apply(text: str, markdown: MarkdownProfile) -> FixedText:
            return FixedText(text.replace(old, new), text.count(old), 0)

        return Fix(apply, unit="word", title=f"{old} to {new}")

    rules = tuple(
        Rule(code, name, WARNING, "s", "w", "e", "f", fix=fix)
        for code, name, fix in [
            ("GW998", "to-b", swap("a", "b")),
            ("GW999", "to-a", swap("b", "a")),
        ]
    )
    text, fixed, left = fix_text("a a", rules, MarkdownProfile())
    assert text == "a a"
    assert fixed == (2 * MAX_PASSES, 2 * MAX_PASSES)
    assert left == {INTERFERING: 2}


def unsettled(rule: Rule) -> Rule:
    """`rule` with a fix that never says its text is settled: every pass asked again."""
    fix = rule.fix
    assert fix is not None

    def apply(text: str, markdown: MarkdownProfile) -> FixedText:
        return dataclasses.replace(fix.apply(text, markdown), settled=False)

    return dataclasses.replace(rule, fix=dataclasses.replace(fix, apply=apply))


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
@given(pages_with_labels())
def test_a_pass_skipped_for_settled_fixes_changes_nothing_it_would_say(text: str) -> None:
    markdown = init_markdown()
    asked_again = tuple(unsettled(rule) for rule in REGISTRY.fixable)
    assert fix_text(text, REGISTRY.fixable, markdown) == fix_text(text, asked_again, markdown)


def test_a_settled_fix_is_not_asked_again() -> None:
    """A pass whose fixes all judged the text as written, or made it and say it is
    settled, is the last: no second pass to find that nothing changes."""
    asked: list[str] = []

    def fix(settled: bool) -> Fix:
        def apply(text: str, markdown: MarkdownProfile) -> FixedText:
            asked.append(text)
            return FixedText(text.replace("a", "b"), text.count("a"), 0, (), settled)

        return Fix(apply, unit="word", title="a to b")

    for settled, times in [(True, 1), (False, 2)]:
        asked.clear()
        rule = Rule("GW998", "to-b", WARNING, "s", "w", "e", "f", fix=fix(settled))
        assert fix_text("a a", (rule,), MarkdownProfile()) == ("b b", (2,), Counter())
        assert len(asked) == times
