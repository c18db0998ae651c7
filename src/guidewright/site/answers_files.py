"""Recorded answers: the answers file Copier wrote for each document, read one way everywhere.

An answers file is untrusted (anyone can commit one): it is loaded within safe bounds, and
the document it names must lie inside the docs folder, through any symlinks.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from guidewright.core import safe_yaml
from guidewright.core.atomic import LinkRefused, Seen, read_seen
from guidewright.core.bounded_read import YAML_BYTES, inside, read_bounded
from guidewright.core.errors import UnsafeYaml, UnusableAnswers
from guidewright.core.quick_yaml import quick_load
from guidewright.core.yaml_problem import yaml_problem
from guidewright.site.site import Site


# slots: `check` holds one for each page of the site; not frozen: a frozen one takes four
# times as long to make, and a run of one page makes one for each answers file it indexed.
@dataclass(slots=True)
class RecordedDocument:
    """A document's recorded answers and where they place it."""

    answers_relpath: str  # relative to the site root
    document: str  # relative to the site root
    answers: dict[str, Any]  # the questions' answers, without Copier's `_` keys
    commit: str | None  # the template version (`git describe`), None when unversioned
    src_path: str  # the template source
    # Adopted (`guidewright adopt`): only the frontmatter comes from the template, the body
    # is the author's. Recorded as `_adopted_from` in place of Copier's `_src_path`, so that
    # plain `copier update` finds no template and refuses instead of rewriting the body.
    adopted: bool = False
    # What the file was when read whole (`update` replaces it only while it still is);
    # None when only its placing keys were read.
    seen: Seen | None = None


ADOPTED_KEY = "_adopted_from"


@lru_cache(maxsize=64)
def _answers_root(root: Path) -> str:
    """The folder every answers file of the site at `root` must lie in."""
    return os.path.join(root, ".guidewright")


def confined_document(site: Site, data: dict[str, Any], relpath: str) -> str:
    """The document the answers place, refused when it would lie outside the docs folder."""
    section, slug = data.get("section"), data.get("slug")
    if not (isinstance(section, str) and section and isinstance(slug, str) and slug):
        raise UnusableAnswers(f"{relpath}: lacks section or slug")
    parts = [section, slug]
    docs_dir = data.get("docs_dir") or site.docs_dir
    if not isinstance(docs_dir, str) or docs_dir.strip("/") != site.docs_dir:
        raise UnusableAnswers(f"{relpath}: docs_dir {docs_dir!r} is not the site's docs folder")
    document = site.recorded_document(data)
    target = os.path.join(site.root, document)  # no Path: read for every page of a site
    if any(p.startswith("/") or ".." in p.split("/") or "\0" in p for p in parts) or not inside(
        site.docs_path, target
    ):
        raise UnusableAnswers(f"{relpath}: its document {document} would be outside {docs_dir}/")
    return document


# Copier writes answers as block YAML, top-level keys at column 0, one line each: what
# places a document can be read from those lines alone, many times faster than the file.
_PLACING = re.compile(
    rb"^(?:docs_dir|section|slug|_commit|_src_path|_adopted_from):[^\n]*(?:\n|\Z)(?![ \t])",
    re.MULTILINE,
)


# A plain YAML scalar that YAML reads as this very text (no number, boolean or null).
_PLAIN_TEXT = re.compile(rb"^[A-Za-z/_.][A-Za-z0-9_./+@-]*\Z")
_NOT_TEXT = {b"y", b"n", b"yes", b"no", b"on", b"off", b"true", b"false", b"null", b"~"}


def _simple_lines(lines: list[bytes]) -> dict[str, Any] | None:
    data: dict[str, Any] = {}
    for line in lines:
        key, _, value = line.rstrip(b"\n").partition(b":")
        value = value.strip()
        if not _PLAIN_TEXT.match(value) or value.lower() in _NOT_TEXT or key.decode() in data:
            return None  # anything else is YAML's to read
        data[key.decode()] = value.decode()
    return data


