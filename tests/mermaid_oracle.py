"""The oracle of the report's diagrams: Mermaid's own parser (the `mermaid` npm package the
site's Material and the HTML report load), run by Node with jsdom as its document. A
diagram it parses is one Material draws; one it refuses shows as an error box.

The packages are installed once a machine, in a folder of the user's cache named by their
versions (npm fetches them; 180 MB), not once a run.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

MERMAID, JSDOM = "11.17.2", "29.1.1"  # mermaid: the major version the HTML report loads
HANG = 600

PARSE = """
import { JSDOM } from "jsdom";
const dom = new JSDOM("<!doctype html><html><body></body></html>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false });
let input = "";
for await (const chunk of process.stdin) input += chunk;
const verdicts = [];
for (const source of JSON.parse(input)) {
  try { await mermaid.parse(source); verdicts.push(null); }
  catch (error) { verdicts.push(String(error.message || error).split("\\n").slice(0, 3).join(" ")); }
}
console.log(JSON.stringify(verdicts));
"""


def _packages() -> Path:
    """The folder holding mermaid and jsdom, installed on first need."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    folder = cache / "guidewright-tests" / f"mermaid-{MERMAID}-jsdom-{JSDOM}"
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail("npm is needed to install Mermaid's parser (the report's diagrams' oracle)")
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / "node_modules" / "mermaid").is_dir():
            subprocess.run(
                [
                    npm,
                    "install",
                    "--silent",
                    "--no-audit",
                    "--no-fund",
                    "--prefix",
                    str(folder),
                    f"mermaid@{MERMAID}",
                    f"jsdom@{JSDOM}",
                ],
                check=True,
                capture_output=True,
                timeout=HANG,
            )
    return folder


def mermaid_script() -> Path:
    """Mermaid's browser build (it defines the global `mermaid`), to serve a page that
    draws diagrams on a closed network."""
    return _packages() / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"


def mermaid_verdicts(sources: list[str]) -> list[str | None]:
    """For each diagram's source, None when Mermaid parses it, else its error."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is needed to run Mermaid's parser")
    folder = _packages()
    script = folder / "parse.mjs"
    script.write_text(PARSE, "utf-8")
    done = subprocess.run(
        [node, str(script)],
        input=json.dumps(sources),
        capture_output=True,
        text=True,
        cwd=folder,
        timeout=HANG,
    )
    assert done.returncode == 0, done.stderr
    verdicts: list[str | None] = json.loads(done.stdout.strip().splitlines()[-1])
    return verdicts
