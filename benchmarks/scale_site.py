"""Build a generated site of 100,000 pages in about a minute, for benchmarks/bench_scale.py.

site_factory.py renders every page with the template (a few ms each: minutes for 100,000
pages). A page's rendered bytes (page and answers file) depend on its number only through
the text of that number (`Topic 123`, `topic-123`, `Objective 123`) and its remainder by 6
(content type, section, tags). So each (remainder, number of digits) is rendered once with
the real renderer, with a marker number of that many digits in place of the page's, and
every other page is that rendering with the marker replaced. Pages below 100 are rendered
for real, and a sample of the others is rendered for real and compared byte for byte: a
builder that drifted from the renderer fails instead of benchmarking other pages.
"""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

from site_factory import SECTIONS, document_answers, new_site

from guidewright.copier_compat.render import TemplateRenderer

RENDERED_BELOW = 100  # pages 0..99 are rendered for real (a 1- or 2-digit marker could collide)
SAMPLE = 24  # pages above that rendered for real and compared with their copies


def _marker(digits: int, remainder: int) -> int:
    """A number of `digits` digits, `remainder` modulo 6, whose text is nowhere in a page
    but where the page number goes: 88..8 with its last digit chosen for the remainder."""
    stem = int("8" * (digits - 1)) * 10
    return next(stem + last for last in range(10) if (stem + last) % len(SECTIONS) == remainder)


class FastRenderer:
    """The rendered files of page `index`, as TemplateRenderer gives them."""

    def __init__(self, template: Path, src_path: str, commit: str | None) -> None:
        self.renderer = TemplateRenderer(template)
        self.src_path, self.commit = src_path, commit
        self.bases: dict[tuple[int, int], tuple[str, dict[str, bytes]]] = {}

    def real(self, index: int) -> dict[str, bytes]:
        return self.renderer.render(
            document_answers(index), src_path=self.src_path, commit=self.commit
        )

    def files(self, index: int) -> dict[str, bytes]:
        if index < RENDERED_BELOW:
            return self.real(index)
        key = (len(str(index)), index % len(SECTIONS))
        if key not in self.bases:
            marker = _marker(*key)
            self.bases[key] = (str(marker), self.real(marker))
        marker, rendered = self.bases[key]
        number, marked = str(index), marker.encode()
        return {
            relpath.replace(marker, number): content.replace(marked, number.encode())
            for relpath, content in rendered.items()
        }


def template_key(template: Path) -> str:
    """What the pages are rendered from: every file of the template and its copier.yml."""
    digest = hashlib.sha256()
    for path in sorted([template / "copier.yml", *(template / "template").rglob("*")]):
        if path.is_file():
            digest.update(str(path.relative_to(template)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def build_scale_site(
    root: Path, count: int, template: Path, src_path: str, commit: str | None, guidewright: str
) -> None:
    """`count` generated pages and their answers files in a new site at `root`."""
    new_site(root, guidewright)
    fast = FastRenderer(template, src_path, commit)
    made: set[Path] = set()
    for index in range(count):
        for relpath, content in fast.files(index).items():
            target = root / relpath
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            target.write_bytes(content)
    chosen = random.Random(count).sample(range(RENDERED_BELOW, count), min(SAMPLE, count - 100))
    for index in [*chosen, count - 1] if count > RENDERED_BELOW else []:
        for relpath, content in fast.real(index).items():
            if (root / relpath).read_bytes() != content:
                raise SystemExit(f"page {index}: {relpath} differs from the template's rendering")
