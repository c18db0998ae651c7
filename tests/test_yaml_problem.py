"""YAML that does not read is said one way, in one line, at the file's own line and column,
whichever reader meets it: a page's frontmatter (check, update, adopt, the server), a data
file, the site's configuration, mkdocs.yml, copier.yml, an answers file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from lsprotocol import types
from support import GUIDE_ARGS, git, make_site, run_cli

from guidewright.check.site_check import check_site
from guidewright.copier_compat.config import read_template_config
from guidewright.core import yaml_edit
from guidewright.core.errors import FrontmatterError, GuidewrightError
from guidewright.lsp.live_site import open_live_site
from guidewright.lsp.server import GuidewrightServer
from guidewright.lsp.sites import Sites
from guidewright.markdown import frontmatter
from guidewright.site.init_site import init_site
from guidewright.site.profile import read_profile
from guidewright.site.site import load_site, parse_config
from guidewright.template.answering import load_data_file

# A list never closed: PyYAML notices on the next line, at its colon; the author looks
# where the list opened.
BROKEN = "aliases: [a, b\nsummary: A page\n"
SAID = "while parsing a flow sequence here: did not find expected ',' or ']'"


def _frontmatter(tmp_path: Path, text: str) -> str:
    with pytest.raises(FrontmatterError) as raised:
        frontmatter.parse(f"---\n{text}---\n# Title\n")
    error = raised.value
    return f"page.md: {error.place}: {error}"


def _config(tmp_path: Path, text: str) -> str:
    return _message(lambda: parse_config(text.encode()))


def _mkdocs(tmp_path: Path, text: str) -> str:
    (tmp_path / "mkdocs.yml").write_text(text)
    return _message(lambda: read_profile(tmp_path))


def _copier(tmp_path: Path, text: str) -> str:
    (tmp_path / "copier.yml").write_text(text)
    return _message(lambda: read_template_config(tmp_path))


def _data_file(tmp_path: Path, text: str) -> str:
    (tmp_path / "data.yml").write_text(text)
    return _message(lambda: load_data_file(tmp_path / "data.yml"))


def _text_edit(tmp_path: Path, text: str) -> str:
    return _message(lambda: yaml_edit.compose(text))


def _message(read: Callable[[], object]) -> str:
    with pytest.raises((GuidewrightError, yaml_edit.NoTextEdit)) as raised:
        read()
    return str(raised.value)


IN_PAGE = f"line 2, column 10: invalid YAML: {SAID} at line 3, column 8"  # after `---`
IN_FILE = f"invalid YAML: line 1, column 10: {SAID} at line 2, column 8"


@pytest.mark.parametrize(
    ("read", "shown"),
    [
        (_frontmatter, f"page.md: {IN_PAGE}"),
        (_config, f".guidewright/config.yml: {IN_FILE}"),
        (_mkdocs, f"mkdocs.yml: {IN_FILE}"),
        (_copier, f"copier.yml: {IN_FILE}"),
        (_data_file, f"--data-file: {{path}}: {IN_FILE}"),
        (_text_edit, IN_FILE),
    ],
)
def test_every_reader_says_broken_yaml_alike_in_its_files_lines(
    tmp_path: Path, read: Callable[[Path, str], str], shown: str
) -> None:
    said = read(tmp_path, BROKEN)
    assert said == shown.replace("{path}", str(tmp_path / "data.yml"))
    assert "\n" not in said


def test_a_file_copier_yml_includes_is_named_at_its_own_lines(tmp_path: Path) -> None:
    (tmp_path / "copier.yml").write_text("_min_copier_version: '9.0'\n---\n!include q/*.yml\n")
    (tmp_path / "q").mkdir()
    (tmp_path / "q" / "topic.yml").write_text(BROKEN)
    assert _message(lambda: read_template_config(tmp_path)) == f"q/topic.yml: {IN_FILE}"


@pytest.mark.parametrize(
    ("text", "frontmatter_place", "file_place", "said"),
    [
        ("title: A\ntitle: B\n", "line 3", "line 2", "duplicate key 'title'"),
        ("title: A\nbad: \x00\n", "line 3", "line 2", "unacceptable character #x0000: "),
        ("title: A\n  bad: indent\n", "line 3, column 6", "line 2, column 6", "mapping values"),
    ],
)
def test_refusals_and_unreadable_characters_are_placed_too(
    tmp_path: Path, text: str, frontmatter_place: str, file_place: str, said: str
) -> None:
    assert _frontmatter(tmp_path, text).startswith(
        f"page.md: {frontmatter_place}: invalid YAML: {said}"
    )
    shown = f"--data-file: {tmp_path / 'data.yml'}: invalid YAML: {file_place}: {said}"
    assert _data_file(tmp_path, text).startswith(shown)


def test_a_section_metadata_file_is_placed_as_a_page_s_frontmatter(tmp_path: Path) -> None:
    root = tmp_path / "site"
    init_site(root, None, None, git=False)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - tags\n", "  - tags\n  - meta\n"))
    (root / "docs" / "fundamentals").mkdir(parents=True, exist_ok=True)
    (root / "docs" / "fundamentals" / ".meta.yml").write_text(BROKEN)
    report = check_site(load_site(root), None, dt.date(2026, 6, 1))
    found = [(p.path, p.line, p.column, p.message) for p in report.problems if p.code == "GW002"]
    said = f"invalid YAML: {SAID} at line 2, column 8"
    assert found == [("docs/fundamentals/.meta.yml", 1, 10, said)]


def test_check_the_server_adopt_update_and_new_say_the_same_broken_yaml_alike(
    tmp_path: Path, home: Path
) -> None:
    site = make_site(tmp_path / "site")
    git(site, home, "init", "-q")
    assert run_cli(*GUIDE_ARGS, "--dest", str(site), cwd=site, home=home).returncode == 0
    (site / "docs" / "practice" / "notes.md").write_text(f"---\n{BROKEN}---\n# Notes\n")
    (answers,) = (site / ".guidewright" / "answers").rglob("*.yml")
    answers.write_text(BROKEN)
    (tmp_path / "data.yml").write_text(BROKEN)
    in_page = f"invalid YAML: {SAID} at line 3, column 8"
    shown_answers = answers.relative_to(site).as_posix()

    checked = run_cli("check", cwd=site, home=home)
    assert f"docs/practice/notes.md:2:10: GW002 frontmatter: {in_page}" in checked.stdout
    assert f"{shown_answers}:1: GW502 answers: warning: {IN_FILE}" in checked.stdout

    live = open_live_site(load_site(site))
    try:
        sites = Sites(opener=lambda site, template: live)
        sites.add(live.site)
        server = GuidewrightServer(sites)
        root = site.resolve()
        initialize = types.InitializeParams(types.ClientCapabilities(), root_uri=root.as_uri())
        next(server.protocol.lsp_initialize(initialize), None)
        page = root / "docs" / "practice" / "notes.md"
        (found,) = server.diagnostics(page.as_uri(), page.read_text())
    finally:
        live.close()
    assert (found.code, found.message) == ("GW002", f"frontmatter: {in_page}")
    assert found.range.start == types.Position(1, 9)

    adopted = run_cli("adopt", "docs/practice/notes.md", "--defaults", cwd=site, home=home)
    flat = " ".join(adopted.stdout.split() + adopted.stderr.split())
    assert f"docs/practice/notes.md: line 2, column 10: {in_page}; fix its frontmatter" in flat

    updated = run_cli("update", "--defaults", cwd=site, home=home)
    assert f"{shown_answers}: {IN_FILE}" in " ".join(updated.stdout.split())

    made = run_cli(*GUIDE_ARGS, "--data-file", str(tmp_path / "data.yml"), cwd=site, home=home)
    assert made.returncode == 2
    assert made.stderr.strip() == f"error: --data-file: {tmp_path / 'data.yml'}: {IN_FILE}"
