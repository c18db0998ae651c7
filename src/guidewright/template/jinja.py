"""Jinja as Copier configures it, to compute defaults exactly as plain Copier would."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from jinja2 import BaseLoader
from jinja2.sandbox import SandboxedEnvironment

from guidewright.schema import Field


def copier_environment(
    loader: BaseLoader | None = None, envops: Mapping[str, Any] | None = None
) -> SandboxedEnvironment:
    """Jinja as Copier sets it up: its sandbox and filters, trailing newlines kept unless a
    template's `_envops` says otherwise."""
    options = {"keep_trailing_newline": True, **(envops or {})}
    return SandboxedEnvironment(
        loader=loader,
        extensions=["jinja2_ansible_filters.AnsibleCoreFiltersExtension"],
        **options,
    )


@lru_cache(maxsize=1)
def copier_like_environment() -> SandboxedEnvironment:
    return copier_environment()


def render_expression(template: str, context: Mapping[str, Any]) -> str:
    return copier_like_environment().from_string(template).render(**context)


def default_value(field: Field, content_type: str, answers: Mapping[str, Any]) -> Any:
    """The field's default for this content type given the answers so far, or None."""
    template = field.default_template(content_type)
    if template is None:
        return None
    if isinstance(template, list):
        return list(template)
    return render_expression(template, {**answers, "content_type": content_type})
