"""`guidewright tags`: the listing, `tags rename` and `tags merge` (issue 30): every page's
frontmatter and its recorded answers change together, the configurations follow, a page
the validator refuses is left and reported, `--pretend` writes nothing; on 1,000 pages a
rename touches exactly the pages that held the tag, a second run changes nothing, and an
interrupt leaves every page paired with its answers."""

from __future__ import annotations

import datetime as dt
import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from built_once import built_once
from support import (
    GUIDE_ARGS,
    GUIDEWRIGHT,
    HANG,
    REPO,
    commit_all,
    copied,
    git,
    isolated_env,
    run_cli,
)

sys.path.insert(0, str(REPO / "benchmarks"))
from site_factory import document_answers, new_site

from guidewright.copier_compat.render import TemplateRenderer
from guidewright.site.site import CONFIG_RELPATH
from guidewright.site_ops.engine_tags import engine_tags_renamed
from guidewright.template.source import bundled_template

TAGS_PLUGIN = """\
plugins:
  - search
  - tags:
      # Material refuses any other tag
      tags_allowed:
        - caching
        - performance   # keep this comment
        - aws
"""


def _new(site: Path, home: Path, topic: str, *tags: str) -> None:
    args = list(GUIDE_ARGS)
    args[args.index("Caching Strategies")] = topic
    while "--tag" in args:
        at = args.index("--tag")
        del args[at : at + 2]
    for tag in tags:
        args += ["--tag", tag, "--new-tag", tag]  # new to the site or not: meant
    done = run_cli(*args, cwd=site, home=home)
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def tagged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A committed site of four guides: caching on three, performance on two. Built once
    a run (built_once.py); the tests copy it or only read it."""
    return built_once(tmp_path_factory, "tags-four-guides", _build_tagged) / "site"


def _build_tagged(root: Path) -> None:
    home = root / "home"
    site = root / "site"
    assert run_cli("init", str(site), cwd=root, home=home).returncode == 0
    (site / "docs" / "practice").mkdir(exist_ok=True)
    (site / "docs" / "practice" / "topic-problems.md").write_text("# Problems\n")
    _new(site, home, "Caching Strategies", "caching", "performance")
    _new(site, home, "Cache Invalidation", "caching", "database")
    _new(site, home, "Write Policies", "caching", "performance", "database")
    _new(site, home, "Sharding", "scaling", "database")
    config = site / "mkdocs.yml"
    config.write_text(
        config.read_text("utf-8").replace("plugins:\n  - search\n  - tags\n", TAGS_PLUGIN)
    )
    commit_all(site, home, "four guides")


@pytest.fixture
def site_copy(tagged: Path, tmp_path: Path) -> Path:
    return copied(tagged, tmp_path / "site")


def changed_files(site: Path, home: Path) -> list[str]:
    return sorted(git(site, home, "diff", "--name-only").split())


def test_the_listing_names_every_tag_its_count_and_pages(site_copy: Path, home: Path) -> None:
    listed = run_cli("tags", "--format", "json", cwd=site_copy, home=home)
    assert listed.returncode == 0, listed.stderr
    uses = {use["tag"]: use for use in json.loads(listed.stdout)["tags"]}
    assert uses["caching"]["count"] == 3
    assert uses["caching"]["pages"] == [
        "system-design/cache-invalidation.md",
        "system-design/caching-strategies.md",
        "system-design/write-policies.md",
    ]
    assert uses["scaling"] == {
        "tag": "scaling",
        "count": 1,
        "pages": ["system-design/sharding.md"],
        "listed": True,
    }
    text = run_cli("tags", cwd=site_copy, home=home).stdout.splitlines()
    assert text[0].split()[:2] == ["caching", "3"]  # most used first
    assert text[-1].endswith("tags on 4 pages")


def test_rename_changes_pages_answers_and_configurations_together(
    site_copy: Path, home: Path
) -> None:
    done = run_cli("tags", "rename", "caching", "cache", cwd=site_copy, home=home)
    assert done.returncode == 0, done.stderr
    assert "caching → cache: changed 3 pages and 3 answers files" in done.stdout
    answers = ".guidewright/answers/system-design"
    assert changed_files(site_copy, home) == sorted(
        [
            CONFIG_RELPATH,
            f"{answers}/cache-invalidation.yml",
            f"{answers}/caching-strategies.yml",
            f"{answers}/write-policies.yml",
            "docs/system-design/cache-invalidation.md",
            "docs/system-design/caching-strategies.md",
            "docs/system-design/write-policies.md",
            "mkdocs.yml",
        ]
    )
    diff = git(site_copy, home, "diff", "-U0", "--", "docs", ".guidewright/answers")
    removed = [
        line for line in diff.splitlines() if line.startswith("-") and not line.startswith("---")
    ]
    assert all("caching" in line for line in removed) and len(removed) == 6  # one line a file
    page = (site_copy / "docs/system-design/write-policies.md").read_text("utf-8")
    assert 'tags: ["cache", "performance", "database"]  # 2-6 relevant tags\n' in page
    mkdocs = (site_copy / "mkdocs.yml").read_text("utf-8")
    assert "        - cache\n        - performance   # keep this comment\n" in mkdocs
    assert "      # Material refuses any other tag\n" in mkdocs
    checked = run_cli("check", "--ignore", "GW401", cwd=site_copy, home=home)  # dates: 2026-01
    assert checked.returncode == 0 and " 0 errors, 0 warnings" in checked.stdout, checked.stdout
    again = run_cli("tags", "rename", "caching", "cache", cwd=site_copy, home=home)
    assert again.returncode == 0
    assert "nothing to change" in again.stdout
    assert len(changed_files(site_copy, home)) == 8


def test_a_merge_the_validator_refuses_leaves_that_page_and_says_why(
    site_copy: Path, home: Path
) -> None:
    # Caching Strategies holds caching and performance only: one tag left, 2 are asked.
    done = run_cli(
        "tags", "merge", "caching", "performance", "--into", "speed", cwd=site_copy, home=home
    )
    assert done.returncode == 1
    assert (
        "left as it is: docs/system-design/caching-strategies.md: tags: must be 2 to 6 "
        in done.stderr
    )
    changed = changed_files(site_copy, home)
    assert "docs/system-design/caching-strategies.md" not in changed
    assert ".guidewright/answers/system-design/caching-strategies.yml" not in changed
    assert "docs/system-design/write-policies.md" in changed
    page = (site_copy / "docs/system-design/write-policies.md").read_text("utf-8")
    assert 'tags: ["speed", "database"]  # 2-6 relevant tags\n' in page
    answers = (site_copy / ".guidewright/answers/system-design/write-policies.yml").read_text()
    assert "tags:\n- speed\n- database\n" in answers


def test_pretend_prints_the_diff_and_writes_nothing(site_copy: Path, home: Path) -> None:
    done = run_cli(
        "tags", "rename", "Caching", "Cache Layer", "--pretend", cwd=site_copy, home=home
    )
    assert done.returncode == 0, done.stderr
    assert "nothing to change" in done.stdout  # tags are case-sensitive: no page has 'Caching'
    slip = run_cli("tags", "rename", "cachng", "cache", cwd=site_copy, home=home)
    assert slip.returncode == 0
    assert slip.stdout.startswith("note: no page uses 'cachng'; did you mean 'caching'?\n")
    done = run_cli(
        "tags", "rename", "caching", "Cache Layer", "--pretend", cwd=site_copy, home=home
    )
    assert "note: 'Cache Layer' taken as 'cache-layer'" in done.stdout
    assert '+tags: ["cache-layer", "database"]  # 2-6 relevant tags' in done.stdout
    assert "would change 3 pages and 3 answers files" in done.stdout
    no_tag = run_cli("tags", "rename", "caching", "!!!", cwd=site_copy, home=home)
    assert no_tag.returncode == 2  # no page could take it: the new tag is refused itself
    assert no_tag.stderr.startswith("error: NEW: '!!!': tags: must be 2 to 6 distinct lowercase")
    assert changed_files(site_copy, home) == []


def test_an_uncommitted_page_stops_the_run_before_anything_is_written(
    site_copy: Path, home: Path
) -> None:
    page = site_copy / "docs/system-design/sharding.md"
    page.write_text(page.read_text("utf-8").replace("scaling", "caching", 1), "utf-8")
    done = run_cli("tags", "rename", "caching", "cache", cwd=site_copy, home=home)
    assert done.returncode == 2
    assert "docs/system-design/sharding.md" in done.stderr and "Traceback" not in done.stderr
    assert changed_files(site_copy, home) == ["docs/system-design/sharding.md"]


def test_a_page_written_otherwise_keeps_its_layout(site_copy: Path, home: Path) -> None:
    # Sharding's tags as a block list, the page with Windows line ends and a BOM.
    page = site_copy / "docs/system-design/sharding.md"
    text = page.read_text("utf-8").replace(
        'tags: ["scaling", "database"]  # 2-6 relevant tags', "tags:\n  - scaling\n  - database"
    )
    page.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    commit_all(site_copy, home, "Sharding as Windows writes it")
    done = run_cli("tags", "rename", "database", "databases", cwd=site_copy, home=home)
    assert done.returncode == 0, done.stderr
    after = page.read_bytes()
    assert (
        after
        == b"\xef\xbb\xbf"
        + text.replace("  - database", "  - databases").replace("\n", "\r\n").encode()
    )


def test_a_tag_the_page_holds_as_no_list_leaves_the_page_and_its_answers(
    site_copy: Path, home: Path
) -> None:
    page = site_copy / "docs/system-design/sharding.md"
    page.write_text(page.read_text("utf-8").replace('["scaling", "database"]', '"scaling"'))
    commit_all(site_copy, home, "one tag as a text")
    done = run_cli("tags", "rename", "scaling", "scale", cwd=site_copy, home=home)
    assert done.returncode == 1
    assert done.stderr == (
        "left as it is: docs/system-design/sharding.md: tags: a single text, not a list "
        "(GW101); rename it by hand\n"
    )
    assert changed_files(site_copy, home) == [CONFIG_RELPATH]  # the answers stay with it


def test_a_lone_tag_names_the_command_that_renames_it(site_copy: Path, home: Path) -> None:
    page = site_copy / "docs/system-design/sharding.md"
    page.write_text(page.read_text("utf-8").replace('"database"', '"databse"', 1), "utf-8")
    checked = run_cli("check", cwd=site_copy, home=home)
    assert "did you mean 'database'? (to rename it: guidewright tags rename databse database)" in (
        checked.stdout
    )


SECTION_META = """\
# every practice page: its section's tags
tags:
  - caching   # the section's theme
  - aws
