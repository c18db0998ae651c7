"""Updating an adopted page: only its frontmatter comes from the template.

The three versions the merge sees are the template's frontmatter at the recorded version
(for the recorded answers), at the new version (for the new answers), and the page; each
followed by the page's own body, so the body, identical in all three, is never touched.
The page's keys the template does not know (kept when it was adopted) are in all three
too, where the page has them, so they conflict with nothing.
"""

from __future__ import annotations

import re

from guidewright.adopt.answers import split_page, template_frontmatter
from guidewright.core.errors import FrontmatterError, OperationFailed
from guidewright.markdown import frontmatter
from guidewright.site.answers_files import ADOPTED_KEY, RecordedDocument

_SRC_PATH = re.compile(rb"^_src_path:", re.MULTILINE)


def rendered_path(recorded: RecordedDocument) -> str:
    """Where the template renders the page: an adopted page at the top of the docs folder
    records the section `.`, which the template's path keeps (docs/./faq.md)."""
    if not recorded.adopted:
        return recorded.document
    answers = recorded.answers
    if not answers:
        return recorded.document
    return f"{answers.get('docs_dir')}/{answers.get('section')}/{answers.get('slug')}.md"


def _with_body(rendered: bytes, kept: bytes, bom: bytes, body: bytes) -> bytes:
    head, closing = template_frontmatter(rendered.decode("utf-8"))
    return bom + head.encode() + kept + closing.encode() + body


def adopted_versions(
    old_page: bytes, new_page: bytes, current: bytes, new_answers: bytes
) -> tuple[bytes, bytes, bytes] | str:
    """(base, theirs, answers file) for an adopted page, or why it cannot be updated."""
    try:
        parts = split_page(current)
        old_keys = _keys(old_page)
        new_keys = _keys(new_page)
    except FrontmatterError as error:
        return f"its frontmatter does not read ({error.place}: {error}); fix it first"
    except UnicodeDecodeError as error:
        return f"the template's page does not read: {error}"
    kept = b"".join(text for key, text in parts.key_text.items() if key not in old_keys | new_keys)
    try:
        base = _with_body(old_page, kept, parts.bom, parts.body)
        theirs = _with_body(new_page, kept, parts.bom, parts.body)
    except OperationFailed as error:  # a template whose page has no frontmatter
        return error.message
    answers, replaced = _SRC_PATH.subn(ADOPTED_KEY.encode() + b":", new_answers)
    if replaced != 1:
        return "the template's answers file has no _src_path"
    return base, theirs, answers


def _keys(page: bytes) -> set[str]:
    parsed = frontmatter.parse(page.decode("utf-8"))
    return set(parsed.key_lines) if parsed else set()
