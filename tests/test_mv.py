"""`guidewright mv`: a page or folder moved, and everything that names it following (links
and their anchors, answers files, prerequisites and related content, nav, redirects),
written whole or not at all; the language server's willRenameFiles gives the same edit."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import pytest
import yaml
from built_once import built_once
from lsp_client import Session, run_session
from lsprotocol import types
from support import commit_all, ctrl_c_as_from_a_terminal, git, isolated_env, run_cli, snapshot

from guidewright.lsp.lines import lsp_lines
from guidewright.move import plan as plan_module
from guidewright.move.engine_config import config_after
from guidewright.move.request import Move
from guidewright.site import write_session
from guidewright.site.profile import ZENSICAL, profile_of_text

OLD, NEW = "system-design/a.md", "fundamentals/b.md"
NOTES = 25  # pages without frontmatter that link to OLD
PREREQUISITES = 5  # guides whose prerequisites name OLD
ANCHORS = ("learning-outcomes", "time-investment", "required-knowledge")
# What a move of OLD changes: it and its answers, the guides and their answers, the notes,
# mkdocs.yml.
CHANGED = 1 + 1 + PREREQUISITES * 2 + NOTES + 1
GUIDE = (
    *("new-guide", "--defaults", "--tag", "caching", "--tag", "aws"),
    *("--last-updated", "2026-01-31"),
    *("--objective", "Explain it", "--contributor", "Ada Lovelace"),
    *("--content-owner", "platform-team"),
)


def note(number: int) -> str:
    """A page that links to OLD in one of the ways authors write links."""
    anchor = ANCHORS[number % len(ANCHORS)]
    kinds = [
        f"See [the design](../{OLD}).\n",
        f"See [its outcomes](../{OLD}#{anchor}).\n",
        f"See [the design][design] again.\n\n[design]: ../{OLD}#{anchor}\n",
        f'!!! tip "Read [the design](../{OLD}#{anchor})"\n    And [here](<../{OLD}>).\n',
        f'Links: [one](../{OLD}#{anchor} "Title") and ![diagram](../system-design/diagram.png)\n',
    ]
    return f"# Note {number}\n\n{kinds[number % len(kinds)]}"


def build_site(folder: Path) -> None:
    home, site = folder / "home", folder / "site"
    assert (
        run_cli(
            "init", str(site), "--content-owner", "platform-team", cwd=folder, home=home
        ).returncode
        == 0
    )
    made = run_cli(
        *GUIDE,
        "--topic",
        "Alpha",
        "--slug",
        "a",
        "--section",
        "system-design",
        "--prerequisite",
        "fundamentals/index.md",
        cwd=site,
        home=home,
    )
    assert made.returncode == 0, made.stderr
    for number in range(PREREQUISITES):
        made = run_cli(
            *GUIDE,
            "--topic",
            f"Needs Alpha {number}",
            "--section",
            "practice",
            "--prerequisite",
            OLD,
            cwd=site,
            home=home,
        )
        assert made.returncode == 0, made.stderr
    page = site / "docs" / OLD
    page.write_text(
        page.read_text("utf-8")
        + "\n![Diagram](diagram.png) and [the practice](../practice/index.md#top).\n",
        "utf-8",
    )
    (site / "docs/system-design/diagram.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (site / "docs/notes").mkdir()
    for number in range(NOTES):
        (site / f"docs/notes/note-{number:02}.md").write_text(note(number), "utf-8")
    (site / "docs/practice/index.md").write_text("# Practice {#top}\n", "utf-8")
    config = (site / "mkdocs.yml").read_text("utf-8")
    config = config.replace("omitted_files: warn", "omitted_files: info")  # a partial nav
    config = config.replace("  - tags\n", "  - tags\n  - redirects\n")
    config += (
        f"nav:\n  - Home: index.md\n  - Design:\n      - Alpha: {OLD}\n      - notes/note-00.md\n"
    )
    (site / "mkdocs.yml").write_text(config, "utf-8")
    commit_all(site, home, "a site where many pages name system-design/a.md")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_once(tmp_path_factory, "mv-site", build_site)


@pytest.fixture
def site(built: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the site (built once a run) and the home its commands run with."""
    shutil.copytree(built / "site", tmp_path / "site", symlinks=True)
    shutil.copytree(built / "home", tmp_path / "home", symlinks=True)
    return tmp_path / "site", tmp_path / "home"


