"""Whether a link is broken, as the site's engine says (rule GW201's judgement).

MkDocs and ProperDocs (`mkdocs.structure.pages._RelativePathTreeprocessor`): an external
link is left alone; an absolute one (`/x`, `\\x`) is left as it is and reported at
`validation: links: absolute_links` (`info` by default: no failure), or with
`relative_to_docs` resolved against the docs folder and judged as any other; a relative
one to no file is reported at `unrecognized_links` when its last part has no extension
(`folder/`), else at `not_found`; a missing anchor of a page at `anchors`. Only a `warn`
fails a strict build, so only a `warn` is a finding.

Zensical (0.0.73, measured: its validation is native code): only links to pages (a path
ending in `.md`, in any case, and no query) are judged, every one relative to its page (an
absolute one finds no page), at `invalid_links`; the anchors of existing pages, and a
page's own, at `invalid_link_anchors`, whatever `invalid_links` says.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from urllib.parse import SplitResult, unquote, urlsplit

from guidewright.site.profile import RELATIVE_TO_DOCS, WARN, ZENSICAL, SiteProfile

ABSOLUTE = ("/", "\\")  # what starts a link MkDocs calls absolute
# What sends a target to `urlsplit` itself: a `:` (a scheme), the C0 controls and blank it
# strips or removes (tab, CR, LF), `//` (a host) checked apart. A target with none of them
# (most: `page.md#part`) is split by `#` then `?` there, as `_split` does here.
_URL_MARKS = frozenset(":" + "".join(map(chr, range(0x21))))


def why_broken(
    page: str,
    target: str,
    anchors: frozenset[str] | None,
    files: frozenset[str],
    anchors_of: Callable[[str], frozenset[str] | None],
    profile: SiteProfile,
) -> str | None:
    """Why the site's engine would fail a strict build on a link to `target` from `page`
    (relative to the docs folder), None when it would not; `anchors`: those `page` itself
    offers (None: not known), `anchors_of`: another page's (None: not known)."""
    try:
        parts = _split(target)
    except ValueError as error:  # `https://[host]/`: the engine's own urlsplit stops the build
        return f"is no URL {profile.engine_name} can read ({error})"
    if parts.scheme or parts.netloc:
        return None  # external
    if profile.engine == ZENSICAL:
        return _zensical(page, target, parts, anchors, files, anchors_of, profile)
    path, anchor = parts.path, parts.fragment
    validation = profile.validation
    absolute = target.startswith(ABSOLUTE)
    if absolute and validation.absolute_links != RELATIVE_TO_DOCS:
        if validation.absolute_links != WARN:
            return None
        return f"is an absolute link, left as is ({profile.setting('absolute_links')})"
    if not path:
        if anchor and validation.anchors == WARN and anchors is not None and anchor not in anchors:
            return "matches no heading or anchor on this page"
        return None
    resolved = resolved_path(page, unquote(path))
    if resolved not in files:
        unrecognized = not absolute and not posixpath.splitext(unquote(path))[1]
        level = validation.unrecognized_links if unrecognized else validation.not_found
        if level != WARN:
            return None
        if resolved.startswith("../") or resolved == "..":
            return "leaves the docs folder"
        if unrecognized:
            return "is not a page or file (link the page itself, like folder/index.md)"
        if absolute:
            return f"does not exist in the docs folder ({profile.setting('absolute_links')})"
        return "does not exist"
    if anchor and resolved.endswith(".md") and validation.anchors == WARN:
        offered = anchors_of(resolved)
        if offered is not None and anchor not in offered:
            return f"matches no heading or anchor in {resolved}"
    return None


def linked_page(page: str, target: str) -> str | None:
    """The page of the docs folder (its path there) a link from `page` to `target` leads
    to, as the engine resolves it; None for an external or absolute link, one within the
    page, or one to no Markdown page."""
    try:
        parts = _split(target)
    except ValueError:
        return None
    if parts.scheme or parts.netloc or not parts.path or target.startswith(ABSOLUTE):
        return None
    resolved = resolved_path(page, unquote(parts.path))
    return resolved if resolved.endswith(".md") and not resolved.startswith("../") else None


def _split(target: str) -> SplitResult:
    """`urlsplit(target)`, its work done here for a target with no scheme, host or
    character it strips (a link between pages): `urlsplit` costs a tenth of a page's
    judging on a page of many links, its own cache missed by every new target."""
    if target.startswith("//") or not _URL_MARKS.isdisjoint(target):
        return urlsplit(target)
    rest, _, fragment = target.partition("#")
    path, _, query = rest.partition("?")
    return SplitResult("", "", path, query, fragment)


def resolved_path(page: str, path: str) -> str:
    """The file a link's path names, as MkDocs' `_target_uri` finds it."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), path)).lstrip("/")


def _zensical(
    page: str,
    target: str,
    parts: SplitResult,
    anchors: frozenset[str] | None,
    files: frozenset[str],
    anchors_of: Callable[[str], frozenset[str] | None],
    profile: SiteProfile,
) -> str | None:
    validation, path, anchor = profile.validation, parts.path, parts.fragment
    if not path:
        if anchor and validation.anchors == WARN and anchors is not None and anchor not in anchors:
            return "matches no heading or anchor on this page"
        return None
    if not path.lower().endswith(".md") or parts.query:
        return None  # Zensical judges links to pages only, and none with a query
    resolved = resolved_path(page, unquote(path))
    absolute = target.startswith(ABSOLUTE)
    if absolute or resolved not in files:
        if validation.not_found != WARN:
            return None
        if absolute:
            return (
                "is an absolute link: Zensical reads every link relative to its page, and "
                f"finds no page there ({profile.setting('not_found')})"
            )
        return "leaves the docs folder" if resolved.startswith("../") else "does not exist"
    if anchor and validation.anchors == WARN:
        offered = anchors_of(resolved)
        if offered is not None and anchor not in offered:
            return f"matches no heading or anchor in {resolved}"
    return None
