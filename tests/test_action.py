"""The repository's GitHub Action (`action.yml`) run step by step as the runner runs it
(tests/github_runner.py), on a repository whose site is in a subfolder.

The install step is pointed at this checkout: `pipx` is a stand-in that checks what it is
asked to install (the action's own files, or `git+URL@REF` of a ref this checkout has)
and puts a `guidewright` running this checkout's code on the path, where the real one
would build it from the network. Everything after that is the real command."""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from github_runner import ActionRun, run_composite_action
from support import REPO, git, isolated_env, site_with_a_guide_in_a_subfolder

SARIF_SCHEMA = Path(__file__).parent / "data" / "sarif-2.1.0.json"
GUIDE = "website/docs/system-design/caching-strategies.md"
BROKEN = "See [the basics](basics.md) first."

# Refuses anything but this checkout, then installs its code as `guidewright`.
FAKE_PIPX = """#!{python}
import os, subprocess, sys
from pathlib import Path
args = sys.argv[1:]
assert args[:2] == ["install", "--force"] and len(args) == 3, args
spec, repo = args[2], {repo!r}
if spec.startswith("git+"):
    url, ref = spec.removeprefix("git+").rsplit("@", 1)
    assert url == "file://" + repo, url
    subprocess.run(["git", "-C", repo, "rev-parse", "--verify", ref + "^{{commit}}"], check=True,
                   capture_output=True)
else:
    assert Path(spec).resolve() == Path(repo).resolve(), spec
with open(Path(os.environ["HOME"]) / "pipx-installed", "a") as log:
    print(spec, file=log)
bin_dir = Path(os.environ["PIPX_BIN_DIR"])
bin_dir.mkdir(parents=True, exist_ok=True)
wrapper = bin_dir / "guidewright"
wrapper.write_text("#!/bin/sh\\nPYTHONPATH={repo}/src exec {python} -m guidewright \\"$@\\"\\n")
wrapper.chmod(0o755)
print("installed package guidewright")
"""


@pytest.fixture(scope="module")
def sarif_validator() -> jsonschema.Draft4Validator:
    return jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text("utf-8")))


def _repository(tmp_path: Path, home: Path) -> Path:
    """A git repository with the site in `website/` and a guide with a broken link."""
    repository = tmp_path / "repository"
    site_with_a_guide_in_a_subfolder(repository, home)
    with (repository / GUIDE).open("a", encoding="utf-8") as page:
        page.write(f"\n{BROKEN}\n")
    git(repository, home, "add", "-A")
    git(repository, home, "commit", "-qm", "site")
    return repository


def _run(tmp_path: Path, home: Path, workspace: Path, **inputs: str) -> ActionRun:
    tools = tmp_path / "tools"
    tools.mkdir(exist_ok=True)
    pipx = tools / "pipx"
    pipx.write_text(FAKE_PIPX.format(python=sys.executable, repo=str(REPO)), "utf-8")
    pipx.chmod(pipx.stat().st_mode | stat.S_IEXEC)
    pipx_bin = tmp_path / "pipx-bin"  # on the PATH of GitHub's runners, as /opt/pipx_bin is
    env = isolated_env(home, PIPX_BIN_DIR=str(pipx_bin))
    env["PATH"] = os.pathsep.join([str(tools), str(pipx_bin), "/usr/bin", "/bin"])
    return run_composite_action(REPO, inputs, workspace, env, tmp_path / "runner")


def _sarif(workspace: Path, validator: jsonschema.Draft4Validator) -> dict[str, Any]:
    log: dict[str, Any] = json.loads((workspace / "guidewright.sarif").read_text("utf-8"))
    validator.validate(log)
    return log


def test_a_broken_link_in_a_subfolder_site_is_annotated_and_uploaded(
    tmp_path: Path, home: Path, sarif_validator: jsonschema.Draft4Validator
) -> None:
    workspace = _repository(tmp_path, home)
    run = _run(tmp_path, home, workspace, dest="website")
    install = run.step("Install guidewright")
    assert install.returncode == 0, install.stderr
    assert (home / "pipx-installed").read_text().split() == [str(REPO)]  # the action's files
    check = run.step("Check the site")
    assert check.returncode == 1, check.stdout + check.stderr
    assert run.outputs["exit-code"] == "1"
    line = (workspace / GUIDE).read_text("utf-8").split("\n").index(BROKEN) + 1
    column = BROKEN.index("[") + 1
    annotation = f"::error file={GUIDE},line={line},col={column},title=GW201::link: basics.md"
    assert annotation in check.stdout
    log = _sarif(workspace, sarif_validator)
    (run_log,) = log["runs"]
    assert run_log["invocations"] == [{"executionSuccessful": True, "exitCode": 1}]
    located = [
        (
            r["ruleId"],
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"],
        )
        for r in run_log["results"]
    ]
    assert ("GW201", GUIDE, {"startLine": line, "startColumn": column}) in located
    upload = run.step("Upload the SARIF log to code scanning")
    assert upload.uses.startswith("github/codeql-action/upload-sarif@")
    assert upload.with_ == {"sarif_file": "guidewright.sarif", "category": "guidewright"}


def test_an_unreachable_template_exits_2_with_a_log_that_says_so_and_no_upload(
    tmp_path: Path, home: Path, sarif_validator: jsonschema.Draft4Validator
) -> None:
    workspace = _repository(tmp_path, home)
    config = workspace / "website" / ".guidewright" / "config.yml"
    settings = yaml.safe_load(config.read_text("utf-8")) or {}
    config.write_text(yaml.safe_dump({**settings, "template": "/home/author/my-template"}))
    run = _run(
        tmp_path, home, workspace, dest="website", version="HEAD", repository=f"file://{REPO}"
    )
    assert run.step("Install guidewright").returncode == 0
    assert (home / "pipx-installed").read_text().split() == [f"git+file://{REPO}@HEAD"]
    check = run.step("Check the site")
    assert check.returncode == 2 and run.outputs["exit-code"] == "2"
    assert "::error title=guidewright::could not check the site: " in check.stdout
    assert "/home/author/my-template" in check.stderr
    log = _sarif(workspace, sarif_validator)
    (invocation,) = log["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    assert (
        "/home/author/my-template" in invocation["toolExecutionNotifications"][0]["message"]["text"]
    )
    assert log["runs"][0]["results"] == []
    # An empty log uploaded would close every open alert as if fixed.
    assert run.step("Upload the SARIF log to code scanning").returncode is None


def test_the_release_workflow_builds_the_wheel_and_attaches_it_to_tags() -> None:
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "release.yml").read_text("utf-8"))
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert triggers["push"]["tags"] == ["v*"]
    assert workflow["permissions"] == {"contents": "write"}
    (job,) = workflow["jobs"].values()
    commands = "\n".join(step.get("run", "") for step in job["steps"])
    assert "python -m build" in commands
    assert 'gh release create "$GITHUB_REF_NAME"' in commands and "dist/*" in commands
