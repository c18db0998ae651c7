"""`adopt` writes: the template's frontmatter at the top of the page, the body as it was.

The frontmatter is the type's own partial rendered in-process for the page's answers,
exactly what `new` writes for them; the keys of the hand-written frontmatter the template
does not know follow it, as they were written. The answers file is the one Copier writes,
with `_adopted_from` in place of `_src_path` (see site/answers_files.py). Page and answers
are written as a pair under `update`'s lock and git checks, or not at all; pairs are
written on every core at once, each pair whole or not begun.
"""

from __future__ import annotations

import glob
import os
import posixpath
import re
from dataclasses import dataclass

from guidewright.adopt.answers import PagePlan, template_frontmatter
from guidewright.copier_compat.render import TemplateRenderer
from guidewright.core.errors import (
    AdoptInterrupted,
    FrontmatterError,
    OperationFailed,
    PairNotWritten,
)
from guidewright.core.parallel import imap_with_context
from guidewright.core.signals import signals_held
from guidewright.markdown import frontmatter
from guidewright.site.answers_files import ADOPTED_KEY
from guidewright.site.git_checks import require_clean_git
from guidewright.site.lock import update_lock
from guidewright.site.pair_write import write_pair
from guidewright.site.site import Site
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


def render_adopted(
    plan: PagePlan,
    questionnaire: Questionnaire,
    renderer: TemplateRenderer,
    src_path: str,
    commit: str | None,
) -> AdoptedPage:
    """The page and answers file adopt writes for `plan` (which must be ready)."""
    assert plan.ready and plan.parts is not None
    answers = plan.all_answers(questionnaire.block.type_question)
    hidden = {q.name for q, applies in questionnaire.walk(answers) if not applies}
    rendered_document = f"{answers['docs_dir']}/{answers['section']}/{answers['slug']}.md"
    answers_relpath = posixpath.normpath(renderer.answers_relpath(answers))
    files = renderer.render(
        answers, src_path=src_path, commit=commit, answers_file=answers_relpath,
        hidden=hidden, only={rendered_document, answers_relpath},
    )  # fmt: skip
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
    return AdoptedPage(
        plan.document, content, answers_relpath, answers_text.encode(), parts.original
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


def write_adopted(site: Site, pages: list[AdoptedPage]) -> list[str]:
    """Write each page with its answers file, as a pair; the documents written."""
    if not pages:
        return []
    with update_lock(site, pretend=False):
        require_clean_git(site, [p for x in pages for p in (x.document, x.answers_relpath)])
        return _write_all(site, pages)


# From this many pairs, they are written on every core: processes, not threads. Creating a
# file is work the kernel does in the calling process, and threads spend more on handing
# the GIL to each other than they win (1,000 pages, medians of 3 on a fresh ext4: the
# whole run 1.45 s on two processes, 1.58 s on one thread, 1.84 s on four threads).
PARALLEL_FROM = 200


def _write_all(site: Site, pages: list[AdoptedPage]) -> list[str]:
    """Every pair, on every core for a large site. The first failure (in the pages' order)
    stops the pairs not begun, and fails the run naming its page; an interrupt stops them
    too, and says which pairs were written, read back from the disk once the workers have
    finished the pairs they had begun (core/parallel.py holds a second Ctrl-C until then)."""
    results = imap_with_context(_write_numbered, (site, pages), range(len(pages)),
                                minimum=PARALLEL_FROM)  # fmt: skip
    try:
        try:
            failure = next((found for found in results if found is not None), None)
        finally:
            results.close()  # after a failure: the pairs begun are finished first
    except KeyboardInterrupt as error:  # during the writes, or while they were finishing
        raise AdoptInterrupted(_read_back(site, pages)) from error
    except OperationFailed as error:  # a worker killed: its pair may be half written
        written = _read_back(site, pages)
        _remove_temporaries(site, pages)
        raise OperationFailed(
            f"{error.message}; {len(written)} pages were adopted, each with its answers "
            "file (git status shows what changed)"
        ) from error
    if failure is not None:
        raise OperationFailed(failure)
    return [page.document for page in pages]


def _read_back(site: Site, pages: list[AdoptedPage]) -> list[str]:
    """The pages written, as the disk has them: each with its new content and answers. A
    further Ctrl-C is held meanwhile: the count this gives is the one said."""
    found: list[str] = []
    try:
        with signals_held():
            for page in pages:
                try:
                    done = (site.root / page.document).read_bytes() == page.content and (
                        site.root / page.answers_relpath
                    ).read_bytes() == page.answers
                except OSError:
                    done = False
                if done:
                    found.append(page.document)
    except KeyboardInterrupt:
        pass  # held until the count was taken
    return found


def _remove_temporaries(site: Site, pages: list[AdoptedPage]) -> None:
    """The temporary files a killed worker may have left beside the pages it was writing."""
    for page in pages:
        for relpath in (page.document, page.answers_relpath):
            target = site.root / relpath
            if target.parent.is_dir():
                for left in target.parent.glob(f".{glob.escape(target.name)}.*.tmp"):
                    left.unlink(missing_ok=True)


def _write_numbered(context: tuple[Site, list[AdoptedPage]], number: int) -> str | None:
    """`_write` of page `number`: None, or why it was not written (a worker's failure is
    sent back as text, which always pickles)."""
    site, pages = context
    try:
        _write(site, pages[number])
    except OperationFailed as error:
        return error.message
    return None


def _write(site: Site, page: AdoptedPage) -> str:
    target = site.root / page.document
    answers = site.root / page.answers_relpath
    try:
        changed = os.path.islink(target) or target.read_bytes() != page.original
    except OSError as error:
        raise OperationFailed(f"{page.document}: cannot read it ({error.strerror}); nothing "
                              "written") from error  # fmt: skip
    if changed:
        raise OperationFailed(f"{page.document}: changed while adopt ran; nothing written")
    if os.path.lexists(answers):
        raise OperationFailed(f"{page.answers_relpath}: exists already; nothing written")
    try:
        answers.parent.mkdir(parents=True, exist_ok=True)
        write_pair((target, page.original, page.content), (answers, b"", page.answers))
    except (PairNotWritten, OSError) as error:
        raise OperationFailed(f"{page.document}: {error}; left as it was") from error
    return page.document
