"""update: the page's frontmatter is the answer (issue 14, cases 1 and 4), end to end.

Each test runs the installed command in a fresh site made from a clone of the template,
as an author and a template maintainer would; no line of src/ changes between versions.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from support import commit_all, git, make_template_repo, run_cli, snapshot

from guidewright.markdown import frontmatter

GUIDE = "docs/system-design/caching.md"
ANSWERS = ".guidewright/answers/system-design/caching.yml"
HEADING = ("## 📚 Prerequisites and Preparation", "## 📚 Before You Start")
TAGS_COMMENT = ("# 2-6 relevant tags", "# 2 to 6 tags, lowercase")


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Once a module: the template as a repository at v1 (and a copy of it at v1), a site
    with one guide made from it by `init` and `new-guide`, committed, and the version cache
    as those runs left it. Making them took most of each test's time (Copier clones the
    repository to render the guide); each test takes copies."""
    root = tmp_path_factory.mktemp("update-answers")
    home = root / "home"
    cache = root / "cache"  # guidewright's own for these runs: the tests take copies
    cache.mkdir()
    repo = make_template_repo(root, home)
    shutil.copytree(repo, root / "template-v1", symlinks=True)
    site = root / "site"
    init = ("init", str(site), "--content-owner", "team", "--template", str(repo))
    env = {"GUIDEWRIGHT_CACHE_DIR": str(cache)}
    assert run_cli(*init, cwd=root, home=home, env=env).returncode == 0
    result = run_cli(
        "new-guide",
        "--defaults",
        "--dest",
        str(site),
        "--topic",
        "Caching",
        "--slug",
        "caching",
        "--section",
        "system-design",
        "--tag",
        "caching",
        "--tag",
        "aws",
        "--objective",
        "Explain caching",
        "--last-updated",
        "2026-11-01",
        cwd=root,
        home=home,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    commit_all(site, home, "documents", init=True)
    return root


@pytest.fixture
def fresh(made: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path, Path]:
    """A site with one guide at v1, committed; the clone of the template it points at.

    The site is a copy of the one made once; the template repository is the one it
    records, put back to v1 (the tests release versions into it), and the version cache
    a copy of the one its making left, so that no version a test released is remembered
    by the next: each test starts from what making the site anew left."""
    repo = made / "template-repo"
    shutil.rmtree(repo)
    shutil.copytree(made / "template-v1", repo, symlinks=True)
    cache = shutil.copytree(made / "cache", tmp_path / "cache", symlinks=True)
    monkeypatch.setenv("GUIDEWRIGHT_CACHE_DIR", str(cache))
    site = shutil.copytree(made / "site", tmp_path / "site", symlinks=True)
    return site, repo, tmp_path / "home"


def edit(site: Path, home: Path, *replacements: tuple[str, str]) -> None:
    path = site / GUIDE
    text = path.read_text("utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text, "utf-8")
    git(site, home, "commit", "-q", "-am", "author edits")


def release(repo: Path, home: Path, tag: str, *replacements: tuple[str, str]) -> None:
    partial = repo / "template/_partials/guide.md.jinja"
    text = partial.read_text("utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    partial.write_text(text, "utf-8")
    git(repo, home, "commit", "-q", "-am", tag)
    git(repo, home, "tag", tag)


def update(site: Path, home: Path, *extra: str) -> tuple[int, str]:
    result = run_cli("update", "--defaults", *extra, cwd=site, home=home)
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, " ".join((result.stdout + result.stderr).split())


def answers(site: Path) -> dict[str, object]:
    loaded = yaml.safe_load((site / ANSWERS).read_text("utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def page(site: Path) -> tuple[str, frontmatter.Frontmatter]:
    text = (site / GUIDE).read_text("utf-8")
    parsed = frontmatter.parse(text)
    assert parsed is not None
    return text, parsed


def test_an_edited_frontmatter_value_becomes_the_answer(fresh: tuple[Path, Path, Path]) -> None:
    """Case 1: the answers file and the derived body text follow the author's edit."""
    site, repo, home = fresh
    edit(
        site,
        home,
        ('difficulty: "intermediate"', 'difficulty: "expert"'),
        ('status: "draft"', 'status: "published"'),
    )
    release(repo, home, "v2", HEADING)
    status, output = update(site, home)
    assert status == 0, output
    assert "answers from the frontmatter: difficulty, status" in output
    recorded = answers(site)
    assert (recorded["difficulty"], recorded["status"], recorded["_commit"]) == (
        "expert",
        "published",
        "v2",
    )
    text, parsed = page(site)
    assert "**Skill Level**: Expert (suitable for engineers with 10+ years experience)" in text
    assert "Intermediate" not in text and HEADING[1] in text
    assert parsed.data["difficulty"] == "expert" and parsed.data["status"] == "published"
    git(site, home, "commit", "-q", "-am", "updated")
    again = run_cli("update", "--defaults", cwd=site, home=home)
    assert again.returncode == 0 and "already current" in again.stdout, again.stdout


def check(site: Path, home: Path) -> tuple[int, list[dict[str, object]]]:
    result = run_cli("check", "--format", "json", cwd=site, home=home)
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, json.loads(result.stdout)["problems"]


def test_check_says_where_the_page_and_its_answers_disagree_until_update(
    fresh: tuple[Path, Path, Path],
) -> None:
    """Case 1's silence: `check` reads the full recorded answers and names each key whose
    frontmatter value has not been rendered yet (GW504), then is quiet once updated."""
    site, repo, home = fresh
    edit(
        site,
        home,
        ('difficulty: "intermediate"', 'difficulty: "expert"'),
        ('status: "draft"', 'status: "review_needed"'),
    )
    lines = page(site)[1].key_lines
    status, problems = check(site, home)
    drift = [(p["field"], p["line"], p["severity"]) for p in problems if p["code"] == "GW504"]
    assert status == 0, problems
    assert sorted(drift) == [
        ("difficulty", lines["difficulty"], "warning"),
        ("status", lines["status"], "warning"),
    ]
    message = next(p["message"] for p in problems if p["field"] == "difficulty")
    assert '"expert"' in str(message) and '"intermediate"' in str(message)
    assert "guidewright update" in str(message)
    release(repo, home, "v2", HEADING)
    assert update(site, home)[0] == 0
    assert not [p for p in check(site, home)[1] if p["code"] in {"GW504", "GW505"}]


def test_same_version_answers_changed_is_shown_then_written(
    fresh: tuple[Path, Path, Path],
) -> None:
    site, _, home = fresh
    edit(site, home, ('difficulty: "intermediate"', 'difficulty: "beginner"'))
    before = snapshot(site)
    status, output = update(site, home, "--pretend")
    assert status == 0 and "answers changed" in output, output
    assert "+difficulty: beginner" in output and "+- **Skill Level**: Beginner" in output
    assert snapshot(site) == before
    status, output = update(site, home)
    assert status == 0 and "answers changed" in output and "1 answer changed," in output
    assert answers(site)["difficulty"] == "beginner" and answers(site)["_commit"] == "v1"
    assert "Skill Level**: Beginner (suitable for engineers with 2+" in page(site)[0]


def test_a_release_that_leaves_the_page_as_it_is_is_a_version_recorded(
    fresh: tuple[Path, Path, Path],
) -> None:
    """Only the answers file moves to the new version: the report says so, not "updated"."""
    site, repo, home = fresh
    tutorial = repo / "template/_partials/tutorial.md.jinja"  # a change no guide renders
    tutorial.write_text(tutorial.read_text("utf-8").replace("## 🚀 Getting Started", "## Start"))
    git(repo, home, "commit", "-q", "-am", "v2")
    git(repo, home, "tag", "v2")
    before = (site / GUIDE).read_bytes()
    status, output = update(site, home)
    assert status == 0, output
    assert "version recorded" in output and "0 updated, 1 version recorded" in output, output
    assert (site / GUIDE).read_bytes() == before and answers(site)["_commit"] == "v2"


def test_pretend_names_what_the_real_run_will_refuse(fresh: tuple[Path, Path, Path]) -> None:
    site, repo, home = fresh
    release(repo, home, "v2", HEADING)
    (site / GUIDE).write_text((site / GUIDE).read_text("utf-8") + "\nMy note.\n", "utf-8")
    before = snapshot(site)
    status, output = update(site, home, "--pretend")
    assert status == 0 and "(pretend: nothing written)" in output, output
    assert (
        "pretend: the real run will refuse: uncommitted changes in docs/system-design/caching.md: "
        "commit or stash them before running update"
    ) in output
    assert snapshot(site) == before
    assert update(site, home)[0] == 2  # as said


def test_a_refused_value_fails_that_page_naming_key_and_line(
    fresh: tuple[Path, Path, Path],
) -> None:
    """`version: 1.10` unquoted is the number 1.1: refused, never rewritten to "1.1"."""
    site, repo, home = fresh
    edit(site, home, ('version: "1.0"', "version: 1.10"))
    release(repo, home, "v2", HEADING)
    before = snapshot(site)
    status, output = update(site, home)
    assert status == 1
    line = page(site)[1].key_lines["version"]
    assert f"version (line {line}): must be text" in output, output
    assert snapshot(site) == before


def test_a_changed_content_type_fails_the_page(fresh: tuple[Path, Path, Path]) -> None:
    site, repo, home = fresh
    edit(site, home, ('content_type: "guide"', 'content_type: "tutorial"'))
    release(repo, home, "v2", HEADING)
    before = snapshot(site)
    status, output = update(site, home)
    assert status == 1 and "changing a page's type is not an update" in output, output
    assert snapshot(site) == before
    status, problems = check(site, home)
    changed = [p for p in problems if p["code"] == "GW505"]
    assert status == 1 and len(changed) == 1, problems
    assert changed[0]["field"] == "content_type" and changed[0]["severity"] == "error"


def test_deleted_key_and_broken_frontmatter_keep_the_recorded_answer(
    fresh: tuple[Path, Path, Path],
) -> None:
    site, repo, home = fresh
    edit(site, home, ('status: "draft"  # draft|published|review_needed|archived\n', ""))
    release(repo, home, "v2", HEADING)
    status, output = update(site, home)
    assert status == 0, output
    assert "keys not in the frontmatter keep their recorded answers: status" in output
    assert answers(site)["status"] == "draft" and "status:" not in page(site)[0].split("---")[1]
    edit(site, home, ('difficulty: "intermediate"', 'difficulty: ["unclosed'))
    release(repo, home, "v3", ("## 🎯 What You'll Master", "## 🎯 What You Will Master"))
    status, output = update(site, home)
    assert status == 0, output
    text = (site / GUIDE).read_text("utf-8")
    line = text[: text.index("difficulty:")].count("\n") + 1  # where the list opens, as check
    said = f"frontmatter unreadable (line {line}, column 13: invalid YAML: while parsing a flow"
    assert said in output and "the recorded answers stay" in output, output
    assert answers(site)["difficulty"] == "intermediate" and answers(site)["_commit"] == "v3"
    assert 'difficulty: ["unclosed' in (site / GUIDE).read_text("utf-8")


def test_invalid_utf8_and_nul_in_the_body_still_update(fresh: tuple[Path, Path, Path]) -> None:
    site, repo, home = fresh
    path = site / GUIDE
    content = path.read_bytes().replace(b'difficulty: "intermediate"', b'difficulty: "expert"')
    path.write_bytes(content + b"caf\xe9 \0 half\rline\n")
    git(site, home, "commit", "-q", "-am", "odd bytes")
    release(repo, home, "v2", HEADING)
    status, output = update(site, home)
    assert status == 0, output
    after = path.read_bytes()
    assert after.endswith(b"caf\xe9 \0 half\rline\n") and HEADING[1].encode() in after
    assert answers(site)["difficulty"] == "expert"


def test_a_template_touch_on_an_edited_line_leaves_no_marker_in_the_yaml(
    fresh: tuple[Path, Path, Path],
) -> None:
    """Case 4: the template rewords the tags comment; the author added a tag."""
    site, repo, home = fresh
    edit(site, home, ('tags: ["caching", "aws"]', 'tags: ["caching", "aws", "databases"]'))
    release(repo, home, "v2", TAGS_COMMENT)
    status, output = update(site, home)
    assert status == 0, output
    text, parsed = page(site)
    assert "<<<<<<<" not in text and ">>>>>>>" not in text
    assert 'tags: ["caching", "aws", "databases"]  # 2 to 6 tags, lowercase\n' in text
    assert parsed.data["tags"] == ["caching", "aws", "databases"]
    assert answers(site)["tags"] == ["caching", "aws", "databases"]
    check = run_cli("check", cwd=site, home=home)
    assert "GW002" not in check.stdout, check.stdout


def test_the_authors_comment_keys_and_block_lists_survive_the_settlement(
    fresh: tuple[Path, Path, Path],
) -> None:
    """The author changed the comment, added a comment line and a key of their own, and
    an objective inside the block list the template also touches; the hunk also crosses
    the closing `---`, where the body's part conflicts too."""
    site, repo, home = fresh
    edit(
        site,
        home,
        (
            'tags: ["caching", "aws"]  # 2-6 relevant tags',
            "# my own note about tags\ntags: [caching, aws, redis]  # keep these few",
        ),
        ('  - "Explain caching"\n', '  - "Explain caching"\n  - "Pick an eviction policy"\n'),
        (
            'interview_focus: "technical"  # technical|behavioral|leadership|mixed\n',
            'interview_focus: "mixed"  # technical|behavioral|leadership|mixed\nreviewer: "Grace"\n',
        ),
        ("---\n\n# Caching", "---\n\n# Caching, my way"),
    )
    release(
        repo,
        home,
        "v2",
        TAGS_COMMENT,
        ("learning_objectives:\n", "learning_objectives:  # what the reader can do\n"),
        (
            "# technical|behavioral|leadership|mixed\n---\n\n# {{ title }}",
            "# technical|behavioral|leadership|mixed (pick one)\n---\n\n# {{ title }}!",
        ),
    )
    status, output = update(site, home)
    assert status == 1 and "conflicted" in output, output  # the heading, in the body
    text = (site / GUIDE).read_text("utf-8")
    closing = text.index("\n---\n", 4)
    assert "<<<<<<<" not in text[:closing] and "<<<<<<< before updating" in text[closing:]
    parsed = frontmatter.parse(text)
    assert parsed is not None
    assert parsed.data["tags"] == ["caching", "aws", "redis"]
    assert parsed.data["learning_objectives"] == ["Explain caching", "Pick an eviction policy"]
    assert (parsed.data["interview_focus"], parsed.data["reviewer"]) == ("mixed", "Grace")
    assert "# my own note about tags\ntags: [caching, aws, redis]  # keep these few\n" in text
    assert "learning_objectives:  # what the reader can do\n" in text
    assert 'interview_focus: "mixed"  # technical|behavioral|leadership|mixed (pick one)' in text
    assert "# Caching, my way Complete" in text[closing:] and "Interviews!\n" in text[closing:]
    recorded = answers(site)
    assert recorded["tags"] == ["caching", "aws", "redis"] and "reviewer" not in recorded
