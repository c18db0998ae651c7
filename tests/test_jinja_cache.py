"""Compiled Jinja kept in the cache folder: reused across processes, never stale, never in
the way (an unusable folder or a damaged entry only costs the compile)."""

from __future__ import annotations

from pathlib import Path

import pytest

from guidewright.copier_compat.jinja import Expressions, copier_environment

SOURCE = "{{ name | upper }}-<< name >>"


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("GUIDEWRIGHT_CACHE_DIR", str(folder))
    return folder


def render(envops: dict[str, str] | None = None) -> str:
    return Expressions(copier_environment(None, envops)).render(SOURCE, {"name": "ada"})


def test_a_second_environment_takes_the_code_from_the_cache(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert render() == "ADA-<< name >>"
    assert list(cache.rglob("*.cache"))

    def no_compile(*args: object, **kwargs: object) -> None:
        raise AssertionError("compiled again")

    monkeypatch.setattr("jinja2.Environment.compile", no_compile)
    assert render() == "ADA-<< name >>"


def test_other_delimiters_never_reuse_the_code_of_the_same_source() -> None:
    assert render() == "ADA-<< name >>"
    delimiters = {"variable_start_string": "<<", "variable_end_string": ">>"}
    assert render(delimiters) == "{{ name | upper }}-ada"
    assert render() == "ADA-<< name >>"


def test_a_damaged_entry_is_compiled_again(cache: Path) -> None:
    render()
    for entry in cache.rglob("*.cache"):
        entry.write_bytes(b"j2 not marshal data")
    assert render() == "ADA-<< name >>"


def test_an_unusable_cache_folder_only_costs_the_compile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", "utf-8")
    monkeypatch.setenv("GUIDEWRIGHT_CACHE_DIR", str(blocker))
    assert render() == "ADA-<< name >>"
    assert render() == "ADA-<< name >>"
