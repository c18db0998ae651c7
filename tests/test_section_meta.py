"""Section metadata: `.meta.yml` under the meta plugin, merged as the plugin merges it,
and `check` judging each page's frontmatter as the build gets it."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from mergedeep import Strategy, merge

from guidewright.check.site_check import check_site
from guidewright.site.init_site import init_site
from guidewright.site.section_meta import MetaFile, SectionMeta, read_section_meta
from guidewright.site.site import load_site

VALUES = st.recursive(
    st.one_of(st.text("ab", max_size=2), st.integers(0, 2), st.booleans()),
    lambda inner: st.one_of(
        st.lists(inner, max_size=2), st.dictionaries(st.sampled_from("xyz"), inner, max_size=2)
    ),
    max_leaves=6,
)
MAPPINGS = st.dictionaries(
    st.sampled_from(["tags", "status", "owner", "extra"]), VALUES, max_size=3
)


def plugins_merge(chain: list[dict[str, Any]], own: dict[str, Any]) -> dict[str, Any] | None:
    """material/plugins/meta: each file merged into {}, then the page over them (None: the
    plugin's merge raises, the build stops)."""
    meta: dict[str, Any] = {}
    try:
        for defaults in chain:
            merge(meta, copy.deepcopy(defaults), strategy=Strategy.TYPESAFE_ADDITIVE)
        return dict(merge(meta, copy.deepcopy(own), strategy=Strategy.TYPESAFE_ADDITIVE))
    except TypeError:
        return None


@settings(max_examples=300, deadline=None)
@given(st.lists(MAPPINGS, max_size=3), MAPPINGS)
def test_a_page_s_metadata_is_merged_as_the_plugin_merges_it(
    chain: list[dict[str, Any]], own: dict[str, Any]
) -> None:
    files = tuple(
        MetaFile(f"{'/'.join('abc'[:i])}/.meta.yml".lstrip("/"), data, {})
        for i, data in enumerate(chain)
    )
    effective = SectionMeta(files).effective("a/b/c/page.md", own)
    theirs = plugins_merge(chain, own)
    if not chain:
        assert effective is None
    elif theirs is None:
        assert effective is not None and effective.conflict
    else:
        assert effective is not None and not effective.conflict
        assert effective.data == theirs
    assert own == copy.deepcopy(own)  # nothing of the page's own data is changed


def test_which_files_reach_a_page_is_a_text_prefix_as_in_the_plugin() -> None:
    files = tuple(
        MetaFile(path, {"k": path}, {})
        for path in (".meta.yml", "guides/.meta.yml", "guides/deep/.meta.yml", "other/.meta.yml")
    )
    meta = SectionMeta(files)
    assert [m.relpath for m in meta.chain("guides/deep/x.md")] == [
        ".meta.yml",
        "guides/.meta.yml",
        "guides/deep/.meta.yml",
    ]
    # guides-old/ starts with "guides": the plugin gives it guides/.meta.yml too.
    assert [m.relpath for m in meta.chain("guides-old/x.md")] == [".meta.yml", "guides/.meta.yml"]


def make_site(root: Path, plugin: bool) -> None:
    init_site(root, None, None, git=False)
    if plugin:
        config = root / "mkdocs.yml"
        config.write_text(config.read_text().replace("  - tags\n", "  - tags\n  - meta\n"))


GUIDE = """\
---
content_type: guide
title: Caching
summary: How caches keep data near.
tags:
  - aws
  - coding
status: draft
difficulty: intermediate
estimated_time: 30
prerequisites: []
related_content: []
learning_objectives:
  - Explain caching
contributors:
  - Ada
last_updated: 2026-01-01
review_by: 2030-01-01
---
# Caching
"""


def gw(report_problems: list[Any], code: str) -> set[tuple[str, int, str]]:
    return {(p.path, p.line, p.field) for p in report_problems if p.code == code}


def test_a_key_a_section_sets_is_not_missing_and_a_bad_one_points_at_its_file(
    tmp_path: Path,
) -> None:
    root = tmp_path / "site"
    make_site(root, plugin=True)
    for name in ("a", "b"):
        (root / "docs" / "system-design" / f"{name}.md").write_text(GUIDE)
    (root / "docs" / "system-design" / ".meta.yml").write_text("content_owner: platform-team\n")
    site = load_site(root)
    report = check_site(site, None, dt.date(2026, 6, 1))
    missing = gw(report.problems, "GW102")
    assert not any(field == "content_owner" for _, _, field in missing), missing
    # A value the section sets that the question refuses: one finding, at the file's line.
    (root / "docs" / "system-design" / ".meta.yml").write_text("# owners\ncontent_owner: 3\n")
    report = check_site(load_site(root), None, dt.date(2026, 6, 1))
    assert ("docs/system-design/.meta.yml", 2, "content_owner") in gw(report.problems, "GW101")
    # Without the plugin the build ignores the file: the key is missing on every page.
    make_site(plain := tmp_path / "plain", plugin=False)
    for name in ("a", "b"):
        (plain / "docs" / "system-design" / f"{name}.md").write_text(GUIDE)
    (plain / "docs" / "system-design" / ".meta.yml").write_text("content_owner: platform-team\n")
    report = check_site(load_site(plain), None, dt.date(2026, 6, 1))
    assert {(path, field) for path, _, field in gw(report.problems, "GW102")} >= {
        ("docs/system-design/a.md", "content_owner"),
        ("docs/system-design/b.md", "content_owner"),
    }


def test_a_metadata_file_the_build_stops_on_is_a_finding(tmp_path: Path) -> None:
    root = tmp_path / "site"
    make_site(root, plugin=True)
    (root / "docs" / "coding" / "page.md").write_text(
        GUIDE.replace("tags:\n  - aws\n  - coding\n", "tags: aws\n")
    )
    (root / "docs" / "coding" / ".meta.yml").write_text("tags: [x]\n")
    (root / "docs" / "fundamentals" / ".meta.yml").write_text("status: [\n")
    report = check_site(load_site(root), None, dt.date(2026, 6, 1))
    found = gw(report.problems, "GW002")
    assert ("docs/fundamentals/.meta.yml", 2, "frontmatter") in found
    assert ("docs/coding/page.md", 1, "frontmatter") in found
    message = next(
        p.message for p in report.problems if p.path == "docs/coding/page.md" and p.code == "GW002"
    )
    assert message == "tags: a text in the page, a list before it: the meta plugin stops the build"


def test_metadata_files_are_read_in_the_plugin_s_order_and_links_are_not_followed(
    tmp_path: Path,
) -> None:
    root = tmp_path / "site"
    make_site(root, plugin=True)
    for folder in ("", "coding", "coding/deep", "behavioral"):
        (root / "docs" / folder).mkdir(parents=True, exist_ok=True)
        (root / "docs" / folder / ".meta.yml").write_text(f"k: {folder or 'top'}\n")
    (tmp_path / "secret.yml").write_text("k: secret\n")
    (root / "docs" / "practice" / ".meta.yml").symlink_to(tmp_path / "secret.yml")
    meta = read_section_meta(load_site(root))
    assert [m.relpath for m in meta.files] == [
        ".meta.yml",
        "behavioral/.meta.yml",
        "coding/.meta.yml",
        "coding/deep/.meta.yml",
    ]
    assert [u.relpath for u in meta.unreadable] == ["practice/.meta.yml"]
