"""guidewright's process-wide state, put back as a new process has it.

A command keeps what it learnt for the rest of its process: `functools` caches (a template
version's questionnaire, git's neutral environment taken from os.environ) and module-level
tables (loaded template versions by commit). That is right for one command a process, and
wrong for a test that runs many commands in one process: the second would see what the
first learnt (a template repository since re-tagged, another HOME). `forget_runs` makes
each in-process command start as `guidewright` started afresh would, and leaves nothing of
it to the tests that follow.

The state is found, not listed: every module of the package is imported once (by the
session fixture in conftest, before any test runs) and the contents of its module-level
dicts, lists and sets are recorded; `forget_runs` clears every `functools` cache of those
modules and puts back every such container whose contents changed. A new cache or table
added to guidewright is covered with no edit here. (Not covered: state held on a class or
in an object's attributes, or a module-level name bound anew rather than a container
changed; guidewright keeps two such today.)

core/signals.py's hook for interrupts in finalizers (whether it is set, the hook before it,
an interrupt kept): only the entry point sets it, which an in-process run (Typer's runner)
never calls; the tests that call the entry point in this process put it back with
support.stop_handlers_kept.

The other is kept across runs on purpose: copier_compat/parsed.py's analyses of Jinja
sources, held in an object, each a function of its key alone (keyed by everything the
parse depends on). A new process works out what it holds to the same value, so keeping
it changes no result, only the time: each `new` parses some 120 question sources afresh,
about 40 ms, in every one of the suite's hundreds of in-process runs
(test_parsed.py holds it to that).
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from types import ModuleType
from typing import Any

import guidewright

_MUTABLE = (dict, list, set)
# (container, its contents when recorded), for every module-level container.
_RECORDED: list[tuple[Any, Any]] = []
_MODULES: list[ModuleType] = []
# Every module-level `functools` cache, found once: looking through every module's names
# for them at each forget took a millisecond, twice a command, thousands of times a run.
_CACHES: list[Any] = []


def _all_modules() -> list[ModuleType]:
    names = [
        info.name
        for info in pkgutil.walk_packages(guidewright.__path__, "guidewright.")
        if not info.name.endswith(".__main__")  # importing it runs the command
    ]
    return [guidewright, *(importlib.import_module(name) for name in names)]


def _contents(container: Any) -> Any:
    return dict(container) if isinstance(container, dict) else type(container)(container)


def record_new_process_state() -> None:
    """Import every module of guidewright and record its module-level containers as they
    are right after import. Call once, before any test has run a command."""
    if _MODULES:
        return
    _MODULES.extend(_all_modules())
    seen: set[int] = set()
    for module in _MODULES:
        for value in vars(module).values():
            if isinstance(value, _MUTABLE) and id(value) not in seen:
                seen.add(id(value))
                _RECORDED.append((value, _contents(value)))
            clear = getattr(value, "cache_clear", None)
            if callable(clear) and getattr(value, "__module__", None) == module.__name__:
                _CACHES.append(value)


def _changed(container: Any, recorded: Any) -> bool:
    if len(container) != len(recorded):
        return True
    if isinstance(container, dict):
        return any(container.get(key, _changed) is not value for key, value in recorded.items())
    if isinstance(container, list):
        return any(a is not b for a, b in zip(container, recorded, strict=True))
    return bool(container ^ recorded)


def forget_runs() -> None:
    """Put guidewright's process-wide state back as a new process has it."""
    if not _MODULES:
        raise RuntimeError("record_new_process_state() was not called (conftest's fixture)")
    for cached in _CACHES:
        cached.cache_clear()
    for container, recorded in _RECORDED:
        if _changed(container, recorded):
            container.clear()
            if isinstance(container, list):
                container.extend(recorded)
            else:
                container.update(recorded)
    # A module the walk could not import (none today) would hold state unseen: named.
    known = {id(module) for module in _MODULES}
    unknown = [
        name
        for name, module in list(sys.modules.items())
        if name.startswith("guidewright.")
        and not name.endswith(".__main__")
        and id(module) not in known
    ]
    if unknown:
        raise RuntimeError(f"guidewright modules imported after the record: {unknown}")
