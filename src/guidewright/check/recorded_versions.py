"""The questionnaire of the template version a document records, read once and cached.

`check` judges a document by the questions of the version it was made with (its answers'
`_commit`), so a template that adds a required question does not turn every document
that is not updated yet into an error. Versions are cached on disk, keyed by source and
commit, because `check` often runs offline (pre-commit, CI).
"""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from guidewright.copier_compat.confinement import CONFIG_NAMES
from guidewright.core.cache_dir import cache_root
from guidewright.core.errors import GitFailed, GuidewrightError, TemplateRefused
from guidewright.rules.problems import Problem
from guidewright.rules.rule import Rule
from guidewright.rules.template_versions import OLDER_VERSION, REFUSED_VERSION
from guidewright.template.questionnaire import Questionnaire, load_questionnaire

if TYPE_CHECKING:
    from guidewright.template.versions import TemplateRepository


def _key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:24]


@dataclass(frozen=True)
class Fallback:
    """Why a document is judged by the current questionnaire instead of its version's: a
    version that cannot be read is a warning (GW503), one whose settings leave the template
    an error of its own (GW506)."""

    message: str
    rule: Rule = OLDER_VERSION

    def problem(self, document: str) -> Problem:
        """The finding `check` reports on the document."""
        return self.rule.problem(document, 1, "template", self.message)


@dataclass
class RecordedQuestionnaires:
    """Questionnaires by (source, commit); the current one for everything else."""

    current: Questionnaire
    current_src: str
    current_version: str | None
    scratch: Path
    working_tree: bool = False  # the current template is a local HEAD with changes
    repositories: dict[str, TemplateRepository] = field(default_factory=dict)
    loaded: dict[tuple[str, str], Questionnaire] = field(default_factory=dict)
    refused: dict[tuple[str, str], Fallback] = field(default_factory=dict)

    def for_document(self, src: str, commit: str | None) -> tuple[Questionnaire, Fallback | None]:
        """The questionnaire to judge a document by, and why when it had to fall back."""
        if commit is None or (src == self.current_src and commit == self.current_version):
            return self.current, None
        key = (src, commit)
        if key in self.refused:
            return self.current, self.refused[key]
        if key not in self.loaded:
            try:
                # Judged on every load, a cached copy included: read_template_config runs
                # the template's confinement rule before anything the template names.
                self.loaded[key] = load_questionnaire(self._folder(src, commit))
            except TemplateRefused as error:
                message = f"template version {commit} of {src} is refused: {error.message}"
                self.refused[key] = Fallback(message, REFUSED_VERSION)
                return self.current, self.refused[key]
            except (GuidewrightError, GitFailed, OSError) as error:
                if self.working_tree and src == self.current_src:
                    return self.current, None  # a draft version of the template at hand
                reason = str(error).splitlines()[0] if str(error) else type(error).__name__
                return self.current, Fallback(
                    f"cannot read template version {commit} of {src} ({reason}); "
                    "checked against the current template"
                )
        return self.loaded[key], None

    def _folder(self, src: str, commit: str) -> Path:
        folder = cache_root() / "templates" / _key(src) / _key(commit)
        if any(os.path.lexists(folder / name) for name in CONFIG_NAMES):  # a link not followed
            return folder
        from guidewright.template.versions import RefOrigin, TemplateRepository

        repository = self.repositories.get(src)
        if repository is None:
            workdir = self.scratch / f"recorded-{len(self.repositories)}"
            workdir.mkdir(parents=True)
            repository = self.repositories[src] = TemplateRepository(src, workdir)
        tree = repository.checkout(repository.resolve(commit, RefOrigin.RECORDED))
        partial = folder.with_name(f"{folder.name}.{os.getpid()}.partial")
        shutil.rmtree(partial, ignore_errors=True)
        # A link is copied as the link it is, never as what it points to: the copy holds
        # nothing from outside the version, and reading it judges the link.
        shutil.copytree(tree, partial, ignore=shutil.ignore_patterns(".git"), symlinks=True)
        try:
            os.replace(partial, folder)  # whole or not at all, even with a racing check
        except OSError:
            shutil.rmtree(partial, ignore_errors=True)
            if not folder.is_dir():
                raise
        return folder
