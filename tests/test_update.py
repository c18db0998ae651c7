"""update: Copier's merge, byte for byte, on every kind of author edit."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import REPO, isolated_env, run_cli, snapshot

COPIER = str(Path(sys.executable).parent / "copier")
NEW_SECTION = "## 🧭 Interview Day Checklist\n\n- [ ] Sleep well\n- [ ] Arrive early\n\n---\n\n"
REWORDED = ("- [ ] Complete practice exercises\n", "- [ ] Complete every practice exercise\n")

# (slug, edit): each edit is (old, new) applied to the generated guide.
EDITS: dict[str, list[tuple[str, str]]] = {
    "untouched": [],
    "frontmatter-edited": [('difficulty: "intermediate"', 'difficulty: "advanced"')],
    "paragraph-rewritten": [
        (
            "**Definition**: [Clear, concise definition]",
            "**Definition**: Caches trade freshness for speed.",
        ),
    ],
    "section-added": [
        (
            "## 🎯 Key Takeaways and Next Steps",
            "## ✍️ My Own Notes\n\nWrite-through beat write-back for us.\n\n---\n\n## 🎯 Key Takeaways and Next Steps",
        ),
    ],
    "section-deleted": [
        ("### Real-World Case Studies\n", "### Real-World Case Studies (trimmed)\n"),
        (
            "#### Case Study 2: [Industry Example]\n**Challenge**: [Problem statement]\n**Solution**: [Approach taken]\n**Application**: [How to reference in interviews]\n\n",
            "",
        ),
    ],
    "same-line-as-template": [(REWORDED[0], "- [ ] Complete practice exercises twice\n")],
}


def git(cwd: Path, home: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, env=isolated_env(home), check=True, capture_output=True, text=True
    ).stdout


def make_template_repo(root: Path, home: Path) -> Path:
    repo = root / "template-repo"
    repo.mkdir()
    shutil.copy(REPO / "copier.yml", repo / "copier.yml")
    shutil.copytree(REPO / "template", repo / "template")
    git(repo, home, "init", "-q", "-b", "main")
    git(repo, home, "add", "-A")
    git(repo, home, "commit", "-q", "-m", "v1")
    git(repo, home, "tag", "v1")
    return repo


def release_v2(repo: Path, home: Path) -> None:
    """A new section, a reworded checklist line and a new frontmatter field."""
    guide = repo / "template/_partials/guide.md.jinja"
    text = guide.read_text("utf-8")
    text = text.replace(
        "## 🚀 Advanced Applications", NEW_SECTION + "## 🚀 Advanced Applications", 1
    )
    text = text.replace(REWORDED[0], REWORDED[1], 1)
    text = text.replace(
        "interview_focus: {{ links.yaml_value(interview_focus) }}  # technical|behavioral|leadership|mixed\n",
        "interview_focus: {{ links.yaml_value(interview_focus) }}  # technical|behavioral|leadership|mixed\n"
        "interview_round: {{ links.yaml_value(interview_round) }}\n",
        1,
    )
    guide.write_text(text, "utf-8")
    with (repo / "copier.yml").open("a", encoding="utf-8") as config:
        config.write("interview_round:\n  type: str\n  help: Interview round\n  default: onsite\n")
    git(repo, home, "commit", "-q", "-am", "v2")
    git(repo, home, "tag", "v2")


@pytest.fixture(scope="module")
def edited_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    base = tmp_path_factory.mktemp("update")
    home = base / "home"
    repo = make_template_repo(base, home)
    site = base / "site"
    assert (
        run_cli(
            "init",
            str(site),
            "--content-owner",
            "team",
            "--template",
            str(repo),
            cwd=base,
            home=home,
        ).returncode
        == 0
    )
    for slug in EDITS:
        result = run_cli(
            "new-guide", "--defaults", "--dest", str(site), "--topic", f"Caching {slug}",
            "--slug", slug, "--section", "system-design", "--tag", "aws", "--tag", "coding",
            "--objective", "Explain caching", "--last-updated", "2026-11-01", cwd=base, home=home,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
    git(site, home, "init", "-q")
    git(site, home, "add", "-A")
    git(site, home, "commit", "-q", "-m", "documents")
    for slug, edits in EDITS.items():
        path = site / f"docs/system-design/{slug}.md"
        text = path.read_text("utf-8")
        for old, new in edits:
            assert old in text, (slug, old)
            text = text.replace(old, new, 1)
        path.write_text(text, "utf-8")
    git(site, home, "commit", "-q", "-am", "author edits")
    release_v2(repo, home)
    return site, repo, home


def clone_site(site: Path, target: Path) -> Path:
    shutil.copytree(site, target, symlinks=True)
    return target


def test_update_equals_plain_copier_on_every_edit(
    edited_site: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    site, _, home = edited_site
    ours = clone_site(site, tmp_path / "ours")
    theirs = clone_site(site, tmp_path / "theirs")
    result = run_cli("update", "--defaults", "--dest", str(ours), cwd=ours, home=home)
    assert result.returncode == 1, result.stdout + result.stderr  # one document conflicts
    for answers in sorted((theirs / ".guidewright/answers").rglob("*.yml")):
        relpath = answers.relative_to(theirs).as_posix()
        done = subprocess.run(
            [COPIER, "update", "--defaults", "--answers-file", relpath, "--vcs-ref", "v2"],
            cwd=theirs, env=isolated_env(home), capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        git(theirs, home, "add", "-A")
        git(theirs, home, "commit", "-q", "-m", f"copier update {relpath}")
    mine, copiers = snapshot(ours), snapshot(theirs)
    assert mine.keys() == copiers.keys()
    for relpath in mine:
        assert mine[relpath] == copiers[relpath], relpath
    assert "conflicted" in result.stdout and "same-line-as-template" in result.stdout


def test_every_author_edit_survives_and_the_template_change_lands(
    edited_site: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    site, _, home = edited_site
    ours = clone_site(site, tmp_path / "ours")
    run_cli("update", "--defaults", "--dest", str(ours), cwd=ours, home=home)
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
