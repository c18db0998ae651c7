"""Fixtures only; the helpers the tests import live in support.py."""

from __future__ import annotations

import gc
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from built_once import built_once
from edited_guides import edited_site_in, make_edited_site
from forked_command import stop_launcher
from process_state import record_new_process_state
from scheduling import pytest_collection_modifyitems  # noqa: F401  (the hook: long tests first)
from support import REPO, make_site


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path / "site")


@pytest.fixture(scope="session")
def template_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's template as a plain folder (Copier clones git folders: slower)."""
    target = tmp_path_factory.mktemp("template")
    shutil.copy(REPO / "copier.yml", target / "copier.yml")
    shutil.copytree(REPO / "template", target / "template")
    return target


@pytest.fixture(autouse=True, scope="session")
def _template_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """In-process checks cache template versions here, not in the user's cache, and seal
    compiled Jinja with a key made here, not in the user's configuration folder."""
    os.environ["GUIDEWRIGHT_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    os.environ["XDG_CONFIG_HOME"] = str(tmp_path_factory.mktemp("config"))


@pytest.fixture(autouse=True, scope="session")
def _new_process_state() -> None:
    """What a new process holds, recorded before any test runs a command in this one."""
    record_new_process_state()


@pytest.fixture(autouse=True, scope="session")
def _collected_heap_frozen(_new_process_state: None) -> None:
    """What collection and the imports above made (modules, the tests, their strategies:
    objects that live to the end) moved out of the cyclic garbage collector's sight, as
    gc.freeze is meant for: each full collection walked them all again, some 4% of the
    suite's CPU (measured: 2.6 s of 46 s on six allocation-heavy files). What no test
    sees changes: a frozen object is still freed when nothing refers to it (a frozen cycle
    would stay, as the run's own objects do anyway), and every object a test makes is
    collected as before."""
    gc.collect()
    gc.freeze()


# Set when core/parallel.py unfreezes the heap (see `_heap_frozen_again`).
_UNFROZEN: list[bool] = []


@pytest.fixture(autouse=True, scope="session")
def _unfreezing_seen() -> Iterator[None]:
    """gc.unfreeze, as the commands call it, noted: gc.get_freeze_count walks every frozen
    object to count them (CPython 3.11), 6% of the suite's CPU when asked after each test."""
    unfreeze = gc.unfreeze

    def noted() -> None:
        unfreeze()
        _UNFROZEN.append(True)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(gc, "unfreeze", noted)
        yield


@pytest.fixture(autouse=True)
def _heap_frozen_again(_collected_heap_frozen: None, _unfreezing_seen: None) -> Iterator[None]:
    """The freeze above made again after a test whose command forked workers in this
    process: core/parallel.py freezes the heap for the fork and unfreezes it after, which
    unfreezes the collected heap too, and every full collection of the rest of the run
    walked it again."""
    yield
    if _UNFROZEN:
        _UNFROZEN.clear()
        gc.collect()
        gc.freeze()


@pytest.fixture(scope="session")
def edited_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """edited_guides.py's site, built once a run (built_once.py) for the modules that use
    it: about 3 s of CPU a build. Every worker reads the same site and template repository;
    a test copies the site before it changes it, and one that changes the template works
    on its own copy of it (edited_guides.with_own_template)."""
    return edited_site_in(built_once(tmp_path_factory, "edited-site", make_edited_site))


@pytest.fixture(autouse=True, scope="session")
def _launcher() -> Iterator[None]:
    """forked_command.py's launcher, started by the first forked run, stopped and waited
    for at the end: the CPU time of the runs it forked is then counted as this process's
    children's, as for runs started with Popen."""
    yield
    stop_launcher()
