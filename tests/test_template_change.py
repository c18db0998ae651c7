"""The docs' worked example (docs/pages/maintainers/template.md), end to end: a template
maintainer changes the template (a choice, a question with and one without a default, a
content type with its own partial, a length bound, a per-type required key) and no line of
guidewright changes.

Then an author creates the new type (with -d and through the pty), `update` brings older
documents along, `check` judges old and new documents by their own versions, and
`schema` describes the new type."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pexpect
import pytest
import yaml
from built_once import built_once
from forked_terminal import ForkedTerminal
from support import HANG, commit_all, git, isolated_env, make_template_repo, run_cli

from guidewright.markdown import frontmatter

RULES = '{% import "template/_partials/rules.jinja" as r %}'
NEW_QUESTIONS = f"""
company_focus:
  type: str
  help: Company the document prepares for
  choices: [amazon, meta, google]
  default: amazon
  when: '{{{{ content_type != "tutorial" }}}}'

interviewer:
  type: str
  help: Who asks these questions
  when: '{{{{ content_type == "reference" }}}}'
  validator: '{RULES}{{{{ r.one_line(interviewer) }}}}'

complexity_score:
  type: int
  help: Complexity from 1 to 10
  when: '{{{{ content_type == "reference" }}}}'
  validator: '{{% if not (1 <= complexity_score <= 10) %}}must be from 1 to 10{{% endif %}}'
"""
REFERENCE_PARTIAL = """\
{%- import "template/_partials/macros.jinja" as links -%}
---
title: {{ links.yaml_value(title) }}
summary: {{ links.yaml_value(summary) }}
content_type: "reference"
{% for key in ["audience", "difficulty", "estimated_time", "tags", "last_updated", "version",
    "status", "prerequisites", "learning_objectives", "related_content", "progression_path",
    "contributors", "review_date", "content_owner", "technical_depth", "interview_focus",
    "company_focus", "interviewer", "complexity_score"] -%}
{{ key }}: {{ links.yaml_value(_copier_answers[key]) }}
{% endfor -%}
---

# {{ title }}

## Quick reference

Asked by {{ interviewer }}; complexity {{ complexity_score }} of 10.
"""


def change_the_template(repo: Path, home: Path) -> None:
    """Everything the docs' "Changing the template" does, as a maintainer would."""
    config = (repo / "copier.yml").read_text("utf-8")
    config = config.replace("choices: [L6, L7]", "choices: [L6, L7, L8]")
    config = config.replace("choices: [guide, tutorial]", "choices: [guide, tutorial, reference]")
    config = config.replace(  # a length bound
        "{{ r.one_line(summary) }}", "{{ r.length_between(summary, 10, 160) }}"
    )
    config = config.replace(
        "\n# What Copier has no words for", NEW_QUESTIONS + "\n# What Copier has no words for"
    )
    config = config.replace(
        "    tutorial:\n      help: A hands-on tutorial that builds something\n",
        "    tutorial:\n      help: A hands-on tutorial that builds something\n"
        "    reference:\n      help: A one-page reference card\n",
    )
    config += "    interviewer: Bar Raiser\n    complexity_score: 5\n"
    (repo / "copier.yml").write_text(config, "utf-8")
    (repo / "template/_partials/reference.md.jinja").write_text(REFERENCE_PARTIAL, "utf-8")
    guide = repo / "template/_partials/guide.md.jinja"
    text = guide.read_text("utf-8")
    text = text.replace(
        "interview_focus: {{ links.yaml_value(interview_focus) }}",
        "company_focus: {{ links.yaml_value(company_focus) }}\n"
        "interview_focus: {{ links.yaml_value(interview_focus) }}",
        1,
    )
    text = text.replace(
        "## 🎯 Key Takeaways and Next Steps",
        "## 🏢 Company focus: {{ company_focus }}\n\n---\n\n## 🎯 Key Takeaways and Next Steps",
        1,
    )
    guide.write_text(text, "utf-8")
    git(repo, home, "add", "-A")
    git(repo, home, "commit", "-q", "-m", "v2: reference type, company focus, L8")
    git(repo, home, "tag", "v2")


@pytest.fixture(scope="module")
def changed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """The site with its v1 guide and the template changed since, built once a run
    (built_once.py): work stealing may hand this module's tests to several workers, each
    of which built it (a second of CPU). They read it, or copy the site before changing
    it."""
    base = built_once(tmp_path_factory, "template-change", _build_changed)
    return base, base / "site", base / "template-repo"


def _build_changed(base: Path) -> None:
    home = base / "home"
    repo = make_template_repo(base, home)
    site = base / "site"
    init = ("init", str(site), "--content-owner", "team", "--template", str(repo))
    assert run_cli(*init, cwd=base, home=home).returncode == 0
    old_guide = run_cli(
        "new-guide",
        "--defaults",
        "--dest",
        str(site),
        "--topic",
        "Old Guide",
        "--section",
        "fundamentals",
        "--tag",
        "aws",
        "--tag",
        "coding",
        "--objective",
        "Explain it",
        cwd=base,
        home=home,
    )
    assert old_guide.returncode == 0, old_guide.stderr
    commit_all(site, home, "v1 documents", init=True)
    change_the_template(repo, home)


def test_the_template_checks_out(changed: tuple[Path, Path, Path]) -> None:
    base, _, repo = changed
    result = run_cli("template", "check", str(repo), cwd=base, home=base / "home")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "template ok" in result.stdout