def changed_files(site: Path, home: Path) -> list[str]:
    git(site, home, "add", "-A")
    return sorted(git(site, home, "diff", "--cached", "--name-status", "-M").splitlines())


# ---- the move -----------------------------------------------------------------------------


def test_mv_moves_the_page_its_answers_and_everything_that_names_it(
    site: tuple[Path, Path],
) -> None:
    root, home = site
    result = run_cli("mv", OLD, NEW, cwd=root, home=home)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"moved page {OLD} to {NEW}\n")
    assert not (root / "docs" / OLD).exists() and (root / "docs" / NEW).is_file()
    answers = yaml.safe_load((root / ".guidewright/answers/fundamentals/b.yml").read_text())
    assert (answers["section"], answers["slug"]) == ("fundamentals", "b")
    assert not (root / ".guidewright/answers/system-design").exists()  # emptied, gone
    moved = (root / "docs" / NEW).read_text("utf-8")
    assert "![Diagram](../system-design/diagram.png)" in moved
    assert "[the practice](../practice/index.md#top)" in moved
    assert "[Fundamentals](../fundamentals/index.md)" in moved  # the template's style kept
    for number in range(PREREQUISITES):
        slug = f"needs-alpha-{number}"
        page = (root / f"docs/practice/{slug}.md").read_text("utf-8")
        assert f'prerequisites: ["{NEW}"]' in page
        assert f"[A](../{NEW})" in page  # the template's link to it, in the body
        recorded = yaml.safe_load((root / f".guidewright/answers/practice/{slug}.yml").read_text())
        assert recorded["prerequisites"] == [NEW]
    assert (
        (root / "docs/notes/note-02.md")
        .read_text("utf-8")
        .endswith(f"[design]: ../{NEW}#{ANCHORS[2]}\n")
    )
    config = (root / "mkdocs.yml").read_text("utf-8")
    assert f"      - Alpha: {NEW}\n" in config
    assert f"  - redirects: {{redirect_maps: {{{OLD}: {NEW}}}}}\n" in config
    names = changed_files(root, home)
    assert any(name.endswith(f"\tdocs/{OLD}\tdocs/{NEW}") for name in names)  # a rename
    assert len(names) == CHANGED
    check = run_cli("check", cwd=root, home=home)
    assert check.returncode == 0, check.stdout + check.stderr


def test_mv_pretend_shows_every_change_and_writes_nothing(site: tuple[Path, Path]) -> None:
    root, home = site
    before = snapshot(root)
    result = run_cli("mv", f"docs/{OLD}", NEW, "--pretend", cwd=root, home=home)
    assert result.returncode == 0, result.stderr
    assert snapshot(root) == before
    assert f"rename from docs/{OLD}\nrename to docs/{NEW}\n" in result.stdout
    assert f"-[design]: ../{OLD}#{ANCHORS[2]}\n+[design]: ../{NEW}#{ANCHORS[2]}\n" in result.stdout
    assert f"-      - Alpha: {OLD}\n+      - Alpha: {NEW}\n" in result.stdout
    assert f"would move page {OLD} to {NEW}\n" in result.stdout


def test_mv_moves_a_folder_and_the_links_inside_it(site: tuple[Path, Path]) -> None:
    root, home = site
    (root / "docs/system-design/.meta.yml").write_text("status: draft\n", "utf-8")
    (root / "docs/system-design/.draft.md").write_text("[a](a.md)\n", "utf-8")
    commit_all(root, home, "a folder's hidden files")
    result = run_cli("mv", "system-design", "design/systems", cwd=root, home=home)
    assert result.returncode == 0, result.stderr
    assert (root / "docs/design/systems/a.md").is_file()
    assert (root / "docs/design/systems/.meta.yml").read_text("utf-8") == "status: draft\n"
    assert (root / "docs/design/systems/.draft.md").read_text("utf-8") == "[a](a.md)\n"
    assert (root / "docs/design/systems/diagram.png").read_bytes() == b"\x89PNG\r\n\x1a\n"
    assert not (root / "docs/system-design").exists()
    moved = (root / "docs/design/systems/a.md").read_text("utf-8")
    assert "![Diagram](diagram.png)" in moved  # both moved: the link stays
    assert "[the practice](../../practice/index.md#top)" in moved
    assert (root / ".guidewright/answers/design/systems/a.yml").is_file()
    sections = yaml.safe_load((root / ".guidewright/config.yml").read_text("utf-8"))["sections"]
    assert "design/systems" in sections and "system-design" not in sections
    assert "(../design/systems/diagram.png)" in (root / "docs/notes/note-04.md").read_text()
    check = run_cli("check", cwd=root, home=home)
    assert check.returncode == 0, check.stdout + check.stderr


