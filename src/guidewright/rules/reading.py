"""Rules of reading a page at all: a file that cannot be read as text (GW001), frontmatter
that does not parse (GW002), a content page without guidewright frontmatter (GW003).

`check` reports them itself as it reads each page: no detector runs on a page it cannot
read, and a page whose frontmatter does not parse is judged no further (its conflict
markers aside).
"""

from __future__ import annotations

from guidewright.rules.problems import ERROR, Problem
from guidewright.rules.rule import Rule

FAMILY = "reading"

UNREADABLE_FILE = Rule(
    code="GW001",
    name="unreadable-file",
    severity=ERROR,
    summary="a file that cannot be read, or is not UTF-8",
    why=(
        "MkDocs reads every page as UTF-8 and stops on one that is not. A page saved in "
        "another encoding (Latin-1, say) or that cannot be opened is judged no further."
    ),
    example=(
        "A page saved as Latin-1, whose `é` is the single byte `0xE9`:\n\n"
        "```text\ndocs/cafe.md:1: GW001 file: not UTF-8 text\n```"
    ),
    family=FAMILY,
)

INVALID_FRONTMATTER = Rule(
    code="GW002",
    name="invalid-frontmatter",
    severity=ERROR,
    summary="frontmatter that is not valid YAML or not a mapping",
    why=(
        "MkDocs drops frontmatter it cannot read, and the page loses its title, tags and "
        "status; guidewright cannot judge its questions either. Only conflict markers are "
        "still looked for."
    ),
    example="```markdown\n---\ntitle: [Caching\n---\n# Caching\n```",
    family=FAMILY,
)

NO_FRONTMATTER = Rule(
    code="GW003",
    name="no-frontmatter",
    severity=ERROR,
    summary="a content page with no guidewright frontmatter (listed once; an error with --strict)",
    why=(
        "A hand-written page has none of the template's questions answered: no tags, "
        "no status, no review date, and `update` cannot update it. Its links and lists "
        "are still checked. Without --strict such pages are listed once, not reported "
        "one by one; the site's `not_content` globs name the pages that are not content "
        "(the home page, section indexes). `guidewright adopt` gives them the "
        "template's frontmatter."
    ),
    example="```markdown\n# Notes on caching\n\nNo frontmatter above the heading.\n```",
    family=FAMILY,
)


def unreadable(shown: str, error: OSError | UnicodeDecodeError) -> Problem:
    """GW001 for a page whose bytes cannot be had as text."""
    if isinstance(error, UnicodeDecodeError):
        return UNREADABLE_FILE.problem(shown, 1, "file", "not UTF-8 text")
    return UNREADABLE_FILE.problem(shown, 1, "file", f"cannot read: {error.strerror or error}")


def without_frontmatter(shown: str) -> Problem:
    """GW003 for a content page with no guidewright frontmatter (--strict)."""
    return NO_FRONTMATTER.problem(shown, 1, "frontmatter", "no guidewright frontmatter")
