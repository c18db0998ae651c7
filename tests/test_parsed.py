"""What an analysis of a Jinja parse gives is kept for the process by what the parse
depends on (copier_compat/parsed.py): environments alike share it, and one that parses
otherwise (its delimiters, its extensions) never sees another's."""

from __future__ import annotations

import pytest
from jinja2 import TemplateSyntaxError
from jinja2.sandbox import SandboxedEnvironment
from process_state import forget_runs

from guidewright.copier_compat import parsed
from guidewright.copier_compat.jinja import copier_environment
from guidewright.copier_compat.macro_calls import macro_call
from guidewright.copier_compat.parsed import names_read

VALIDATOR = '{% import "rules.jinja" as r %}{{ r.one_line(title, 80) }}'


def test_environments_alike_share_what_a_parse_gave() -> None:
    """Each questionnaire loaded makes a new environment: the second finds the first's."""
    first, second = copier_environment(), copier_environment()
    assert macro_call(second, VALIDATOR) is macro_call(first, VALIDATOR) is not None
    assert names_read(second, VALIDATOR) is names_read(first, VALIDATOR)
    assert names_read(first, VALIDATOR) == ("title",)


def test_an_environment_that_lexes_otherwise_parses_for_itself() -> None:
    """The same text under other delimiters: no tag, no call, another name read."""
    made = copier_environment()
    other = copier_environment(envops={"block_start_string": "[%", "block_end_string": "%]"})
    assert macro_call(made, VALIDATOR) is not None
    assert macro_call(other, VALIDATOR) is None
    source = "[% if shown %]{{ title }}[% endif %]"
    assert names_read(made, source) == ("title",)
    assert names_read(other, source) == ("shown", "title")


def test_an_environment_with_other_extensions_parses_for_itself() -> None:
    """An extension adds tags: `{% do %}` is a statement with it, an error without."""
    plain, extended = SandboxedEnvironment(), SandboxedEnvironment(extensions=["jinja2.ext.do"])
    source = "{% do items.append(x) %}"
    assert names_read(extended, source) == ("items", "x")
    for _ in range(2):  # an error is not kept: it is raised again
        with pytest.raises(TemplateSyntaxError):
            names_read(plain, source)


def test_the_analyses_outlive_the_suites_in_process_runs() -> None:
    """process_state.py's forget_runs, which puts guidewright's process-wide state back
    as a new process has it before each in-process run, leaves them: what they hold is
    worked out alike by any process, and each run would otherwise parse again."""
    source = "{{ kept_across_runs }}"
    found = names_read(copier_environment(), source)
    forget_runs()
    assert names_read(copier_environment(), source) is found


def test_what_is_kept_is_bounded_by_the_characters_of_its_sources(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A template of many long sources holds no more than MOST_CHARACTERS of them (and
    their trees) in a long-lived process."""
    monkeypatch.setattr(parsed, "_KEPT", parsed._Kept())
    monkeypatch.setattr(parsed, "MOST_CHARACTERS", 1_000)
    env = copier_environment()
    for number in range(20):
        parsed.parse_tree(env, f"{{{{ value_{number} }}}}" + "x" * 90)
        assert parsed._KEPT.characters <= 1_000
        assert parsed._KEPT.characters == sum(len(key[-1]) for key in parsed._KEPT.found)
    assert 0 < len(parsed._KEPT.found) < 10  # about a hundred characters each
