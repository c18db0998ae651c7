"""Every git process guidewright starts goes through here.

Output is bytes unless asked for text: documents and patches may hold any byte (CR, NUL,
invalid UTF-8), and a text round trip would change them.
"""

from __future__ import annotations

import os
import posixpath
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from pathlib import Path

from guidewright.core.errors import GitFailed


@cache
def neutral_environment() -> Mapping[str, str]:
    """No user or system configuration (autocrlf, whitespace fixes, quoting, language) may
    change how git reads or writes the bytes of a scratch repository."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    environment.update(
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=os.devnull,
        LC_ALL="C",
        LANGUAGE="C",
    )
    return environment


# git's settings of how every pathspec reads: guidewright writes its own (`:(literal)`
# folders, `folder_pathspecs`) for git's defaults. With GIT_LITERAL_PATHSPECS=1 they named
# no file, and every committed page was "not tracked by git"; --literal-pathspecs, passed
# instead, is refused beside GIT_GLOB_PATHSPECS.
_PATHSPEC_SETTINGS = frozenset(
    {"GIT_LITERAL_PATHSPECS", "GIT_GLOB_PATHSPECS", "GIT_NOGLOB_PATHSPECS", "GIT_ICASE_PATHSPECS"}
)


def _own_pathspecs(environment: Mapping[str, str]) -> dict[str, str]:
    """The user's environment for git, but git's defaults for reading pathspecs."""
    return {k: v for k, v in environment.items() if k not in _PATHSPEC_SETTINGS}


def run_git(
    *args: str,
    cwd: Path | None = None,
    stdin: bytes | None = None,
    neutral: bool = False,
    allowed: Sequence[int] = (0,),
    env: Mapping[str, str] | None = None,
) -> subprocess.CompletedProcess[bytes]:
    """Run git; raises GitFailed unless its exit status is in `allowed`."""
    if neutral:
        env = {**neutral_environment(), **(env or {})}
    else:
        env = {**_own_pathspecs(os.environ), **(env or {})}
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, input=stdin, capture_output=True, check=False, env=env
        )
    except OSError as error:
        raise GitFailed(args, -1, str(error).encode()) from error
    if done.returncode not in allowed:
        raise GitFailed(args, done.returncode, done.stderr)
    return done


def git_text(*args: str, cwd: Path | None = None, stdin: str | None = None) -> str:
    """Run git in the user's own configuration and return its output as text."""
    done = run_git(*args, cwd=cwd, stdin=None if stdin is None else stdin.encode())
    return done.stdout.decode("utf-8", "surrogateescape")


def untracked_files(root: Path, relpaths: Sequence[str]) -> list[str]:
    """Those of `relpaths` (files relative to `root`) that exist and git does not track:
    new, or ignored (a missing file is no business of git's). `git status` leaves ignored
    files out, and `rev-parse --is-inside-work-tree` says true inside an ignored folder,
    so only `ls-files` can tell (asked of their folders: see `folder_pathspecs`)."""
    tracked: set[str] = set()
    for specs in folder_pathspecs(relpaths):
        listed = run_git("ls-files", "-z", "--", *specs, cwd=root).stdout
        tracked.update(p.decode("utf-8", "surrogateescape") for p in listed.split(b"\0") if p)
    return [
        p for p in relpaths if posixpath.normpath(p) not in tracked and os.path.lexists(root / p)
    ]


def folder_pathspecs(relpaths: Iterable[str]) -> list[list[str]]:
    """The folders holding `relpaths`, each a literal pathspec, in chunks that stay far
    below the command-line limit. Git matches every file it looks at against every path
    it is given: for a thousand pages in a few folders, asking of the files cost ten
    times what asking of their folders does."""
    folders = sorted({posixpath.dirname(posixpath.normpath(p)) or "." for p in relpaths})
    specs = [f":(literal){folder}" for folder in folders]
    return [specs[start : start + 500] for start in range(0, len(specs), 500)]


def is_ignored(root: Path, relpath: str) -> bool:
    """Whether git ignores `relpath` (relative to `root`, inside a work tree)."""
    found = run_git("check-ignore", "-q", "--", relpath, cwd=root, allowed=(0, 1))
    return found.returncode == 0
