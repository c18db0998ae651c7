"""What an analysis of a Jinja source's parse gives (the names it reads, the macro call it
makes, the tree itself for analyses that also read the environment), kept for the process
by what the parse depends on.

Each questionnaire loaded makes a new environment, so an analysis kept by environment is
done again by each: by every `check` run of a language server after an edit of the
template, and by every run a test makes in its own process. The parse depends on the
environment's class (BudgetedSandbox parses on a budget), its lexer's settings, its
extensions (which add tags and preprocess the source), and the source: environments alike
share what an analysis found. Not kept: a source that fails to parse (it raises each
time) or longer than LONGEST characters.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import jinja2
from jinja2 import meta, nodes

Found = TypeVar("Found")

# Bounds, not a policy: a template has tens to hundreds of sources, a few analyses each.
MOST = 4_000  # analyses kept
LONGEST = 10_000  # characters of one source kept (a validator has tens to hundreds)
# Characters of all the sources kept: a tree's size follows its source's, so a template of
# many long sources (an edited one, in a language server, again and again) holds no more.
MOST_CHARACTERS = 1_000_000


class _Kept:
    """The analyses kept, and the characters of their sources."""

    def __init__(self) -> None:
        self.found: dict[Hashable, Any] = {}
        self.characters = 0

    def put(self, key: Hashable, source: str, found: Any) -> None:
        if len(self.found) >= MOST or self.characters + len(source) > MOST_CHARACTERS:
            self.found.clear()
            self.characters = 0
        self.found[key] = found
        self.characters += len(source)


_KEPT = _Kept()


def analysed(
    env: jinja2.Environment, source: str, analysis: Callable[[nodes.Template], Found]
) -> Found:
    """`analysis(env.parse(source))`, kept for the process (see the module's docstring);
    raises TemplateError as parsing does. `analysis` must depend on the parse alone."""
    if len(source) > LONGEST:
        return analysis(env.parse(source))
    key = (analysis, type(env), _lexer_settings(env), tuple(sorted(env.extensions)), source)
    try:
        found: Found = _KEPT.found[key]
    except KeyError:
        found = analysis(env.parse(source))
        _KEPT.put(key, source, found)
    return found


def _lexer_settings(env: jinja2.Environment) -> tuple[Any, ...]:
    """What Jinja's lexer is made from (the key of `jinja2.lexer.get_lexer`'s own cache)."""
    return (
        env.block_start_string,
        env.block_end_string,
        env.variable_start_string,
        env.variable_end_string,
        env.comment_start_string,
        env.comment_end_string,
        env.line_statement_prefix,
        env.line_comment_prefix,
        env.trim_blocks,
        env.lstrip_blocks,
        env.newline_sequence,
        env.keep_trailing_newline,
    )


def names_read(env: jinja2.Environment, source: str) -> tuple[str, ...]:
    """The variables `source` reads, parsed in `env`; raises TemplateError as parsing does.
    A questionnaire has some 70 sources in the bundled template, a third of a millisecond
    each to parse, and a language server loads one again at each edit of the template."""
    return analysed(env, source, _undeclared)


def _undeclared(parsed: nodes.Template) -> tuple[str, ...]:
    return tuple(sorted(meta.find_undeclared_variables(parsed)))


def parse_tree(env: jinja2.Environment, source: str) -> nodes.Template:
    """`env.parse(source)`, shared by every caller alike: for analyses that only read the
    tree (a compile changes it: never hand it to one). Its nodes name the environment
    that parsed it first, one alike: an analysis takes the environment it asks about as
    an argument, not from the tree."""
    return analysed(env, source, _itself)


def _itself(parsed: nodes.Template) -> nodes.Template:
    return parsed
