"""`guidewright check --no-cache` (from nothing; the warm run that reuses the site index is
printed beside it) on a site of N documents, against references measured in the same run: the floor (one Python process that YAML-parses every frontmatter with the C loader and
reads every page's Markdown events with their source ranges from pyromark, the parser we
ship and the fastest measured (benchmarks/bench_parsers.py): what reading every link with
its place takes), the older YAML-only floor for comparison, the HTML floor (the same YAML,
and pyromark's HTML of every page, from which `check` first reads a page's link targets:
where none is broken, their places are never read), and `mkdocs build --strict` (what a
site would otherwise run to find broken links; slow, skip it with --no-mkdocs).

Every command runs with Python's bytecode cache on, as an install has it
(benchmarks/installed_env.py).

    python benchmarks/bench_check.py [--documents 1000] [--runs 5] [--no-mkdocs]

Both sides are timed --runs times and compared by their medians: one run of either
varies by a third on a shared 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
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
YAML_FLOOR = """
import sys, pathlib, yaml
for path in sorted(pathlib.Path(sys.argv[1]).rglob("*.md")):
    text = path.read_text("utf-8")
    if text.startswith("---\\n"):
        end = text.find("\\n---\\n", 4)
        yaml.load(text[4:end], Loader=yaml.CSafeLoader)
"""
FLOOR = """
import sys, pathlib, yaml, pyromark
events = pyromark.Markdown(options=pyromark.Options.ENABLE_TABLES).events_with_range
for path in sorted(pathlib.Path(sys.argv[1]).rglob("*.md")):
    text, body = path.read_text("utf-8"), None
    if text.startswith("---\\n"):
        end = text.find("\\n---\\n", 4)
        yaml.load(text[4:end], Loader=yaml.CSafeLoader)
        body = text[end + 5:]
    tuple(events(body if body is not None else text, merge_text=True))
"""

# The floor plus rule GW601 on every page: what the list rule adds to the floor.
LISTS_ON_FLOOR = (
    FLOOR.replace(
        "import sys, pathlib, yaml, pyromark",
        "import sys, pathlib, yaml, pyromark\n"
        "from guidewright.rules.list_rules import list_problems",
    )
    + """    list_problems(str(path), body if body is not None else text, 1)
