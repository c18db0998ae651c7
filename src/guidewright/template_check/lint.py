"""`guidewright template check`: what a template maintainer must fix before a release.

The block's format, every question (type, choices, `when`, default, validator compile),
the names the tool needs, and, for every content type, a document rendered from the
block's `examples` plus the defaults that `check` itself accepts.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from jinja2 import TemplateError, TemplateSyntaxError

from guidewright.check.site_check import Judges, check_documents
from guidewright.copier_compat.config import read_template_config
from guidewright.copier_compat.confinement import judge_output
from guidewright.copier_compat.questions import MISSING, Question
from guidewright.copier_compat.render import TemplateRenderer
from guidewright.core import safe_yaml
from guidewright.core.bounded_read import YAML_BYTES, read_bounded
from guidewright.core.errors import AnswerError, GuidewrightError, TemplateRefused
from guidewright.rules.problems import ERROR
from guidewright.site.site import Site, SiteConfig
from guidewright.template.answering import LOCATION
from guidewright.template.questionnaire import Questionnaire, questionnaire_from_config
from guidewright.template_check.migrations_check import migration_problems
from guidewright.template_check.rule_schemas_check import rule_schema_findings
from guidewright.template_check.stopped_keys import stopped_key_warnings


@dataclass(frozen=True, order=True)
class Finding:
    """One thing a template maintainer must fix (or, a warning, should look at)."""

    path: str
    line: int
    message: str
    warning: bool = False


def _question_lines(path: Path | None) -> dict[str, int]:
    """The line of each top-level key of copier.yml (its first document that has it)."""
    if path is None:
        return {}
    lines: dict[str, int] = {}
    try:
        text = read_bounded(path, YAML_BYTES).decode("utf-8")
        for node in yaml.compose_all(text, Loader=safe_yaml.PlainLoader):
            if isinstance(node, yaml.MappingNode):
                for key, _ in node.value:
                    lines.setdefault(str(key.value), key.start_mark.line + 1)
    except (yaml.YAMLError, UnicodeDecodeError, OSError):
        pass  # the loader reports it
    return lines


def _compiles(questionnaire: Questionnaire, question: Question) -> str | None:
    for setting in ("default", "when", "validator", "help", "choices", "type"):
        value = getattr(question, setting)
        sources = value if isinstance(value, list) else [value]
        for source in sources:
            if isinstance(source, str):
                try:
                    questionnaire.jinja.env.parse(source)
                except TemplateSyntaxError as error:
                    return f"{setting}: Jinja does not compile: {error.message}"
    return None


def _question_findings(
    questionnaire: Questionnaire, shown: str, lines: dict[str, int]
) -> list[Finding]:
    findings = []
    for name, question in questionnaire.questions.items():
        line = lines.get(name, 1)
        problem = _compiles(questionnaire, question)
        if problem is None:
            try:
                question.type_name({})
                question.choice_list(questionnaire.typical_answers(questionnaire.content_types[0]))
            except (AnswerError, TemplateError, TemplateRefused, ValueError, TypeError) as error:
                problem = str(error)
        if problem:
            findings.append(Finding(shown, line, f"{name}: {problem}"))
    for name in LOCATION:
        if name not in questionnaire.questions:
            findings.append(
                Finding(shown, 1, f"{name}: guidewright places documents by it; add the question")
            )
    return findings


def _example_answers(
    questionnaire: Questionnaire, content_type: str
) -> tuple[dict[str, Any], list[str]]:
    """The block's examples plus defaults, question by question, and what is wrong."""
    examples = questionnaire.block.examples
    answers: dict[str, Any] = {questionnaire.block.type_question: content_type}
    problems = []
    for question, applies in questionnaire.walk(answers):
        name = question.name
        if not applies or name in answers:
            continue
        try:
            raw = examples[name] if name in examples else question.default_value(answers)
        except (AnswerError, TemplateError) as error:
            problems.append(f"{name}: its default fails: {error}")
            continue
        if raw is MISSING:
            problems.append(f"{name}: has no default; give one in _guidewright: examples")
            continue
        value, problem = question.problem(raw, answers)
        if problem:
            origin = "example" if name in examples else "default"
            problems.append(f"{name}: the {origin} {raw!r} is refused: {problem}")
            continue
        answers[name] = value
    return answers, problems


def _rendered_problems(
    template: Path, questionnaire: Questionnaire, answers: dict[str, Any]
) -> list[str]:
    with tempfile.TemporaryDirectory(prefix="guidewright-template-check-") as scratch:
        root = Path(scratch)
        try:
            files = TemplateRenderer(template).render(answers, src_path=str(template), commit=None)
            # What the template renders is written only inside the scratch folder.
            targets = {root / judge_output(p, "rendered file"): c for p, c in files.items()}
            docs = root / judge_output(str(answers.get("docs_dir", "docs")), "docs_dir example")
        except GuidewrightError as error:
            return [error.message]
        except (TemplateError, OSError) as error:
            return [f"does not render: {error}"]
        for target, content in targets.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        docs.mkdir(parents=True, exist_ok=True)
        site = Site(root, docs.relative_to(root).as_posix(), SiteConfig())
        report = check_documents(site, None, dt.date.today(), Judges(questionnaire, {}, []))
    problems = report.problems
    if not report.checked:
        return ["renders no document with its frontmatter"]
    return [f"{p.path}:{p.line}: {p.field}: {p.message}" for p in problems if p.severity == ERROR]


def check_template(template: Path) -> list[Finding]:
    """Every finding for the template at `template` (a folder); none means ready."""
    try:
        config = read_template_config(template)
        questionnaire = questionnaire_from_config(config, template.resolve())
    except GuidewrightError as error:
        return [Finding("copier.yml", 1, error.message.removeprefix("copier.yml: "))]
    shown = config.path.name if config.path else "copier.yml"
    lines = _question_lines(config.path)
    findings = _question_findings(questionnaire, shown, lines)
    block_line = lines.get("_guidewright", 1)
    findings += [Finding(shown, block_line, p) for p in migration_problems(questionnaire)]
    if findings:
        return findings
    for name, problem in rule_schema_findings(questionnaire):
        findings.append(Finding(shown, lines.get(name, 1), f"{name}: JSON Schema: {problem}"))
    examples = {}
    for content_type in questionnaire.content_types:
        try:
            answers, problems = _example_answers(questionnaire, content_type)
            if not problems:
                problems = _rendered_problems(template, questionnaire, answers)
        except TemplateRefused as error:  # a validator or default that reads outside
            problems = [error.message]
        findings += [Finding(shown, 1, f"content type {content_type}: {p}") for p in problems]
        if not problems:
            examples[content_type] = answers
    if not findings:
        warned = stopped_key_warnings(template, questionnaire, examples)
        findings += [Finding(shown, 1, warning, warning=True) for warning in warned]
    return sorted(findings)
