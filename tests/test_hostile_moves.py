"""`guidewright mv` against hostile sites and a world that moves while it runs: links out
of the site and to devices, FIFOs, names too long or not UTF-8, hostile YAML in the
engine's configuration, saves landing while the move is written. Each case ends in one
line (exit 2 or 1) and the site as it was, or in the whole move; never a traceback."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from built_once import built_once
from support import commit_all, git, run_cli, snapshot

from guidewright.site import write_session

OLD, NEW = "system-design/a.md", "fundamentals/b.md"
GUIDE = (
    *("new-guide", "--defaults", "--tag", "caching", "--tag", "aws"),
    *("--last-updated", "2026-01-31", "--objective", "Explain it"),
    *("--contributor", "Ada Lovelace", "--content-owner", "platform-team"),
)


def build_site(folder: Path) -> None:
    """A guide at OLD that a guide lists as a prerequisite and three notes link to, in nav
    and with a redirects plugin."""
    home, site = folder / "home", folder / "site"
    made = run_cli("init", str(site), "--content-owner", "platform-team", cwd=folder, home=home)
    assert made.returncode == 0, made.stderr
    for extra in (
        ("--topic", "Alpha", "--slug", "a", "--section", "system-design"),
        ("--topic", "Needs", "--section", "practice", "--prerequisite", OLD),
    ):
        made = run_cli(*GUIDE, *extra, cwd=site, home=home)
        assert made.returncode == 0, made.stderr
    (site / "docs/notes").mkdir()
    for number in range(3):
        (site / f"docs/notes/n{number}.md").write_text(
            f"# Note {number}\n\nSee [a](../{OLD}#learning-outcomes).\n", "utf-8"
        )
    config = (site / "mkdocs.yml").read_text("utf-8")
    config = config.replace("omitted_files: warn", "omitted_files: info")
    config = config.replace(
        "  - tags\n", "  - tags\n  - redirects:\n      redirect_maps:\n        old.md: index.md\n"
    )
    config += f"nav:\n  - Home: index.md\n  - Alpha: {OLD}\n"
    (site / "mkdocs.yml").write_text(config, "utf-8")
    commit_all(site, home, "a site where pages name system-design/a.md")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_once(tmp_path_factory, "hostile-mv-site", build_site)


@pytest.fixture
def site(built: Path, tmp_path: Path) -> tuple[Path, Path]:
    shutil.copytree(built / "site", tmp_path / "site", symlinks=True)
    shutil.copytree(built / "home", tmp_path / "home", symlinks=True)
    return tmp_path / "site", tmp_path / "home"


def committed(root: Path, home: Path, make: Callable[[Path], None]) -> dict[str, bytes]:
    """The site after `make` changed it and the change was committed, as a snapshot."""
    make(root)
    commit_all(root, home, "hostile")
    return snapshot(root)


def one_line_refusal(result: object, code: int) -> None:
    stderr = getattr(result, "stderr", "")
    assert getattr(result, "returncode", None) == code, stderr
    assert "Traceback" not in stderr
    assert stderr.startswith("error: ") and stderr.count("\n") == 1, stderr


# ---- hostile files ------------------------------------------------------------------------


def test_a_page_linked_to_dev_zero_elsewhere_does_not_stop_the_move(
    site: tuple[Path, Path],
) -> None:
    """A committed `docs/notes/z.md -> /dev/zero` is no page mv reads (check reports it):
    the move goes on, the link left as it is."""
    root, home = site
    committed(root, home, lambda r: (r / "docs/notes/z.md").symlink_to("/dev/zero"))
    result = run_cli("mv", OLD, NEW, cwd=root, home=home)
    assert result.returncode == 0, result.stderr
    assert (root / "docs" / NEW).is_file()
    assert os.readlink(root / "docs/notes/z.md") == "/dev/zero"


def test_a_folder_holding_a_linked_folder_is_refused_as_a_linked_file_is(
    site: tuple[Path, Path], tmp_path: Path
) -> None:
    """mv moves no link: a linked folder in the moved folder was left behind in silence
    (the move said done, the old folder stayed with the link in it)."""
    root, home = site
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere/o.md").write_text("# Elsewhere\n")
    before = committed(
        root, home, lambda r: (r / "docs/notes/linked").symlink_to(tmp_path / "elsewhere")
    )
    result = run_cli("mv", "notes", "remarks", cwd=root, home=home)
    one_line_refusal(result, 2)
    assert "docs/notes/linked: a symbolic link; mv moves no link" in result.stderr
    assert snapshot(root) == before


@pytest.mark.parametrize("given", ["old", "new"])
def test_a_name_longer_than_the_file_system_allows_is_refused_by_name(
    site: tuple[Path, Path], given: str
) -> None:
    root, home = site
    before = snapshot(root)
    long = "notes/" + "w" * 300 + ".md"
    old, new = (long, "notes/x.md") if given == "old" else ("notes/n0.md", long)
    result = run_cli("mv", old, new, cwd=root, home=home)
    one_line_refusal(result, 2)
    assert result.stderr.endswith(": File name too long\n")
    assert snapshot(root) == before


def test_moving_to_a_name_that_is_not_utf8_is_refused(site: tuple[Path, Path]) -> None:
    root, home = site
    before = snapshot(root)
    result = run_cli("mv", "notes/n0.md", "notes/caf\udce9.md", cwd=root, home=home)
    one_line_refusal(result, 2)
    assert "caf\\xe9.md" in result.stderr and "UTF-8" in result.stderr
    assert snapshot(root) == before


def test_moving_a_page_whose_name_is_not_utf8_is_refused(site: tuple[Path, Path]) -> None:
    root, home = site
    name = os.fsencode(root / "docs/notes") + b"/caf\xe9.md"
    before = committed(root, home, lambda r: Path(os.fsdecode(name)).write_text("# C\n"))
    result = run_cli("mv", "notes/caf\udce9.md", "notes/cafe.md", cwd=root, home=home)
    one_line_refusal(result, 2)
    assert "caf\\xe9.md" in result.stderr
    assert snapshot(root) == before


def test_a_folder_holding_a_name_that_is_not_utf8_is_refused_by_that_name(
    site: tuple[Path, Path],
) -> None:
    root, home = site
    name = os.fsencode(root / "docs/notes") + b"/\xfe.png"
    before = committed(root, home, lambda r: Path(os.fsdecode(name)).write_bytes(b"png"))
    result = run_cli("mv", "notes", "remarks", cwd=root, home=home)
    one_line_refusal(result, 2)
    assert "notes/\\xfe.png" in result.stderr
    assert snapshot(root) == before


def test_a_page_not_utf8_named_that_links_to_the_moved_one_follows_it(
    site: tuple[Path, Path],
) -> None:
    """Only the names mv writes must be UTF-8: a page of another name keeps its name."""
    root, home = site
    name = Path(os.fsdecode(os.fsencode(root / "docs/notes") + b"/\xff.md"))
    committed(root, home, lambda r: name.write_text(f"# X\n\n[a](../{OLD})\n"))
    shown = run_cli("mv", "--pretend", OLD, NEW, cwd=root, home=home)
    assert shown.returncode == 0, shown.stderr
    assert "+++ b/docs/notes/\\xff.md\n" in shown.stdout
    result = run_cli("mv", OLD, NEW, cwd=root, home=home)
    assert result.returncode == 0, result.stderr
    assert "  docs/notes/\\xff.md: 1 link\n" in result.stdout
    assert name.read_text() == f"# X\n\n[a](../{NEW})\n"


# ---- saves while the move is written ------------------------------------------------------


def saved_while_staging(
    monkeypatch: pytest.MonkeyPatch, marker: bytes, target: Path, saved: bytes
) -> None:
    """When the write session stages the file whose new bytes hold `marker`, an author
    saves `target`."""
    stage = write_session.stage

    def saving(folder: int, name: str, content: bytes) -> None:
        if marker in content:
            target.write_bytes(saved)
        stage(folder, name, content)

    monkeypatch.setattr(write_session, "stage", saving)


@pytest.mark.parametrize(
    ("saved_relpath", "marker"),
    [
        (f"docs/{OLD}", b"title: Alpha"),  # the moved page itself
        ("docs/notes/n1.md", b"# Note 1\n"),  # a page whose link is rewritten
        ("mkdocs.yml", b"fundamentals/b.md\n"),  # the engine's configuration
        (".guidewright/answers/system-design/a.yml", b"section: fundamentals"),  # its answers
    ],
)
def test_a_save_while_mv_writes_survives_byte_for_byte_and_nothing_moves(
    site: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, saved_relpath: str, marker: bytes
) -> None:
    root, home = site
    before = snapshot(root)
    saved = b"# Saved meanwhile\n\xe2\x9c\x93 by the author\n"
    saved_while_staging(monkeypatch, marker, root / saved_relpath, saved)
    result = run_cli("mv", OLD, NEW, cwd=root, home=home)
    assert result.returncode == 1, result.stderr
    assert result.stderr == (
        f"error: {saved_relpath}: changed while mv ran: left as you saved it; run mv again; "
        "nothing was moved\n"
    )
    assert snapshot(root) == {**before, saved_relpath: saved}
    assert not (root / ".guidewright/staging").exists()
    git(root, home, "add", "-A")
    assert git(root, home, "diff", "--cached", "--name-only").split() == [saved_relpath]


def test_the_input_ending_at_a_prompt_is_one_line_not_a_traceback(
    site: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Typer's Abort (a prompt that met the end of the input) is Typer's own class since
    Typer 0.22: naming click's hid every error behind an AttributeError traceback."""
    import typer

    from guidewright.move import run

    def ended(*args: object) -> None:
        raise typer.Abort

    root, home = site
    monkeypatch.setattr(run, "move_in_site", ended)
    result = run_cli("mv", OLD, NEW, cwd=root, home=home)
    assert (result.returncode, result.stderr) == (
        1,
        "cancelled: the input ended; nothing was written\n",
    )


