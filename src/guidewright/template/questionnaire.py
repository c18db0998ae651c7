"""The template's questionnaire: its questions plus the `_guidewright` block of copier.yml.

Copier ignores `_`-prefixed keys it does not know, so the block rides along in the same
hand-written file. It says what Copier has no words for; everything Copier does say
(types, choices, defaults, `when`, validators) is read from the questions themselves.
Which questions a content type has is Copier's own `when`, so plain Copier asks exactly
what guidewright asks.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import TemplateError

from guidewright.copier_compat.config import TemplateConfig, read_template_config
from guidewright.copier_compat.confinement import ConfinedLoader
from guidewright.copier_compat.jinja import Expressions, copier_environment
from guidewright.copier_compat.questions import MISSING, Question, build_questions, frozen
from guidewright.copier_compat.render import TemplateRenderer
from guidewright.core.errors import InvalidInput, TemplateConfigError
from guidewright.template.migrations import Migration, read_migrations
from guidewright.template.normalise import NORMALISERS

FORMAT = 2  # the newest format this guidewright reads
READS = (1, 2)  # format 2 adds `migrations`
BLOCK = "guidewright"  # the setting's name once Copier's `_` prefix is removed
# Where suggestions and site defaults come from; the tool knows these sources.
SUGGESTION_SOURCES = ("site-sections", "site-tags", "site-documents")
SITE_VALUES = ("docs-dir", "content-owner", "git-user")
# What `adopt` can infer an answer from (template/inference.py says how).
INFERENCES = (
    "nav-title",
    "first-heading",
    "first-sentence",
    "first-sentences",
    "first-paragraph",
    "reading-time",
    "git-last-commit",
    "git-authors",
    "folders",
    "after-adoption",
)


@dataclass(frozen=True)
class ContentType:
    """A content type the template declares."""

    name: str
    help: str


@dataclass(frozen=True)
class Block:
    """The `_guidewright` block: docs/pages/maintainers/block.md says what each key means."""

    format: int
    type_question: str
    content_types: dict[str, ContentType]
    location: tuple[str, ...] = ()
    from_site: dict[str, str] = field(default_factory=dict)
    site_defaults: dict[str, str] = field(default_factory=dict)
    suggestions: dict[str, str] = field(default_factory=dict)
    lists: tuple[str, ...] = ()
    flags: dict[str, str] = field(default_factory=dict)
    essential: tuple[str, ...] = ()
    normalise: dict[str, str] = field(default_factory=dict)
    optional: tuple[str, ...] = ()
    review_date: str | None = None
    published_when: str | None = None
    examples: dict[str, Any] = field(default_factory=dict)
    migrations: tuple[Migration, ...] = ()
    # `adopt`: which question takes which inferences, tried in their order until the
    # question's validator takes one, and which folders hold which type (a glob on the
    # page's path in the docs folder, `*` spanning folders, to a type).
    infer: dict[str, tuple[str, ...]] = field(default_factory=dict)
    type_by_folder: dict[str, str] = field(default_factory=dict)

    @property
    def tags_question(self) -> str | None:
        """The question whose answers are the site's tags (suggested from `site-tags`)."""
        return next((name for name, s in self.suggestions.items() if s == "site-tags"), None)

    def declared_type(self, data: Mapping[str, Any]) -> str | None:
        """The content type a frontmatter declares; None where it names none of the
        template's (GW105)."""
        declared = data.get(self.type_question)
        return declared if isinstance(declared, str) and declared in self.content_types else None


