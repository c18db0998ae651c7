"""`template check` on what a release stops writing: a frontmatter key the previous release
writes on a content type's example page and this version does not, though its question
stays (a `when` that stops applying, a partial that stops writing the key).

Pages hold such a key. On update, a page whose author changed its line keeps the line as
a key of the author's own (and the report says so); an unchanged one loses it. That is
seldom what a maintainer meant without a migration that removes the question: so it is
a warning, and the release is still ok.

The previous release is the newest tag reachable from the template's commit (from the
commit before, when the folder is exactly a tagged commit); read with `git archive`, so
the template's repository is not touched. A folder outside git has none: nothing to say.
"""

from __future__ import annotations

import io
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from jinja2 import TemplateError

from guidewright.copier_compat.render import TemplateRenderer
from guidewright.core.errors import FrontmatterError, GitFailed, GuidewrightError
from guidewright.core.git import git_text, run_git
from guidewright.markdown import frontmatter
from guidewright.template.questionnaire import Questionnaire, questionnaire_from_config

Examples = dict[str, dict[str, Any]]  # a content type's example answers, by content type


def stopped_key_warnings(
    template: Path, questionnaire: Questionnaire, examples: Examples
) -> list[str]:
    """One line per content type and key this version stops writing; `examples`: each
    content type's example answers under this version."""
    previous = _previous_release(template)
    if previous is None:
        return []
    tag, subfolder = previous
    with tempfile.TemporaryDirectory(prefix="guidewright-template-check-") as scratch:
        folder = Path(scratch)
        try:
            archive = run_git("archive", "--format=tar", f"{tag}:{subfolder}", cwd=template)
            with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
                tar.extractall(folder, filter="data")
            old = TemplateRenderer(folder)
            old_questions = questionnaire_from_config(old.config, folder)
        except (GitFailed, tarfile.TarError, GuidewrightError, OSError):
            return []  # a previous release that cannot be read: nothing to compare with
        new = TemplateRenderer(template)
        warnings = []
        for content_type, answers in examples.items():
            if content_type not in old_questions.content_types:
                continue
            old_keys = _keys(old, old_questions.typical_answers(content_type) | answers, tag)
            new_keys = _keys(new, answers, "HEAD")
            if old_keys is None or new_keys is None:
                continue  # a render that fails is the template's other findings' to say
            stopped = sorted((old_keys - new_keys) & set(questionnaire.questions))
            warnings += [
                f"content type {content_type}: {key}: {tag} writes it and this version does "
                "not, though its question stays: on update, pages whose author changed it "
                "keep it as their own key, the others lose it (remove the question in a "
                "migration if it should go)"
                for key in stopped
            ]
    return warnings


def _previous_release(template: Path) -> tuple[str, str] | None:
    """(the previous release's tag, the template's folder inside its repository)."""
    try:
        top = Path(git_text("rev-parse", "--show-toplevel", cwd=template).strip())
        subfolder = template.resolve().relative_to(top.resolve()).as_posix()
        dirty = git_text("status", "--porcelain", "--", ".", cwd=template).strip()
        exact = run_git(
            "describe", "--tags", "--exact-match", "HEAD", cwd=template, allowed=(0, 128)
        )
        since = "HEAD^" if exact.returncode == 0 and not dirty else "HEAD"
        tag = git_text("describe", "--tags", "--abbrev=0", since, cwd=template).strip()
    except (GitFailed, ValueError):
        return None
    return (tag, "" if subfolder == "." else subfolder) if tag else None


def _keys(renderer: TemplateRenderer, answers: dict[str, Any], commit: str) -> set[str] | None:
    """The frontmatter keys of the documents a version renders for `answers` (None when
    it does not render)."""
    try:
        files = renderer.render(answers, src_path="template", commit=commit)
    except (TemplateError, GuidewrightError, OSError):
        return None
    keys: set[str] = set()
    for relpath, content in files.items():
        if relpath.endswith(".md"):
            try:
                parsed = frontmatter.parse(content.decode("utf-8", "replace"))
            except FrontmatterError:
                continue
            keys |= set(parsed.data) if parsed else set()
    return keys
