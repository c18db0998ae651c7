"""Answers put into the form the template asks for, where the block says how
(`normalise: {tags: slug}`): `Rate Limiting` becomes `rate-limiting` instead of an error.

And the nearest known value to a new one, for "did you mean ...?".
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from guidewright.copier_compat.jinja import transliterate
from guidewright.site.site import CONFIG_RELPATH

NORMALISERS = ("slug",)  # what a block's `normalise` may name
FEW_TAGS = 5  # below this many tags on a site, a new tag is no sign of a typo
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Normalised:
    """One answer changed into the template's form, to tell the author."""

    name: str
    before: Any
    after: Any


def slug(text: str) -> str:
    """`text` as lowercase a-z, 0-9 and single hyphens: `Café Caching` → `cafe-caching`."""
    return _NOT_SLUG.sub("-", transliterate(text).lower()).strip("-")


def normalise_value(how: str, value: Any) -> Any:
    """`value` (text or a list of texts) in the form `how` names; other values unchanged."""
    if how != "slug":
        raise AssertionError(how)  # read_block allows only NORMALISERS
    if isinstance(value, str):
        return slug(value) or value  # nothing left: the question's rule explains
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


def new_tag_note(tag: str, known: Collection[str]) -> str | None:
    """The one rule for a tag the site does not know (known: the configuration's `tags`
    and every tag a page uses), for the wizard, the command line and `check` alike:
    None when it is known, else that it is new, with the known tag it most likely means."""
    if tag in known:
        return None
    close = likely_meant(tag, known)
    return f"'{tag}' is new to this site" + (f"; did you mean '{close}'?" if close else "")


def unlisted_tag_problem(tag: str, known: Collection[str]) -> str | None:
    """`check`'s word on a tag no other page uses and the configuration does not list
    (`known`: the other tags): `new_tag_note`, and how to make a meant tag known."""
    others = [t for t in known if t != tag]
    note = new_tag_note(tag, others)
    if note is None or likely_meant(tag, others):
        return note
    if len(others) < FEW_TAGS:
        return None  # a new site: every tag is used once, and none is a typo of another yet
    return (
        f"{note} and no other document uses it (a typo? if not, add it to `tags` in "
        f"{CONFIG_RELPATH})"
    )
