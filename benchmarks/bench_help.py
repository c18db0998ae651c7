"""How long `guidewright --help` takes against `copier --help`, measured in the same run.

    python benchmarks/bench_help.py [--runs N]

Both commands come from the same environment as this interpreter.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def timed(command: list[str], runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    ours = timed([str(BIN / "guidewright"), "--help"], runs)
    reference = timed([str(BIN / "copier"), "--help"], runs)
    print(f"guidewright --help: {ours * 1000:.0f} ms (median of {runs})")
    print(f"copier --help:      {reference * 1000:.0f} ms (median of {runs})")
    print(f"ratio guidewright/copier: {ours / reference:.2f}")


if __name__ == "__main__":
    main()