def test_mv_follows_nav_and_redirects_into_the_file_mkdocs_yml_inherits(
    site: tuple[Path, Path],
) -> None:
    root, home = site
    config = (root / "mkdocs.yml").read_text("utf-8")
    start = config.index("plugins:")
    end = config.index("\n", config.index("  - redirects")) + 1
    plugins, nav = config[start:end], config[config.index("nav:") :]
    own = "INHERIT: base.yml\n" + config[:start] + config[end : config.index("nav:")]
    (root / "base.yml").write_text(plugins + nav, "utf-8")
    (root / "mkdocs.yml").write_text(own, "utf-8")
    commit_all(root, home, "nav and plugins in an inherited file")
    result = run_cli("mv", OLD, NEW, cwd=root, home=home)
    assert result.returncode == 0, result.stderr
    assert (root / "mkdocs.yml").read_text("utf-8") == own
    base = (root / "base.yml").read_text("utf-8")
    assert f"      - Alpha: {NEW}\n" in base
    assert f"  - redirects: {{redirect_maps: {{{OLD}: {NEW}}}}}\n" in base
    assert "  base.yml: nav: 1 entry, redirect_maps: 1 redirect from the old place" in result.stdout
    check = run_cli("check", cwd=root, home=home)
    assert check.returncode == 0, check.stdout + check.stderr


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        (
            OLD,
            "practice/index.md",
            "NEW: practice/index.md exists already; mv never replaces a file",
        ),
        (OLD, "../b.md", "NEW: ../b.md is outside the docs folder docs/"),
        (OLD, "/elsewhere/b.md", "NEW: /elsewhere/b.md is outside the docs folder docs/"),
        (OLD, "fundamentals/b.txt", "NEW: fundamentals/b.txt must name a page (.md), as OLD does"),
        (
            "system-design/diagram.png",
            "x.png",
            "OLD: system-design/diagram.png is not a page (.md)",
        ),
        ("system-design/gone.md", "x.md", "OLD: system-design/gone.md does not exist"),
        (
            OLD,
            "fundamentals/B.md",
            "NEW: fundamentals/B.md makes its slug 'B', which the template refuses: must be lowercase",
        ),
        (
            "system-design",
            "system-design/deeper",
            "NEW: system-design/deeper is inside system-design",
        ),
        (OLD, f"fundamentals/{'b' * 300}.md", f"NEW: fundamentals/{'b' * 300}.md: File name too"),
        (f"{'a' * 300}.md", NEW, f"OLD: {'a' * 300}.md: File name too long"),
    ],
)
def test_mv_refuses_what_is_no_move_and_writes_nothing(
    site: tuple[Path, Path], old: str, new: str, said: str
) -> None:
    root, home = site
    before = snapshot(root)
    result = run_cli("mv", old, new, cwd=root, home=home)
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: {said}"), result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert snapshot(root) == before


def test_mv_run_inside_the_docs_folder_reads_paths_from_there(site: tuple[Path, Path]) -> None:
    root, home = site
    here = root / "docs/system-design"
    result = run_cli("mv", "a.md", "../fundamentals/b.md", "--pretend", cwd=here, home=home)
    assert result.returncode == 0, result.stderr
    assert f"would move page {OLD} to {NEW}\n" in result.stdout
    outside = run_cli("mv", "../../README.md", "b.md", cwd=here, home=home)
    assert outside.returncode == 2
    assert outside.stderr.startswith("error: OLD: ../../README.md is outside the docs folder")


