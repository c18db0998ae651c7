"""Render a Copier template in-process, byte for byte as `copier copy` would.

Copier itself costs a clone and a full worker per document; `update` renders thousands
of documents, so it loads each template version once and renders here. Tests compare
this renderer's output with Copier's own on the same answers.

Mirrors `copier._main.Worker._render_template` with `_render_file`, `_render_path` and
`_render_string`, and the answers file Copier writes (`_copier_answers`). Why reproduced:
`copier copy` clones the template and builds a worker for every page; `update` and `adopt`
render thousands. `new` itself still creates its page through Copier's own worker
(copier_copy.py): one page, and Copier's own behaviour is the one authors expect.
Differential tests: tests/test_roundtrip.py::test_renderer_equals_copier_for_generated_answers
and tests/test_render.py::test_renderer_matches_copier_on_the_wizard_output.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from jinja2 import Template

from guidewright.copier_compat.config import read_template_config
from guidewright.copier_compat.confinement import (
    is_constant,
    judge_path,
    judge_settings,
    rendered,
)
from guidewright.copier_compat.jinja import ConfinedLoader, Expressions, copier_environment
from guidewright.copier_compat.questions import Question, build_questions
from guidewright.core.errors import TemplateRefused

if TYPE_CHECKING:
    import pathspec

DEFAULT_ANSWERS_FILE = ".copier-answers.yml"


MAX_FILE_BYTES = 10_000_000  # a template file, or a rendered one, larger than this is refused
SUBDIRECTORY = "_subdirectory"

__all__ = ["MAX_FILE_BYTES", "TemplateRefused", "TemplateRenderer", "refuse_unsafe_files"]


def _excluded_paths(patterns: list[str]) -> pathspec.PathSpec[Any]:
    """The template's `exclude` patterns, matched as Copier matches them: pathspec's
    gitignore style (its `gitwildmatch` before pathspec 1.0, as Copier picks)."""
    # Imported here, not at the top: only a render needs it, and `check`, which reads
    # the template's questions through this module, starts 8 ms sooner without it.
    import pathspec

    style = "gitignore" if int(pathspec.__version__.split(".")[0]) >= 1 else "gitwildmatch"
    return pathspec.PathSpec.from_lines(style, patterns)


def refuse_unsafe_files(root: Path, subdirectory: str) -> None:
    """Copier's rule and more: no symbolic links (a link can reach any file of the machine,
    a secret key or /dev/zero), no special files, no file over MAX_FILE_BYTES. The
    subdirectory (as rendered) is judged first: nothing outside the template is listed."""
    names = [root / n for n in ("copier.yml", "copier.yaml")]
    base = root / judge_path(root, subdirectory, SUBDIRECTORY)
    for folder, dirs, files in os.walk(base):
        dirs[:] = [d for d in dirs if d != ".git"]
        names += [Path(folder) / n for n in dirs + files]
    for path in names:
        try:
            status = os.lstat(path)
        except FileNotFoundError:
            continue
        shown = path.relative_to(root).as_posix()
        if stat.S_ISLNK(status.st_mode):
            raise TemplateRefused(f"template: {shown} is a symbolic link; a template may hold none")
        if not (stat.S_ISREG(status.st_mode) or stat.S_ISDIR(status.st_mode)):
            raise TemplateRefused(f"template: {shown} is not a regular file")
        if status.st_size > MAX_FILE_BYTES:
            raise TemplateRefused(f"template: {shown} is larger than 10 MB")


class TemplateRenderer:
    """One template version, loaded once, rendered for many answer sets."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.config = read_template_config(self.root)
        self.env = copier_environment(
            ConfinedLoader(self.root), self.config.settings.get("envops", {})
        )
        exclude = self.config.settings.get(
            "exclude", [] if self.config.subdirectory else list(_DEFAULT_EXCLUDE)
        )
        self._excluded = _excluded_paths(exclude)
        self._path_templates: dict[str, Template] = {}
        self._variable_parts: dict[str, tuple[str, str] | tuple[()]] = {}
        self._questions: dict[str, Question] | None = None
        # Copier renders `_subdirectory` with the answers; most templates name a fixed one,
        # judged and listed here once. The files of each subdirectory are listed once.
        self._sources: dict[str, list[PurePosixPath]] = {}
        self._subdirectory: str | None = None
        source = self.config.settings.get("subdirectory", "")
        if isinstance(source, str) and is_constant(self.env, source):
            self._subdirectory = self.subdirectory_for({})

    def subdirectory_for(self, context: Mapping[str, Any]) -> str:
        """The template's files' folder for this render context: rendered as Copier
        renders it, judged, then checked for unsafe files and listed (once each)."""
        if self._subdirectory is not None:
            return self._subdirectory
        source = self.config.settings.get("subdirectory", "")
        text = rendered(self.env, SUBDIRECTORY, source, context, self.compiled)
        subdirectory = judge_path(self.root, text, SUBDIRECTORY).as_posix()
        if subdirectory not in self._sources:
            refuse_unsafe_files(self.root, subdirectory)
            self._sources[subdirectory] = sorted(self._template_files(subdirectory))
        return subdirectory

    @property
    def questions(self) -> dict[str, Question]:
        """This version's questions, read with its own Jinja set-up. What their
        expressions read is worked out once a template version, as the questionnaire's
        is (`Expressions`, made from the settings): some 40 ms each `update` spent again
        on each version it renders."""
        if self._questions is None:
            jinja = Expressions(self.env, self.config.settings)
            self._questions = build_questions(self.config, jinja)
        return self._questions

    def _template_files(self, subdirectory: str) -> Iterator[PurePosixPath]:
        base = self.root / subdirectory
        for folder, dirs, files in os.walk(base):
            relfolder = Path(folder).relative_to(base)
            dirs[:] = [d for d in dirs if not self._excluded.match_file(str(relfolder / d) + "/")]
            for name in files:
                relpath = relfolder / name
                if not self._excluded.match_file(str(relpath)):
                    yield PurePosixPath(relpath.as_posix())

    def _is_plain(self, text: str) -> bool:
        """Whether Jinja (with this template's delimiters) renders `text` as it is."""
        env = self.env
        markers = (
            env.block_start_string,
            env.variable_start_string,
            env.comment_start_string,
            env.line_statement_prefix,
            env.line_comment_prefix,
            "\n",
            "\r",
        )
        return not any(marker and marker in text for marker in markers)

    def compiled(self, source: str) -> Template:
        """A Jinja template from a string, compiled once."""
        template = self._path_templates.get(source)
        if template is None:
            template = self._path_templates[source] = self.env.from_string(source)
        return template

    def answers_relpath(self, answers: Mapping[str, Any], chosen: str | None = None) -> str:
        """Where the answers file goes for these answers (the template's own setting is
        judged: relative, inside)."""
        if chosen:
            # A site's answers file path is plain text, one per document: compiling each
            # would cost more than rendering the document. Jinja renders plain text as is.
            return chosen if self._is_plain(chosen) else self.compiled(chosen).render(**answers)
        source = self.config.settings.get("answers_file", DEFAULT_ANSWERS_FILE)
        relpath = rendered(self.env, "_answers_file", source, answers, self.compiled)
        judge_path(self.root, relpath, "_answers_file")
        return relpath

    def render(
        self,
        answers: Mapping[str, Any],
        *,
        src_path: str,
        commit: str | None,
        answers_file: str | None = None,
        dst_path: Path = Path("."),
        hidden: set[str] | frozenset[str] = frozenset(),
        only: set[str] | None = None,
    ) -> dict[str, bytes]:
        """Relative path -> content of every file Copier would write for these answers.

        `answers` is the render context; Copier remembers those that are questions of the
        template, except `hidden` ones (questions whose `when` is false). With `only`, files
        at other destinations are not rendered.
        """
        answers_relpath = self.answers_relpath(answers, answers_file)
        context = self.context(answers, src_path, commit, answers_relpath, dst_path, hidden)
        subdirectory = self.subdirectory_for(context)
        output: dict[str, bytes] = {}
        for source in self._sources[subdirectory]:
            destination = self._render_path(source, context, answers_relpath)
            if destination is None or (only is not None and destination not in only):
                continue
            if source.name.endswith(self.config.suffix) and self.config.suffix:
                template_name = (PurePosixPath(subdirectory) / source).as_posix()
                content = self.env.get_template(template_name).render(**context).encode()
            else:
                content = (self.root / subdirectory / source).read_bytes()
            if len(content) > MAX_FILE_BYTES:
                raise TemplateRefused(f"template: {source} renders more than 10 MB")
            output[destination] = content
        return output

    def context(
        self,
        answers: Mapping[str, Any],
        src_path: str,
        commit: str | None,
        answers_relpath: str,
        dst_path: Path,
        hidden: set[str] | frozenset[str],
    ) -> dict[str, Any]:
        """The render context Copier builds for these answers."""
        remembered: dict[str, Any] = {}
        if commit is not None:
            remembered["_commit"] = commit
        remembered["_src_path"] = src_path
        remembered.update(
            (k, v) for k, v in answers.items() if k in self.config.questions and k not in hidden
        )
        return {
            **answers,
            "_copier_answers": remembered,
            "_copier_conf": {
                "answers_file": PurePosixPath(answers_relpath),
                "src_path": self.root,
                "dst_path": dst_path,
                "vcs_ref_hash": commit,
                "sep": os.sep,
                "os": {"linux": "linux", "darwin": "macos", "win32": "windows"}.get(
                    sys.platform, sys.platform
                ),
            },
            "_folder_name": dst_path.resolve().name,
            "_copier_python": sys.executable,
            "_copier_phase": "render",
        }

    def judge_settings(self, answers: Mapping[str, Any], answers_file: str) -> None:
        """Every path setting rendered with these answers and judged, and the files of the
        subdirectory checked: what `new` runs before Copier renders anything."""
        relpath = self.answers_relpath(answers, answers_file)
        context = self.context(answers, str(self.root), None, relpath, Path("."), frozenset())
        self.subdirectory_for(context)
        judge_settings(self.root, self.config.settings, self.env, context)

    def _render_path(
        self, source: PurePosixPath, context: Mapping[str, Any], answers_relpath: str
    ) -> str | None:
        parts: list[str] = []
        for index, part in enumerate(source.parts):
            is_last = index == len(source.parts) - 1
            if is_last and self.config.suffix and part.endswith(self.config.suffix):
                part = part[: -len(self.config.suffix)]
            rendered = self._render_part(part, context)
            if rendered == answers_relpath:
                return answers_relpath
            if not rendered:
                return None
            parts.append(rendered)
        return "/".join(parts)

    def _render_part(self, part: str, context: Mapping[str, Any]) -> str:
        """One segment of a file's path rendered. Most are one answer and plain text
        (`{{ slug }}.md`): Jinja renders a text answer as itself, and building its render
        context for every segment of every page costs more than the rest of the path."""
        found = self._variable_parts.get(part)
        if found is None:
            found = self._variable_parts[part] = self._single_variable(part)
        if found:
            value = context.get(found[0], _ABSENT)
            if type(value) is str:
                return value + found[1]
        return self.compiled(part).render(**context)

    def _single_variable(self, part: str) -> tuple[str, str] | tuple[()]:
        """(name, plain text after it) for a segment that is `{{ name }}` then plain text."""
        env = self.env
        if env.line_statement_prefix or env.line_comment_prefix or env.finalize is not None:
            return ()
        start, end = env.variable_start_string, env.variable_end_string
        match = re.fullmatch(
            f"{re.escape(start)} ?([A-Za-z_][A-Za-z0-9_]*) ?{re.escape(end)}(.*)", part, re.S
        )
        if match is None or not self._is_plain(match.group(2)) or end in match.group(2):
            return ()
        if match.group(1) in _JINJA_WORDS:  # a literal or an operator, never an answer
            return ()
        return match.group(1), match.group(2)


_ABSENT = object()
_JINJA_WORDS = frozenset(
    ["true", "false", "none", "True", "False", "None", "and", "or", "not", "in", "is", "if", "else"]
)
_DEFAULT_EXCLUDE = (
    "copier.yaml",
    "copier.yml",
    "~*",
    "*.py[co]",
    "__pycache__",
    ".git",
    ".DS_Store",
    ".svn",
)


def judge_creation(template: Path, answers: Mapping[str, Any], answers_file: str) -> None:
    """What `new` runs before Copier: the template's path settings rendered with the
    author's answers and judged, so that a refusal is this module's one line."""
    TemplateRenderer(template).judge_settings(answers, answers_file)
