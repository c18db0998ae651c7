"""`guidewright check` and rumdl (a Rust Markdown linter with an MkDocs flavour, which keeps a
cache too) side by side, measured in the same run on the same sites (issue 31):

- a generated site of N pages (scale_site.py: the template's pages and answers files);
- a site with the shape of a real one: long hand-written pages, many lists and links;

each from nothing (no index, no cache), warm (nothing changed since the last run) and for
one page (what a pre-commit hook passes), with `guidewright --help` as the floor of a
guidewright run, and `check --no-cache` (every page judged, the index neither read nor
kept) as the run before the index. Ratios are printed; a ratio below 1 is guidewright
faster. Beside them, bench_check's floor (one Python process reading every page's YAML
and Markdown events, no rule), alone and with Typer imported: what no Python tool on our
stack goes below, against which a ratio to rumdl, a native binary, is to be read. rumdl
comes from the package index into this interpreter's environment
(`pip install rumdl`, the `bench` extra).

    python benchmarks/bench_peers.py [--documents 10000] [--real-pages 180] [--runs 3]

Every command runs with Python's bytecode cache on, as an install has it
(benchmarks/installed_env.py). The medians of --runs runs are compared: one run varies by
a third on a shared machine.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_check import FLOOR
from installed_env import installed_environment, timed
from scale_site import build_scale_site
from site_factory import new_site

from guidewright.template.source import bundled_template

BIN = Path(sys.executable).parent
GUIDEWRIGHT = str(BIN / "guidewright")
WORDS = ("cache", "latency", "shard", "replica", "queue", "index", "token", "bucket", "lease")


def rumdl_path() -> str:
    found = shutil.which("rumdl", path=str(BIN)) or shutil.which("rumdl")
    if found is None:
        raise SystemExit("rumdl is not installed here: pip install rumdl (the `bench` extra)")
    return found


def real_shaped_site(root: Path, pages: int) -> None:
    """A hand-written site: long pages (some 300 lines) of prose, headings, nested lists,
    code blocks and links to other pages' headings, few with frontmatter, as a site that
    grew for years before guidewright looks."""
    new_site(root, GUIDEWRIGHT)
    chosen = random.Random(pages)
    names = [
        f"{['notes', 'design', 'practice', 'stories'][n % 4]}/page-{n}.md" for n in range(pages)
    ]
    for number, name in enumerate(names):
        lines = []
        if number % 5 == 0:
            lines += ["---", f"title: Page {number}", "tags: [notes]", "---", ""]
        lines += [f"# Page {number}", ""]
        for section in range(12):
            lines += [f"## Part {section}", ""]
            for _ in range(3):
                words = " ".join(chosen.choice(WORDS) for _ in range(18))
                lines += [words.capitalize() + ".", ""]
            lines += [f"- {chosen.choice(WORDS)} step {i}" for i in range(4)]
            lines += ["    - a nested point", "    - another", "", "1. first", "2. second", ""]
            other = chosen.choice(names)
            target = os.path.relpath(other, os.path.dirname(name)).replace(os.sep, "/")
            lines += [f"See [{other}]({target}#part-{chosen.randrange(12)}).", ""]
            if section % 4 == 0:
                lines += ["```python", "def f(x):", "    return x * 2", "```", ""]
        path = root / "docs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines))


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def measure(site: Path, page: str, runs: int, folder: Path) -> dict[str, float]:
    """The medians of each work on `site`, for both tools: wall times, and CPU times
    under `<work> cpu`."""
    environment = installed_environment(folder)
    cache = folder / "guidewright-cache"
    environment["GUIDEWRIGHT_CACHE_DIR"] = str(cache)
    environment["XDG_CONFIG_HOME"] = str(folder / "config")  # the index's sealing key
    rumdl_cache = folder / "rumdl-cache"
    rumdl = [rumdl_path(), "check", "--flavor", "mkdocs", "--cache-dir", str(rumdl_cache), "-q"]
    ours = [GUIDEWRIGHT, "check", "--dest", str(site)]
    timed([GUIDEWRIGHT, "--help"], site, environment)  # the bytecode cache written
    samples: dict[str, list[tuple[float, float]]] = {}

    def sample(work: str, command: list[str], before: Path | None = None) -> None:
        if before is not None:
            shutil.rmtree(before, ignore_errors=True)
        samples.setdefault(work, []).append(timed(command, site, environment))

    python = str(BIN / "python")
    for _ in range(runs):
        sample("help", [GUIDEWRIGHT, "--help"])
        # What no Python tool can go below: bench_check's floor (every page's YAML and
        # Markdown events read, no rule), and the same with Typer, our CLI's stack, imported.
        sample("floor", [python, "-c", FLOOR, str(site / "docs")])
        sample("floor with typer", [python, "-c", "import typer\n" + FLOOR, str(site / "docs")])
        sample("ours before the index", [*ours, "--no-cache"])
        sample("ours from nothing", ours, before=cache / "site-index")
        sample("rumdl from nothing", [*rumdl, "docs"], before=rumdl_cache)
        sample("ours warm", ours)
        sample("rumdl warm", [*rumdl, "docs"])
        sample("ours one page", [*ours, page])
        sample("rumdl one page", [*rumdl, page])
    found = {work: median([wall for wall, _ in times]) for work, times in samples.items()}
    found |= {f"{work} cpu": median([cpu for _, cpu in times]) for work, times in samples.items()}
    return found


def report(name: str, found: dict[str, float]) -> None:
    print(f"\n{name}")
    for work in ("from nothing", "warm", "one page"):
        ours, theirs = found[f"ours {work}"], found[f"rumdl {work}"]
        print(
            f"  {work:<13} guidewright {ours:7.3f} s   rumdl {theirs:7.3f} s   "
            f"ratio {ours / theirs:5.2f}"
        )
    before, cold = found["ours before the index"], found["ours from nothing"]
    print(
        f"  from nothing with the index / --no-cache: {cold / before:5.2f} "
        f"({cold:.3f} s / {before:.3f} s)"
    )
    print(
        f"  one page / guidewright --help: {found['ours one page'] / found['help']:5.2f} "
        f"(--help {found['help']:.3f} s)"
    )
    rumdl, floor, typer = (
        found[work] for work in ("rumdl from nothing", "floor", "floor with typer")
    )
    print(
        f"  floor (Python reading every page's YAML and Markdown, no rule): {floor:.3f} s = "
        f"{floor / rumdl:.2f}x rumdl from nothing; with Typer imported: {typer:.3f} s = "
        f"{typer / rumdl:.2f}x"
    )
    print(
        f"  guidewright from nothing / the floor with Typer: {found['ours from nothing'] / typer:5.2f}"
    )
    cpu = found["ours one page cpu"] / found["help cpu"]
    print(
        f"  the same in CPU time: {cpu:5.2f} (one page {found['ours one page cpu']:.3f} s, "
        f"--help {found['help cpu']:.3f} s); warm {found['ours warm cpu']:.3f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--real-pages", type=int, default=180)
    parser.add_argument("--runs", type=int, default=3)
    arguments = parser.parse_args()
    rumdl_path()
    with tempfile.TemporaryDirectory(prefix="bench-peers-") as scratch:
        folder = Path(scratch)
        generated, real = folder / "generated", folder / "real"
        template = bundled_template()
        build_scale_site(generated, arguments.documents, template, str(template), None, GUIDEWRIGHT)
        real_shaped_site(real, arguments.real_pages)
        print(
            f"cores: {os.cpu_count()}; medians of {arguments.runs} runs; the machine may be "
            "shared, so compare ratios, not seconds"
        )
        print(f"load average at the start: {_load()}")
        found = measure(generated, "docs/coding/topic-2.md", arguments.runs, folder / "g")
        report(f"generated site, {arguments.documents:,} pages", found)
        found = measure(real, "docs/design/page-1.md", arguments.runs, folder / "r")
        report(f"real-shaped site, {arguments.real_pages} long hand-written pages", found)
        print(f"\nload average at the end: {_load()}")


def _load() -> str:
    """The load average (1, 5, 15 minutes): how shared the machine was meanwhile."""
    return ", ".join(f"{load:.2f}" for load in os.getloadavg())


if __name__ == "__main__":
    main()
