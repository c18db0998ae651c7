"""A heading's id as the site's toc makes it: the slugify the site names, its separator.

Python-Markdown's own functions (`toc.slugify`, `toc.slugify_unicode`, `toc.unique`) and
pymdownx's `slugs.slugify(case=..., ...)` are used, not copied: an id is what the build
gives, whatever version is installed. Only those functions are ever imported, and only the
one the profile names (guidewright never imports what a configuration names at will); a
site naming another gets `None`, and its heading ids are not judged.
"""

from __future__ import annotations

from collections.abc import Callable, MutableSet
from functools import cache, lru_cache

from guidewright.markdown.markdown_profile import (
    PYMDOWNX_SLUGIFY,
    TOC_SLUGIFY,
    TOC_SLUGIFY_UNICODE,
    MarkdownProfile,
    Slugify,
)

HeadingSlug = Callable[[str], str]  # a heading's text -> its id, before it is made unique


def heading_slug(markdown: MarkdownProfile) -> HeadingSlug | None:
    """The site's slugify with its separator, or None when the site names a function
    guidewright does not reproduce."""
    return _slug(markdown.slugify, markdown.separator)


@lru_cache(maxsize=16)
def _slug(slugify: Slugify, separator: str) -> HeadingSlug | None:
    # Imported here, once a heading's id is needed: most pages of a run never need one,
    # and Python-Markdown takes longer to import than a page takes to judge.
    if slugify.name in (TOC_SLUGIFY, TOC_SLUGIFY_UNICODE):
        from markdown.extensions import toc

        function = toc.slugify if slugify.name == TOC_SLUGIFY else toc.slugify_unicode
        return _remembered(lambda text: function(text, separator))
    if slugify.name == PYMDOWNX_SLUGIFY:
        try:
            from pymdownx import slugs
        except ImportError:  # pragma: no cover - installed with mkdocs-material
            return None
        made = slugs.slugify(**dict(slugify.kwds))
        return _remembered(lambda text: str(made(text, separator)))
    return None


SLUGS_KEPT = 4096  # headings' ids, per process: bounded memory


def _remembered(slug: HeadingSlug) -> HeadingSlug:
    """`slug`, each text's id made once: the same headings ("Overview", "Examples") recur
    on many pages of a site, and a slugify (a Unicode normalisation and two regular
    expressions) costs more than the rest of a heading's reading."""
    return lru_cache(maxsize=SLUGS_KEPT)(slug)


def unique_id(anchor: str, used: MutableSet[str]) -> str:
    """toc's `unique`: a taken (or empty) id gets the first free `_N`; `used` takes it."""
    return str(_toc_unique()(anchor, used))


@cache
def _toc_unique() -> Callable[[str, MutableSet[str]], str]:
    """toc's `unique`, imported once needed (see _slug) and then found at once: an import
    statement run for every heading of a run costs twice what `unique` does."""
    from markdown.extensions.toc import unique

    return unique
