"""Rule GW301: a `[placeholder]` of the template left in a published document.

The template's body is full of bracketed prompts ("[specific experience level]") for the
author to replace. Once the page is published (the `_guidewright` block's `published_when`
is true of its answers), any left is an error: in the prose (not in code, comments or
links) and in frontmatter values.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from guidewright.markdown import frontmatter
from guidewright.markdown.code_regions import superfences_blocks
from guidewright.rules.page import PageUnderCheck
from guidewright.rules.problems import ERROR, Problem
from guidewright.rules.rule import PageDetector, Reads, Rule

if TYPE_CHECKING:  # annotations only: importing it loads Jinja2 (start-up speed)
    from guidewright.template.questionnaire import Questionnaire


LINK = re.compile(r"(?<!\\)!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'(][^)]*)?\)")
# A bracketed text that is neither a link, a reference, a footnote nor a checkbox.
PLACEHOLDER = re.compile(r"(?<![\\!\]])\[(?![ xX]\])(?!\^)([^\[\]\n]{1,200})\](?![(\[:])")
INLINE_CODE = re.compile(r"`+[^`\n]*`+")
HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def _blank(match: re.Match[str]) -> str:
    """The same number of lines, emptied: line numbers stay right."""
    return "\n" * match.group(0).count("\n")


def _without_fenced_code(text: str) -> str:
    """`text` with each fenced code block MkDocs renders (pymdownx.superfences') emptied,
    its line breaks kept."""
    pieces: list[str] = []
    copied = 0
    for block in superfences_blocks(text):
        pieces += (text[copied : block.start], "\n" * text.count("\n", block.start, block.end))
        copied = block.end
    pieces.append(text[copied:])
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
    # Imported here for start-up speed (it loads Jinja2): only a page judged needs it.
    from guidewright.copier_compat.questions import plain_value

    # Rendered with the answers it reads only (a result depends on nothing else): not
    # every answer of every page made plain to ask one of them.
    jinja, data = questionnaire.jinja, parsed.data
    context = {name: plain_value(data[name]) for name in jinja.names(condition) if name in data}
    try:
        rendered = jinja.render(condition, context)
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
