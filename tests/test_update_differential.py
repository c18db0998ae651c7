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

import json
import os
import random
import shutil
from pathlib import Path

import pytest
from author_edits import KINDS, EditedDocument, apply_edits, random_edits
from built_once import built_once
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


def _build(base: Path) -> None:
    """The site at v1 with the author's edits committed and v2 released; `generated/`
    keeps each document as `new` made it, before its edits."""
    home = base / "home"
    repo = make_template_repo(base, home)
    site = base / "site"
    init = ("init", str(site), "--content-owner", "team", "--template", str(repo))
    assert run_cli(*init, cwd=base, home=home).returncode == 0
    plan = _edit_plan(random.Random(SEED))
    paths = [_new_document(site, base, home, n) for n in range(len(plan))]
    commit_all(site, home, "documents", init=True)
    shutil.copytree(site / "docs/fuzz", base / "generated")
    for path, edits in zip(paths, plan, strict=True):
        path.write_bytes(apply_edits(path.read_bytes(), edits).content)
    git(site, home, "add", "-A")
    git(site, home, "commit", "-q", "-m", "author edits")
    release_v2(repo, home)
    partial = repo / "template/_partials/tutorial.md.jinja"
    partial.write_text(partial.read_text("utf-8").replace(*TUTORIAL_CHANGE, 1), "utf-8")
    guide = repo / "template/_partials/guide.md.jinja"
    guide.write_text(guide.read_text("utf-8").replace(*TAGS_COMMENT, 1), "utf-8")
    git(repo, home, "commit", "-q", "-am", "v2 for tutorials too")
    git(repo, home, "tag", "-f", "v2")


@pytest.fixture(scope="module")
def fuzzed_site(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, Path, dict[str, EditedDocument]]:
    """Built once a run (built_once.py): the shards run on several workers, and the build
    is a third of the work. The edits are made again here from the documents `new` made:
    the same plan on the same bytes gives the same documents, checked against the site."""
    base = built_once(tmp_path_factory, f"update-differential-{SEED}", _build)
    site = base / "site"
    plan = _edit_plan(random.Random(SEED))
    edited: dict[str, EditedDocument] = {}
    for number, edits in enumerate(plan):
        relpath = f"docs/fuzz/doc-{number}.md"
        document = apply_edits((base / "generated" / f"doc-{number}.md").read_bytes(), edits)
        assert (site / relpath).read_bytes() == document.content, relpath
        edited[relpath] = document
    return site, base / "home", edited


def _update_ours(folder: Path, site: Path, home: Path) -> None:
    """Our `update` of a copy of the whole site, and what it printed, for every shard."""
    ours = shutil.copytree(site, folder / "ours", symlinks=True)
    result = run_cli("update", "--defaults", "--dest", str(ours), cwd=ours, home=home)
    printed = {"returncode": result.returncode, "stdout": result.stdout, "stderr": result.stderr}
    (folder / "printed.json").write_text(json.dumps(printed))


@pytest.fixture(scope="module")
def updated_site(
    tmp_path_factory: pytest.TempPathFactory,
    fuzzed_site: tuple[Path, Path, dict[str, EditedDocument]],
) -> tuple[Path, dict[str, str | int]]:
    """Our `update` of the whole site, run once a run (built_once.py): every shard compares
    its own documents with the same result, which the shards only read."""
    site, home, _ = fuzzed_site
    folder = built_once(
        tmp_path_factory,
        f"update-differential-{SEED}-ours",
        lambda folder: _update_ours(folder, site, home),
    )
    printed: dict[str, str | int] = json.loads((folder / "printed.json").read_text())
    return folder / "ours", printed


def _copier_update_each(site: Path, home: Path, asked: set[str], pages: set[str]) -> set[str]:
    """Copier's update of each of `pages`; those whose frontmatter values Copier refused."""
    refused = set()
    for answers in sorted((site / ".guidewright/answers").rglob("*.yml")):
        relpath = answers.relative_to(site).as_posix()
        page = page_of(site, answers).relative_to(site).as_posix()
        if page not in pages:
            continue
        done = run_copier(*copier_update(site, answers, asked), cwd=site, home=home)
        stderr = done.stderr
        if done.returncode != 0:
            assert "Validation error" in stderr or "Invalid" in stderr, stderr
            refused.add(page)
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


# The documents are compared in shards, each on its own worker: Copier's update, once a
# page, is most of the work. Document N is in shard N % SHARDS; every shard reads our
# `update` of the whole site (run once, updated_site) and compares its own documents (and
# the files of no document).
SHARDS = 3
# The documents made to conflict inside the frontmatter (the first two of the plan).
DESIGNED_CONFLICTS = {"docs/fuzz/doc-0.md", "docs/fuzz/doc-1.md"}


def _shard_of(relpath: str) -> int | None:
    """The shard of a document or of its answers file; None for any other file."""
    name = relpath.rsplit("/", 1)[-1]
    if not relpath.startswith(("docs/fuzz/", ".guidewright/answers/fuzz/")):
        return None
    return int(name.removeprefix("doc-").split(".")[0]) % SHARDS


@pytest.mark.long
@pytest.mark.parametrize("shard", range(SHARDS))
def test_update_matches_copier_and_loses_nothing(
    fuzzed_site: tuple[Path, Path, dict[str, EditedDocument]],
    updated_site: tuple[Path, dict[str, str | int]],
    tmp_path: Path,
    shard: int,
) -> None:
    site, home, edited = fuzzed_site
    ours, printed = updated_site
    stdout, stderr = str(printed["stdout"]), str(printed["stderr"])
    pages = {relpath for relpath in edited if _shard_of(relpath) == shard}
    theirs = shutil.copytree(site, tmp_path / "theirs", symlinks=True)
    assert printed["returncode"] in (0, 1) and "Traceback" not in stderr, stderr
    refused = _copier_update_each(theirs, home, questions(REPO / "copier.yml"), pages)
    failed_rows = [line for line in stdout.splitlines() if "│ failed" in line]
    assert f" {len(failed_rows)} failed" in stdout, failed_rows
    # git merge-file refuses a file with a NUL byte when a hunk needs the three-way merge:
    # that page fails, untouched and reported (Copier's binary diff drops the edits).
    binary = {
        path
        for path, document in edited.items()
        if document.has_nul
        and any(path in row and "Cannot merge binary files" in row for row in failed_rows)
    }
    # The shard's failed rows: exactly the pages Copier refused and the binary ones.
    failed_here = {path for path in pages if any(path in row for row in failed_rows)}
    assert failed_here == refused | (binary & pages), (failed_rows, refused)
    mine, copiers, before = snapshot(ours), snapshot(theirs), snapshot(site)
    assert mine.keys() == copiers.keys()
    settled = set()
    for relpath in sorted(mine):
        if _shard_of(relpath) not in (None, shard):
            continue  # another shard's document: Copier did not update it here
        document = edited.get(relpath)
        context = f"seed {SEED}, {relpath}, edits {document.kinds if document else None}"
        if relpath in binary or relpath in {_answers_of(b) for b in binary}:
            assert mine[relpath] == before[relpath], context
            continue
        if relpath in refused:
            assert relpath in " ".join(stdout.split()), context
            assert mine[relpath] == before[relpath], context
            continue
        end = frontmatter_conflict_end(copiers[relpath])
        if document is not None and end is not None and frontmatter_data(document.content):
            _assert_settled(mine[relpath], copiers[relpath][end:], document, context)
            settled.add(relpath)
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
    assert DESIGNED_CONFLICTS & pages <= settled, "a conflict inside a frontmatter not settled"
