"""`check` as CI reads it: exit 1 for findings, 2 when it could not run (and the log says
so in every format), GitHub paths from the repository's root, GW002 where PyYAML says."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from support import make_site, run_cli, site_with_a_guide_in_a_subfolder

SARIF_SCHEMA = Path(__file__).parent / "data" / "sarif-2.1.0.json"
GUIDE = "docs/system-design/caching-strategies.md"
# An unclosed flow list: PyYAML reports the list opened at line 4, column 7 (where the
# finding is), and the problem it noticed at `foo`'s colon (line 5, column 4).
BROKEN_YAML = "---\ntitle: A\nstatus: draft\ntags: [a, b\nfoo: 1\n---\n# A\n"


@pytest.fixture(scope="module")
def sarif_validator() -> jsonschema.Draft4Validator:
    return jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text("utf-8")))


def _site_in_subfolder(tmp_path: Path, home: Path) -> tuple[Path, Path]:
    """A git repository with the site in `website/`, one guide and a page with broken YAML."""
    repository = tmp_path / "repository"
    site = site_with_a_guide_in_a_subfolder(repository, home)
    (site / "docs" / "broken.md").write_text(BROKEN_YAML, "utf-8")
    return repository, site


def _unreachable_template(site: Path) -> None:
    """The site's config names a template that is not on this machine (made with
    `--template <local path>` on the author's laptop, checked on a runner)."""
    config = site / ".guidewright" / "config.yml"
    config.parent.mkdir(exist_ok=True)
    kept = config.read_text("utf-8") if config.exists() else ""
    lines = [line for line in kept.splitlines() if not line.startswith("template:")]
    config.write_text("\n".join(["template: /nowhere/template", *lines]) + "\n", "utf-8")


def test_gw002_is_at_the_line_and_column_pyyaml_reports_in_every_format(
    tmp_path: Path, home: Path, sarif_validator: jsonschema.Draft4Validator
) -> None:
    _, site = _site_in_subfolder(tmp_path, home)
    page = ["check", "--dest", str(site), str(site / "docs" / "broken.md")]
    text = run_cli(*page, cwd=site, home=home)
    assert text.returncode == 1
    assert (
        "docs/broken.md:4:7: GW002 frontmatter: invalid YAML: while parsing a flow sequence "
        "here: did not find expected ',' or ']' at line 5, column 4"
    ) in text.stdout
    listed = json.loads(run_cli(*page, "--format", "json", cwd=site, home=home).stdout)
    found = [p for p in listed["problems"] if p["code"] == "GW002"]
    assert [(p["line"], p["column"]) for p in found] == [(4, 7)]
    github = run_cli(*page, "--format", "github", cwd=site, home=home).stdout
    assert "::error file=website/docs/broken.md,line=4,col=7,title=GW002::" in github
    log = json.loads(run_cli(*page, "--format", "sarif", cwd=site, home=home).stdout)
    sarif_validator.validate(log)
    (result,) = [r for r in log["runs"][0]["results"] if r["ruleId"] == "GW002"]
    region = result["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 4, "startColumn": 7}


@pytest.mark.parametrize(
    ("yaml_text", "line", "column"),
    [
        ("title: A\n  bad: indent\n", 3, 6),  # mapping values not allowed: at the colon
        ('title: A\nfoo: "x\n', 3, 6),  # an unclosed quote: where it opened
        ("foo: x: y\n", 2, 7),
    ],
)
def test_gw002_follows_pyyaml_on_other_breakages(
    tmp_path: Path, home: Path, yaml_text: str, line: int, column: int
) -> None:
    site = make_site(tmp_path / "site")
    (site / "docs" / "page.md").write_text(f"---\n{yaml_text}---\n# Page\n", "utf-8")
    result = run_cli("check", "--format", "json", "--dest", str(site), cwd=site, home=home)
    (found,) = [p for p in json.loads(result.stdout)["problems"] if p["code"] == "GW002"]
    assert (found["line"], found["column"]) == (line, column)


def test_github_paths_are_relative_to_the_repository_root_wherever_check_runs(
    tmp_path: Path, home: Path
) -> None:
    repository, site = _site_in_subfolder(tmp_path, home)
    for cwd in (repository, site, site / "docs" / "system-design"):
        result = run_cli("check", "--format", "github", "--dest", str(site), cwd=cwd, home=home)
        assert result.returncode == 1, result.stderr
        files = {
            part.removeprefix("file=")
            for line in result.stdout.splitlines()
            for part in line.split(" ", 1)[1].split(",")
            if part.startswith("file=")
        }
        assert files == {"website/docs/broken.md", f"website/{GUIDE}"}, cwd


def test_findings_exit_1_and_the_log_says_the_run_succeeded(
    tmp_path: Path, home: Path, sarif_validator: jsonschema.Draft4Validator
) -> None:
    _, site = _site_in_subfolder(tmp_path, home)
    result = run_cli("check", "--format", "sarif", "--dest", str(site), cwd=site, home=home)
    assert result.returncode == 1
    log = json.loads(result.stdout)
    sarif_validator.validate(log)
    assert log["runs"][0]["invocations"] == [{"executionSuccessful": True, "exitCode": 1}]


def _could_not_run(site: Path, home: Path, output: str) -> tuple[str, str]:
    result = run_cli("check", "--format", output, "--dest", str(site), cwd=site, home=home)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert result.stderr.startswith("error: ") and "Traceback" not in result.stderr
    return result.stdout, result.stderr


def test_an_unreachable_template_exits_2_and_every_format_says_it_did_not_run(
    tmp_path: Path, home: Path, sarif_validator: jsonschema.Draft4Validator
) -> None:
    _, site = _site_in_subfolder(tmp_path, home)
    _unreachable_template(site)
    out, err = _could_not_run(site, home, "sarif")
    assert "/nowhere/template" in err
    log: dict[str, Any] = json.loads(out)
    sarif_validator.validate(log)
    run = log["runs"][0]
    assert run["results"] == []
    (invocation,) = run["invocations"]
    assert invocation["executionSuccessful"] is False and invocation["exitCode"] == 2
    (notification,) = invocation["toolExecutionNotifications"]
    assert "/nowhere/template" in notification["message"]["text"]
    out, _ = _could_not_run(site, home, "github")
    assert out.startswith("::error title=guidewright::could not check the site: ")
    out, _ = _could_not_run(site, home, "json")
    assert "/nowhere/template" in json.loads(out)["error"]
    out, _ = _could_not_run(site, home, "text")
    assert out == ""


def test_a_config_that_cannot_be_read_exits_2(
    tmp_path: Path, home: Path, sarif_validator: jsonschema.Draft4Validator
) -> None:
    site = make_site(tmp_path / "site")
    (site / ".guidewright").mkdir()
    (site / ".guidewright" / "config.yml").write_text("tags: [unclosed\n", "utf-8")
    out, err = _could_not_run(site, home, "sarif")
    log = json.loads(out)
    sarif_validator.validate(log)
    assert log["runs"][0]["invocations"][0]["executionSuccessful"] is False
    assert "config.yml" in err
