"""What `check` imports in a run from nothing on a site of hand-written pages (issue 31:
start-up is most of such a run's cost, so what it has no use for is not imported)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from support import ONE_RUN, isolated_env

# What a run from nothing on plain pages (no frontmatter, links with no `#anchor`, lists)
# has no use for: Python-Markdown (a heading's id, needed only for a link to an anchor),
# pyromark's event types (annotations; they import typing_extensions), `secrets` (only
# random bytes are wanted: os.urandom), the questionnaire (Jinja2, the Copier reader: no
# template page) and the worker pools (too few pages to pay for them).
NOT_IMPORTED = (
    "markdown",
    "pymdownx",
    "pyromark.event",
    "typing_extensions",
    "secrets",
    "jinja2",
    "copier",
    "guidewright.template.questionnaire",
    "guidewright.check.recorded_versions",
    "multiprocessing",
    "concurrent.futures",
)
# What the same run does import: the test would pass for a run that judged nothing.
IMPORTED = ("guidewright.rules.links", "guidewright.rules.list_rules", "pyromark")


def _plain_site(root: Path) -> Path:
    """A hand-written site: pages with prose, nested lists and links between them, no
    frontmatter and no link to a heading."""
    notes = root / "docs" / "notes"
    notes.mkdir(parents=True)
    (root / "mkdocs.yml").write_text("site_name: Notes\n")
    (root / "docs" / "index.md").write_text("# Home\n\nStart at [the notes](notes/note-0.md).\n")
    for number in range(4):
        (notes / f"note-{number}.md").write_text(
            f"# Note {number}\n\nSome prose; see [the next note](note-{(number + 1) % 4}.md).\n\n"
            "- a point\n    - a nested point\n- another\n\n1. first\n2. second\n"
        )
    return root


def test_a_run_from_nothing_on_plain_pages_imports_only_what_it_uses(tmp_path: Path) -> None:
    site = _plain_site(tmp_path / "site")
    out = tmp_path / "modules.json"
    environment = isolated_env(
        tmp_path / "home",
        GUIDEWRIGHT_CACHE_DIR=str(tmp_path / "cache"),  # empty: a run from nothing
        XDG_CONFIG_HOME=str(tmp_path / "config"),
    )
    done = subprocess.run(
        [sys.executable, "-c", ONE_RUN, str(out), "check"],
        capture_output=True,
        text=True,
        cwd=site,
        env=environment,
        check=False,
    )
    code, modules = json.loads(out.read_text())
    assert code == 0, done.stdout + done.stderr
    assert "5 pages without frontmatter: 0 errors, 0 warnings" in done.stdout
    assert (tmp_path / "cache" / "site-index").is_dir()  # it kept its index: from nothing
    imported = set(modules)
    assert [name for name in IMPORTED if name not in imported] == []
    unwanted = [
        module
        for module in sorted(imported)
        for name in NOT_IMPORTED
        if module == name or module.startswith(f"{name}.")
    ]
    assert unwanted == []
