"""How `check --fix` writes its pages: in a write session (site/write_session.py, whose own
tests are test_write_session.py), each page old or fixed and never half-written, a failed
write a one-line error naming the page, a page saved meanwhile left as saved."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

import pytest
from support import GUIDEWRIGHT, HANG, commit_all, isolated_env, run_cli
from test_check_fix import PAGES, seeded  # noqa: F401  (the fixture)
from test_write_session import meanwhile, put_refused

from guidewright.check.fix import fix_site, fix_text
from guidewright.core.errors import OperationFailed
from guidewright.rules.registry import REGISTRY
from guidewright.site.site import load_site


def test_fix_reports_a_page_it_cannot_write_in_one_line(
    seeded: tuple[Path, Path],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    site, home = seeded
    page = site / PAGES["guide"]
    unfixed = page.read_bytes()
    put_refused(monkeypatch, {page.name: PermissionError(13, "Permission denied")})
    monkeypatch.chdir(site)
    with pytest.raises(OperationFailed) as raised:
        fix_site(load_site(site), None, pretend=False)
    assert str(raised.value).startswith(f"{PAGES['guide']}: not written (Permission denied); ")
    assert page.read_bytes() == unfixed
    assert not [p for p in page.parent.iterdir() if p.name.endswith(".tmp")]
    fixed = site / PAGES["tutorial"]  # written beside it: whole, as a second run sees
    again = run_cli("check", "--fix", str(fixed), cwd=site, home=home)
    assert "fixed 0 lists in 0 pages" in again.stdout


def test_ctrl_c_while_fix_writes_leaves_each_page_old_or_fixed(
    seeded: tuple[Path, Path],  # noqa: F811
) -> None:
    site, home = seeded
    guide = (site / PAGES["guide"]).read_bytes()
    markdown = load_site(site).profile.markdown
    fixed = fix_text(guide.decode("utf-8"), REGISTRY.fixable, markdown)[0].encode("utf-8")
    assert fixed != guide
    many = [site / "docs" / "many" / f"page-{number:03}.md" for number in range(320)]
    many[0].parent.mkdir()
    for page in many:  # above PARALLEL_FROM: the workers' path, five batches of writes
        page.write_bytes(guide)
    commit_all(site, home, "many pages")
    command = [GUIDEWRIGHT, "check", "--fix"]
    running = subprocess.Popen(
        command,
        cwd=site,
        env=isolated_env(home),
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    while many[0].read_bytes() == guide and running.poll() is None:
        time.sleep(0.001)
    running.send_signal(signal.SIGINT)  # as the first batch is being written
    _, stderr = running.communicate(timeout=HANG)
    contents = [page.read_bytes() for page in many]
    assert set(contents) <= {guide, fixed}
    assert not [p for p in site.rglob("*.tmp")]
    assert not (site / ".guidewright/staging").exists()
    assert "Traceback" not in stderr
    if running.returncode == 130:  # else it ended first: every page fixed
        assert "interrupted; each page is as it was or fixed whole" in stderr
    else:
        assert contents == [fixed] * len(many)


def test_a_page_saved_while_fix_runs_is_left_as_saved_and_listed(
    seeded: tuple[Path, Path],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    site, _ = seeded
    page = site / PAGES["guide"]
    saved = page.read_bytes() + b"\nA line saved meanwhile.\n"
    markdown = load_site(site).profile.markdown
    fixed_guide = fix_text(page.read_text("utf-8"), REGISTRY.fixable, markdown)[0].encode("utf-8")
    # Read and fixed, not yet compared: the author saves.
    meanwhile(monkeypatch, fixed_guide, lambda: page.write_bytes(saved))
    done = fix_site(load_site(site), None, pretend=False)
    assert [(r.relpath, r.reason) for r in done.left] == [
        (
            PAGES["guide"],
            "changed while check --fix ran: left as you saved it; run check --fix again",
        )
    ]
    assert page.read_bytes() == saved
    assert PAGES["tutorial"] in [p.relpath for p in done.pages]
    assert PAGES["guide"] not in [p.relpath for p in done.pages]
