"""`copier copy` as `copier.run_copy` runs it, its Jinja compiled once a machine rather
than once a run.

Mirrors `copier._main.run_copy`: the same `Worker`, given the same arguments. Three
differences, none in what is made. Copier's Template reads copier.yml with libyaml's
parser (config.py's `copier_raw_config`: Copier's own read, line for line, 11 ms less of
each `new`). It tells a folder no git command can see as a repository from one git must
be asked about (`unversioned_folder`: the bundled template's copy, 9 ms less). And
Copier's Jinja environment (`Worker.jinja_env`, made on first need) compiles through
guidewright's sealed cache (jinja.py's `CompiledCache`), as the judging environment
does. Copier compiles every templated value of every question anew at each run (the
`str` of `type: str` included): some 250 compiles for the bundled
template, 0.09 s of the 0.15 s of CPU a `new` spends in Copier once its modules are
loaded. A filter that reads the clock, randomness or the file system is called at each
render (`impure_filters_at_each_render`), as in judging: Jinja folds a constant call
into the code, which a kept compile would keep for later days and other folders.

Differential tests: tests/test_copier_compat.py::test_plain_copier_copy_writes_the_same_document
and tests/test_copier_copy.py (a copy here and plain `copier.run_copy`, byte for byte,
from a cold and from a warm cache; copier.yml read as Copier reads it; `Template.vcs`
as Copier works it out for every kind of folder).
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from guidewright.copier_compat.config import copier_raw_config
from guidewright.copier_compat.jinja import (
    CompiledCache,
    impure_filters_at_each_render,
    is_literal,
)

if TYPE_CHECKING:
    from types import CodeType

    import jinja2
    from copier._main import Worker
    from copier._template import Template
    from jinja2.bccache import Bucket
    from jinja2.sandbox import SandboxedEnvironment


def run_copy(
    src_path: str,
    dst_path: Path,
    data: Mapping[str, Any],
    *,
    answers_file: str,
    vcs_ref: str | None,
) -> None:
    """`copier.run_copy(src_path, dst_path, data=data, answers_file=answers_file,
    vcs_ref=vcs_ref, defaults=True, quiet=True, unsafe=False, overwrite=True)`: every
    answer given, nothing asked, no task or extension run."""
    with _worker_class()(
        src_path=src_path,
        dst_path=dst_path,
        data=dict(data),
        answers_file=Path(answers_file),
        vcs_ref=vcs_ref,
        defaults=True,
        quiet=True,
        unsafe=False,
        overwrite=True,
    ) as worker:
        worker.run_copy()


@functools.cache
def _worker_class() -> type[Worker]:
    """Copier's `Worker`, its environment compiling through the cache when made: as Copier
    makes it, after `run_copy` has refused a template whose `_jinja_extensions` (modules
    to import) or tasks it was not told to trust, not before."""
    from copier._main import Worker  # slow to import: only creation needs it

    template_class = _template_class()

    class CompilingOnce(Worker):
        @functools.cached_property
        def jinja_env(self) -> Any:  # Copier's own sandbox class (copier._jinja_ext in 9.19)
            env = super().jinja_env
            compile_once(env, self.template.envops)
            return env

        @functools.cached_property
        def template(self) -> Any:
            """`Worker.template`, line for line, its Template reading copier.yml with
            libyaml (`_template_class`)."""
            url = self.src_path
            if not url:
                if self.subproject.template is None:
                    raise TypeError("Template not found")
                url = str(self.subproject.template.url)
            ref = self.resolved_vcs_ref
            result = template_class(url=url, ref=ref, use_prereleases=self.use_prereleases)
            self._cleanup_hooks.append(result._cleanup)
            return result

    return CompilingOnce


@functools.cache
def _template_class() -> type[Template]:
    """Copier's `Template`, with two of its properties worked out with less: its
    `_raw_config` (`Template._raw_config`, line for line) reads copier.yml with
    config.py's `copier_raw_config`, Copier's own read with libyaml's parser (2 ms of a
    `new` rather than 13); its `vcs` answers without git where no repository can be
    (`unversioned_folder`: three git processes, some 9 ms of a `new`)."""
    from copier._template import Template
    from copier.errors import MultipleConfigFilesError

    class ReadQuickly(Template):
        @functools.cached_property
        def vcs(self) -> Any:
            """`Template.vcs`: None for a folder no git command can see as a repository
            or a bundle, else Copier's own answer."""
            from plumbum import local  # Copier's git runs with plumbum's environment

            if unversioned_folder(self.url, local.env.getdict()):
                return None
            return super().vcs

        @functools.cached_property
        def _raw_config(self) -> dict[str, Any]:
            conf_paths = [
                p
                for p in self.local_abspath.glob("copier.*")
                if p.is_file() and re.match(r"\.ya?ml", p.suffix, re.IGNORECASE)
            ]
            if len(conf_paths) > 1:
                raise MultipleConfigFilesError(conf_paths)
            if len(conf_paths) == 1:
                return copier_raw_config(conf_paths[0])
            return {}

    return ReadQuickly


