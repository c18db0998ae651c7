"""What a site's pages hold, read from them: their frontmatter, the tags and titles they use
(for the pickers and `check`'s tag count)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

from guidewright.core.bounded_read import PAGE_BYTES, read_bounded
from guidewright.core.errors import FrontmatterError
from guidewright.markdown import frontmatter
from guidewright.site.site import Site


def page_bytes(path: str | os.PathLike[str], site_root: str | os.PathLike[str]) -> bytes:
    """A page's bytes, as every page is read: a regular file of at most 10 MB, reached
    through no link that leads out of the site. Raises OSError (a refusal is a
    `RefusedRead`, one line naming the page)."""
    return read_bounded(path, PAGE_BYTES, site_root)


def page_text(path: str | os.PathLike[str], site_root: str | os.PathLike[str]) -> str:
    """`page_bytes` as UTF-8 text. Raises OSError or UnicodeDecodeError."""
    return page_bytes(path, site_root).decode("utf-8")


def frontmatters(site: Site) -> Iterator[tuple[str, dict[str, Any]]]:
    """(document, frontmatter data) for each document whose frontmatter parses."""
    for relpath in site.documents():
        try:
            parsed = frontmatter.parse(page_text(site.docs_path / relpath, site.root))
        except (FrontmatterError, UnicodeDecodeError, OSError):
            continue
        if parsed is not None:
            yield relpath, parsed.data


def content_index(
    site: Site, tags_key: str | None, type_key: str
) -> tuple[list[str], list[tuple[str, str]]]:
    """The tags the configuration and the content documents use (under `tags_key`),
    and (path in the docs folder, title) of each content document: one whose
    frontmatter has `type_key`, not an index or tags page."""
    tags, documents = set(site.config.tags), []
    for relpath, data in frontmatters(site):
        if type_key not in data or not site.is_content_page(relpath):
            continue
        title = data.get("title")
        documents.append((relpath, title if isinstance(title, str) and title else relpath))
        value = data.get(tags_key) if tags_key else None
        if isinstance(value, list):
            tags.update(t for t in value if isinstance(t, str))
    return sorted(tags), documents
