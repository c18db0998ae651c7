"""MkDocs hook: the command-line and rules references, generated from the code at each build.

The pages exist only in the build (MkDocs' generated files), so they cannot go stale and
there is nothing to commit; the functions that render them live in the package, typed and
tested with it.
"""

from __future__ import annotations

from collections.abc import Callable

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from guidewright.cli.reference import cli_markdown
from guidewright.rules.reference import rules_markdown

GENERATED: dict[str, Callable[[], str]] = {
    "reference/cli.md": cli_markdown,
    "reference/rules.md": rules_markdown,
}


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the generated pages to the build."""
    for uri, render in GENERATED.items():
        files.append(File.generated(config, uri, content=render()))
    return files
