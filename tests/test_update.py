"""update: Copier's merge, byte for byte, on every kind of author edit."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pexpect
import pytest
import yaml
from built_once import built_once
from edited_guides import EDITS, REWORDED, clone_site
from forked_terminal import ForkedTerminal
from frontmatter_oracle import copier_update, questions
from support import HANG, git, isolated_env, run_cli, run_copier, snapshot


def _update_a_copy(folder: Path, site: Path, home: Path) -> None:
    """Our `update` of a copy of the edited site, and what it printed."""
    ours = clone_site(site, folder / "ours")
    result = run_cli("update", "--defaults", "--dest", str(ours), cwd=ours, home=home)
    printed = {"returncode": result.returncode, "stdout": result.stdout, "stderr": result.stderr}
    (folder / "printed.json").write_text(json.dumps(printed))


@pytest.fixture(scope="module")
def updated_by_us(
    tmp_path_factory: pytest.TempPathFactory, edited_site: tuple[Path, Path, Path]
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """Our `update` of a copy of the edited site and what it printed, run once a run
    (built_once.py): the two tests below ran the same command on the same copy each, a
    third of a second of CPU twice; they only read its result."""
    site, _, home = edited_site
    folder = built_once(
        tmp_path_factory, "edited-site-updated", lambda folder: _update_a_copy(folder, site, home)
    )
    printed = json.loads((folder / "printed.json").read_text())
    result = subprocess.CompletedProcess(
        ["update"], printed["returncode"], printed["stdout"], printed["stderr"]
    )
    return folder / "ours", result


@pytest.mark.long
@pytest.mark.differential
def test_update_equals_copier_told_the_frontmatter_on_every_edit(
    edited_site: tuple[Path, Path, Path],
    updated_by_us: tuple[Path, subprocess.CompletedProcess[str]],
    tmp_path: Path,
) -> None:
    """Copier is told the values the page's frontmatter holds (`--data`): the frontmatter
    is the answer. An untouched frontmatter gives plain `copier update`."""
    site, repo, home = edited_site
    asked = questions(repo / "copier.yml")
    ours, result = updated_by_us
    theirs = clone_site(site, tmp_path / "theirs")
    assert result.returncode == 1, result.stdout + result.stderr  # one document conflicts
    for answers in sorted((theirs / ".guidewright/answers").rglob("*.yml")):
        relpath = answers.relative_to(theirs).as_posix()
        done = run_copier(*copier_update(theirs, answers, asked), cwd=theirs, home=home)
        assert done.returncode == 0, done.stderr
        git(theirs, home, "add", "-A")
        git(theirs, home, "commit", "-q", "-m", f"copier update {relpath}")
    mine, copiers = snapshot(ours), snapshot(theirs)
    assert mine.keys() == copiers.keys()
    for relpath in mine:
        assert mine[relpath] == copiers[relpath], relpath
    assert "conflicted" in result.stdout and "same-line-as-template" in result.stdout
    edited = mine["docs/system-design/frontmatter-edited.md"].decode()
    assert "**Skill Level**: Advanced (suitable for engineers with 8+" in edited
    recorded = mine[".guidewright/answers/system-design/frontmatter-edited.yml"].decode()
    assert "difficulty: advanced" in recorded


def test_every_author_edit_survives_and_the_template_change_lands(
    updated_by_us: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    ours, _ = updated_by_us
    for slug, edits in EDITS.items():
        text = (ours / f"docs/system-design/{slug}.md").read_text("utf-8")
        assert "## 🧭 Interview Day Checklist" in text, slug
        assert 'interview_round: "onsite"' in text, slug
        for _, new in edits:
            assert new in text, (slug, new)
        if slug == "same-line-as-template":
            assert "<<<<<<< before updating" in text and REWORDED[1] in text
        else:
            assert REWORDED[1] in text and "<<<<<<<" not in text, slug
        answers = yaml.safe_load(
            (ours / f".guidewright/answers/system-design/{slug}.yml").read_text()
        )
        assert answers["_commit"] == "v2" and answers["interview_round"] == "onsite"


# ---- refusals, pretend, broken documents, interrupted writes ------------------------------


@pytest.fixture
def fresh_copy(edited_site: tuple[Path, Path, Path], tmp_path: Path) -> tuple[Path, Path]:
    site, _, home = edited_site
    return clone_site(site, tmp_path / "site"), home


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    return lines[0]


def test_refuses_a_site_outside_git(fresh_copy: tuple[Path, Path]) -> None:
    site, home = fresh_copy
    shutil.rmtree(site / ".git")
    before = snapshot(site)
    result = run_cli("update", "--defaults", "--dest", str(site), cwd=site, home=home)
    assert result.returncode == 2
    assert "is not in a git repository" in one_line_error(result)
    assert snapshot(site) == before


def test_refuses_uncommitted_changes(fresh_copy: tuple[Path, Path]) -> None:
    site, home = fresh_copy
    document = site / "docs/system-design/untouched.md"
    document.write_text(document.read_text() + "\nunsaved thought\n")
    before = snapshot(site)
    result = run_cli("update", "--defaults", "--dest", str(site), cwd=site, home=home)
    assert result.returncode == 2
    assert one_line_error(result) == (
        "error: uncommitted changes in docs/system-design/untouched.md: "
        "commit or stash them before running update"
    )
    assert snapshot(site) == before


def test_refuses_an_unknown_ref(fresh_copy: tuple[Path, Path]) -> None:
    site, home = fresh_copy
    before = snapshot(site)
    result = run_cli(
        "update", "--defaults", "--vcs-ref", "v9", "--dest", str(site), cwd=site, home=home
    )
    assert result.returncode == 2
    assert "--vcs-ref: v9 is not a version of" in one_line_error(result)
    assert snapshot(site) == before


def test_pretend_shows_the_diff_and_touches_nothing(fresh_copy: tuple[Path, Path]) -> None:
    site, home = fresh_copy
    before = snapshot(site)
    result = run_cli("update", "--pretend", "--defaults", "--dest", str(site), cwd=site, home=home)
    assert result.returncode == 1  # one document would conflict
    assert "+## 🧭 Interview Day Checklist" in result.stdout
    assert "--- a/docs/system-design/untouched.md" in result.stdout
    assert "-_commit: v1" in result.stdout and "+_commit: v2" in result.stdout
    assert "pretend: nothing written" in result.stdout
    assert snapshot(site) == before
    elsewhere = run_cli(
        "update", "--pretend", "--defaults", "--dest", site.name, cwd=site.parent, home=home
    )
    assert f"{site.name}/docs/system-design/untouched.md" in elsewhere.stdout  # from here


def test_only_the_given_documents_are_updated(fresh_copy: tuple[Path, Path]) -> None:
    site, home = fresh_copy
    result = run_cli("update", "docs/system-design/untouched.md", "--defaults", cwd=site, home=home)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "## 🧭" in (site / "docs/system-design/untouched.md").read_text()
    assert "## 🧭" not in (site / "docs/system-design/section-added.md").read_text()
    unknown = run_cli("update", "docs/index.md", "--defaults", cwd=site, home=home)
    assert unknown.returncode == 2 and "has no recorded answers" in one_line_error(unknown)


def test_broken_and_moved_documents_are_reported_and_skipped(fresh_copy: tuple[Path, Path]) -> None:
    site, home = fresh_copy
    answers_dir = site / ".guidewright/answers/system-design"
    (answers_dir / "frontmatter-edited.yml").write_text("_commit: [unclosed\n")
    moved = site / "docs/system-design/paragraph-rewritten.md"
    moved.rename(site / "docs/system-design/renamed.md")
    git(site, home, "add", "-A")
    git(site, home, "commit", "-q", "-m", "break two")
    before = snapshot(site)
    result = run_cli("update", "--defaults", "--dest", str(site), cwd=site, home=home)
    assert result.returncode == 1
    flat = " ".join(result.stdout.split())
    assert (
        ".guidewright/answers/system-design/frontmatter-edited.yml: invalid YAML: line 1, "
        "column 10: while parsing a flow sequence here: did not find expected ',' or ']' "
        "at line 2, column 1"
    ) in flat
    assert "missing: moved or renamed?" in flat
    after = snapshot(site)
    for untouched in (
        ".guidewright/answers/system-design/frontmatter-edited.yml",
        "docs/system-design/frontmatter-edited.md",
        "docs/system-design/renamed.md",
        ".guidewright/answers/system-design/paragraph-rewritten.yml",
    ):
        assert after[untouched] == before[untouched], untouched
    assert not (site / "docs/system-design/paragraph-rewritten.md").exists()
    assert "## 🧭" in after["docs/system-design/untouched.md"].decode()


def test_an_interrupted_write_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from guidewright.core.atomic import write_atomic

    target = tmp_path / "doc.md"
    target.write_bytes(b"old\n")

    def interrupted(src: object, dst: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, b"new\n" * 1000)
    assert target.read_bytes() == b"old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["doc.md"]
    monkeypatch.undo()
    write_atomic(target, b"new\n")
    assert target.read_bytes() == b"new\n"


def test_new_questions_are_asked_once_per_document(
    edited_site: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    from guidewright.copier_compat.render import TemplateRenderer
    from guidewright.site.answers_files import read_recorded
    from guidewright.site.site import load_site
    from guidewright.template.answering import Prompt
    from guidewright.update.new_questions import complete_answers

    site, repo, _ = edited_site
    renderer = TemplateRenderer(repo)  # v2, checked out
    asked: list[tuple[str, str, object]] = []

    def ask(document: str, prompt: Prompt) -> object:
        asked.append((document, prompt.question.name, prompt.default))
        assert prompt.check("") == ("", None)  # the question's own rules judge the answer
        return "phone screen"

    for slug in ("untouched", "section-added"):
        recorded = read_recorded(load_site(site), f".guidewright/answers/system-design/{slug}.yml")
        completed = complete_answers(
            renderer.questions, (), recorded.answers, recorded.document, ask
        )
        assert completed.answers["interview_round"] == "phone screen"
        assert {"tutorial_type", "skills_taught"} <= completed.hidden
    assert asked == [
        ("docs/system-design/untouched.md", "interview_round", "onsite"),
        ("docs/system-design/section-added.md", "interview_round", "onsite"),
    ]


def test_parallel_rendering_gives_the_same_result(
    edited_site: tuple[Path, Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from guidewright.site.site import load_site
    from guidewright.update import plan
    from guidewright.update import run as update

    site, _, _ = edited_site
    results = []
    for name, threshold in (("sequential", 10**9), ("parallel", 0)):
        copy = clone_site(site, tmp_path / name)
        monkeypatch.setattr(plan, "PARALLEL_FROM", threshold)
        outcomes = update.update_site(load_site(copy), None, None, False, None)
        results.append(
            ([(o.document, o.status, o.conflict_lines) for o in outcomes], snapshot(copy))
        )
    assert results[0] == results[1]
    assert any(status is plan.Status.CONFLICTED for _, status, _ in results[0][0])


def test_new_question_is_asked_in_a_terminal_once_per_document(
    fresh_copy: tuple[Path, Path],
) -> None:
    site, home = fresh_copy
    env = isolated_env(home, PROMPT_TOOLKIT_NO_CPR="1", TERM="xterm")
    child = ForkedTerminal(
        ["update"],
        cwd=str(site),
        env=env,
        encoding="utf-8",
        timeout=HANG,
        dimensions=(40, 200),
    )
    for number, slug in enumerate(sorted(EDITS)):
        if number:  # from the second document on: this one, or the same for all the rest
            child.expect("Same answer for this and every other document")
            child.send("\r")  # Answer for this document
        child.expect(f"docs/system-design/{slug}.md: Interview round")
        child.expect("onsite")  # the pre-filled default is shown: the prompt reads keys now
        child.send("\x15" + f"round-{slug}\r")  # Ctrl-U clears the pre-filled default
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1  # the same-line edit conflicts
    for slug in EDITS:
        answers = yaml.safe_load(
            (site / f".guidewright/answers/system-design/{slug}.yml").read_text()
        )
        assert answers["interview_round"] == f"round-{slug}"
