"""Creation is all or nothing, even when interrupted."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from support import REPO, snapshot

from guidewright.site.site import load_site
from guidewright.template import create
from guidewright.template.answering import collect_answers
from guidewright.template.questionnaire import load_questionnaire
from guidewright.template.source import TemplateSource

GIVEN = {
    "topic": "Queues",
    "section": "brand-new/nested",
    "tags": ["aa", "bb"],
    "learning_objectives": ["o"],
    "contributors": ["c"],
    "content_owner": "team",
}


@pytest.fixture
def answers(site: Path) -> dict[str, Any]:
    return collect_answers(load_questionnaire(REPO), "guide", GIVEN, load_site(site), None)


def test_interrupt_while_rendering_leaves_nothing(
    site: Path, template_copy: Path, answers: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = create.render_with_copier

    def render_then_interrupt(
        template: TemplateSource, destination: Path, data: Mapping[str, Any], answers_file: str
    ) -> None:
        real(template, destination, data, answers_file)
        raise KeyboardInterrupt

    monkeypatch.setattr(create, "render_with_copier", render_then_interrupt)
    before = snapshot(site)
    with pytest.raises(KeyboardInterrupt):
        create.create_document(load_site(site), answers, TemplateSource(str(template_copy), "test"))
    assert snapshot(site) == before
    assert sorted(p.name for p in site.iterdir()) == ["docs"]
    assert not (site / "docs/brand-new").exists()


def test_interrupt_while_placing_removes_the_placed_document(
    site: Path, template_copy: Path, answers: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The document linked into place, then an interrupt before its answers file (held in
    a real run; raised here by the link itself): the document goes again."""
    link = os.link
    links: list[str] = []

    def interrupted_second_link(*args: Any, **kwargs: Any) -> None:
        links.append(str(args[1]))
        if len(links) == 2:
            raise KeyboardInterrupt
        link(*args, **kwargs)

    monkeypatch.setattr(os, "link", interrupted_second_link)
    before = snapshot(site)
    with pytest.raises(KeyboardInterrupt):
        create.create_document(load_site(site), answers, TemplateSource(str(template_copy), "test"))
    assert links == ["queues.md", "queues.yml"]
    assert snapshot(site) == before
    assert sorted(p.name for p in site.iterdir()) == ["docs"]


def test_creates_both_files(site: Path, template_copy: Path, answers: dict[str, Any]) -> None:
    created = create.create_document(
        load_site(site), answers, TemplateSource(str(template_copy), "test")
    )
    assert created.path == site / "docs/brand-new/nested/queues.md"
    assert created.answers_path == site / ".guidewright/answers/brand-new/nested/queues.yml"
    assert "[Fundamentals](../../fundamentals/index.md)" not in created.path.read_text()


def test_an_answers_file_whose_page_moved_away_is_never_replaced(
    site: Path, template_copy: Path, answers: dict[str, Any]
) -> None:
    """The page was moved, its answers file was not: a new page at the old place would
    replace another page's recorded answers. Refused, in one line; nothing written."""
    from guidewright.core.errors import InvalidInput

    recorded = site / ".guidewright/answers/brand-new/nested/queues.yml"
    recorded.parent.mkdir(parents=True)
    recorded.write_bytes(b"_src_path: elsewhere\nsection: brand-new/nested\nslug: queues\n")
    before = snapshot(site)
    with pytest.raises(InvalidInput) as refused:
        create.create_document(load_site(site), answers, TemplateSource(str(template_copy), "test"))
    assert str(refused.value) == (
        "slug: .guidewright/answers/brand-new/nested/queues.yml exists, without its page "
        "(moved or deleted?): new never replaces an answers file; move it along with its "
        "page, delete it, or choose another slug"
    )
    assert snapshot(site) == before
    assert not (site / "docs/brand-new").exists()
