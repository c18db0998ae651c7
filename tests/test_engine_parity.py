"""Parity with the engines themselves: generated sites, one build each (MkDocs 1.6 with
Material, ProperDocs with Material, or Zensical), where `check`'s GW201 findings are the engine's own link warnings
and its GW601 findings are the lists the built HTML renders otherwise than CommonMark,
page by page.

The matrix: init's extensions; pymdownx.slugs' slugify; mdx_truly_sane_lists; content
tabs and markdown-enabled HTML; absolute links under each `absolute_links` setting; section
metadata; a properdocs.yml site beside a mkdocs.yml it must not read; a zensical.toml site. Pages with lists come from a seeded generator (lists
nested at 1 to 6 spaces, after paragraphs, in the site's containers), each item holding a
token (w1, w2, ...) that tells it in both readings.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from list_oracle import places_in_html
from support import isolated_env

from guidewright.check.site_check import CheckReport, check_site
from guidewright.rules.problems import Problem
from guidewright.site.init_site import init_site
from guidewright.site.site import load_site

pytestmark = pytest.mark.differential

BIN = Path(sys.executable).parent
TODAY = dt.date(2026, 6, 1)
MKDOCS_WARNING = re.compile(
    r"Doc file '([^']+)' contains (?:a link|an unrecognized relative link|an absolute link) "
    r"'([^']+)'"
)
ZENSICAL_WARNING = re.compile(r"Warning: (.+)\n\s*╭─\[ ([^\]]+):(\d+):(\d+) \]")
ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.S)


# ---- pages ---------------------------------------------------------------------------


def list_lines(
    rng: random.Random, count: Callable[[], str], indent: int = 0, depth: int = 0
) -> list[str]:
    """A list, its items nested at 1 to 6 spaces, some with text or blank lines after."""
    lines, marker = [], rng.choice(["-", "*", "1.", "- [ ]"])
    for _ in range(rng.randint(1, 3)):
        lines.append(" " * indent + f"{marker} {count()}")
        if rng.random() < 0.3:
            lines.append(" " * (indent + len(marker.split(" ")[0]) + 1) + "more text")
        if depth < 2 and rng.random() < 0.4:
            if rng.random() < 0.5:
                lines.append("")
            lines.extend(list_lines(rng, count, indent + rng.randint(1, 6), depth + 1))
        if rng.random() < 0.25:
            lines.append("")
    return lines


def list_page(seed: int, containers: list[str]) -> tuple[str, list[str]]:
    """(a page of lists, the content of each container as its author reads it)."""
    rng, numbers = random.Random(seed), iter(range(1, 10_000))
    count = lambda: f"w{next(numbers)}"  # noqa: E731
    lines, bodies = [f"# Page {seed}", ""], []
    for _ in range(rng.randint(2, 4)):
        inner = list_lines(rng, count)
        if rng.random() < 0.5:
            inner = ["Some text:", *inner]
        kind = rng.choice(["plain", *containers])
        if kind == "plain":
            lines += [*inner, ""]
            continue
        bodies.append("\n".join(inner))
        if kind in ("admonition", "tab"):
            head = '!!! note "Note"' if kind == "admonition" else '=== "Tab"'
            lines += [head, "", *[("    " + line) if line else "" for line in inner], ""]
        else:
            lines += ["<div markdown>", "", *inner, "", "</div>", ""]
    return "\n".join(lines) + "\n", bodies


LINK_PAGE = """\
# Links

## Known heading

[a page](other.md)

[a missing page](missing.md)