status: draft
"""


def test_a_sections_metadata_tags_follow_in_the_same_run(site_copy: Path, home: Path) -> None:
    config = site_copy / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("  - search\n", "  - search\n  - meta\n"))
    meta = site_copy / "docs/practice/.meta.yml"
    meta.write_text(SECTION_META, "utf-8")
    untouched = site_copy / "docs/system-design/.meta.yml"  # no renamed tag: not rewritten
    untouched.write_text("tags: [database, cachingx]\n", "utf-8")
    commit_all(site_copy, home, "section metadata")
    pretend = run_cli("tags", "rename", "caching", "cache", "--pretend", cwd=site_copy, home=home)
    assert "--- a/docs/practice/.meta.yml\n" in pretend.stdout
    assert "-  - caching   # the section's theme\n+  - cache   # the section's theme\n" in (
        pretend.stdout
    )
    assert "; docs/practice/.meta.yml;" in pretend.stdout
    assert changed_files(site_copy, home) == []
    done = run_cli("tags", "rename", "caching", "cache", cwd=site_copy, home=home)
    assert done.returncode == 0, done.stderr
    assert "changed 3 pages and 3 answers files; docs/practice/.meta.yml; " in done.stdout
    assert meta.read_text("utf-8") == SECTION_META.replace("- caching ", "- cache ")
    assert "docs/system-design/.meta.yml" not in changed_files(site_copy, home)
    again = run_cli("tags", "rename", "caching", "cache", cwd=site_copy, home=home)
    assert "nothing to change" in again.stdout


def test_a_sections_metadata_not_committed_stops_the_run(site_copy: Path, home: Path) -> None:
    config = site_copy / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("  - search\n", "  - search\n  - meta\n"))
    commit_all(site_copy, home, "the meta plugin")
    (site_copy / "docs/practice/.meta.yml").write_text("tags: [caching]\n", "utf-8")
    done = run_cli("tags", "rename", "caching", "cache", cwd=site_copy, home=home)
    assert done.returncode == 2
    assert "docs/practice/.meta.yml" in done.stderr and "Traceback" not in done.stderr
    assert changed_files(site_copy, home) == []


# ---- 1,000 pages ---------------------------------------------------------------------------

PAGES = 1000
TODAY = dt.date.today().isoformat()
REVIEW = (dt.date.today() + dt.timedelta(days=90)).isoformat()  # not due: check is clean


def _build_thousand(root: Path) -> None:
    """1,000 documents; every third tagged caching. Rendered by the bundled template."""
    site = root / "site"
    new_site(site, GUIDEWRIGHT)
    template = bundled_template()
    renderer = TemplateRenderer(template)
    for index in range(PAGES):
        answers = document_answers(index)
        answers["last_updated"], answers["review_date"] = TODAY, REVIEW
        if index % 3 == 0:
            answers["tags"] = ["caching", answers["tags"][1]]
        for relpath, content in renderer.render(
            answers, src_path=str(template), commit=None
        ).items():
            target = site / relpath
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
    commit_all(site, root / "home", "1,000 documents")


@pytest.fixture(scope="module")
def thousand(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_once(tmp_path_factory, "tags-thousand", _build_thousand) / "site"


def _holders(site: Path) -> tuple[set[str], set[str]]:
    """(pages whose frontmatter holds caching, answers files that do), by slug."""
    pages = {p.stem for p in (site / "docs").rglob("topic-*.md") if '"caching"' in p.read_text()}
    answers = {
        p.stem
        for p in (site / ".guidewright/answers").rglob("*.yml")
        if "\n- caching\n" in p.read_text()
    }
    return pages, answers


@pytest.mark.long
def test_a_rename_on_1000_pages_touches_those_that_held_it_and_nothing_else(
    thousand: Path, tmp_path: Path, home: Path
) -> None:
    site = copied(thousand, tmp_path / "site")
    pages, answers = _holders(site)
    assert pages == answers and len(pages) == 334
    done = run_cli("tags", "rename", "caching", "cache", cwd=site, home=home)
    assert done.returncode == 0, done.stderr
    expected = {
        f"docs/{p.relative_to(site / 'docs').as_posix()}"
        for p in (site / "docs").rglob("topic-*.md")
        if p.stem in pages
    }
    expected |= {
        f".guidewright/answers/{e.removeprefix('docs/').removesuffix('.md')}.yml" for e in expected
    }
    assert "caching" not in (site / CONFIG_RELPATH).read_text()  # init lists no caching
    assert set(changed_files(site, home)) == expected
    stat = git(site, home, "diff", "--shortstat")
    assert (
        f"{len(expected)} files changed, {len(expected)} insertions(+), {len(expected)} deletions(-)"
        in stat
    )
    assert _holders(site) == (set(), set())
    checked = run_cli("check", cwd=site, home=home)
    assert checked.returncode == 0 and "0 errors, 0 warnings" in checked.stdout, checked.stdout[
        -500:
    ]
    again = run_cli("tags", "rename", "caching", "cache", cwd=site, home=home)
    assert again.returncode == 0 and "nothing to change" in again.stdout
    assert set(changed_files(site, home)) == expected


# A real process, its write session hooked so that Ctrl-C (SIGINT to itself) comes after
# the 100th file compared: midway, deterministically, wherever the writer threads are.
INTERRUPTING = """
import os, signal, sys, threading
# Ctrl-C as a process run from a terminal has it: one started with SIGINT ignored (a
# shell's background job: this test run, say) rightly goes on ignoring it.
signal.signal(signal.SIGINT, signal.default_int_handler)
from guidewright.site import write_session
compare, seen, lock = write_session.still_as_seen, [0], threading.Lock()
def interrupting(folder, name, was):
    with lock:
        seen[0] += 1
        if seen[0] == 100:
            os.kill(os.getpid(), signal.SIGINT)
    return compare(folder, name, was)
