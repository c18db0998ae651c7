"""What a template's expressions read beyond the answers they are given.

A verdict `check` keeps in its site index is reused while what judged the page stands
(check/site_check.py's `_judged_by`), so that must hold all the questions' expressions
read besides the answers:

- the files they load (`files_loaded`): `{% import "template/_partials/rules.jinja" as r %}`
  in the bundled template's validators, found from the statements, without rendering;
- the clock and the like (`outside_reads`): a validator comparing a date with today
  (`{% if review_date < "%Y-%m-%d" | strftime %}`) gives another verdict tomorrow with no
  file changed, so what judged a page must say which day it judged it on, or that its
  verdict cannot be kept at all.

What is taken as reading the clock, randomness or anything else outside: the filters of
Copier's environment that do (`strftime` without a time, `random`, `shuffle`, `fileglob`,
`expandvars` ... as `Expressions.is_pure` lists them), the `lipsum` global, a date's
`now`, `today` or `utcnow` (a date comes from `to_datetime`), a method named by a computed
key, and a filter or test applied by a computed name (`map(name)`). `strftime` of a
literal format made only of the day's fields (`"%Y-%m-%d"`) reads the local calendar day;
anything else (an hour, a format computed) is taken as reading more.
"""

from __future__ import annotations

import enum
import re
import secrets
import time
from collections.abc import Hashable
from typing import Any

import jinja2
from jinja2 import TemplateError, nodes
from jinja2.sandbox import SandboxedEnvironment
from jinja2_ansible_filters import core_filters

from guidewright.core.errors import InvalidInput
from guidewright.core.safe_yaml import texts_in


class Outside(enum.IntEnum):
    """What an expression reads beyond its answers and the files it loads (ordered)."""

    NOTHING = 0
    DAY = 1  # the local calendar day
    ANYTHING = 2  # the time of day, randomness, files, the environment: never the same


def clock() -> float:
    """Now, in seconds since the epoch: what `strftime` reads (tests replace it)."""
    return time.time()


def local_day() -> str:
    """The local calendar day as `strftime` would give it now."""
    return time.strftime("%Y-%m-%d", time.localtime(int(clock())))


def strftime(string_format: Any, second: Any = None) -> str:
    """jinja2_ansible_filters' `strftime`, which Copier's environment has, reading
    `clock` rather than the C library's clock: the same text, a clock tests can set."""
    return str(core_filters.strftime(string_format, clock() if second is None else second))


# Filters of Copier's environment that read more than their arguments: the clock
# (`strftime` without a time), randomness, the file system, the process's environment.
# Every other filter of Jinja, of jinja2_ansible_filters and guidewright's
# `transliterate` and `to_nice_yaml` is a function of its arguments.
_CLOCK_FILTER = "strftime"
IMPURE_FILTERS = frozenset(
    {
        _CLOCK_FILTER,
        "random",
        "ans_random",
        "shuffle",
        "random_mac",
        "fileglob",
        "expanduser",
        "expandvars",
        "realpath",
        "relpath",
    }
)
_IMPURE_GLOBALS = frozenset({"lipsum"})
_CLOCK_METHODS = frozenset({"now", "today", "utcnow"})
# Words without which a source can read nothing outside (looked for before parsing it,
# which costs some 10 ms for the bundled template's rules.jinja), with a naming filter
# whose name is not one literal.
_TRIGGERS = (*IMPURE_FILTERS, *_IMPURE_GLOBALS, *_CLOCK_METHODS, "to_datetime")
# Filters that apply another filter or test named by their argument (at that position).
NAMING_FILTERS = {"map": 0, "select": 0, "reject": 0, "selectattr": 1, "rejectattr": 1}
_LITERAL = r"""(?:"[^"\\]*"|'[^'\\]*')\s*"""
_NAMED_BY_LITERAL = re.compile(
    rf"(?:\b(?:map|select|reject)\s*\(\s*{_LITERAL}[,)])"
    rf"|(?:\b(?:selectattr|rejectattr)\s*\(\s*{_LITERAL}(?:\)|,\s*{_LITERAL}[,)]))"
)
_NAMING = re.compile(r"\b(?:map|select|reject|selectattr|rejectattr)\s*\(")
# The fields of a `strftime` format that say the day, not the time within it.
_FIELD = re.compile(r"%[-_0^#]?(.)", re.DOTALL)
_DAY_FIELDS = frozenset("aAbBCdDeFgGhjmnuUVwWxyY%t")


def reused_with(reads: Outside) -> Hashable:
    """What a result remembered from expressions that read `reads` is kept by, beside
    their answers: nothing, today's date, or a key equal to none (never reused)."""
    if reads is Outside.NOTHING:
        return None
    return local_day() if reads is Outside.DAY else object()


def outside_reads(env: SandboxedEnvironment, source: str) -> Outside:
    """What `source` reads beyond its answers and the files it loads."""
    if not any(word in source for word in _TRIGGERS) and len(
        _NAMED_BY_LITERAL.findall(source)
    ) == len(_NAMING.findall(source)):
        return Outside.NOTHING
    try:
        parsed = env.parse(source)
    except TemplateError:  # it fails whatever the day: its verdict says so
        return Outside.NOTHING
    found = Outside.NOTHING
    for node in parsed.find_all((nodes.Filter, nodes.Call, nodes.Name)):
        found = max(found, _reads(env, node))
    return found


