"""Copier's update merge, for many files with a handful of git processes.

Per file, as `copier update` does: the author's changes (old render -> current file, a
diff with Copier's context settings) are applied with `git apply --reject` onto the new
render; a file with any rejected hunk is instead merged three-way with `git merge-file`,
labelled as Copier labels it. Using git itself keeps the result byte-identical to Copier's.

Everything stays bytes: a document may hold CR, CRLF, NUL or invalid UTF-8, and a text
round trip would corrupt the patch. The batched `git apply` must confirm each file
("Applied patch ... cleanly" or a .rej file); a file it does not confirm is merged again
on its own, never replaced by the plain new render. Where Copier loses text, this does
not: a file with a NUL byte is diffed as text (Copier's git sees it as binary and drops
the author's edits) and invalid UTF-8 is kept (Copier's patch decoding drops it).

Mirrors `copier._main.Worker._apply_update` (its diff, `git apply --reject` and
`git merge-file` steps); differential tests: tests/test_update_differential.py and
tests/test_merge_bytes.py. guidewright's one deliberate difference, conflicts inside the
frontmatter settled key by key, is update/frontmatter_merge.py's, applied after this.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from guidewright.core.errors import GitFailed
from guidewright.core.git import run_git

LABELS = ("before updating", "last update", "after updating")
CONFLICT_START = b"<<<<<<< " + LABELS[0].encode()
CONFLICT_END = b">>>>>>> " + LABELS[2].encode()
CONTEXT_LINES = 3  # Copier's default --context-lines
_APPLIED = re.compile(rb"^Applied patch (.+) cleanly\.$", re.MULTILINE)


@dataclass(frozen=True)
class MergeInput:
    """One file to merge: the base, the author's and the new render."""

    path: str  # relative, the same in every version
    old: bytes  # the template at the recorded version, with the recorded answers
    current: bytes  # the author's file
    new: bytes  # the template at the new version


@dataclass(frozen=True)
class MergeResult:
    """The merged file and the lines of its conflict markers."""

    content: bytes
    conflict_lines: tuple[int, ...]


@dataclass(frozen=True)
class MergeFailure:
    """The file could not be merged; the author's file must stay as it is."""

    reason: str


Merged = MergeResult | MergeFailure


def conflict_lines(content: bytes) -> tuple[int, ...]:
    """1-based numbers of the lines that open or close a conflict, as Copier detects them."""
    return tuple(
        number
        for number, line in enumerate(content.split(b"\n"), 1)
        if line.rstrip() in (CONFLICT_START, CONFLICT_END)
    )


def _write(root: Path, relpath: str, content: bytes) -> Path:
    path = root / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


def _git(
    repo: Path, *args: str, stdin: bytes | None = None, allowed: Sequence[int] = (0,)
) -> subprocess.CompletedProcess[bytes]:
    return run_git(*args, cwd=repo, stdin=stdin, neutral=True, allowed=allowed)


def _tree(repo: Path, entries: Sequence[tuple[str, Path]], name: str) -> str:
    """A git tree holding `entries` (relpath, file on disk), built without a work tree."""
    files = b"".join(bytes(path) + b"\n" for _, path in entries)
    # --no-filters: the bytes as they are, whatever attributes or autocrlf would say.
    shas = _git(repo, "hash-object", "-w", "--no-filters", "--stdin-paths", stdin=files)
    index = b"".join(
        b"100644 " + sha + b"\t" + relpath.encode("utf-8", "surrogateescape") + b"\n"
        for (relpath, _), sha in zip(entries, shas.stdout.split(), strict=True)
    )
    index_file = repo / ".git" / f"index-{name}"
    index_file.unlink(missing_ok=True)  # a tree of exactly these entries
    environment = {"GIT_INDEX_FILE": str(index_file)}
    run_git(
        "update-index",
        "--add",
        "--index-info",
        cwd=repo,
        stdin=index,
        neutral=True,
        env=environment,
    )
    done = run_git("write-tree", cwd=repo, neutral=True, env=environment)
    return done.stdout.decode().strip()


