"""Recorded answers: the answers file Copier wrote for each document, read one way everywhere.

An answers file is untrusted (anyone can commit one): it is loaded within safe bounds, and
the document it names must lie inside the docs folder, through any symlinks.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from guidewright import safe_yaml
from guidewright.documents.site import Site


class UnusableAnswers(ValueError):
    """The answers file cannot be used; the message says why, naming the file."""


@dataclass(frozen=True)
class RecordedDocument:
    answers_relpath: str  # relative to the site root
    document: str  # relative to the site root
    answers: dict[str, Any]  # the questions' answers, without Copier's `_` keys
    commit: str | None  # the template version (`git describe`), None when unversioned
    src_path: str  # the template source


def inside(folder: Path, path: Path) -> bool:
    """Whether `path`, symlinks resolved, lies inside `folder` (resolved too)."""
    try:
        path.resolve().relative_to(folder.resolve())
    except (ValueError, OSError, RuntimeError):
        return False
    return True


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
    target = site.root / document
    if any(p.startswith("/") or ".." in p.split("/") or "\0" in p for p in parts) or not inside(
        site.docs_path, target
    ):
        raise UnusableAnswers(f"{relpath}: its document {document} would be outside {docs_dir}/")
    return document


def read_recorded(site: Site, relpath: str) -> RecordedDocument:
    """One answers file; raises UnusableAnswers with the reason when it cannot be used."""
    path = site.root / relpath
    if not inside(site.root / ".guidewright", path):
        raise UnusableAnswers(f"{relpath}: a link that leads outside the site's answers folder")
    try:
        data = safe_yaml.load(path.read_bytes())
    except OSError as error:
        raise UnusableAnswers(f"{relpath}: unreadable ({error.strerror})") from error
    except (yaml.YAMLError, safe_yaml.UnsafeYaml) as error:
        raise UnusableAnswers(f"{relpath}: unreadable answers file ({error})") from error
    if not isinstance(data, dict) or not isinstance(data.get("_src_path"), str):
        raise UnusableAnswers(f"{relpath}: lacks section, slug or _src_path")
    document = confined_document(site, data, relpath)
    answers = {k: v for k, v in data.items() if not str(k).startswith("_")}
    commit = data.get("_commit")
    return RecordedDocument(
        relpath, document, answers, str(commit) if commit else None, data["_src_path"]
    )


def read_all_recorded(site: Site) -> tuple[list[RecordedDocument], list[UnusableAnswers]]:
    """Every answers file of the site: the usable ones and why the others are not."""
    usable, unusable = [], []
    for relpath in site.answers_files():
        try:
            usable.append(read_recorded(site, relpath))
        except UnusableAnswers as error:
            unusable.append(error)
    return usable, unusable
