"""`guidewright check` on a site of N documents, against `mkdocs build --strict` (the
reference: what a site would otherwise run to find broken links), in the same run.

    python benchmarks/bench_check.py [--documents 1000]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from site_factory import build_site

from guidewright.template.source import bundled_template

BIN = Path(sys.executable).parent


def timed(command: list[str], cwd: Path) -> tuple[float, subprocess.CompletedProcess[str]]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env)
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=1000)
    count = parser.parse_args().documents
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        template = bundled_template()
        build_site(site, count, template, str(template), None, str(BIN / "guidewright"))
        ours, checked = timed([str(BIN / "guidewright"), "check"], site)
        summary = checked.stdout.strip().splitlines()[-1]
        reference, built = timed([str(BIN / "mkdocs"), "build", "--strict", "-q"], site)
    print(f"documents: {count}")
    print(f"guidewright check: {ours:.2f} s ({summary}; exit {checked.returncode})")
    print(f"mkdocs build --strict: {reference:.2f} s (exit {built.returncode})")
    print(f"ratio check/mkdocs: {ours / reference:.3f} (target: check under 2 s for 1,000)")


if __name__ == "__main__":
    main()
