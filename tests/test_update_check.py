"""`update --check`: the documents behind their template and the migrations waiting, for
CI and bots, as `copier check-update` says it of one project; nothing written."""

from __future__ import annotations

import json
from pathlib import Path

from support import GUIDE_ARGS, commit_all, git, make_site, make_template_repo, run_cli, snapshot


def _site_with_three_pages_behind(tmp_path: Path, home: Path) -> tuple[Path, Path]:
    """Three guides made at v1; v2 renames a question (a migration); a fourth made at v2."""
    repo = make_template_repo(tmp_path, home)
    site = tmp_path / "site"
    init = ("init", str(site), "--content-owner", "team", "--template", str(repo))
    assert run_cli(*init, cwd=tmp_path, home=home).returncode == 0

    def new_guide(topic: str) -> None:
        made = run_cli(
            "new-guide",
            "--defaults",
            "--topic",
            topic,
            "--section",
            "fundamentals",
            "--tag",
            "caching",
            "--tag",
            "aws",
            "--objective",
            "Explain it",
            "--dest",
            str(site),
            cwd=site,
            home=home,
        )
        assert made.returncode == 0, made.stderr

    for topic in ("One", "Two", "Three"):
        new_guide(topic)
    config = repo / "copier.yml"
    text = config.read_text("utf-8").replace("  format: 1\n", "  format: 2\n")
    text = text.replace(
        "choices: [draft, published, review_needed, archived]",
        "choices: [draft, published, in_review, archived]",
    )
    config.write_text(
        text.split("  migrations:\n")[0]
        + '  migrations:\n    - version: "2"\n      values: {status: {review_needed: in_review}}\n',
        "utf-8",
    )
    for partial in ("guide", "tutorial"):
        path = repo / f"template/_partials/{partial}.md.jinja"
        path.write_text(
            path.read_text("utf-8").replace(
                "draft|published|review_needed|archived", "draft|published|in_review|archived"
            ),
            "utf-8",
        )
    git(repo, home, "commit", "-qam", "v2")
    git(repo, home, "tag", "v2")
    new_guide("Four")
    commit_all(site, home, "pages")
    return repo, site


def test_three_pages_behind_exit_1_and_the_json_lists_them(tmp_path: Path, home: Path) -> None:
    repo, site = _site_with_three_pages_behind(tmp_path, home)
    before = snapshot(site)
    checked = run_cli("update", "--check", "--format", "json", cwd=site, home=home)
    assert checked.returncode == 1, checked.stdout + checked.stderr
    listed = json.loads(checked.stdout)
    assert sorted(b["document"] for b in listed["behind"]) == [
        f"docs/fundamentals/{slug}.md" for slug in ("one", "three", "two")
    ]
    for behind in listed["behind"]:
        assert (behind["recorded"], behind["newest"], behind["migrations"]) == ("v1", "v2", ["2"])
        assert behind["answers_file"].startswith(".guidewright/answers/")
    assert listed["failed"] == [] and listed["current"] == 1
    text = run_cli("update", "--check", cwd=site, home=home)
    assert text.returncode == 1
    assert "docs/fundamentals/one.md: v1 -> v2 (migrations: 2)" in text.stdout
    assert "3 documents behind the template, 1 current" in text.stdout
    assert snapshot(site) == before  # nothing written
    assert run_cli("update", "--defaults", cwd=site, home=home).returncode == 0
    after = run_cli("update", "--check", "--format", "json", cwd=site, home=home)
    assert after.returncode == 0, after.stdout
    assert json.loads(after.stdout) == {"behind": [], "failed": [], "current": 4}
    # A template that cannot be reached: whether a page is behind is unknown, exit 2.
    repo.rename(tmp_path / "moved")
    unreachable = run_cli("update", "--check", "--format", "json", cwd=site, home=home)
    assert unreachable.returncode == 2, unreachable.stdout + unreachable.stderr
    listed = json.loads(unreachable.stdout)
    assert len(listed["failed"]) == 4 and listed["behind"] == []
    assert all("cannot clone the template" in f["reason"] for f in listed["failed"])


def test_check_refuses_what_would_write_or_ask(tmp_path: Path, home: Path) -> None:
    site = make_site(tmp_path / "site")  # refused before the site is read
    refused = run_cli("update", "--check", "--pretend", cwd=site, home=home)
    assert refused.returncode == 2
    assert (
        refused.stderr == "error: --pretend: not with --check (it writes nothing, asks nothing)\n"
    )
    alone = run_cli("update", "--format", "json", cwd=site, home=home)
    assert (alone.returncode, alone.stderr) == (2, "error: --format: only with --check\n")


def test_a_site_check_cannot_read_exits_2_and_json_says_why(tmp_path: Path, home: Path) -> None:
    site = make_site(tmp_path / "site")
    (site / "mkdocs.yml").write_text("site_name: [unclosed\n", "utf-8")
    checked = run_cli("update", "--check", "--format", "json", cwd=site, home=home)
    assert checked.returncode == 2
    assert json.loads(checked.stdout)["error"].startswith("mkdocs.yml: invalid YAML")
    assert checked.stderr.startswith("error: mkdocs.yml: invalid YAML")
    assert len(checked.stderr.splitlines()) == 1


def test_a_page_of_this_guidewrights_bundled_template_is_current(site: Path, home: Path) -> None:
    """The bundled template has no versions, but the one a page records as
    `bundled@VERSION` of this guidewright is the newest there is; another version's is
    not found anywhere, and cannot be told."""
    made = run_cli(*GUIDE_ARGS, "--dest", str(site), cwd=site, home=home)
    assert made.returncode == 0, made.stderr
    commit_all(site, home, "pages", init=True)
    checked = run_cli("update", "--check", cwd=site, home=home)
    assert (checked.returncode, checked.stdout.splitlines()[-1]) == (
        0,
        "0 documents behind the template, 1 current",
    )
    updated = run_cli("update", "--defaults", cwd=site, home=home)
    assert updated.returncode == 0 and "1 already current" in updated.stdout
    answers = next((site / ".guidewright/answers").rglob("*.yml"))
    answers.write_text(
        answers.read_text("utf-8").replace("_src_path: bundled@", "_src_path: bundled@0.0.0+")
    )
    older = run_cli("update", "--check", cwd=site, home=home)
    assert older.returncode == 2 and "created from a template without versions" in older.stdout
