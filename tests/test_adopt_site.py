"""Issue 19's must-hold: a generated brownfield site of 200+ pages adopted from a plan,
then built, checked and updated when the template changes."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from brownfield import make_brownfield
from support import commit_all, git, make_template_repo, run_cli

from guidewright.adopt.answers import split_page
from guidewright.markdown import frontmatter

pytestmark = pytest.mark.differential

MKDOCS = str(Path(sys.executable).parent / "mkdocs")


def _build(root: Path, out: Path) -> tuple[dict[str, str], list[str]]:
    """(page location -> title as the search index has it, warnings) of a strict build."""
    done = subprocess.run(
        [MKDOCS, "build", "--strict", "-q", "-d", str(out)],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    index = json.loads((out / "search" / "search_index.json").read_text())
    titles = {d["location"]: d["title"] for d in index["docs"] if "#" not in d["location"]}
    warnings = [line for line in done.stderr.splitlines() if "WARNING" in line]
    return titles, warnings


def _frontmatter(raw: bytes) -> dict[str, Any]:
    parsed = frontmatter.parse(raw.decode("utf-8"))
    assert parsed is not None
    return parsed.data


def _fill(plan: str) -> tuple[str, dict[str, dict[str, Any]]]:
    """Every blank of the plan filled with a value of its own page; what each page got."""
    filled: dict[str, dict[str, Any]] = {}
    out: list[str] = []
    document = ""
    for line in plan.splitlines(keepends=True):
        page = re.match(r'^"(.+)":$', line)
        if page:
            document = page.group(1)
            filled[document] = {}
        blank = re.match(r"^  (\w+):  # missing", line)
        if blank:
            number = len(filled)
            value: Any = {
                "tags": [f"topic-{number}", "brownfield"],
                "learning_objectives": [f"Explain topic {number} in an interview"],
                "skills_taught": [f"skill {number}"],
            }.get(blank.group(1), f"{blank.group(1)} {number}")
            filled[document][blank.group(1)] = value
            line = f"  {blank.group(1)}: {json.dumps(value)}\n"
        out.append(line)
    return "".join(out), filled


@pytest.mark.long
def test_a_brownfield_site_is_adopted_built_checked_and_updated(tmp_path: Path) -> None:
    home = tmp_path / "home"
    repo = make_template_repo(tmp_path, home)
    root = tmp_path / "site"
    pages = make_brownfield(root, 205)
    commit_all(root, home, "hand-written site", init=True)
    titles_before, warnings_before = _build(root, tmp_path / "built-before")
    originals = {p: (root / p).read_bytes() for p in pages}
    bodies = {p: split_page(raw).body for p, raw in originals.items()}

    plan = tmp_path / "plan.yml"
    done = run_cli(
        "adopt",
        "--pretend",
        "--plan",
        str(plan),
        "--template",
        str(repo),
        "-d",
        "content_owner=docs-team",
        cwd=root,
        home=home,
    )
    assert done.returncode == 0, done.stderr
    assert not (root / ".guidewright").exists()
    text, filled = _fill(plan.read_text())
    assert set(filled) == set(pages)  # the home page is not content
    objectives = {json.dumps(v["learning_objectives"]) for v in filled.values()}
    assert len(objectives) == len(pages)  # different per page
    plan.write_text(text)
    done = run_cli(
        "adopt",
        "--data-file",
        str(plan),
        "--template",
        str(repo),
        "-d",
        "content_owner=docs-team",
        cwd=root,
        home=home,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"Adopted {len(pages)} pages." in done.stdout

    for page in pages:
        raw = (root / page).read_bytes()
        assert split_page(raw).body == bodies[page], page  # byte for byte
        assert raw.startswith(b"\xef\xbb\xbf") == originals[page].startswith(b"\xef\xbb\xbf")
        data = _frontmatter(raw)
        for name, value in filled[page].items():
            assert data[name] == value, (page, name)
        hand = split_page(originals[page]).data
        for key, value in hand.items():
            assert data[key] == value, (page, key)  # hand-written values, unknown keys kept
    faq = _frontmatter((root / "docs/faq.md").read_bytes())
    assert faq["title"] == "FAQ" and faq["content_owner"] == "docs-team"

    titles_after, warnings_after = _build(root, tmp_path / "built-after")
    assert set(titles_after) == set(titles_before)
    changed = {k: (titles_before[k], v) for k, v in titles_after.items() if titles_before[k] != v}
    # Only pages whose hand-written title already differed from their H1 may show it.
    hand_titled = {
        p.removeprefix("docs/").removesuffix(".md") + "/"
        for p in pages
        if "title" in split_page(originals[p]).data
    }
    assert set(changed) <= hand_titled, changed
    assert warnings_after == warnings_before

    checked = run_cli("check", "--format", "json", cwd=root, home=home)
    report = json.loads(checked.stdout)
    errors = [p for p in report["problems"] if p["severity"] == "error"]
    assert errors == [] and report["without_frontmatter"] == []

    commit_all(root, home, "adopted")
    created = run_cli(
        "new-guide",
        "--defaults",
        "--topic",
        "Made By Guidewright",
        "--section",
        "coding",
        "--tag",
        "coding",
        "--tag",
        "aws",
        "--objective",
        "Explain it",
        cwd=root,
        home=home,
    )
    assert created.returncode == 0, created.stderr
    commit_all(root, home, "a page made by guidewright")

    # The template changes: a question added, a key renamed by a migration, a heading.
    _edit(
        repo / "copier.yml",
        "interview_focus:\n",
        "audience_note:\n  type: str\n"
        "  help: A note for the audience\n  default: for managers\n\ninterview_focus:\n",
    )
    _edit(
        repo / "copier.yml",
        "guide_type:\n  type: str\n  help: Guide type",
        "learning_track:\n  type: str\n  help: Learning track",
    )
    _edit(repo / "copier.yml", "  format: 1\n", "  format: 2\n")
    _edit(
        repo / "copier.yml",
        "  # Answers for the questions without a default,",
        '  migrations:\n    - version: "v2"\n      rename: {guide_type: learning_track}\n'
        "  # Answers for the questions without a default,",
    )
    partial = repo / "template/_partials/guide.md.jinja"
    _edit(
        partial,
        "guide_type: {{ links.yaml_value(guide_type) }}",
        "learning_track: {{ links.yaml_value(learning_track) }}",
    )
    _edit(
        partial,
        "interview_focus: {{",
        "audience_note: {{ links.yaml_value(audience_note) }}\ninterview_focus: {{",
    )
    _edit(partial, "## 🎯 What You'll Master", "## 🎯 What You Will Master")
    git(repo, home, "commit", "-qam", "v2")
    git(repo, home, "tag", "v2")

    updated = run_cli("update", "--defaults", cwd=root, home=home)
    assert updated.returncode == 0, updated.stdout + updated.stderr
    for page in pages:
        raw = (root / page).read_bytes()
        assert split_page(raw).body == bodies[page], page
        data = _frontmatter(raw)
        assert data["audience_note"] == "for managers", page
        if data["content_type"] == "guide":
            assert "learning_track" in data and "guide_type" not in data, page
        for name, value in filled[page].items():
            assert data[name] == value, (page, name)
    made = (root / "docs/coding/made-by-guidewright.md").read_text()
    assert "## 🎯 What You Will Master" in made and "learning_track:" in made


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")
