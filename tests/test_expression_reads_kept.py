"""What a template's expressions read beyond their answers, remembered in the cache folder
(`expression_reads.kept_read_beyond`): the same answer as working it out, read back only
while everything it depends on is the same, and never from an entry this user did not seal."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from guidewright.copier_compat import expression_reads
from guidewright.copier_compat.expression_reads import Outside, kept_read_beyond, read_beyond
from guidewright.copier_compat.jinja import copier_environment

VALIDATOR = '{% import "rules.jinja" as r %}{{ r.check(x) }}'


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GUIDEWRIGHT_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "template").mkdir()
    return tmp_path / "template"


def _rules(folder: Path, body: str) -> jinja2.Environment:
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


def test_an_entry_not_sealed_by_this_user_is_not_believed(folder: Path) -> None:
    written = {"topic": {"validator": VALIDATOR}}
    env = _rules(folder, "{{ lipsum() }}")
    assert kept_read_beyond(env, written, {}) is Outside.ANYTHING
    [entry] = _entries(folder)
    entry.write_bytes(b"\0" * 32 + b"NOTHING")  # forged: a seal that does not hold
    assert kept_read_beyond(env, written, {}) is Outside.ANYTHING
    entry.write_bytes(b"x" * 10_000)  # too large to be one
    assert kept_read_beyond(env, written, {}) is Outside.ANYTHING


def test_a_name_computed_as_it_renders_reads_anything_and_keeps_nothing(folder: Path) -> None:
    written = {"topic": {"validator": '{% import "rules" ~ x as r %}{{ r }}'}}
    assert kept_read_beyond(_rules(folder, ""), written, {}) is Outside.ANYTHING
    assert _entries(folder) == []