def unversioned_folder(url: str, environment: Mapping[str, str]) -> bool:
    """Whether `copier._vcs.get_repo(url)` is None without asking git: `url` is a folder
    by its absolute path (none of Copier's git prefixes, aliases or `.git` suffix); no
    folder from it up holds a `.git` or is itself a repository's git folder (a `HEAD`:
    a bare repository, which `core.worktree` may point anywhere); and no variable of
    `_FOUND_ELSEWHERE` is set. Copier's `is_git_repo_root` (`git rev-parse
    --show-toplevel` there) then fails, for git finds a repository only by those; and
    `is_git_bundle` (`git bundle verify`) refuses any folder. One difference: where git
    cannot run at all there (a broken configuration file), Copier's `git init` fails the
    copy, and here the copy goes on, of a folder that holds no repository either way."""
    path = Path(url)
    if not path.is_absolute() or url.endswith(".git"):
        return False
    if any(name in environment for name in _FOUND_ELSEWHERE):
        return False
    try:
        path = path.resolve(strict=True)  # git walks up the real folders, as getcwd has them
    except (OSError, RuntimeError):
        return False
    if not path.is_dir():
        return False
    folders = (path, *path.parents)
    return not any(os.path.lexists(folder / mark) for folder in folders for mark in _MARKS)


# What makes a folder a repository's, or the git folder of one, where git looks.
_MARKS = (".git", "HEAD")
# The variables that name a repository, or its work tree, from elsewhere.
_FOUND_ELSEWHERE = ("GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR")


def compile_once(env: SandboxedEnvironment, envops: Mapping[str, Any]) -> None:
    """`env`, Copier's environment for a template with `envops`, compiling what it
    compiled before from the cache: its templated values (`from_string`) and its files
    (the loader's). Not an environment with extensions of a (trusted) template's own:
    the filters they add are code that no key of the cache describes."""
    import copier
    from copier._jinja_ext import YieldExtension
    from jinja2_ansible_filters import AnsibleCoreFiltersExtension

    if {type(extension) for extension in env.extensions.values()} != {
        YieldExtension,
        AnsibleCoreFiltersExtension,
    }:
        return
    impure_filters_at_each_render(env)
    made_by = f"{type(env).__module__}.{type(env).__qualname__}"
    extensions = ",".join(sorted(env.extensions))
    compiled_by = f"copier {copier.__version__}|{made_by}|{extensions}"
    cache = _PreprocessedWhenFound(envops, compiled_by=compiled_by)
    env.bytecode_cache = cache
    compile_anew = env.compile

    def compile(  # Environment.compile's own signature
        source: str,
        name: str | None = None,
        filename: str | None = None,
        raw: bool = False,
        defer_init: bool = False,
    ) -> CodeType | str:
        # Anything but a plain string (Copier hands its values to `from_string` and takes
        # the TypeError of a list or a number as "not a template") goes to Jinja itself.
        plain = isinstance(source, str) and name is None and filename is None
        if not plain or raw or defer_init:
            return compile_anew(source, name, filename, raw, defer_init)  # type: ignore[call-overload,no-any-return]
        compiled: list[str] = []

        def compile_here(text: str) -> CodeType:
            compiled.append(text)
            return compile_anew(text)

        # Text Jinja renders as itself (`str`, a choice) is kept in this process only: a
        # new page's answers file's path is such text, one entry a page on disk that no
        # later run would read.
        on_disk = not is_literal(env, source)
        code = cache.code_of(env, source, compile_here, on_disk=on_disk)
        if not compiled:
            env.preprocess(source)  # see _PreprocessedWhenFound
        return code

    # `from_string` calls `self.compile(source)`: this environment's alone is replaced.
    setattr(env, "compile", compile)  # noqa: B010 -- mypy refuses assigning a method


class _PreprocessedWhenFound(CompiledCache):
    """The cache, an extension's `preprocess` run for a template whose code it found, as
    compiling it would have: Copier's `{% yield %}` starts its context afresh there, and
    each path with a `yield` is compiled again for each value it yields."""

    def get_bucket(
        self, environment: jinja2.Environment, name: str, filename: str | None, source: str
    ) -> Bucket:
        bucket = super().get_bucket(environment, name, filename, source)
        if bucket.code is not None and filename is not None:  # a file the loader read
            environment.preprocess(source, name, filename)
        return bucket
