"""A composite GitHub Action run as the runner runs it, for tests of `action.yml`.

What the runner does for a composite action's steps, and only that: inputs with their
defaults, `${{ }}` expressions (contexts `inputs`, `github`, `steps`, `env`; operators
`||`, `&&`, `==`, `!=`, `!`, parentheses; functions `always()`, `success()`,
`failure()`, `format()`), each `run:` step in `bash --noprofile --norc -eo pipefail` with
the environment GitHub sets (`GITHUB_WORKSPACE`, `GITHUB_ACTION_PATH`, `GITHUB_OUTPUT`,
`GITHUB_PATH`, ...) in the workspace, step outputs read back from `GITHUB_OUTPUT`, and
`PATH` grown from `GITHUB_PATH`. A `uses:` step is recorded with its evaluated `with:`,
not run (it is another action: code scanning's upload has no local equivalent).
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from support import HANG


@dataclass
class StepRun:
    name: str
    returncode: int | None  # None: skipped by its `if:`
    stdout: str = ""
    stderr: str = ""
    uses: str = ""
    with_: dict[str, str] = field(default_factory=dict)


@dataclass
class ActionRun:
    steps: list[StepRun]
    outputs: dict[str, str]

    @property
    def failed(self) -> bool:
        return any(step.returncode not in (0, None) for step in self.steps)

    def step(self, name: str) -> StepRun:
        (found,) = [step for step in self.steps if step.name == name]
        return found


_TOKEN = re.compile(
    r"\s*(?:(?P<op>\|\||&&|==|!=|\(|\)|,|!)|'(?P<text>(?:[^']|'')*)'"
    r"|(?P<number>-?\d+(?:\.\d+)?)|(?P<name>[A-Za-z_][\w-]*(?:\.[\w-]+)*))"
)


class _Expression:
    """One `${{ }}` expression evaluated over the contexts (values are strings)."""

    def __init__(self, text: str, contexts: Mapping[str, Any], failed: bool) -> None:
        self.tokens: list[tuple[str, str]] = []
        at = 0
        text = text.strip()
        while at < len(text):
            match = _TOKEN.match(text, at)
            assert match and match.end() > at, f"cannot read expression at: {text[at:]!r}"
            kind = match.lastgroup
            assert kind is not None
            value = match.group(kind)
            self.tokens.append((kind, value.replace("''", "'") if kind == "text" else value))
            at = match.end()
        self.contexts, self.failed, self.at = contexts, failed, 0

    def value(self) -> str:
        result = self._or()
        assert self.at == len(self.tokens), f"unread: {self.tokens[self.at :]}"
        return result

    def _peek(self) -> tuple[str, str] | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def _take(self, op: str) -> bool:
        if self._peek() == ("op", op):
            self.at += 1
            return True
        return False

    def _or(self) -> str:
        left = self._and()
        while self._take("||"):
            right = self._and()
            left = left if _truthy(left) else right
        return left

    def _and(self) -> str:
        left = self._equality()
        while self._take("&&"):
            right = self._equality()
            left = right if _truthy(left) else left
        return left

    def _equality(self) -> str:
        left = self._unary()
        for op in ("==", "!="):
            if self._take(op):
                same = left.casefold() == self._unary().casefold()  # GitHub: case-insensitive
                return "true" if same == (op == "==") else ""
        return left

    def _unary(self) -> str:
        if self._take("!"):
            return "" if _truthy(self._unary()) else "true"
        return self._primary()

    def _primary(self) -> str:
        token = self._peek()
        assert token is not None, "expression ends early"
        self.at += 1
        kind, value = token
        if (kind, value) == ("op", "("):
            inner = self._or()
            assert self._take(")")
            return inner
        if kind in ("text", "number"):
            return value
        assert kind == "name", token
        if self._take("("):
            arguments = []
            while not self._take(")"):
                arguments.append(self._or())
                self._take(",")
            return self._call(value, arguments)
        if value in ("true", "false"):
            return "true" if value == "true" else ""
        found: Any = self.contexts
        for part in value.split("."):
            found = found.get(part, "") if isinstance(found, Mapping) else ""
        return str(found)

    def _call(self, name: str, arguments: list[str]) -> str:
        if name == "always":
            return "true"
        if name == "success":
            return "" if self.failed else "true"
        if name == "failure":
            return "true" if self.failed else ""
        if name == "format":
            return re.sub(r"\{(\d+)\}", lambda m: arguments[int(m.group(1)) + 1], arguments[0])
        raise AssertionError(f"function not emulated: {name}")


def _truthy(value: str) -> bool:
    return value not in ("", "false", "0")


def evaluate(text: str, contexts: Mapping[str, Any], failed: bool = False) -> str:
    """A value with its `${{ }}` expressions replaced."""
    return re.sub(
        r"\$\{\{(.*?)\}\}", lambda m: _Expression(m.group(1), contexts, failed).value(), text
    )


def _condition(text: str | None, contexts: Mapping[str, Any], failed: bool) -> bool:
    if text is None:
        return not failed  # `success()`, the default
    inner = text.strip()
    if inner.startswith("${{"):
        inner = inner.removeprefix("${{").removesuffix("}}")
    if not re.search(r"\b(always|success|failure)\(", inner):
        inner = f"success() && ({inner})"
    return _truthy(_Expression(inner, contexts, failed).value())


def run_composite_action(
    action_path: Path,
    inputs: Mapping[str, str],
    workspace: Path,
    env: Mapping[str, str],
    scratch: Path,
    github: Mapping[str, str] | None = None,
) -> ActionRun:
    """Run the composite action at `action_path` (its folder) in `workspace`."""
    action = yaml.safe_load((action_path / "action.yml").read_text("utf-8"))
    assert action["runs"]["using"] == "composite"
    given = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}
    unknown = set(inputs) - set(given)
    assert not unknown, f"inputs the action does not declare: {unknown}"
    given.update(inputs)
    github_context = {
        "workspace": str(workspace),
        "action_path": str(action_path),
        "server_url": "https://github.com",
        "action_repository": "example/guidewright",
        "action_ref": "v1",
        **(github or {}),
    }
    steps_context: dict[str, dict[str, dict[str, str]]] = {}
    contexts: dict[str, Any] = {
        "inputs": given,
        "github": github_context,
        "steps": steps_context,
        "env": dict(env),
    }
    scratch.mkdir(parents=True, exist_ok=True)
    path_file = scratch / "github_path"
    path_file.write_text("")
    runs: list[StepRun] = []
    for number, step in enumerate(action["runs"]["steps"]):
        name = step.get("name", f"step {number}")
        failed = any(run.returncode not in (0, None) for run in runs)
        if not _condition(step.get("if"), contexts, failed):
            runs.append(StepRun(name, None))
            continue
        if "uses" in step:
            with_ = {
                key: evaluate(str(value), contexts) for key, value in step.get("with", {}).items()
            }
            runs.append(StepRun(name, 0, uses=step["uses"], with_=with_))
            continue
        assert step.get("shell") == "bash", "a composite run step names its shell"
        output_file = scratch / f"output-{number}"
        output_file.write_text("")
        added = [line for line in path_file.read_text().splitlines() if line]
        environment = {
            **env,
            "GITHUB_ACTIONS": "true",
            "CI": "true",
            "GITHUB_WORKSPACE": str(workspace),
            "GITHUB_ACTION_PATH": str(action_path),
            "GITHUB_OUTPUT": str(output_file),
            "GITHUB_PATH": str(path_file),
            "GITHUB_ENV": str(scratch / "github_env"),
            "GITHUB_STEP_SUMMARY": str(scratch / "step_summary"),
            "RUNNER_TEMP": str(scratch),
            **{key: evaluate(str(value), contexts) for key, value in step.get("env", {}).items()},
        }
        environment["PATH"] = ":".join([*reversed(added), environment.get("PATH", "")])
        script = scratch / f"step-{number}.sh"
        script.write_text(evaluate(step["run"], contexts), "utf-8")
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=workspace,
            env=environment,
            capture_output=True,
            text=True,
            timeout=HANG,
        )
        runs.append(StepRun(name, done.returncode, done.stdout, done.stderr))
        if "id" in step:
            outputs = dict(
                line.split("=", 1) for line in output_file.read_text().splitlines() if "=" in line
            )
            steps_context[step["id"]] = {"outputs": outputs}
    outputs = {
        name: evaluate(str(spec["value"]), contexts)
        for name, spec in action.get("outputs", {}).items()
    }
    return ActionRun(runs, outputs)
