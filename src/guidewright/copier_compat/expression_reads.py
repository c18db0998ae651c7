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
`now`, `today` or `utcnow` (a date comes from `to_datetime`), called or not, a filter or
test applied by a computed name (`map(name)`), an attribute fetched by a computed name
(`attr(m)`, `map(attribute=m)`), and any call of something other than a macro, a pure
global or a value's reading method (`x[m]()`, `(d | attr(m))()`, a method kept in a
variable): what is called may be a clock method. So is an item fetched by a computed
key of anything but a literal (`d[k]`, called or kept), a namespace's attribute named
like a reading method set to anything but a literal (`namespace(get=d[k]).get()`), a
`caller` given as an argument, a filter naming a naming filter (`map("map",
"strftime")`), and a loaded file's name that is not a macro it defines (`{% set f =
d[k] %}` exported). `strftime` of a literal format made only of the day's fields
(`"%Y-%m-%d"`) without a time, or with a literal none, reads the local calendar day;
anything else (an hour, a format computed, a time computed that may be none as it
renders) is taken as reading more.
"""

from __future__ import annotations

import enum
import functools
import hashlib
import re
import secrets
import time
from collections.abc import Callable, Hashable
from typing import Any

import jinja2
from jinja2 import TemplateError, nodes
from jinja2.sandbox import SandboxedEnvironment
from jinja2_ansible_filters import core_filters

from guidewright.copier_compat.parsed import parse_tree
from guidewright.core.cache_dir import cache_root, read_sealed, write_sealed
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
# The methods an expression may call on a value and read nothing beyond it: those of
# text, mappings and lists that read the value and change nothing. Not a date's `now`
# or `today` (the clock), not `append` or `update` (a change to an answer, which a
# remembered result would skip). copier_compat/jinja.py's `is_pure` allows the same.
READING_METHODS = frozenset(
    {
        "capitalize",
        "casefold",
        "center",
        "count",
        "endswith",
        "find",
        "get",
        "index",
        "isalnum",
        "isalpha",
        "isdecimal",
        "isdigit",
        "islower",
        "isnumeric",
        "isspace",
        "istitle",
        "isupper",
        "items",
        "join",
        "keys",
        "ljust",
        "lower",
        "lstrip",
        "partition",
        "replace",
        "rfind",
        "rjust",
        "rpartition",
        "rsplit",
        "rstrip",
        "split",
        "splitlines",
        "startswith",
        "strip",
        "swapcase",
        "title",
        "upper",
        "values",
        "zfill",
    }
)
# Words without which a source can read nothing outside, looked for before parsing it
# (which costs some 15 ms for the bundled template's rules.jinja): with none of them and
# no call at all (no parenthesis), there is no clock, randomness or file to reach. A
# call can reach one through a name computed (`x[m]()`, `(d | attr(m))()`, a method
# kept in a variable), so any parenthesis has the source parsed.
_TRIGGERS = (*IMPURE_FILTERS, *_IMPURE_GLOBALS, *_CLOCK_METHODS, "to_datetime", "(")
# Filters that apply another filter or test named by their argument (at that position).
NAMING_FILTERS = {"map": 0, "select": 0, "reject": 0, "selectattr": 1, "rejectattr": 1}
# Filters that fetch an attribute named by an argument (the position it may be given
# at, else only as `attribute=`): a computed name may be a clock method.
_ATTRIBUTE_FILTERS = {"attr": 0, "map": None, "groupby": 0, "sum": 0, "sort": 2}
_ATTRIBUTE_FILTERS |= {"unique": 1, "min": 1, "max": 1, "selectattr": 0, "rejectattr": 0}
# Callees known to read nothing beyond their arguments: Jinja's pure globals, and the
# loop's helpers.
_PURE_GLOBALS = frozenset({"range", "dict", "namespace", "cycler", "joiner"})
_LOOP_METHODS = frozenset({"cycle", "changed"})
# The fields of a `strftime` format that say the day, not the time within it.
_FIELD = re.compile(r"%[-_0^#]?(.)", re.DOTALL)
_DAY_FIELDS = frozenset("aAbBCdDeFgGhjmnuUVwWxyY%t")


def reused_with(reads: Outside) -> Hashable:
    """What a result remembered from expressions that read `reads` is kept by, beside
    their answers: nothing, today's date, or a key equal to none (never reused)."""
    if reads is Outside.NOTHING:
        return None
    return local_day() if reads is Outside.DAY else object()


def may_read_outside(source: str) -> bool:
    """Whether `source` holds a word it could read the clock, randomness or a file with
    (`_TRIGGERS`): one without any reads nothing beyond its answers, without parsing."""
    return any(word in source for word in _TRIGGERS)


def outside_reads(env: SandboxedEnvironment, source: str) -> Outside:
    """What `source` reads beyond its answers and the files it loads. Conservative: a
    call of anything but a macro of the template's, a pure global or a value's reading
    method (`READING_METHODS`) is taken as reading anything."""
    if not may_read_outside(source):
        return Outside.NOTHING
    try:
        parsed = parse_tree(env, source)
    except TemplateError:  # it fails whatever the day: its verdict says so
        return Outside.NOTHING
    bound = _Bound.of(env, parsed)
    found = Outside.NOTHING
    for node in parsed.find_all((nodes.Filter, nodes.Call, nodes.Name, nodes.Getattr)):
        found = max(found, _reads(env, bound, node))
    for node in parsed.find_all(nodes.Getitem):
        if isinstance(node.arg, nodes.Const) and node.arg.value in _CLOCK_METHODS:
            found = Outside.ANYTHING  # `d["now"]`: a clock method, called or kept
        elif not isinstance(node.arg, nodes.Const | nodes.Slice) and not isinstance(
            node.node, nodes.List | nodes.Tuple | nodes.Dict | nodes.Const
        ):
            # `d[k]`: a clock method, kept to be called under a name that looks pure
            # (`namespace(get=d[k]).get()`). An item of a literal is one of the values
            # written there, each looked at itself.
            found = Outside.ANYTHING
    for assigned in parsed.find_all(nodes.Assign):
        target = assigned.target
        if isinstance(target, nodes.NSRef) and _hides_a_callable(target.attr, assigned.node):
            found = Outside.ANYTHING  # `{% set ns.get = d.astimezone %}{{ ns.get() }}`
    return found


def _hides_a_callable(attribute: str, value: nodes.Node) -> bool:
    """Whether a namespace's attribute named like a reading method (`get`) may be set to
    something callable: anything but a literal, which a call of it would run."""
    return attribute in READING_METHODS and not isinstance(value, nodes.Const)


class _Bound:
    """The names a source binds: to the macros it defines or imports (callable, their
    bodies looked at where they are written), to a module, or to anything else."""

    def __init__(self) -> None:
        self.macros: set[str] = set()
        self.modules: dict[str, frozenset[str]] = {}  # each module's macros
        self.other: set[str] = set()

    @classmethod
    def of(cls, env: jinja2.Environment, parsed: nodes.Template) -> _Bound:
        bound = cls()
        for macro in parsed.find_all(nodes.Macro):
            bound.macros.add(macro.name)
        for imported in parsed.find_all(nodes.Import):
            bound.modules[imported.target] = _macros_of(env, imported.template)
        for picked in parsed.find_all(nodes.FromImport):
            macros = _macros_of(env, picked.template)
            for picked_name in picked.names:
                picked_as = picked_name if isinstance(picked_name, tuple) else (picked_name,) * 2
                (bound.macros if picked_as[0] in macros else bound.other).add(picked_as[1])
        for name in parsed.find_all(nodes.Name):
            if name.ctx in ("store", "param"):
                bound.other.add(name.name)
        return bound

    def callable(self, name: str) -> bool:
        """Whether calling `name` reads only what the call gives it (or what the macro's
        own text, looked at too, reads)."""
        if name in self.other:
            return False  # a variable (or a parameter) may hold any method
        return name in self.macros or name in _PURE_GLOBALS or name == "caller"


def _macros_of(env: jinja2.Environment, loaded: nodes.Expr) -> frozenset[str]:
    """The macros a loaded file defines and exports as such: not a name it also sets or
    imports (`{% set f = d[k] %}` exports a value, which may be any method), none when
    the file's name is computed or it cannot be loaded or parsed (its calls: anything)."""
    if not (isinstance(loaded, nodes.Const) and isinstance(loaded.value, str)):
        return frozenset()
    try:
        text, _, _ = env.loader.get_source(env, loaded.value) if env.loader else ("", None, None)
    except (InvalidInput, OSError, UnicodeDecodeError, TemplateError):
        return frozenset()
    return _defined_macros(env, text)


@functools.lru_cache(maxsize=64)
def _defined_macros(env: jinja2.Environment, text: str) -> frozenset[str]:
    """`_macros_of` a file's text (parsed once: rules.jinja costs some 15 ms)."""
    try:
        parsed = parse_tree(env, text)
    except TemplateError:
        return frozenset()
    bound = _Bound.of(env, parsed)
    return frozenset(bound.macros - bound.other - set(bound.modules))


def _reads(env: SandboxedEnvironment, bound: _Bound, node: nodes.Node) -> Outside:
    if isinstance(node, nodes.Name):
        impure = node.ctx == "load" and node.name in _IMPURE_GLOBALS
        return Outside.ANYTHING if impure and node.name in env.globals else Outside.NOTHING
    if isinstance(node, nodes.Getattr):  # `d.now`, called or kept to be called later
        return Outside.ANYTHING if node.attr in _CLOCK_METHODS else Outside.NOTHING
    if isinstance(node, nodes.Call):
        if node.dyn_kwargs is not None or any(k.key == "caller" for k in node.kwargs):
            return Outside.ANYTHING  # `m(caller=d[k])`: the macro's `caller()` calls it
        if _builds_a_namespace(bound, node):
            return Outside.ANYTHING  # `namespace(get=d.astimezone).get()`
        return Outside.NOTHING if _pure_callee(bound, node.node) else Outside.ANYTHING
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
        if named.value in NAMING_FILTERS:  # `map("map", "strftime")`: as `is_pure` refuses
            return Outside.ANYTHING
        further = len(node.args) > at + 1 or node.kwargs or node.dyn_args or node.dyn_kwargs
        if named.value in _ATTRIBUTE_FILTERS and further:
            return Outside.ANYTHING  # `map("attr", m)`: an attribute by a name computed
    return _attribute_reads(node)


def _builds_a_namespace(bound: _Bound, call: nodes.Call) -> bool:
    """Whether `call` makes a namespace whose attributes named like reading methods may
    hold something callable (`_hides_a_callable`), or from values not looked at."""
    callee = call.node
    if not (isinstance(callee, nodes.Name) and callee.name == "namespace"):
        return False
    if callee.name in bound.other or call.args or call.dyn_args is not None:
        return True
    return any(_hides_a_callable(k.key, k.value) for k in call.kwargs)


def _pure_callee(bound: _Bound, callee: nodes.Node) -> bool:
    """Whether a call of `callee` reads only its arguments: a macro, a pure global, a
    module's macro (`r.date`), the loop's helpers or a value's reading method."""
    if isinstance(callee, nodes.Name):
        return bound.callable(callee.name)
    if not isinstance(callee, nodes.Getattr):
        return False  # `x[m]()`, `(d | attr(m))()`, `f()()`: what is called is computed
    owner = callee.node
    if isinstance(owner, nodes.Name) and owner.name not in bound.other:
        if owner.name in bound.modules:  # `r.date(x)`: only a macro the file defines
            return callee.attr in bound.modules[owner.name]
        if owner.name == "loop" and callee.attr in _LOOP_METHODS:
            return True
    return callee.attr in READING_METHODS


def _attribute_reads(node: nodes.Filter) -> Outside:
    """A filter fetching an attribute by name (`attr`, `map(attribute=...)`): anything
    when the name is computed or a clock method."""
    if node.name not in _ATTRIBUTE_FILTERS:
        return Outside.NOTHING
    if node.dyn_args is not None or node.dyn_kwargs is not None:
        return Outside.ANYTHING
    at = _ATTRIBUTE_FILTERS[node.name]
    named = [k.value for k in node.kwargs if k.key == "attribute"]
    if at is not None and len(node.args) > at:
        named.append(node.args[at])
    for name in named:
        if not (isinstance(name, nodes.Const) and isinstance(name.value, str | int)):
            return Outside.ANYTHING
        if _CLOCK_METHODS & set(str(name.value).split(".")):
            return Outside.ANYTHING
    return Outside.NOTHING


def _strftime_reads(node: nodes.Filter) -> Outside:
    """A `strftime`'s: nothing given a literal time, the day for a literal format of the
    day's fields, anything else otherwise (a time computed may be none as it renders)."""
    if node.dyn_args is not None or node.dyn_kwargs is not None:
        return Outside.ANYTHING
    second = node.args[0] if node.args else next((k.value for k in node.kwargs), None)
    if second is not None and not isinstance(second, nodes.Const):
        return Outside.ANYTHING  # a time computed: none, the clock is read
    if second is not None and second.value is not None:
        return Outside.NOTHING  # a time given: the clock is not read
    written = node.node
    if not (isinstance(written, nodes.Const) and isinstance(written.value, str)):
        return Outside.ANYTHING
    fields = _FIELD.findall(written.value)
    day_only = all(field in _DAY_FIELDS for field in fields) and not written.value.endswith("%")
    return Outside.DAY if day_only else Outside.ANYTHING


def read_beyond(
    env: SandboxedEnvironment,
    written: object,
    reads: Callable[[str], Outside] | None = None,
) -> Outside:
    """What the expressions in `written`, and the files they load, read beyond the
    answers (ANYTHING where a loaded name is computed: its file cannot be looked at).
    `reads` tells what one source reads (`outside_reads`, or a cache of it)."""
    loaded = loaded_texts(env, written)
    if loaded is None:
        return Outside.ANYTHING
    sources = [*texts_in(written), *(text for text in loaded.values() if text is not None)]
    files = tuple(sorted(loaded.items()))
    judge = reads or (lambda source: _outside_reads_among(env, source, files))
    return max((judge(source) for source in sources), default=Outside.NOTHING)


@functools.lru_cache(maxsize=256)
def _outside_reads_among(
    env: SandboxedEnvironment, source: str, files: tuple[tuple[str, str | None], ...]
) -> Outside:
    """`outside_reads(env, source)` where the files loaded hold `files` (the key
    `kept_read_beyond` keeps its answer by: all the answer depends on). Worked out once a
    process: each of the bundled template's 22 validators imports rules.jinja, whose
    analysis took 30 ms every time, two thirds of a second of the first `new` of a site."""
    return outside_reads(env, source)


# What `kept_read_beyond` keeps: the analysis's own code and Jinja's parser decide it, so
# both are in its key (the module's bytes, read once: an edit or upgrade is a new key).
_KEPT_FORMAT = "guidewright-reads-1"
_KEPT_BYTES = 256


@functools.cache
def _analysis_version() -> str:
    with open(__file__, "rb") as module:
        code = hashlib.sha256(module.read()).hexdigest()
    return f"{_KEPT_FORMAT}|{jinja2.__version__}|{code}"


def kept_read_beyond(env: SandboxedEnvironment, written: object, made_from: object) -> Outside:
    """`read_beyond`, remembered in the cache folder (sealed, as compiled code is): every
    run from nothing of a site would otherwise parse the template's expressions and the
    files they load again, some 30 to 70 ms for the bundled template. The key is all
    the answer depends on: the expressions (`written`), the files they load with their
    texts, what the environment was made from (`made_from`: the template's settings)
    and the analysis itself; a key not found, or an entry this user did not seal, is
    worked out again."""
    loaded = loaded_texts(env, written)
    if loaded is None:
        return Outside.ANYTHING
    described = repr((_analysis_version(), made_from, written, sorted(loaded.items())))
    key = hashlib.sha256(described.encode("utf-8", "surrogatepass")).hexdigest()[:40]
    entry = cache_root() / "expression-reads" / key
    payload = read_sealed(entry, _KEPT_BYTES)
    if payload is not None and payload.decode("ascii", "replace") in Outside.__members__:
        return Outside[payload.decode("ascii")]
    found = read_beyond(env, written)
    write_sealed(entry, found.name.encode("ascii"))
    return found


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
# literal, then what the statement allows after it (`_CLAUSES`). Anything else starting with
# one of the keywords (a name computed, a list of names, a conditional) is taken as
# unknowable. No nested repetition: a statement is read in one pass, whatever it holds
# (`import a import a ... !` made a pattern of nested repeats backtrack for minutes).
_LOADS = re.compile(r"[-+]?\s*(?:include|import|from|extends)\b")
_LOADS_NAME = re.compile(
    r"""[-+]?\s*(?:include|import|from|extends)\s+(?:"([^"\\]*)"|'([^'\\]*)')"""
)
_WORD = re.compile(r"\s*(\w+|,)")
# What may end a statement after its clauses, once stripped: nothing or a sign (`-%}`,
# `+%}`). Compared after stripping, not matched by a pattern (`\s*[-+]?\s*` backtracked
# over every way to split a run of spaces: seconds for a few thousand).
_ENDS = frozenset({"", "-", "+"})
# What may follow the name: `as NAME`, `import NAMES...` (words and commas, to the end),
# `ignore missing`, `with context`, `without context`.
_CLAUSES: dict[str, str | None] = {
    "as": None,
    "ignore": "missing",
    "with": "context",
    "without": "context",
}


def _one_name(statement: str) -> str | None:
    """The file a statement loads (it begins with a keyword that loads one), or None when
    its name is not one literal or anything else follows that Jinja would not take."""
    named = _LOADS_NAME.match(statement)
    if named is None:
        return None
    at = named.end()
    words = []
    while (found := _WORD.match(statement, at)) is not None:
        words.append(found.group(1))
        at = found.end()
    if statement[at:].strip() not in _ENDS:
        return None
    if words and not statement[named.end()].isspace():
        return None  # the first clause joined to the name
    index = 0
    while index < len(words):
        word = words[index]
        if word == "import":  # the names imported, to the end
            if index + 1 == len(words):
                return None
            break
        if word not in _CLAUSES or index + 1 == len(words):
            return None
        follows = words[index + 1]
        expected = _CLAUSES[word]
        if follows == "," or (expected is not None and follows != expected):
            return None
        index += 2
    return named.group(1) if named.group(1) is not None else named.group(2)


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
    end = 0  # the first closing string at or after `begin` (-1: none is left)
    while at >= 0:
        begin = at + len(opening)
        # One pass: a closing string found is kept for every opening before it, and none
        # found is never looked for again (a find and a slice per opening were quadratic
        # in `{%{%{%...`).
        if 0 <= end < begin:
            end = source.find(closing, begin)
        stop = len(source) if end < 0 else end
        if _LOADS.match(source, begin, stop):  # only a loading statement is sliced
            name = _one_name(source[begin:stop])
            if name is None:
                return None
            names.append(name)
        at = source.find(opening, begin)
    return names
