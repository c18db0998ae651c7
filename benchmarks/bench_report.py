"""`guidewright report` against `guidewright check` on the same site of N documents (issue
30: the report must take at most twice check's time: it is check's run, plus reading each
page's frontmatter once for what check does not judge, plus the rendering). Check runs from
nothing (`--no-cache`), as the report does: the site index that a warm `check` reuses
(check/site_index.py) is not the report's.

Both commands run as an install runs them (benchmarks/installed_env.py), interleaved one
run of each per round (the load of a shared machine drifts), compared by their medians;
the ratio of each round is printed too.

    python benchmarks/bench_report.py [--documents 1000] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from installed_env import installed_environment
from site_factory import build_site

from guidewright.template.source import bundled_template

BIN = Path(sys.executable).parent
TARGET = 2.0  # report's time at most this many times check's


def timed(command: list[str], cwd: Path, environment: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=environment)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):  # check exits 1 on errors; neither may fail to run
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}): {done.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        environment = installed_environment(Path(tmp))
        template = bundled_template()
        build_site(
            site, arguments.documents, template, str(template), None, str(BIN / "guidewright")
        )
        commands = {
            "check": [str(BIN / "guidewright"), "check", "--no-cache"],
            "report": [str(BIN / "guidewright"), "report", "--format", "json"],
            "report page": [str(BIN / "guidewright"), "report"],
        }
        for command in commands.values():  # the file and bytecode caches warmed
            timed(command, site, environment)
        rounds = [
            {name: timed(command, site, environment) for name, command in commands.items()}
            for _ in range(arguments.runs)
        ]
        medians = {name: statistics.median(r[name] for r in rounds) for name in commands}
        print(
            f"documents: {arguments.documents}; median of {arguments.runs} (cores: {os.cpu_count()})"
        )
        for name, seconds in medians.items():
            print(f"guidewright {' '.join(commands[name][1:])}: {seconds:.2f} s")
        for name in ("report", "report page"):
            ratio = medians[name] / medians["check"]
            per_round = ", ".join(f"{r[name] / r['check']:.2f}" for r in rounds)
            print(
                f"ratio {name}/check: {ratio:.2f} (target: at most {TARGET}); per round: {per_round}"
            )


if __name__ == "__main__":
    main()
