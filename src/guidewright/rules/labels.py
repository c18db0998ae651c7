"""Label lines MkDocs joins into one paragraph (rule GW602).

A page often sets out a topic as lines that each start with a bold label:

    **When to Use**: [Specific scenarios]
    **Implementation**: [Detailed approach]

The editor shows them as written, but Python-Markdown, MkDocs' renderer, reads lines with
no blank line between them as one paragraph: "When to Use: … Implementation: …" on one
line. A finding is a label line right below another of the same paragraph (same block
quote, same indentation, no hard line break); its fix is a blank line between them, made
only where that keeps both lines in the block they are in: at the top of the page or of a
block quote, or indented 4 spaces in an admonition or a list item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from guidewright.core.errors import FrontmatterError
from guidewright.markdown import frontmatter
from guidewright.markdown.code_regions import superfences_code_lines
from guidewright.markdown.markdown_profile import MarkdownProfile
from guidewright.rules.page import PageUnderCheck
from guidewright.rules.problems import WARNING, Problem
from guidewright.rules.rule import Fix, FixedText, PageDetector, Reads, Rule

# A line's block quote markers and indentation, then a bold label ending in a colon, inside
# or after the bold: `**When to Use**: …`, `**Note:** …`.
LABEL_LINE = re.compile(
    r"(?P<quote>(?:[ ]{0,3}>[ ]?)*)(?P<indent>[ ]*)\*\*(?P<label>[^*\s][^*\n]*?)(?:\*\*:|:\*\*)"
)
# Two label lines one below the other, the first after a line break: a search that starts
# with a literal character runs in C from one line break to the next, where a pattern
# anchored at every line start (`^`, MULTILINE) is tried at every character of the body.
_LABEL_START = re.sub(r"\(\?P<\w+>", "(?:", LABEL_LINE.pattern)  # its groups unnamed
TWO_LABEL_LINES = re.compile(rf"{_LABEL_START}[^\n]*\n{_LABEL_START}")
LABEL_LINES_AFTER_BREAK = re.compile(rf"\n{TWO_LABEL_LINES.pattern}")
# What two label lines need at the least, and a third of the cost to find: a line holding
# `**` above one that starts with it (after quote markers and spaces). A search starting
# with `**` is tried only where there is one, where the two above are tried at every line.
BOLD_ABOVE_BOLD_START = re.compile(r"\*\*[^\n]*+\n[ >]*+\*\*")
LIST_MARKER = re.compile(r"[ ]*(?:[-*+]|\d{1,9}[.)])[ ]")
CONTAINER = re.compile(r"[ ]*(?:!!!|\?\?\?\+?)[ ]|[ ]*(?:[-*+]|\d{1,9}[.)])[ ]")
HEADING = re.compile(r"[ ]{0,3}#{1,6}(?:[ ]|$)")
LINE_BREAK = re.compile(r"(\r\n|\r|\n)")


@dataclass(frozen=True)
class LabelFinding:
    """A label line (counted from 0 in the body) joined to the label line above it."""

    line: int
    label: str
    above: str  # the label of the line above
    fixable: bool  # a blank line between them keeps both where they are


def _prose_lines(lines: list[str]) -> list[bool]:
    """For each line, whether it is prose: not in fenced code (as MkDocs renders it:
    pymdownx.superfences') or an HTML comment."""
    code = superfences_code_lines(lines)
    prose, comment = [], False
    for number, text in enumerate(lines):
        if comment:
            prose.append(False)
            comment = "-->" not in text
            continue
        if code[number]:
            prose.append(False)
            continue
        start = text.find("<!--")
        comment = start >= 0 and "-->" not in text[start + 4 :]
        prose.append(start < 0)
        continue
    return prose


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


def _in_a_paragraph(lines: list[str], number: int, quote: str, indent: int) -> bool:
    """Whether a line indented `indent` (within its quote) is paragraph text, not indented
    code: less than 4 spaces, or inside an admonition or a list item that holds it."""
    if indent < 4:
        return True
    for above in range(number - 1, -1, -1):
        text = lines[above][len(quote) :] if lines[above].startswith(quote) else lines[above]
        if text.strip() and _indent(text) < indent:
            return bool(CONTAINER.match(text)) and _indent(text) <= indent - 4
    return False


def _fixable(lines: list[str], number: int, quote: str, indent: int) -> bool:
    """Whether a blank line above line `number` keeps it in its block: its paragraph's
    lines all have its indentation, and none is a list item (whose next paragraph would
    need 4 spaces more), up to a blank line, a heading or, 4 spaces further in, the
    admonition or list item that holds it."""
    if 0 < indent < 4:
        return False  # a list item's text, whose next paragraph would need 4 spaces
    for above in range(number - 1, -1, -1):
        text = lines[above]
        if not text.strip(" >") or HEADING.match(text):
            return True
        inner = text[len(quote) :] if text.startswith(quote) else None
        if inner is None:
            return False
        if indent >= 4 and _indent(inner) <= indent - 4 and CONTAINER.match(inner):
            return True
        if _indent(inner) != indent or LIST_MARKER.match(inner):
            return False
    return True


def _adjacent_label_lines(body: str) -> bool:
    """Whether two lines next to each other both start as label lines: what every finding
    needs (in code or not, in one paragraph or not: the reading below tells)."""
    if BOLD_ABOVE_BOLD_START.search(body) is None:
        return False  # most pages
    return bool(TWO_LABEL_LINES.match(body) or LABEL_LINES_AFTER_BREAK.search(body))


def label_findings(body: str) -> list[LabelFinding]:
    """The label lines of a page body MkDocs joins to the label line above them."""
    if "**" not in body or ("\r" not in body and not _adjacent_label_lines(body)):
        return []  # (a lone CR ends a line that `^` does not see: such a body is read whole)
    lines = LINE_BREAK.split(body)[0::2]
    prose = _prose_lines(lines)
    found: list[LabelFinding] = []
    above: re.Match[str] | None = None
    for number, text in enumerate(lines):
        match = LABEL_LINE.match(text) if prose[number] else None
        if (
            match is not None
            and above is not None
            and (match.group("quote"), match.group("indent"))
            == (above.group("quote"), above.group("indent"))
            and not lines[number - 1].endswith("  ")  # a hard line break: shown apart
            and _in_a_paragraph(lines, number, match.group("quote"), len(match.group("indent")))
        ):
            quote, indent = match.group("quote"), len(match.group("indent"))
            fixable = _fixable(lines, number, quote, indent)
            found.append(LabelFinding(number, match.group("label"), above.group("label"), fixable))
        above = match
    return found


def label_problems(shown: str, body: str, first_line: int) -> list[Problem]:
    """`check`'s GW602 findings of a page body whose first line is `first_line`."""
    found = []
    for finding in label_findings(body):
        message = (
            f"'**{finding.label}**' joins the line above ('**{finding.above}**') in one "
            "paragraph in MkDocs: put a blank line between them"
        )
        found.append(LABELS_JOINED.problem(shown, first_line + finding.line, "label", message))
    return found


# An extension that makes every line break a <br>: no lines are joined on such a site.
LINE_BREAKS_KEPT = "nl2br"


def _labels_of_page(page: PageUnderCheck) -> list[Problem]:
    if page.index.site_markdown.profile.has(LINE_BREAKS_KEPT):
        return []
    return label_problems(page.page.shown, page.body, page.first_line)


def fix_labels(text: str, markdown: MarkdownProfile | None = None) -> FixedText:
    """`text` (a whole page, frontmatter and all) with a blank line (inside its block
    quote, if any) above each label line MkDocs joins to the one above it (`markdown`:
    the site's extensions; with nl2br none is joined). Nothing else changes, line ends
    included; a second run changes nothing."""
    if markdown is not None and markdown.has(LINE_BREAKS_KEPT):
        return FixedText(text, 0, 0)
    try:
        parts = frontmatter.split(text.removeprefix("\ufeff"))
    except FrontmatterError:
        return FixedText(text, 0, 0)  # check reports the frontmatter and judges no further
    body = parts[1] if parts else text
    findings = label_findings(body)
    fixable = [finding for finding in findings if finding.fixable]
    if not fixable:
        return FixedText(text, 0, len(findings))
    pieces = LINE_BREAK.split(body)
    lines, breaks = pieces[0::2], [*pieces[1::2], ""]
    for finding in reversed(fixable):
        quote = LABEL_LINE.match(lines[finding.line])
        assert quote is not None  # a finding is a label line
        lines.insert(finding.line, quote.group("quote").rstrip(" "))
        breaks.insert(finding.line, breaks[finding.line - 1])
    fixed_body = "".join(line + end for line, end in zip(lines, breaks, strict=True))
    head = text[: len(text) - len(body)]
    return FixedText(head + fixed_body, len(fixable), len(findings) - len(fixable))


LABELS_JOINED = Rule(
    code="GW602",
    name="labels-joined",
    severity=WARNING,
    summary="adjacent `**Label**:` lines MkDocs joins into one paragraph",
    why=(
        "The editor's preview shows each label on a line of its own; the published site "
        'runs them into one paragraph ("When to Use: ... Implementation: ..."), as '
        "Python-Markdown reads lines with no blank line between them. Every page is read "
        "for them, with guidewright frontmatter or not."
    ),
    example=(
        "```markdown\n**When to Use**: [Specific scenarios]\n"
        "**Implementation**: [Detailed approach]\n```\n\n"
        "`check --fix` puts a blank line between the two lines (inside a list item's text, "
        "where the blank line would end the item, the finding is left to the author)."
    ),
    family="labels",
    detector=PageDetector(Reads.BODY, _labels_of_page),
    fix=Fix(fix_labels, unit="label line", title="set the label lines apart as `check --fix` does"),
)
