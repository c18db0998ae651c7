"""Compiled Jinja kept in the cache folder: reused across processes, never stale, never in
the way (an unusable folder or a damaged entry only costs the compile), and never code
execution for whoever can write to the folder (no pickle; an entry runs only when this
user's key sealed it)."""

from __future__ import annotations

import datetime
import gc
import hashlib
import importlib.metadata
import marshal
import os
import shutil
import traceback
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jinja2
import pytest
from support import files_flushed

from guidewright.copier_compat import expression_reads
from guidewright.copier_compat.jinja import (
    RECENTLY_COMPILED,
    CompiledCache,
    Expressions,
    RecentlyCompiled,
    copier_environment,
    folded_versions,
    is_literal,
)
from guidewright.core.cache_dir import key_path, signing_key

SOURCE = "{{ name | upper }}-<< name >>"


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "cache"
    monkeypatch.setenv("GUIDEWRIGHT_CACHE_DIR", str(folder))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    signing_key.cache_clear()
    yield folder
    signing_key.cache_clear()


def entries(cache: Path) -> list[Path]:
    return sorted(cache.rglob("*.code"))


def render(envops: dict[str, str] | None = None) -> str:
    """SOURCE rendered as a new process renders it: with nothing compiled in memory yet
    (RECENTLY_COMPILED, tested below), so the code comes from the folder or a compile."""
    RECENTLY_COMPILED.clear()
    return Expressions(copier_environment(None, envops)).render(SOURCE, {"name": "ada"})


