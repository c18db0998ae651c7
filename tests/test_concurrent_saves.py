"""Issue 25's first promise: an author who saves while `update` or `check --fix` runs keeps
every byte saved. 200 saves during an update of 1,000 documents, and during a `check
--fix` of 1,000 pages: each save survives byte for byte, each such page is listed, and the
command exits 1.

Deterministic, not a race against the clock: the command runs (in this process) with its
write session hooked so that each chosen file is saved (in place, or by an editor's
rename) after the run read it and before it compares it, the moment a save is lost if the
run does not compare before it replaces.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from support import GUIDEWRIGHT, REPO, copied, run_cli

from guidewright.core.atomic import Seen
from guidewright.site import write_session

sys.path.insert(0, str(REPO / "benchmarks"))
from bench_check_fix import unfixed_site
from bench_update import git, release_v2, template_repository
from site_factory import build_site

DOCUMENTS = 1000
SAVES = 200


def run_saving(
    site: Path, saves: dict[str, str], tmp_path: Path, *command: str
) -> subprocess.CompletedProcess[str]:
    """`guidewright COMMAND` in `site` (in this process: the run compares in its own
    process, never in a forked worker), its write session hooked so that each file of
    `saves` (by path in the site) is saved with its content just before the run compares
    it, half of them in place, half by an editor's rename."""
    plan = {
        os.path.realpath(site / relpath): ("in place" if n % 2 else "renamed", content)
        for n, (relpath, content) in enumerate(sorted(saves.items()))
    }
    compare = write_session.still_as_seen

    def saved_meanwhile(folder: int, name: str, seen: Seen) -> tuple[bytes, int]:
        path = os.path.join(os.readlink(f"/proc/self/fd/{folder}"), name)
        found = plan.pop(path, None)
        if found is not None:
            how, content = found
            if how == "in place":
                Path(path).write_bytes(content.encode())
            else:
                Path(path + ".swp").write_bytes(content.encode())
                os.replace(path + ".swp", path)
        return compare(folder, name, seen)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(write_session, "still_as_seen", saved_meanwhile)
        done = run_cli(*command, cwd=site, home=tmp_path / "home")
    assert not plan, f"never compared: {sorted(plan)}"
    return done


def saved_text(relpath: str) -> str:
    return f"---\ntitle: saved\n---\n# Saved by the author while the run went on: {relpath}\n"


@pytest.fixture(scope="module")
def updatable(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A committed site of 1,000 documents at v1 of a template whose v2 is out."""
    root = tmp_path_factory.mktemp("saves-update")
    repo = template_repository(root)
    site = root / "site"
    build_site(site, DOCUMENTS, repo, str(repo), "v1", GUIDEWRIGHT)
    git(site, "init", "-q")
    git(site, "add", "-A")
    git(site, "commit", "-q", "-m", "documents")
    release_v2(repo)
    return site


def test_saves_during_update_survive_byte_for_byte_and_are_listed(
    updatable: Path, tmp_path: Path
) -> None:
    site = copied(updatable, tmp_path / "site")
    documents = sorted(p.relative_to(site).as_posix() for p in (site / "docs").rglob("topic-*.md"))
    assert len(documents) == DOCUMENTS
    chosen = documents[:: DOCUMENTS // SAVES]
    saves = {relpath: saved_text(relpath) for relpath in chosen[20:]}
    for document in chosen[:20]:  # an answers file edited meanwhile: its pair stays too
        section, name = document.split("/")[1:]
        answers = f".guidewright/answers/{section}/{name.removesuffix('.md')}.yml"
        saves[answers] = (site / answers).read_text("utf-8") + "# edited meanwhile\n"
    assert len(saves) == SAVES
    before = {relpath: (site / relpath).read_bytes() for relpath in chosen}

    done = run_saving(site, saves, tmp_path, "update", "--defaults")

    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    for relpath, content in saves.items():
        assert (site / relpath).read_text("utf-8") == content, relpath
    for document in chosen:  # its row of the table (one line: no terminal folds it)
        row = next(line for line in done.stdout.splitlines() if f" {document} " in line)
        assert "left alone" in row, row
        assert "changed while update ran: left as you saved it; run update again" in row, row
    for document in chosen[:20]:  # the page of an edited answers file is as it was
        assert (site / document).read_bytes() == before[document]
    updated = [d for d in documents if d not in chosen]
    assert all("## 🧭 Interview Day" in (site / d).read_text("utf-8") for d in updated)
    assert f"{len(updated)} updated" in done.stdout and f"{SAVES} left alone" in done.stdout
    assert not (site / ".guidewright/staging").exists()


@pytest.fixture(scope="module")
def fixable(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A committed site of 1,000 pages whose lists need fixing (GW601)."""
    site = tmp_path_factory.mktemp("saves-fix") / "site"
    unfixed_site(site, DOCUMENTS)
    return site


def test_saves_during_check_fix_survive_byte_for_byte_and_are_listed(
    fixable: Path, tmp_path: Path
) -> None:
    site = copied(fixable, tmp_path / "site")
    pages = sorted(p.relative_to(site).as_posix() for p in (site / "docs").rglob("topic-*.md"))
    assert len(pages) == DOCUMENTS
    chosen = pages[:: DOCUMENTS // SAVES]
    saves = {relpath: saved_text(relpath) for relpath in chosen}
    unfixed = (site / pages[1]).read_bytes()

    done = run_saving(site, saves, tmp_path, "check", "--fix")

    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    for relpath, content in saves.items():
        assert (site / relpath).read_text("utf-8") == content, relpath
    listed = [line for line in done.stderr.splitlines() if "while check --fix ran" in line]
    assert sorted(listed) == sorted(
        f"{relpath}: changed while check --fix ran: left as you saved it; run check --fix again"
        for relpath in chosen
    )
    assert f"in {DOCUMENTS - SAVES} pages (GW601)" in done.stdout
    assert (site / pages[1]).read_bytes() != unfixed  # the others fixed
    assert not (site / ".guidewright/staging").exists()
