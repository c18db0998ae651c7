"""The prerequisite graph (issue 30): a cycle is one error naming its pages, on its first
page, in `check` and in the editor; a page that lists itself, a prerequisite that is no
content page; `guidewright path` prints the reading order."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from built_once import built_once
from lsp_client import Session, run_session
from support import commit_all, run_cli

from guidewright.lsp.live_site import open_live_site
from guidewright.rules.prerequisites import CycleFound, knot, reading_order, shortest_cycle
from guidewright.site.site import load_site

GRAPH = {"a": ["b"], "b": ["c", "d"], "c": ["a"], "d": [], "e": ["e", "d"]}


def successors(page: str) -> list[str]:
    return GRAPH.get(page, [])


def test_the_knot_of_a_page_is_the_pages_on_a_cycle_with_it() -> None:
    assert knot("a", successors) == ["a", "b", "c"]
    assert knot("c", successors) == ["a", "b", "c"]
    assert knot("d", successors) == ["d"]
    assert knot("e", successors) == ["e"]  # listing itself is GW205's, not a cycle
    assert shortest_cycle("b", successors, {"a", "b", "c"}) == ["b", "c", "a"]


def test_the_reading_order_puts_each_page_after_what_it_needs() -> None:
    graph = {"top": ["mid", "base"], "mid": ["base", "side"], "base": [], "side": []}
    assert reading_order("top", lambda p: graph[p]) == ["base", "side", "mid", "top"]
    with pytest.raises(CycleFound) as cycle:
        reading_order("a", successors)
    assert str(cycle.value) == "a → b → c → a"


def test_a_chain_of_thousands_needs_no_deep_stack() -> None:
    chain = {f"p{i}": [f"p{i - 1}"] if i else [] for i in range(5000)}
    assert reading_order("p4999", chain.__getitem__) == [f"p{i}" for i in range(5000)]
    chain["p0"] = ["p4999"]
    assert len(knot("p0", chain.__getitem__)) == 5000
    with pytest.raises(CycleFound) as cycle:
        reading_order("p3", chain.__getitem__)
    assert len(cycle.value.pages) == 5000


def _guide(site: Path, home: Path, topic: str, *prerequisites: str) -> None:
    args = [
        "new-guide",
        "--defaults",
        "--topic",
        topic,
        "--section",
        "coding",
        "--tag",
        "coding",
        "--tag",
        "aws",
        "--objective",
        "Explain it",
        "--contributor",
        "Ada",
        "--content-owner",
        "platform-team",
        "--last-updated",
        dt.date.today().isoformat(),
    ]
    for prerequisite in prerequisites:
        args += ["--prerequisite", prerequisite]
    done = run_cli(*args, cwd=site, home=home)
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def chain(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Arrays needs nothing, Hashing needs Arrays, Caches need Hashing; Graphs need Caches.
    Built once a run (built_once.py); the tests copy it or only read it."""
    return built_once(tmp_path_factory, "prerequisites-chain", _build_chain) / "site"


def _build_chain(root: Path) -> None:
    home, site = root / "home", root / "site"
    assert run_cli("init", str(site), cwd=root, home=home).returncode == 0
    _guide(site, home, "Arrays")
    _guide(site, home, "Hashing", "coding/arrays.md")
    _guide(site, home, "Caches", "coding/hashing.md")
    _guide(site, home, "Graphs", "coding/caches.md")
    commit_all(site, home, "four guides")


@pytest.fixture
def site_copy(chain: Path, tmp_path: Path) -> Path:
    return shutil.copytree(chain, tmp_path / "site", symlinks=True)


def listed(site: Path, page: str, prerequisites: list[str]) -> None:
    """The page's prerequisites set by hand (as an author edits the frontmatter)."""
    path = site / "docs" / page
    text = path.read_text("utf-8")
    start = text.index("prerequisites: ")
    end = text.index("\n", start)
    path.write_text(text[:start] + f"prerequisites: {json.dumps(prerequisites)}" + text[end:])


def graph_findings(site: Path, home: Path, *options: str) -> list[str]:
    done = run_cli("check", "--format", "json", *options, cwd=site, home=home)
    return [
        f"{p['path']} {p['code']} {p['message']}"
        for p in json.loads(done.stdout)["problems"]
        if p["code"] in ("GW203", "GW204", "GW205")
    ]


def test_a_cycle_of_three_is_one_error_naming_the_three(site_copy: Path, home: Path) -> None:
    listed(
        site_copy, "coding/arrays.md", ["coding/caches.md"]
    )  # arrays → caches → hashing → arrays
    assert graph_findings(site_copy, home) == [
        "docs/coding/arrays.md GW203 prerequisites form a cycle: coding/arrays.md → "
        "coding/caches.md → coding/hashing.md → coding/arrays.md"
    ]
    # The editor says the same, on the same page, and nothing on the others of the cycle.
    live = open_live_site(load_site(site_copy))
    try:
        today = dt.date.today()
        for page in ("coding/arrays.md", "coding/hashing.md", "coding/caches.md"):
            text = (site_copy / "docs" / page).read_text("utf-8")
            codes = [p.message for p in live.problems(page, text, today) if p.code == "GW203"]
            assert codes == (
                [
                    "prerequisites form a cycle: coding/arrays.md → coding/caches.md → "
                    "coding/hashing.md → coding/arrays.md"
                ]
                if page == "coding/arrays.md"
                else []
            )
        # An edit that breaks the cycle, made in the editor: the error goes at once.
        hashing = (site_copy / "docs/coding/hashing.md").read_text("utf-8")
        live.update("coding/hashing.md", hashing.replace('["coding/arrays.md"]', "[]"))
        arrays = (site_copy / "docs/coding/arrays.md").read_text("utf-8")
        assert not [
            p for p in live.problems("coding/arrays.md", arrays, today) if p.code == "GW203"
        ]
    finally:
        live.close()
    done = run_cli("path", "docs/coding/graphs.md", cwd=site_copy, home=home)
    assert done.returncode == 1
    assert "its prerequisites form a cycle" in done.stderr and "GW203" in done.stderr


