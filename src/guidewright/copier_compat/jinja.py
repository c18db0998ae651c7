"""Jinja as Copier configures it, so that defaults, conditions and validators give what
plain Copier gives.

Mirrors `copier._main.Worker.jinja_env`: Copier's `SandboxedEnvironment`, the template's
`_envops`, `keep_trailing_newline`, and the jinja2_ansible_filters extension Copier loads.
Why not Copier's: it lives on a worker bound to one destination; guidewright needs one
environment per template version for thousands of pages. Differential tests: every test
that compares a render or a judgement with Copier (tests/test_questionnaire.py,
tests/test_roundtrip.py::test_renderer_equals_copier_for_generated_answers).
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import itertools
import marshal
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Mapping
from contextlib import suppress
from pathlib import Path
from types import CellType, CodeType, FunctionType
from typing import Any

import jinja2
from jinja2 import BaseLoader, FileSystemLoader, Template, TemplateError, nodes
from jinja2.bccache import Bucket, BytecodeCache
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment
from jinja2.utils import _PassArg  # what a filter takes: Jinja's own marker

import guidewright
from guidewright.copier_compat.confinement import judge_path
from guidewright.copier_compat.expression_reads import (
    IMPURE_FILTERS,
    NAMING_FILTERS,
    READING_METHODS,
    Outside,
    kept_read_beyond,
    local_day,
    may_read_outside,
    outside_reads,
    read_beyond,
    strftime,
)
from guidewright.copier_compat.jinja_budget import BudgetedSandbox, rendering
from guidewright.copier_compat.macro_calls import MacroCall, macro_call
from guidewright.copier_compat.nice_yaml import to_nice_yaml
from guidewright.copier_compat.parsed import names_read, parse_tree
from guidewright.core.cache_dir import cache_root, read_sealed, write_sealed
from guidewright.core.errors import InvalidInput

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
    # A loaded template version does not change during a run: Jinja need not stat its files
    # again at each render (rules.jinja at each validator, three per page in `check`; the
    # partials of every page `update` renders). Not an option of the template's.
    reload = {"auto_reload": False}
    undefined = options.get("undefined")
    if isinstance(undefined, str):
        if undefined not in _UNDEFINED:
            allowed = " or ".join(_UNDEFINED)
            raise InvalidInput(f"_envops: undefined: must be {allowed}")
        options["undefined"] = _UNDEFINED[undefined]
    try:
        env = BudgetedSandbox(
            loader=loader,
            extensions=[_EXTENSION],
            bytecode_cache=CompiledCache(options),
            **{**options, **reload},
        )
    except TypeError as error:
        raise InvalidInput(f"_envops: {error}") from error
    env.filters[TRANSLITERATE] = transliterate
    # The same text as the extension's filter, faster: see nice_yaml.py.
    env.filters["to_nice_yaml"] = to_nice_yaml
    # The same text as the extension's, reading a clock tests can set.
    env.filters["strftime"] = strftime
    impure_filters_at_each_render(env)
    return env


def impure_filters_at_each_render(env: jinja2.Environment) -> None:
    """Each of `env`'s filters that reads more than its arguments (IMPURE_FILTERS) called
    at each render (`at_each_render`), so that no compile, kept or not, holds its value."""
    for name in IMPURE_FILTERS & set(env.filters):
        env.filters[name] = at_each_render(env.filters[name])


def at_each_render(function: Callable[..., Any]) -> Callable[..., Any]:
    """`function`, a filter that reads more than its arguments (the clock, randomness, a
    file), called at each render: Jinja folds a filter of constants into the compiled code
    (`"%Y-%m-%d" | strftime` became the day it was compiled, kept by `CompiledCache` for
    every later run), but never one taking the context. One taking the environment or
    the evaluation context (`ans_random`) Jinja folds all the same: it is wrapped too,
    given what it takes from the context."""
    takes = _PassArg.from_obj(function)
    if takes is _PassArg.context:
        return function  # Jinja's `random`: takes the context already

    @jinja2.pass_context
    def rendered(context: Any, *args: Any, **kwargs: Any) -> Any:
        if takes is _PassArg.environment:
            return function(context.environment, *args, **kwargs)
        if takes is _PassArg.eval_context:
            return function(context.eval_ctx, *args, **kwargs)
        return function(*args, **kwargs)

    return rendered


def is_literal(env: jinja2.Environment, source: str) -> bool:
    """Whether `env` renders `source` as itself: no tags, nothing Jinja rewrites."""
    # Called for every value judged (some thousands a site): plain tests, no generator.
    if "\r" in source:
        return False
    statement, comment = env.line_statement_prefix, env.line_comment_prefix
    if (statement and statement in source) or (comment and comment in source):
        return False
    if "\n" in source and (
        env.newline_sequence != "\n"  # every line end is rewritten to it
        or (not env.keep_trailing_newline and source.endswith("\n"))
    ):
        return False
    return not (
        env.block_start_string in source
        or env.variable_start_string in source
        or env.comment_start_string in source
    )


class ConfinedLoader(FileSystemLoader):
    """Jinja's file loader on the template's root that reads no file through a symbolic
    link: `{% include %}` and `{% import %}` name files too. (Jinja itself already refuses
    a `..` segment.)"""

    def __init__(self, root: Path) -> None:
        super().__init__([str(root)])
        self.root = root

    def get_source(self, environment: jinja2.Environment, template: str) -> Any:
        """The source of `template`, once its path is judged."""
        judge_path(self.root, "/".join(split_template_path(template)), "include or import")
        return super().get_source(environment, template)


_EXTENSION = "jinja2_ansible_filters.AnsibleCoreFiltersExtension"


@functools.cache
def folded_versions() -> tuple[str, ...]:
    """Jinja's, guidewright's and its filters' packages' versions (read once a process):
    what the code of a constant filter call, folded when compiled, came from."""
    # Imported here, for start-up speed: a run that compiles nothing through the cache
    # (`check` of pages no validator judges) never reads a package's metadata.
    import importlib.metadata

    versions = [jinja2.__version__, guidewright.__version__]
    for package in _FILTER_PACKAGES:
        try:
            versions.append(f"{package} {importlib.metadata.version(package)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{package} none")
    return tuple(versions)


# Their filters' packages: the Ansible filters, `transliterate`'s, the YAML filters' and
# the escaping Jinja calls.
_FILTER_PACKAGES = ("jinja2_ansible_filters", "text_unidecode", "PyYAML", "MarkupSafe")


class CompiledCache(BytecodeCache):
    """Jinja's compiled code, kept in guidewright's cache folder: a process that judges
    pages compiles the template's rules once per machine, not once per run and worker
    (compiling them costs more than judging a hundred pages).

    Jinja's own file cache unpickles and unmarshals whatever its folder holds, so write
    access to the folder was code execution. An entry here is sealed under this user's
    key (core/cache_dir.py) and read back only when the seal verifies; no pickle at all.
    It names what its code was compiled from (the environment's options, the versions
    of Jinja, guidewright and the filters' packages, the source's checksum, Python's
    bytecode version): an entry moved to another template name, or left by another
    Python, is compiled again. A cache that cannot be read or written,
    or a user without a key, is skipped: it only ever saves time."""

    def __init__(self, options: Mapping[str, Any], compiled_by: str = "") -> None:
        self._settings = repr(sorted((str(k), repr(v)) for k, v in options.items()))
        # Which environment's code: by default the judging one (`copier_environment`).
        self._compiled_by = compiled_by or f"{BudgetedSandbox.__qualname__}|{_EXTENSION}"

    @functools.cached_property
    def scope(self) -> str:
        """What every entry's code was compiled with, worked out on first need: an
        environment that compiles nothing (`check` of pages no validator judges) reads
        no package's version."""
        # The sandbox's own name: its code counts steps, which Jinja's plain code does not.
        # The versions of what its filters run: Jinja folds a constant call into the code
        # (`"Café" | transliterate` is kept as `Cafe`), so an upgrade compiles again.
        versions = "|".join(folded_versions())
        key = f"{versions}|{self._compiled_by}|{self._settings}"
        return hashlib.sha256(key.encode()).hexdigest()[:24]

    @property
    def directory(self) -> Path:
        return cache_root() / "jinja" / self.scope

    def _entry(self, bucket: Bucket) -> Path:
        return self.directory / f"{bucket.key}.code"

    def _header(self, bucket: Bucket) -> bytes:
        """What the code was compiled from, sealed with it."""
        parts = (_ENTRY_FORMAT, self.scope, bucket.key, bucket.checksum)
        return "\0".join(parts).encode() + b"\0" + importlib.util.MAGIC_NUMBER + b"\0"

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        """An entry's key: the template's name alone (`get_bucket`), of any text (a file's
        name may hold bytes that are no UTF-8, which Python keeps as surrogates)."""
        return hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()

    def get_source_checksum(self, source: str) -> str:
        """The source's checksum, of any text (see `get_cache_key`)."""
        return hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()

    def load_bytecode(self, bucket: Bucket) -> None:
        """The bucket's code from its entry, when this user sealed it for this source."""
        payload = read_sealed(self._entry(bucket), ENTRY_BYTES)
        header = self._header(bucket)
        if payload is None or not payload.startswith(header):
            return
        with suppress(ValueError, EOFError, TypeError):
            bucket.code = marshal.loads(payload[len(header) :])  # sealed by us: our own

    def dump_bytecode(self, bucket: Bucket) -> None:
        """The bucket's code sealed into its entry (nothing without a key)."""
        write_sealed(self._entry(bucket), self._header(bucket) + marshal.dumps(bucket.code))

    def get_bucket(
        self, environment: jinja2.Environment, name: str, filename: str | None, source: str
    ) -> Bucket:
        """The bucket of `source`: its code from this process's recent compiles when there
        (RECENTLY_COMPILED), else from its entry. An entry is found by the template's
        name, not its file: each `update` unpacks a template version into a new temporary
        folder, and Copier is handed a new scratch copy of the bundled template at each
        `new`; found by file, each run made entries that no later run found. The source's
        checksum still decides, and code found names the file it is loaded from, as
        compiling it there would."""
        key = self.get_cache_key(name)
        checksum = self.get_source_checksum(source)
        where = "<template>" if filename is None else filename
        compile_key = _compile_key(self.scope, environment, name, source)
        if compile_key is None:
            bucket = Bucket(environment, key, checksum)
            self.load_bytecode(bucket)
        else:
            code = RECENTLY_COMPILED.get(compile_key)
            if code is not None:
                bucket = Bucket(environment, key, checksum)
                bucket.code = code
            else:
                bucket = _RememberedBucket(environment, key, checksum, compile_key, len(source))
                self.load_bytecode(bucket)
                if bucket.code is not None:
                    _remember(compile_key, bucket.code, len(source))
        if bucket.code is not None:
            bucket.code = _located(bucket.code, where)
        return bucket

    def set_bucket(self, bucket: Bucket) -> None:
        """A new compile: remembered for this process, and sealed into its entry."""
        if isinstance(bucket, _RememberedBucket) and bucket.code is not None:
            _remember(bucket.compile_key, bucket.code, bucket.source_size)
        super().set_bucket(bucket)

    def compiled(self, env: jinja2.Environment, source: str) -> Template:
        """`env.from_string(source)`, its code from the cache when there."""
        code = self.code_of(env, source, env.compile)
        return env.template_class.from_code(env, code, env.make_globals(None), None)

    def code_of(
        self,
        env: jinja2.Environment,
        source: str,
        compile_anew: Callable[[str], CodeType],
        *,
        on_disk: bool = True,
    ) -> CodeType:
        """The code `env.compile(source)` gives (a template from a string: no name, no
        file), from the cache when there, else `compile_anew(source)`, then kept: in this
        process only, without `on_disk`."""
        name = f"<string {hashlib.sha256(source.encode('utf-8', 'surrogatepass')).hexdigest()}>"
        if not on_disk:
            compile_key = _compile_key(self.scope, env, name, source)
            code = None if compile_key is None else RECENTLY_COMPILED.get(compile_key)
            if code is None:
                code = compile_anew(source)
                if compile_key is not None:
                    _remember(compile_key, code, len(source))
            return code
        bucket = self.get_bucket(env, name, None, source)
        if bucket.code is None:
            bucket.code = compile_anew(source)
            self.set_bucket(bucket)
        return bucket.code


