"""`guidewright report` (issue 30): its numbers are `check`'s (overdue reviews are GW401's
pages, pages behind the template GW503's, cycles GW203's), its tags `tags`'; the Markdown
page builds with `mkdocs build --strict` and Material draws its diagrams; the HTML file
stands alone."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from headless_chromium import dom_after_scripts, needs_chromium, screenshot, served
from mermaid_oracle import mermaid_script, mermaid_verdicts
from support import GUIDEWRIGHT, HANG, REPO, commit_all, git, run_cli

sys.path.insert(0, str(REPO / "benchmarks"))
from bench_update import release_v2, template_repository
from site_factory import build_site

from guidewright.site.site import CONFIG_RELPATH

DOCUMENTS = 12
MERMAID_FENCE = """\
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          class: mermaid
          format: !!python/name:pymdownx.superfences.fence_code_format
"""


@pytest.fixture(scope="module")
def behind(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """12 documents made with v1 of a template whose v2 is out (the site's template), two
    owners, a prerequisite cycle of three, Mermaid drawn by the site's Material."""
    root = tmp_path_factory.mktemp("report")
    repo = template_repository(root)
    site = root / "site"
    build_site(site, DOCUMENTS, repo, str(repo), "v1", GUIDEWRIGHT)
    release_v2(repo)
    config = site / CONFIG_RELPATH
    config.write_text(config.read_text("utf-8") + f"template: {repo}\n", "utf-8")
    mkdocs = site / "mkdocs.yml"
    text = mkdocs.read_text("utf-8").replace("  - pymdownx.superfences\n", MERMAID_FENCE)
    mkdocs.write_text(text, "utf-8")
    for index, owner in ((1, "search-team"), (7, "search-team")):
        page = next((site / "docs").glob(f"*/topic-{index}.md"))
        page.write_text(page.read_text("utf-8").replace("platform-team", owner), "utf-8")
    cycle = {0: "experiences/topic-5.md", 5: "coding/topic-2.md", 2: "fundamentals/topic-0.md"}
    for index, needs in cycle.items():
        page = next((site / "docs").glob(f"*/topic-{index}.md"))
        text = page.read_text("utf-8")
        start = text.index("prerequisites: ")
        end = text.index("\n", start)
        page.write_text(text[:start] + f'prerequisites: ["{needs}"]' + text[end:], "utf-8")
    commit_all(site, root / "home", "12 documents", init=True)
    return site


@pytest.fixture
def site_copy(behind: Path, tmp_path: Path) -> Path:
    return shutil.copytree(behind, tmp_path / "site", symlinks=True)


def test_the_numbers_are_checks(behind: Path, home: Path) -> None:
    checked = json.loads(run_cli("check", "--format", "json", cwd=behind, home=home).stdout)
    done = run_cli("report", "--format", "json", cwd=behind, home=home)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    problems = checked["problems"]
    errors = sum(p["severity"] == "error" for p in problems)
    assert report["check"]["documents"] == checked["checked"] == DOCUMENTS
    assert (report["check"]["errors"], report["check"]["warnings"]) == (
        errors,
        len(problems) - errors,
    )

    def pages_of(code: str) -> list[str]:
        return sorted(p["path"].removeprefix("docs/") for p in problems if p["code"] == code)

    overdue = report["reviews"]["overdue"]
    assert sorted(r["page"] for r in overdue) == pages_of("GW401")
    owners = report["reviews"]["by_owner"]
    assert sum(o["overdue"] for o in owners.values()) == len(overdue)
    if overdue:  # the factory's review date: 2026-12-01
        assert owners["search-team"]["overdue"] == 2
    assert [b["page"] for b in report["template"]["behind"]] == pages_of("GW503")
    assert len(pages_of("GW503")) == DOCUMENTS
    assert {(b["recorded"], b["releases_behind"]) for b in report["template"]["behind"]} == {
        ("v1", 1)
    }
    assert report["template"]["newest"] == "v2"
    # And what `update --check` says is behind, at the same versions.
    update = run_cli("update", "--check", "--format", "json", cwd=behind, home=home)
    waiting = json.loads(update.stdout)["behind"]
    assert [(b["page"], b["recorded"]) for b in report["template"]["behind"]] == [
        (w["document"].removeprefix("docs/"), w["recorded"]) for w in waiting
    ]
    assert {w["newest"] for w in waiting} == {report["template"]["newest"]}
    cycles = [p["message"] for p in problems if p["code"] == "GW203"]
    assert report["prerequisites"]["cycles"] == cycles and len(cycles) == 1
    assert "coding/topic-2.md → fundamentals/topic-0.md → experiences/topic-5.md" in cycles[0]
    assert sum(s["pages"] for s in report["sections"].values()) == DOCUMENTS
    tags = json.loads(run_cli("tags", "--format", "json", cwd=behind, home=home).stdout)["tags"]
    assert report["tags"] == [{"tag": t["tag"], "count": t["count"]} for t in tags]


def test_releases_behind_are_counted_between_update_checks_versions(
    behind: Path, site_copy: Path, home: Path
) -> None:
    # The template copied and released twice more (v3, v4); one page brought to v3: pages
    # are 3 and 1 releases behind v4, counted as the versions `update --check` names.
    repo = shutil.copytree(behind.parent / "template", site_copy.parent / "template")
    for recorded in [site_copy / CONFIG_RELPATH, *site_copy.glob(".guidewright/answers/*/*")]:
        text = recorded.read_text("utf-8")  # the pages' answers record where it was too
        recorded.write_text(text.replace(str(behind.parent / "template"), str(repo)), "utf-8")
    for version in ("v3", "v4"):
        partial = repo / "template/_partials/guide.md.jinja"
        partial.write_text(partial.read_text("utf-8") + f"\n<!-- {version} -->\n", "utf-8")
        git(
            repo,
            home,
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.invalid",
            "commit",
            "-qam",
            version,
        )
        git(repo, home, "tag", version)
        if version == "v3":
            commit_all(site_copy, home, "the template moved")
            page = next((site_copy / "docs").glob("*/topic-3.md")).relative_to(site_copy)
            done = run_cli("update", "--vcs-ref", "v3", str(page), cwd=site_copy, home=home)
            assert done.returncode == 0, done.stderr
    report = json.loads(run_cli("report", "--format", "json", cwd=site_copy, home=home).stdout)
    update = run_cli("update", "--check", "--format", "json", cwd=site_copy, home=home)
    waiting = {w["document"].removeprefix("docs/"): w for w in json.loads(update.stdout)["behind"]}
    releases = ["v1", "v2", "v3", "v4"]
    counted = {
        b["page"]: (b["recorded"], b["releases_behind"]) for b in report["template"]["behind"]
    }
    assert counted == {
        page: (w["recorded"], releases.index(w["newest"]) - releases.index(w["recorded"]))
        for page, w in waiting.items()
    }
    assert sorted(set(counted.values())) == [("v1", 3), ("v3", 1)]
    assert report["template"]["newest"] == "v4" and len(counted) == DOCUMENTS


@pytest.mark.differential
def test_the_page_builds_strict_and_its_diagrams_are_materials(site_copy: Path, home: Path) -> None:
    done = run_cli("report", cwd=site_copy, home=home)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "wrote: docs/report/index.md\n"
    assert "draws no Mermaid" not in done.stderr  # the site configures the fence
    page = (site_copy / "docs/report/index.md").read_text("utf-8")
    assert "```mermaid\npie title Pages by status\n" in page
    assert "```mermaid\nflowchart LR\n" in page
    assert "[coding/topic-2.md](../coding/topic-2.md)" in page  # a link MkDocs resolves
    checked = run_cli("check", "--strict", cwd=site_copy, home=home)
    assert "report" not in checked.stdout  # an index: no content page, no frontmatter asked
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(site_copy / "mkdocs.yml")],
        cwd=site_copy,
        capture_output=True,
        text=True,
        timeout=HANG,
    )
    assert built.returncode == 0, built.stderr
    html = (site_copy / "site/report/index.html").read_text("utf-8")
    assert '<pre class="mermaid"><code>pie title Pages by status' in html
    again = run_cli("report", cwd=site_copy, home=home)
    assert again.stdout == "unchanged: docs/report/index.md\n"