def test_new_type_is_listed_and_described(changed: tuple[Path, Path, Path]) -> None:
    base, site, _ = changed
    types = run_cli("types", "--dest", str(site), cwd=base, home=base / "home")
    assert "reference" in types.stdout and "one-page reference card" in types.stdout
    described = run_cli(
        "new", "reference", "--help", "--dest", str(site), cwd=base, home=base / "home"
    )
    assert described.returncode == 0, described.stderr
    for text in ("interviewer", "complexity_score", "company_focus", "L8", "; required)"):
        assert text in described.stdout, text


def test_old_documents_are_checked_by_their_own_version(changed: tuple[Path, Path, Path]) -> None:
    base, site, _ = changed
    result = run_cli("check", "--dest", str(site), cwd=base, home=base / "home")
    assert result.returncode == 0, result.stdout
    assert "made with template version v1; the newest is v2" in result.stdout


def test_new_type_with_data_flags_then_update_then_check(
    changed: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    base, original, _ = changed
    home = base / "home"
    site = shutil.copytree(original, tmp_path / "site", symlinks=True)
    created = run_cli(
        "new",
        "reference",
        "--defaults",
        "--dest",
        str(site),
        "--topic",
        "Cheat Sheet",
        "--section",
        "practice",
        "--tag",
        "aws",
        "--tag",
        "coding",
        "--objective",
        "Recall",
        "-d",
        "complexity_score=7",
        "--interviewer",
        "Bar Raiser",
        "--audience",
        "L8",
        cwd=site,
        home=home,
    )
    assert created.returncode == 0, created.stderr
    parsed = frontmatter.parse((site / "docs/practice/cheat-sheet.md").read_text("utf-8"))
    assert parsed is not None
    assert parsed.data["complexity_score"] == 7 and parsed.data["audience"] == ["L8"]
    refused = run_cli(
        "new",
        "reference",
        "--defaults",
        "--dest",
        str(site),
        "--topic",
        "Too Hard To Rate",
        "--section",
        "practice",
        "--tag",
        "aws",
        "--tag",
        "coding",
        "--objective",
        "Recall",
        "-d",
        "complexity_score=11",
        "--interviewer",
        "Bar Raiser",
        cwd=site,
        home=home,
    )
    assert refused.returncode == 2
    assert refused.stderr.strip() == "error: complexity_score: must be from 1 to 10"
    missing = run_cli(
        "new",
        "reference",
        "--defaults",
        "--dest",
        str(site),
        "--topic",
        "Nobody Asked Yet",
        "--section",
        "practice",
        "--tag",
        "aws",
        "--tag",
        "coding",
        "--objective",
        "Recall",
        cwd=site,
        home=home,
    )
    assert missing.returncode == 2
    assert "--interviewer (interviewer), --complexity-score (complexity_score)" in missing.stderr
    git(site, home, "add", "-A")
    git(site, home, "commit", "-q", "-m", "a reference")
    updated = run_cli("update", "--defaults", "--dest", str(site), cwd=site, home=home)
    assert updated.returncode == 0, updated.stdout + updated.stderr
    old = (site / "docs/fundamentals/old-guide.md").read_text("utf-8")
    assert 'company_focus: "amazon"' in old and "## 🏢 Company focus: amazon" in old
    answers = yaml.safe_load(
        (site / ".guidewright/answers/fundamentals/old-guide.yml").read_text("utf-8")
    )
    assert answers["_commit"] == "v2" and answers["company_focus"] == "amazon"
    checked = run_cli("check", "--dest", str(site), cwd=site, home=home)
    assert checked.returncode == 0, checked.stdout
    assert "made with template version" not in checked.stdout
    long_summary = old.replace('summary: "', 'summary: "' + "x" * 200, 1)
    (site / "docs/fundamentals/old-guide.md").write_text(long_summary, "utf-8")
    too_long = run_cli("check", "--dest", str(site), cwd=site, home=home)
    assert "summary: must be one line of 10 to 160 characters" in too_long.stdout
    schema = json.loads(
        run_cli("schema", "reference", "--dest", str(site), cwd=site, home=home).stdout
    )
    assert schema["properties"]["complexity_score"]["type"] == "integer"
    assert "complexity_score" in schema["required"]
    assert schema["properties"]["guide_type"] is False  # another type's key: refused
    assert schema["properties"]["audience"]["items"]["enum"] == ["L6", "L7", "L8"]


def test_new_type_through_the_terminal(changed: tuple[Path, Path, Path], tmp_path: Path) -> None:
    base, original, _ = changed
    site = shutil.copytree(original, tmp_path / "site", symlinks=True)
    child = ForkedTerminal(
        [
            "new",
            "reference",
            "--topic",
            "Pty Reference Card",
            "--section",
            "practice",
            "--tag",
            "aws",
            "--tag",
            "coding",
            "--objective",
            "Recall",
            "--contributor",
            "Ada",
        ],
        cwd=str(site),
        env=isolated_env(base / "home", PROMPT_TOOLKIT_NO_CPR="1", TERM="xterm"),
        encoding="utf-8",
        timeout=HANG,
        dimensions=(40, 160),
    )
    # The essentials not given; the other questions are asked only if they have no default.
    for label in ["Audience", "Difficulty"]:
        child.expect(label)
        child.send("\r")
    child.expect("Who asks these questions")
    child.send("Hiring Manager\r")
    child.expect("Complexity from 1 to 10")
    child.send("12\r")
    child.expect("complexity_score: must be from 1 to 10")
    child.send("\b\b3\r")
    child.expect(r"Create docs/practice/pty-reference-card\.md")
    child.send("\r")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    parsed = frontmatter.parse((site / "docs/practice/pty-reference-card.md").read_text("utf-8"))
    assert parsed is not None
    assert parsed.data["interviewer"] == "Hiring Manager" and parsed.data["complexity_score"] == 3
