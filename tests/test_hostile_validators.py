"""A template release whose validators raise (a division by zero, a bad regex) or never end
(nested loops): `update`, `new`, `check` and `template check` each say which question's
validator failed, in one line or one finding, and go on; no traceback, no hang."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from jinja2 import TemplateSyntaxError
from support import commit_all, git, make_template_repo, run_cli

from guidewright.copier_compat.jinja import Expressions, copier_environment
from guidewright.copier_compat.jinja_budget import TOO_DEEP
from guidewright.copier_compat.questions import Question

RULES = '{% import "template/_partials/rules.jinja" as r %}'
HOSTILE = {
    "topic": ("r.one_line(topic, 200) }}", "{{ 1 / 0 }}"),
    "title": ("r.one_line(title) }}", "{{ title | regex_search('(') }}"),
    "summary": (
        "r.one_line(summary) }}",
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    ),
}
DIVISION = "the template's validator fails: ZeroDivisionError: division by zero"
# Python 3.13 renamed re.error to re.PatternError; the message names the running Python's.
REGEX = f"the template's validator fails: re.{re.error.__qualname__}: missing ), unterminated subpattern"
STEPS = "the template's validator fails: runs past 100,000 steps (loop turns and calls)"
GUIDE = (
    "new-guide",
    "--defaults",
    "--section",
    "sd",
    "--tag",
    "aws",
    "--tag",
    "coding",
    "--objective",
    "Explain caching",
    "--contributor",
    "Ada",
)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """A site made with v1, and v2 of its template with the hostile validators."""
    base = tmp_path_factory.mktemp("validators")
    home = base / "home"
    repo = make_template_repo(base, home)
    site = base / "site"
    made = run_cli(
        "init", str(site), "--content-owner", "t", "--template", str(repo), cwd=base, home=home
    )
    assert made.returncode == 0, made.stderr
    made = run_cli(*GUIDE, "--dest", str(site), "--topic", "Caching", cwd=base, home=home)
    assert made.returncode == 0, made.stderr
    commit_all(site, home, "documents", init=True)
    config = (repo / "copier.yml").read_text("utf-8")
    for rule, replacement in HOSTILE.values():
        validator = f"'{RULES}{{{{ {rule}'"
        assert validator in config, validator
        config = config.replace(validator, json.dumps(replacement), 1)  # JSON is YAML
    (repo / "copier.yml").write_text(config, "utf-8")
    git(repo, home, "commit", "-q", "-am", "v2: hostile validators")
    git(repo, home, "tag", "v2")
    return site, repo, home


def no_traceback(result: object) -> None:
    stderr = getattr(result, "stderr", "")
    assert "Traceback" not in stderr, stderr


def test_update_fails_the_page_naming_the_validator(hostile: tuple[Path, Path, Path]) -> None:
    site, _, home = hostile
    result = run_cli("update", "--defaults", "--pretend", cwd=site, home=home)
    no_traceback(result)
    assert result.returncode == 1
    shown = " ".join(result.stdout.split())
    assert f"recorded answer topic: {DIVISION}" in shown, shown
    assert "1 failed" in shown


def test_new_refuses_naming_the_validator(hostile: tuple[Path, Path, Path]) -> None:
    site, _, home = hostile
    result = run_cli(*GUIDE, "--topic", "Other", cwd=site, home=home)
    no_traceback(result)
    assert result.returncode == 2
    assert result.stderr.strip() == f"error: topic: {DIVISION}"


def test_check_reports_each_as_the_pages_finding(hostile: tuple[Path, Path, Path]) -> None:
    site, _, home = hostile
    made = (site / "docs/sd/caching.md").read_text("utf-8")
    page = site / "docs/sd/by-hand.md"  # no recorded version: judged by the newest, v2
    page.write_text(made.replace("title: ", "title: (", 1), "utf-8")
    try:
        result = run_cli("check", cwd=site, home=home)
    finally:
        page.unlink()
    no_traceback(result)
    assert result.returncode == 1
    assert f"docs/sd/by-hand.md:2: GW101 title: {REGEX}" in result.stdout
    assert f"docs/sd/by-hand.md:3: GW101 summary: {STEPS}" in result.stdout


def test_template_check_names_each_validator(hostile: tuple[Path, Path, Path]) -> None:
    site, repo, home = hostile
    result = run_cli("template", "check", str(repo), cwd=site, home=home)
    no_traceback(result)
    assert result.returncode == 1
    for name, reason in (("topic", DIVISION), ("title", REGEX), ("summary", STEPS)):
        assert f"guide: {name}: " in result.stdout and reason in result.stdout, result.stdout


@pytest.mark.parametrize("depth", [300, 5000])
def test_a_validator_nested_past_jinjas_parser_is_its_syntax_error(depth: int) -> None:
    """Jinja's parser recurses at each level: parentheses a few hundred deep in a
    validator, a type or a choice are the template's error, said as any other, where
    they were a RecursionError and a traceback (in `new`, before asking anything)."""
    deep = "{{ " + "(" * depth + "x" + ")" * depth + " }}"
    jinja = Expressions(copier_environment(), {})
    question = Question("x", jinja, validator=deep, type="str")
    assert question.problem("a", {}) == ("a", f"the template's validator fails: {TOO_DEEP}")
    with pytest.raises(TemplateSyntaxError, match=TOO_DEEP):
        jinja.names(deep)
    with pytest.raises(TemplateSyntaxError, match=TOO_DEEP):
        copier_environment().from_string(deep)
