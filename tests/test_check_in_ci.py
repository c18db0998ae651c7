"""`check` as CI reads it: exit 1 for findings, 2 when it could not run (and the log says
so in every format), GitHub paths from the repository's root."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from support import GUIDE_ARGS, git, make_site, run_cli

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
    site = make_site(repository / "website")
    git(repository, home, "init", "-q")
    assert run_cli(*GUIDE_ARGS, "--dest", str(site), cwd=site, home=home).returncode == 0
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
