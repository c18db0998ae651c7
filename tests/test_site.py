"""init, check and schema on a real site, built with MkDocs Material."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from support import REPO, isolated_env, run_cli, snapshot

from guidewright.markdown import frontmatter
from guidewright.site.pages import content_index
from guidewright.template.json_schema import frontmatter_json_schema
from guidewright.template.questionnaire import load_questionnaire

GUIDE = "docs/system-design/caching-strategies.md"
TUTORIAL = "docs/coding/rate-limiter.md"


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site made with init and the wizards, documents pointing at each other."""
    base = tmp_path_factory.mktemp("real")
    home = base / "home"
    site = base / "site"
    assert (
        run_cli(
            "init", str(site), "--content-owner", "platform-team", cwd=base, home=home
        ).returncode
        == 0
    )
    common = ("--defaults", "--dest", str(site), "--contributor", "Ada Lovelace")
    guide = run_cli(
        "new-guide",
        *common,
        "--topic",
        "Caching Strategies",
        "--section",
        "system-design",
        "--tag",
        "system-design",
        "--tag",
        "aws",
        "--objective",
        "Explain cache invalidation",
        "--prerequisite",
        "fundamentals/index.md",
        "--related",
        "practice/index.md",
        cwd=base,
        home=home,
    )
    assert guide.returncode == 0, guide.stderr
    tutorial = run_cli(
        "new-tutorial",
        *common,
        "--topic",
        "Rate Limiter",
        "--section",
        "coding",
        "--tag",
        "hands-on",
        "--tag",
        "coding",
        "--objective",
        "Build a token bucket",
        "--skill",
        "rate limiting",
        "--prerequisite",
        "system-design/caching-strategies.md",
        "--related",
        "system-design/caching-strategies.md",
        "--related",
        "index.md",
        cwd=base,
        home=home,
    )
    assert tutorial.returncode == 0, tutorial.stderr
    return site


def test_init_creates_a_site_with_the_sections_the_seeds_link_to(built_site: Path) -> None:
    for section in (
        "fundamentals",
        "system-design",
        "coding",
        "behavioral",
        "practice",
        "experiences",
    ):
        assert (built_site / "docs" / section / "index.md").is_file()
    config = yaml.safe_load((built_site / ".guidewright/config.yml").read_text())
    assert config["content_owner"] == "platform-team"
    mkdocs = (built_site / "mkdocs.yml").read_text()
    for needed in (
        "admonition",
        "pymdownx.details",
        "pymdownx.superfences",
        "tables",
        "pymdownx.emoji",
        "- tags",
    ):
        assert needed in mkdocs