# 2: the filters reading the clock and the like no longer folded (`at_each_render`): an
# entry of 1 may hold a day, a home folder or a shuffle of the day it was compiled.
_ENTRY_FORMAT = "guidewright-jinja-2"
ENTRY_BYTES = 10_000_000  # a template's largest file compiles to far less


class _RememberedBucket(Bucket):
    """A bucket that knows what its code is compiled from, to remember the code once
    compiled (CompiledCache.set_bucket)."""

    def __init__(
        self,
        environment: jinja2.Environment,
        key: str,
        checksum: str,
        compile_key: Hashable,
        source_size: int,
    ) -> None:
        super().__init__(environment, key, checksum)
        self.compile_key = compile_key
        self.source_size = source_size


def _remember(compile_key: Hashable, code: CodeType, source_size: int) -> None:
    """`code` kept in RECENTLY_COMPILED, counted as what remembering it keeps, about: its
    source (in its key), the code (as marshalled: in memory a few times more) and the
    entry's own objects."""
    size = _ENTRY_OVERHEAD + source_size + _IN_MEMORY * len(marshal.dumps(code))
    RECENTLY_COMPILED.put(compile_key, code, size)


# An entry's key tuple, its place in the ordered dict, the name: some hundreds of bytes.
_ENTRY_OVERHEAD = 512
_IN_MEMORY = 4  # code objects take some four times their marshalled size (measured)


