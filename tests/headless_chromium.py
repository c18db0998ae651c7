"""A real browser for the tests: Debian's Chromium, headless, loading pages a test serves
from localhost (the network is closed: every script a page runs must be served too).

Chromium is no Python package: `.ci/run` installs it where apt-get can; a test needing it
is skipped, saying why, where /usr/bin/chromium is absent (GUIDEWRIGHT_CHROMIUM names
another)."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = (
    os.environ.get("GUIDEWRIGHT_CHROMIUM")
    or shutil.which("chromium")
    or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
)
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None,
    reason="no Chromium at /usr/bin/chromium (.ci/run installs Debian's where apt-get can)",
)
HANG = 120
# Headless, as root in a container, on a closed network: without the background-networking
# flags Chromium's own connections are refused many at a time and slow every start.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass  # the test says what failed; a request log is noise


@contextlib.contextmanager
def served(folder: Path) -> Iterator[str]:
    """`folder` served on a free localhost port for the block: its address."""
    handler = functools.partial(_Quiet, directory=str(folder))
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}"
        finally:
            server.shutdown()
            thread.join()


def _chromium(*arguments: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    with tempfile.TemporaryDirectory(prefix="guidewright-chromium-") as profile:
        return subprocess.run(
            [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *arguments],
            capture_output=True,
            text=True,
            timeout=HANG,
        )


def dom_after_scripts(url: str, budget_ms: int = 20000) -> str:
    """The page's DOM once its scripts ran (virtual time: the page's timers run as fast as
    the machine allows, then the DOM is dumped)."""
    done = _chromium(f"--virtual-time-budget={budget_ms}", "--dump-dom", url)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def screenshot(url: str, to: Path, budget_ms: int = 20000) -> None:
    """A PNG of the page once its scripts ran (for a person to look at when a test fails)."""
    done = _chromium(
        f"--virtual-time-budget={budget_ms}", "--window-size=1200,3000", f"--screenshot={to}", url
    )
    assert done.returncode == 0 and to.is_file(), done.stderr[-2000:]
