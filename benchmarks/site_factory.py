"""Build a site of N documents quickly, for the benchmarks."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

from guidewright import schema
from guidewright.template.jinja import default_value
from guidewright.template.render import TemplateRenderer

SECTIONS = ("fundamentals", "system-design", "coding", "behavioral", "practice", "experiences")


def document_answers(index: int) -> dict[str, Any]:
    content_type = "guide" if index % 2 == 0 else "tutorial"
    section = SECTIONS[index % len(SECTIONS)]
    answers: dict[str, Any] = {
        "content_type": content_type, "docs_dir": "docs", "topic": f"Topic {index}",
        "section": section, "slug": f"topic-{index}", "tags": ["aws", SECTIONS[(index + 1) % 6]],
        "learning_objectives": [f"Objective {index}"], "skills_taught": ["skill"],
        "contributors": ["Ada"], "content_owner": "platform-team", "last_updated": "2026-11-01",
        "prerequisites": [f"{section}/index.md"], "related_content": ["index.md"],
    }  # fmt: skip
    for field in schema.fields_for(content_type):
        if field.key not in answers:
            answers[field.key] = default_value(field, content_type, answers)
    return {k: answers[k] for k in (f.key for f in schema.fields_for(content_type))}


def build_site(
    root: Path, count: int, template: Path, src_path: str, commit: str | None, guidewright: str
) -> None:
    if root.exists():
        shutil.rmtree(root)
    subprocess.run(
        [guidewright, "init", str(root), "--content-owner", "platform-team"],
        check=True,
        capture_output=True,
    )
    renderer = TemplateRenderer(template)
    for index in range(count):
        for relpath, content in renderer.render(
            document_answers(index), src_path=src_path, commit=commit
        ).items():
            target = root / relpath
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