class RecentlyCompiled:
    """Code compiled in this process, by what it is compiled from, the most recently used
    kept within a bound on what they keep (`_remember`: source, code, the entry's own).

    Each environment made for a template version (a new one for each questionnaire
    loaded, each `update` and each `new`) would otherwise read and verify the entries of
    its templates on disk again, or compile them (a compile of rules.jinja costs tens of
    milliseconds). Here the key is what the code depends on, not where the file lies:
    the environment's options and class, its filters and tests (Jinja
    checks their names, and folds constant calls, when it compiles), its extensions, the
    template's name and source. The environment's part is described once per environment
    and shared by every key (`_described`): described in each, 20,000 tiny sources kept
    850 MB. The file's name is set on the code when reused
    (`_located`): Jinja's tracebacks and a template's `filename` read it. A source that
    fails to compile is never kept: compiling it again raises the same error."""

    def __init__(self, most_size: int) -> None:
        self.most_size = most_size
        self._codes: OrderedDict[Hashable, tuple[CodeType, int]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()  # the language server's threads share it
        # A worker forked while another thread held the lock would wait on it for ever.
        os.register_at_fork(after_in_child=self._unlock)

    def _unlock(self) -> None:
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> CodeType | None:
        with self._lock:
            found = self._codes.get(key)
            if found is None:
                return None
            self._codes.move_to_end(key)
            return found[0]

    def put(self, key: Hashable, code: CodeType, size: int) -> None:
        """`code` kept by `key`, `size` counted against the bound (`_remember`)."""
        if size > self.most_size:
            return
        with self._lock:
            replaced = self._codes.pop(key, None)
            if replaced is not None:
                self._size -= replaced[1]
            self._codes[key] = (code, size)
            self._size += size
            while self._size > self.most_size:
                _, (_, dropped) = self._codes.popitem(last=False)
                self._size -= dropped

    def clear(self) -> None:
        with self._lock:
            self._codes.clear()
            self._size = 0

    @property
    def size(self) -> int:
        """The total size counted of what is kept."""
        return self._size

    def __len__(self) -> int:
        return len(self._codes)


# A template's sources are tens of kilobytes, their code some times more: a few versions
# of each fit.
RECENTLY_COMPILED = RecentlyCompiled(most_size=8_000_000)


def _compile_key(scope: str, env: jinja2.Environment, name: str, source: str) -> Hashable | None:
    """What the code Jinja compiles from `source` depends on (RecentlyCompiled); None
    when a filter or test cannot be told apart from another by identity (unhashable)."""
    described = _described(env)
    return None if described is None else (scope, described, name, source)


def _described(env: jinja2.Environment) -> int | None:
    """What the code compiled in `env` depends on besides its options and the source:
    its class, filters, tests (as what they run: `_functions`) and extensions, as a
    number that every environment described alike shares (a key holding the description
    itself would hash all of it at each lookup: 0.09 ms, some 250 a `new`). Described
    once per environment (some 0.7 ms each time), again only when a filter, test or
    extension was set since; None when one cannot be told apart by identity
    (unhashable)."""
    seen = (tuple(env.filters.items()), tuple(env.tests.items()), tuple(env.extensions))
    kept = getattr(env, _DESCRIBED, None)
    if kept is not None and kept[0] == seen:
        return kept[1]  # type: ignore[no-any-return]
    description = (
        type(env),
        _functions(env.filters),
        _functions(env.tests),
        tuple(sorted(env.extensions)),
    )
    described = _DESCRIPTIONS.number(description)
    setattr(env, _DESCRIBED, (seen, described))
    return described


_DESCRIBED = "_guidewright_described"  # set on the environment itself: dropped with it


class _Descriptions:
    """Each description's number: environments alike (one per template version and run)
    share it, as the code kept by it (RECENTLY_COMPILED) is shared. Filters are
    guidewright's and Copier's code, not a template's: a handful of descriptions at most.
    A number is never given twice, also once the descriptions are forgotten."""

    def __init__(self, most: int) -> None:
        self._numbers: dict[Hashable, int] = {}
        self._most = most
        self._next = itertools.count()

    def number(self, description: Hashable) -> int | None:
        """`description`'s number; None when it cannot be hashed."""
        if len(self._numbers) >= self._most:
            self._numbers.clear()  # more than ever expected: sharing with earlier given up
        try:
            return self._numbers.setdefault(description, next(self._next))
        except TypeError:
            return None


_DESCRIPTIONS = _Descriptions(most=64)


def _functions(named: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    """Filters or tests by name, each as what it runs (_function)."""
    return tuple((name, _function(named[name])) for name in sorted(named))


def _function(function: Any, within: frozenset[int] = frozenset()) -> Any:
    """What `function` runs: a `functools.partial` as its function and arguments; a
    function as its module, code, defaults, attributes (Jinja's `pass_context` is one)
    and the values it closes over (jinja2_ansible_filters makes new partials and lambdas
    for each environment, `at_each_render` a new wrapper); any other as itself."""
    if id(function) in within:
        return function  # a function that closes over itself: itself, once inside
    inner = within | {id(function)}
    if isinstance(function, functools.partial):
        # Copier's `to_json` is a partial whose `default` is a partial made anew for each
        # environment: the keywords too are described as what they run.
        keywords = tuple(
            (key, _function(value, inner)) for key, value in sorted(function.keywords.items())
        )
        arguments = tuple(_function(argument, inner) for argument in function.args)
        return (_function(function.func, inner), arguments, keywords)
    if isinstance(function, FunctionType):
        return (
            function.__module__,
            function.__code__,
            function.__defaults__,
            tuple(sorted((function.__kwdefaults__ or {}).items())),
            tuple((key, _function(value, inner)) for key, value in sorted(vars(function).items())),
            tuple(_function(_contents(cell), inner) for cell in function.__closure__ or ()),
        )
    return function


_EMPTY_CELL = object()


def _contents(cell: CellType) -> Any:
    try:
        return cell.cell_contents
    except ValueError:  # a variable not yet bound
        return _EMPTY_CELL


def _located(code: CodeType, filename: str) -> CodeType:
    """`code` as compiling its source from `filename` makes it: the same code, naming
    `filename` (Jinja writes no file name into the Python it generates)."""
    if code.co_filename == filename:
        return code
    consts = tuple(
        _located(const, filename) if isinstance(const, CodeType) else const
        for const in code.co_consts
    )
    return code.replace(co_filename=filename, co_consts=consts)


# The one filter guidewright adds to Copier's. A template guards it, so that plain Copier
# renders too: `(topic | transliterate) if "transliterate" is filter else topic`.
TRANSLITERATE = "transliterate"


def transliterate(text: Any) -> str:
    """`text` in ASCII letters: Café → Cafe, Καλημέρα → Kalemera, 東京 → Dong Jing."""
    from text_unidecode import unidecode

    return str(unidecode(str(text)))


class Expressions:
    """One template's Jinja environment with every source compiled once."""

    def __init__(self, env: SandboxedEnvironment, made_from: object = None) -> None:
        self.env = env
        # What `env` was made from (the template's settings: its options and extensions),
        # which keys the analysis kept in the cache folder (`_reads`); None: not known,
        # nothing is kept.
        self._made_from = made_from
        self._compiled: dict[str, Template] = {}
        self._calls: dict[str, MacroCall | None] = {}  # see copier_compat/macro_calls.py
        self._names: dict[str, tuple[str, ...]] = {}
        self._pure: dict[str, bool] = {}
        self._outside: dict[str, Outside] = {}
        self._beyond: dict[tuple[str, ...], Outside] = {}
        self._reading_nothing: frozenset[str] = frozenset()  # see `reading_nothing`
        self._nothing_found: Callable[[], Iterable[str]] | None = None
        self._nothing_given = False
        self._day: str | None = None  # the day the loaded files were loaded on (`_afresh`)

    def compiled(self, source: str) -> Template:
        """`source` compiled (once)."""
        template = self._compiled.get(source)
        if template is None:
            cache = self.env.bytecode_cache
            template = self._compiled[source] = (
                cache.compiled(self.env, source)
                if isinstance(cache, CompiledCache)
                else self.env.from_string(source)
            )
        return template

    def render(self, source: str, context: Mapping[str, Any]) -> str:
        """`source` rendered with `context`, on a budget (copier_compat/jinja_budget.py):
        raises TemplateError, whatever the template's Jinja does."""
        if self.is_literal(source):
            return source
        reads = self.outside(source)
        if reads:
            self._afresh(reads)
        with rendering():
            if source not in self._calls:
                self._calls[source] = macro_call(self.env, source)
            call = self._calls[source]
            if call is not None:
                return call.render(self.env, context)
            return self.compiled(source).render(**context)

    def _afresh(self, reads: Outside) -> None:
        """The files `render` imports loaded again where they may read another day or
        time than when they were loaded: Jinja keeps an imported file's module, its
        top-level `{% set today = "%Y-%m-%d" | strftime %}` evaluated once, for as long
        as it keeps the file (`auto_reload` is off), which a language server does for
        days. Each new day for a source reading the day; each render for one reading
        the time or anything else."""
        day = local_day() if reads is Outside.DAY else None
        if (day is None or day != self._day) and self.env.cache is not None:
            self.env.cache.clear()
        self._day = day

    def is_literal(self, source: str) -> bool:
        """Whether Jinja would render `source` as itself (no tags, nothing it rewrites):
        most question settings are plain text, and rendering each costs a context."""
        return is_literal(self.env, source)

    def names(self, source: str) -> tuple[str, ...]:
        """The variables `source` reads: a result depends on nothing else."""
        found = self._names.get(source)
        if found is None:
            found = self._names[source] = names_read(self.env, source)
        return found

    def outside(self, *sources: str) -> Outside:
        """What `sources`, and the files they load (a macro of rules.jinja comparing with
        today), read beyond their answers (the clock: copier_compat/expression_reads.py).
        Once per sources: a loaded file changed is another questionnaire."""
        found = self._beyond.get(sources)
        if found is None:
            if self._nothing_found is not None:  # asked once, where one is worked out
                find, self._nothing_found = self._nothing_found, None
                self._reading_nothing = self._reading_nothing.union(find())
            # Plain text (a type's name, a choice, no validator) reads nothing either.
            nothing = self._reading_nothing
            if all(source in nothing or self.is_literal(source) for source in sources):
                found = Outside.NOTHING
            else:
                found = read_beyond(self.env, sources, self._reads)
            self._beyond[sources] = found
        return found

    def reading_nothing(self, find: Callable[[], Iterable[str]]) -> None:
        """`find`: sources that read nothing beyond their answers, the files they load
        included, as an analysis of them all together found (a questionnaire's, kept in
        the cache folder: check/site_check.py), asked the first time `outside` has any
        source to work out. Any of them, alone or together, reads no more, so `outside`
        works none of them out again: parsing the bundled template's validators and
        rules.jinja costs some 35 ms in each process that judges pages, reading the
        questionnaire's answer back 1 ms. The first `find` given stands."""
        if not self._nothing_given:
            self._nothing_found, self._nothing_given = find, True

    def _reads(self, source: str) -> Outside:
        """What `source` reads beyond its answers (once per source). One that may read
        something is parsed at most once a template, not once a run: its analysis is kept
        in the cache folder (`kept_read_beyond`, as `check` keeps the questionnaire's),
        some 40 ms of each `new` for the bundled template's validators. The kept one
        counts the files `source` loads too: `read_beyond` takes those into its answer
        anyway, so the answer is the same."""
        found = self._outside.get(source)
        if found is None:
            if self._made_from is None or not may_read_outside(source):
                found = outside_reads(self.env, source)
            else:
                found = kept_read_beyond(self.env, source, self._made_from)
            self._outside[source] = found
        return found

    def is_pure(self, source: str) -> bool:
        """Whether `source` renders the same text whenever the variables it reads
        (`names`) hold the same values: it is made only of expressions, statements and
        filters that read nothing else (no clock, no randomness, no file, no environment
        variable, no import, no global). What this cannot tell is taken as impure."""
        found = self._pure.get(source)
        if found is None:
            try:
                found = _pure(self.env, parse_tree(self.env, source))
            except TemplateError:
                found = False
            self._pure[source] = found
        return found


# The nodes a pure template may hold: expressions over its variables and constants, and
# the statements that only bind or choose (no import, include, macro, call block or
# extension node). A call is allowed only as a method of a value (`text.split("-")`:
# the sandbox lets only a value's safe methods through); a name Jinja reads may not be
# one of its globals (`lipsum`, `cycler`, `range`...). The methods: expression_reads.py's
# `READING_METHODS`.
_PURE_NODES = (
    nodes.Template,
    nodes.Output,
    nodes.TemplateData,
    nodes.Const,
    nodes.Name,
    nodes.Getattr,
    nodes.Getitem,
    nodes.Slice,
    nodes.Filter,
    nodes.Test,
    nodes.Compare,
    nodes.Operand,
    nodes.CondExpr,
    nodes.BinExpr,
    nodes.UnaryExpr,
    nodes.Concat,
    nodes.List,
    nodes.Tuple,
    nodes.Dict,
    nodes.Pair,
    nodes.Keyword,
    nodes.If,
    nodes.Assign,
    nodes.For,
    nodes.Call,
)
# Tests that read more than a value: `sameas` compares identity (YAML's aliases share one
# object, which equal answers from elsewhere do not).
_IMPURE_TESTS = frozenset({"sameas"})


def _pure(env: SandboxedEnvironment, template: nodes.Template) -> bool:
    known = set(env.filters) - IMPURE_FILTERS
    tests = set(env.tests) - _IMPURE_TESTS
    for node in template.find_all(nodes.Node):
        if not isinstance(node, _PURE_NODES):
            return False
        if isinstance(node, nodes.Call) and not (
            isinstance(node.node, nodes.Getattr) and node.node.attr in READING_METHODS
        ):
            return False
        if isinstance(node, nodes.Name) and node.ctx == "load" and node.name in env.globals:
            return False
        if isinstance(node, nodes.Test) and node.name not in tests:
            return False
        if isinstance(node, nodes.Filter):
            if node.name not in known:
                return False
            at = NAMING_FILTERS.get(node.name)
            if at is not None and not _names_pure(node, at, known, tests):
                return False
    return True


def _names_pure(node: nodes.Filter, at: int, known: set[str], tests: set[str]) -> bool:
    """Whether the filter or test a naming filter (`map`, `select`...) applies, named by
    its argument `at`, is pure, and is not a naming filter itself (whose own argument,
    the filter it would apply, is not looked at)."""
    named = node.args[at] if len(node.args) > at else None
    if not isinstance(named, nodes.Const) or named.value in NAMING_FILTERS:
        return False
    return named.value in known or named.value in tests


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
