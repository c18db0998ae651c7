"""Issue 14, case 5: a template that moves takes its pages along, from a clone of the
template: `update --template SRC` updates them to SRC's newest version and records SRC as
their source; the base comes from the recorded source where SRC lacks the page's commit;
`check` compares each page with the newest version of the source it records."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from support import REPO, commit_all, git, make_template_repo, run_cli, snapshot

HEADING = "## 🎯 Key Takeaways and Next Steps"
NEW_HEADING = "## 🎯 Key Takeaways, and What Next"
PAGE = "docs/fundamentals/moving-guide.md"
ANSWERS = ".guidewright/answers/fundamentals/moving-guide.yml"


@pytest.fixture
def moved(tmp_path: Path) -> tuple[Path, Path, Path]:
    """(home, old source with one page at v1, site); the page has an author's edit."""
    home = tmp_path / "home"
    old = make_template_repo(tmp_path, home)
    site = tmp_path / "site"
    init = ("init", str(site), "--content-owner", "team", "--template", str(old))
    assert run_cli(*init, cwd=tmp_path, home=home).returncode == 0
    created = run_cli(
        "new-guide",
        "--defaults",
        "--dest",
        str(site),
        "--topic",
        "Moving Guide",
        "--section",
        "fundamentals",
        "--tag",
        "aws",
        "--tag",
        "coding",
        "--objective",
        "Move",
        cwd=site,
        home=home,
    )
    assert created.returncode == 0, created.stderr
    page = site / PAGE
    page.write_text(page.read_text("utf-8") + "\nAn author's closing line.\n", "utf-8")
    commit_all(site, home, "a page", init=True)
    return home, old, site


def _release_v2(repo: Path, home: Path) -> None:
    partial = repo / "template/_partials/guide.md.jinja"
    partial.write_text(partial.read_text("utf-8").replace(HEADING, NEW_HEADING, 1), "utf-8")
    git(repo, home, "add", "-A")
    git(repo, home, "commit", "-q", "-m", "v2: a clearer heading")
    git(repo, home, "tag", "v2")


def _fresh_history(tmp_path: Path, home: Path) -> Path:
    """The template's files in a repository of its own making, with no tag v1."""
    (tmp_path / "elsewhere").mkdir()
    fresh = make_template_repo(tmp_path / "elsewhere", home)
    git(fresh, home, "tag", "-d", "v1")
    return fresh


def _point_site_at(site: Path, home: Path, src: Path) -> None:
    config = site / ".guidewright/config.yml"
    data = yaml.safe_load(config.read_text("utf-8"))
    data["template"] = str(src)
    config.write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    commit_all(site, home, "the template moved")


