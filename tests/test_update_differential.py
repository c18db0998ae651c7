"""`guidewright update` against `copier update` on generated author edits, odd bytes included.

Copier is told the values each page's frontmatter holds (`--data`, frontmatter_oracle.py):
the frontmatter is the answer. A frontmatter the author broke, or a key deleted, gives
plain `copier update` (the recorded answer stays). A value Copier refuses must fail the
page in ours too, leaving it as it was.

Every document must come out byte-identical to Copier's, except where Copier loses text:
a NUL byte (Copier's git sees a binary file and drops the author's edits) and invalid
UTF-8 (Copier's patch decoding drops the byte). There, ours must keep every authored line,
and for invalid UTF-8 equal Copier's once the invalid bytes are dropped from both. And the
one deliberate difference: where Copier leaves conflict markers inside the frontmatter,
ours has none, parses, holds every value of the author's frontmatter and every comment
line the author added, and after that conflict the bytes are Copier's.
Set GUIDEWRIGHT_FUZZ_SEED to explore other edits; a failure names the seed.
"""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

import pytest
from author_edits import KINDS, EditedDocument, apply_edits, random_edits
from edited_guides import release_v2
from frontmatter_oracle import (
    copier_update,
    frontmatter_conflict_end,
    frontmatter_data,
    page_of,
    questions,
)
from support import REPO, commit_all, git, make_template_repo, run_cli, run_copier, snapshot

pytestmark = pytest.mark.differential

SEED = int(os.environ.get("GUIDEWRIGHT_FUZZ_SEED", "20261123"))
TUTORIAL_CHANGE = ("### Validation Check\n", "### Validation Check\n\nRun it twice.\n")
# A touch on a frontmatter line that "fm-value" edits: Copier conflicts inside the YAML.
TAGS_COMMENT = ("# 2-6 relevant tags", "# 2 to 6 tags, lowercase")


def _edit_plan(rng: random.Random) -> list[list[tuple[str, int]]]:
    """Two guides whose tags the author changed (the template rewords that line's comment),
    every kind of edit alone, then random mixtures."""
    plan = [[("fm-value", 2)], [("fm-insert", 6), ("fm-value", 2), ("fm-value", 0)]]
    plan += [[(kind, rng.randrange(10_000))] for kind in KINDS]
    plan += [random_edits(rng, rng.randint(2, 5)) for _ in range(4)]
    return plan


def _new_document(site: Path, base: Path, home: Path, number: int) -> Path:
    tutorial = number % 3 == 2
    args = [
        "new-tutorial" if tutorial else "new-guide",
        "--defaults",
        "--dest",
        str(site),
        "--topic",
        f"Topic {number}",
        "--slug",
        f"doc-{number}",
        "--section",
        "fuzz",
        "--tag",
        "aws",
        "--tag",
        "coding",
        "--objective",
        "Explain it",
        "--last-updated",
        "2026-11-01",
    ]
    if tutorial:
        args += ["--skill", "testing"]
    result = run_cli(*args, cwd=base, home=home)
    assert result.returncode == 0, result.stderr
    return site / f"docs/fuzz/doc-{number}.md"


@pytest.fixture(scope="module")
def fuzzed_site(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, Path, dict[str, EditedDocument]]:
    base = tmp_path_factory.mktemp("differential")
    home = base / "home"
    repo = make_template_repo(base, home)
    site = base / "site"
    init = ("init", str(site), "--content-owner", "team", "--template", str(repo))
    assert run_cli(*init, cwd=base, home=home).returncode == 0
    plan = _edit_plan(random.Random(SEED))
    paths = [_new_document(site, base, home, n) for n in range(len(plan))]
    commit_all(site, home, "documents", init=True)
    edited: dict[str, EditedDocument] = {}
    for path, edits in zip(paths, plan, strict=True):
        document = apply_edits(path.read_bytes(), edits)
        path.write_bytes(document.content)
        edited[path.relative_to(site).as_posix()] = document
    git(site, home, "add", "-A")
    git(site, home, "commit", "-q", "-m", "author edits")
    release_v2(repo, home)
    partial = repo / "template/_partials/tutorial.md.jinja"
    partial.write_text(partial.read_text("utf-8").replace(*TUTORIAL_CHANGE, 1), "utf-8")
    guide = repo / "template/_partials/guide.md.jinja"
    guide.write_text(guide.read_text("utf-8").replace(*TAGS_COMMENT, 1), "utf-8")
    git(repo, home, "commit", "-q", "-am", "v2 for tutorials too")
    git(repo, home, "tag", "-f", "v2")
    return site, home, edited