def test_mv_into_an_existing_folder_keeps_the_name(site: tuple[Path, Path]) -> None:
    root, home = site
    result = run_cli("mv", OLD, "fundamentals/", "--pretend", cwd=root, home=home)
    assert result.returncode == 0, result.stderr
    assert f"would move page {OLD} to fundamentals/a.md\n" in result.stdout
    folder = run_cli("mv", "notes", "practice", "--pretend", cwd=root, home=home)
    assert folder.returncode == 0, folder.stderr
    assert "would move folder notes to practice/notes\n" in folder.stdout


def test_mv_refuses_uncommitted_changes_in_what_it_changes(site: tuple[Path, Path]) -> None:
    root, home = site
    (root / "docs/notes/note-00.md").write_text(note(0) + "\nedited\n", "utf-8")
    before = snapshot(root)
    result = run_cli("mv", OLD, NEW, cwd=root, home=home)
    assert result.returncode == 2
    assert "uncommitted changes in docs/notes/note-00.md" in result.stderr
    assert snapshot(root) == before


def test_mv_a_link_written_with_escapes_is_listed_for_the_author(site: tuple[Path, Path]) -> None:
    root, home = site
    (root / "docs/notes/escaped.md").write_text("[x](../system\\-design/a.md)\n", "utf-8")
    commit_all(root, home, "an escaped link")
    result = run_cli("mv", OLD, NEW, cwd=root, home=home)
    assert result.returncode == 0, result.stderr
    assert result.stderr == (
        "warning: docs/notes/escaped.md:1: ../system-design/a.md: written so that mv cannot "
        "change it; change it by hand\n"
    )


def test_mv_of_a_folder_lists_a_link_whose_escapes_hide_its_name(
    site: tuple[Path, Path],
) -> None:
    root, home = site
    (root / "docs/notes/escaped.md").write_text("[x](../system\\-design/a.md)\n", "utf-8")
    (root / "docs/notes/entity.md").write_text("[x](../system&#45;design/a.md)\n", "utf-8")
    commit_all(root, home, "links whose escapes hide the folder's name")
    result = run_cli("mv", "system-design", "design", cwd=root, home=home)
    assert result.returncode == 0, result.stderr
    for name in ("entity", "escaped"):
        assert f"warning: docs/notes/{name}.md:1: ../system-design/a.md: written so" in (
            result.stderr
        )


# ---- all or nothing -----------------------------------------------------------------------


