"""`adopt --again` on a small site: nothing changed is reported current, a key the author
wrote that no template asks stays, and a page adopt never adopted is refused by name."""

from __future__ import annotations

import subprocess
from pathlib import Path

from support import commit_all, make_template_repo, run_cli

GIVEN = ("-d", "content_owner=team", "-d", "learning_objectives=[Explain it]")


def _site(tmp_path: Path, home: Path) -> Path:
    root = tmp_path / "site"
    (root / "docs" / "sys").mkdir(parents=True)
    (root / "mkdocs.yml").write_text("site_name: X\nnav:\n  - Caching basics: sys/cache.md\n")
    (root / "docs" / "index.md").write_text("# Home\n")
    (root / "docs" / "sys" / "cache.md").write_text(
        "---\nweight: 3\ntags: [caching, aws]\n---\n# Caching\n\nKeep data close. Or not.\n"
    )
    (root / "docs" / "sys" / "queue.md").write_text("# Queues\n\nLater, not no.\n")
    commit_all(root, home, "hand-written", init=True)
    return root


def test_adopting_again_with_nothing_changed_is_current(tmp_path: Path, home: Path) -> None:
    root = _site(tmp_path, home)
    template = make_template_repo(tmp_path, home)
    page = root / "docs" / "sys" / "cache.md"
    first = run_cli(
        "adopt",
        "--defaults",
        "--template",
        str(template),
        *GIVEN,
        "docs/sys/cache.md",
        cwd=root,
        home=home,
    )
    assert first.returncode == 0, first.stderr
    adopted = page.read_bytes()
    assert b'title: "Caching basics"' in adopted  # the nav title first
    assert b'summary: "Keep data close."' in adopted  # the first sentence, whole
    commit_all(root, home, "adopted")

    again = run_cli(
        "adopt", "--again", "--defaults", "--template", str(template), cwd=root, home=home
    )
    assert again.returncode == 0, again.stdout + again.stderr
    assert "already current" in again.stdout and "0 updated" in again.stdout
    assert page.read_bytes() == adopted  # `weight` kept, nothing rewritten

    # Under another template's rules (one tag is too few), nothing written with --pretend.
    page.write_text(page.read_text().replace('tags: ["caching", "aws"]', 'tags: ["caching"]'))
    commit_all(root, home, "one tag")
    pretend = run_cli(
        "adopt",
        "--again",
        "--pretend",
        "--defaults",
        "--template",
        str(template),
        *GIVEN,
        cwd=root,
        home=home,
    )
    assert pretend.returncode == 1  # the author's one tag is refused: the page is left
    assert "left alone" in pretend.stdout and "(pretend: nothing written)" in pretend.stdout
    assert "tags: must be 2 to 6" in pretend.stdout.replace("\n", " ")
    assert git_status(root) == ""

    # A page adopt did not adopt is no page to adopt again.
    refused = run_cli(
        "adopt",
        "--again",
        "--defaults",
        "--template",
        str(template),
        "docs/sys/queue.md",
        cwd=root,
        home=home,
    )
    assert refused.returncode == 1
    assert "docs/sys/queue.md" in refused.stdout and "not adopted" in refused.stdout


def git_status(root: Path) -> str:
    done = subprocess.run(["git", "status", "--porcelain"], cwd=root, capture_output=True)
    return done.stdout.decode()
