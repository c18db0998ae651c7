"""`guidewright lsp` end to end: pygls's own client drives the installed command over stdio."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from lsprotocol import types

from conftest import run_cli
from lsp_client import Session, run_session

GUIDE = "docs/system-design/caching-strategies.md"
TUTORIAL = "docs/coding/rate-limiter.md"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("lsp")
    home, site = base / "home", base / "site"
    assert run_cli("init", str(site), "--content-owner", "team", cwd=base, home=home).returncode == 0
    common = ("--defaults", "--dest", str(site), "--contributor", "Ada Lovelace")
    made = run_cli(
        "new-guide", *common, "--topic", "Caching Strategies", "--section", "system-design",
        "--tag", "system-design", "--tag", "aws", "--objective", "Explain cache invalidation",
        "--prerequisite", "fundamentals/index.md", cwd=base, home=home,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    made = run_cli(
        "new-tutorial", *common, "--topic", "Rate Limiter", "--section", "coding",
        "--tag", "aws", "--tag", "coding", "--objective", "Build a token bucket",
        "--skill", "rate limiting", "--difficulty", "advanced", "--estimated-time", "90 min",
        cwd=base, home=home,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    return site


@pytest.fixture
def site(built: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "site"
    shutil.copytree(built, copy)
    return copy


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


def check_json(site: Path, home: Path) -> list[dict[str, object]]:
    result = run_cli("check", "--format", "json", cwd=site, home=home)
    problems: list[dict[str, object]] = json.loads(result.stdout)["problems"]
    return problems


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n")


def test_an_invalid_value_typed_is_reported_as_check_does_then_cleared(
    site: Path, home: Path
) -> None:
    text = (site / GUIDE).read_text("utf-8")
    line = line_of(text, "difficulty:")
    wrong = text.replace('difficulty: "intermediate"', 'difficulty: "hard"', 1)
    shutil.copy(site / GUIDE, site / "kept.md")
    (site / GUIDE).write_text(wrong, "utf-8")
    expected = [p for p in check_json(site, home) if p["code"] == "GW101"]
    shutil.copy(site / "kept.md", site / GUIDE)
    assert len(expected) == 1

    async def body(session: Session) -> None:
        uri = session.open(site / GUIDE)
        assert await session.wait_for(uri, lambda found: True) == []
        start = text.splitlines()[line].index('"intermediate"')
        session.edit(uri, line, start, start + len('"intermediate"'), '"hard"')
        found = await session.wait_for(uri, lambda found: bool(found))
        assert [d.code for d in found] == ["GW101"]
        assert found[0].message == f"difficulty: {expected[0]['message']}"
        assert found[0].range.start == types.Position(line, 0)
        assert found[0].range.end == types.Position(line, len(wrong.splitlines()[line].rstrip()))
        assert found[0].severity == types.DiagnosticSeverity.Error
        session.change(uri, text)
        assert await session.wait_for(uri, lambda found: not found) == []

    run_session(site, home, body)


@pytest.mark.parametrize("encoding", [None, types.PositionEncodingKind.Utf32])
def test_an_emoji_before_a_finding_counts_in_the_negotiated_encoding(
    site: Path, home: Path, encoding: types.PositionEncodingKind | None
) -> None:
    text = (site / GUIDE).read_text("utf-8") + "\n😀 é see [this](missing.md) now\n"
    line = len(text.splitlines()) - 1
    general = types.GeneralClientCapabilities(position_encodings=[encoding]) if encoding else None
    capabilities = types.ClientCapabilities(general=general)

    async def body(session: Session) -> None:
        uri = session.open(site / GUIDE, text)
        found = await session.wait_for(uri, lambda found: bool(found))
        assert [d.code for d in found] == ["GW201"]
        assert found[0].message == "link: missing.md does not exist"
        units = 2 if encoding is None else 1  # 😀 is two UTF-16 code units, one code point
        start = units + len(" é see ")
        assert found[0].range.start == types.Position(line, start)
        assert found[0].range.end == types.Position(line, start + len("[this](missing.md)"))

    run_session(site, home, body, capabilities=capabilities)