def test_ctrl_c_while_the_move_is_written_leaves_it_whole(
    site: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An interrupt while the files are staged waits for the group: every file moved and
    changed, none half."""
    root, home = site
    stage, staged = write_session.stage, []

    def interrupted(folder: int, name: str, content: bytes) -> None:
        staged.append(name)
        if len(staged) == 10:
            os.kill(os.getpid(), signal.SIGINT)
        stage(folder, name, content)

    monkeypatch.setattr(write_session, "stage", interrupted)
    with ctrl_c_as_from_a_terminal():
        result = run_cli("mv", OLD, NEW, cwd=root, home=home)
    assert result.returncode == 130, result.stderr
    assert result.stderr == (
        "error: interrupted; the move is written whole or not at all (git status shows which)\n"
    )
    assert len(staged) > 10
    assert not (root / "docs" / OLD).exists() and (root / "docs" / NEW).is_file()
    assert len(changed_files(root, home)) == CHANGED
    assert run_cli("check", cwd=root, home=home).returncode == 0


def test_a_page_saved_while_mv_runs_leaves_the_site_as_it_was(
    site: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, home = site
    stage, note_page = write_session.stage, root / "docs/notes/note-03.md"

    def saving(folder: int, name: str, content: bytes) -> None:
        if b"# Note 3\n" in content:
            note_page.write_text("# Saved meanwhile\n", "utf-8")
        stage(folder, name, content)

    monkeypatch.setattr(write_session, "stage", saving)
    result = run_cli("mv", OLD, NEW, cwd=root, home=home)
    assert result.returncode == 1
    assert result.stderr == (
        "error: docs/notes/note-03.md: changed while mv ran: left as you saved it; run mv "
        "again; nothing was moved\n"
    )
    assert changed_files(root, home) == ["M\tdocs/notes/note-03.md"]


def test_ctrl_c_before_the_move_is_written_leaves_the_site_as_it_was(
    site: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, home = site
    before = snapshot(root)

    def interrupted(*args: object, **named: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(plan_module, "read_all_recorded", interrupted)
    result = run_cli("mv", OLD, NEW, cwd=root, home=home)
    assert result.returncode == 130
    assert snapshot(root) == before


# ---- the engine's configuration ---------------------------------------------------------


def test_redirect_maps_gain_the_old_path_and_follow_the_move_in_their_own_style() -> None:
    text = (
        "site_name: s\nplugins:\n  - search\n  - redirects:\n      redirect_maps:\n"
        "        'old/x.md': 'system-design/a.md'  # kept\n        y.md: index.md\n"
        "nav:\n  - system-design/a.md\n  - External: https://example.com/a.md\n"
    )
    profile = profile_of_text("mkdocs.yml", "mkdocs", text)
    edited, said = config_after(text, profile, Move(OLD, NEW, False), [OLD])
    assert edited == (
        "site_name: s\nplugins:\n  - search\n  - redirects:\n      redirect_maps:\n"
        f"        'old/x.md': '{NEW}'  # kept\n        y.md: index.md\n        {OLD}: {NEW}\n"
        f"nav:\n  - {NEW}\n  - External: https://example.com/a.md\n"
    )
    assert said == [
        "nav: 1 entry",
        "redirect_maps: 1 redirect now to the new place",
        "redirect_maps: 1 redirect from the old place",
    ]


def test_zensical_toml_nav_and_redirects_follow_the_move() -> None:
    text = (
        '[project]\nsite_name = "s"\nnav = [\n  {"Home" = "index.md"},\n'
        f'  {{"Alpha" = "{OLD}"}},\n]\n\n[project.plugins.redirects.redirect_maps]\n'
        '"x.md" = "index.md"\n'
    )
    profile = profile_of_text("zensical.toml", ZENSICAL, text)
    edited, said = config_after(text, profile, Move(OLD, NEW, False), [OLD])
    assert edited == text.replace(f'"Alpha" = "{OLD}"', f'"Alpha" = "{NEW}"').replace(
        "[project.plugins.redirects.redirect_maps]\n",
        f'[project.plugins.redirects.redirect_maps]\n"{OLD}" = "{NEW}"\n',
    )
    assert said == ["nav: 1 entry", "redirect_maps: 1 redirect from the old place"]


def test_a_site_without_redirects_gets_none() -> None:
    text = f"site_name: s\nnav:\n  - Alpha: '{OLD}'\n"
    profile = profile_of_text("mkdocs.yml", "mkdocs", text)
    edited, _ = config_after(text, profile, Move(OLD, NEW, False), [OLD])
    assert edited == f"site_name: s\nnav:\n  - Alpha: '{NEW}'\n"


# ---- the built site -----------------------------------------------------------------------


def build(root: Path, home: Path, into: Path) -> dict[str, str]:
    """`mkdocs build --strict` (it must pass): each built page's HTML by its path."""
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(into)],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        env=isolated_env(home, NO_MKDOCS_2_WARNING="1"),
    )
    assert result.returncode == 0, result.stderr
    return {p.relative_to(into).as_posix(): p.read_text("utf-8") for p in into.rglob("*.html")}


_HREF = re.compile(r'<a href="([^"]+)"')
_HEADING = re.compile(r'<h([1-6]) id="([^"]+)"[^>]*>(.*?)<', re.S)


def reached(html: dict[str, str], page: str) -> list[tuple[str, str]]:
    """Where each link of a built page lands that reaches another page's heading: that
    page's title (its h1) and the heading's text."""
    found = []
    for href in _HREF.findall(html[page]):
        parts = urlsplit(urljoin("/" + page, href))
        if parts.scheme or not parts.fragment:
            continue
        target = unquote(parts.path).lstrip("/")
        target = target + "index.html" if target.endswith("/") or not target else target
        if target == page or target not in html or target.startswith("tags/"):
            continue  # the tags page: its anchors are tags, not headings
        headings = {anchor: text.strip() for _, anchor, text in _HEADING.findall(html[target])}
        title = next(text for level, _, text in _HEADING.findall(html[target]) if level == "1")
        found.append((title.strip(), headings.get(parts.fragment, f"no heading {parts.fragment}")))
    return found


