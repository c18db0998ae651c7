"""A template release that stops writing a frontmatter key (a question whose `when` stops
applying; a partial that stops writing a key whose question stays): the author's changed
line is kept as a key of the author's own and the report names it; an unchanged one goes,
as Copier removes it. `template check` warns of such a release."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import commit_all, git, make_template_repo, run_cli

GUIDE = "docs/system-design/{slug}.md"
# The author's own lines, each changed from what v1 wrote: a value and a comment.
GUIDE_TYPE = 'guide_type: "deep_dive"  # chosen after the first draft'
DEPTH = 'technical_depth: "platform"  # we run it across teams'


def release_v2(repo: Path, home: Path, drop_depth: bool = True) -> None:
    """guide_type applies to published guides only now (a draft's page no longer has it);
    with `drop_depth`, technical_depth is no longer written, though its question stays
    (which `template check` calls an error: each page would lack it)."""
    config = repo / "copier.yml"
    text = config.read_text("utf-8")
    guide_type = "  default: preparation\n  when: '{{ content_type == \"guide\" }}'\n"
    assert guide_type in text
    published = guide_type.replace('"guide" }}', '"guide" and status == "published" }}')
    config.write_text(text.replace(guide_type, published, 1), "utf-8")
    partial = repo / "template/_partials/guide.md.jinja"
    text = partial.read_text("utf-8")
    line = "guide_type: {{ links.yaml_value(guide_type) }}  # getting_started|preparation|deep_dive|advanced\n"
    depth = "technical_depth: {{ links.yaml_value(technical_depth) }}  # component|platform|organization\n"
    assert line in text and depth in text
    text = text.replace(line, '{% if status == "published" %}' + line + "{% endif %}", 1)
    partial.write_text(text.replace(depth, "", 1) if drop_depth else text, "utf-8")
    git(repo, home, "commit", "-q", "-am", "v2: guide_type for published guides only")
    git(repo, home, "tag", "v2")


@pytest.fixture
def template_at_v1(tmp_path: Path) -> tuple[Path, Path]:
    """(template repository with its release v1, home)."""
    home = tmp_path / "home"
    return make_template_repo(tmp_path, home), home


@pytest.fixture
def site_at_v1(tmp_path: Path, template_at_v1: tuple[Path, Path]) -> tuple[Path, Path, Path]:
    repo, home = template_at_v1
    site = tmp_path / "site"
    assert (
        run_cli("init", str(site), "--template", str(repo), cwd=tmp_path, home=home).returncode == 0
    )
    for slug in ("edited", "untouched"):
        made = run_cli(
            "new-guide",
            "--defaults",
            "--dest",
            str(site),
            "--topic",
            f"Caching {slug}",
            "--slug",
            slug,
            "--section",
            "system-design",
            "--tag",
            "aws",
            "--tag",
            "coding",
            "--objective",
            "Explain caching",
            "--content-owner",
            "team",
            cwd=tmp_path,
            home=home,
        )
        assert made.returncode == 0, made.stderr
    commit_all(site, home, "guides", init=True)
    page = site / GUIDE.format(slug="edited")
    text = page.read_text("utf-8")
    lines = text.splitlines(keepends=True)
    for index, found in enumerate(lines):
        if found.startswith("guide_type:"):
            lines[index] = GUIDE_TYPE + "\n"
        elif found.startswith("technical_depth:"):
            lines[index] = DEPTH + "\n"
    page.write_text("".join(lines), "utf-8")
    git(site, home, "commit", "-q", "-am", "the author's choices")
    return site, repo, home


def test_the_authors_line_of_a_key_the_release_stops_writing_stays_and_is_named(
    site_at_v1: tuple[Path, Path, Path],
) -> None:
    site, repo, home = site_at_v1
    release_v2(repo, home)
    done = run_cli("update", "--defaults", cwd=site, home=home)
    assert "Traceback" not in done.stderr, done.stderr
    edited = (site / GUIDE.format(slug="edited")).read_text("utf-8")
    assert GUIDE_TYPE + "\n" in edited and DEPTH + "\n" in edited
    head = edited.split("\n---\n", 1)[0]
    assert "<<<<<<<" not in head  # kept as the author's own keys, the YAML whole
    row = " ".join(next(line for line in done.stdout.splitlines() if "edited.md" in line).split())
    assert "kept guide_type as you wrote it: the new version no longer writes it" in row, row
    assert "kept technical_depth as you wrote it" in row, row
    untouched = (site / GUIDE.format(slug="untouched")).read_text("utf-8")
    assert "guide_type:" not in untouched and "technical_depth:" not in untouched
    assert "no longer writes" not in next(
        line for line in done.stdout.splitlines() if "untouched.md" in line
    )


def test_template_check_warns_of_a_release_that_stops_writing_keys(
    template_at_v1: tuple[Path, Path],
) -> None:
    repo, home = template_at_v1  # template check reads the template alone: no site made
    before = run_cli("template", "check", str(repo), cwd=repo, home=home)
    assert before.returncode == 0 and "warning" not in before.stdout, before.stdout
    release_v2(repo, home, drop_depth=False)
    # The folder is release v2, tagged: it is compared with the release before, v1; then
    # v2 untagged, a release being prepared: with the newest release, v1 again.
    for state in ("tagged", "being prepared"):
        if state == "being prepared":
            git(repo, home, "tag", "-d", "v2")
        done = run_cli("template", "check", str(repo), cwd=repo, home=home)
        assert done.returncode == 0, done.stdout + done.stderr
        warnings = [line for line in done.stdout.splitlines() if ": warning: " in line]
        assert [w.split(": warning: content type guide: ")[1].split(":")[0] for w in warnings] == [
            "guide_type"
        ], done.stdout
        assert "v1 writes it and this version does not, though its question stays" in warnings[0]
        assert done.stdout.rstrip().endswith("template ok")
