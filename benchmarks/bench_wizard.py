"""How soon the wizard's first question appears, on an empty site and on a big one,
against `copier copy` reaching its first question on the same template, in the same run.

    python benchmarks/bench_wizard.py [--documents 5000] [--runs 5]

Each side is driven through a pseudo-terminal (pexpect) and timed from start to the first
prompt on screen; the medians are compared. Target: the big site no slower than the
empty one (a ratio near 1), because the site's documents are read in the background.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pexpect

sys.path.insert(0, str(Path(__file__).parent))
from site_factory import REPO, build_site

from guidewright.template.source import bundled_template

BIN = Path(sys.executable).parent


def first_prompt(command: list[str], cwd: Path, expected: str, runs: int) -> float:
    """The median time until `expected` appears on the terminal."""
    env = dict(os.environ, PROMPT_TOOLKIT_NO_CPR="1", TERM="xterm")
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        child = pexpect.spawn(command[0], command[1:], cwd=str(cwd), env=env, timeout=60)
        child.expect(expected)
        samples.append(time.perf_counter() - start)
        child.sendcontrol("c")
        child.expect(pexpect.EOF)
        child.close()
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    arguments = parser.parse_args()
    runs = arguments.runs
    guidewright = str(BIN / "guidewright")
    with tempfile.TemporaryDirectory() as tmp:
        template = bundled_template()
        empty, big = Path(tmp) / "empty", Path(tmp) / "big"
        build_site(empty, 0, template, str(template), None, guidewright)
        build_site(big, arguments.documents, template, str(template), None, guidewright)
        on_empty = first_prompt([guidewright, "new-guide"], empty, "Topic", runs)
        on_big = first_prompt([guidewright, "new-guide"], big, "Topic", runs)
        copier = [str(BIN / "copier"), "copy", "--vcs-ref", "HEAD", str(REPO), str(Path(tmp) / "c")]
        reference = first_prompt(copier, Path(tmp), "tutorial", runs)  # its first choices
    print(f"first question, empty site: {on_empty * 1000:.0f} ms (median of {runs})")
    print(f"first question, {arguments.documents} documents: {on_big * 1000:.0f} ms")
    print(f"copier copy, first question: {reference * 1000:.0f} ms")
    print(f"ratio big/empty: {on_big / on_empty:.2f} (target: about 1)")
    print(f"ratio guidewright/copier: {on_big / reference:.2f}")


if __name__ == "__main__":
    main()
