"""The check of ONE page: given its text and a site index, every finding of that page.

The library both fronts call: `check` over the whole site (spreading pages over cores) and
`guidewright lsp` as the author types. Plain data in and out: no process-wide state, no
file read, no printing; where another page is needed (its anchors), the index says.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any

from guidewright.copier_compat.questions import plain_value
from guidewright.core.errors import FrontmatterError, UnusableAnswers
from guidewright.markdown import frontmatter
from guidewright.rules.answers_drift import drift_problems
from guidewright.rules.conflict_markers import conflict_problems
from guidewright.rules.labels import label_problems
from guidewright.rules.links import broken_links, links_fine, may_link, parse_page
from guidewright.rules.list_rules import list_problems
from guidewright.rules.problems import WARNING, Problem
from guidewright.rules.questions_check import frontmatter_problems
from guidewright.template.normalise import unlisted_tag_problem
from guidewright.template.questionnaire import Questionnaire

LINK = re.compile(r"(?<!\\)!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'(][^)]*)?\)")
# A bracketed text that is neither a link, a reference, a footnote nor a checkbox.
PLACEHOLDER = re.compile(r"(?<![\\!\]])\[(?![ xX]\])(?!\^)([^\[\]\n]{1,200})\](?![(\[:])")
INLINE_CODE = re.compile(r"`+[^`\n]*`+")
HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


@dataclass(frozen=True)
class SiteIndex:
    """What judging one page needs to know of the rest of the site."""

    files: frozenset[str]  # every file of the docs folder, relative to it
    documents: frozenset[str]  # its Markdown pages
    anchors_of: Callable[[str], frozenset[str] | None]  # None: that page cannot be read
    # A page's recorded answers, by its path from the site root: None when it has none,
    # UnusableAnswers when its answers file cannot be read in full.
    recorded_of: Callable[[str], Mapping[str, Any] | UnusableAnswers | None] = lambda shown: None


@dataclass(frozen=True, slots=True)  # slots: a whole-site run holds one for every page
class PageRef:
    """A page being judged: how findings name it, and where it sits in the docs folder."""

    shown: str  # relative to the site root
    in_docs: str  # relative to the docs folder ("../x.md" for a page outside it)


@dataclass(frozen=True)
class PageVerdict:
    """The findings of one page, and what the site-wide checks need of it."""

    problems: list[Problem]
    parsed: frontmatter.Frontmatter | None  # ours, without its body; None: not ours
    plain: bool = False  # no guidewright frontmatter: only its links and lists were checked


def unreadable(shown: str, error: OSError | UnicodeDecodeError) -> Problem:
    """GW001 for a page whose bytes cannot be had as text."""
    if isinstance(error, UnicodeDecodeError):
        return Problem(shown, 1, "file", "not UTF-8 text", code="GW001")
    return Problem(shown, 1, "file", f"cannot read: {error.strerror or error}", code="GW001")


def check_page(
    page: PageRef, text: str, index: SiteIndex, questionnaire: Questionnaire
) -> PageVerdict:
    """Every finding of `page`, whose text is `text`, judged by `questionnaire`: schema,
    links, placeholders, lists, conflict markers (the site-wide warnings: `page_warnings`)."""
    conflicts = conflict_problems(page.shown, text)
    try:
        parsed: frontmatter.Frontmatter | None = frontmatter.parse(text)
    except FrontmatterError as error:
        found = Problem(page.shown, error.line, "frontmatter", str(error), code="GW002")
        return PageVerdict([found, *conflicts], None)
    if parsed is None or questionnaire.block.type_question not in parsed.data:
        body, first_line = (text, 1) if parsed is None else (parsed.body, parsed.body_line)
        problems = _link_problems(page, body, first_line, index)
        problems += list_problems(page.shown, body, first_line)
        problems += label_problems(page.shown, body, first_line)
        return PageVerdict(problems + conflicts, None, plain=True)
    problems = conflicts + frontmatter_problems(page.shown, parsed, questionnaire)
    recorded = index.recorded_of(page.shown)
    if isinstance(recorded, UnusableAnswers):
        relpath, _, reason = str(recorded).partition(": ")
        problems.append(Problem(relpath, 1, "answers", reason, WARNING, "GW502"))
    elif recorded is not None:
        problems += drift_problems(page.shown, parsed, recorded, questionnaire)
    problems += body_problems(page, parsed, index, questionnaire)
    problems += list_problems(page.shown, parsed.body, parsed.body_line)
    problems += label_problems(page.shown, parsed.body, parsed.body_line)
    return PageVerdict(problems, dataclasses.replace(parsed, body=""))


def anchors_in(text: str) -> frozenset[str] | None:
    """The anchors a page's text offers to links from other pages."""
    try:
        parts = frontmatter.split(text)
    except FrontmatterError:
        parts = None
    body, first_line = (parts[1], parts[2] + 1) if parts else (text, 1)
    return parse_page(body, first_line).anchors


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


def body_problems(
    page: PageRef,
    parsed: frontmatter.Frontmatter,
    index: SiteIndex,
    questionnaire: Questionnaire,
) -> list[Problem]:
    """Broken links, placeholders left in a published document, missing listed documents."""
    problems = _link_problems(page, parsed.body, parsed.body_line, index)
    if _is_published(parsed, questionnaire):
        prose = prose_only(parsed.body)
        problems.extend(_placeholder_problems(page, parsed, prose))
    for key, source in questionnaire.block.suggestions.items():
        value = parsed.data.get(key)
        if source != "site-documents" or not isinstance(value, list):
            continue
        for path in value:
            # Malformed paths are the question's to report; here: does it exist?
            if isinstance(path, str) and path not in index.documents and not _malformed(path):
                message = f"{path} is not a document of the docs folder"
                problems.append(
                    Problem(page.shown, parsed.key_lines[key], key, message, code="GW202")
                )
    return problems


