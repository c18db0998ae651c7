"""Random bytes and random YAML where guidewright reads untrusted files: a document for
`check`, a `--data-file`, an answers file for `check` and `update --pretend`. Whatever
they hold: no traceback, an exit status of 0, 1 or 2, and no file outside the site touched.

The commands run in-process (Typer's runner) so that hypothesis can try many inputs."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import make_site, snapshot
from typer.testing import CliRunner

from guidewright.cli import app

SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
KEYS = st.sampled_from(
    [
        "content_type",
        "title",
        "tags",
        "section",
        "slug",
        "docs_dir",
        "last_updated",
        "audience",
        "_src_path",
        "_commit",
        "topic",
        "learning_objectives",
        "surprise",
    ]
)
mappings = st.dictionaries(KEYS, yaml_values, max_size=8)
odd_bytes = st.binary(max_size=300) | st.sampled_from(
    [
        b"---\n",
        b"---\n: [\n",
        b"\xef\xbb\xbf---\ncontent_type: guide\n---\n",
        b"---\n&a [*a]\n---\n",
        b"---\ncontent_type: guide\ntags: &t [a, *t]\n---\n",
        b"\x00\x00",
        b"---\r\nx: 1\r\n---\r\n",
    ]
)


def as_text(data: Any) -> bytes:
    return yaml.safe_dump(data, allow_unicode=True).encode("utf-8")


@pytest.fixture
def sandbox(tmp_path: Path) -> Path:
    root = tmp_path / "sandbox"
    site = make_site(root / "site")
    (root / "outside.txt").write_text("untouched\n")
    return site


def invoke(*args: str) -> int:
    result = CliRunner().invoke(app, list(args), catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a traceback: the test fails and shows it
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.output)
    return result.exit_code


def outside(site: Path) -> dict[str, bytes]:
    return {k: v for k, v in snapshot(site.parent).items() if not k.startswith("site/")}


@SETTINGS
@given(content=odd_bytes | mappings.map(lambda m: b"---\n" + as_text(m) + b"---\n# Body\n"))
def test_check_survives_any_document(sandbox: Path, content: bytes) -> None:
    before = outside(sandbox)
    (sandbox / "docs/fuzzed.md").write_bytes(content)
    invoke("check", "--dest", str(sandbox))
    invoke("check", str(sandbox / "docs/fuzzed.md"), "--dest", str(sandbox))
    assert outside(sandbox) == before


@SETTINGS
@given(content=odd_bytes | mappings.map(as_text))
def test_new_survives_any_data_file(sandbox: Path, content: bytes) -> None:
    site_before, before = snapshot(sandbox), outside(sandbox)
    data = sandbox.parent / "data.yml"
    data.write_bytes(content)
    code = invoke(
        "new-guide",
        "--defaults",
        "--dest",
        str(sandbox),
        "--data-file",
        str(data),
        "--topic",
        "Fuzzed Topic",
        "--section",
        "fuzz",
        "--tag",
        "aa",
        "--tag",
        "bb",
        "--objective",
        "o",
        "--content-owner",
        "team",
        "--contributor",
        "c",
    )
    data.unlink()
    assert outside(sandbox) == before
    if code != 0:
        assert snapshot(sandbox) == site_before  # nothing written or half-written
    else:
        shutil.rmtree(sandbox / "docs/fuzz", ignore_errors=True)
        shutil.rmtree(sandbox / ".guidewright", ignore_errors=True)


@SETTINGS
@given(content=odd_bytes | mappings.map(as_text))
def test_check_and_update_survive_any_answers_file(sandbox: Path, content: bytes) -> None:
    before = outside(sandbox)
    answers = sandbox / ".guidewright/answers/fuzz/fuzzed.yml"
    answers.parent.mkdir(parents=True, exist_ok=True)
    answers.write_bytes(content)
    invoke("check", "--dest", str(sandbox))
    invoke("update", "--pretend", "--defaults", "--dest", str(sandbox))
    assert outside(sandbox) == before
