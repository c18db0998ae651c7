"""The repository is a plain Copier template, and the recorded answers work with Copier."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from support import GUIDE_ARGS, git, make_template_repo, run_cli, run_copier

pytestmark = pytest.mark.differential

NEW_SECTION = "## 🧭 Interview Day Checklist\n\n- [ ] Sleep well\n\n---\n\n"


@pytest.fixture
def template_repo(tmp_path: Path, home: Path) -> Path:
    return make_template_repo(tmp_path, home)


def release_v2(repo: Path, home: Path) -> None:
    guide = repo / "template/_partials/guide.md.jinja"
    text = guide.read_text("utf-8")
    guide.write_text(
        text.replace("## 🚀 Advanced Applications", NEW_SECTION + "## 🚀 Advanced Applications")
    )
    git(repo, home, "commit", "-q", "-am", "v2: interview day checklist")
    git(repo, home, "tag", "v2")


def test_plain_copier_copy_writes_the_same_document(
    site: Path, home: Path, tmp_path: Path, template_repo: Path
) -> None:
    result = run_cli(
        *GUIDE_ARGS, "--template", str(template_repo), "--dest", str(site), cwd=site, home=home
    )
    assert result.returncode == 0, result.stderr
    answers_file = site / ".guidewright/answers/system-design/caching-strategies.yml"
    answers = yaml.safe_load(answers_file.read_text("utf-8"))
    assert answers["_commit"] == "v1"
    data = tmp_path / "data.yml"
    data.write_text(yaml.safe_dump({k: v for k, v in answers.items() if not k.startswith("_")}))
    other = tmp_path / "other-site"
    done = run_copier(
        "copy",
        "--defaults",
        "--data-file",
        str(data),
        str(template_repo),
        str(other),
        cwd=tmp_path,
        home=home,
    )
    assert done.returncode == 0, done.stderr
    relpath = "docs/system-design/caching-strategies.md"
    assert (other / relpath).read_bytes() == (site / relpath).read_bytes()
    assert (other / answers_file.relative_to(site)).read_bytes() == answers_file.read_bytes()


def test_recorded_answers_let_plain_copier_update(
    site: Path, home: Path, template_repo: Path
) -> None:
    result = run_cli(
        *GUIDE_ARGS, "--template", str(template_repo), "--dest", str(site), cwd=site, home=home
    )
    assert result.returncode == 0, result.stderr
    document = site / "docs/system-design/caching-strategies.md"
    edited = document.read_text("utf-8").replace(
        "**Definition**: [Clear, concise definition]",
        "**Definition**: A cache keeps hot data close to where it is read.",
    )
    document.write_text(edited, "utf-8")
    git(site, home, "init", "-q")
    git(site, home, "add", "-A")
    git(site, home, "commit", "-q", "-m", "site with one guide")
    release_v2(template_repo, home)
    answers_relpath = ".guidewright/answers/system-design/caching-strategies.yml"
    done = run_copier(
        "update",
        "--defaults",
        "--answers-file",
        answers_relpath,
        "--vcs-ref",
        "v2",
        cwd=site,
        home=home,
    )
    assert done.returncode == 0, done.stderr
    updated = document.read_text("utf-8")
    assert "A cache keeps hot data close to where it is read." in updated
    assert "## 🧭 Interview Day Checklist" in updated
    assert "<<<<<<<" not in updated
    assert yaml.safe_load((site / answers_relpath).read_text("utf-8"))["_commit"] == "v2"
