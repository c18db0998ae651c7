"""Create one document with Copier, all or nothing.

Copier renders into a staging folder inside the site; the document and its answers
file are then linked into place. An error or Ctrl-C at any point leaves the site as it
was: no partial file, no stray answers, no empty new section folder.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import tempfile
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from guidewright.copier_compat.nice_yaml import to_nice_yaml
from guidewright.core import safe_yaml
from guidewright.core.errors import InvalidInput, OperationFailed
from guidewright.site.site import Site
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
    import copier  # Imported here: it is slow to import and only creation needs it.
    from copier.errors import CopierError
    from plumbum import ProcessExecutionError

    chatter = io.StringIO()
    try:
        with (
            warnings.catch_warnings(),
            contextlib.redirect_stderr(chatter),
            copier_source(template) as src,
        ):
            warnings.simplefilter("ignore")
            copier.run_copy(
                src,
                destination,
                data=dict(answers),
                answers_file=answers_file,
                vcs_ref=template.vcs_ref,
                defaults=True,
                quiet=True,
                unsafe=False,
                overwrite=True,
            )
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


def _record_source(answers_file: Path, recorded: str) -> None:
    """Make the answers file Copier wrote record `recorded` as its `_src_path` (Copier
    records the folder it was handed: for the bundled template, an installation's path
    or a scratch copy), written as Copier writes that key."""
    text = answers_file.read_text("utf-8")
    data = safe_yaml.load(text.encode("utf-8"))
    handed = data.get("_src_path") if isinstance(data, dict) else None
    if not isinstance(handed, str) or handed == recorded:
        return
    before = to_nice_yaml({"_src_path": handed})
    at = 0 if text.startswith(before) else text.find("\n" + before) + 1
    if at == 0 and not text.startswith(before):
        raise OperationFailed(f"{answers_file.name}: its _src_path is not written as Copier does")
    after = to_nice_yaml({"_src_path": recorded})
    answers_file.write_text(text[:at] + after + text[at + len(before) :], "utf-8")


def _created_folders(folder: Path, stop: Path) -> list[Path]:
    """Folders from `folder` up to (excluding) `stop` that do not exist yet, deepest first."""
    missing = []
    while folder != stop and not folder.exists():
        missing.append(folder)
        folder = folder.parent
    return missing


def create_document(
    site: Site, answers: Mapping[str, Any], template: TemplateSource
) -> CreatedDocument:
    """Render the document and its answers file with Copier and put both in place, or
    neither (an error or Ctrl-C leaves the site as it was)."""
    try:
        return _create(site, answers, template)
    except OSError as error:
        raise OperationFailed(f"cannot write the document: {error.strerror or error}") from error


def _create(site: Site, answers: Mapping[str, Any], template: TemplateSource) -> CreatedDocument:
    section, slug = answers["section"], answers["slug"]
    target = site.document_path(section, slug)
    answers_relpath = site.answers_relpath(section, slug)
    answers_target = site.root / answers_relpath
    if target.exists():
        raise InvalidInput(f"slug: {target.relative_to(site.root)} already exists")
    new_folders = _created_folders(target.parent, site.root) + _created_folders(
        answers_target.parent, site.root
    )
    try:
        staging = Path(tempfile.mkdtemp(prefix=".guidewright-staging-", dir=site.root))
    except OSError as error:
        raise OperationFailed(f"--dest: cannot write in {site.root}: {error.strerror}") from error
    placed: list[Path] = []
    try:
        render_with_copier(template, staging, answers, answers_relpath)
        staged_document = staging / target.relative_to(site.root)
        staged_answers = staging / answers_relpath
        for staged in (staged_document, staged_answers):
            if not staged.is_file():
                shown = staged.relative_to(staging).as_posix()
                raise OperationFailed(f"--template: {template.src} did not produce {shown}")
        _record_source(staged_answers, template.recorded)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(staged_document, target)  # fails instead of overwriting a racing writer
        except FileExistsError as error:
            raise InvalidInput(f"slug: {target.relative_to(site.root)} already exists") from error
        placed.append(target)
        answers_target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staged_answers, answers_target)
        placed.append(answers_target)
    except BaseException:
        for path in placed:
            path.unlink(missing_ok=True)
        for folder in new_folders:
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return CreatedDocument(target, answers_target, template.src)
