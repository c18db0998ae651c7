"""Answers put into the form the template asks for, where the block says how
(`normalise: {tags: slug, section: folder}`): `Rate Limiting` becomes `rate-limiting`
instead of an error.

And the one rule for a site's vocabularies (its tags, its sections): the nearest known
value to a new one, for "did you mean ...?", and a new value that is most likely a slip of
a known one is never taken without the author saying so.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from guidewright.core.errors import InvalidInput
from guidewright.site.site import CONFIG_RELPATH
from guidewright.template.block import NORMALISERS

FEW_TAGS = 5  # below this many tags on a site, a new tag is no sign of a typo
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_NOT_FOLDER_NAME = re.compile(r"[^a-z0-9_]+")


@dataclass(frozen=True)
class Normalised:
    """One answer changed into the template's form, to tell the author."""

    name: str
    before: Any
    after: Any


def slug(text: str) -> str:
    """`text` as lowercase a-z, 0-9 and single hyphens: `Café Caching` → `cafe-caching`."""
    from guidewright.copier_compat.jinja import transliterate  # start-up: loads Jinja2

    return _NOT_SLUG.sub("-", transliterate(text).lower()).strip("-")


def folder(text: str) -> str:
    """`text` as a folder path of lowercase folder names (a-z, 0-9, '-' and '_', nested
    with '/'): `Hands On Labs` → `hands-on-labs`; an existing `practice_set` stays. A
    name with nothing left (`..`) leaves nothing: the question's rule explains."""
    from guidewright.copier_compat.jinja import transliterate  # start-up: loads Jinja2

    names = [
        _NOT_FOLDER_NAME.sub("-", transliterate(name).lower()).strip("-")
        for name in text.strip().strip("/").split("/")
    ]
    return "/".join(names) if all(names) else ""


def normalise_value(how: str, value: Any) -> Any:
    """`value` (text or a list of texts) in the form `how` names; other values unchanged."""
    if how not in NORMALISERS:
        raise AssertionError(how)  # read_block allows only NORMALISERS
    if isinstance(value, str):
        # Nothing left: the question's rule explains.
        return (slug(value) if how == "slug" else folder(value)) or value
    if isinstance(value, list):
        items = [normalise_value(how, item) for item in value]
        return list(dict.fromkeys(items)) if all(isinstance(i, str) for i in items) else items
    return value


def normalise_answers(
    rules: Mapping[str, str], answers: Mapping[str, Any]
) -> tuple[dict[str, Any], list[Normalised]]:
    """The answers with each rule applied, and what changed."""
    result, changed = dict(answers), []
    for name, how in rules.items():
        if name in result:
            after = normalise_value(how, result[name])
            if after != result[name]:
                changed.append(Normalised(name, result[name], after))
                result[name] = after
    return result, changed


def nearest(value: str, known: Iterable[str]) -> str | None:
    """The known value `value` is most likely a slip of, if one is close enough."""
    found = difflib.get_close_matches(value, [k for k in known if k != value], n=1, cutoff=0.75)
    return found[0] if found else None


def likely_meant(tag: str, known: Collection[str]) -> str | None:
    """The known tag a tag the site does not know most likely is a slip of, if any."""
    return None if tag in known else nearest(tag, known)


def new_value_note(value: str, known: Collection[str]) -> str | None:
    """The one rule for a value a site vocabulary does not know (for tags, known: the
    configuration's `tags` and every tag a page uses), for the wizard, the command line,
    `check` and the editor alike: None when it is known, else that it is new, with the
    known value it most likely means."""
    if value in known:
        return None
    close = likely_meant(value, known)
    return f"'{value}' is new to this site" + (f"; did you mean '{close}'?" if close else "")


# A site vocabulary by the suggestion source its question names: what one value is called,
# and the flag that adds a value the tool calls a likely typo all the same.
VOCABULARY_SOURCES = {
    "site-tags": ("tag", "--new-tag"),
    "site-sections": ("section", "--new-section"),
}


@dataclass(frozen=True)
class Vocabulary:
    """The values a site knows for one question (its tags, its sections), and the new
    values the author has confirmed (`--new-tag`, "keep as new" in the wizard)."""

    question: str
    noun: str  # what one value is called: "tag", "section"
    confirm_flag: str  # the flag that confirms a new value: "--new-tag"
    known: tuple[str, ...]
    confirmed: set[str] = field(default_factory=set)

    def new_values(self, answer: Any) -> list[str]:
        """The values of `answer` (one value or a list) the site does not know yet."""
        values = answer if isinstance(answer, list) else [answer]
        return [v for v in values if isinstance(v, str) and v not in self.known]

    def likely_typos(self, answer: Any) -> list[tuple[str, str]]:
        """(new value, the known value it most likely means) for each new value of
        `answer` that is most likely a slip and that the author has not confirmed."""
        found = []
        for value in self.new_values(answer):
            meant = likely_meant(value, self.known)
            if meant is not None and value not in self.confirmed:
                found.append((value, meant))
        return found

    def refusal(self, value: str, meant: str, flag: str) -> str:
        """Why a likely typo is refused where nobody can be asked (`--defaults`), and the
        two ways on (`flag`: the flag that answers the question)."""
        return (
            f"{self.question}: {new_value_note(value, self.known)} (pass {flag} {meant}, "
            f"or {self.confirm_flag} {value} to add it as a new {self.noun})"
        )


def site_vocabularies(
    suggestions: Mapping[str, str], known_by_source: Mapping[str, list[str]]
) -> list[Vocabulary]:
    """The vocabularies of a template's questions (`suggestions`: its block's, question
    to source), each with what the site knows for its source."""
    return [
        Vocabulary(name, *VOCABULARY_SOURCES[source], tuple(known_by_source.get(source, ())))
        for name, source in suggestions.items()
        if source in VOCABULARY_SOURCES
    ]


def refuse_likely_typos(
    vocabularies: Iterable[Vocabulary], answers: Mapping[str, Any], flag_of: Callable[[str], str]
) -> None:
    """Where nobody can be asked (`--defaults`, no terminal): refuse the first new value
    most likely a slip of a known one that the author did not confirm (`flag_of`: the
    flag that answers a question)."""
    for vocabulary in vocabularies:
        for value, meant in vocabulary.likely_typos(answers.get(vocabulary.question)):
            raise InvalidInput(vocabulary.refusal(value, meant, flag_of(vocabulary.question)))


def with_value_replaced(answer: Any, value: str, meant: str) -> Any:
    """`answer` with `value` replaced by `meant` (in a list: once, where it stood)."""
    if isinstance(answer, list):
        return list(dict.fromkeys(meant if item == value else item for item in answer))
    return meant if answer == value else answer


def unlisted_tag_problem(tag: str, known: Collection[str]) -> str | None:
    """`check`'s word on a tag no other page uses and the configuration does not list
    (`known`: the other tags): `new_tag_note`, and how to make a meant tag known."""
    others = [t for t in known if t != tag]
    note = new_value_note(tag, others)
    if note is None or likely_meant(tag, others):
        return note
    if len(others) < FEW_TAGS:
        return None  # a new site: every tag is used once, and none is a typo of another yet
    return (
        f"{note} and no other document uses it (a typo? if not, add it to `tags` in "
        f"{CONFIG_RELPATH})"
    )
