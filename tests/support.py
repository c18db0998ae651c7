"""Helpers the tests share: the repository, an isolated git, sites, template repositories,
the command run in this process or as a real one."""

from __future__ import annotations

import atexit
import contextlib
import functools
import io
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
from copier.__main__ import CopierApp
from process_state import forget_runs
from typer.testing import CliRunner

from guidewright.cli import app, only_the_command
from guidewright.core import signals

REPO = Path(__file__).resolve().parents[1]
SEEDS = Path(__file__).parent / "data" / "seeds"
GUIDE_SEED = SEEDS / "000_1eae67013ceb8768.txt"
TUTORIAL_SEED = SEEDS / "003_04909c2993dcd1a6.txt"
GUIDEWRIGHT = str(Path(sys.executable).parent / "guidewright")
COPIER = str(Path(sys.executable).parent / "copier")
# How long a real process, or a step of one, may take before a test calls it hung. Only a
# hang takes this long, even on a machine loaded many times over: a timeout guards against
# hangs and never decides a result.
HANG = 600


# `python -c ONE_RUN OUT ARGS`: `guidewright ARGS` in a new interpreter, then its exit
# status and every module it imported written to OUT (what a run imports: start-up).
ONE_RUN = """
import json, sys
from guidewright.entry import main
out, sys.argv = sys.argv[1], ["guidewright", *sys.argv[2:]]
try:
    main()
except SystemExit as done:
    code = done.code
with open(out, "w") as stream:
    json.dump([code, sorted(sys.modules)], stream)
"""


def seed_text(content_type: str) -> str:
    if content_type == "guide":
        # The guide seed is UTF-8 that was once read as Mac Roman.
        return GUIDE_SEED.read_text("utf-8").encode("mac_roman").decode("utf-8")
    return TUTORIAL_SEED.read_text("utf-8")


# Each `git commit` (the tests' and the commands') would start `git maintenance run
# --auto` after it, a process that only counts loose objects: no test's site holds
# enough for a gc, and none tests one.
GITCONFIG = (
    "[user]\n\tname = Test Author\n\temail = author@example.invalid\n"
    "[gc]\n\tauto = 0\n[maintenance]\n\tauto = false\n"
)


def isolated_env(home: Path, **extra: str) -> dict[str, str]:
    """No user or system git configuration leaks into a test."""
    gitconfig = home / ".gitconfig"
    if not gitconfig.exists():
        home.mkdir(parents=True, exist_ok=True)
        gitconfig.write_text(GITCONFIG)
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(HOME=str(home), GIT_CONFIG_GLOBAL=str(gitconfig), GIT_CONFIG_NOSYSTEM="1")
    env.update(extra)
    return env