def _placing_answers(text: bytes) -> dict[str, Any] | None:
    """The keys that place a document, when the file is written as Copier writes it."""
    lines = _PLACING.findall(text)
    try:
        data = _simple_lines(lines) or safe_yaml.load(b"".join(lines))
    except (yaml.YAMLError, UnsafeYaml):
        return None
    wanted = {"section", "slug"}
    found = isinstance(data, dict) and wanted <= set(data)
    return data if found and ({"_src_path", ADOPTED_KEY} & set(data)) else None


def read_recorded(site: Site, relpath: str, placing_only: bool = False) -> RecordedDocument:
    """One answers file; raises UnusableAnswers with the reason when it cannot be used.

    `placing_only` reads just what places the document and its version (`check` needs no
    more); the answers are then empty."""
    path = os.path.join(site.root, relpath)
    if not inside(_answers_root(site.root), path):
        raise UnusableAnswers(f"{relpath}: a link that leads outside the site's answers folder")
    seen = None
    if placing_only:
        text = _read(path, relpath)
    else:
        text, seen = _read_seen(path, relpath)
    data = _placing_answers(text) if placing_only else None
    if data is None:
        data = _load(text, relpath)
    adopted = isinstance(data, dict) and isinstance(data.get(ADOPTED_KEY), str)
    if not isinstance(data, dict) or not isinstance(
        data.get(ADOPTED_KEY if adopted else "_src_path"), str
    ):
        raise UnusableAnswers(f"{relpath}: lacks section, slug or _src_path")
    document = confined_document(site, data, relpath)
    answers = {} if placing_only else {k: v for k, v in data.items() if not str(k).startswith("_")}
    commit = data.get("_commit")
    return RecordedDocument(
        relpath,
        document,
        answers,
        sys.intern(str(commit)) if commit else None,
        sys.intern(data[ADOPTED_KEY if adopted else "_src_path"]),
        adopted,
        seen,
    )


def _read(path: str, relpath: str) -> bytes:
    """An answers file's bytes (a string path: no Path object per file); its place in the
    answers folder is judged already."""
    try:
        return read_bounded(path, YAML_BYTES)
    except OSError as error:
        raise UnusableAnswers(f"{relpath}: unreadable ({error.strerror})") from error


def _read_seen(path: str, relpath: str) -> tuple[bytes, Seen]:
    """The file and what it was, for a run that may replace it: no link, no FIFO."""
    try:
        return read_seen(path, YAML_BYTES)
    except LinkRefused as error:
        reason = "a symbolic link; nothing is written through one"
        raise UnusableAnswers(f"{relpath}: {reason}") from error
    except OSError as error:
        raise UnusableAnswers(f"{relpath}: unreadable ({error.strerror})") from error


def _load(text: bytes, relpath: str) -> Any:
    try:
        data = quick_load(text)  # as Copier writes them: read without PyYAML's constructor
        return safe_yaml.load(text) if data is None else data
    except (yaml.YAMLError, UnsafeYaml) as error:
        raise UnusableAnswers(f"{relpath}: {yaml_problem(error, text=text)}") from error


def full_answers(site: Site, placed: RecordedDocument) -> dict[str, Any]:
    """The answers of a document whose file `read_recorded` placed (`placing_only`): the
    file read again, whole, where its document is judged (in `check`'s workers); its place
    was judged already. Raises UnusableAnswers."""
    relpath = placed.answers_relpath
    data = _load(_read(os.path.join(site.root, relpath), relpath), relpath)
    if not isinstance(data, dict):
        raise UnusableAnswers(f"{relpath}: lacks section, slug or _src_path")
    return {k: v for k, v in data.items() if not str(k).startswith("_")}


def read_all_recorded(
    site: Site, placing_only: bool = False
) -> tuple[list[RecordedDocument], list[UnusableAnswers]]:
    """Every answers file of the site: the usable ones and why the others are not."""
    usable, unusable = [], []
    for relpath in site.answers_files():
        try:
            usable.append(read_recorded(site, relpath, placing_only))
        except UnusableAnswers as error:
            unusable.append(error)
    return usable, unusable
