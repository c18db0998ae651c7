"""guidewright's own docs say what is true.

- The shell sessions the docs and the README show (```console blocks: `$ command`, then its
  output) are run, in order, in a fresh folder per page, and each command must print what
  the page shows; a command must succeed unless the page shows its exit status next
  (`$ echo $?`).
- The README stays short, and its two set-up commands are the scripts CI runs.

(The generated references: tests/test_docs_reference.py.)
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from forked_on_path import guidewright_on_path

REPO = Path(__file__).resolve().parents[1]
PAGES = REPO / "docs" / "pages"
README = REPO / "README.md"

CONSOLE_BLOCK = re.compile(r"^```console\n(.*?)^```$", re.MULTILINE | re.DOTALL)
MARK = "::docs-example {}::"
STATUS = re.compile(r"::docs-status (\d+)::\n")


@dataclass(frozen=True)
class Example:
    """One command of a page's shell session and what the page says it prints."""

    command: str
    output: str


def examples(text: str) -> list[Example]:
    """The commands of a page's ```console blocks, in order, each with its shown output."""
    found: list[Example] = []
    for block in CONSOLE_BLOCK.findall(text):
        command: list[str] = []
        output: list[str] = []
        for line in block.splitlines():
            if line.startswith("$ ") or (command and command[-1].endswith("\\")):
                if line.startswith("$ ") and command and not command[-1].endswith("\\"):
                    found.append(Example("\n".join(command), "\n".join(output)))
                    command, output = [], []
                command.append(line.removeprefix("$ "))
            else:
                output.append(line)
        if command:
            found.append(Example("\n".join(command), "\n".join(output)))
    return found


def pages_with_examples() -> list[Path]:
    pages = [README, *sorted(PAGES.rglob("*.md"))]
    return [page for page in pages if examples(page.read_text("utf-8"))]


def session_env(home: Path, guidewright: Path) -> dict[str, str]:
    """A reader's shell as the pages assume it: guidewright (the folder `guidewright`, of
    forked_on_path.py) and this installation's mkdocs on PATH, a git user, 80 columns,
    nothing of the machine's git or cache configuration."""
    home.mkdir()
    gitconfig = home / ".gitconfig"
    gitconfig.write_text("[user]\n\tname = Ada Lovelace\n\temail = ada@example.invalid\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "XDG_"))}
    env.update(
        PATH=os.pathsep.join((str(guidewright), str(Path(sys.executable).parent), env["PATH"])),
        HOME=str(home),
        GIT_CONFIG_GLOBAL=str(gitconfig),
        GIT_CONFIG_NOSYSTEM="1",
        GUIDEWRIGHT_CACHE_DIR=str(home / "cache"),
        COLUMNS="80",
        TERM="dumb",
        PYTHONUNBUFFERED="1",  # stdout and stderr in the order a terminal shows them
    )
    return env


def session_script(commands: list[Example]) -> str:
    """One bash script running the commands in order: a mark before each, its exit status
    after it (and `$?` left as the command set it, for a shown `echo $?`)."""
    lines = ["exec 2>&1", "status=0"]
    for index, example in enumerate(commands):
        lines.append(f"echo '{MARK.format(index)}'; (exit $status)")
        lines.append(example.command)
        lines.append('status=$?; echo "::docs-status $status::"')
    return "\n".join(lines) + "\n"


def trimmed(text: str) -> str:
    """Text as compared: trailing blanks of each line and trailing empty lines dropped."""
    return "\n".join(line.rstrip() for line in text.splitlines()).rstrip("\n")


def run_session(commands: list[Example], work: Path, home: Path) -> list[tuple[str, str]]:
    """Run the commands in one shell in `work`: what each printed, and its exit status.
    Each `guidewright` is a process of its own forked from the launcher (forked_on_path.py):
    a fresh interpreter's imports, dozens of times a page, were most of the session's
    time; the installed entry point is tested on its own (test_wheel.py, test_interrupts.py)."""
    with guidewright_on_path(home.parent / "bin") as guidewright:
        ran = subprocess.run(
            ["bash", "--noprofile", "--norc"],
            input=session_script(commands),
            cwd=work,
            env=session_env(home, guidewright),
            capture_output=True,
            text=True,
            timeout=300,
        )
    parts = re.split(r"::docs-example (\d+)::\n", ran.stdout)[1:]
    assert len(parts) == 2 * len(commands), ran.stdout
    return [
        (printed, status)
        for printed, status, *_ in (STATUS.split(parts[2 * i + 1]) for i in range(len(commands)))
    ]


@pytest.mark.parametrize(
    "page", pages_with_examples(), ids=lambda page: page.relative_to(REPO).as_posix()
)
def test_the_shell_sessions_of_the_docs_print_what_they_show(page: Path, tmp_path: Path) -> None:
    commands = examples(page.read_text("utf-8"))
    work = tmp_path / "work"
    work.mkdir()
    for index, (example, (printed, status)) in enumerate(
        zip(commands, run_session(commands, work, tmp_path / "home"), strict=True)
    ):
        shows_status = index + 1 < len(commands) and commands[index + 1].command == "echo $?"
        assert trimmed(printed) == trimmed(example.output), f"$ {example.command}"
        assert shows_status or status == "0", f"$ {example.command} exited {status}"


def test_a_console_block_is_read_as_commands_and_their_output() -> None:
    text = "```console\n$ one \\\n    --flag\nout 1\n\n$ two\n```\n\n```bash\n$ not run\n```\n"
    assert examples(text) == [Example("one \\\n    --flag", "out 1\n"), Example("two", "")]


# ---- the README and the two set-up commands ------------------------------------------------


def test_the_readme_is_short_and_its_set_up_is_the_two_scripts_ci_runs() -> None:
    readme = README.read_text("utf-8")
    assert len(readme.splitlines()) <= 200
    set_up = readme.split("\n## Set-up\n", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"^```bash\n(.*?)\n```$", set_up, re.MULTILINE | re.DOTALL)
    assert commands == ["scripts/demo", "scripts/test"]
    ci = (REPO / ".ci" / "run").read_text("utf-8")
    for script in commands:
        assert os.access(REPO / script, os.X_OK), script
        assert re.search(rf"^\s*(bash\s+)?(\./)?{script}\b", ci, re.MULTILINE), script
    code = [line for line in ci.splitlines() if not line.lstrip().startswith("#")]
    assert not any("README" in line for line in code)  # nothing read out of the README's prose
