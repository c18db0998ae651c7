"""`check`'s machine formats hold whatever a page or its name holds: a key or file name
cannot emit a workflow command of its own (`\\r::add-mask::x`), and a file name that is
not UTF-8 is shown escaped in valid UTF-8, never a crash."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from support import (
    GUIDE_ARGS,
    GUIDEWRIGHT,
    HANG,
    commit_all,
    git,
    isolated_env,
    make_site,
    make_template_repo,
    run_cli,
)

from guidewright.check.github_annotations import annotation, escape_data, escape_property
from guidewright.core.shown_text import printable
from guidewright.rules.problems import Problem

# The runner reads a line at each CR, LF or CRLF (.NET's ReadLine).
_LINES = re.compile(r"\r\n|\r|\n")
HOSTILE_KEY = "x\r::add-mask::x\n::warning file=a::b,c:%0A"
HOSTILE_NAME = b"n\r::add-mask::n\n::error::x,y:%.md"
NOT_UTF8_NAME = b"caf\xe9.md"


def run_bytes(*args: str, cwd: Path, home: Path) -> subprocess.CompletedProcess[bytes]:
    """`guidewright ARGS`, output as bytes, in a UTF-8 locale (printing text Python cannot
    encode raises there, and is no longer hidden by the C locale's surrogateescape)."""
    return subprocess.run(
        [GUIDEWRIGHT, *args],
        cwd=cwd,
        capture_output=True,
        stdin=subprocess.DEVNULL,
        env=isolated_env(home, LC_ALL="C.UTF-8", PYTHONIOENCODING=""),
        timeout=HANG,
    )


@pytest.fixture(scope="module")
def made_hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """hostile_site's site, made once a module (`new-guide` is most of its making)."""
    root = tmp_path_factory.mktemp("hostile-names")
    site, home = make_site(root / "site"), root / "home"
    made = run_cli(*GUIDE_ARGS, "--dest", str(site), cwd=site, home=home)
    assert made.returncode == 0, made.stderr
    page = site / "docs/system-design/caching-strategies.md"
    text = page.read_text("utf-8")
    key = json.dumps(HOSTILE_KEY)  # a double-quoted YAML key, escapes and all
    page.write_text(text.replace("---\n", f"---\n{key}: 1\n", 1), "utf-8")
    docs = os.fsencode(site / "docs")
    for name in (HOSTILE_NAME, NOT_UTF8_NAME):
        with open(os.path.join(docs, name), "wb") as file:
            file.write(b"# Page\n\nSee [it](missing.md).\n")
    return site


@pytest.fixture
def hostile_site(made_hostile: Path, tmp_path: Path) -> Path:
    """A site with a guide whose frontmatter holds a key of workflow commands, and pages
    named with them and with bytes that are not UTF-8: a copy of the one made once."""
    return Path(shutil.copytree(made_hostile, tmp_path / "site", symlinks=True))


def test_escaping_follows_the_toolkit() -> None:
    assert escape_data("100% a\r\nb:c,d") == "100%25 a%0D%0Ab:c,d"
    assert escape_property("100% a\r\nb:c,d") == "100%25 a%0D%0Ab%3Ac%2Cd"
    problem = Problem("d,o:c%s\r.md", 3, "k\n::x", "m\r::y", "error", "GW104", 2)
    assert annotation(problem, strict=False) == (
        "::error file=d%2Co%3Ac%25s%0D.md,line=3,col=2,title=GW104::k%0A::x: m%0D::y"
    )


def test_no_line_of_github_output_is_a_command_of_the_page(hostile_site: Path, home: Path) -> None:
    result = run_bytes("check", "--format", "github", cwd=hostile_site, home=home)
    assert result.returncode == 1 and b"Traceback" not in result.stderr, result.stderr
    lines = [line for line in _LINES.split(result.stdout.decode("utf-8")) if line]
    assert len(lines) >= 4
    for line in lines:
        assert re.match(
            r"::(error|warning) file=[^:]*,line=\d+(,col=\d+)?,title=GW\d{3}::", line
        ), line
    ending = "title=GW104::x%0D::add-mask::x%0A::warning file=a::b,c:%250A: unknown key"
    assert any(line.endswith(ending) for line in lines), lines


@pytest.mark.parametrize("output", ["text", "json", "github", "sarif"])
def test_a_file_name_that_is_not_utf8_is_shown_escaped(
    hostile_site: Path, home: Path, output: str
) -> None:
    result = run_bytes("check", "--format", output, cwd=hostile_site, home=home)
    assert result.returncode == 1 and b"Traceback" not in result.stderr, result.stderr
    shown = result.stdout.decode("utf-8")  # strict: valid UTF-8
    if output == "sarif":
        results = json.loads(shown)["runs"][0]["results"]
        uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
        assert "docs/caf%E9.md" in uris  # the bytes of the name, as a URI has them
        assert "docs/n%0D%3A%3Aadd-mask%3A%3An%0A%3A%3Aerror%3A%3Ax%2Cy%3A%25.md" in uris
    elif output == "json":
        paths = {p["path"] for p in json.loads(shown)["problems"]}
        assert "docs/caf\\xe9.md" in paths
    else:
        assert "docs/caf\\xe9.md" in shown


def test_printable_shows_each_lone_surrogate() -> None:
    assert printable(os.fsdecode(NOT_UTF8_NAME)) == "caf\\xe9.md"
    assert printable("a\ud800b\udfff") == "a\\ud800b\\udfff"
    assert printable("café 😀") == "café 😀"


def test_no_line_of_text_output_is_a_command_of_the_page(hostile_site: Path, home: Path) -> None:
    """The text format is what a CI step prints when run plainly: a file name holding
    `\\r::add-mask::` is shown escaped, on its finding's line."""
    result = run_bytes("check", cwd=hostile_site, home=home)
    assert result.returncode == 1 and b"Traceback" not in result.stderr, result.stderr
    lines = _LINES.split(result.stdout.decode("utf-8"))
    assert not [line for line in lines if line.startswith("::")], lines
    assert any(
        line.startswith("docs/n\\r::add-mask::n\\n::error::x,y:%.md:3:") for line in lines
    ), lines


def test_update_check_shows_hostile_answers_escaped(tmp_path: Path, home: Path) -> None:
    """`update --check` names what an answers file records (`_commit`, `_src_path`) and
    the answers file: anyone can commit them, so they stay inside their line, and a name
    that is not UTF-8 is shown escaped in valid UTF-8."""
    repo = make_template_repo(tmp_path, home)
    site = tmp_path / "site"
    init = ("init", str(site), "--content-owner", "team", "--template", str(repo))
    assert run_cli(*init, cwd=tmp_path, home=home).returncode == 0
    for topic in ("Caching Strategies", "Queues"):
        made = run_cli(*GUIDE_ARGS[:-2], "--topic", topic, cwd=site, home=home)
        assert made.returncode == 0, made.stderr  # GUIDE_ARGS[:-2]: no --related
    answers = site / ".guidewright/answers/system-design/caching-strategies.yml"
    text = answers.read_text("utf-8")
    answers.write_text(text.replace("_commit: v1", f"_commit: {json.dumps(HOSTILE_KEY)}"))
    queues = os.fsencode(site / ".guidewright/answers/system-design/queues.yml")
    os.rename(queues, queues.replace(b"queues", NOT_UTF8_NAME.removesuffix(b".md")))
    commit_all(site, home, "hostile answers files")
    git(repo, home, "commit", "-q", "--allow-empty", "-m", "v2")
    git(repo, home, "tag", "v2")
    for output in ("text", "json"):
        result = run_bytes("update", "--check", "--format", output, cwd=site, home=home)
        assert result.returncode == 2 and b"Traceback" not in result.stderr, result.stderr
        shown = result.stdout.decode("utf-8")  # strict: valid UTF-8
        lines = _LINES.split(shown)
        assert not [line for line in lines if line.lstrip().startswith("::")], lines
        if output == "text":
            assert "version x\\r::add-mask::x\\n::warning file=a::b,c:%0A (_commit)" in shown
        else:
            listed = json.loads(shown)
            assert [b["answers_file"] for b in listed["behind"]] == [
                ".guidewright/answers/system-design/caf\\xe9.yml"
            ]
