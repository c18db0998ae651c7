"""How long `guidewright new-guide` takes to create a page against `copier copy` writing the
same page from the same template with the same answers, measured in the same run.

    python benchmarks/bench_new.py [--runs N]

Both run as an install runs them (benchmarks/installed_env.py), interleaved one for one,
each in a new process. guidewright's side is the whole command: it reads the site, judges
the answers, hands Copier a scratch copy of the bundled template and writes the page and
its answers file into the site. Copier's side is `copier copy --defaults --data-file` of a
plain copy of the same template into a new folder. guidewright's first run compiles the
template's Jinja into its cache folder (this run's own); the medians are of the runs after
it, as an author's second page finds them. Wall time and the CPU of each process are
printed; the ratio is of the medians of wall time.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent))
from installed_env import installed_environment, timed

BIN = Path(sys.executable).parent
REPO = Path(__file__).resolve().parents[1]


def ours(number: int) -> list[str]:
    return [
        str(BIN / "guidewright"),
        "new-guide",
        "--dest",
        "site",
        "--defaults",
        "--topic",
        f"Caching Strategies {number}",
        "--section",
        "fundamentals",
        "--tag",
        "aws",
        "--tag",
        "caching",
        "--objective",
        "Explain cache invalidation",
        "--contributor",
        "Ada",
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory(prefix="bench-new-") as scratch:
        root = Path(scratch)
        env = installed_environment(root) | {"GUIDEWRIGHT_CACHE_DIR": str(root / "cache")}
        guidewright = str(BIN / "guidewright")
        init = [guidewright, "init", "site", "--no-git", "--content-owner", "platform-team"]
        subprocess.run(init, cwd=root, env=env, check=True, capture_output=True)
        first_wall, first_cpu = timed(ours(0), root, env, check=True)
        # Copier's side: the answers guidewright recorded for that page, and the template
        # as a plain folder (Copier would clone a folder holding .git).
        (recorded,) = (root / "site/.guidewright/answers").rglob("*.yml")
        answers = yaml.safe_load(recorded.read_text("utf-8"))
        data = {key: value for key, value in answers.items() if not key.startswith("_")}
        (root / "data.yml").write_text(yaml.safe_dump(data), "utf-8")
        template = root / "template-copy"
        template.mkdir()
        shutil.copy(REPO / "copier.yml", template / "copier.yml")
        shutil.copytree(REPO / "template", template / "template")
        copier = [str(BIN / "copier"), "copy", "--defaults", "--quiet", "--data-file", "data.yml"]
        mine: list[tuple[float, float]] = []
        theirs: list[tuple[float, float]] = []
        for number in range(1, runs + 1):
            mine.append(timed(ours(number), root, env, check=True))
            out = f"copier-{number}"
            theirs.append(timed([*copier, str(template), out], root, env, check=True))
    wall = statistics.median(w for w, _ in mine)
    reference = statistics.median(w for w, _ in theirs)
    cpu = statistics.median(c for _, c in mine)
    reference_cpu = statistics.median(c for _, c in theirs)
    print(
        f"guidewright new-guide, first run: {first_wall * 1000:.0f} ms ({first_cpu * 1000:.0f} ms CPU)"
    )
    print(
        f"guidewright new-guide: {wall * 1000:.0f} ms ({cpu * 1000:.0f} ms CPU), median of {runs}"
    )
    print(
        f"copier copy:           {reference * 1000:.0f} ms ({reference_cpu * 1000:.0f} ms CPU), median of {runs}"
    )
    print(f"ratio guidewright/copier: {wall / reference:.2f} (CPU {cpu / reference_cpu:.2f})")


if __name__ == "__main__":
    main()