def _copier_update_each(site: Path, home: Path, asked: set[str]) -> set[str]:
    """Copier's update of every page; the pages whose frontmatter values Copier refused."""
    refused = set()
    for answers in sorted((site / ".guidewright/answers").rglob("*.yml")):
        relpath = answers.relative_to(site).as_posix()
        done = run_copier(*copier_update(site, answers, asked), cwd=site, home=home)
        stderr = done.stderr
        if done.returncode != 0:
            assert "Validation error" in stderr or "Invalid" in stderr, stderr
            refused.add(page_of(site, answers).relative_to(site).as_posix())
            continue
        git(site, home, "add", "-A")
        git(site, home, "commit", "-q", "-m", f"copier update {relpath}")
    return refused


def _assert_settled(
    mine: bytes, copiers_rest: bytes, document: EditedDocument, context: str
) -> None:
    """Copier left markers inside the frontmatter; ours: none there, and nothing lost."""
    assert frontmatter_conflict_end(mine) is None, context
    data, page = frontmatter_data(mine), frontmatter_data(document.content)
    assert data is not None and page is not None, context
    for key, value in page.items():
        assert data.get(key) == value, (context, key)
    lines = mine.split(b"\n")
    for line in document.authored:
        if line.startswith(b"# AUTHOR"):
            assert line in lines, (context, line)
    assert mine.endswith(copiers_rest), context


def _answers_of(page: str) -> str:
    """docs/fuzz/doc-1.md -> .guidewright/answers/fuzz/doc-1.yml"""
    return ".guidewright/answers/" + page.removeprefix("docs/").removesuffix(".md") + ".yml"


def _without_invalid_utf8(content: bytes) -> str:
    return content.decode("utf-8", "ignore")


@pytest.mark.long
def test_update_matches_copier_and_loses_nothing(
    fuzzed_site: tuple[Path, Path, dict[str, EditedDocument]], tmp_path: Path
) -> None:
    site, home, edited = fuzzed_site
    ours = shutil.copytree(site, tmp_path / "ours", symlinks=True)
    theirs = shutil.copytree(site, tmp_path / "theirs", symlinks=True)
    result = run_cli("update", "--defaults", "--dest", str(ours), cwd=ours, home=home)
    assert result.returncode in (0, 1) and "Traceback" not in result.stderr, result.stderr
    refused = _copier_update_each(theirs, home, questions(REPO / "copier.yml"))
    failed_rows = [line for line in result.stdout.splitlines() if "│ failed" in line]
    # git merge-file refuses a file with a NUL byte when a hunk needs the three-way merge:
    # that page fails, untouched and reported (Copier's binary diff drops the edits).
    binary = {
        path
        for path, document in edited.items()
        if document.has_nul
        and any(path in row and "Cannot merge binary files" in row for row in failed_rows)
    }
    failed = len(refused) + len(binary)
    assert f" {failed} failed" in result.stdout, (failed_rows, refused)
    mine, copiers, before = snapshot(ours), snapshot(theirs), snapshot(site)
    assert mine.keys() == copiers.keys()
    settled = 0
    for relpath in sorted(mine):
        document = edited.get(relpath)
        context = f"seed {SEED}, {relpath}, edits {document.kinds if document else None}"
        if relpath in binary or relpath in {_answers_of(b) for b in binary}:
            assert mine[relpath] == before[relpath], context
            continue
        if relpath in refused:
            assert relpath in " ".join(result.stdout.split()), context
            assert mine[relpath] == before[relpath], context
            continue
        end = frontmatter_conflict_end(copiers[relpath])
        if document is not None and end is not None and frontmatter_data(document.content):
            _assert_settled(mine[relpath], copiers[relpath][end:], document, context)
            settled += 1
            continue
        if document is None or (document.is_utf8 and not document.has_nul):
            assert mine[relpath] == copiers[relpath], context
            continue
        lines = mine[relpath].split(b"\n")
        for line in document.authored:
            assert line in lines, (context, line)
        if not document.has_nul:
            assert _without_invalid_utf8(mine[relpath]) == _without_invalid_utf8(
                copiers[relpath]
            ), context
    assert settled >= 2, "no conflict inside a frontmatter was settled"
