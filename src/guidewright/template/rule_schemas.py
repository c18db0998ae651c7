"""How a question's validator reads in JSON Schema, as the template itself says.

A validator that is one call of a shared rule, `{% import "FILE" as r %}{{ r.NAME(question,
literal arguments...) }}`, reads in JSON Schema as what the rule's companion macro
`NAME_json_schema` in FILE renders with those arguments (without the value): a JSON object,
owned by the template like the rule beside it. guidewright knows no rule's meaning; any
other validator (a rule across two fields, a call with another answer as an argument, a
rule without a companion, or one whose companion renders nothing) has no JSON Schema.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jinja2 import TemplateError, nodes

from guidewright.copier_compat.jinja import Expressions
from guidewright.copier_compat.parsed import parse_tree
from guidewright.copier_compat.questions import Question
from guidewright.core.errors import InvalidInput

COMPANION = "_json_schema"  # the suffix of a rule's JSON Schema macro


@dataclass(frozen=True)
class RuleCall:
    """A validator that calls one shared rule with literal arguments."""

    template: str  # the file the rule is imported from
    rule: str  # the macro's name
    args: tuple[Any, ...]  # after the value
    kwargs: tuple[tuple[str, Any], ...]

    @property
    def companion(self) -> str:
        """The name of the macro that says the rule in JSON Schema."""
        return self.rule + COMPANION


def _literal(node: nodes.Node) -> tuple[bool, Any]:
    try:
        return True, node.as_const()  # type: ignore[attr-defined]
    except (nodes.Impossible, AttributeError):
        return False, None


def rule_call(jinja: Expressions, question: Question) -> RuleCall | None:
    """The rule `question`'s validator is one call of, with its other arguments; None for
    any other validator."""
    return _call(jinja, question, alone=False)


def lone_rule_call(jinja: Expressions, question: Question) -> RuleCall | None:
    """For a validator that calls one shared rule with another answer as an argument (a
    rule across fields, `r.date(review_date, last_updated, "last_updated")`): the call
    with that argument and every one after it left out, the rule said of the value alone
    (`r.date(review_date)`). None for any other validator."""
    if rule_call(jinja, question) is not None:
        return None
    return _call(jinja, question, alone=True)


def _call(jinja: Expressions, question: Question, alone: bool) -> RuleCall | None:
    if not question.validator:
        return None
    try:
        body = parse_tree(jinja.env, question.validator).body  # only read
    except TemplateError:
        return None
    imports = [n for n in body if isinstance(n, nodes.Import)]
    outputs = [n for n in body if isinstance(n, nodes.Output)]
    if len(imports) != 1 or len(outputs) != 1 or len(imports) + len(outputs) != len(body):
        return None
    imported = imports[0]
    calls = [n for n in outputs[0].nodes if not _blank(n)]
    if not isinstance(imported.template, nodes.Const) or len(calls) != 1:
        return None
    call = calls[0]
    if not (
        isinstance(call, nodes.Call)
        and isinstance(call.node, nodes.Getattr)
        and isinstance(call.node.node, nodes.Name)
        and call.node.node.name == imported.target
        and call.args
        and isinstance(call.args[0], nodes.Name)
        and call.args[0].name == question.name
        and call.dyn_args is None
        and call.dyn_kwargs is None
    ):
        return None
    args, kwargs = [], []
    for node in call.args[1:]:
        known, value = _literal(node)
        if not known:  # another answer: a rule across fields
            if alone:
                break
            return None
        args.append(value)
    for keyword in call.kwargs:
        known, value = _literal(keyword.value)
        if not known:
            if alone:
                continue
            return None
        kwargs.append((keyword.key, value))
    return RuleCall(str(imported.template.value), call.node.attr, tuple(args), tuple(kwargs))


def _blank(node: nodes.Node) -> bool:
    return isinstance(node, nodes.TemplateData) and not node.data.strip()


def rendered_rule_schema(jinja: Expressions, call: RuleCall) -> str | None:
    """What the rule's companion macro renders (None: the rule has none)."""
    module = jinja.env.get_template(call.template).module
    companion = getattr(module, call.companion, None)
    if companion is None:
        return None
    return str(companion(*call.args, **dict(call.kwargs))).strip()


def rule_schema(jinja: Expressions, question: Question) -> dict[str, Any] | None:
    """The JSON Schema the template gives `question`'s validator, if it gives one."""
    call = rule_call(jinja, question)
    return None if call is None else _schema_of(jinja, question, call)


def lone_rule_schema(jinja: Expressions, question: Question) -> dict[str, Any] | None:
    """For a rule across fields, what the rule says of the value alone in JSON Schema
    (`lone_rule_call`): less than the validator, which `check` applies whole."""
    call = lone_rule_call(jinja, question)
    return None if call is None else _schema_of(jinja, question, call)


def _schema_of(jinja: Expressions, question: Question, call: RuleCall) -> dict[str, Any] | None:
    where = f"{question.name}: {call.companion} in {call.template}"
    try:
        rendered = rendered_rule_schema(jinja, call)
    except (TemplateError, TypeError, ValueError) as error:  # ValueError: from_json
        raise InvalidInput(f"{where}: does not render: {error}") from error
    if not rendered:
        return None  # the rule has no JSON Schema for these arguments
    try:
        schema = json.loads(rendered)
    except json.JSONDecodeError as error:
        raise InvalidInput(f"{where}: must render a JSON object: {error}") from error
    if not isinstance(schema, dict):
        raise InvalidInput(f"{where}: must render a JSON object, not {rendered[:40]!r}")
    return schema


@lru_cache(maxsize=256)
def as_python(pattern: str) -> str:
    """An ECMA-262 pattern (without Python-only syntax) for Python's re: `$` outside a
    class is the end of the text, as ECMA-262 reads it without the m flag."""
    out, escaped, in_class = [], False, False
    for letter in pattern:
        if escaped:
            escaped = False
        elif letter == "\\":
            escaped = True
        elif letter == "[":
            in_class = True
        elif letter == "]":
            in_class = False
        elif letter == "$" and not in_class:
            letter = r"\Z"
        out.append(letter)
    return "".join(out)
