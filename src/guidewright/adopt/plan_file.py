"""The plan file of `adopt --pretend --plan FILE`, read back by `adopt --data-file FILE`.

One YAML mapping keyed by page path (relative to the site root); each page maps its
questions to their answers. Each value is written as JSON (valid YAML, one line, loads
back to exactly the value) followed by a comment saying where it came from; a missing
answer is left blank to fill, a refused one too, with the reason.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from guidewright.adopt.answers import PagePlan, Refused
from guidewright.core.atomic import write_atomic
from guidewright.core.errors import InvalidInput
from guidewright.template.answering import load_data_file
from guidewright.template.questionnaire import Questionnaire

HEADER_START = b"# guidewright adopt plan:"  # how a plan adopt wrote is known again
HEADER = """\
# guidewright adopt plan: each page's answers, and where each came from.
# Fill the blank answers (YAML: a list is [a, b]), change any other, then apply it with:
#   guidewright adopt --data-file THIS-FILE
# A page keeps its place: its docs folder, section and slug are not answers here.
"""


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def plan_text(plans: list[PagePlan], refused: list[Refused], questionnaire: Questionnaire) -> str:
    """The plan file for these pages."""
    type_question = questionnaire.block.type_question
    lines = [HEADER]
    for item in refused:
        lines.append(f"# refused: {item.document}: {item.reason}\n")
    for plan in plans:
        lines.append(f"\n{_json(plan.document)}:\n")
        lines.append(
            f"  {type_question}: {_json(plan.content_type.value)}  # {plan.content_type.origin}\n"
        )
        problems = {p.split(":", 1)[0]: p for p in plan.problems}
        for name in questionnaire.questions:
            if name in plan.answers:
                answer = plan.answers[name]
                lines.append(f"  {name}: {_json(answer.value)}  # {answer.origin}\n")
            elif name in plan.missing:
                why = plan.refused_inferences.get(name)
                lines.append(f"  {name}:  # missing: fill in{f' ({why})' if why else ''}\n")
            elif name in problems:
                lines.append(f"  {name}:  # refused: {' '.join(problems[name].split())}\n")
        if plan.kept_keys:
            lines.append(
                f"  # kept as written, after the template's keys: {', '.join(plan.kept_keys)}\n"
            )
    return "".join(lines)


def refuse_foreign_file(path: Path, force: bool) -> None:
    """Refuse a plan's `path` that holds a file adopt did not write (a draft page or a
    mkdocs.yml named by mistake), unless `force`: asked before the run, and again as the
    plan is written."""
    if force:
        return
    try:
        with path.open("rb") as existing:
            start = existing.read(len(HEADER_START))
    except FileNotFoundError:
        return
    except IsADirectoryError as error:
        raise InvalidInput(f"--plan: {path} is a folder; name a file") from error
    except OSError as error:
        raise InvalidInput(f"--plan: cannot read {path}: {error.strerror}") from error
    if start != HEADER_START:
        raise InvalidInput(
            f"--plan: {path} exists and is not a plan adopt wrote: name another file, or "
            "pass --force to replace it"
        )


def write_plan(path: Path, text: str, force: bool) -> None:
    """Write the plan to `path`, replacing only a plan adopt wrote there before (or, with
    `force`, any file)."""
    refuse_foreign_file(path, force)
    try:
        write_atomic(path, text.encode("utf-8"))
    except OSError as error:
        raise InvalidInput(f"--plan: cannot write {path}: {error.strerror}") from error


def load_plan(path: Path) -> dict[str, dict[str, Any]]:
    """The per-page answers of a plan file, by page path."""
    data = load_data_file(path)
    for document, answers in data.items():
        if answers is None:
            data[document] = {}
        elif not isinstance(answers, dict) or not all(isinstance(k, str) for k in answers):
            raise InvalidInput(
                f"--data-file: {path}: {document}: must map question names to answers"
            )
    return data
