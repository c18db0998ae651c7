"""`adopt` writes: the template's frontmatter at the top of the page, the body as it was.

The frontmatter is the type's own partial rendered in-process for the page's answers,
exactly what `new` writes for them; the keys of the hand-written frontmatter the template
does not know follow it, as they were written. The answers file is the one Copier writes,
with `_adopted_from` in place of `_src_path` (see site/answers_files.py). Page and answers
are written as a pair in a write session (site/write_session.py), or not at all: a page
changed while adopt ran is left as the author saved it, and listed.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from guidewright.adopt.answers import PagePlan, template_frontmatter
from guidewright.copier_compat.render import TemplateRenderer
from guidewright.core.atomic import ABSENT, Seen
from guidewright.core.errors import AdoptInterrupted, FrontmatterError, OperationFailed
from guidewright.markdown import frontmatter
from guidewright.site.answers_files import ADOPTED_KEY
from guidewright.site.write_session import GroupResult, Target, WriteSession, Written
from guidewright.template.questionnaire import Questionnaire

_SRC_PATH = re.compile(r"^_src_path:", re.MULTILINE)


@dataclass(frozen=True)
class AdoptedPage:
    """What one page becomes: its new content and its answers file."""

    document: str  # relative to the site root
    content: bytes
    answers_relpath: str
    answers: bytes
    original: bytes
    seen: Seen  # the page as read: it is replaced only while it still is
    answers_seen: Seen = ABSENT  # `--again`: the answers file as read; else none yet


@dataclass(frozen=True)
class AdoptWritten:
    """The pages adopted, and those left: saved meanwhile, or behind a symbolic link."""

    written: list[str]
    left: list[GroupResult]


def render_adopted(
    plan: PagePlan,
    questionnaire: Questionnaire,
    renderer: TemplateRenderer,
    src_path: str,
    commit: str | None,
) -> AdoptedPage:
    """The page and answers file adopt writes for `plan` (which must be ready)."""
    assert plan.ready and plan.parts is not None and plan.seen is not None
    answers = plan.all_answers(questionnaire.block.type_question)
    hidden = {q.name for q, applies in questionnaire.walk(answers) if not applies}
    rendered_document = f"{answers['docs_dir']}/{answers['section']}/{answers['slug']}.md"
    answers_relpath = posixpath.normpath(renderer.answers_relpath(answers))
    files = renderer.render(
        answers,
        src_path=src_path,
        commit=commit,
        answers_file=answers_relpath,
        hidden=hidden,
        only={rendered_document, answers_relpath},
    )
    if rendered_document not in files or answers_relpath not in files:
        raise OperationFailed(f"{plan.document}: the template renders no page at this place")
    head, closing = template_frontmatter(files[rendered_document].decode("utf-8"))
    parts = plan.parts
    kept = b"".join(parts.key_text[key] for key in plan.kept_keys)
    content = parts.bom + head.encode() + kept + closing.encode() + parts.body
    _confirm(plan, content)
    answers_text, replaced = _SRC_PATH.subn(ADOPTED_KEY + ":", files[answers_relpath].decode())
    if replaced != 1:
        raise OperationFailed(f"{answers_relpath}: the template's answers file has no _src_path")
    answers_seen = ABSENT
    if plan.recorded_answers is not None:
        recorded_relpath, answers_seen = plan.recorded_answers
        if recorded_relpath != answers_relpath:
            raise OperationFailed(
                f"{plan.document}: the template records its answers in {answers_relpath}, not "
                f"{recorded_relpath}: `update` it to this template first"
            )
    text = answers_text.encode()
    return AdoptedPage(
        plan.document, content, answers_relpath, text, parts.original, plan.seen, answers_seen
    )


def _confirm(plan: PagePlan, content: bytes) -> None:
    """The written frontmatter must read back with every answer and every kept key."""
    assert plan.parts is not None
    try:
        parsed = frontmatter.parse(
            content.decode("utf-8", "surrogateescape").removeprefix("\ufeff")
        )
    except FrontmatterError as error:
        raise OperationFailed(
            f"{plan.document}: the frontmatter would not read: {error}"
        ) from error
    data = parsed.data if parsed else {}
    lost = [k for k in plan.kept_keys if k not in data or data[k] != plan.parts.data[k]]
    if lost:
        raise OperationFailed(f"{plan.document}: {lost[0]}: its hand-written value would be lost")


def _answers_target(page: AdoptedPage) -> Target:
    # A page rendered on a worker comes back a copy, and ABSENT (a file to create) is
    # known by identity: it is given back as itself.
    seen = ABSENT if page.answers_seen == ABSENT else page.answers_seen
    return Target(page.answers_relpath, seen, page.answers)


def write_adopted(session: WriteSession, pages: list[AdoptedPage]) -> AdoptWritten:
    """Write each page with its answers file, as a pair. The first pair that cannot be
    written (in the pages' order) fails the run, naming it, once the others are written."""
    if not pages:
        return AdoptWritten([], [])
    session.require_clean_git([p for x in pages for p in (x.document, x.answers_relpath)])
    written: list[str] = []

    def done(index: int, result: GroupResult) -> None:
        if result.status is Written.WRITTEN:
            written.append(pages[index].document)

    pairs = [(Target(p.document, p.seen, p.content), _answers_target(p)) for p in pages]
    try:
        results = session.write(pairs, done)
    except KeyboardInterrupt as error:
        raise AdoptInterrupted(written) from error
    failed = next((r for r in results if r.status is Written.FAILED), None)
    if failed is not None:
        raise OperationFailed(
            f"{failed.message}; {len(written)} pages were adopted, each with its answers "
            "file (git status shows what changed)"
        )
    return AdoptWritten(
        written, [r for r in results if r.status in (Written.LEFT, Written.REFUSED)]
    )