def _names(block: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = block.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TemplateConfigError(f"copier.yml: _guidewright: {key}: must be a list of names")
    return tuple(value)


def _mapping(block: Mapping[str, Any], key: str, allowed: tuple[str, ...] = ()) -> dict[str, str]:
    value = block.get(key, {})
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise TemplateConfigError(f"copier.yml: _guidewright: {key}: must map names to names")
    for name, source in value.items():
        if allowed and source not in allowed:
            raise TemplateConfigError(
                f"copier.yml: _guidewright: {key}: {name}: '{source}' is not one of: "
                + ", ".join(allowed)
            )
    return dict(value)


def read_block(settings: Mapping[str, Any]) -> Block:
    """The block, checked for shape; refuses a format this guidewright does not read."""
    raw = settings.get(BLOCK)
    if not isinstance(raw, dict):
        raise TemplateConfigError(
            "copier.yml: has no _guidewright block (see guidewright's docs: The _guidewright block)"
        )
    declared = raw.get("format")
    if isinstance(declared, bool) or declared not in READS:
        reads = " and ".join(map(str, READS))
        raise TemplateConfigError(
            f"copier.yml: _guidewright: format is {declared!r}, but this guidewright reads "
            f"formats {reads}: use a guidewright that reads format {declared!r}"
        )
    types = raw.get("content_types")
    if not isinstance(types, dict) or not types:
        raise TemplateConfigError("copier.yml: _guidewright: content_types: must name at least one")
    content_types = {
        str(name): ContentType(str(name), str((spec or {}).get("help", "")))
        for name, spec in types.items()
    }
    optional_text = {k: raw.get(k) for k in ("review_date", "published_when")}
    for key, value in optional_text.items():
        if value is not None and not isinstance(value, str):
            raise TemplateConfigError(f"copier.yml: _guidewright: {key}: must be text")
    return Block(
        format=int(declared),
        type_question=str(raw.get("type_question", "content_type")),
        content_types=content_types,
        location=_names(raw, "location"),
        from_site=_mapping(raw, "from_site", SITE_VALUES),
        site_defaults=_mapping(raw, "site_defaults", SITE_VALUES),
        suggestions=_mapping(raw, "suggestions", SUGGESTION_SOURCES),
        lists=_names(raw, "lists"),
        flags=_mapping(raw, "flags"),
        essential=_names(raw, "essential"),
        normalise=_mapping(raw, "normalise", NORMALISERS),
        optional=_names(raw, "optional"),
        review_date=optional_text["review_date"],
        published_when=optional_text["published_when"],
        examples=_examples(raw),
        migrations=read_migrations(raw.get("migrations"), int(declared)),
        infer=_inferences(raw),
        type_by_folder=_mapping(raw, "type_by_folder"),
    )


def _inferences(block: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    """`infer`: each question's inference, or its inferences in the order they are tried."""
    value = block.get("infer", {})
    shape = "must map question names to an inference or a list of inferences"
    if not isinstance(value, dict):
        raise TemplateConfigError(f"copier.yml: _guidewright: infer: {shape}")
    found: dict[str, tuple[str, ...]] = {}
    for name, how in value.items():
        names = [how] if isinstance(how, str) else how
        if (
            not isinstance(name, str)
            or not isinstance(names, list)
            or not names
            or not all(isinstance(n, str) for n in names)
        ):
            raise TemplateConfigError(f"copier.yml: _guidewright: infer: {name}: {shape}")
        for source in names:
            if source not in INFERENCES:
                raise TemplateConfigError(
                    f"copier.yml: _guidewright: infer: {name}: '{source}' is not one of: "
                    + ", ".join(INFERENCES)
                )
        found[name] = tuple(dict.fromkeys(names))
    return found


def _examples(block: Mapping[str, Any]) -> dict[str, Any]:
    value = block.get("examples", {})
    if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
        raise TemplateConfigError(
            "copier.yml: _guidewright: examples: must map questions to answers"
        )
    return dict(value)


@dataclass
class Questionnaire:
    """The questions of one template version and what the block says about them."""

    questions: dict[str, Question]
    block: Block
    jinja: Expressions
    config: TemplateConfig  # copier.yml as read, for its settings
    _frontmatter: dict[Hashable, list[Question]] = field(default_factory=dict, repr=False)
    _conditions_read: tuple[str, ...] | None = field(default=None, repr=False)

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
        found = self._frontmatter.get(key)
        if found is None:
            found = self._frontmatter[key] = [
                q
                for q, applies in self.walk(answers)
                if applies and q.name not in self.block.location and not q.secret
            ]
        return found

    def _condition_names(self) -> tuple[str, ...]:
        if self._conditions_read is None:
            names = {
                name
                for q in self.questions.values()
                if isinstance(q.when, str)
                for name in self.jinja.names(q.when)
            }
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


@cache
def load_questionnaire(root: Path) -> Questionnaire:
    """The questionnaire of the template at `root` (a folder), read once per process."""
    return questionnaire_from_config(read_template_config(root), root.resolve())


@cache
def questionnaire_of(renderer: TemplateRenderer) -> Questionnaire | None:
    """The questionnaire of a loaded template version (None without a readable block)."""
    try:
        return questionnaire_from_config(renderer.config, renderer.root)
    except InvalidInput:
        return None