def _answers(site: Path) -> dict[str, str]:
    loaded = yaml.safe_load((site / ANSWERS).read_text("utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def test_a_moved_template_takes_its_pages_along(
    moved: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    home, old, site = moved
    mirror = tmp_path / "mirror"
    git(tmp_path, home, "clone", "-q", str(old), str(mirror))
    _release_v2(mirror, home)
    _point_site_at(site, home, mirror)
    # The page records the old source, whose newest is still v1: update leaves it...
    plain = run_cli("update", "--defaults", "--dest", str(site), cwd=site, home=home)
    assert plain.returncode == 0 and "1 already current" in plain.stdout, plain.stdout
    assert f"`guidewright update --template {mirror}` moves it" in plain.stdout  # ...and says so
    # ...and check says where it comes from and how to move it.
    checked = run_cli("check", "--dest", str(site), cwd=site, home=home)
    assert f"records the template {old}, not the site's {mirror}" in checked.stdout
    assert f"`guidewright update --template {mirror}` moves it" in checked.stdout
    pretend = run_cli(
        "update",
        "--defaults",
        "--pretend",
        "--template",
        str(mirror),
        "--dest",
        str(site),
        cwd=site,
        home=home,
    )
    assert pretend.returncode == 0 and "+" + NEW_HEADING in pretend.stdout, pretend.stdout
    assert _answers(site)["_src_path"] == str(old)
    moved_now = run_cli(
        "update", "--defaults", "--template", str(mirror), "--dest", str(site), cwd=site, home=home
    )
    assert moved_now.returncode == 0, moved_now.stdout + moved_now.stderr
    text = (site / PAGE).read_text("utf-8")
    assert NEW_HEADING in text and "An author's closing line." in text
    answers = _answers(site)
    assert answers["_src_path"] == str(mirror) and answers["_commit"] == "v2"
    commit_all(site, home, "moved")
    after = run_cli("check", "--dest", str(site), cwd=site, home=home)
    assert "GW503" not in after.stdout, after.stdout


def test_the_base_comes_from_the_recorded_source_where_the_new_lacks_the_commit(
    moved: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    """A new home with a history of its own (the files copied, committed afresh)."""
    home, _, site = moved
    fresh = _fresh_history(tmp_path, home)
    _release_v2(fresh, home)
    result = run_cli(
        "update", "--defaults", "--template", str(fresh), "--dest", str(site), cwd=site, home=home
    )
    assert result.returncode == 0, result.stdout + result.stderr
    text = (site / PAGE).read_text("utf-8")
    assert NEW_HEADING in text and "An author's closing line." in text  # merged, not replaced
    assert _answers(site)["_src_path"] == str(fresh)


def test_a_page_whose_base_nobody_has_fails_with_the_reason(
    moved: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    home, old, site = moved
    fresh = _fresh_history(tmp_path, home)
    _release_v2(fresh, home)
    shutil.rmtree(old)
    before = snapshot(site)
    result = run_cli(
        "update", "--defaults", "--template", str(fresh), "--dest", str(site), cwd=site, home=home
    )
    assert result.returncode == 1
    assert f"{fresh} lacks version v1, the page's base, and its recorded source {old}" in (
        result.stdout
    )
    assert snapshot(site) == before


def test_only_the_given_pages_move(moved: tuple[Path, Path, Path], tmp_path: Path) -> None:
    home, old, site = moved
    created = run_cli(
        "new-guide",
        "--defaults",
        "--dest",
        str(site),
        "--topic",
        "Staying Guide",
        "--section",
        "fundamentals",
        "--tag",
        "aws",
        "--tag",
        "coding",
        "--objective",
        "Stay",
        cwd=site,
        home=home,
    )
    assert created.returncode == 0, created.stderr
    commit_all(site, home, "another page")
    mirror = tmp_path / "mirror"
    git(tmp_path, home, "clone", "-q", str(old), str(mirror))
    result = run_cli(
        "update",
        "--defaults",
        "--template",
        str(mirror),
        "--dest",
        str(site),
        str(site / PAGE),
        cwd=site,
        home=home,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert _answers(site)["_src_path"] == str(mirror)
    staying = yaml.safe_load(
        (site / ".guidewright/answers/fundamentals/staying-guide.yml").read_text("utf-8")
    )
    assert staying["_src_path"] == str(old)


def test_a_template_that_is_not_a_repository_is_refused(
    moved: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    home, _, site = moved
    before = snapshot(site)
    result = run_cli(
        "update",
        "--defaults",
        "--template",
        str(REPO / "template"),
        "--dest",
        str(site),
        cwd=site,
        home=home,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("error: --template: cannot clone the template")
    assert len(result.stderr.strip().splitlines()) == 1
    assert snapshot(site) == before


def test_check_compares_a_page_with_the_newest_of_its_own_source(
    moved: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    """The site's template is elsewhere now; the page's own source has moved on to v2."""
    home, old, site = moved
    elsewhere = _fresh_history(tmp_path, home)
    _point_site_at(site, home, elsewhere)
    _release_v2(old, home)
    checked = run_cli("check", "--dest", str(site), cwd=site, home=home)
    assert f"made with template version v1 of {old}; its newest is v2" in checked.stdout
    assert f"`guidewright update --template {elsewhere}` moves it" in checked.stdout


def test_a_remote_sources_newest_version_is_what_update_last_learnt() -> None:
    """`check` never fetches: a URL's newest version is the one `update` recorded."""
    from guidewright.template.newest_known import RecordedSources, newest_known, remember_newest

    url = "https://git.example.invalid/docs/template.git"
    assert newest_known(url) is None
    assert RecordedSources("/site/template", None).warning(url, "v1") is None
    remember_newest(url, "v3")
    assert newest_known(url) == "v3"
    sources = RecordedSources("/site/template", "/site/template")
    assert sources.warning(url, "v1") == (
        f"made with template version v1 of {url}; its newest is v3: run `guidewright update`; "
        f"it records the template {url}, not the site's /site/template: "
        "`guidewright update --template /site/template` moves it"
    )
    assert sources.warning(url, "v3") == (
        f"records the template {url}, not the site's /site/template: "
        "`guidewright update --template /site/template` moves it"
    )
    assert sources.warning("/site/template", "v1") is None  # the current source: check's own