@pytest.mark.differential
def test_after_mv_mkdocs_builds_strict_every_old_link_reaches_its_heading_and_redirects(
    site: tuple[Path, Path], tmp_path: Path
) -> None:
    root, home = site
    before = build(root, home, tmp_path / "before")
    linking = [p for p in before if p.startswith(("notes/", "practice/needs-alpha"))]
    landed = {page: reached(before, page) for page in linking}
    assert sum(len(found) for found in landed.values()) >= 20
    assert all(
        heading != "" and not heading.startswith("no heading")
        for found in landed.values()
        for _, heading in found
    )
    assert run_cli("mv", OLD, NEW, cwd=root, home=home).returncode == 0
    after = build(root, home, tmp_path / "after")
    assert {page: reached(after, page) for page in linking} == landed
    redirect = after["system-design/a/index.html"]
    assert "url=../../fundamentals/b/" in redirect
    assert "fundamentals/b/index.html" in after


@pytest.mark.differential
def test_on_a_zensical_site_the_moved_page_builds_strict_and_its_old_url_redirects(
    tmp_path: Path,
) -> None:
    """Zensical's own redirects plugin, enabled by its table alone: the map is made."""
    home, root = tmp_path / "home", tmp_path / "site"
    made = run_cli("init", str(root), "--engine", "zensical", cwd=tmp_path, home=home)
    assert made.returncode == 0, made.stderr
    made = run_cli(
        *GUIDE, "--topic", "Alpha", "--slug", "a", "--section", "system-design", cwd=root, home=home
    )
    assert made.returncode == 0, made.stderr
    (root / "docs/practice/note.md").write_text(note(1), "utf-8")
    config = (root / "zensical.toml").read_text("utf-8")
    config = config.replace(
        "[project.theme]", f'nav = ["index.md", {{"Alpha" = "{OLD}"}}]\n\n[project.theme]'
    )
    (root / "zensical.toml").write_text(config + "\n[project.plugins.redirects]\n", "utf-8")
    commit_all(root, home, "a zensical site")
    assert run_cli("mv", OLD, NEW, cwd=root, home=home).returncode == 0
    assert f'{{"Alpha" = "{NEW}"}}' in (root / "zensical.toml").read_text("utf-8")
    built = subprocess.run(
        [str(Path(sys.executable).parent / "zensical"), "build", "--strict"],
        cwd=root,
        capture_output=True,
        text=True,
        env=isolated_env(home, NO_COLOR="1"),
        timeout=300,
    )
    assert built.returncode == 0 and "No issues found" in built.stdout + built.stderr, built.stdout
    site = root / "site"
    assert "url=../../fundamentals/b/" in (site / "system-design/a/index.html").read_text("utf-8")
    linked = (site / "practice/note/index.html").read_text("utf-8")
    assert f'href="../../fundamentals/b/#{ANCHORS[1]}"' in linked


# ---- the editor ---------------------------------------------------------------------------


def applied(root: Path, edit: types.WorkspaceEdit) -> None:
    """The workspace edit applied as an editor applies it, then the page renamed."""
    for operation in edit.document_changes or []:
        if isinstance(operation, types.RenameFile):
            old, new = (
                Path(unquote(urlsplit(operation.old_uri).path)),
                Path(unquote(urlsplit(operation.new_uri).path)),
            )
            new.parent.mkdir(parents=True, exist_ok=True)
            old.rename(new)
            continue
        assert isinstance(operation, types.TextDocumentEdit)
        path = Path(unquote(urlsplit(operation.text_document.uri).path))
        lines = lsp_lines(path.read_bytes().decode())  # as the protocol counts lines
        for text_edit in sorted(operation.edits, key=lambda e: e.range.start.line, reverse=True):
            assert isinstance(text_edit, types.TextEdit)
            start, end = text_edit.range.start, text_edit.range.end
            assert start.character == 0
            last = end.line + (1 if end.character else 0)
            lines[start.line : last] = [text_edit.new_text]
        path.write_bytes("".join(lines).encode())