"""
)


HTML_FLOOR = (
    FLOOR.replace("events = pyromark", "html = pyromark")
    .replace(".events_with_range", ".html")
    .replace(
        "tuple(events(body if body is not None else text, merge_text=True))",
        "html(body if body is not None else text)",
    )
)
ENVIRONMENT: dict[str, str] = {}  # set by main: the bytecode cache in the run's folder


def timed(command: list[str], cwd: Path) -> tuple[float, subprocess.CompletedProcess[str]]:
    env = dict(ENVIRONMENT or os.environ, NO_MKDOCS_2_WARNING="1")
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env)
    return time.perf_counter() - start, result


def children_cpu() -> float:
    """CPU seconds (user and system) of every finished child process, theirs included."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def median_time(command: list[str], cwd: Path, runs: int) -> tuple[float, str, int, float]:
    """The median wall time of `runs` runs, the last line printed, the exit status, and the
    median CPU time (all processes: steadier than wall time on a busy machine)."""
    times, cpu_times, result = [], [], None
    for _ in range(runs):
        cpu = children_cpu()
        elapsed, result = timed(command, cwd)
        times.append(elapsed)
        cpu_times.append(children_cpu() - cpu)
    assert result is not None
    last = (result.stdout.strip().splitlines() or [""])[-1]
    return statistics.median(times), last, result.returncode, statistics.median(cpu_times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-mkdocs", action="store_true")
    arguments = parser.parse_args()
    count = arguments.documents
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        ENVIRONMENT.update(installed_environment(Path(tmp)))
        template = bundled_template()
        build_site(site, count, template, str(template), None, str(BIN / "guidewright"))
        # The file cache warmed, and the bytecode caches written, for both sides.
        # From nothing (--no-cache): what the floor does, reading every page; the warm run
        # (the site index kept between runs, nothing changed) is printed beside it.
        from_nothing = [str(BIN / "guidewright"), "check", "--no-cache"]
        timed(from_nothing, site)
        timed([sys.executable, "-c", FLOOR, str(site / "docs")], site)
        runs = arguments.runs
        # Interleaved, one run of each per round: on a shared machine the load drifts.
        rounds = [
            [
                median_time(command, site, 1)
                for command in (
                    from_nothing,
                    [sys.executable, "-c", FLOOR, str(site / "docs")],
                    [sys.executable, "-c", YAML_FLOOR, str(site / "docs")],
                    [sys.executable, "-c", HTML_FLOOR, str(site / "docs")],
                )
            ]
            for _ in range(runs)
        ]
        summary, status = rounds[-1][0][1], rounds[-1][0][2]
        ours, floor, yaml_only, html_floor = (
            statistics.median(r[i][0] for r in rounds) for i in range(4)
        )
        our_cpu, floor_cpu = (statistics.median(r[i][3] for r in rounds) for i in range(2))
        ratios = sorted(r[0][0] / r[1][0] for r in rounds)
        # Interleaved with the floor: on a shared machine the load drifts between blocks.
        floors, with_lists = [], []
        for _ in range(runs):
            floors.append(timed([sys.executable, "-c", FLOOR, str(site / "docs")], site)[0])
            lists_run = [sys.executable, "-c", LISTS_ON_FLOOR, str(site / "docs")]
            with_lists.append(timed(lists_run, site)[0])
        lists, floor_again = statistics.median(with_lists), statistics.median(floors)
        timed([str(BIN / "guidewright"), "check"], site)  # the index written
        warm = statistics.median(
            timed([str(BIN / "guidewright"), "check"], site)[0] for _ in range(runs)
        )
        print(f"documents: {count}")
        print(
            f"guidewright check --no-cache: {ours:.2f} s ({summary}; exit {status}; median of {runs})"
        )
        print(f"floor (YAML every frontmatter, Markdown events of every page): {floor:.2f} s")
        print(f"ratio check/floor: {ours / floor:.2f} (target: at most 1.2, issue 26)")
        print(f"ratio per round: {', '.join(f'{r:.2f}' for r in ratios)}")
        print(
            f"CPU time, all processes: check {our_cpu:.2f} s, floor {floor_cpu:.2f} s, "
            f"ratio {our_cpu / floor_cpu:.2f} (check works on every core: more CPU, less wall time)"
        )
        warm_line = f"guidewright check, its index warm, nothing changed: {warm:.2f} s"
        print(f"{warm_line}; ratio to the floor: {warm / floor:.2f}")
        print(f"YAML-only floor: {yaml_only:.2f} s; ratio check/YAML-only: {ours / yaml_only:.2f}")
        print(
            f"HTML floor (YAML, and pyromark's HTML of every page): {html_floor:.2f} s; "
            f"ratio check/HTML floor: {ours / html_floor:.2f}"
        )
        print(
            f"floor + list rule GW601: {lists:.2f} s; ratio to the floor measured with it "
            f"({floor_again:.2f} s): {lists / floor_again:.2f}"
        )
        # How the lists were read: the pages whose extensions the quick model does not read
        # go to Python-Markdown itself (none on a site `init` made, whose pages use none).
        listed = timed([str(BIN / "guidewright"), "check", "--format", "json"], site)[1]
        read_whole = json.loads(listed.stdout)["read_by_python_markdown"]
        print(f"pages whose lists Python-Markdown itself read: {read_whole} of {count}")
        if not arguments.no_mkdocs:
            reference, built = timed([str(BIN / "mkdocs"), "build", "--strict", "-q"], site)
            print(f"mkdocs build --strict: {reference:.2f} s (exit {built.returncode})")
            print(f"ratio check/mkdocs: {ours / reference:.3f}")


if __name__ == "__main__":
    main()