def _link_problems(page: PageRef, body: str, first_line: int, index: SiteIndex) -> list[Problem]:
    """Links MkDocs would warn about: missing pages and files, anchors, the docs folder left."""
    if not may_link(body) or links_fine(page.in_docs, body, index.files, index.anchors_of):
        return []  # most pages: their links read from the HTML, no position needed
    parsed = parse_page(body, first_line, with_anchors=None)  # anchors where a link needs them
    return [
        Problem(page.shown, broken.link.line, "link", f"{broken.link.target} {broken.reason}",
                code="GW201", column=broken.link.column)
        for broken in broken_links(page.in_docs, parsed, index.files, index.anchors_of)
    ]  # fmt: skip


def _malformed(path: str) -> bool:
    return path.startswith("/") or ".." in path.split("/") or not path.endswith(".md")


def _is_published(parsed: frontmatter.Frontmatter, questionnaire: Questionnaire) -> bool:
    condition = questionnaire.block.published_when
    if not condition:
        return False
    try:
        rendered = questionnaire.jinja.render(condition, plain_value(parsed.data))
    except Exception:
        return False
    return rendered.strip().lower() in {"true", "yes", "1", "on", "y"}


def _placeholder_problems(
    page: PageRef, parsed: frontmatter.Frontmatter, prose: str
) -> list[Problem]:
    problems = []
    without_links = LINK.sub(lambda m: " " * len(m.group(0)), prose)
    for match in PLACEHOLDER.finditer(without_links):
        line = parsed.body_line + without_links.count("\n", 0, match.start())
        message = f"[{match.group(1)}] left in a published document"
        problems.append(Problem(page.shown, line, "placeholder", message, code="GW301"))
    for key, value in parsed.data.items():
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str) and PLACEHOLDER.search(text):
                message = f"placeholder left in {text!r}"
                problems.append(
                    Problem(page.shown, parsed.key_lines.get(key, 1), key, message, code="GW301")
                )
    return problems


def tag_use(known: Iterable[str], tag_lists: Iterable[object]) -> Counter[str]:
    """How many pages use each tag (`tag_lists`: each page's tags value); the site's listed
    tags count once."""
    use: Counter[str] = Counter({tag: 1 for tag in known})
    for tags in tag_lists:
        if isinstance(tags, list | tuple):
            use.update({t for t in tags if isinstance(t, str)})
    return use


def site_facts(
    parsed: frontmatter.Frontmatter, questionnaire: Questionnaire
) -> frontmatter.Frontmatter:
    """What `page_warnings` reads of a page's frontmatter (its review date and tags, and
    their lines), no body: all a whole-site run needs to keep of a page it has judged."""
    block = questionnaire.block
    keys = [k for k in (block.review_date, block.tags_question) if k and k in parsed.data]
    return frontmatter.Frontmatter(
        {k: parsed.data[k] for k in keys},
        {k: parsed.key_lines[k] for k in keys if k in parsed.key_lines},
        "",
        parsed.body_line,
        parsed.end_line,
    )


def page_warnings(
    shown: str,
    parsed: frontmatter.Frontmatter,
    today: dt.date,
    tags_used: Counter[str] | None,
    questionnaire: Questionnaire,
    answered: AbstractSet[str],
) -> list[Problem]:
    """The warnings of one of our pages that need the site: a review date passed, a tag no
    other page uses (none when `tags_used` is None), no recorded answers (`answered`:
    documents with answers)."""
    found = list(_review_warning(shown, parsed, today, questionnaire))
    tags_key = questionnaire.block.tags_question
    if tags_used is not None and tags_key:
        line = parsed.key_lines.get(tags_key, 1)
        found += lone_tag_warnings(shown, line, parsed.data.get(tags_key), tags_used, tags_key)
    if shown not in answered:
        message = "no recorded answers: `guidewright update` cannot update it"
        found.append(Problem(shown, 1, "answers", message, WARNING, "GW501"))
    return found


def _review_warning(
    shown: str, parsed: frontmatter.Frontmatter, today: dt.date, questionnaire: Questionnaire
) -> Iterable[Problem]:
    data, lines = parsed.data, parsed.key_lines
    review_key = questionnaire.block.review_date
    review = plain_value(data.get(review_key)) if review_key else None
    if isinstance(review, str):
        try:
            due = dt.date.fromisoformat(review)
        except ValueError:
            due = None  # not a date: the question reports it
        if due is not None and due < today and review_key:
            message = f"{review} is in the past: time to review"
            yield Problem(shown, lines[review_key], review_key, message, WARNING, "GW401")


def lone_tag_warnings(
    shown: str, line: int, tags: object, tags_used: Counter[str], tags_key: str
) -> list[Problem]:
    """GW402 for each of a page's tags (`tags`: its tags value, on `line`) that no other
    page uses and the configuration does not list (`tags_used`: `tag_use` of the site)."""
    found = []
    for tag in tags if isinstance(tags, list | tuple) else []:
        alone = isinstance(tag, str) and tags_used[tag] <= 1  # not listed, no other page's
        message = unlisted_tag_problem(tag, tags_used) if alone else None
        if message:
            found.append(Problem(shown, line, tags_key, message, WARNING, "GW402"))
    return found