def test_renaming_in_the_editor_makes_the_edit_mv_makes(
    site: tuple[Path, Path], tmp_path: Path
) -> None:
    root, home = site
    # Text pasted from a web page: a line separator and a form feed, which end no line
    # in the protocol (nor in check), and Windows line ends.
    pasted = f"# Pasted\u2028from the web\x0c\r\n\r\nSee [it](../{OLD}#{ANCHORS[0]}).\r\n"
    (root / "docs/notes/pasted.md").write_bytes(pasted.encode())
    commit_all(root, home, "a page pasted from the web")
    by_mv = tmp_path / "by-mv"
    shutil.copytree(root, by_mv, symlinks=True)
    assert run_cli("mv", OLD, NEW, cwd=by_mv, home=home).returncode == 0
    capabilities = types.ClientCapabilities(
        workspace=types.WorkspaceClientCapabilities(
            workspace_edit=types.WorkspaceEditClientCapabilities(document_changes=True),
            file_operations=types.FileOperationClientCapabilities(will_rename=True),
        )
    )
    old_uri, new_uri = (root / "docs" / OLD).as_uri(), (root / "docs" / NEW).as_uri()

    async def body(session: Session) -> Any:
        taken = (root / "docs/practice/index.md").as_uri()
        refused = types.RenameFilesParams(files=[types.FileRename(old_uri=old_uri, new_uri=taken)])
        assert await session.client.workspace_will_rename_files_async(refused) is None
        rename = types.FileRename(old_uri=old_uri, new_uri=new_uri)
        params = types.RenameFilesParams(files=[rename])
        return await session.client.workspace_will_rename_files_async(params)

    edit = run_session(root, home, body, capabilities=capabilities)
    assert isinstance(edit, types.WorkspaceEdit)
    applied(root, edit)
    (root / "docs" / OLD).rename(root / "docs" / NEW)  # the editor's own rename
    assert snapshot(root) == snapshot(by_mv)


def test_renaming_two_pages_at_once_in_the_editor_moves_both_as_mv_twice(
    site: tuple[Path, Path], tmp_path: Path
) -> None:
    root, home = site
    note, renamed = "notes/note-00.md", "notes/first.md"  # both named in nav, as OLD is
    by_mv = tmp_path / "by-mv"
    shutil.copytree(root, by_mv, symlinks=True)
    assert run_cli("mv", OLD, NEW, cwd=by_mv, home=home).returncode == 0
    commit_all(by_mv, home, "the first move")
    assert run_cli("mv", note, renamed, cwd=by_mv, home=home).returncode == 0
    capabilities = types.ClientCapabilities(
        workspace=types.WorkspaceClientCapabilities(
            workspace_edit=types.WorkspaceEditClientCapabilities(document_changes=True),
            file_operations=types.FileOperationClientCapabilities(will_rename=True),
        )
    )
    pairs = [(OLD, NEW), (note, renamed)]
    renames = [
        types.FileRename(old_uri=(root / "docs" / a).as_uri(), new_uri=(root / "docs" / b).as_uri())
        for a, b in pairs
    ]

    async def body(session: Session) -> Any:
        params = types.RenameFilesParams(files=renames)
        return await session.client.workspace_will_rename_files_async(params)

    edit = run_session(root, home, body, capabilities=capabilities)
    assert isinstance(edit, types.WorkspaceEdit)
    applied(root, edit)
    for a, b in pairs:  # the editor's own renames
        (root / "docs" / b).parent.mkdir(parents=True, exist_ok=True)
        (root / "docs" / a).rename(root / "docs" / b)
    assert snapshot(root) == snapshot(by_mv)


def test_a_page_whose_frontmatter_does_not_read_keeps_it_and_its_links_follow(
    site: tuple[Path, Path],
) -> None:
    root, home = site
    broken = root / "docs/notes/broken.md"
    broken.write_text(f"---\nprerequisites: [{OLD}\n---\n\n[a](../{OLD})\n", "utf-8")
    commit_all(root, home, "a page with broken frontmatter")
    assert run_cli("mv", OLD, NEW, cwd=root, home=home).returncode == 0
    assert broken.read_text("utf-8") == f"---\nprerequisites: [{OLD}\n---\n\n[a](../{NEW})\n"
