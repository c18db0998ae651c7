"""The world moving under a run: an answers file deleted while `update` writes, git failing
(a full disk, a corrupt index). The run fails that page only, or says in one line why
it stopped; never a traceback, and the pages already written are reported."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import snapshot
from test_update import clone_site, edited_site  # noqa: F401  (a fixture)

ANSWERS = ".guidewright/answers/system-design"
Site3 = tuple[Path, Path, Path]


@pytest.fixture
def site_copy(edited_site: Site3, tmp_path: Path) -> Site3:  # noqa: F811
    site, repo, home = edited_site
    return clone_site(site, tmp_path / "site"), repo, home


def test_an_answers_file_deleted_mid_update_fails_that_page_only(
    site_copy: Site3, monkeypatch: pytest.MonkeyPatch
) -> None:
    from guidewright.site.site import load_site
    from guidewright.update import run
    from guidewright.update.plan import Status

    site, _, _ = site_copy
    before = snapshot(site)
    vanishing = site / ANSWERS / "untouched.yml"
    real = run.write_pair
    written: list[str] = []

    def write_then_delete(*pairs: Any) -> None:
        real(*pairs)
        written.append(str(pairs[0][0]))
        if vanishing.exists():  # the author deletes it while the run goes on
            vanishing.unlink()

    monkeypatch.setattr(run, "write_pair", write_then_delete)
    outcomes = {o.document: o for o in run.update_site(load_site(site), None, None, False, None)}
    failed = outcomes["docs/system-design/untouched.md"]
    assert failed.status is Status.FAILED
    assert failed.detail == (
        f"its answers file {ANSWERS}/untouched.yml cannot be read (No such file or "
        "directory); left as it was"
    )
    assert (
        snapshot(site)["docs/system-design/untouched.md"]
        == before["docs/system-design/untouched.md"]
    )
    done = [o for o in outcomes.values() if o.status is not Status.FAILED]
    assert len(done) == len(outcomes) - 1 and len(written) == len(done)