# ---- what mv prints -----------------------------------------------------------------------

HOSTILE = "n\r::add-mask::n\n::error::x\x1b[2J.md"


def test_a_new_name_holding_control_characters_is_refused(site: tuple[Path, Path]) -> None:
    root, home = site
    before = snapshot(root)
    result = run_cli("mv", "notes/n0.md", f"notes/{HOSTILE}", cwd=root, home=home)
    one_line_refusal(result, 2)
    assert "notes/n\\r::add-mask::n\\n::error::x\\x1b[2J.md" in result.stderr
    assert snapshot(root) == before


def test_a_page_named_with_control_characters_moves_and_no_line_is_a_command(
    site: tuple[Path, Path],
) -> None:
    """A name anyone can commit cannot start a line of its own in what mv prints (a
    workflow command in CI, an escape sequence in a terminal)."""
    root, home = site
    committed(root, home, lambda r: (r / "docs/notes" / HOSTILE).write_text(f"[a](../{OLD})\n"))
    for args in (("--pretend", OLD, NEW), (f"notes/{HOSTILE}", "notes/plain.md")):
        result = run_cli("mv", *args, cwd=root, home=home)
        assert result.returncode == 0, result.stderr
        assert "notes/n\\r::add-mask::n\\n::error::x\\x1b[2J.md" in result.stdout
        for line in re.split(r"\r\n|\r|\n", result.stdout):
            assert not line.startswith("::") and "\x1b" not in line, line
    assert (root / "docs/notes/plain.md").read_text() == f"[a](../{OLD})\n"
