"""Random author edits plus a template change never lose an author's line silently."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from edited_guides import NEW_SECTION, REWORDED
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import REPO

from guidewright.copier_compat.render import TemplateRenderer
from guidewright.copier_compat.update_merge import MergeInput, merge_all

ANSWERS = {
    "content_type": "guide",
    "docs_dir": "docs",
    "topic": "Queues",
    "section": "s",
    "slug": "q",
    "title": "Queues",
    "summary": "S",
    "audience": ["L6"],
    "difficulty": "advanced",
    "estimated_time": "45 min",
    "tags": ["aa", "bb"],
    "last_updated": "2026-01-01",
    "version": "1.0",
    "status": "draft",
    "guide_type": "deep_dive",
    "deliverables": [],
    "success_criteria": [],
    "prerequisites": [],
    "learning_objectives": ["o"],
    "related_content": [],
    "progression_path": "p",
    "contributors": ["c"],
    "review_date": "2026-02-01",
    "content_owner": "t",
    "technical_depth": "component",
    "interview_focus": "technical",
}
DOCUMENT = "docs/s/q.md"


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, bytes]:
    root = tmp_path_factory.mktemp("versions")
    for name in ("v1", "v2"):
        (root / name).mkdir()
        shutil.copy(REPO / "copier.yml", root / name / "copier.yml")
        shutil.copytree(REPO / "template", root / name / "template")
    partial = root / "v2/template/_partials/guide.md.jinja"
    text = partial.read_text("utf-8").replace(
        "## 🚀 Advanced Applications", NEW_SECTION + "## 🚀 Advanced Applications", 1
    )
    partial.write_text(text.replace(REWORDED[0], REWORDED[1], 1), "utf-8")
    old = TemplateRenderer(root / "v1").render(ANSWERS, src_path="t", commit="v1")[DOCUMENT]
    new = TemplateRenderer(root / "v2").render(ANSWERS, src_path="t", commit="v2")[DOCUMENT]
    assert old != new
    return old, new


edit = st.tuples(st.sampled_from(["insert", "delete", "replace"]), st.integers(0, 10_000))


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(edits=st.lists(edit, min_size=1, max_size=8))
def test_author_lines_always_survive(
    versions: tuple[bytes, bytes], edits: list[tuple[str, int]]
) -> None:
    old, new = versions
    lines = old.decode("utf-8").split("\n")
    authored = []
    for number, (kind, position) in enumerate(edits):
        index = position % len(lines)
        line = f"AUTHOR LINE {number}: my own words"
        if kind == "insert":
            lines.insert(index, line)
            authored.append(line)
        elif kind == "delete" and len(lines) > 1:
            if lines[index].startswith("AUTHOR LINE"):
                authored.remove(lines[index])
            del lines[index]
        elif kind == "replace":
            if lines[index].startswith("AUTHOR LINE"):
                authored.remove(lines[index])
            lines[index] = line
            authored.append(line)
    current = "\n".join(lines).encode("utf-8")
    with tempfile.TemporaryDirectory() as scratch:
        result = merge_all([MergeInput(DOCUMENT, old, current, new)], Path(scratch))[DOCUMENT]
    merged_lines = result.content.decode("utf-8").split("\n")
    for line in authored:
        assert line in merged_lines, line
    if not result.conflict_lines and "## 🚀 Advanced Applications" in lines:
        # Nothing conflicts and the author kept the heading the change hangs on: it landed.
        assert NEW_SECTION.split("\n")[0] in merged_lines