write_session.still_as_seen = interrupting
from guidewright.entry import main
sys.argv = ["guidewright", *sys.argv[1:]]
main()
"""


@pytest.mark.long
def test_ctrl_c_midway_leaves_every_page_paired_with_its_answers(
    thousand: Path, tmp_path: Path
) -> None:
    site = copied(thousand, tmp_path / "site")
    before, _ = _holders(site)
    done = subprocess.run(
        [sys.executable, "-c", INTERRUPTING, "tags", "rename", "caching", "cache"],
        cwd=site,
        capture_output=True,
        text=True,
        env=isolated_env(tmp_path / "home"),
        timeout=HANG,
    )
    assert done.returncode == 128 + signal.SIGINT, done.stderr
    assert "interrupted; each page is renamed with its answers, or untouched" in done.stderr
    assert "Traceback" not in done.stderr
    pages, answers = _holders(site)
    assert pages == answers  # every pair whole: both renamed, or neither
    assert 0 < len(pages) < len(before)  # midway: some written, some not
    assert not list((site / ".guidewright").glob("staging/*"))


def test_materials_tag_icons_and_allow_list_follow_a_merge() -> None:
    mkdocs = (
        "site_name: x\nplugins:\n  - material/tags:\n      tags_allowed: [caching, redis, aws]\n"
        "extra:\n  tags:\n    caching: cache-icon  # the icon of the tag\n    redis: db-icon\n"
        "markdown_extensions:\n  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
    )
    merged = engine_tags_renamed(mkdocs, "mkdocs.yml", {"caching": "cache", "redis": "cache"})
    assert merged == mkdocs.replace("[caching, redis, aws]", "[cache, aws]").replace(
        "    caching: cache-icon", "    cache: cache-icon"
    )  # redis's icon stays: the merged tag has one already
    assert engine_tags_renamed(mkdocs, "mkdocs.yml", {"kafka": "queues"}) is None
