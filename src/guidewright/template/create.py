"""Create one document with Copier, all or nothing.

Copier renders into the write session's staging folder inside the site; the document and
its answers file are then linked into place as a pair, neither replacing a file. An error
or Ctrl-C at any point leaves the site as it was: no partial file, no stray answers, no
empty new section folder.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from guidewright.copier_compat.copier_copy import run_copy
from guidewright.copier_compat.nice_yaml import to_nice_yaml
from guidewright.core import safe_yaml
from guidewright.core.atomic import ABSENT
from guidewright.core.errors import InvalidInput, OperationFailed
from guidewright.site.config_edit import add_site_tags, remember_content_owner
from guidewright.site.site import Site
from guidewright.site.write_session import Target, WriteSession, Written
from guidewright.template.source import TemplateSource, copier_source


@dataclass(frozen=True)
class CreatedDocument:
    """Where the new document and its answers file went."""

    path: Path
    answers_path: Path
    template: str


def render_with_copier(
    template: TemplateSource, destination: Path, answers: Mapping[str, Any], answers_file: str
) -> None:
    """Plain `copier copy` of the template with every answer given: nothing is asked."""
    from copier.errors import CopierError  # slow to import: only creation needs it
    from plumbum import ProcessExecutionError

    chatter = io.StringIO()
    try:
        with (
            warnings.catch_warnings(),
            contextlib.redirect_stderr(chatter),
            copier_source(template) as src,
        ):
            warnings.simplefilter("ignore")
            run_copy(src, destination, answers, answers_file=answers_file, vcs_ref=template.vcs_ref)
    except (CopierError, ValueError, OSError, ProcessExecutionError) as error:
        detail = str(error).strip().splitlines()
        reason = detail[-1] if detail else type(error).__name__
        raise OperationFailed(
            f"--template: Copier could not render {template.src}: {reason}"
        ) from error


def render_page(site: Site, answers: Mapping[str, Any], template: TemplateSource) -> bytes:
    """The page `create_document` would write, rendered outside the site: nothing of the
    site is written (`new --pretend`, as `copier copy --pretend`)."""
    section, slug = answers["section"], answers["slug"]
    relpath = site.document_path(section, slug).relative_to(site.root)
    with tempfile.TemporaryDirectory(prefix="guidewright-pretend-") as scratch:
        render_with_copier(template, Path(scratch), answers, site.answers_relpath(section, slug))
        try:
            return (Path(scratch) / relpath).read_bytes()
        except OSError as error:
            shown = relpath.as_posix()
            raise OperationFailed(f"--template: {template.src} did not produce {shown}") from error


def _recording(answers_file: bytes, recorded: str, relpath: str) -> bytes:
    """The answers file Copier wrote, recording `recorded` as its `_src_path` (Copier
    records the folder it was handed: for the bundled template, an installation's path or
    a scratch copy), the key written as Copier writes it."""
    text = answers_file.decode("utf-8")
    data = safe_yaml.load(answers_file)
    handed = data.get("_src_path") if isinstance(data, dict) else None
    if not isinstance(handed, str) or handed == recorded:
        return answers_file
    before = to_nice_yaml({"_src_path": handed})
    at = 0 if text.startswith(before) else text.find("\n" + before) + 1
    if at == 0 and not text.startswith(before):
        raise OperationFailed(f"{relpath}: its _src_path is not written as Copier writes it")
    after = to_nice_yaml({"_src_path": recorded})
    return (text[:at] + after + text[at + len(before) :]).encode("utf-8")


def _answers_exist(answers_relpath: str) -> InvalidInput:
    """An answers file at the new page's place, whose page is not there (moved away?): it
    records another page's answers, which `new` never replaces."""
    return InvalidInput(
        f"slug: {answers_relpath} exists, without its page (moved or deleted?): new never "
        "replaces an answers file; move it along with its page, delete it, or choose another "
        "slug"
    )


def create_document(
    site: Site, answers: Mapping[str, Any], template: TemplateSource, new_tags: Sequence[str] = ()
) -> CreatedDocument:
    """Render the document and its answers file with Copier and put both in place, or
    neither (an error or Ctrl-C leaves the site as it was: no file, no empty new folder);
    then keep the content owner and the tags created on purpose in the site configuration.
    All in one write session: neither file replaces one made meanwhile."""
    section, slug = answers["section"], answers["slug"]
    document = site.document_path(section, slug).relative_to(site.root).as_posix()
    answers_relpath = site.answers_relpath(section, slug)
    if os.path.lexists(site.root / document):
        raise InvalidInput(f"slug: {document} already exists")
    if os.path.lexists(site.root / answers_relpath):
        raise _answers_exist(answers_relpath)
    with WriteSession(site, "new") as session:
        rendered = session.scratch_folder()
        render_with_copier(template, rendered, answers, answers_relpath)
        contents = []
        for relpath in (document, answers_relpath):
            try:
                contents.append((rendered / relpath).read_bytes())
            except OSError as error:
                raise OperationFailed(
                    f"--template: {template.src} did not produce {relpath}"
                ) from error
        contents[1] = _recording(contents[1], template.recorded, answers_relpath)
        pair = [Target(document, ABSENT, contents[0]), Target(answers_relpath, ABSENT, contents[1])]
        result = session.write([pair])[0]
        if result.status is Written.LEFT and result.relpath == document:
            raise InvalidInput(f"slug: {document} already exists")
        if result.status is Written.LEFT:  # made meanwhile
            raise _answers_exist(answers_relpath)
        if result.status is not Written.WRITTEN:
            raise OperationFailed(result.message)
        owner = answers.get("content_owner")
        if isinstance(owner, str):
            remember_content_owner(session, owner)
        add_site_tags(session, list(new_tags))
    return CreatedDocument(site.root / document, site.root / answers_relpath, template.src)