def test_a_second_environment_takes_the_code_from_the_cache(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert render() == "ADA-<< name >>"
    assert entries(cache)

    def no_compile(*args: object, **kwargs: object) -> None:
        raise AssertionError("compiled again")

    monkeypatch.setattr("jinja2.Environment.compile", no_compile)
    assert render() == "ADA-<< name >>"


def test_other_delimiters_never_reuse_the_code_of_the_same_source() -> None:
    assert render() == "ADA-<< name >>"
    delimiters = {"variable_start_string": "<<", "variable_end_string": ">>"}
    assert render(delimiters) == "{{ name | upper }}-ada"
    assert render() == "ADA-<< name >>"


def test_the_names_a_source_reads_are_never_those_other_delimiters_read() -> None:
    """The names read are kept for the process across environments (each questionnaire
    loaded makes one): a source's own, never another lexer's parse of the same text."""
    delimiters = {"variable_start_string": "<<", "variable_end_string": ">>"}
    for _ in range(2):  # the second time, from what the first kept
        assert Expressions(copier_environment(None, None)).names(SOURCE) == ("name",)
        other = Expressions(copier_environment(None, delimiters))
        assert other.names("{{ first }}<< second >>") == ("second",)
        assert Expressions(copier_environment(None, None)).names("{{ first }}<< second >>") == (
            "first",
        )
    with pytest.raises(jinja2.TemplateSyntaxError):  # a parse that fails, each time
        Expressions(copier_environment(None, None)).names("{{ first")


def test_a_damaged_entry_is_compiled_again(cache: Path) -> None:
    render()
    for entry in entries(cache):
        entry.write_bytes(b"j2 not marshal data")
    assert render() == "ADA-<< name >>"


def test_an_entry_is_not_flushed_and_a_torn_one_is_compiled_again(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An entry only saves time and its seal judges it as it is read: a crash that tears
    it costs a compile, so it is not flushed to the disk (a flush an entry was some twenty
    a template's first `new`)."""
    flushed = files_flushed(monkeypatch)
    render()
    assert entries(cache)
    assert not [path for path in flushed if path.startswith(str(cache))]
    for entry in entries(cache):
        entry.write_bytes(entry.read_bytes()[: entry.stat().st_size // 2])  # torn
    assert render() == "ADA-<< name >>"


def test_an_unusable_cache_folder_only_costs_the_compile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", "utf-8")
    monkeypatch.setenv("GUIDEWRIGHT_CACHE_DIR", str(blocker))
    assert render() == "ADA-<< name >>"
    assert render() == "ADA-<< name >>"


def test_no_entry_is_unpickled(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    render()

    def refused(*args: object, **kwargs: object) -> None:
        raise AssertionError("unpickled")

    for name in ("load", "loads", "Unpickler"):
        monkeypatch.setattr(f"pickle.{name}", refused)
    monkeypatch.setattr("jinja2.Environment.compile", refused)  # so the entry is used
    assert render() == "ADA-<< name >>"


def test_an_entry_written_by_someone_else_never_runs(cache: Path, tmp_path: Path) -> None:
    render()
    marker = tmp_path / "pwned"
    code = compile(f"open({str(marker)!r}, 'w').close()", "<entry>", "exec")
    for entry in entries(cache):
        # Everything right but the seal, which only the key makes.
        forged_seal = hashlib.sha256(b"a guess").digest()
        entry.write_bytes(forged_seal + _header_of(entry.read_bytes()) + marshal.dumps(code))
    assert render() == "ADA-<< name >>"
    assert not marker.exists()


def _header_of(sealed: bytes) -> bytes:
    """What a forger copies from a real entry: everything before its marshalled code."""
    payload = sealed[32:]
    end = 0
    for _ in range(5):  # format, scope, key, checksum, Python's magic: each ends with NUL
        end = payload.index(b"\0", end) + 1
    return payload[:end]


def compiles(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Each compile from now on, listed."""
    calls: list[object] = []
    original = jinja2.Environment.compile

    def spy(self: jinja2.Environment, *args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", spy)
    return calls


def test_an_entry_of_another_key_is_compiled_again(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    render()
    key_path().write_bytes(os.urandom(32))  # another user's key, as far as entries go
    signing_key.cache_clear()
    calls = compiles(monkeypatch)
    assert render() == "ADA-<< name >>"
    assert calls, "an entry sealed under another key was used"


def test_an_entry_moved_to_other_delimiters_is_compiled_again(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    render()
    plain = {entry.parent for entry in entries(cache)}
    delimiters = {"variable_start_string": "<<", "variable_end_string": ">>"}
    assert render(delimiters) == "{{ name | upper }}-ada"
    (other,) = {entry.parent for entry in entries(cache)} - plain
    for entry in next(iter(plain)).iterdir():
        shutil.copy(entry, other / entry.name)  # the same source's entry, other options
    calls = compiles(monkeypatch)
    assert render(delimiters) == "{{ name | upper }}-ada"
    assert calls


@pytest.mark.parametrize("unsafe", ["readable by others", "a link", "wrong size"])
def test_a_key_that_is_not_private_is_never_used(cache: Path, tmp_path: Path, unsafe: str) -> None:
    key = key_path()
    key.parent.mkdir(parents=True)
    if unsafe == "readable by others":
        key.write_bytes(os.urandom(32))
        key.chmod(0o644)
    elif unsafe == "a link":
        (tmp_path / "elsewhere").write_bytes(os.urandom(32))
        (tmp_path / "elsewhere").chmod(0o600)
        key.symlink_to(tmp_path / "elsewhere")
    else:
        key.write_bytes(os.urandom(16))
        key.chmod(0o600)
    assert render() == "ADA-<< name >>"
    assert signing_key() is None
    assert not entries(cache)  # nothing sealed, nothing to trust


def test_the_key_is_made_private_outside_the_cache(cache: Path) -> None:
    render()
    key = key_path()
    assert key.stat().st_mode & 0o777 == 0o600
    assert key.parent.stat().st_mode & 0o777 == 0o700
    assert cache not in key.parents


# Within a process: code compiled for one environment is reused by the next environment
# alike, wherever the template's file lies (each `update` unpacks a version anew).

RULES = """{% macro rule(value, most) -%}
{%- if value | length > most %}{{ value | upper }} is longer than {{ most }}{% endif -%}
{%- endmacro %}
{% macro broken(value) %}{{ value.missing.attribute }}{% endmacro %}
"""


def unpacked(folder: Path, source: str = RULES) -> jinja2.Environment:
    """An environment for a template version unpacked in `folder`."""
    folder.mkdir(parents=True)
    (folder / "rules.jinja").write_text(source, "utf-8")
    return copier_environment(jinja2.FileSystemLoader(folder))


def test_a_version_unpacked_elsewhere_is_not_compiled_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    RECENTLY_COMPILED.clear()
    first = unpacked(tmp_path / "first").get_template("rules.jinja")
    expected = first.module.rule("a long answer", 3)  # type: ignore[attr-defined]
    calls = compiles(monkeypatch)
    second = unpacked(tmp_path / "second").get_template("rules.jinja")
    assert not calls, "compiled again"
    assert second.module.rule("a long answer", 3) == expected  # type: ignore[attr-defined]
    assert expected == "A LONG ANSWER is longer than 3"
    assert second.filename == str(tmp_path / "second/rules.jinja")
    errors = []
    for template in (first, second):
        with pytest.raises(jinja2.UndefinedError) as caught:
            template.module.broken({})  # type: ignore[attr-defined]
        # The message, and the template's frame in a traceback: its own file, same line.
        frames = traceback.extract_tb(caught.value.__traceback__)
        (line,) = [frame.lineno for frame in frames if frame.filename == template.filename]
        errors.append((str(caught.value), line))
    assert errors[0] == errors[1]


def test_a_version_unpacked_elsewhere_by_another_process_reads_the_entries_and_adds_none(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each `update` unpacks a version into a new temporary folder (Copier, at each `new`,
    # a new copy of the bundled template): an entry is found by the template's name.
    RECENTLY_COMPILED.clear()
    first = unpacked(tmp_path / "first").get_template("rules.jinja")
    kept = entries(cache)
    assert kept
    RECENTLY_COMPILED.clear()  # a new process: nothing compiled in memory
    calls = compiles(monkeypatch)
    second = unpacked(tmp_path / "second").get_template("rules.jinja")
    assert not calls, "compiled again"
    assert entries(cache) == kept
    assert second.filename == str(tmp_path / "second/rules.jinja") != first.filename
    lines = []
    for template in (first, second):
        with pytest.raises(jinja2.UndefinedError) as caught:
            template.module.broken({})  # type: ignore[attr-defined]
        frames = traceback.extract_tb(caught.value.__traceback__)
        lines.append([frame.lineno for frame in frames if frame.filename == template.filename])
    assert lines[0] == lines[1] and len(lines[0]) == 1  # its own file, the same line
    RECENTLY_COMPILED.clear()
    changed = unpacked(tmp_path / "third", RULES.replace("longer", "more")).get_template(
        "rules.jinja"
    )
    assert calls, "another source under the same name is compiled"
    assert changed.module.rule("a long answer", 3) == "A LONG ANSWER is more than 3"  # type: ignore[attr-defined]


def test_other_options_filters_or_sources_are_compiled_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    RECENTLY_COMPILED.clear()
    unpacked(tmp_path / "first").get_template("rules.jinja")
    calls = compiles(monkeypatch)
    (tmp_path / "trimmed").mkdir()
    (tmp_path / "trimmed/rules.jinja").write_text(RULES, "utf-8")
    trimmed = copier_environment(
        jinja2.FileSystemLoader(tmp_path / "trimmed"), {"trim_blocks": True}
    )
    trimmed.get_template("rules.jinja")
    assert len(calls) == 1
    # A filter is told apart in this process (RECENTLY_COMPILED); the cache folder's
    # entries are for the filters of the versions they name (no template sets a filter).
    monkeypatch.setenv("GUIDEWRIGHT_CACHE_DIR", str(tmp_path / "another-cache"))
    other_filter = unpacked(tmp_path / "other-filter")
    other_filter.filters["upper"] = str.lower  # the same name, another function
    assert other_filter.get_template("rules.jinja").module.rule("AB", 1) == "ab is longer than 1"  # type: ignore[attr-defined]
    assert len(calls) == 2
    unpacked(tmp_path / "edited", RULES.replace("longer", "more")).get_template("rules.jinja")
    assert len(calls) == 3


def test_a_source_that_does_not_compile_fails_each_time(tmp_path: Path) -> None:
    RECENTLY_COMPILED.clear()
    errors = []
    for folder in ("first", "second"):
        env = unpacked(tmp_path / folder, "{% macro rule(value) %}{{ value | nosuchfilter }}")
        with pytest.raises(jinja2.TemplateSyntaxError) as caught:
            env.get_template("rules.jinja")
        errors.append(str(caught.value))
    assert errors[0] == errors[1]
    assert not len(RECENTLY_COMPILED)


def test_the_code_kept_is_bounded_by_its_sources_size() -> None:
    kept = RecentlyCompiled(most_size=100)
    code = compile("x = 1", "<test>", "exec")
    for name in ("a", "b", "c"):
        kept.put(name, code, 40)
    assert kept.get("a") is None  # the oldest gave way
    assert kept.size == 80
    assert kept.get("b") is code  # now the most recent
    kept.put("d", code, 40)
    assert (kept.get("c"), kept.get("b"), kept.get("d")) == (None, code, code)
    kept.put("huge", code, 101)  # larger than the bound: never kept
    assert kept.get("huge") is None
    assert kept.size <= 100


def test_a_filter_reading_the_clock_reads_it_at_each_render(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`"%Y-%m-%d" | strftime` (the bundled template's `last_updated` default) is the day
    of the render, not of the compile: Jinja folded a filter of constants into the code,
    which this cache kept for every later run (a review found `new` offering the day the
    template was first compiled). The shuffle of a constant list is not folded either."""
    shuffle = "{{ [1, 2, 3, 4, 5, 6, 7, 8] | shuffle | join }}"
    # The code of an earlier test in this process would be taken from memory, never
    # written to this test's cache folder.
    RECENTLY_COMPILED.clear()
    for year in (2000, 2100):
        day = datetime.datetime(year, 6, 1, 12, tzinfo=datetime.UTC).timestamp()
        monkeypatch.setattr(expression_reads, "clock", lambda day=day: day)
        today = Expressions(copier_environment(None, {})).render(TODAY, {})
        assert today == f"{year}-06-01"
        assert entries(cache)  # the second year's code came from the cache
    shuffles = {Expressions(copier_environment(None, {})).render(shuffle, {}) for _ in range(9)}
    assert len(shuffles) > 1


def test_a_random_filter_taking_the_environment_is_drawn_at_each_render() -> None:
    """jinja2_ansible_filters' `ans_random` takes the environment, which Jinja still
    folds for constant arguments: each render (the code from the cache after the first)
    draws a number of its own rather than the one drawn when it was compiled."""
    drawn = "{{ 1000000000 | ans_random }}"
    draws = {Expressions(copier_environment(None, {})).render(drawn, {}) for _ in range(9)}
    assert len(draws) > 1


TODAY = '{{ "%Y-%m-%d" | strftime }}'


def test_an_upgrade_of_a_filter_s_package_compiles_again(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Jinja folds `"Café" | transliterate` into the code as `Cafe`: an entry compiled
    with one text_unidecode (or jinja2_ansible_filters, or guidewright) is not the code
    another compiles, so their versions name the entries' scope."""
    folded = "{{ 'Café' | transliterate }}"
    RECENTLY_COMPILED.clear()
    assert Expressions(copier_environment(None, {})).render(folded, {}) == "Cafe"
    RECENTLY_COMPILED.clear()
    calls = compiles(monkeypatch)
    assert Expressions(copier_environment(None, {})).render(folded, {}) == "Cafe"
    assert not calls  # the same versions: the entry's code
    installed = importlib.metadata.version
    upgraded = {"text_unidecode": "99.0"}
    monkeypatch.setattr(
        importlib.metadata, "version", lambda name: upgraded.get(name) or installed(name)
    )
    folded_versions.cache_clear()
    try:
        RECENTLY_COMPILED.clear()
        assert Expressions(copier_environment(None, {})).render(folded, {}) == "Cafe"
    finally:
        folded_versions.cache_clear()
    assert len(calls) == 1


def test_what_is_kept_in_memory_is_bounded_by_what_it_keeps() -> None:
    """Each source's key once described the environment's 140 filters and tests anew
    (some 39 KB an entry: 20,000 tiny sources kept 850 MB within a bound on sources of 2
    MB); now environments alike share one description, and the bound counts the code."""
    RECENTLY_COMPILED.clear()
    sources = [f"{{{{ a{number} }}}}" for number in range(200)]
    tracemalloc.start()
    try:
        for source in sources:
            env = copier_environment(None, {})  # one a source: as a process of many runs
            assert isinstance(env.bytecode_cache, CompiledCache)
            env.bytecode_cache.compiled(env, source)
            del env
        gc.collect()
        kept, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(RECENTLY_COMPILED) == len(sources)
    assert kept < len(sources) * 8_000  # a key, its source and code, not a description
    assert RECENTLY_COMPILED.size > sum(map(len, sources)) * 10  # the code is counted
    RECENTLY_COMPILED.clear()


@pytest.mark.parametrize(
    "envops",
    [
        {},
        {"newline_sequence": "\r\n"},
        {"line_comment_prefix": "##", "line_statement_prefix": "%%"},
        {"keep_trailing_newline": False},
    ],
)
def test_text_taken_as_literal_renders_as_jinja_renders_it(envops: dict[str, Any]) -> None:
    # Text `is_literal` calls plain is rendered as itself and, in Copier's environment
    # (copier_copy.py), kept in the process only: it must be what Jinja renders.
    env = copier_environment(None, envops)
    sources = ["str", "line one\nline two", "a ## b\nc", "%% set y = 1\nz", "ends\n", "tab\tx"]
    literal = 0
    for source in sources:
        assert Expressions(env).render(source, {}) == env.from_string(source).render(), source
        literal += is_literal(env, source)
    assert literal >= 2  # "str" and "tab\tx" at least