def built_copy(built_site: Path, tmp_path: Path, *builder: str) -> Path:
    """A copy of the site, built strictly by `builder` (default: MkDocs)."""
    site = tmp_path / "copy"
    shutil.copytree(built_site, site)
    env = isolated_env(tmp_path / "home", NO_MKDOCS_2_WARNING="1")
    command = list(builder) or [sys.executable, "-m", "mkdocs"]
    result = subprocess.run(
        [*command, "build", "--strict", "-f", str(site / "mkdocs.yml")],
        capture_output=True,
        text=True,
        env=env,
        cwd=site,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return site


@pytest.mark.differential
def test_mkdocs_build_strict_passes_and_renders_the_guide(built_site: Path, tmp_path: Path) -> None:
    site = built_copy(built_site, tmp_path)
    html = (site / "site/system-design/caching-strategies/index.html").read_text("utf-8")
    assert "Caching Strategies Complete Guide for Amazon L6/L7 Interviews" in html
    assert 'class="admonition success"' in html
    assert 'md-tag">aws' in html and 'md-tag">system-design' in html
    assert "Template Usage Instructions" in html  # kept for authors, as a comment ...
    visible = re.sub(r"<!--.*?-->", "", html, flags=re.DOTALL)
    assert "Template Usage Instructions" not in visible  # ... so it never publishes
    tutorial = (site / "site/coding/rate-limiter/index.html").read_text("utf-8")
    assert 'href="../../system-design/caching-strategies/"' in tutorial


def test_check_passes_on_a_fresh_site(built_site: Path, tmp_path: Path) -> None:
    # The home, section and tags pages init writes are not content (the site config's
    # `not_content`): never findings, with --strict neither.
    for strict in ((), ("--strict",)):
        result = run_cli("check", "--dest", str(built_site), *strict, cwd=built_site, home=tmp_path)
        assert result.returncode == 0, result.stdout
        assert result.stdout.strip().splitlines() == ["2 documents checked: 0 errors, 0 warnings"]


def test_generated_documents_validate_against_the_json_schema(
    built_site: Path, tmp_path: Path
) -> None:
    printed = run_cli("schema", cwd=tmp_path, home=tmp_path)
    assert printed.returncode == 0
    schema = json.loads(printed.stdout)
    assert schema == frontmatter_json_schema(load_questionnaire(REPO))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    for relpath in (GUIDE, TUTORIAL):
        parsed = frontmatter.parse((built_site / relpath).read_text("utf-8"))
        assert parsed is not None
        validator.validate(parsed.data)
    bad = frontmatter.parse((built_site / GUIDE).read_text("utf-8"))
    assert bad is not None
    for key, value in (("tags", "one"), ("audience", ["L9"]), ("difficulty", "hard")):
        assert not validator.is_valid({**bad.data, key: value}), key
    # A shared rule the template says in JSON Schema is enforced (tests/test_rule_schemas.py);
    # a rule across two fields is named in a comment, its value alone a date.
    assert schema["$defs"]["guide"]["properties"]["tags"]["maxItems"] == 6
    for key, value in (("tags", ["a", "b"] * 4), ("tags", ["Not A Slug", "b"]), ("summary", "")):
        assert not validator.is_valid({**bad.data, key: value}), key
    assert (
        "r.date(review_date, last_updated"
        in schema["$defs"]["guide"]["properties"]["review_date"]["$comment"]
    )
    assert not validator.is_valid({**bad.data, "tutorial_type": "hands_on"})
    assert not validator.is_valid({k: v for k, v in bad.data.items() if k != "summary"})


def test_init_refuses_an_existing_site(built_site: Path, tmp_path: Path) -> None:
    before = snapshot(built_site)
    result = run_cli("init", str(built_site), cwd=tmp_path, home=tmp_path)
    assert result.returncode == 2 and "already has a mkdocs.yml" in result.stderr
    assert snapshot(built_site) == before
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("mine")
    result = run_cli("init", str(busy), cwd=tmp_path, home=tmp_path)
    assert result.returncode == 2 and "is not empty" in result.stderr
    assert sorted(p.name for p in busy.iterdir()) == ["notes.txt"]


# ---- each kind of problem, seeded into a copy of a good document -------------------------


@pytest.fixture
def site_copy(built_site: Path, tmp_path: Path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    return site


def seed(site: Path, relpath: str, old: str, new: str) -> int:
    """Replace `old` by `new` in a document; the 1-based line where `new` starts."""
    path = site / relpath
    text = path.read_text("utf-8")
    assert old in text, old
    text = text.replace(old, new, 1)
    path.write_text(text, "utf-8")
    return text[: text.index(new)].count("\n") + 1 if new else 1


def check(site: Path, *args: str) -> tuple[int, list[str]]:
    """check's exit status and lines, without rule codes and columns (tested on their own)."""
    result = run_cli("check", "--dest", str(site), *args, cwd=site, home=site.parent / "home")
    assert "Traceback" not in result.stderr
    lines = result.stdout.strip().splitlines()
    return result.returncode, [
        re.sub(r"^([^:]+:\d+)(?::\d+)?: GW\d{3} ", r"\1: ", e) for e in lines
    ]


ERRORS = [
    (
        'difficulty: "intermediate"',
        'difficulty: "hard"',
        "difficulty: must be one of: beginner, intermediate, advanced, expert",
    ),
    (
        'tags: ["system-design", "aws"]',
        'tags: ["aws"]',
        "tags: must be 2 to 6 distinct lowercase tags",
    ),
    (
        'estimated_time: "45 min"',
        'estimated_time: "45 minutes"',
        "estimated_time: must be '<minutes> min'",
    ),
    ('version: "1.0"', 'version: "v1"', "version: must be numbers separated by dots"),
    (
        'guide_type: "preparation"',
        'guide_type: "preparation"\ntutorial_type: "hands_on"',
        "tutorial_type: not a question of a guide",
    ),
    (
        'prerequisites: ["fundamentals/index.md"]',
        'prerequisites: ["fundamentals/missing.md"]',
        "prerequisites: fundamentals/missing.md is not a document of the docs folder",
    ),
    ('audience: ["L6", "L7"]', "audience: []", "audience: must be a non-empty selection"),
    (
        "**Definition**: [Clear, concise definition]",
        "**Definition**: see [the notes](notes/missing.md#top)",
        "link: notes/missing.md#top does not exist",
    ),
    (
        'content_type: "guide"',
        'content_type: "recipe"',
        "content_type: must be one of: guide, tutorial",
    ),
]


@pytest.mark.parametrize(("old", "new", "message"), ERRORS)
def test_each_error_is_reported_at_its_line(
    site_copy: Path, old: str, new: str, message: str
) -> None:
    line = seed(site_copy, GUIDE, old, new)
    if new.startswith("guide_type"):
        line += 1
    code, lines = check(site_copy)
    assert code == 1
    assert any(entry.startswith(f"{GUIDE}:{line}: {message}") for entry in lines), lines


def test_review_date_must_follow_last_updated(site_copy: Path) -> None:
    document = (site_copy / GUIDE).read_text("utf-8")
    last = yaml.safe_load(frontmatter.split(document)[0])["last_updated"]  # type: ignore[index]
    line = seed(site_copy, GUIDE, "review_date: ", f'review_date: "{last}"\nold_review_date: ')
    code, lines = check(site_copy)
    assert code == 1
    assert (
        f"{GUIDE}:{line}: review_date: must be a date written YYYY-MM-DD, after last_updated"
        in lines
    )


def test_invalid_yaml_is_reported_with_its_line(site_copy: Path) -> None:
    line = seed(site_copy, GUIDE, 'status: "draft"', 'status: ["draft"')
    code, lines = check(site_copy)
    assert code == 1
    assert lines[0].startswith(f"{GUIDE}:{line}: frontmatter: invalid YAML: "), lines


def test_missing_key_is_reported(site_copy: Path) -> None:
    seed(site_copy, GUIDE, 'summary: "', 'summary_was: "')
    code, lines = check(site_copy)
    assert code == 1
    assert any(e.startswith(f"{GUIDE}:1: summary: missing") for e in lines), lines
    assert any(e.startswith(f"{GUIDE}:3: summary_was: warning: unknown key") for e in lines), lines


def test_published_document_with_placeholders_is_an_error(site_copy: Path) -> None:
    seed(site_copy, GUIDE, 'status: "draft"', 'status: "published"')
    text = (site_copy / GUIDE).read_text("utf-8")
    first = next(
        i for i, row in enumerate(text.split("\n"), 1) if "[Clear, concise definition]" in row
    )
    code, lines = check(site_copy)
    assert code == 1
    assert (
        f"{GUIDE}:{first}: placeholder: [Clear, concise definition] left in a published document"
        in lines
    )
    # links, checkboxes and the usage-instructions comment are not placeholders
    assert not any("[ ]" in e or "Fundamentals]" in e or "[placeholder]" in e for e in lines)


def test_warnings_and_strict(site_copy: Path) -> None:
    line = seed(site_copy, GUIDE, "review_date: ", 'review_date: "2001-01-01"\nwas_review_date: ')
    seed(site_copy, GUIDE, 'last_updated: "', 'last_updated: "2000-01-01"\nwas_last_updated: "')
    code, lines = check(site_copy)
    assert code == 0, lines
    assert (
        f"{GUIDE}:{line + 1}: review_date: warning: 2001-01-01 is in the past: time to review"
        in lines
    )
    code, _ = check(site_copy, "--strict")
    assert code == 1


def test_a_tag_nobody_else_uses_is_a_likely_typo(site_copy: Path) -> None:
    line = seed(site_copy, GUIDE, 'tags: ["system-design", "aws"]', 'tags: ["fundamentls", "awz"]')
    code, lines = check(site_copy)
    assert code == 0
    # The same rule and words as the wizard's and the command line's; `fundamentals` is
    # known from the site's tags alone (no page uses it).
    hint = "'fundamentls' is new to this site; did you mean 'fundamentals'?"
    rename = " (to rename it: guidewright tags rename fundamentls fundamentals)"  # issue 30
    assert f"{GUIDE}:{line}: tags: warning: {hint}{rename}" in lines
    assert (
        f"{GUIDE}:{line}: tags: warning: 'awz' is new to this site and no other document "
        "uses it (a typo? if not, add it to `tags` in .guidewright/config.yml)" in lines
    )
    assert not any("'system-design'" in entry for entry in lines)  # a tag the site knows


def test_answers_and_documents_must_match(site_copy: Path) -> None:
    (site_copy / ".guidewright/answers/coding/rate-limiter.yml").unlink()
    moved = site_copy / "docs/system-design/caching.md"
    (site_copy / GUIDE).rename(moved)
    (site_copy / TUTORIAL).write_text(
        (site_copy / TUTORIAL)
        .read_text()
        .replace("system-design/caching-strategies.md", "system-design/caching.md")
    )
    code, lines = check(site_copy)
    assert code == 0, lines
    assert (
        f"{TUTORIAL}:1: answers: warning: no recorded answers: `guidewright update` cannot update it"
        in lines
    )
    assert (
        ".guidewright/answers/system-design/caching-strategies.yml:1: answers: warning: "
        f"its document {GUIDE} is missing (moved or deleted?)"
    ) in lines


def test_json_output_and_given_paths(site_copy: Path) -> None:
    line = seed(site_copy, GUIDE, 'difficulty: "intermediate"', 'difficulty: "hard"')
    result = run_cli(
        "check", GUIDE, "--format", "json", cwd=site_copy, home=site_copy.parent / "home"
    )
    assert result.returncode == 1
    problems = json.loads(result.stdout)["problems"]
    assert {
        "path": GUIDE,
        "line": line,
        "field": "difficulty",
        "severity": "error",
        "code": "GW101",
    }.items() <= problems[0].items()


def test_check_usage_errors(site_copy: Path) -> None:
    result = run_cli("check", "nope.md", cwd=site_copy, home=site_copy.parent / "home")
    assert result.returncode == 2 and result.stderr.startswith(
        "error: PATHS: nope.md does not exist"
    )
    result = run_cli("check", "--format", "xml", cwd=site_copy, home=site_copy.parent / "home")
    assert result.returncode == 2


def test_checking_on_every_core_reports_the_same(
    site_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import datetime as dt

    from guidewright.check import site_check as check_module
    from guidewright.site.site import load_site

    seed(site_copy, GUIDE, 'difficulty: "intermediate"', 'difficulty: "hard"')
    seed(site_copy, TUTORIAL, "[Required knowledge/experience]", "[broken](nowhere.md)")
    results = []
    for threshold in (10**9, 0):
        monkeypatch.setattr(check_module, "PARALLEL_FROM_BYTES", threshold)
        results.append(check_module.check_site(load_site(site_copy), None, dt.date(2026, 11, 22)))
    assert results[0] == results[1]
    assert {p.field for p in results[0].problems} >= {"difficulty", "link"}


def test_init_gives_a_site_that_serves_with_git_and_material_status(
    built_site: Path, tmp_path: Path
) -> None:
    assert (built_site / ".git").is_dir()  # a new folder outside any repository
    assert "site/" in (built_site / ".gitignore").read_text().splitlines()
    config = yaml.load((built_site / "mkdocs.yml").read_text(), Loader=yaml.Loader)
    assert "navigation.indexes" in config["theme"]["features"]
    assert config["validation"]["anchors"] == "warn"
    assert set(config["extra"]["status"]) == {"draft", "review_needed", "published", "archived"}
    site = built_copy(built_site, tmp_path)
    html = (site / "site/system-design/caching-strategies/index.html").read_text("utf-8")
    assert '<meta name="description" content="Comprehensive step-by-step guide' in html
    assert 'class="md-status md-status--draft" title="Draft"' in html
    css = (site / "site/stylesheets/status.css").read_text()
    assert ".md-status--review_needed::after" in css


def test_init_inside_a_repository_or_with_no_git_creates_none(tmp_path: Path) -> None:
    home = tmp_path / "home"
    subprocess.run(["git", "init", "-q", str(tmp_path / "repo")], check=True)
    inside = run_cli("init", str(tmp_path / "repo" / "site"), cwd=tmp_path, home=home)
    assert inside.returncode == 0 and "git repository" not in inside.stdout
    assert not (tmp_path / "repo" / "site" / ".git").exists()
    skipped = run_cli("init", str(tmp_path / "plain"), "--no-git", cwd=tmp_path, home=home)
    assert skipped.returncode == 0 and not (tmp_path / "plain" / ".git").exists()
    made = run_cli("init", str(tmp_path / "new"), cwd=tmp_path, home=home)
    assert "(13 files, a new git repository)" in made.stdout


def test_init_commits_the_new_site_or_says_to(tmp_path: Path) -> None:
    """update and check --fix write only over committed pages: the site starts committed."""
    home = tmp_path / "home"
    made = run_cli("init", str(tmp_path / "new"), cwd=tmp_path, home=home)
    assert made.returncode == 0, made.stderr
    status = subprocess.run(
        ["git", "status", "--porcelain"],
        cwd=tmp_path / "new",
        capture_output=True,
        text=True,
        env=isolated_env(home),
        check=True,
    )
    assert status.stdout == ""  # every file committed
    assert "git add" not in made.stdout
    # A git that knows no author cannot commit: the next steps say to.
    nobody = tmp_path / "nobody"
    nobody.mkdir()
    (nobody / ".gitconfig").write_text("[user]\n\tuseConfigOnly = true\n")
    bare = run_cli("init", str(tmp_path / "uncommitted"), cwd=tmp_path, home=nobody)
    assert bare.returncode == 0, bare.stderr
    assert "(13 files, a new git repository)" in bare.stdout
    assert "  git -C uncommitted add --all && git -C uncommitted commit -m 'A new site'" in (
        bare.stdout.splitlines()
    )


@pytest.mark.differential
def test_the_site_builds_with_zensical_too(built_site: Path, tmp_path: Path) -> None:
    site = built_copy(built_site, tmp_path, str(Path(sys.executable).parent / "zensical"))
    html = (site / "site/system-design/caching-strategies/index.html").read_text("utf-8")
    assert "Caching Strategies Complete Guide for Amazon L6/L7 Interviews" in html
    assert '<meta name="description" content="Comprehensive step-by-step guide' in html
    assert 'md-status md-status--draft" title="Draft"' in html


def test_every_page_is_checked_with_rule_codes_columns_and_formats(site_copy: Path) -> None:
    (site_copy / "docs/notes.md").write_text(
        "# Notes\n\nSee [the plan](plan.md) and `[x](y.md)`.\n"
    )
    home = site_copy.parent / "home"
    docs = site_copy / "docs"
    text = run_cli("check", cwd=docs, home=home)  # paths relative to where one stands
    assert text.returncode == 1
    assert "notes.md:3:5: GW201 link: plan.md does not exist" in text.stdout.splitlines()
    assert "no frontmatter (GW003, links checked): notes.md" in text.stdout  # no index page
    assert text.stdout.strip().splitlines()[-1] == (
        "2 documents checked, 1 page without frontmatter: 1 error, 0 warnings"
    )
    github = run_cli("check", "--format", "github", cwd=site_copy, home=home)
    assert github.stdout.splitlines() == [
        "::error file=docs/notes.md,line=3,col=5,title=GW201::link: plan.md does not exist"
    ]
    assert run_cli("check", "--ignore", "gw201", cwd=site_copy, home=home).returncode == 0
    strict = run_cli("check", "--strict", "--ignore", "GW201", cwd=site_copy, home=home)
    assert strict.returncode == 1 and "docs/notes.md:1: GW003 frontmatter" in strict.stdout
    assert "index.md" not in strict.stdout
    unknown = run_cli("check", "--ignore", "GW999", cwd=site_copy, home=home)
    assert unknown.returncode == 2 and unknown.stderr.startswith("error: --ignore: no rule GW999")
    config = site_copy / ".guidewright/config.yml"
    config.write_text(config.read_text() + "check:\n  ignore: [GW201]\n")
    assert run_cli("check", cwd=site_copy, home=home).returncode == 0


def test_a_fresh_site_checks_clean_given_its_docs_folder(tmp_path: Path) -> None:
    home = tmp_path / "home"
    run_cli("init", str(tmp_path / "site"), "--no-git", cwd=tmp_path, home=home)
    result = run_cli("check", "docs", cwd=tmp_path / "site", home=home)
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip().splitlines()[-1] == "0 documents checked: 0 errors, 0 warnings"


def test_check_strict_counts_as_errors_what_fails_the_run(site_copy: Path) -> None:
    seed(site_copy, GUIDE, 'difficulty: "intermediate"', 'difficulty: "intermediate"\nmood: 1')
    home = site_copy.parent / "home"
    strict = run_cli("check", "--strict", cwd=site_copy, home=home)
    assert strict.returncode == 1
    assert strict.stdout.splitlines()[-1].startswith("2 documents checked: 1 error, 0 warnings")
    # An ignored rule never decides the exit code, nor counts.
    ignored = run_cli("check", "--strict", "--ignore", "GW104", cwd=site_copy, home=home)
    assert ignored.returncode == 0, ignored.stdout
    assert ignored.stdout.splitlines()[-1] == "2 documents checked: 0 errors, 0 warnings"


def test_not_content_globs_decide_pages_and_sections(site_copy: Path) -> None:
    from guidewright.site.site import load_site

    (site_copy / "docs/coding/notes.md").write_text("# Notes, hand-written\n")
    (site_copy / "docs/drafts").mkdir()
    (site_copy / "docs/drafts/index.md").write_text("# Only an index\n")
    site = load_site(site_copy)
    assert site.is_content_page("coding/notes.md") and site.is_content_page("faq.md")
    assert not site.is_content_page("index.md") and not site.is_content_page("drafts/index.md")
    assert not site.is_content_page("tags.md")
    # stylesheets/ holds no content page, drafts/ only an index: neither is a section.
    assert "stylesheets" not in site.sections() and "drafts" not in site.sections()
    assert {"coding", "system-design", "fundamentals"} <= set(site.sections())
    _, documents = content_index(site, "tags", "content_type")
    assert sorted(path for path, _ in documents) == [
        "coding/rate-limiter.md",
        "system-design/caching-strategies.md",
    ]
    _, lines = check(site_copy)
    assert "no frontmatter (GW003, links checked): docs/coding/notes.md" in lines


CONFLICTED = """\
## Notes
<<<<<<< before updating
Mine.
=======
Theirs.
>>>>>>> after updating

Title
=======

```text
<<<<<<< HEAD
an example conflict in a git tutorial
=======
theirs
>>>>>>> branch
```

    <<<<<<< indented code
    =======
    >>>>>>> is code too
"""


def test_conflict_markers_are_errors_at_their_line(site_copy: Path) -> None:
    line = seed(site_copy, GUIDE, "## 🎯 Key Takeaways", CONFLICTED + "\n## 🎯 Key Takeaways")
    tutorial = site_copy / TUTORIAL
    crlf = "<<<<<<< before updating\r\nA\r\n=======\r\nB\r\n>>>>>>> after updating\r\n"
    tutorial.write_bytes(tutorial.read_bytes() + b"\n" + crlf.encode())
    tutorial_line = tutorial.read_bytes().count(b"\n") - 4
    (site_copy / "docs/index.md").write_text("# Home\n<<<<<<< a\nx\n=======\ny\n>>>>>>> b\n")
    code, lines = check(site_copy)
    assert code == 1
    found = sorted(entry for entry in lines if "merge conflict" in entry)
    assert found == sorted(
        [
            f"{GUIDE}:{line + 1}: conflict: unresolved merge conflict (lines {line + 1}-{line + 5}): "
            "keep what is meant and delete the <<<<<<<, ======= and >>>>>>> lines",
            f"{TUTORIAL}:{tutorial_line}: conflict: unresolved merge conflict "
            f"(lines {tutorial_line}-{tutorial_line + 4}): keep what is meant and delete the "
            "<<<<<<<, ======= and >>>>>>> lines",
            "docs/index.md:2: conflict: unresolved merge conflict (lines 2-6): keep what is meant "
            "and delete the <<<<<<<, ======= and >>>>>>> lines",
        ]
    ), lines
    result = run_cli("check", "--dest", str(site_copy), cwd=site_copy, home=site_copy / "h")
    assert "GW302" in result.stdout


@pytest.mark.parametrize(
    ("text", "starts"),
    [
        ("<<<<<<< ours\na\n=======\nb\n>>>>>>> theirs\n", [1]),
        ("<<<<<<< ours\na\n||||||| base\nc\n=======\nb\n>>>>>>> theirs", [1]),  # diff3, no EOL
        ("x\r<<<<<<< ours\ra\r=======\rb\r>>>>>>> theirs\r", [2]),  # lone CRs end lines too
        ("~~~~\n<<<<<<< a\n=======\n>>>>>>> b\n~~~~\n", []),  # in a tilde fence
        ("````\n```\n<<<<<<< a\n=======\n>>>>>>> b\n````\n", []),  # a shorter run closes none
        ("```\nunclosed\n<<<<<<< a\n=======\n>>>>>>> b\n", []),  # code to the end
        ("Heading\n=======\n\n>>>>>>> quoted\n", []),  # no start: a setext heading
        ("<<<<<<< a\nmine\n>>>>>>> b\n", []),  # no separator
        ("<<<<<<<< eight\n=======\n>>>>>>> b\n", []),  # not git's marker size
        (" <<<<<<< a\n=======\n>>>>>>> b\n", []),  # not at the line start
        ("<<<<<<< a\n=======\n>>>>>>> b\n<<<<<<< c\n=======\n>>>>>>> d\n", [1, 4]),
    ],
)
def test_conflict_markers_rule(text: str, starts: list[int]) -> None:
    from guidewright.rules.conflict_markers import conflict_problems, find_conflicts

    assert [conflict.start for conflict in find_conflicts(text)] == starts
    assert [p.line for p in conflict_problems("page.md", text)] == starts
    assert all(p.code == "GW302" and p.severity == "error" for p in conflict_problems("p", text))