def test_the_html_file_stands_alone(site_copy: Path, home: Path) -> None:
    done = run_cli("report", "--format", "html", cwd=site_copy, home=home)
    assert done.returncode == 0, done.stderr
    html = (site_copy / "site-report.html").read_text("utf-8")
    assert html.startswith("<!doctype html>")
    assert '<pre class="mermaid">flowchart LR\n' in html
    assert "<table>" in html and "import mermaid from" in html
    outside = run_cli(
        "report", "--output", str(site_copy.parent / "x.html"), cwd=site_copy, home=home
    )
    assert outside.returncode == 2
    assert (
        outside.stderr.startswith("error: --output: ") and "is outside the site" in outside.stderr
    )


@pytest.mark.differential
@pytest.mark.long  # the first run on a machine installs Mermaid's parser
def test_mermaid_parses_every_diagram_of_the_report(site_copy: Path, home: Path) -> None:
    # Every chart the page can hold: owners, releases behind, statuses, tags, the graph;
    # labels with quotes and a `#` made safe.
    page = site_copy / "docs/coding/topic-2.md"
    page.write_text(page.read_text("utf-8").replace("platform-team", 'the "core" #1 team'))
    assert run_cli("report", cwd=site_copy, home=home).returncode == 0
    text = (site_copy / "docs/report/index.md").read_text("utf-8")
    diagrams = re.findall(r"^```mermaid\n(.*?)^```$", text, re.MULTILINE | re.DOTALL)
    kinds = sorted({d.split("\n", 1)[0].split(" title ")[0] for d in diagrams})
    assert kinds == ["flowchart LR", "pie"] and len(diagrams) >= 4
    assert mermaid_verdicts(diagrams) == [None] * len(diagrams)


