"""`guidewright check` at scale: the cost per page on a generated site of 100,000 pages against
the same on 10,000 pages, measured in the same run (target: at most 1.2x), the peak memory of
check (target: under 400 MB), and `guidewright lsp` holding the 100,000-page site's index
(target: under 400 MB).

    python benchmarks/bench_scale.py [--site-cache /tmp/gw-scale] [--sizes 10000 100000]
                                     [--runs 3] [--large-runs 1] [--no-lsp]

Sites are built by benchmarks/scale_site.py (rendered by the template, most pages as copies
of a rendering checked against the renderer); with --site-cache they are kept there and
reused while the template is unchanged, since building 100,000 pages takes minutes.

Memory of check, which forks workers:
- largest process: the peak resident set (ru_maxrss) of the largest single process of one
  run, the parent or a worker, from os.wait4 on that run (what getrusage(RUSAGE_CHILDREN)
  says, for one run only);
- all processes: the parent and its workers sampled together from /proc every 0.1 s, the
  peak of the sum of their resident sets (pages the fork shares counted in each process)
  and of the sum of their proportional sets (PSS: shared pages split among their holders,
  what the machine really gives them).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

sys.path.insert(0, str(Path(__file__).parent))
from scale_site import build_scale_site, template_key

from guidewright.template.source import bundled_template

GUIDEWRIGHT = str(Path(sys.executable).parent / "guidewright")
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


@dataclass(frozen=True)
class CheckRun:
    seconds: float
    cpu: float  # user and system, every process of the run
    largest_kb: int  # ru_maxrss of the largest single process
    rss_sum_kb: int  # sampled peak of the sum over the parent and its workers
    pss_sum_kb: int
    exit_code: int
    summary: str


def _tree(pid: int) -> list[int]:
    """`pid` and its descendants (check's workers are its children)."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        queue.extend(int(child) for child in children)
    return found


def _memory_kb(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process, 0 when it is gone."""
    try:
        rss = int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_KB
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except (OSError, IndexError, ValueError):
        return 0, 0
    pss = next((int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Pss:")), 0)
    return rss, pss


def run_check(site: Path) -> CheckRun:
    """One `guidewright check` of the whole site from nothing (`--no-cache`: the cost a page
    of reading and judging it, which a warm site index would spare), its time and memory."""
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        process = subprocess.Popen(
            [GUIDEWRIGHT, "check", "--no-cache"], cwd=site, stdout=out, stderr=out
        )
        peaks = [0, 0]
        done = threading.Event()

        def sample() -> None:
            while not done.wait(0.1):
                totals = [_memory_kb(pid) for pid in _tree(process.pid)]
                peaks[0] = max(peaks[0], sum(rss for rss, _ in totals))
                peaks[1] = max(peaks[1], sum(pss for _, pss in totals))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        done.set()
        sampler.join()
        out.seek(0)
        lines = out.read().decode("utf-8", "replace").strip().splitlines()
    return CheckRun(
        elapsed,
        usage.ru_utime + usage.ru_stime,
        usage.ru_maxrss,
        peaks[0],
        peaks[1],
        process.returncode,
        lines[-1] if lines else "",
    )


async def lsp_memory(site: Path) -> tuple[float, int, int]:
    """(seconds to the first diagnostics, the server's RSS then, its peak RSS) in kB."""
    client = LanguageClient("bench-scale", "1")
    arrived: asyncio.Queue[types.PublishDiagnosticsParams] = asyncio.Queue()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def published(params: types.PublishDiagnosticsParams) -> None:
        arrived.put_nowait(params)

    page = site / "docs" / "fundamentals" / "topic-0.md"
    started = time.perf_counter()
    await client.start_io(GUIDEWRIGHT, "lsp", cwd=str(site))
    # The server builds the whole site's index before it answers `initialize`.
    await client.initialize_async(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(), root_uri=site.as_uri(), process_id=None
        )
    )
    client.initialized(types.InitializedParams())
    item = types.TextDocumentItem(
        uri=page.as_uri(), language_id="markdown", version=1, text=page.read_text("utf-8")
    )
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=item))
    await arrived.get()
    start_up = time.perf_counter() - started
    assert client._server is not None
    status = Path(f"/proc/{client._server.pid}/status").read_text().splitlines()
    rss, peak = (
        int(next(s for s in status if s.startswith(k)).split()[1]) for k in ("VmRSS", "VmHWM")
    )
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return start_up, rss, peak


