"""The worked example of "Adopting an existing site" (docs/pages/maintainers/adopting.md)
does what the page shows.

The page's files are its code blocks with a `title` (the path); its commands are its
```shell-session blocks, run in order in one shell, as tests/test_docs.py runs ```console
blocks (whose sessions start in an empty folder; these need the page's files first).
"""

from __future__ import annotations

import re
from pathlib import Path

from test_docs import PAGES, examples, run_session, trimmed

PAGE = PAGES / "maintainers" / "adopting.md"
FILE_BLOCK = re.compile(r'^```\w+ title="([^"]+)"\n(.*?)^```$', re.MULTILINE | re.DOTALL)
SESSION_BLOCK = re.compile(r"^```shell-session\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def test_the_worked_example_runs_as_shown(tmp_path: Path) -> None:
    text = PAGE.read_text("utf-8")
    work = tmp_path / "work"
    files = FILE_BLOCK.findall(text)
    assert len(files) >= 8  # the site's files and the template's
    for relpath, content in files:
        path = work / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, "utf-8")
    sessions = "".join(f"```console\n{block}```\n" for block in SESSION_BLOCK.findall(text))
    commands = examples(sessions)
    assert len(commands) >= 8
    for example, (printed, status) in zip(
        commands, run_session(commands, work, tmp_path / "home"), strict=True
    ):
        assert trimmed(printed) == trimmed(example.output), f"$ {example.command}"
        assert status == "0", f"$ {example.command} exited {status}"
