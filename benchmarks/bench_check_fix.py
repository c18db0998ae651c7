"""`guidewright check --fix` against `guidewright check` on the same site of N documents
whose lists need fixing (GW601), measured in the same run.

Each document is one the template makes, its body replaced by its content type's seed
(tests/data/seeds): the text the templates held before their lists were fixed, so every
page has 5 (guide) or 7 (tutorial) lists after a paragraph line, and the guide 4 lists
nested with 3 spaces. Every --fix run starts from the committed, unfixed site. Both are
timed --runs times, one after the other, and compared by their medians: wall time, the
target, and CPU time (the command and its workers), steadier on a shared machine.

    python benchmarks/bench_check_fix.py [--documents 1000] [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_check import BIN, children_cpu, timed
from site_factory import REPO, build_site

from guidewright.markdown import frontmatter
from guidewright.template.source import bundled_template

SEEDS = REPO / "tests" / "data" / "seeds"


def seed_bodies() -> dict[str, str]:
    bodies = {}
    for seed in sorted(SEEDS.glob("*.txt")):
        text = seed.read_text("utf-8")
        parts = frontmatter.split(text)
        assert parts is not None
        kind = "guide" if 'content_type: "guide"' in parts[0] else "tutorial"
        bodies[kind] = parts[1]
    return bodies


def unfixed_site(root: Path, count: int) -> None:
    template = bundled_template()
    build_site(root, count, template, str(template), None, str(BIN / "guidewright"))
    bodies = seed_bodies()
    for page in (root / "docs").rglob("*.md"):
        text = page.read_text("utf-8")
        parts = frontmatter.split(text)
        if parts is None:
            continue
        kind = "guide" if 'content_type: "guide"' in parts[0] else "tutorial"
        page.write_text(text[: len(text) - len(parts[1])] + bodies[kind], "utf-8")
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.invalid"]
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-qm", "unfixed"], cwd=root, check=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        unfixed_site(site, arguments.documents)
        check = [str(BIN / "guidewright"), "check"]
        timed(check, site)  # warm the file cache
        checks, fixes, summary = [], [], ""
        check_cpu, fix_cpu = [], []
        for _ in range(arguments.runs):
            cpu = children_cpu()
            checks.append(timed(check, site)[0])
            check_cpu.append(children_cpu() - cpu)
            cpu = children_cpu()
            elapsed, result = timed([*check, "--fix"], site)
            fix_cpu.append(children_cpu() - cpu)
            fixes.append(elapsed)
            summary = next(line for line in result.stdout.splitlines() if "(GW601)" in line)
            left = result.stdout.count(" GW601 ")
            subprocess.run(["git", "checkout", "-q", "--", "docs"], cwd=site, check=True)
        ours, reference = statistics.median(fixes), statistics.median(checks)
        cpu_ours, cpu_reference = statistics.median(fix_cpu), statistics.median(check_cpu)
        print(f"documents: {arguments.documents}")
        print(
            f"guidewright check --fix: {ours:.2f} s, CPU {cpu_ours:.2f} s "
            f"({summary}; {left} GW601 left)"
        )
        print(f"guidewright check: {reference:.2f} s, CPU {cpu_reference:.2f} s (the same site)")
        print(f"CPU ratio check --fix/check: {cpu_ours / cpu_reference:.2f}")
        print(f"ratio check --fix/check: {ours / reference:.2f} (target: at most 2)")


if __name__ == "__main__":
    main()
