"""Typer's own usage errors in the one-line form of every other error (issue 28, item 8):
`error: <what>: <what is allowed>`, the closest real name suggested, exit 2, no panel."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from guidewright.cli import app


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), prog_name="guidewright")
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (("chek",), "error: chek: no such command (did you mean check?)"),
        (
            ("check", "--format", "x"),
            "error: --format: 'x' is not one of 'text', 'json', 'github', 'sarif'",
        ),
        (("check", "--verbos"), "error: --verbos: no such option (did you mean --verbose?)"),
        (("check", "--zzz"), "error: --zzz: no such option (see: guidewright check --help)"),
        (("update", "--dest"), "error: --dest: needs a value"),
        (("init", "a", "b"), "error: b: unexpected argument (see: guidewright init --help)"),
    ],
)
def test_a_usage_error_is_one_line_with_what_is_allowed(args: tuple[str, ...], line: str) -> None:
    code, stdout, stderr = invoke(*args)
    assert (code, stdout) == (2, "")
    assert stderr.splitlines() == [line]


def test_an_unknown_option_outside_a_site_is_the_error_reported(tmp_path: Path) -> None:
    """Not the missing docs folder: the command line is read before the site."""
    code, _, stderr = invoke("new-guide", "--dest", str(tmp_path), "--topc", "Caching")
    assert code == 2
    assert stderr.splitlines() == ["error: --topc: no such option (did you mean --topic?)"]


def test_guidewright_alone_shows_its_help() -> None:
    code, stdout, _ = invoke()
    assert code == 2 and "Usage: guidewright" in stdout and "check" in stdout
