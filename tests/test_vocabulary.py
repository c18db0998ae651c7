"""One rule for every site vocabulary (tags and sections alike): normalised, "did you
mean", and a likely typo never taken without the author confirming it (issue 28)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from support import copied, run_cli, snapshot

from guidewright.core.errors import InvalidInput
from guidewright.site.site import load_site
from guidewright.template.answering import section_at
from guidewright.template.normalise import (
    Vocabulary,
    folder,
    normalise_value,
    refuse_likely_typos,
    site_vocabularies,
    with_value_replaced,
)

TAGS = Vocabulary("tags", "tag", "--new-tag", ("caching", "aws", "coding"))


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("Hands On Labs", "hands-on-labs"),
        ("System Design/Caching", "system-design/caching"),
        ("practice_set", "practice_set"),  # an existing folder's '_' stays
        ("/coding/", "coding"),
        ("Café", "cafe"),
        ("../../etc", "../../etc"),  # nothing left of a name: the question's rule explains
    ],
)
def test_a_section_is_normalised_to_a_folder_path(typed: str, normalised: str) -> None:
    assert normalise_value("folder", typed) == normalised


def test_folder_keeps_nothing_of_a_name_with_no_letters() -> None:
    assert folder("a/!!!/b") == ""


def test_a_likely_typo_is_found_until_confirmed() -> None:
    assert TAGS.new_values(["cachng", "aws", "ds"]) == ["cachng", "ds"]
    assert TAGS.likely_typos(["cachng", "aws", "ds"]) == [("cachng", "caching")]
    confirmed = Vocabulary("tags", "tag", "--new-tag", TAGS.known, {"cachng"})
    assert confirmed.likely_typos(["cachng", "aws"]) == []
    sections = Vocabulary("section", "section", "--new-section", ("system-design",))
    assert sections.likely_typos("sytem-design") == [("sytem-design", "system-design")]


def test_where_nobody_can_be_asked_a_likely_typo_is_refused_with_both_ways_on() -> None:
    with pytest.raises(InvalidInput) as refused:
        refuse_likely_typos([TAGS], {"tags": ["cachng", "aws"]}, lambda name: "--tag")
    assert refused.value.message == (
        "tags: 'cachng' is new to this site; did you mean 'caching'? (pass --tag caching, "
        "or --new-tag cachng to add it as a new tag)"
    )
    refuse_likely_typos([TAGS], {"tags": ["networking", "aws"]}, lambda name: "--tag")


def test_the_template_names_its_vocabularies() -> None:
    suggestions = {"section": "site-sections", "tags": "site-tags", "related": "site-documents"}
    found = site_vocabularies(suggestions, {"site-tags": ["aws"], "site-sections": ["coding"]})
    assert [(v.question, v.noun, v.confirm_flag, v.known) for v in found] == [
        ("section", "section", "--new-section", ("coding",)),
        ("tags", "tag", "--new-tag", ("aws",)),
    ]


def test_the_suggestion_replaces_the_typo_where_it_stood() -> None:
    assert with_value_replaced(["cachng", "aws"], "cachng", "caching") == ["caching", "aws"]
    assert with_value_replaced(["cachng", "caching"], "cachng", "caching") == ["caching"]
    assert with_value_replaced("sytem-design", "sytem-design", "system-design") == "system-design"


def test_the_section_of_the_folder_one_works_in(tmp_path: Path) -> None:
    (tmp_path / "docs/coding/trees").mkdir(parents=True)
    (tmp_path / "docs/coding/a.md").write_text("# A\n")
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n")
    site = load_site(tmp_path)
    assert section_at(site, tmp_path / "docs/coding/trees") == "coding"
    assert section_at(site, tmp_path / "docs") is None
    assert section_at(site, tmp_path) is None


# ---- the command line: no terminal, nobody to ask -------------------------------------------

ARGS = ("--topic", "Cache Stampedes", "--objective", "Spread expiry", "--content-owner", "team")


@pytest.fixture(scope="module")
def made_seeded_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new site (its tags: system-design, fundamentals, hands-on, aws, coding) with one
    guide tagged caching, made once for the module (init and a guide through Copier)."""
    root = tmp_path_factory.mktemp("seeded")
    site, home = root / "site", root / "home"
    assert run_cli("init", str(site), cwd=root, home=home).returncode == 0
    made = run_cli(
        "new-guide",
        "--topic",
        "Caching",
        "--section",
        "system-design",
        "--tag",
        "caching",
        "--tag",
        "aws",
        *ARGS[2:],
        "--dest",
        str(site),
        cwd=root,
        home=home,
    )
    assert made.returncode == 0, made.stderr
    return site


