"""The `_guidewright` block of copier.yml, read from plain YAML data: what a run of
`check` whose verdicts are all kept reads of the template (from the site index) without
loading the questionnaire, its Jinja environment or the Copier reader; and what a run
that judges no template page reads of it (`template_settings`: copier.yml as YAML alone)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from guidewright.core.errors import TemplateConfigError

if TYPE_CHECKING:  # annotations only: see `_migrations`
    from guidewright.template.migrations import Migration

FORMAT = 2  # the newest format this guidewright reads
READS = (1, 2)  # format 2 adds `migrations`
BLOCK = "guidewright"  # the setting's name once Copier's `_` prefix is removed
# Where suggestions and site defaults come from; the tool knows these sources.
SUGGESTION_SOURCES = ("site-sections", "site-tags", "site-documents")
SITE_VALUES = ("docs-dir", "content-owner", "git-user")
NORMALISERS = ("slug", "folder")  # what `normalise` may name (template/normalise.py)
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
        migrations=_migrations(raw.get("migrations"), int(declared)),
        infer=_inferences(raw),
        type_by_folder=_mapping(raw, "type_by_folder"),
    )


def template_settings(folder: Path) -> dict[str, Any]:
    """The settings of the template at `folder` (its block among them: `read_block`), read
    from copier.yml as the questionnaire's load reads it (each `!include` spliced in,
    nothing through a link), and as YAML alone: the questions are not built and no Jinja
    is imported. What is refused here is refused by the load too; what the load alone
    refuses (a path setting leading outside, a block naming no question) is said by a
    run that loads it."""
    # Imported here, for start-up speed: a run whose index stands for the block (one page
    # of a site that did not change) reads no copier.yml.
    from guidewright.copier_compat.config import read_template_data

    return read_template_data(folder).settings


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


def _migrations(raw: Any, block_format: int) -> tuple[Migration, ...]:
    """The block's migrations (none when it names none)."""
    if raw is None:
        return ()
    # Start-up: the migrations' reader only for a block that has some (a run of `check`
    # reads the block on every run; the bundled template's has none).
    from guidewright.template.migrations import read_migrations

    return read_migrations(raw, block_format)
