"""Jinja as Copier configures it, so that defaults, conditions and validators give what
plain Copier gives."""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import suppress
from typing import Any

import jinja2
from jinja2 import BaseLoader, Template, meta
from jinja2.sandbox import SandboxedEnvironment

from guidewright.errors import InvalidInput
from guidewright.template.nice_yaml import to_nice_yaml

_UNDEFINED = {
    "jinja2.Undefined": jinja2.Undefined,
    "jinja2.StrictUndefined": jinja2.StrictUndefined,
}


def copier_environment(
    loader: BaseLoader | None = None, envops: Mapping[str, Any] | None = None
) -> SandboxedEnvironment:
    """Jinja as Copier sets it up: its sandbox and filters, trailing newlines kept unless a
    template's `_envops` says otherwise."""
    options = {"keep_trailing_newline": True, **(envops or {})}
    undefined = options.get("undefined")
    if isinstance(undefined, str):
        if undefined not in _UNDEFINED:
            allowed = " or ".join(_UNDEFINED)
            raise InvalidInput(f"_envops: undefined: must be {allowed}")
        options["undefined"] = _UNDEFINED[undefined]
    try:
        env = SandboxedEnvironment(
            loader=loader,
            extensions=["jinja2_ansible_filters.AnsibleCoreFiltersExtension"],
            **options,
        )
    except TypeError as error:
        raise InvalidInput(f"_envops: {error}") from error
    env.filters[TRANSLITERATE] = transliterate
    # The same text as the extension's filter, faster: see nice_yaml.py.
    env.filters["to_nice_yaml"] = to_nice_yaml
    return env


# The one filter guidewright adds to Copier's. A template guards it, so that plain Copier
# renders too: `(topic | transliterate) if "transliterate" is filter else topic`.
TRANSLITERATE = "transliterate"


def transliterate(text: Any) -> str:
    """`text` in ASCII letters: Café → Cafe, Καλημέρα → Kalemera, 東京 → Dong Jing."""
    from text_unidecode import unidecode

    return str(unidecode(str(text)))


class Expressions:
    """One template's Jinja environment with every source compiled once."""

    def __init__(self, env: SandboxedEnvironment) -> None:
        self.env = env
        self._compiled: dict[str, Template] = {}
        self._names: dict[str, tuple[str, ...]] = {}

    def compiled(self, source: str) -> Template:
        """`source` compiled (once)."""
        template = self._compiled.get(source)
        if template is None:
            template = self._compiled[source] = self.env.from_string(source)
        return template

    def render(self, source: str, context: Mapping[str, Any]) -> str:
        """`source` rendered with `context`."""
        if self.is_literal(source):
            return source
        return self.compiled(source).render(**context)

    def is_literal(self, source: str) -> bool:
        """Whether Jinja would render `source` as itself (no tags, nothing it rewrites):
        most question settings are plain text, and rendering each costs a context."""
        env = self.env
        if env.line_statement_prefix or env.line_comment_prefix or "\r" in source:
            return False
        if not env.keep_trailing_newline and source.endswith("\n"):
            return False
        starts = (env.block_start_string, env.variable_start_string, env.comment_start_string)
        return not any(start in source for start in starts)

    def names(self, source: str) -> tuple[str, ...]:
        """The variables `source` reads: a result depends on nothing else."""
        found = self._names.get(source)
        if found is None:
            parsed = self.env.parse(source)
            found = self._names[source] = tuple(sorted(meta.find_undeclared_variables(parsed)))
        return found


def cast_to_bool(value: Any) -> bool:
    """Copier's cast_to_bool: numbers by value, YAML's words for true and false."""
    with suppress(TypeError, ValueError):
        return bool(float(value))
    with suppress(AttributeError):
        lower = value.strip().lower()
        if not lower:
            return False
        if lower in {"y", "yes", "t", "true", "on"}:
            return True
        if lower in {"n", "no", "f", "false", "off", "~", "null", "none"}:
            return False
    return bool(value)