@pytest.fixture
def seeded_site(made_seeded_site: Path, tmp_path: Path) -> Path:
    """made_seeded_site's copy, at this test's tmp_path / "site"."""
    return copied(made_seeded_site, tmp_path / "site")


def test_a_tag_typo_with_defaults_is_refused_and_the_config_unchanged(
    seeded_site: Path, home: Path
) -> None:
    before = snapshot(seeded_site)
    refused = run_cli(
        "new-guide",
        "--defaults",
        "--section",
        "system-design",
        "--tag",
        "cachng",
        "--tag",
        "aws",
        *ARGS,
        cwd=seeded_site,
        home=home,
    )
    assert refused.returncode == 2
    assert refused.stderr.startswith(
        "error: tags: 'cachng' is new to this site; did you mean 'caching'?"
    ), refused.stderr
    assert snapshot(seeded_site) == before


def test_a_section_typo_is_refused_a_new_section_normalised(seeded_site: Path, home: Path) -> None:
    refused = run_cli(
        "new-guide",
        "--defaults",
        "--section",
        "sytem-design",
        "--tag",
        "aws",
        "--tag",
        "coding",
        *ARGS,
        cwd=seeded_site,
        home=home,
    )
    assert refused.returncode == 2
    assert refused.stderr.strip() == (
        "error: section: 'sytem-design' is new to this site; did you mean 'system-design'? "
        "(pass --section system-design, or --new-section sytem-design to add it as a new section)"
    )
    kept = run_cli(
        "new-guide",
        "--defaults",
        "--new-section",
        "sytem-design",
        "--tag",
        "aws",
        "--tag",
        "coding",
        *ARGS,
        cwd=seeded_site,
        home=home,
    )
    assert kept.returncode == 0, kept.stderr
    assert (seeded_site / "docs/sytem-design/cache-stampedes.md").is_file()
    labs = run_cli(
        "new-guide",
        "--defaults",
        "--section",
        "Hands On Labs",
        "--tag",
        "aws",
        "--tag",
        "coding",
        *ARGS,
        cwd=seeded_site,
        home=home,
    )
    assert labs.returncode == 0, labs.stderr
    assert "note: section: Hands On Labs → hands-on-labs" in labs.stderr
    assert (seeded_site / "docs/hands-on-labs/cache-stampedes.md").is_file()


def test_with_defaults_the_folder_one_works_in_is_the_section(
    seeded_site: Path, home: Path
) -> None:
    made = run_cli(
        "new-guide",
        "--defaults",
        "--tag",
        "aws",
        "--tag",
        "coding",
        *ARGS,
        cwd=seeded_site / "docs/coding",
        home=home,
    )
    assert made.returncode == 0, made.stderr
    assert (seeded_site / "docs/coding/cache-stampedes.md").is_file()


def test_a_confirmed_new_tag_is_added_to_the_site(seeded_site: Path, home: Path) -> None:
    made = run_cli(
        "new-guide",
        "--defaults",
        "--section",
        "system-design",
        "--new-tag",
        "Cachng",
        "--tag",
        "aws",
        *ARGS,
        cwd=seeded_site,
        home=home,
    )
    assert made.returncode == 0, made.stderr
    config = yaml.safe_load((seeded_site / ".guidewright/config.yml").read_text())
    assert "cachng" in config["tags"]  # normalised, then confirmed
