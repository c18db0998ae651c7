"""The Markdown parsers we considered, on the same generated 10 KB guide, and on random inputs.

    python benchmarks/bench_parsers.py [--parses 200] [--fuzz 20000]

Per page: the median of --parses parses of one page (the template's guide, rendered, its body
repeated to 10 KB), each parser asked for what `check` needs: a tree or events with source
positions. Also `markdown.pyromark.read`, our whole outline (links, headings, list items,
positions in characters) on top of pyromark. Then --fuzz random short inputs made of
brackets, backticks, `!`, `#`, `*`, `<`, `>`, `\\`, spaces and newlines, counting the ones a
parser raises on (a Rust panic raises `PanicException`). A parser that is not installed is
skipped (markdown-it-pyrs has no wheel for Python 3.13: `pip install markdown-it-pyrs` on
3.11 or 3.12 to include it).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from site_factory import document_answers

from guidewright.copier_compat.render import TemplateRenderer
from guidewright.markdown import pyromark as page_reader  # ours; `pyromark` is the parser
from guidewright.template.source import bundled_template


def guide_page(size: int = 10_000) -> str:
    """The template's guide as `new-guide` writes it, its body repeated to `size` characters."""
    template = bundled_template()
    rendered = TemplateRenderer(template).render(
        document_answers(0), src_path=str(template), commit=None
    )
    text = next(content for path, content in rendered.items() if path.endswith(".md")).decode()
    body = text[text.find("\n---\n", 4) + 5 :]
    page = body
    while len(page) < size:
        page += "\n" + body
    return page[: page.rfind("\n\n", 0, size) + 1]  # whole paragraphs, just under `size`


def parsers() -> dict[str, Callable[[str], Any]]:
    found: dict[str, Callable[[str], Any]] = {}
    import pyromark

    events = pyromark.Markdown(options=pyromark.Options.ENABLE_TABLES).events_with_range
    found[f"pyromark {pyromark.__version__} (events with ranges)"] = lambda text: tuple(
        events(text, merge_text=True)  # as check's floor and markdown.pyromark read them
    )
    found["markdown.pyromark.read (pyromark + our whole outline)"] = page_reader.read
    found["markdown.pyromark.read, links only (a page check finds a link broken in)"] = (
        lambda text: page_reader.read(text, headings=False, list_items=False)
    )
    found["markdown.pyromark.link_targets (from the HTML: as check reads most pages)"] = (
        page_reader.link_targets
    )
    if importlib.util.find_spec("markdown_it_pyrs"):
        import markdown_it_pyrs

        tree = markdown_it_pyrs.MarkdownIt("commonmark").enable("table").tree
        found["markdown-it-pyrs (tree with source map)"] = tree
    if importlib.util.find_spec("markdown_it"):
        from markdown_it import MarkdownIt

        found["markdown-it-py (tokens, lines only)"] = (
            MarkdownIt("commonmark").enable("table").parse
        )
    return found


def per_page(parse: Callable[[str], Any], page: str, parses: int) -> float:
    times = []
    for _ in range(parses):
        start = time.perf_counter()
        parse(page)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def failures(parse: Callable[[str], Any], inputs: list[str]) -> int:
    """How many inputs `parse` raises on (fd 2 silenced: a panic prints a backtrace)."""
    saved, null = os.dup(2), os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 2)
    failed = 0
    try:
        for text in inputs:
            try:
                parse(text)
            except BaseException as error:  # PanicException derives from BaseException
                if isinstance(error, KeyboardInterrupt):
                    raise
                failed += 1
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(null)
    return failed


def main() -> None:
    arguments = argparse.ArgumentParser()
    arguments.add_argument("--parses", type=int, default=200)
    arguments.add_argument("--fuzz", type=int, default=20_000)
    options = arguments.parse_args()
    page = guide_page()
    rng = random.Random(15)
    alphabet = "[]`!#*<>\\ \n"
    inputs = ["".join(rng.choices(alphabet, k=rng.randint(1, 30))) for _ in range(options.fuzz)]
    print(f"page: {len(page)} characters; median of {options.parses} parses")
    for name, parse in parsers().items():
        seconds = per_page(parse, page, options.parses)
        native = not name.startswith("markdown-it-py ")  # pure Python: nothing to panic
        failed = f"{failures(parse, inputs)} / {len(inputs)}" if native else "not run"
        print(f"{name}: {seconds * 1000:.2f} ms a page; fail on random inputs: {failed}")


if __name__ == "__main__":
    main()
