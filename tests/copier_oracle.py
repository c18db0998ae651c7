"""The one place the tests reach into Copier's internals, to use Copier as the oracle.

Copier offers no public API for one question (`copier._user_data.Question`) or for reading a
template's copier.yml (`copier._template.load_template_config`), and its Jinja sandbox lives
in `copier._jinja_ext`. The differential tests need exactly those, so they import them from
here; pyproject pins Copier to the minor versions whose internals these names were checked
against (see the `copier` dependency's comment), and `pytest -m differential` is what to run
when widening that range.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader


def copier_question(
    template: Path, spec: dict[str, Any], name: str, context: dict[str, Any]
) -> Any:
    """Copier's own `Question` for `spec`, with Copier's own Jinja sandbox and the filters
    its templates get."""
    from copier._user_data import AnswersMap
    from copier._user_data import Question as CopierQuestion

    return CopierQuestion(
        var_name=name,
        answers=AnswersMap(),
        context=dict(context),
        jinja_env=copier_environment(template),
        **spec,
    )


@functools.cache
def copier_environment(template: Path) -> Any:
    """Copier's own Jinja sandbox for the template, made once as a Copier run makes it once
    for all its questions (a new one a question compiled the validators' macros again: a
    quarter of a second a question)."""
    from copier._jinja_ext import SandboxedEnvironment

    return SandboxedEnvironment(
        loader=FileSystemLoader([str(template)]),
        keep_trailing_newline=True,
        extensions=["jinja2_ansible_filters.AnsibleCoreFiltersExtension"],
    )


def copier_template_config(config_file: Path) -> dict[str, Any]:
    """copier.yml as Copier reads it (several documents merged, `!include` spliced in)."""
    from copier._template import load_template_config

    return dict(load_template_config(config_file))
