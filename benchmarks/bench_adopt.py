"""`guidewright adopt` on N hand-written pages against `check` on the same pages once
adopted, then `update` of the N adopted pages against plain `copier update` on a sample
of guidewright-made pages, all measured in the same run.

    python benchmarks/bench_adopt.py [--pages 1000] [--sample 3] [--runs 3]

Targets (issue 19): adopt at most 3x check; update of adopted pages at least 300x faster
per page than the copier update loop. Adopt and check are timed on --runs fresh sites (a
shared machine is noisy) and compared by their medians. Commands run with Python's
bytecode cache on, as an install has it (benchmarks/installed_env.py).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1] / "tests"))
from bench_update import BIN, git, release_v2, template_repository
from brownfield import make_brownfield
from installed_env import installed_environment
from site_factory import build_site

ANSWERS = (
    "-d",
    "tags=[a, b]",
    "-d",
    "learning_objectives=[Explain it]",
    "-d",
    "content_owner=docs",
    "-d",
    "skills_taught=[design]",
)


ENVIRONMENT: dict[str, str] = {}  # set by main: the bytecode cache in the run's folder


def timed(args: list[str], cwd: Path) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=ENVIRONMENT or None)
    return time.perf_counter() - start, done


def add_question(repo: Path) -> None:
    """v3: a question with a default, written in both partials' frontmatter."""
    config = repo / "copier.yml"
    text = config.read_text("utf-8")
    config.write_text(
        text.replace(
            "interview_focus:\n",
            "audience_note:\n  type: str\n  default: for managers\n\ninterview_focus:\n",
            1,
        ),
        "utf-8",
    )
    for name in ("guide", "tutorial"):
        partial = repo / f"template/_partials/{name}.md.jinja"
        text = partial.read_text("utf-8")
        partial.write_text(
            text.replace(
                "interview_focus: {{",
                "audience_note: {{ links.yaml_value(audience_note) }}\ninterview_focus: {{",
                1,
            ),
            "utf-8",
        )
    git(repo, "commit", "-q", "-am", "v3")
    git(repo, "tag", "v3")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--sample", type=int, default=3)
    parser.add_argument("--runs", type=int, default=3, help="fresh sites adopted and checked")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        ENVIRONMENT.update(installed_environment(root))
        repo = template_repository(root)
        guidewright = str(BIN / "guidewright")
        adopt_runs: list[float] = []
        check_runs: list[float] = []
        warm = root / "warm-up"  # writes the bytecode cache of what adopt and check import
        make_brownfield(warm, 10)
        git(warm, "init", "-q")
        git(warm, "add", "-A")
        git(warm, "commit", "-q", "-m", "hand-written")
        timed([guidewright, "adopt", "--template", str(repo), *ANSWERS], warm)
        timed([guidewright, "check"], warm)
        for run in range(options.runs):
            site = root / f"site-{run}"
            pages = make_brownfield(site, options.pages - 4)  # and its 4 odd pages
            git(site, "init", "-q")
            git(site, "add", "-A")
            git(site, "commit", "-q", "-m", "hand-written")
            seconds, adopted = timed(
                [guidewright, "adopt", "--template", str(repo), *ANSWERS], site
            )
            if adopted.returncode != 0:
                raise SystemExit(adopted.stdout + adopted.stderr)
            adopt_runs.append(seconds)
            seconds, checked = timed([guidewright, "check"], site)
            check_runs.append(seconds)
        adopt_s, check_s = statistics.median(adopt_runs), statistics.median(check_runs)
        git(site, "add", "-A")
        git(site, "commit", "-q", "-m", "adopted")

        # guidewright-made pages at v1, for the copier update loop
        made = root / "made"
        build_site(made, options.sample, repo, str(repo), "v1", guidewright)
        git(made, "init", "-q")
        git(made, "add", "-A")
        git(made, "commit", "-q", "-m", "made")
        release_v2(repo)
        add_question(repo)
        update_s, updated = timed([guidewright, "update", "--defaults"], site)
        summary = updated.stdout.strip().splitlines()[-1]

        copier_s = 0.0
        answers_files = sorted((made / ".guidewright/answers").rglob("*.yml"))
        for answers in answers_files:
            relpath = answers.relative_to(made).as_posix()
            seconds, done = timed(
                [
                    str(BIN / "copier"),
                    "update",
                    "--defaults",
                    "--answers-file",
                    relpath,
                    "--vcs-ref",
                    "v3",
                ],
                made,
            )
            if done.returncode != 0:
                raise SystemExit(done.stderr)
            copier_s += seconds
            git(made, "add", "-A")
            git(made, "commit", "-q", "-m", f"copier update {relpath}")
    count = len(pages)
    per_update = update_s / count
    per_copier = copier_s / len(answers_files)
    print(f"pages: {count}; {adopted.stdout.strip().splitlines()[-1]}")
    print(
        f"guidewright adopt: {adopt_s:.2f} s; check once adopted: {check_s:.2f} s "
        f"(exit {checked.returncode}); medians of {options.runs} runs: adopt "
        f"{', '.join(f'{s:.2f}' for s in adopt_runs)}, check "
        f"{', '.join(f'{s:.2f}' for s in check_runs)}"
    )
    print(f"adopt/check ratio: {adopt_s / check_s:.2f}x (target: at most 3x)")
    print(
        f"guidewright update of the adopted pages: {update_s:.2f} s ({summary}), "
        f"{per_update * 1000:.1f} ms per page"
    )
    print(f"copier update: {per_copier * 1000:.0f} ms per page (sample of {len(answers_files)})")
    print(
        f"per-page ratio copier/guidewright: {per_copier / per_update:.0f}x (target: at least 300x)"
    )


if __name__ == "__main__":
    main()
