"""`guidewright update` on N documents against plain `copier update` on a sample of them,
measured in the same run; the sampled outputs must be byte-identical.

    python benchmarks/bench_update.py [--documents 1000] [--sample 5]

It also prints the peak memory of the update (the largest of its processes); documents go
in bounded batches, so it stays flat as sites grow (try --documents 10000 --sample 1).

The site is built from a two-version template repository (v1, then v2 with a new section
and a reworded line) made in a temporary folder from this repository's template; every
third document carries an author edit.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from site_factory import build_site

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def git(cwd: Path, *args: str) -> None:
    subprocess.run(
        [
            "git",
            "-c",
            "user.name=bench",
            "-c",
            "user.email=b@example.invalid",
            "-c",
            "gc.auto=0",  # a background gc at 10,000 files races the copy of the site
            *args,
        ],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


def template_repository(root: Path) -> Path:
    repo = root / "template"
    repo.mkdir()
    shutil.copy(REPO / "copier.yml", repo / "copier.yml")
    shutil.copytree(REPO / "template", repo / "template")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "v1")
    git(repo, "tag", "v1")
    return repo


def release_v2(repo: Path) -> None:
    for name in ("guide", "tutorial"):
        partial = repo / f"template/_partials/{name}.md.jinja"
        text = partial.read_text("utf-8")
        text = text.replace(
            "## 🎬 Interview Application",
            "## 🧭 Interview Day\n\n- [ ] Sleep well\n\n---\n\n## 🎬 Interview Application",
            1,
        )
        text = text.replace(
            "- [ ] Complete practice exercises", "- [ ] Complete every practice exercise", 1
        )
        partial.write_text(text, "utf-8")
    git(repo, "commit", "-q", "-am", "v2")
    git(repo, "tag", "v2")


def author_edits(site: Path, count: int) -> None:
    for index in range(0, count, 3):
        for path in (site / "docs").glob(f"*/topic-{index}.md"):
            text = path.read_text("utf-8")
            path.write_text(
                text.replace("## 🎯", "## 🎯", 1)
                .replace("[Clear, concise definition]", f"Definition {index}.", 1)
                .replace("[Specific thing you'll build]", f"Thing {index}", 1),
                "utf-8",
            )


def site_behind(
    root: Path, count: int, guidewright: str, edit: Callable[[Path], None] | None = None
) -> tuple[Path, Path]:
    """(template repository, site): `count` documents made with v1 and committed, edited
    by their author (`author_edits`, then `edit`) and committed, and v2 released: what
    `update` has to do. The site is `root/site`."""
    repo = template_repository(root)
    site = root / "site"
    build_site(site, count, repo, str(repo), "v1", guidewright)
    git(site, "init", "-q")
    git(site, "add", "-A")
    git(site, "commit", "-q", "-m", "documents")
    author_edits(site, count)
    if edit is not None:
        edit(site)
    git(site, "commit", "-q", "-am", "author edits")
    release_v2(repo)
    return repo, site


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--sample", type=int, default=5)
    options = parser.parse_args()
    count, sample = options.documents, options.sample
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        _, site = site_behind(root, count, str(BIN / "guidewright"))
        reference_site = root / "reference"
        shutil.copytree(site, reference_site, symlinks=True)

        start = time.perf_counter()
        ours = subprocess.run(
            [str(BIN / "guidewright"), "update", "--defaults"],
            cwd=site,
            capture_output=True,
            text=True,
        )
        ours_seconds = time.perf_counter() - start
        # The largest resident set of guidewright and its render workers (Linux: KiB).
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        summary = ours.stdout.strip().splitlines()[-1]

        sampled = [f"topic-{i}" for i in range(0, count, max(count // sample, 1))][:sample]
        copier_seconds = 0.0
        identical = True
        for slug in sampled:
            (answers,) = (reference_site / ".guidewright/answers").glob(f"*/{slug}.yml")
            relpath = answers.relative_to(reference_site).as_posix()
            start = time.perf_counter()
            done = subprocess.run(
                [
                    str(BIN / "copier"),
                    "update",
                    "--defaults",
                    "--answers-file",
                    relpath,
                    "--vcs-ref",
                    "v2",
                ],
                cwd=reference_site,
                capture_output=True,
                text=True,
            )
            copier_seconds += time.perf_counter() - start
            if done.returncode != 0:
                raise SystemExit(done.stderr)
            git(reference_site, "add", "-A")
            git(reference_site, "commit", "-q", "-m", f"copier update {slug}")
            (document,) = (reference_site / "docs").glob(f"*/{slug}.md")
            mine = site / document.relative_to(reference_site)
            identical &= mine.read_bytes() == document.read_bytes()
            identical &= (site / relpath).read_bytes() == answers.read_bytes()
    ours_per_document = ours_seconds / count
    copier_per_document = copier_seconds / len(sampled)
    print(f"documents: {count} ({summary}; exit {ours.returncode})")
    print(
        f"guidewright update: {ours_seconds:.2f} s in all, {ours_per_document * 1000:.1f} ms per document"
    )
    print(
        f"copier update: {copier_per_document * 1000:.0f} ms per document (sample of {len(sampled)})"
    )
    print(f"peak memory of one process: {peak_mb:.0f} MB (target: under 300 MB at 10,000)")
    print(f"sampled outputs byte-identical: {identical}")
    print(
        f"per-document ratio copier/guidewright: {copier_per_document / ours_per_document:.0f}x (target: at least 300x)"
    )


if __name__ == "__main__":
    main()
