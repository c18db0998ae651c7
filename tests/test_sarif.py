"""`check --format sarif`: valid SARIF 2.1.0 that GitHub code scanning places on its lines."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st
from support import make_site, run_cli, site_with_a_guide_in_a_subfolder

from guidewright.check.sarif import sarif_log, utf16_column
from guidewright.rules.problems import ERROR, WARNING, Problem
from guidewright.rules.registry import REGISTRY

# Vendored (tests/data/README.md says whence): a plain clone validates offline.
SARIF_SCHEMA = Path(__file__).parent / "data" / "sarif-2.1.0.json"
GUIDE = "docs/system-design/caching-strategies.md"
# The line appended to the guide: an emoji (2 UTF-16 code units, 1 character) and an
# accented letter (1 and 1) before the first link.
EMOJI_LINE = "😀 é [first](missing.md) then [second](gone.md)"


@pytest.fixture(scope="module")
def sarif_validator() -> jsonschema.Draft4Validator:
    schema = json.loads(SARIF_SCHEMA.read_text("utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema)


def _site_in_repository(tmp_path: Path, home: Path) -> tuple[Path, Path]:
    """A git repository with the site in its `website/` folder, one guide with broken
    links after an emoji, and a page without frontmatter with a broken link."""
    repository = tmp_path / "repository"
    site = site_with_a_guide_in_a_subfolder(repository, home)
    with (site / GUIDE).open("a", encoding="utf-8") as page:
        page.write(f"\n{EMOJI_LINE}\n")
    (site / "docs" / "plain.md").write_text("# Plain\n\nSee [it](nope.md).\n", "utf-8")
    return repository, site


def _sarif(cwd: Path, home: Path, *args: str) -> dict[str, Any]:
    result = run_cli("check", "--format", "sarif", *args, cwd=cwd, home=home)
    assert result.returncode in (0, 1), result.stderr
    assert result.stderr == ""
    return dict(json.loads(result.stdout))


def _located(log: dict[str, Any]) -> list[tuple[str, str, str, int, int | None]]:
    found = []
    for result in log["runs"][0]["results"]:
        place = result["locations"][0]["physicalLocation"]
        artifact, region = place["artifactLocation"], place["region"]
        assert artifact.get("uriBaseId") == "SRCROOT"
        found.append(
            (
                result["ruleId"],
                result["level"],
                artifact["uri"],
                region["startLine"],
                region.get("startColumn"),
            )
        )
    return found


def test_findings_are_valid_sarif_placed_in_utf16_columns_relative_to_the_repository(
    tmp_path: Path, sarif_validator: jsonschema.Draft4Validator
) -> None:
    home = tmp_path / "home"
    repository, site = _site_in_repository(tmp_path, home)
    log = _sarif(site / "docs", home, "--dest", str(site))  # run from inside the docs folder
    sarif_validator.validate(log)
    run = log["runs"][0]
    assert log["version"] == "2.1.0" and run["columnKind"] == "utf16CodeUnits"
    assert run["originalUriBaseIds"]["SRCROOT"]["uri"] == repository.resolve().as_uri() + "/"
    guide_line = (site / GUIDE).read_text("utf-8").split("\n").index(EMOJI_LINE) + 1
    located = _located(log)
    guide = f"website/{GUIDE}"
    assert ("GW201", "error", guide, guide_line, 6) in located  # 😀(2) + " é "(3), then [
    # The second link: 30 characters in, 31 code units.
    second = EMOJI_LINE.index("[second]")
    assert ("GW201", "error", guide, guide_line, second + 2) in located
    assert ("GW201", "error", "website/docs/plain.md", 3, 5) in located
    assert any(code == "GW401" and level == "warning" for code, level, *_ in located)
    # Pages without frontmatter are listed, not alerts on every index page.
    assert not any(code == "GW003" for code, *_ in located)
    assert "website/docs/index.md" in run["properties"]["withoutFrontmatter"]
    assert run["properties"]["checked"] == 1
    # Every rule with its help; each result points at its own rule.
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == list(REGISTRY.codes)
    assert all(rule["help"]["text"] and rule["shortDescription"]["text"] for rule in rules)
    levels = {rule["id"]: rule["defaultConfiguration"]["level"] for rule in rules}
    assert levels["GW201"] == "error" and levels["GW401"] == "warning"
    assert {rule["id"]: rule["name"] for rule in rules}["GW201"] == "broken-link"
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["message"]["text"].startswith(("link: ", "review_date: "))
    # The same findings as the text format, line for line.
    text = run_cli("check", "--dest", str(site), cwd=site, home=home).stdout
    assert text.count("GW201") == sum(code == "GW201" for code, *_ in located)


def test_strict_makes_every_finding_an_error_and_lists_pages_without_frontmatter(
    tmp_path: Path, sarif_validator: jsonschema.Draft4Validator
) -> None:
    home = tmp_path / "home"
    _, site = _site_in_repository(tmp_path, home)
    log = _sarif(site, home, "--strict", "--ignore", "GW201")
    sarif_validator.validate(log)
    located = _located(log)
    assert {level for _, level, *_ in located} == {"error"}
    assert ("GW003", "error", "website/docs/index.md", 1, None) in located
    assert not any(code == "GW201" for code, *_ in located)
    assert log["runs"][0]["properties"]["withoutFrontmatter"] == []


def test_without_git_uris_are_relative_to_the_site(
    tmp_path: Path, sarif_validator: jsonschema.Draft4Validator
) -> None:
    home = tmp_path / "home"
    repository, site = _site_in_repository(tmp_path, home)
    shutil.rmtree(repository / ".git")
    log = _sarif(tmp_path, home, "--dest", str(site), str(site / "docs" / "plain.md"))
    sarif_validator.validate(log)
    assert log["runs"][0]["originalUriBaseIds"]["SRCROOT"]["uri"] == site.resolve().as_uri() + "/"
    assert _located(log) == [("GW201", "error", "docs/plain.md", 3, 5)]


def test_a_clean_site_gives_a_valid_log_without_results(
    tmp_path: Path, sarif_validator: jsonschema.Draft4Validator
) -> None:
    home = tmp_path / "home"
    site = make_site(tmp_path / "site")
    result = run_cli("check", "--format", "sarif", "--dest", str(site), cwd=site, home=home)
    assert result.returncode == 0
    log = json.loads(result.stdout)
    sarif_validator.validate(log)
    assert log["runs"][0]["results"] == []


@pytest.mark.parametrize(
    ("line", "column", "expected"),
    [
        ("[a](b)", 1, 1),
        ("😀[a](b)", 2, 3),  # astral: a surrogate pair
        ("é😀😀 [a](b)", 5, 7),
        ("\t日本 [a](b)", 4, 4),  # BMP characters are one code unit each
        ("", 3, 3),  # past the text (a line that changed since): kept as counted
    ],
)
def test_utf16_columns(line: str, column: int, expected: int) -> None:
    assert utf16_column(line, column) == expected


@given(st.text(st.sampled_from("a é😀\t日\U0010ffff𝄞"), max_size=20), st.data())
def test_a_utf16_column_points_at_the_same_character(line: str, data: st.DataObject) -> None:
    column = data.draw(st.integers(1, len(line) + 1))
    units = line.encode("utf-16-le")
    at = (utf16_column(line, column) - 1) * 2
    assert units[:at].decode("utf-16-le") == line[: column - 1]


def test_the_log_is_plain_data_and_files_outside_the_repository_are_absolute(
    sarif_validator: jsonschema.Draft4Validator,
) -> None:
    problems = [
        Problem("docs/a b.md", 2, "link", "x.md does not exist", ERROR, "GW201", column=3),
        Problem("/elsewhere/page.md", 1, "tags", "must be 2 to 6 tags", ERROR, "GW101"),
        Problem("docs/c.md", 4, "review_date", "passed", WARNING, "GW401"),
        Problem("docs/d.md", 1, "file", "a finding of no known rule", ERROR, ""),
    ]
    log = sarif_log(
        problems,
        REGISTRY,
        strict=False,
        tool_version="1.2.3",
        root_uri="file:///repo/",
        lines={"docs/a b.md": ["---", "😀[x](x.md)"]},
    )
    sarif_validator.validate(log)
    results = log["runs"][0]["results"]  # type: ignore[index]
    first = results[0]["locations"][0]["physicalLocation"]
    assert first["artifactLocation"] == {"uri": "docs/a%20b.md", "uriBaseId": "SRCROOT"}
    assert first["region"] == {"startLine": 2, "startColumn": 4}
    second = results[1]["locations"][0]["physicalLocation"]
    assert second["artifactLocation"] == {"uri": "file:///elsewhere/page.md"}
    assert [r["level"] for r in results] == ["error", "error", "warning", "error"]
    assert "ruleId" not in results[3] and "ruleIndex" not in results[3]