def _reads(env: SandboxedEnvironment, node: nodes.Node) -> Outside:
    if isinstance(node, nodes.Name):
        impure = node.ctx == "load" and node.name in _IMPURE_GLOBALS
        return Outside.ANYTHING if impure and node.name in env.globals else Outside.NOTHING
    if isinstance(node, nodes.Call):
        callee = node.node
        if isinstance(callee, nodes.Getattr) and callee.attr in _CLOCK_METHODS:
            return Outside.ANYTHING
        if isinstance(callee, nodes.Getitem) and not (
            isinstance(callee.arg, nodes.Const) and callee.arg.value not in _CLOCK_METHODS
        ):
            return Outside.ANYTHING
        return Outside.NOTHING
    assert isinstance(node, nodes.Filter)
    if node.name == _CLOCK_FILTER:
        return _strftime_reads(node)
    if node.name in IMPURE_FILTERS:
        return Outside.ANYTHING
    at = NAMING_FILTERS.get(node.name)
    if at is not None and len(node.args) > at:
        named = node.args[at]
        if not isinstance(named, nodes.Const) or named.value in IMPURE_FILTERS:
            return Outside.ANYTHING
    return Outside.NOTHING


def _strftime_reads(node: nodes.Filter) -> Outside:
    """A `strftime`'s: nothing given a time, the day for a literal format of the day's
    fields, anything else otherwise."""
    if node.dyn_args is not None or node.dyn_kwargs is not None:
        return Outside.ANYTHING
    second = node.args[0] if node.args else next((k.value for k in node.kwargs), None)
    if second is not None and not (isinstance(second, nodes.Const) and second.value is None):
        return Outside.NOTHING  # a time given: the clock is not read
    written = node.node
    if not (isinstance(written, nodes.Const) and isinstance(written.value, str)):
        return Outside.ANYTHING
    fields = _FIELD.findall(written.value)
    day_only = all(field in _DAY_FIELDS for field in fields) and not written.value.endswith("%")
    return Outside.DAY if day_only else Outside.ANYTHING


def read_beyond(env: SandboxedEnvironment, written: object) -> Outside:
    """What the expressions in `written`, and the files they load, read beyond the
    answers (ANYTHING where a loaded name is computed: its file cannot be looked at)."""
    loaded = loaded_texts(env, written)
    if loaded is None:
        return Outside.ANYTHING
    sources = [*texts_in(written), *(text for text in loaded.values() if text is not None)]
    return max((outside_reads(env, source) for source in sources), default=Outside.NOTHING)


def files_loaded(env: jinja2.Environment, written: object) -> object:
    """The template's files the expressions in `written` include or import (`{% import
    "template/_partials/rules.jinja" as r %}` in the bundled template's validators), and
    those these load in turn, each with its text (None: it cannot be loaded): a verdict
    depends on them as on the questions. A name not written as one literal (computed as
    the template renders) cannot be known before: the run's own token then, and no
    verdict is ever reused."""
    found = loaded_texts(env, written)
    return secrets.token_hex(16) if found is None else sorted(found.items())


def loaded_texts(env: jinja2.Environment, written: object) -> dict[str, str | None] | None:
    """`files_loaded`'s files by name (None: a name not written as one literal)."""
    sources = list(texts_in(written))
    found: dict[str, str | None] = {}
    while sources:
        names = names_loaded(env, sources.pop())
        if names is None:
            return None
        for name in names:
            if name in found:
                continue
            try:
                text, _, _ = env.loader.get_source(env, name) if env.loader else ("", None, None)
            except (InvalidInput, OSError, UnicodeDecodeError):  # what is judged: that it fails
                found[name] = None
                continue
            found[name] = text
            sources.append(text)
    return found


# A statement that loads a file, as Jinja reads one: its keyword first, then the name as one
# literal, then what the statement allows after it. Anything else starting with one of the
# keywords (a name computed, a list of names, a conditional) is taken as unknowable.
_LOADS = re.compile(r"[-+]?\s*(?:include|import|from|extends)\b")
_LOADS_ONE = re.compile(
    r"""[-+]?\s*(?:include|import|from|extends)\s+(?:"([^"\\]*)"|'([^'\\]*)')"""
    r"(?:\s+(?:as\s+\w+|import\s+[\w\s,]+?|ignore\s+missing|with\s+context|without\s+context))*"
    r"\s*[-+]?\s*"
)


def names_loaded(env: jinja2.Environment, source: str) -> list[str] | None:
    """The files `source` names in its statements that load one (None: a name that is not
    a literal). Every statement begins where the environment's block start string does, so
    each place it occurs is looked at (one inside a comment or a string too: a name too
    many is harmless); cheaper than parsing, which costs a millisecond a validator."""
    opening, closing = env.block_start_string, env.block_end_string
    if env.line_statement_prefix is not None:  # statements without the start string
        return None if opening in source or env.line_statement_prefix in source else []
    names = []
    at = source.find(opening)
    while at >= 0:
        begin = at + len(opening)
        end = source.find(closing, begin)
        statement = source[begin:] if end < 0 else source[begin:end]
        if _LOADS.match(statement):
            one = _LOADS_ONE.fullmatch(statement)
            if one is None:
                return None
            names.append(one.group(1) if one.group(1) is not None else one.group(2))
        at = source.find(opening, begin)
    return names
