"""`adopt --again`: what an adopted page held before it was adopted, and what its author
changed since.

A page adopted before is planned again from three things: its recorded answers (what
adopt gave it), its frontmatter now (a value that differs from the recorded one is the
author's edit since adoption and stays), and its hand-written frontmatter before it was
adopted, read from git (the page as it was in the parent of the commit that added its
answers file, or as committed when the answers file is not committed yet). A value the
author has not touched is taken again from that hand-written frontmatter, else inferred
again under the template's present rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from guidewright.core.bounded_read import PAGE_BYTES
from guidewright.core.errors import FrontmatterError, GitFailed
from guidewright.core.git import run_git
from guidewright.markdown import frontmatter
from guidewright.site.answers_files import RecordedDocument
from guidewright.site.site import Site

_COMMIT = "\x01"


@dataclass(frozen=True)
class Adopted:
    """A page adopted before: what adopt recorded, and its frontmatter before adoption."""

    recorded: RecordedDocument
    before: dict[str, Any] = field(default_factory=dict)  # {} when git has no such page


def _top(site: Site) -> str:
    return run_git("rev-parse", "--show-prefix", cwd=site.root).stdout.decode().strip()


def _adding_commits(site: Site, top: str) -> dict[str, str]:
    """Answers file (relative to the site root) -> the newest commit that added it."""
    answers_root = ".guidewright/answers"
    options = ["-z", "--no-renames", "--diff-filter=A", f"--format={_COMMIT}%H", "--name-only"]
    log = run_git("log", *options, "--", answers_root, cwd=site.root).stdout.decode(
        "utf-8", "surrogateescape"
    )
    found: dict[str, str] = {}
    for entry in log.split(_COMMIT)[1:]:
        fields = [f.strip("\n") for f in entry.split("\0")]
        commit, names = fields[0], [n for n in fields[1:] if n]
        for name in names:
            found.setdefault(name.removeprefix(top), commit)
    return found


def _cat_file(site: Site, mode: str, names: list[str]) -> bytes:
    """`git cat-file --MODE` for `names` (one a line), its output."""
    lines = "".join(f"{name}\n" for name in names).encode("utf-8", "surrogateescape")
    return run_git("cat-file", f"--{mode}", cwd=site.root, stdin=lines).stdout if names else b""


def _blobs(site: Site, specs: list[str]) -> list[bytes | None]:
    """The blobs `specs` (REV:PATH) name, None where there is none or it is larger than a
    page may be: their sizes are asked first, so no larger blob is ever read."""
    askable = [spec for spec in specs if "\n" not in spec]  # one a line: no line breaks
    wanted = []
    checked = _cat_file(site, "batch-check", askable).split(b"\n")[: len(askable)]
    for spec, line in zip(askable, checked, strict=True):
        fields = line.split(b" ")  # "<sha> blob <size>", or "<spec> missing"
        if len(fields) == 3 and fields[1] == b"blob" and int(fields[2]) <= PAGE_BYTES:
            wanted.append((spec, fields[0].decode()))
    out = _cat_file(site, "batch", [sha for _, sha in wanted])
    found: dict[str, bytes] = {}
    at = 0
    for spec, _ in wanted:  # each: "<sha> blob <size>\n<content>\n"
        end = out.index(b"\n", at)
        size = int(out[at:end].split(b" ")[2])
        found[spec] = out[end + 1 : end + 1 + size]
        at = end + 1 + size + 1
    return [found.get(spec) for spec in specs]


def pages_before_adoption(site: Site, recorded: list[RecordedDocument]) -> list[Adopted]:
    """Each adopted page with its frontmatter before adoption (empty outside git, or
    where git holds no earlier version of the page)."""
    try:
        top = _top(site)
        commits = _adding_commits(site, top)
        specs = [
            f"{commits[r.answers_relpath]}^:{top}{r.document}"
            if r.answers_relpath in commits
            else f"HEAD:{top}{r.document}"
            for r in recorded
        ]
        blobs = _blobs(site, specs)
    except GitFailed:
        return [Adopted(r) for r in recorded]
    return [Adopted(r, _frontmatter_of(blob)) for r, blob in zip(recorded, blobs, strict=True)]


def _frontmatter_of(page: bytes | None) -> dict[str, Any]:
    if page is None:
        return {}
    try:
        parsed = frontmatter.parse(page.decode("utf-8").removeprefix("\ufeff"))
    except (UnicodeDecodeError, FrontmatterError):
        return {}
    return dict(parsed.data) if parsed else {}
