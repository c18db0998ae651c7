"""A generated brownfield MkDocs site: hand-written pages, no guidewright, every oddity
`adopt` must keep (for tests/test_adopt_site.py and benchmarks/bench_adopt.py)."""

from __future__ import annotations

from pathlib import Path

FOLDERS = ("fundamentals", "system-design", "coding", "behavioral", "deep/nested/topics")
MKDOCS = """\
site_name: Brownfield
docs_dir: docs
theme:
  name: material
plugins:
  - search
validation:
  omitted_files: warn
  unrecognized_links: warn
  anchors: warn
"""
BOM = b"\xef\xbb\xbf"


def _body(number: int, folder: str, heading: bool = True) -> str:
    other = f"page-{(number + 1) % 40:03}.md"
    title = (
        f"# Topic {number}: {folder.split('/')[-1].replace('-', ' ').title()}\n\n"
        if heading
        else ""
    )
    return (
        f"{title}Topic {number} explains how {folder} works in practice, with the trade-offs "
        f"an engineering manager should be able to discuss in an interview.\n\n"
        f"## Details\n\n"
        + "Words about the topic and its trade-offs. " * (number % 7 * 40 + 5)
        + f"\n\nSee [the next page]({other}).\n"
    )


def make_brownfield(root: Path, pages: int) -> list[str]:
    """The site at `root` with `pages` pages (relative to root) besides the home page."""
    docs = root / "docs"
    docs.mkdir(parents=True)
    (root / "mkdocs.yml").write_text(MKDOCS)
    (docs / "index.md").write_text("# Home\n\nThe site.\n")
    written = []
    for number in range(pages):
        folder = FOLDERS[number % len(FOLDERS)]
        relpath = f"docs/{folder}/page-{number // len(FOLDERS):03}.md"
        body = _body(number // len(FOLDERS), folder)
        content = body.encode()
        if number % 5 == 1:  # a partial hand-written frontmatter with keys of its own
            content = (
                f"---\nweight: {number}\ntitle: Hand Title {number}\nauthor_note: keep me\n---\n"
            ).encode() + content
        if number % 6 == 2:
            content = content.replace(b"\n", b"\r\n")
        if number % 11 == 3:
            content = content.rstrip(b"\n")  # no final newline
        (root / relpath).parent.mkdir(parents=True, exist_ok=True)
        (root / relpath).write_bytes(content)
        written.append(relpath)
    odd = {
        "docs/faq.md": BOM + b"# FAQ\n\nQuestions people ask, answered once.\n",
        "docs/fundamentals/CAP_Theorem.md": b"# CAP Theorem\n\nConsistency, availability.\n",
        "docs/coding/no-heading.md": b"Text with no heading at all, a paragraph of prose.\n",
        "docs/coding/odd-bytes.md": b"# Odd \xe2\x80\x94 bytes\n\nA tab\there and a \x0b.\n",
    }
    for relpath, content in odd.items():
        (root / relpath).write_bytes(content)
        written.append(relpath)
    return written
