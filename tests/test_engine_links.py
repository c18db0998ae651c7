"""GW201's judgement under each engine's link settings (rules/engine_links.py); the
engines themselves are compared in tests/test_engine_parity.py."""

from __future__ import annotations

import dataclasses
from urllib.parse import SplitResult, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guidewright.rules.engine_links import _split
from guidewright.rules.links import broken_links, parse_page
from guidewright.site.profile import LinkValidation, SiteProfile, profile_of

FILES = frozenset({"a/a.md", "a/b.md", "b.md", "img/x.png", "my page.md"})
BODY = (
    "[abs page](/b.md) [abs missing](/gone.md) [abs folder](/a/) [abs anchor](/b.md#none)\n"
    "[rel missing](gone.md) [folder](sub/) [anchor](b.md#none) [self](#none)\n"
    "[png missing](none.png) [up](../../x.md) [space](../my%20page.md) [upper](B.MD)\n"
    "[query](gone.md?x=1)\n"
)


def findings(profile: SiteProfile) -> dict[str, str]:
    page = parse_page(BODY, 1)
    found = broken_links("a/a.md", page, FILES, lambda target: frozenset({"part"}), profile)
    return {b.link.target: b.reason for b in found}


def mkdocs(**links: str) -> SiteProfile:
    return profile_of({"validation": {"links": links}} if links else {}, "mkdocs.yml", "mkdocs")


def test_mkdocs_defaults_fail_on_missing_files_only() -> None:
    """MkDocs' defaults: not_found warn; absolute links, unrecognized links and anchors info."""
    assert set(findings(mkdocs())) == {"gone.md", "none.png", "../../x.md", "B.MD", "gone.md?x=1"}


def test_absolute_links_at_warn_say_the_setting() -> None:
    found = findings(mkdocs(absolute_links="warn"))
    assert {t for t in found if t.startswith("/")} == {"/b.md", "/gone.md", "/a/", "/b.md#none"}
    assert found["/b.md"] == (
        "is an absolute link, left as is (mkdocs.yml: validation: links: absolute_links: warn)"
    )


def test_absolute_links_relative_to_docs_are_judged_from_the_docs_folder() -> None:
    found = findings(mkdocs(absolute_links="relative_to_docs", anchors="warn"))
    assert found["/gone.md"] == (
        "does not exist in the docs folder "
        "(mkdocs.yml: validation: links: absolute_links: relative_to_docs)"
    )
    assert found["/a/"].startswith(
        "does not exist in the docs folder"
    )  # not_found, not unrecognized
    assert found["/b.md#none"] == "matches no heading or anchor in b.md"
    assert "/b.md" not in found


@pytest.mark.parametrize("level", ["info", "ignore"])
def test_settings_below_warn_fail_nothing(level: str) -> None:
    found = findings(
        mkdocs(not_found=level, unrecognized_links=level, anchors=level, absolute_links=level)
    )
    assert found == {}


def test_unrecognized_links_and_anchors_at_warn() -> None:
    found = findings(mkdocs(unrecognized_links="warn", anchors="warn"))
    assert set(found) == {
        "gone.md",
        "sub/",
        "b.md#none",
        "#none",
        "none.png",
        "../../x.md",
        "B.MD",
        "gone.md?x=1",
    }


def test_a_site_without_validation_settings_says_mkdocs_default() -> None:
    profile = dataclasses.replace(mkdocs(), validation=LinkValidation(absolute_links="warn"))
    assert findings(profile)["/b.md"].endswith("(absolute_links: warn, MkDocs's default)")


def zensical(validation: object = None) -> SiteProfile:
    data = {} if validation is None else {"validation": validation}
    return profile_of(data, "zensical.toml", "zensical")


def test_zensical_judges_page_links_only_every_one_relative() -> None:
    found = findings(zensical())
    assert set(found) == {
        "/b.md",
        "/gone.md",
        "/b.md#none",
        "gone.md",
        "b.md#none",
        "#none",
        "../../x.md",
        "B.MD",
    }
    assert found["/b.md"] == (
        "is an absolute link: Zensical reads every link relative to its page, and finds no "
        "page there (zensical.toml: validation: invalid_links = true, Zensical's default)"
    )


def test_zensical_validation_turned_off() -> None:
    assert set(findings(zensical({"invalid_link_anchors": False}))) == {
        "/b.md",
        "/gone.md",
        "/b.md#none",
        "gone.md",
        "../../x.md",
        "B.MD",
    }
    assert findings(zensical(False)) == {}
    assert findings(zensical({"not_found": "ignore", "anchors": "info"})) == {
        "b.md#none": "matches no heading or anchor in a/b.md",
        "#none": "matches no heading or anchor on this page",
    }


@settings(max_examples=400, deadline=None)
@given(
    st.text(st.sampled_from(list("ab./#?:%\\ \t\r\n\x00\x1f[]é")) | st.characters(), max_size=16)
)
def test_targets_are_split_as_urlsplit_splits_them(target: str) -> None:
    """The quick split of a link between pages gives what urlsplit gives, or raises as it
    does."""
    try:
        expected: SplitResult | str = urlsplit(target)
    except ValueError as error:
        expected = str(error)
    try:
        found: SplitResult | str = _split(target)
    except ValueError as error:
        found = str(error)
    assert found == expected
    assert type(found) is type(expected)
