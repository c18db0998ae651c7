"""Copier's update merge, for many files with a handful of git processes.

Per file, as `copier update` does: the author's changes (old render -> current file, a
diff with Copier's context settings) are applied with `git apply --reject` onto the new
render; a file with any rejected hunk is instead merged three-way with `git merge-file`,
labelled as Copier labels it. Using git itself keeps the result byte-identical to Copier's.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .template_versions import git

LABELS = ("before updating", "last update", "after updating")
CONFLICT_START = b"<<<<<<< " + LABELS[0].encode()
CONFLICT_END = b">>>>>>> " + LABELS[2].encode()
CONTEXT_LINES = 3  # Copier's default --context-lines


@dataclass(frozen=True)
class MergeInput:
    path: str  # relative, the same in every version
    old: bytes  # the template at the recorded version, with the recorded answers
    current: bytes  # the author's file
    new: bytes  # the template at the new version


@dataclass(frozen=True)
class MergeResult:
    content: bytes
    conflict_lines: tuple[int, ...]


def conflict_lines(content: bytes) -> tuple[int, ...]:
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


def _tree(repo: Path, entries: Sequence[tuple[str, Path]], name: str) -> str:
    """A git tree holding `entries` (relpath, file on disk), built without a work tree."""
    files = "\n".join(str(path) for _, path in entries) + "\n"
    shas = git("hash-object", "-w", "--stdin-paths", cwd=repo, stdin=files).split()
    index = "".join(
        f"100644 {sha}\t{relpath}\n" for (relpath, _), sha in zip(entries, shas, strict=True)
    )
    environment = {**os.environ, "GIT_INDEX_FILE": str(repo / ".git" / f"index-{name}")}
    for args, stdin in ((["update-index", "--add", "--index-info"], index), (["write-tree"], None)):
        done = subprocess.run(
            ["git", *args], cwd=repo, input=stdin, text=True, env=environment,
            capture_output=True, check=True,
        )  # fmt: skip
    return done.stdout.strip()


def merge_all(items: Sequence[MergeInput], scratch: Path) -> dict[str, MergeResult]:
    results = {i.path: MergeResult(i.new, ()) for i in items if i.current == i.old}
    changed = [i for i in items if i.current != i.old]
    if not changed:
        return results
    repo = scratch / "merge"
    git("init", "--quiet", str(repo))
    old_files = [(i.path, _write(scratch / "old", i.path, i.old)) for i in changed]
    current_files = [(i.path, _write(scratch / "current", i.path, i.current)) for i in changed]
    old_tree = _tree(repo, old_files, "old")
    current_tree = _tree(repo, current_files, "current")
    patch = git(
        "diff-tree", "-r", "--no-renames", f"--unified={CONTEXT_LINES}", "--inter-hunk-context=-1",
        old_tree, current_tree, cwd=repo,
    )  # fmt: skip
    for item in changed:
        _write(repo, item.path, item.new)
    # Exit status 1 only says some hunks were rejected; the .rej files say which.
    subprocess.run(
        ["git", "apply", "--reject"], cwd=repo, input=patch, text=True, capture_output=True
    )
    for item, (_, old_path), (_, current_path) in zip(
        changed, old_files, current_files, strict=True
    ):
        applied = repo / item.path
        rejected = repo / f"{item.path}.rej"
        if not rejected.exists():
            content = applied.read_bytes()
        else:
            # As Copier: drop the partly applied file, merge the three versions.
            new_path = _write(scratch / "new", item.path, item.new)
            labels = [arg for label in LABELS for arg in ("-L", label)]
            files = [str(current_path), str(old_path), str(new_path)]
            merged = subprocess.run(
                ["git", "merge-file", "-p", *labels, *files], capture_output=True, check=False
            )
            if merged.returncode < 0:
                raise RuntimeError(merged.stderr.decode(errors="replace"))
            content = merged.stdout
        results[item.path] = MergeResult(content, conflict_lines(content))
    return results