[an anchor](other.md#second-part)

[a missing anchor](other.md#no-such-part)

[on this page](#known-heading)

[not on this page](#unknown-heading)

[a folder](sub/)

[a missing image](none.png)

[outside the docs folder](../../README.md)

[an encoded space](my%20page.md)

[external](https://example.com/x.md)

[absolute, present](/links/other.md)

[absolute, missing](/links/gone.md)

[absolute with an anchor](/links/other.md#nothing)
"""
OTHER_PAGE = "# Other\n\n## Second part\n"


# ---- sites ---------------------------------------------------------------------------


def make_site(
    root: Path, engine: str, pages: dict[str, str], edit: Callable[[str], str] = lambda text: text
) -> Path:
    init_site(root, None, None, git=False, engine=engine)
    config = root / ("zensical.toml" if engine == "zensical" else "mkdocs.yml")
    config.write_text(edit(config.read_text()))
    for relpath, text in pages.items():
        (root / "docs" / relpath).parent.mkdir(parents=True, exist_ok=True)
        (root / "docs" / relpath).write_text(text)
    return root


def mkdocs_build(root: Path, engine: str = "mkdocs") -> set[tuple[str, str]]:
    """(page, link) of each of MkDocs' (or its fork ProperDocs') link warnings; the HTML
    written to site/."""
    built = subprocess.run(
        [str(BIN / engine), "build", "-f", str(root / f"{engine}.yml")],
        capture_output=True,
        text=True,
        cwd=root,
        env=isolated_env(root / ".home", NO_MKDOCS_2_WARNING="1"),
        timeout=600,
    )
    assert built.returncode == 0, built.stderr
    # What a strict build fails on: the warnings (an `info` setting logs at INFO).
    warnings = "\n".join(line for line in built.stderr.splitlines() if "WARNING" in line)
    return {(f"docs/{page}", link) for page, link in MKDOCS_WARNING.findall(warnings)}


def zensical_build(root: Path) -> set[tuple[str, int]]:
    """(page, line) of each of Zensical's warnings; the HTML written to site/."""
    built = subprocess.run(
        [str(BIN / "zensical"), "build"],
        capture_output=True,
        text=True,
        cwd=root,
        env=isolated_env(root / ".home", NO_COLOR="1"),
        timeout=600,
    )
    output = re.sub(r"\x1b\[[0-9;]*m", "", built.stdout + built.stderr)
    assert "Build finished" in output, output
    return {(f"docs/{page}", int(line)) for _, page, line, _ in ZENSICAL_WARNING.findall(output)}


def html_of(root: Path, page: str) -> str:
    """The built content of a page (its article: the theme's navigation lists left out)."""
    stem = page.removesuffix(".md")
    path = root / "site" / (f"{stem}/index.html" if not stem.endswith("index") else f"{stem}.html")
    return "".join(ARTICLE.findall(path.read_text("utf-8")))


def checked(root: Path) -> CheckReport:
    return check_site(load_site(root), None, TODAY)


def links_of(problems: list[Problem]) -> set[tuple[str, str]]:
    return {(p.path, p.message.split(" ", 1)[0]) for p in problems if p.code == "GW201"}


def lists_of(problems: list[Problem], page: str) -> set[int]:
    return {p.line for p in problems if p.code == "GW601" and p.path == page}


def assert_lists_as_built(
    root: Path, report: CheckReport, pages: dict[str, tuple[str, list[str]]]
) -> None:
    """Each page's GW601 lines are where its built HTML renders a run of items otherwise."""
    for page, (text, bodies) in pages.items():
        theirs = {line + 1 for line, _ in places_in_html(text, bodies, html_of(root, page))}
        assert lists_of(report.problems, f"docs/{page}") == theirs, (page, text)


LIST_SEEDS = range(8)


@pytest.fixture(scope="module")
def default_site(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, dict[str, tuple[str, list[str]]]]:
    lists = {f"lists/p{seed}.md": list_page(seed, ["admonition"]) for seed in LIST_SEEDS}
    pages = {
        "links/index.md": LINK_PAGE,
        "links/other.md": OTHER_PAGE,
        "links/my page.md": "# Mine\n",
        **{k: v[0] for k, v in lists.items()},
    }
    return make_site(tmp_path_factory.mktemp("default") / "site", "mkdocs", pages), lists


def test_default_extensions_links_and_lists_as_mkdocs_builds(
    default_site: tuple[Path, dict[str, tuple[str, list[str]]]],
) -> None:
    root, lists = default_site
    theirs = mkdocs_build(root)
    report = checked(root)
    assert links_of(report.problems) == theirs
    assert {link for _, link in theirs} >= {"missing.md", "other.md#no-such-part", "sub/"}
    assert_lists_as_built(root, report, lists)
    assert report.read_by_python_markdown == 0  # init's extensions: the quick model reads all


SLUGS = "  - toc:\n      permalink: true\n      slugify: !!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower}}\n"
UNICODE_PAGE = """\
# Café

## Ünïcode Straße

[right](#ünïcode-straße)

[wrong, the default's](#unicode-strae)

[to another](café.md#ünïcode-straße)
"""


def test_pymdownx_slugify_anchors_as_mkdocs_builds(tmp_path: Path) -> None:
    root = make_site(
        tmp_path / "site",
        "mkdocs",
        {"u/café.md": UNICODE_PAGE},
        lambda text: text.replace("  - toc:\n      permalink: true\n", SLUGS),
    )
    theirs = mkdocs_build(root)
    assert links_of(checked(root).problems) == theirs == {("docs/u/café.md", "#unicode-strae")}


def test_truly_sane_lists_as_mkdocs_builds(tmp_path: Path) -> None:
    lists = {f"p{seed}.md": list_page(seed, ["admonition"]) for seed in LIST_SEEDS}
    lists["two.md"] = ("# Two\n\n- w1\n  - w2\n    - w3\n- w4\n", [])
    root = make_site(
        tmp_path / "site",
        "mkdocs",
        {k: v[0] for k, v in lists.items()},
        lambda text: text + "  - mdx_truly_sane_lists\n",
    )
    mkdocs_build(root)
    report = checked(root)
    assert_lists_as_built(root, report, lists)
    assert lists_of(report.problems, "docs/two.md") == set()
    assert report.read_by_python_markdown >= len(lists)


def test_lists_in_tabs_and_html_blocks_as_mkdocs_builds(tmp_path: Path) -> None:
    lists = {f"p{seed}.md": list_page(seed, ["tab", "html", "admonition"]) for seed in range(12)}
    root = make_site(
        tmp_path / "site",
        "mkdocs",
        {k: v[0] for k, v in lists.items()},
        lambda text: text + "  - pymdownx.tabbed:\n      alternate_style: true\n",
    )
    mkdocs_build(root)
    report = checked(root)
    assert_lists_as_built(root, report, lists)
    assert any(lists_of(report.problems, f"docs/{page}") for page in lists)  # it can fail


@pytest.mark.parametrize("setting", ["warn", "info", "relative_to_docs"])
def test_absolute_links_under_each_setting_as_mkdocs_builds(tmp_path: Path, setting: str) -> None:
    pages = {"links/index.md": LINK_PAGE, "links/other.md": OTHER_PAGE, "links/my page.md": "# M\n"}
    root = make_site(
        tmp_path / "site",
        "mkdocs",
        pages,
        lambda text: text.replace(
            "  anchors: warn\n", f"  anchors: warn\n  absolute_links: {setting}\n"
        ),
    )
    theirs = mkdocs_build(root)
    report = checked(root)
    assert links_of(report.problems) == theirs
    absolute = {link for _, link in theirs if link.startswith("/")}
    expected = {
        "warn": {"/links/other.md", "/links/gone.md", "/links/other.md#nothing"},
        "info": set(),
        "relative_to_docs": {"/links/gone.md", "/links/other.md#nothing"},
    }
    assert absolute == expected[setting]
    if setting == "warn":  # the finding names the setting that decides it
        message = next(p.message for p in report.problems if p.message.startswith("/links/gone.md"))
        assert message.endswith("(mkdocs.yml: validation: links: absolute_links: warn)")


def test_section_metadata_as_the_build_merges_it(tmp_path: Path) -> None:
    pages = {
        "coding/.meta.yml": "tags:\n  - fromsection\n",
        "coding/page.md": "---\ntags:\n  - own\n---\n# Page\n",
    }
    root = make_site(
        tmp_path / "site",
        "mkdocs",
        pages,
        lambda text: text.replace("  - tags\n", "  - tags\n  - meta\n"),
    )
    mkdocs_build(root)
    html = (root / "site/coding/page/index.html").read_text("utf-8")
    shown = re.findall(r'class="md-tag[^"]*"[^>]*>([^<]+)<', html)
    effective = load_site(root)
    from guidewright.site.section_meta import read_section_meta

    merged = read_section_meta(effective).effective("coding/page.md", {"tags": ["own"]})
    assert merged is not None
    shown_tags = [tag.strip() for tag in shown if tag.strip()]
    assert shown_tags == merged.data["tags"] == ["fromsection", "own"]


def test_a_zensical_site_links_and_lists_as_zensical_builds(tmp_path: Path) -> None:
    lists = {f"lists/p{seed}.md": list_page(seed, ["admonition"]) for seed in LIST_SEEDS}
    pages = {
        "links/index.md": LINK_PAGE,
        "links/other.md": OTHER_PAGE,
        "links/my page.md": "# Mine\n",
        **{k: v[0] for k, v in lists.items()},
    }
    root = make_site(tmp_path / "site", "zensical", pages)
    theirs = zensical_build(root)
    report = checked(root)
    ours = {(p.path, p.line) for p in report.problems if p.code == "GW201"}
    assert ours == theirs
    assert len(theirs) >= 5
    assert_lists_as_built(root, report, lists)


def test_a_properdocs_site_links_and_lists_as_properdocs_builds(
    default_site: tuple[Path, dict[str, tuple[str, list[str]]]], tmp_path: Path
) -> None:
    """ProperDocs reads properdocs.yml before mkdocs.yml: so does check, and the mkdocs.yml
    left beside it (naming another docs folder) is read by neither."""
    origin, lists = default_site
    root = tmp_path / "site"
    shutil.copytree(origin, root, ignore=shutil.ignore_patterns("site"))
    (root / "mkdocs.yml").rename(root / "properdocs.yml")
    (root / "mkdocs.yml").write_text("site_name: Stale\ndocs_dir: elsewhere\n")
    theirs = mkdocs_build(root, "properdocs")
    report = checked(root)
    assert links_of(report.problems) == theirs
    assert {link for _, link in theirs} >= {"missing.md", "other.md#no-such-part", "sub/"}
    assert_lists_as_built(root, report, lists)
