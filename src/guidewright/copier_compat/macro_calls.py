"""A validator of the common shape `{% import "rules.jinja" as r %}{{ r.rule(value, 200) }}`
called straight through the imported module's macro, without rendering a template.

Rendering costs a new context and the template machinery around one macro call: three
quarters of a validator's time, and `check` renders three for every page (a title, a
summary: values no other page shares). For that one shape the result is the same text by
construction: the macro is the template's own, compiled by the same sandboxed environment,
called with the same arguments (a name the context lacks is the environment's Undefined,
as in a render), and its output is what `{{ }}` prints when the environment neither
escapes nor finalizes. Any other source, or an environment that does either, renders.

Mirrors what `copier._user_data.Question.validate_answer` does with such a validator (a
render of the whole string). Differential test: tests/test_macro_calls.py::
test_a_direct_call_gives_what_the_render_gives.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, nodes

from guidewright.copier_compat.parsed import analysed


@dataclass(frozen=True)
class MacroCall:
    """`{% import TEMPLATE as ALIAS %}{{ ALIAS.MACRO(ARGUMENTS) }}`, and nothing else."""

    template: str
    macro: str
    arguments: tuple[tuple[bool, Any], ...]  # (a name?, the name or the constant)

    def render(self, env: Environment, context: Mapping[str, Any]) -> str:
        """What rendering the source with `context` gives."""
        module = env.get_template(self.template).module
        macro = env.getattr(module, self.macro)
        values = [
            _resolved(env, context, item) if is_name else item for is_name, item in self.arguments
        ]
        return str(macro(*values))


def _resolved(env: Environment, context: Mapping[str, Any], name: str) -> Any:
    """A name as a render resolves it: the context, then the globals, else Undefined."""
    if name in context:
        return context[name]
    if name in env.globals:
        return env.globals[name]
    return env.undefined(name=name)


def macro_call(env: Environment, source: str) -> MacroCall | None:
    """The call `source` makes, when it has that shape and `env` prints values as they are.
    Kept for the process (copier_compat/parsed.py): a parse is half a millisecond, and
    each questionnaire loaded (a language server's after each edit of the template) asks
    again for every validator."""
    if env.autoescape is not False or env.finalize is not None:
        return None
    return analysed(env, source, _call_made)


def _call_made(parsed: nodes.Template) -> MacroCall | None:
    body = parsed.body
    if len(body) != 2:
        return None
    imported, output = body
    if not (
        isinstance(imported, nodes.Import)
        and isinstance(imported.template, nodes.Const)
        and isinstance(imported.template.value, str)
        and not imported.with_context
        and isinstance(output, nodes.Output)
        and len(output.nodes) == 1
    ):
        return None
    call = output.nodes[0]
    if not (
        isinstance(call, nodes.Call)
        and not (call.kwargs or call.dyn_args or call.dyn_kwargs)
        and isinstance(call.node, nodes.Getattr)
        and isinstance(call.node.node, nodes.Name)
        and call.node.node.name == imported.target
    ):
        return None
    arguments = []
    for argument in call.args:
        if isinstance(argument, nodes.Name) and argument.name != imported.target:
            arguments.append((True, argument.name))
        elif isinstance(argument, nodes.Const):
            arguments.append((False, argument.value))
        else:
            return None
    return MacroCall(imported.template.value, call.node.attr, tuple(arguments))