def test_a_page_listing_itself_and_an_index_as_prerequisite(site_copy: Path, home: Path) -> None:
    listed(site_copy, "coding/hashing.md", ["coding/hashing.md", "coding/arrays.md"])
    listed(site_copy, "coding/caches.md", ["coding/index.md", "coding/hashing.md"])
    self_listed = (
        "docs/coding/hashing.md GW205 coding/hashing.md is this page itself: a page is no "
        "prerequisite of its own"
    )
    assert graph_findings(site_copy, home) == [self_listed]  # GW204 is optional: off
    assert graph_findings(site_copy, home, "--select", "gw204") == [
        "docs/coding/caches.md GW204 coding/index.md is not a content page (an index, the tags "
        "page or a page without the template's frontmatter): list the pages to read before "
        "this one",
        self_listed,
    ]
    config = site_copy / ".guidewright/config.yml"
    config.write_text(config.read_text("utf-8") + "check:\n  select: [GW204]\n", "utf-8")
    assert len(graph_findings(site_copy, home)) == 2  # selected for good
    wrong = run_cli("check", "--select", "GW999", cwd=site_copy, home=home)
    assert wrong.returncode == 2 and wrong.stderr.startswith(
        "error: --select: no rule GW999 (rules:"
    )


def test_path_prints_the_reading_order(chain: Path, home: Path) -> None:
    done = run_cli("path", "docs/coding/graphs.md", cwd=chain, home=home)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "coding/graphs.md: 3 pages to read first",
        "  1. coding/arrays.md  Arrays Complete Guide for Amazon L6/L7 Interviews",
        "  2. coding/hashing.md  Hashing Complete Guide for Amazon L6/L7 Interviews",
        "  3. coding/caches.md  Caches Complete Guide for Amazon L6/L7 Interviews",
        "  4. coding/graphs.md  Graphs Complete Guide for Amazon L6/L7 Interviews",
    ]
    as_json = run_cli("path", "coding/hashing.md", "--format", "json", cwd=chain, home=home)
    order = json.loads(as_json.stdout)["order"]
    assert [step["page"] for step in order] == ["coding/arrays.md", "coding/hashing.md"]
    missing = run_cli("path", "coding/nowhere.md", cwd=chain, home=home)
    assert missing.returncode == 2
    assert (
        missing.stderr == "error: PAGE: coding/nowhere.md is not a page of the docs folder docs/\n"
    )


def test_an_unlinked_page_is_found_only_when_selected(site_copy: Path, home: Path) -> None:
    def unlinked(*options: str) -> list[str]:
        done = run_cli("check", "--format", "json", *options, cwd=site_copy, home=home)
        return [p["path"] for p in json.loads(done.stdout)["problems"] if p["code"] == "GW206"]

    assert unlinked() == []  # optional: off
    # Arrays, Hashing and Caches are prerequisites of the next; nothing leads to Graphs.
    assert unlinked("--select", "GW206") == ["docs/coding/graphs.md"]
    arrays = site_copy / "docs/coding/arrays.md"
    arrays.write_text(arrays.read_text("utf-8") + "\nNext: [graphs](graphs.md#top).\n", "utf-8")
    assert unlinked("--select", "GW206") == []  # a link in a page's Markdown counts


def test_the_editor_shows_the_cycle_on_its_first_page_and_drops_it_when_broken(
    site_copy: Path, home: Path
) -> None:
    """`guidewright lsp` over stdio: the finding check gives, on the page check puts it on;
    a change in another open page that breaks the cycle clears it."""
    listed(site_copy, "coding/arrays.md", ["coding/caches.md"])
    cycle = (
        "prerequisites form a cycle: coding/arrays.md → coding/caches.md → coding/hashing.md "
        "→ coding/arrays.md"
    )

    async def body(session: Session) -> tuple[list[str], list[str], list[str]]:
        arrays = session.open(site_copy / "docs/coding/arrays.md")
        found = await session.wait_for(arrays, lambda d: any(x.code == "GW203" for x in d))
        hashing = session.open(site_copy / "docs/coding/hashing.md")
        others = await session.wait_for(hashing, lambda d: True)
        text = session.texts[hashing]
        session.change(hashing, text.replace('["coding/arrays.md"]', "[]", 1))
        after = await session.wait_for(arrays, lambda d: not any(x.code == "GW203" for x in d))
        return (
            [d.message for d in found if d.code == "GW203"],
            [str(d.code) for d in others if d.code == "GW203"],
            [str(d.code) for d in after if d.code == "GW203"],
        )

    on_first, on_another, once_broken = run_session(site_copy, home, body)
    assert len(on_first) == 1 and cycle in on_first[0]
    assert on_another == [] and once_broken == []