# Test only, served with the built site: Material draws each diagram into a closed shadow
# root; opened, the page can be read: each drawn diagram's kind (its SVG's role), written
# into the page's own DOM, which --dump-dom shows.
SHADOW_READER = """\
const attach = Element.prototype.attachShadow;
Element.prototype.attachShadow = function (init) {
  return attach.call(this, { ...init, mode: "open" });
};
setInterval(() => {
  const drawn = [...document.querySelectorAll("div.mermaid")].map((host) => {
    const svg = host.shadowRoot && host.shadowRoot.querySelector("svg");
    if (!svg) return "none";
    const broken = /Syntax error/.test(svg.textContent);
    return broken ? "error" : svg.getAttribute("aria-roledescription");
  });
  document.body.dataset.drawn = drawn.join(" ");
  document.body.dataset.left = document.querySelectorAll("pre.mermaid").length;
}, 100);
"""
# A diagram's first word, and the role of the SVG Mermaid draws for it.
DRAWN_AS = {"pie": "pie", "flowchart": "flowchart-v2"}


@pytest.mark.differential
@pytest.mark.long  # Mermaid's scripts installed on first need; a browser started
@needs_chromium
def test_the_report_page_draws_its_diagrams_in_chromium(site_copy: Path, home: Path) -> None:
    # The site's own Material draws the diagrams; Mermaid's script served by the site
    # (Material uses a `mermaid` already loaded instead of fetching it from unpkg).
    assert run_cli("report", cwd=site_copy, home=home).returncode == 0
    page = (site_copy / "docs/report/index.md").read_text("utf-8")
    kinds = [DRAWN_AS[d.split()[0]] for d in re.findall(r"^```mermaid\n(.*?)$", page, re.M)]
    assert len(kinds) >= 4 and set(kinds) == {"pie", "flowchart-v2"}
    scripts = site_copy / "docs/javascripts"
    scripts.mkdir()
    shutil.copy(mermaid_script(), scripts / "mermaid.min.js")
    (scripts / "shadow-reader.js").write_text(SHADOW_READER, "utf-8")
    mkdocs = site_copy / "mkdocs.yml"
    mkdocs.write_text(
        mkdocs.read_text("utf-8")
        + "extra_javascript:\n  - javascripts/mermaid.min.js\n  - javascripts/shadow-reader.js\n",
        "utf-8",
    )
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(mkdocs)],
        cwd=site_copy,
        capture_output=True,
        text=True,
        timeout=HANG,
    )
    assert built.returncode == 0, built.stderr
    with served(site_copy / "site") as address:
        url = f"{address}/report/"
        dom = dom_after_scripts(url)
        drawn = re.search(r'<body[^>]*data-drawn="([^"]*)"', dom)
        left = re.search(r'<body[^>]*data-left="([^"]*)"', dom)
        if drawn is None or drawn.group(1).split() != kinds:
            shot = site_copy / "report.png"  # kept in the test's folder, to look at
            screenshot(url, shot)
        assert drawn is not None, f"the page's scripts did not run: {dom[:500]}"
        assert drawn.group(1).split() == kinds
        assert left is not None and left.group(1) == "0"  # no diagram left undrawn