def _diff(repo: Path, old_tree: str, current_tree: str, paths: Sequence[str] = ()) -> bytes:
    # --text: a NUL byte must not turn the author's edits into an unappliable binary patch.
    limit = ["--", *paths] if paths else []
    return _git(
        repo,
        "--literal-pathspecs",
        "diff-tree",
        "-r",
        "--no-renames",
        "--text",
        f"--unified={CONTEXT_LINES}",
        "--inter-hunk-context=-1",
        old_tree,
        current_tree,
        *limit,
    ).stdout


def _apply(repo: Path, patch: bytes) -> set[bytes] | None:
    """`git apply --reject`; the paths it applied cleanly, or None when it applied nothing."""
    # Exit status 1 says some hunks were rejected (the .rej files say which) or some file
    # failed; anything else means the patch as a whole was refused.
    done = _git(repo, "apply", "--reject", "--verbose", stdin=patch, allowed=(0, 1, 128))
    if done.returncode == 128:
        return None
    return set(_APPLIED.findall(done.stderr))


def _three_way(item: MergeInput, scratch: Path, old: Path, current: Path) -> Merged:
    """Copier's way with a file that has rejected hunks: `git merge-file` of the three."""
    new = _write(scratch / "new", item.path, item.new)
    labels = [arg for label in LABELS for arg in ("-L", label)]
    try:
        # Exit status: the number of conflicts (capped at 127); 255 is an error.
        done = _git(
            scratch,
            "merge-file",
            "-p",
            *labels,
            str(current),
            str(old),
            str(new),
            allowed=range(128),
        )
    except GitFailed as error:
        return MergeFailure(f"cannot merge the template change into it: {error.stderr.strip()}")
    return MergeResult(done.stdout, conflict_lines(done.stdout))


@dataclass(frozen=True)
class _Staged:
    item: MergeInput
    old: Path
    current: Path


def _settle(
    staged: _Staged, repo: Path, scratch: Path, applied: set[bytes] | None, retry: bool = True
) -> Merged:
    """The file as `git apply` left it when it confirmed it; merged three-way when a hunk
    was rejected; otherwise merged again on its own (`retry`), then three-way."""
    item = staged.item
    rejected = repo / f"{item.path}.rej"
    if rejected.exists():
        rejected.unlink()
        return _three_way(item, scratch, staged.old, staged.current)
    if applied is not None and item.path.encode("utf-8", "surrogateescape") in applied:
        content = (repo / item.path).read_bytes()
        return MergeResult(content, conflict_lines(content))
    if retry:
        return _alone(staged, repo, scratch)
    return _three_way(item, scratch, staged.old, staged.current)


def _alone(staged: _Staged, repo: Path, scratch: Path) -> Merged:
    """Merge one file by itself, after the batch left it unconfirmed."""
    item = staged.item
    _write(repo, item.path, item.new)
    try:
        old_tree = _tree(repo, [(item.path, staged.old)], "alone-old")
        current_tree = _tree(repo, [(item.path, staged.current)], "alone-current")
        applied = _apply(repo, _diff(repo, old_tree, current_tree, [item.path]))
    except GitFailed:
        applied = None
    return _settle(staged, repo, scratch, applied, retry=False)


def merge_all(items: Sequence[MergeInput], scratch: Path) -> dict[str, Merged]:
    """The merged content (or why it failed) of every item, by path."""
    results: dict[str, Merged] = {
        i.path: MergeResult(i.new, ()) for i in items if i.current == i.old
    }
    changed = [i for i in items if i.current != i.old]
    if not changed:
        return results
    repo = scratch / "merge"
    run_git("init", "--quiet", str(repo), neutral=True)
    staged = [
        _Staged(
            i, _write(scratch / "old", i.path, i.old), _write(scratch / "cur", i.path, i.current)
        )
        for i in changed
    ]
    for item in changed:
        _write(repo, item.path, item.new)
    try:
        old_tree = _tree(repo, [(s.item.path, s.old) for s in staged], "old")
        current_tree = _tree(repo, [(s.item.path, s.current) for s in staged], "current")
        applied = _apply(repo, _diff(repo, old_tree, current_tree))
    except GitFailed:
        applied = None  # every file is merged on its own instead
    for one in staged:
        results[one.item.path] = _settle(one, repo, scratch, applied)
    return results
