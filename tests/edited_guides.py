"""A site of six guides, each with one kind of author edit, and the template released as v2
since: what `update` is compared with Copier on (test_update.py) and attacked with
(test_hostile.py). conftest's `edited_site` fixture builds it once a run."""

from __future__ import annotations

from pathlib import Path

from support import commit_all, copied, git, make_template_repo, run_cli

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
            "#### Case Study 2: [Industry Example]\n**Challenge**: [Problem statement]\n\n**Solution**: [Approach taken]\n\n**Application**: [How to reference in interviews]\n\n",
            "",
        ),
    ],
    "same-line-as-template": [(REWORDED[0], "- [ ] Complete practice exercises twice\n")],
}


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


def edited_site_in(base: Path) -> tuple[Path, Path, Path]:
    """(site, template repository, home): where make_edited_site(base) puts them."""
    return base / "site", base / "template-repo", base / "home"


def make_edited_site(base: Path) -> None:
    """The site and its template repository under `base` (edited_site_in): the guides
    committed at v1, the author's edits committed, then v2 released."""
    site, repo, home = edited_site_in(base)
    assert make_template_repo(base, home) == repo
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
            "new-guide",
            "--defaults",
            "--dest",
            str(site),
            "--topic",
            f"Caching {slug}",
            "--slug",
            slug,
            "--section",
            "system-design",
            "--tag",
            "aws",
            "--tag",
            "coding",
            "--objective",
            "Explain caching",
            "--last-updated",
            "2026-11-01",
            cwd=base,
            home=home,
        )
        assert result.returncode == 0, result.stderr
    commit_all(site, home, "documents", init=True)
    for slug, edits in EDITS.items():
        path = site / f"docs/system-design/{slug}.md"
        text = path.read_text("utf-8")
        for old, new in edits:
            assert old in text, (slug, old)
            text = text.replace(old, new, 1)
        path.write_text(text, "utf-8")
    git(site, home, "commit", "-q", "-am", "author edits")
    release_v2(repo, home)


def clone_site(site: Path, target: Path) -> Path:
    return copied(site, target)


def with_own_template(site: Path, repo: Path, home: Path, target: Path) -> Path:
    """A copy of the template repository at `target`, which the site (a copy of the shared
    one) now records as its template, committed: a test may then change that template
    while other tests, in this worker or another, read the shared repository."""
    copied(repo, target)
    recorded = [site / ".guidewright/config.yml", *(site / ".guidewright/answers").rglob("*.yml")]
    for path in recorded:
        text = path.read_text("utf-8")
        assert f": {repo}\n" in text, path
        path.write_text(text.replace(f": {repo}\n", f": {target}\n"), "utf-8")
    commit_all(site, home, "the template moved")
    return target
