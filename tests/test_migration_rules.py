"""The block's migrations as data: read with one-line errors, applied by a pure function,
and judged by `template check` against the version that declares them."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support import REPO

from guidewright.core.errors import InvalidInput, MigrationConflict, UnanswerableDocument
from guidewright.template.migrations import Migration, apply_migrations, map_value, read_migrations
from guidewright.template_check.lint import check_template


def test_within_one_entry_rename_comes_first_then_values_under_the_new_name() -> None:
    entry = Migration(
        "2.0.0",
        rename={"guide_type": "learning_track"},
        values={"learning_track": {"deep_dive": "in_depth"}, "tags": {"k8s": "kubernetes"}},
        remove=("practice_type",),
    )
    answers = {"guide_type": "deep_dive", "tags": ["k8s", "aws"], "practice_type": "theory"}
    migrated = apply_migrations(answers, [entry])
    assert migrated.answers == {"learning_track": "in_depth", "tags": ["kubernetes", "aws"]}
    assert migrated.applied == (
        "2.0.0: guide_type renamed learning_track",
        "2.0.0: learning_track deep_dive → in_depth",
        "2.0.0: tags ['k8s', 'aws'] → ['kubernetes', 'aws']",
        "2.0.0: practice_type removed (was theory)",
    )
    assert answers["guide_type"] == "deep_dive"  # the input is not changed


def test_entries_apply_in_order_and_a_swap_is_a_swap() -> None:
    first = Migration("2", rename={"a": "b", "b": "a"})
    second = Migration("3", values={"a": {1: 10}})
    migrated = apply_migrations({"a": "x", "b": 1}, [first, second])
    assert migrated.answers == {"b": "x", "a": 10}


def test_what_a_page_does_not_answer_is_left_alone() -> None:
    entry = Migration("2", rename={"gone": "new"}, values={"new": {"a": "b"}}, remove=("x",))
    assert apply_migrations({"kept": "a"}, [entry]).answers == {"kept": "a"}
    assert apply_migrations({"kept": "a"}, [entry]).applied == ()


def test_a_rename_onto_an_answered_question_is_refused() -> None:
    with pytest.raises(MigrationConflict, match="already answers b"):
        apply_migrations({"a": 1, "b": 2}, [Migration("2", rename={"a": "b"})])


def test_values_match_by_type_as_well() -> None:
    assert map_value(True, {1: "one"}) is True
    assert map_value(1, {1: "one"}) == "one"
    assert map_value("1", {1: "one"}) == "1"


@given(
    st.lists(st.sampled_from(["a", "b", "c", "d", "k8s", "kubernetes"]), max_size=12),
    st.dictionaries(
        st.sampled_from(["a", "b", "k8s"]), st.sampled_from(["a", "c", "kubernetes"]), max_size=3
    ),
)
def test_list_items_are_mapped_and_only_the_duplicates_mapping_made_go(
    items: list[str], mapping: dict[str, str]
) -> None:
    result = map_value(items, mapping)
    mapped = [mapping.get(item, item) for item in items]
    # Every mapped item is there, in the order of its first position.
    first_positions = list(dict.fromkeys(mapped))
    assert list(dict.fromkeys(result)) == first_positions
    # Duplicates the author wrote, which no mapping touched, stay.
    untouched = [item for item in items if item not in mapping and item not in mapping.values()]
    for item in set(untouched):
        assert result.count(item) == untouched.count(item)
    # A value no mapping made is never dropped, and nothing is invented.
    assert set(result) == set(mapped)
    assert map_value(result, {}) == result


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("nope", "migrations: must be a list of entries"),
        (["x"], "entry 1: must be a mapping with version"),
        ([{"rename": {"a": "b"}}], "entry 1: version: must be the version as quoted text"),
        ([{"version": 2.0, "rename": {"a": "b"}}], "version: must be the version as quoted text"),
        ([{"version": "2", "renames": {"a": "b"}}], "entry 1 (version 2): renames: unknown key"),
        ([{"version": "2", "rename": ["a"]}], "rename: must map old question names to new ones"),
        ([{"version": "2", "rename": {"a": "c", "b": "c"}}], "rename: a and b both become c"),
        ([{"version": "2", "values": {"s": "x"}}], "values: must map each question to a mapping"),
        ([{"version": "2", "values": {"s": {"a": [1]}}}], "values: must map each question"),
        ([{"version": "2", "remove": "a"}], "remove: must be a list of question names"),
        ([{"version": "2"}], "the entry renames, maps and removes nothing"),
    ],
)
def test_a_malformed_migration_is_refused_naming_the_field(raw: Any, message: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        read_migrations(raw, 2)
    assert message in str(refused.value)
    assert str(refused.value).startswith("copier.yml: _guidewright: migrations")


def test_migrations_need_format_2() -> None:
    with pytest.raises(InvalidInput, match="migrations: need format: 2"):
        read_migrations([{"version": "2", "remove": ["a"]}], 1)


def _template(tmp_path: Path, migrations: str, change: tuple[str, str] = ("", "")) -> Path:
    root = tmp_path / "template"
    shutil.copytree(REPO / "template", root / "template")
    text = (REPO / "copier.yml").read_text("utf-8").replace("  format: 1\n", "  format: 2\n")
    text = text.replace(*change) if change[0] else text
    (root / "copier.yml").write_text(text + "  migrations:\n" + migrations, "utf-8")
    return root


def _messages(root: Path) -> list[str]:
    return [finding.message for finding in check_template(root)]


def test_template_check_accepts_migrations_that_fit_the_version(tmp_path: Path) -> None:
    root = _template(
        tmp_path,
        '    - version: "2"\n'
        "      rename: {kind: guide_type, old_tags: tags}\n"
        "      values: {status: {in_review: review_needed}, tags: {k8s: kubernetes}}\n"
        "      remove: [old_question]\n"
        '    - version: "3"\n'
        "      values: {guide_type: {in_depth: deep_dive}, audience: {L8: L7}}\n",
    )
    assert _messages(root) == []


@pytest.mark.parametrize(
    ("migrations", "message"),
    [
        (
            "      rename: {guide_type: learning_track}\n",
            "rename: guide_type becomes learning_track, which is not a question",
        ),
        (
            "      values: {status: {review_needed: in_review}}\n",
            "values: status: review_needed → in_review: status refuses the value: must be one of",
        ),
        (
            "      values: {tags: {k8s: Kubernetes Engine}}\n",
            "values: tags: k8s → Kubernetes Engine: tags refuses the item: must be 2 to 6 distinct",
        ),
        ("      values: {audience: {L5: L9}}\n", "audience refuses the item"),
        ("      values: {nothing: {a: b}}\n", "values: nothing is not a question"),
        (
            "      remove: [practice_type]\n",
            "remove: practice_type is still a question (delete it from copier.yml)",
        ),
    ],
)
def test_template_check_refuses_a_migration_that_does_not_fit(
    tmp_path: Path, migrations: str, message: str
) -> None:
    root = _template(tmp_path, '    - version: "2"\n' + migrations)
    found = _messages(root)
    assert len(found) == 1 and message in found[0], found
    assert found[0].startswith("_guidewright: migrations: entry 1 (version 2): ")


def test_template_check_follows_a_chain_of_entries(tmp_path: Path) -> None:
    """A name renamed again later is judged under its last name; a removed one is not."""
    chained = (
        '    - version: "2"\n      rename: {a: b}\n      values: {b: {x: deep_dive}}\n'
        '    - version: "3"\n      rename: {b: guide_type}\n'
        '    - version: "4"\n      rename: {c: d}\n'
        '    - version: "5"\n      remove: [d]\n'
    )
    assert _messages(_template(tmp_path, chained)) == []
    wrong = '    - version: "2"\n      rename: {a: b}\n    - version: "3"\n      rename: {b: c}\n'
    found = _messages(_template(tmp_path / "wrong", wrong))
    assert found == [
        "_guidewright: migrations: entry 1 (version 2): rename: a becomes b (then c), "
        "which is not a question",
        "_guidewright: migrations: entry 2 (version 3): rename: b becomes c, which is not a question",
    ]


def test_which_entries_a_page_crosses_is_git_ancestry(tmp_path: Path) -> None:
    """v1 → v2 → v3 in one history, and a page commit between v2 and v3 (a bare hash)."""
    from support import commit_all, git

    from guidewright.template.versions import TemplateRepository
    from guidewright.update.migrate import Endpoint, crossed

    home, source = tmp_path / "home", tmp_path / "source"
    source.mkdir()
    shas = {}
    for name in ("v1", "v2", "between", "v3"):
        (source / "file").write_text(name)
        commit_all(source, home, name, init=name == "v1")
        if name != "between":
            git(source, home, "tag", name)
        shas[name] = git(source, home, "rev-parse", "HEAD").strip()
    (tmp_path / "work").mkdir()
    repository = TemplateRepository(str(source), tmp_path / "work")
    v2, v3 = Migration("2", remove=("a",)), Migration("v3", remove=("b",))

    def entries(recorded: str, target: str) -> tuple[str, ...]:
        at = (Endpoint(repository, shas[target]), Endpoint(repository, shas[recorded]))
        return tuple(m.version for m in crossed((v2, v3), *at))

    assert entries("v1", "v3") == ("2", "v3")
    assert entries("v2", "v3") == ("v3",)
    assert entries("between", "v3") == ("v3",)
    assert entries("v1", "v2") == ("2",)  # v3's entry waits until the page gets there
    assert entries("v3", "v3") == ()
    with pytest.raises(UnanswerableDocument, match="no tag v4 or 4"):
        crossed((Migration("4", remove=("c",)),), *(Endpoint(repository, shas["v1"]),) * 2)