def run_cli(
    *args: str,
    cwd: Path,
    home: Path,
    input: str | None = None,
    env: Mapping[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """`guidewright ARGS` run in this process (Typer's runner against `guidewright.cli.app`,
    narrowed to the command run as `guidewright.cli.main` narrows it: Typer makes that
    command alone, not all of them at 11 ms a run) as a new process would run it: in
    `cwd`, with `isolated_env(home, **env)` as its whole environment, `input` (or
    nothing) on a stdin that is no terminal, guidewright's process-wide state forgotten
    before and after, and an exception that escapes the command shown as Python shows
    it (a traceback on stderr, exit status 1).

    What only a real process has (signals, a terminal, the installed entry point, a fresh
    interpreter's imports) is tested by running `GUIDEWRIGHT`."""
    environment = isolated_env(home, **(env or {}))
    with _as_a_new_process(cwd, environment):
        command = only_the_command(app, list(args))
        result = _RUNNER.invoke(command, list(args), input=input, prog_name="guidewright")
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += "".join(traceback.format_exception(*result.exc_info))
    return subprocess.CompletedProcess(
        [GUIDEWRIGHT, *args], result.exit_code, result.stdout, stderr
    )


_RUNNER = CliRunner()


def run_copier(*args: str, cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    """`copier ARGS` (Copier's own command line, the installed `COPIER`'s entry point) run in
    this process as a new process would run it, as `run_cli` runs guidewright: the
    differential tests run Copier once a page, and Copier's imports alone are about a third
    of the time it takes to update one page. An exception that escapes
    Copier's command line is shown as Python shows it (a traceback, exit status 1)."""
    stdout, stderr = io.StringIO(), io.StringIO()
    with (
        _as_a_new_process(cwd, isolated_env(home)),
        contextlib.redirect_stdout(stdout),
        contextlib.redirect_stderr(stderr),
    ):
        try:
            _, code = CopierApp.run(["copier", *args], exit=False)
        except Exception:
            traceback.print_exc()
            code = 1
    return subprocess.CompletedProcess([COPIER, *args], code, stdout.getvalue(), stderr.getvalue())


@contextlib.contextmanager
def _as_a_new_process(cwd: Path, environment: Mapping[str, str]) -> Iterator[None]:
    """The working folder, the environment (os.environ, and plumbum's copy of it, which
    Copier's git calls use) and guidewright's process-wide state of a new process, and this
    process's own back afterwards, signal handlers included."""
    outer_cwd, outer_environ = os.getcwd(), dict(os.environ)
    forget_runs()
    try:
        with stop_handlers_kept():
            os.chdir(cwd)
            _set_environment(environment)
            yield
    finally:
        os.chdir(outer_cwd)
        _set_environment(outer_environ)
        forget_runs()


@contextlib.contextmanager
def stop_handlers_kept() -> Iterator[None]:
    """This process's SIGINT and SIGTERM handlers, and its hook for what finalizers
    raise, back after the block: a command run in it sets its own, and the entry point
    ignores both signals once its command is over."""
    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    unraisable = sys.unraisablehook
    hook_state = {name: getattr(signals, name) for name in _HOOK_STATE}
    try:
        yield
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)
        sys.unraisablehook = unraisable
        for name, value in hook_state.items():
            setattr(signals, name, value)


# What core/signals.py's hook for finalizers keeps of its own: whether it is set, the hook
# it hands reports to, an interrupt not raised yet.
_HOOK_STATE = ("_installed", "_unraisable_before", "_pending")


def _set_environment(environment: Mapping[str, str]) -> None:
    os.environ.clear()
    os.environ.update(environment)
    plumbum = sys.modules.get("plumbum.machines.local")
    if plumbum is not None:  # imported by Copier, with a copy of os.environ as it was then
        plumbum.local.env.clear()
        plumbum.local.env.update(**environment)


# The note Python 3.12 and later add to an exception raised in a descriptor's
# __set_name__ (3.11 wraps it in a RuntimeError): a Ctrl-C while a class is made, such as
# an enum of `re`, which the launcher pip writes imports first (seen in 3.13.0).
_SET_NAME_NOTE = re.compile(r"\nError calling __set_name__ on [^\n]*\Z")


def stopped_before_guidewright(stderr: str) -> bool:
    """Whether the run was stopped by Python itself, before any guidewright code ran: a
    Ctrl-C in the first milliseconds lands in the interpreter's start-up ("Fatal Python
    error: init_import_site", exit 1) or in the launcher pip writes (`import re`, a
    traceback), as for every console script (copier's, pip's); no code of ours runs yet
    to catch it (3.13 prints the threads' stacks after that fatal error, none holding a
    frame). Python 3.13 may print the bare exception, no frame at all: stopped in
    the import machinery, whose frames it hides (seen 18 ms after the start, exit 1).
    The launcher's `from guidewright.entry import main` runs the package's and the entry
    module's own top lines first (`import signal`): Ctrl-C there is before the `try` in
    `main` that catches it, so those frames are not code of ours that could (seen under
    load: a traceback ending in entry.py's `import signal`)."""
    frames = [line for line in stderr.splitlines() if line.lstrip().startswith('File "')]
    loading = ('/guidewright/__init__.py"', '/guidewright/entry.py"')
    ours = [
        line
        for line in frames
        if "/guidewright/" in line
        and not (line.endswith(", in <module>") and any(name in line for name in loading))
    ]
    bare = stderr.strip() == "KeyboardInterrupt"
    told = _SET_NAME_NOTE.sub("", stderr.rstrip())
    ends_interrupted = (bool(frames) or bare) and told.endswith("KeyboardInterrupt")
    # Python 3.13 follows the fatal error with the threads' stacks ("<no Python frame>").
    # Its start-up stopped earlier, in init_sys_streams, fails on what the interrupt left
    # of `io` half imported (a TypeError in "<frozen io>", seen once in 3.13.0), not on
    # the KeyboardInterrupt: a fatal error of the interpreter's own start-up (init_...)
    # is one whatever it names.
    fatal = stderr.startswith("Fatal Python error: init_") and (
        "\nKeyboardInterrupt\n" in stderr or "Python runtime state: core initialized" in stderr
    )
    return (ends_interrupted or fatal) and not ours


# What Python prints where it reports a KeyboardInterrupt and discards it, going on as if
# none had come: raised inside the import machinery's module-lock callback (a weakref
# callback) before the entry point has set its hook that raises it again (the
# interpreter's own start-up imports, core/signals.py's), or while the interpreter,
# starting, checks whether the script's folder is an import path entry (Modules/main.c
# prints the line first, then the exception).
_DROPPED_BY_PYTHON = re.compile(
    r"(?:Exception ignored in: <function _get_module_lock\.<locals>\.cb at 0x[0-9a-f]+>\n"
    r"|Failed checking if argv\[0\] is an import path entry\n)"
    r"Traceback \(most recent call last\):\n"
    r'(?:  File "<frozen importlib\._bootstrap(?:_external)?>", line \d+, in \w+\n)+'
    r"KeyboardInterrupt(?:: ?)?\n"
)


def dropped_by_python(stderr: str) -> bool:
    """Whether Python itself dropped the Ctrl-C, and the run went on as if none had come:
    raised while an import's module lock was released, or while the starting interpreter
    looked at the script's folder, the KeyboardInterrupt is printed and discarded, never
    inside code of ours. Seen under load at the start of `update` and of `adopt`. What
    else the run printed is its own (adopt's notes), with no other traceback. Both come
    before any code of ours can take them back."""
    rest = _DROPPED_BY_PYTHON.sub("", stderr)
    return rest != stderr and "Traceback" not in rest


def git(cwd: Path, home: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, env=isolated_env(home), check=True, capture_output=True, text=True
    ).stdout


def make_template_repo(root: Path, home: Path) -> Path:
    """The project's template as a git repository with one tagged version, v1."""
    repo = root / "template-repo"
    repo.mkdir()
    shutil.copy(REPO / "copier.yml", repo / "copier.yml")
    shutil.copytree(REPO / "template", repo / "template")
    git(repo, home, "init", "-q", "-b", "main")
    git(repo, home, "add", "-A")
    git(repo, home, "commit", "-q", "-m", "v1")
    git(repo, home, "tag", "v1")
    return repo


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(root).parts
    }


def make_site(root: Path) -> Path:
    (root / "docs" / "fundamentals").mkdir(parents=True)
    (root / "docs" / "practice").mkdir()
    (root / "docs" / "index.md").write_text("# Home\n")
    (root / "docs" / "fundamentals" / "index.md").write_text("# Fundamentals\n")
    (root / "docs" / "practice" / "topic-problems.md").write_text("# Problems\n")
    return root


GUIDE_ARGS = (
    "new-guide",
    "--defaults",
    "--topic",
    "Caching Strategies",
    "--section",
    "system-design",
    "--tag",
    "caching",
    "--tag",
    "performance",
    "--objective",
    "Explain cache invalidation",
    "--objective",
    "Choose a write policy",
    "--contributor",
    "Ada Lovelace",
    "--content-owner",
    "platform-team",
    "--last-updated",
    "2026-01-31",
    "--prerequisite",
    "fundamentals/index.md",
    "--related",
    "practice/topic-problems.md",
)


def site_with_a_guide_in_a_subfolder(repository: Path, home: Path) -> Path:
    """A git repository at `repository` whose site is its `website/` folder, with one guide
    (GUIDE_ARGS); returns the site. How CI meets a site: below the repository's root.

    A copy of the one `_guide_in_a_subfolder` made: every one made holds the same bytes
    (nothing in it names where it is), and `new-guide` through Copier took 0.2 s of CPU
    each time, a copy a few milliseconds."""
    isolated_env(home)  # the git configuration the caller's next git commands use
    shutil.copytree(_guide_in_a_subfolder(), repository, symlinks=True, dirs_exist_ok=True)
    return repository / "website"


def folder_for_the_process(prefix: str) -> Path:
    """A new temporary folder, removed when the process ends: for what a cached helper,
    out of reach of pytest's fixtures, makes once a process."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


@functools.cache
def _guide_in_a_subfolder() -> Path:
    """site_with_a_guide_in_a_subfolder's repository, made once a process in a temporary
    folder removed when the process ends."""
    folder = folder_for_the_process("guidewright-tests-")
    repository, home = folder / "repository", folder / "home"
    site = make_site(repository / "website")
    git(repository, home, "init", "-q")
    assert run_cli(*GUIDE_ARGS, "--dest", str(site), cwd=site, home=home).returncode == 0
    return repository


TUTORIAL_ARGS = (
    "new-tutorial",
    "--defaults",
    "--topic",
    "Rate Limiter",
    "--section",
    "coding",
    "--tag",
    "hands-on",
    "--tag",
    "coding",
    "--tag",
    "aws",
    "--objective",
    "Build a token bucket",
    "--skill",
    "rate limiting",
    "--skill",
    "load testing",
    "--contributor",
    "Grace Hopper",
    "--content-owner",
    "platform-team",
    "--last-updated",
    "2026-12-15",
    "--difficulty",
    "advanced",
    "--estimated-time",
    "90 min",
    "--prerequisite",
    "fundamentals/index.md",
    "--related",
    "practice/topic-problems.md",
    "--related",
    "index.md",
)


def commit_all(path: Path, home: Path, message: str, *, init: bool = False) -> None:
    """Commit everything in `path` (a new repository first, with `init`)."""
    if init:
        git(path, home, "init", "-q")
    git(path, home, "add", "-A")
    git(path, home, "commit", "-q", "-m", message)


def copied(folder: Path, target: Path) -> Path:
    """`target`: a copy of `folder` as `shutil.copytree(folder, target, symlinks=True)`
    makes it (links as links, modes and times kept), made by `cp -a`: a test that copies
    a site of a thousand files before each run paid twice the CPU in Python's per-file
    copying."""
    subprocess.run(["cp", "-a", "--", str(folder), str(target)], check=True, timeout=HANG)
    return target


@contextlib.contextmanager
def ctrl_c_as_from_a_terminal() -> Iterator[None]:
    """Python's own Ctrl-C handler for the block, as a process started from a terminal has
    it: a test run started with SIGINT ignored (a shell's background job) would otherwise
    make an in-process Ctrl-C do nothing, and a run under test rightly goes on ignoring it."""
    ignored = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, ignored)


def files_flushed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths of the files flushed to the disk (os.fsync) from now on in this test, each
    still flushed: to see what a command leaves unflushed."""
    flushed: list[str] = []
    flush = os.fsync

    def noted(handle: int) -> None:
        flushed.append(os.readlink(f"/proc/self/fd/{handle}"))
        flush(handle)

    monkeypatch.setattr(os, "fsync", noted)
    return flushed
