"""The write session's concurrency policy, measured: N page-and-answers pairs written
through site/write_session.py (staged and flushed, compared, renamed, folders flushed)
one at a time, by threads, and by forked processes.

Each strategy writes the same pairs over the same committed files, --runs times, and is
compared by its median wall time (a write waits for the disk: wall time is the measure).

    python benchmarks/bench_writes.py [--pairs 1000] [--runs 3]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from itertools import count
from pathlib import Path

from guidewright.core.atomic import read_seen
from guidewright.core.bounded_read import PAGE_BYTES
from guidewright.site import write_session
from guidewright.site.site import Site, SiteConfig
from guidewright.site.write_session import Group, GroupResult, Target, WriteSession

SECTIONS = 10
_SESSION: list[WriteSession] = []  # the session a forked worker inherits


def make_site(root: Path, pairs: int) -> Site:
    for number in range(pairs):
        section = f"section-{number % SECTIONS}"
        page = root / "docs" / section / f"page-{number:04}.md"
        answers = root / ".guidewright" / "answers" / section / f"page-{number:04}.yml"
        for path, size in ((page, 3000), (answers, 400)):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(b"x" * size)
    return Site(root, "docs", SiteConfig())


def pairs_to_write(site: Site, pairs: int, round_number: int) -> list[Group]:
    groups: list[Group] = []
    for number in range(pairs):
        section = f"section-{number % SECTIONS}"
        found = []
        for relpath, size in (
            (f"docs/{section}/page-{number:04}.md", 3000),
            (f".guidewright/answers/{section}/page-{number:04}.yml", 400),
        ):
            seen = read_seen(site.root / relpath, PAGE_BYTES)[1]
            found.append(Target(relpath, seen, bytes([65 + round_number % 26]) * size))
        groups.append(found)
    return groups


def in_threads(writers: int) -> Callable[[WriteSession, Sequence[Group]], None]:
    def write(session: WriteSession, groups: Sequence[Group]) -> None:
        write_session.WRITERS = writers
        session.write(groups)

    return write


def _worker_start(offset: int) -> None:
    # Each worker its own staged names (the counter is copied by the fork).
    _SESSION[0]._numbers = count(offset * 10**6 + mp.current_process().pid * 10**7)  # type: ignore[union-attr]


def _write_in_worker(group: Group) -> GroupResult:
    return _SESSION[0]._write_group(group)


def in_processes(workers: int) -> Callable[[WriteSession, Sequence[Group]], None]:
    def write(session: WriteSession, groups: Sequence[Group]) -> None:
        _SESSION[:] = [session]
        with ProcessPoolExecutor(
            workers, mp_context=mp.get_context("fork"), initializer=_worker_start, initargs=(1,)
        ) as pool:
            list(pool.map(_write_in_worker, groups, chunksize=25))
        session._flush(groups, [GroupResult(write_session.Written.WRITTEN)] * len(groups))

    return write


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pairs", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    strategies = {
        "one at a time": in_threads(1),
        "2 threads": in_threads(2),
        "4 threads": in_threads(4),
        "8 threads": in_threads(8),
        "16 threads": in_threads(16),
        "2 processes": in_processes(2),
    }
    with tempfile.TemporaryDirectory(prefix="bench-writes-", dir=Path.cwd()) as folder:
        site = make_site(Path(folder), options.pairs)
        timings: dict[str, list[float]] = {name: [] for name in strategies}
        round_number = 0
        for _ in range(options.runs):
            for name, strategy in strategies.items():
                round_number += 1
                groups = pairs_to_write(site, options.pairs, round_number)
                with WriteSession(site, "bench") as session:
                    start = time.perf_counter()
                    strategy(session, groups)
                    timings[name].append(time.perf_counter() - start)
        for name, found in timings.items():
            print(
                f"{name:>14}: {statistics.median(found):.2f} s  ({', '.join(f'{t:.2f}' for t in found)})"
            )


if __name__ == "__main__":
    main()