def site_for(cache: Path, count: int, template: Path) -> Path:
    """The generated site of `count` pages in `cache`, built unless it is there already."""
    key = template_key(template)
    root = cache / f"site-{count}"
    built = cache / f"site-{count}.built"
    if built.is_file() and built.read_text() == key and root.is_dir():
        return root
    began = time.perf_counter()
    built.unlink(missing_ok=True)
    build_scale_site(root, count, template, str(template), None, GUIDEWRIGHT)
    built.write_text(key)
    print(f"built {count} pages in {root} in {time.perf_counter() - began:.0f} s", flush=True)
    return root


def warm(site: Path) -> None:
    """Every file of the site read once, so that no run pays for the disk."""
    for folder, _, files in os.walk(site):
        for name in files:
            Path(folder, name).read_bytes()


def _mb(kb: float) -> str:
    return f"{kb / 1024:.0f} MB"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--site-cache", type=Path, help="keep the sites here, reuse them")
    parser.add_argument("--sizes", type=int, nargs=2, default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=3, help="checks of the small site")
    parser.add_argument("--large-runs", type=int, default=1, help="checks of the large site")
    parser.add_argument("--no-lsp", action="store_true")
    arguments = parser.parse_args()
    template = bundled_template()
    with tempfile.TemporaryDirectory() as tmp:
        cache = arguments.site_cache or Path(tmp)
        cache.mkdir(parents=True, exist_ok=True)
        small_count, large_count = arguments.sizes
        small, large = (site_for(cache, n, template) for n in (small_count, large_count))
        for site in (small, large):  # the file cache warm, as for an author's second run
            warm(site)
        smalls = [run_check(small) for _ in range(arguments.runs)]
        larges = [run_check(large) for _ in range(arguments.large_runs)]
        smalls += [run_check(small)]  # after the large too: the machine's load drifts
        per_page = {}
        for name, count, runs in (("small", small_count, smalls), ("large", large_count, larges)):
            seconds = statistics.median(r.seconds for r in runs)
            cpu = statistics.median(r.cpu for r in runs)
            per_page[name] = (seconds * 1000 / count, cpu * 1000 / count)
            last = runs[-1]
            print(
                f"check, {count} pages: {seconds:.1f} s wall ({per_page[name][0]:.3f} ms a "
                f"page), {cpu:.1f} s CPU ({per_page[name][1]:.3f} ms a page), median of "
                f"{len(runs)}; {last.summary} (exit {last.exit_code})"
            )
            print(
                f"  memory: largest process {_mb(max(r.largest_kb for r in runs))} "
                f"(ru_maxrss); all processes: RSS sum {_mb(max(r.rss_sum_kb for r in runs))}, "
                f"PSS sum {_mb(max(r.pss_sum_kb for r in runs))} (sampled peaks)"
            )
        wall = per_page["large"][0] / per_page["small"][0]
        cpu = per_page["large"][1] / per_page["small"][1]
        print(
            f"ratio of the cost a page, {large_count} to {small_count}: {wall:.2f} wall, "
            f"{cpu:.2f} CPU (target: at most 1.2)"
        )
        largest = max(r.largest_kb for r in larges)
        print(
            f"check's peak on {large_count} pages: largest process {_mb(largest)}, "
            f"PSS of all {_mb(max(r.pss_sum_kb for r in larges))} (target: under 400 MB)"
        )
        if not arguments.no_lsp:
            start_up, rss, peak = asyncio.run(lsp_memory(large))
            print(
                f"lsp on {large_count} pages: first diagnostics after {start_up:.1f} s; "
                f"RSS with the index built {_mb(rss)}, peak {_mb(peak)} "
                f"(target: under 400 MB)"
            )


if __name__ == "__main__":
    main()
