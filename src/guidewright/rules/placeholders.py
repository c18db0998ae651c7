"""Rule GW301: a `[placeholder]` of the template left in a published document.

The template's body is full of bracketed prompts ("[specific experience level]") for the
author to replace. Once the page is published (the `_guidewright` block's `published_when`
is true of its answers), any left is an error: in the prose (not in code, comments or
links) and in frontmatter values.
"""

from __future__ import annotations

import re

from guidewright.copier_compat.questions import plain_value
from guidewright.markdown import frontmatter
from guidewright.rules.page import PageUnderCheck
from guidewright.rules.problems import ERROR, Problem
from guidewright.rules.rule import PageDetector, Reads, Rule
from guidewright.template.questionnaire import Questionnaire

LINK = re.compile(r"(?<!\\)!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'(][^)]*)?\)")
# A bracketed text that is neither a link, a reference, a footnote nor a checkbox.
PLACEHOLDER = re.compile(r"(?<![\\!\]])\[(?![ xX]\])(?!\^)([^\[\]\n]{1,200})\](?![(\[:])")
INLINE_CODE = re.compile(r"`+[^`\n]*`+")
HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def _blank(match: re.Match[str]) -> str:
    """The same number of lines, emptied: line numbers stay right."""
    return "\n" * match.group(0).count("\n")


def _fence_lines(text: str) -> list[tuple[str, int, int]]:
    """(fence, line start, line end) of each line that opens or closes a code block: a run
    of backticks or tildes after nothing but spaces. Found from the few fence marks, not
    line by line: a regular expression anchored at every line start costs ten times more."""
    hits = []
    for mark in ("```", "~~~"):
        at = text.find(mark)
        while at >= 0:
            line_start = text.rfind("\n", 0, at) + 1
            line_end = text.find("\n", at)
            line_end = len(text) if line_end < 0 else line_end
            if not text[line_start:at].strip(" \t"):
                run_end = at + 3
                while run_end < line_end and text[run_end] == mark[0]:
                    run_end += 1
                hits.append((text[at:run_end], line_start, line_end))
            at = text.find(mark, line_end)
    hits.sort(key=lambda hit: hit[1])
    return hits


def _without_fenced_code(text: str) -> str:
    pieces, start, opened = [], 0, ""
    for fence, line_start, line_end in _fence_lines(text):
        if not opened:
            pieces.append(text[start:line_start])
            start, opened = line_start, fence
        elif fence[0] == opened[0] and len(fence) >= len(opened):
            pieces.append("\n" * text.count("\n", start, line_end))
            start, opened = line_end, ""
    tail = text[start:]
    pieces.append("\n" * tail.count("\n") if opened else tail)  # unclosed: code to the end
    return "".join(pieces)


def prose_only(body: str) -> str:
    """The body without fenced code, inline code and HTML comments (lines kept)."""
    without_comments = HTML_COMMENT.sub(_blank, body) if "<!--" in body else body
    return INLINE_CODE.sub("", _without_fenced_code(without_comments))


def body_placeholders(body: str) -> list[tuple[re.Match[str], int]]:
    """Each placeholder of a body's prose (not code, comments or links), with its line in
    the body (0 for the first)."""
    without_links = LINK.sub(lambda m: " " * len(m.group(0)), prose_only(body))
    return [
        (match, without_links.count("\n", 0, match.start()))
        for match in PLACEHOLDER.finditer(without_links)
    ]


def _is_published(parsed: frontmatter.Frontmatter, questionnaire: Questionnaire) -> bool:
    condition = questionnaire.block.published_when
    if not condition:
        return False
    try:
        rendered = questionnaire.jinja.render(condition, plain_value(parsed.data))
    except Exception:
        return False
    return rendered.strip().lower() in {"true", "yes", "1", "on", "y"}


def placeholder_problems(page: PageUnderCheck) -> list[Problem]:
    """GW301 for each placeholder left in a published page's prose and frontmatter."""
    parsed = page.frontmatter
    assert parsed is not None  # Reads.FRONTMATTER: guidewright's frontmatter
    if not _is_published(parsed, page.questionnaire):
        return []
    shown, problems = page.page.shown, []
    for match, line_in_body in body_placeholders(parsed.body):
        line = parsed.body_line + line_in_body
        message = f"[{match.group(1)}] left in a published document"
        problems.append(PLACEHOLDER_LEFT.problem(shown, line, "placeholder", message))
    for key, value in parsed.data.items():
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str) and PLACEHOLDER.search(text):
                message = f"placeholder left in {text!r}"
                line = parsed.key_lines.get(key, 1)
                problems.append(PLACEHOLDER_LEFT.problem(shown, line, key, message))
    return problems


PLACEHOLDER_LEFT = Rule(
    code="GW301",
    name="placeholder-left",
    severity=ERROR,
    summary="a [placeholder] left in a published document",
    why=(
        "The template's prompts are for the author, not the reader. Drafts may hold them; "
        "a page the template's `published_when` calls published may not. Text in code, "
        "comments and links, checkboxes (`[ ]`, `[x]`) and footnotes (`[^1]`) are no "
        "placeholders."
    ),
    example=(
        '```markdown\n---\ncontent_type: "guide"\nstatus: "published"\n---\n'
        "Aimed at engineers with [specific experience level].\n```"
    ),
    family="placeholders",
    detector=PageDetector(Reads.FRONTMATTER, placeholder_problems),
)
