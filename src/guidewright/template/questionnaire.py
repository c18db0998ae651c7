"""The template's questionnaire: its questions plus the `_guidewright` block of copier.yml.

Copier ignores `_`-prefixed keys it does not know, so the block rides along in the same
hand-written file. It says what Copier has no words for; everything Copier does say
(types, choices, defaults, `when`, validators) is read from the questions themselves.
Which questions a content type has is Copier's own `when`, so plain Copier asks exactly
what guidewright asks.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Hashable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import TemplateError

from guidewright.copier_compat.config import TemplateConfig, read_template_config
from guidewright.copier_compat.confinement import CONFIG_NAMES
from guidewright.copier_compat.expression_reads import Outside, loaded_texts, reused_with
from guidewright.copier_compat.jinja import ConfinedLoader, Expressions, copier_environment
from guidewright.copier_compat.questions import MISSING, Question, build_questions, frozen
from guidewright.copier_compat.render import TemplateRenderer
from guidewright.core.errors import InvalidInput, TemplateConfigError
from guidewright.template.block import (
    Block,
    read_block,
)


@dataclass
class Questionnaire:
    """The questions of one template version and what the block says about them."""

    questions: dict[str, Question]
    block: Block
    jinja: Expressions
    config: TemplateConfig  # copier.yml as read, for its settings
    _frontmatter: dict[Hashable, list[Question]] = field(default_factory=dict, repr=False)
    _conditions_read: tuple[str, ...] | None = field(default=None, repr=False)
    _conditions_outside: Outside = field(default=Outside.NOTHING, repr=False)
    # The statuses of the files `load_questionnaire` read it from (None: not read by it).
    files_read: dict[Path, FileStatus] | None = field(default=None, repr=False)

    @property
    def content_types(self) -> list[str]:
        """The content types' names, in the block's order."""
        return list(self.block.content_types)

    @property
    def type_question(self) -> Question:
        """The question whose answer is the content type."""
        return self.questions[self.block.type_question]

    def is_list(self, name: str) -> bool:
        """Whether the question is answered as a list of items."""
        return name in self.block.lists

    def flag_of(self, name: str) -> str:
        """The short flag the block gives a question, else --its-name."""
        for flag, target in self.block.flags.items():
            if target == name:
                return f"--{flag}"
        return "--" + name.replace("_", "-")

    def question_for_flag(self, flag: str) -> str | None:
        """The question a command-line flag answers, if any."""
        name = flag.removeprefix("--")
        if name in self.block.flags:
            return self.block.flags[name]
        underscored = name.replace("-", "_")
        return underscored if underscored in self.questions else None

    def walk(self, answers: Mapping[str, Any]) -> Iterator[tuple[Question, bool]]:
        """Each question with whether it applies, given `answers` (the answers so far)."""
        for question in self.questions.values():
            yield question, question.applies(answers)

    def frontmatter_questions(self, answers: Mapping[str, Any]) -> list[Question]:
        """The questions whose answers are frontmatter keys of a document with `answers`.

        Remembered by what the questions' conditions read: a site's documents fall into
        a few kinds (guide, tutorial), and walking every `when` per document adds up."""
        key = tuple(frozen(answers.get(name)) for name in self._condition_names())
        if self._conditions_outside:  # one reads the day: kept by it too (`Question.applies`)
            key = (*key, reused_with(self._conditions_outside))
        found = self._frontmatter.get(key)
        if found is None:
            found = [
                q
                for q, applies in self.walk(answers)
                if applies and q.name not in self.block.location and not q.secret
            ]
            if self._conditions_outside is not Outside.ANYTHING:  # never reused: not kept
                self._frontmatter[key] = found
        return found

    def _condition_names(self) -> tuple[str, ...]:
        if self._conditions_read is None:
            conditions = [q.when for q in self.questions.values() if isinstance(q.when, str)]
            names = {name for when in conditions for name in self.jinja.names(when)}
            self._conditions_outside = self.jinja.outside(*conditions)
            self._conditions_read = tuple(sorted(names))
        return self._conditions_read

    def typical_answers(self, content_type: str) -> dict[str, Any]:
        """Defaults of a content type, as far as they go without the author: for describing
        which questions it has."""
        answers: dict[str, Any] = {self.block.type_question: content_type}
        for question, applies in self.walk(answers):
            if question.name in answers or not applies:
                continue
            try:
                default = question.default_value(answers)
            except (TemplateError, ValueError):
                continue
            if default is not MISSING:
                answers[question.name] = default
        return answers

    def check_consistency(self) -> None:
        """Every name the block uses is a question; the content types are its choices."""
        block = self.block
        if block.type_question not in self.questions:
            raise TemplateConfigError(
                f"copier.yml: _guidewright: type_question: '{block.type_question}' "
                "is not a question"
            )
        named = {
            "location": block.location,
            "lists": block.lists,
            "essential": block.essential,
            "optional": block.optional,
            "flags": tuple(block.flags.values()),
            "from_site": tuple(block.from_site),
            "site_defaults": tuple(block.site_defaults),
            "suggestions": tuple(block.suggestions),
            "normalise": tuple(block.normalise),
            "review_date": (block.review_date,) if block.review_date else (),
            "examples": tuple(block.examples),
            "infer": tuple(block.infer),
        }
        for key, names in named.items():
            for name in names:
                if name not in self.questions:
                    raise TemplateConfigError(
                        f"copier.yml: _guidewright: {key}: '{name}' is not a question"
                    )
        choices = [str(c.value) for c in self.type_question.choice_list({})]
        if sorted(choices) != sorted(block.content_types):
            raise TemplateConfigError(
                f"copier.yml: _guidewright: content_types ({', '.join(block.content_types)}) "
                f"must be the choices of {block.type_question} ({', '.join(choices)})"
            )
        for glob, name in block.type_by_folder.items():
            if name not in block.content_types:
                raise TemplateConfigError(
                    f"copier.yml: _guidewright: type_by_folder: {glob}: '{name}' is not a "
                    f"content type ({', '.join(block.content_types)})"
                )


def questionnaire_from_config(config: TemplateConfig, root: Path) -> Questionnaire:
    """The questionnaire of a template whose copier.yml has been read."""
    env = copier_environment(ConfinedLoader(root), config.settings.get("envops", {}))
    jinja = Expressions(env)
    questionnaire = Questionnaire(
        build_questions(config, jinja), read_block(config.settings), jinja, config
    )
    questionnaire.check_consistency()
    return questionnaire


# A file's status as a questionnaire read it (None: absent): a file edited, replaced,
# made or removed, or a folder where one was, changes it.
FileStatus = tuple[int, int, int, int, int] | None


def file_status(path: Path) -> FileStatus:
    try:
        found = os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except (OSError, ValueError):  # unreadable, a name too long: never as read
        return (-1, -1, -1, -1, -1)
    return (found.st_mode, found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino)


class _Loaded:
    """`load_questionnaire`: the questionnaire of the template at `root` (a folder), read
    again when a file it was read from changed since (copier.yml or copier.yaml, each file
    `!include` spliced in and each folder its globs looked in, each file its expressions
    load): a long-lived process (`guidewright lsp`) judges with the template as the author
    left it. A file the expressions load by a name computed as they render is not known,
    nor is an edit that leaves a file's size, times and inode as they were (two writes in
    the same clock tick)."""

    def __init__(self) -> None:
        self._loaded: dict[Path, Questionnaire] = {}
        # The folders whose last load failed: what that read looked at is not known (an
        # `!include`d file broken stops it midway), so their whole tree stands for it.
        self._failed: set[Path] = set()
        # Every questionnaire read again at its next load (as `functools.cache` says it,
        # which tests/process_state.py calls between in-process runs): the instance's
        # own, the class having none to be called without one.
        self.cache_clear: Callable[[], None] = self._clear

    def _clear(self) -> None:
        self._loaded.clear()
        self._failed.clear()

    def __call__(self, root: Path) -> Questionnaire:
        found = self._loaded.get(root)
        if found is not None and self.as_read(found):
            return found
        folder = root.resolve()
        # copier.yml's status taken before it is read: written meanwhile, it is read again.
        before = {folder / name: file_status(folder / name) for name in CONFIG_NAMES}
        self._failed.add(folder)  # until it loads, whatever stops it
        config = read_template_config(root)
        questionnaire = questionnaire_from_config(config, folder)
        self._failed.discard(folder)
        statuses = before | {path: file_status(path) for path in config.included}
        names = loaded_texts(questionnaire.jinja.env, (config.questions, config.settings))
        for name in names or ():
            path = folder.joinpath(*[part for part in name.split("/") if part not in ("", ".")])
            statuses[path] = file_status(path)
        questionnaire.files_read = statuses
        self._loaded[root] = questionnaire
        return questionnaire

    def statuses_of(self, folder: Path) -> tuple[tuple[Path, FileStatus], ...]:
        """The statuses of the files a load of the template at `folder` reads, as far as
        is known now: its copier.yml or copier.yaml, and each file its last load read. A
        load that failed (copier.yml saved half-written) may succeed once one changes;
        after a failed load, each file and folder of the template's tree (`_tree`): the
        failed read may have stopped at an `!include`d file, which mended lifts it."""
        folder = folder.resolve()
        paths = {folder / name for name in CONFIG_NAMES}
        for root, loaded in list(self._loaded.items()):
            if root.resolve() == folder:
                paths.update(loaded.files_read or {})
        if folder in self._failed:
            paths.update(_tree(folder))
        return tuple((path, file_status(path)) for path in sorted(paths))

    def as_read(self, questionnaire: Questionnaire) -> bool:
        """Whether `questionnaire`, if this loaded it, is the one a load would give now:
        told by the files it was read from, whether or not it is still the one kept (a
        second site of the same server may have loaded the template again first)."""
        statuses = questionnaire.files_read
        if statuses is None:
            return True
        return all(file_status(path) == was for path, was in statuses.items())


load_questionnaire = _Loaded()

# The most files and folders of a template's tree looked at after a failed load: a
# template holds tens; past this, the rest is not watched (said in _tree).
_MOST_IN_TREE = 5_000


def _tree(folder: Path) -> list[Path]:
    """The folders and files below `folder` (a template's), links not followed, its
    `.git` skipped, at most `_MOST_IN_TREE` of them: a folder's own status changes when a
    file is added to or removed from it, so a file created is seen too."""
    found: list[Path] = []
    for current, folders, files in os.walk(folder):
        folders[:] = sorted(name for name in folders if name != ".git")
        here = Path(current)
        found.extend(here / name for name in (*folders, *sorted(files)))
        if len(found) >= _MOST_IN_TREE:
            return found[:_MOST_IN_TREE]
    return found


@cache
def questionnaire_of(renderer: TemplateRenderer) -> Questionnaire | None:
    """The questionnaire of a loaded template version (None without a readable block)."""
    try:
        return questionnaire_from_config(renderer.config, renderer.root)
    except InvalidInput:
        return None
