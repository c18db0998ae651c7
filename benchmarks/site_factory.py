"""Build a site of N documents quickly, for the benchmarks."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

from guidewright.copier_compat.render import TemplateRenderer
from guidewright.template.questionnaire import load_questionnaire

REPO = Path(__file__).resolve().parents[1]
SECTIONS = ("fundamentals", "system-design", "coding", "behavioral", "practice", "experiences")


def document_answers(index: int) -> dict[str, Any]:
    content_type = "guide" if index % 2 == 0 else "tutorial"
    section = SECTIONS[index % len(SECTIONS)]
    answers: dict[str, Any] = {
        "content_type": content_type,
        "docs_dir": "docs",
        "topic": f"Topic {index}",
        "section": section,
        "slug": f"topic-{index}",
        "tags": ["aws", SECTIONS[(index + 1) % 6]],
        "learning_objectives": [f"Objective {index}"],
        "skills_taught": ["skill"],
        "contributors": ["Ada"],
        "content_owner": "platform-team",
        "last_updated": "2026-11-01",
        "prerequisites": [f"{section}/index.md"],
        "related_content": ["index.md"],
    }
    questionnaire = load_questionnaire(REPO)
    complete: dict[str, Any] = {}
    for question, applies in questionnaire.walk(answers):
        if applies:
            given = answers.get(question.name)
            complete[question.name] = (
                given if given is not None else question.default_value(complete)
            )
    return complete


def new_site(root: Path, guidewright: str) -> None:
    """A new site at `root` (what was there removed), made by `guidewright init`."""
    if root.exists():
        shutil.rmtree(root)
    subprocess.run(
        [guidewright, "init", str(root), "--content-owner", "platform-team"],
        check=True,
        capture_output=True,
    )


def build_site(
    root: Path, count: int, template: Path, src_path: str, commit: str | None, guidewright: str
) -> None:
    new_site(root, guidewright)
    renderer = TemplateRenderer(template)
    for index in range(count):
        for relpath, content in renderer.render(
            document_answers(index), src_path=src_path, commit=commit
        ).items():
            target = root / relpath
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
