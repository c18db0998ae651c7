"""What a template's expressions read beyond their answers, remembered in the cache folder
(`expression_reads.kept_read_beyond`): the same answer as working it out, read back only
while everything it depends on is the same, and never from an entry this user did not seal."""

from __future__ import annotations

import shutil
from pathlib import Path

import jinja2
import pytest
from jinja2.sandbox import SandboxedEnvironment

from guidewright.copier_compat import expression_reads
from guidewright.copier_compat.expression_reads import Outside, kept_read_beyond, read_beyond
from guidewright.copier_compat.jinja import Expressions, copier_environment
from guidewright.copier_compat.questions import Question
from guidewright.copier_compat.render import TemplateRenderer

VALIDATOR = '{% import "rules.jinja" as r %}{{ r.check(x) }}'


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GUIDEWRIGHT_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "template").mkdir()
    return tmp_path / "template"


def _rules(folder: Path, body: str) -> SandboxedEnvironment:
    (folder / "rules.jinja").write_text(f"{{% macro check(x) %}}{body}{{% endmacro %}}")
    return copier_environment(jinja2.FileSystemLoader(folder))


def _entries(folder: Path) -> list[Path]:
    return sorted((folder.parent / "cache" / "expression-reads").glob("*"))


def test_an_answer_is_kept_and_read_back_without_working_it_out(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    written = {"topic": {"validator": VALIDATOR}}
    env = _rules(folder, '{{ "%Y-%m-%d" | strftime }}')
    assert kept_read_beyond(env, written, {}) is Outside.DAY == read_beyond(env, written)
    assert len(_entries(folder)) == 1

    def worked_out(*_: object) -> Outside:
        raise AssertionError("worked out again")

    monkeypatch.setattr(expression_reads, "read_beyond", worked_out)
    assert kept_read_beyond(_rules(folder, '{{ "%Y-%m-%d" | strftime }}'), written, {}) is (
        Outside.DAY
    )


def test_a_loaded_files_change_the_questions_or_the_settings_are_worked_out_again(
    folder: Path,
) -> None:
    written = {"topic": {"validator": VALIDATOR}}
    assert kept_read_beyond(_rules(folder, '{{ "%Y" | strftime }}'), written, {}) is Outside.DAY
    # The loaded file now reads nothing: a new key, a new answer.
    assert kept_read_beyond(_rules(folder, "{{ x }}"), written, {}) is Outside.NOTHING
    env = _rules(folder, "{{ x }}")
    other = {"topic": {"validator": "{{ now() }}"}}
    assert kept_read_beyond(env, other, {}) is Outside.ANYTHING == read_beyond(env, other)
    assert kept_read_beyond(env, written, {"_envops": {"autoescape": True}}) is Outside.NOTHING
    assert len(_entries(folder)) == 4


def test_a_file_loaded_is_worked_out_once_a_process_and_again_once_changed(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many validators importing one file: that file's analysis is done once, not once a
    validator; and the same environment after the file changed (a language server's) gets
    the answer the new file gives, not the one remembered."""
    analysed: list[str] = []
    outside_reads = expression_reads.outside_reads

    def counted(env: SandboxedEnvironment, source: str) -> Outside:
        analysed.append(source)
        return outside_reads(env, source)

    monkeypatch.setattr(expression_reads, "outside_reads", counted)
    env = _rules(folder, "{{ x }}")
    rules = (folder / "rules.jinja").read_text()
    validators = [VALIDATOR.replace("x)", f"x{n})") for n in range(5)]
    assert all(read_beyond(env, validator) is Outside.NOTHING for validator in validators)
    assert analysed.count(rules) == 1
    # `check` now a value, not a macro: calling it may call anything.
    (folder / "rules.jinja").write_text("{% set check = x %}")
    assert read_beyond(env, validators[0]) is Outside.ANYTHING


def test_an_entry_not_sealed_by_this_user_is_not_believed(folder: Path) -> None:
    written = {"topic": {"validator": VALIDATOR}}
    env = _rules(folder, "{{ lipsum() }}")
    assert kept_read_beyond(env, written, {}) is Outside.ANYTHING
    [entry] = _entries(folder)
    entry.write_bytes(b"\0" * 32 + b"NOTHING")  # forged: a seal that does not hold
    assert kept_read_beyond(env, written, {}) is Outside.ANYTHING
    entry.write_bytes(b"x" * 10_000)  # too large to be one
    assert kept_read_beyond(env, written, {}) is Outside.ANYTHING


def test_an_entry_this_user_sealed_for_another_key_is_not_believed(folder: Path) -> None:
    """A genuine entry copied under another expression's key (by anyone who can write
    the cache folder) does not answer for it: the seal covers the entry's name."""
    env = _rules(folder, "{{ x }}")
    pure, clock = (
        {"topic": {"validator": "{{ x | lower }}"}},
        {"topic": {"validator": "{{ now() }}"}},
    )
    assert kept_read_beyond(env, pure, {}) is Outside.NOTHING
    [genuine] = _entries(folder)
    assert kept_read_beyond(env, clock, {}) is Outside.ANYTHING
    [other] = [entry for entry in _entries(folder) if entry != genuine]
    other.write_bytes(genuine.read_bytes())
    assert kept_read_beyond(env, clock, {}) is Outside.ANYTHING
    assert Expressions(env, {}).outside("{{ now() }}") is Outside.ANYTHING


def test_a_name_computed_as_it_renders_reads_anything_and_keeps_nothing(folder: Path) -> None:
    written = {"topic": {"validator": '{% import "rules" ~ x as r %}{{ r }}'}}
    assert kept_read_beyond(_rules(folder, ""), written, {}) is Outside.ANYTHING
    assert _entries(folder) == []


# The answering path (`new`, the wizard): a questionnaire's `Expressions`, told what its
# environment was made from, keeps each source's analysis in the same cache folder.
CLOCK_VALIDATOR = '{% import "rules.jinja" as r %}{{ r.check(x) }}{{ "" if x else "no" }}'


def _parsing_forbidden(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any source analysed again (parsed and walked, by whichever path) fails the test."""

    def worked_out(*_: object) -> None:
        raise AssertionError("worked out again")

    monkeypatch.setattr(expression_reads._Bound, "of", worked_out)


def test_the_answering_path_reads_the_kept_analysis_in_a_later_run(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = '{{ "%Y-%m-%d" | strftime }}'
    sources = (VALIDATOR, "{{ x | upper }}")
    first = Expressions(_rules(folder, body), {"_envops": {}}).outside(*sources)
    assert first is Outside.DAY == read_beyond(_rules(folder, body), sources)
    assert _entries(folder)  # kept: the validator, and rules.jinja it loads
    _parsing_forbidden(monkeypatch)  # a later run (a new `Expressions`) parses nothing
    assert Expressions(_rules(folder, body), {"_envops": {}}).outside(*sources) is Outside.DAY


def test_the_answering_path_works_out_again_what_changed_or_is_not_sealed(
    folder: Path,
) -> None:
    env = _rules(folder, '{{ "%Y" | strftime }}')
    assert Expressions(env, {}).outside(VALIDATOR) is Outside.DAY
    # rules.jinja now reads the time: a new key, whatever was kept for the old text.
    env = _rules(folder, "{{ lipsum() }}")
    assert Expressions(env, {}).outside(VALIDATOR) is Outside.ANYTHING
    # Other settings (what the environment is made from): worked out again.
    kept = set(_entries(folder))
    assert Expressions(env, {"_envops": {"autoescape": True}}).outside(VALIDATOR) is (
        Outside.ANYTHING
    )
    assert set(_entries(folder)) > kept
    for entry in _entries(folder):
        entry.write_bytes(b"\0" * 32 + b"NOTHING")  # forged: not believed
    assert Expressions(env, {}).outside(VALIDATOR) is Outside.ANYTHING
    # Not told what the environment was made from: nothing is kept nor read.
    for entry in _entries(folder):
        entry.unlink()
    assert Expressions(env).outside(VALIDATOR) is Outside.ANYTHING
    assert _entries(folder) == []


def test_a_validator_reading_the_clock_is_judged_again_though_its_analysis_is_kept(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = "{{ lipsum(1) }}"
    question = Question("x", Expressions(_rules(folder, body), {}), validator=CLOCK_VALIDATOR)
    question.problem("a", {})  # keeps the analysis
    _parsing_forbidden(monkeypatch)
    later = Question("x", Expressions(_rules(folder, body), {}), validator=CLOCK_VALIDATOR)
    judged: list[object] = []
    validate = Question.validate

    def counted(self: Question, value: object, context: dict[str, object]) -> str:
        judged.append(value)
        return validate(self, value, context)

    monkeypatch.setattr(Question, "validate", counted)
    for _ in range(3):
        later.problem("a", {})
    assert judged == ["a", "a", "a"]  # never a verdict remembered: it reads anything


def test_a_version_update_renders_reads_the_kept_analysis_in_a_later_run(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`update` judges answers with each version's questions (render.TemplateRenderer),
    unpacked anew at each run: their analysis is kept as the questionnaire's is."""
    (folder / "copier.yml").write_text(f"x:\n  type: str\n  validator: '{VALIDATOR}'\n")
    _rules(folder, '{{ "%Y-%m-%d" | strftime if x == "today" }}')
    assert TemplateRenderer(folder).questions["x"].problem("ok", {}) == ("ok", None)
    assert _entries(folder)
    elsewhere = shutil.copytree(folder, folder.parent / "unpacked-again")
    _parsing_forbidden(monkeypatch)  # a later run parses nothing to tell what it reads
    assert TemplateRenderer(elsewhere).questions["x"].problem("ok", {}) == ("ok", None)
