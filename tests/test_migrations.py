"""Issue 14, cases 2 and 3 and their combinations, end to end from a clone of the template:
a template maintainer renames a question, renames a choice, maps list items and removes a
question, declaring it in the block's `migrations`; `update` carries every author's answer
across, and an answer the new version lacks is never dropped unsaid."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from support import commit_all, git, make_template_repo, run_cli, snapshot


@dataclass(frozen=True)
class World:
    base: Path
    home: Path
    repo: Path
    site: Path

    def cli(self, *args: str) -> Any:
        return run_cli(*args, "--dest", str(self.site), cwd=self.site, home=self.home)

    def new_guide(self, topic: str, *extra: str) -> None:
        created = self.cli(
            "new-guide",
            "--defaults",
            "--topic",
            topic,
            "--section",
            "fundamentals",
            "--tag",
            "caching",
            "--tag",
            "aws",
            "--objective",
            "Explain it",
            *extra,
        )
        assert created.returncode == 0, created.stderr

    def new_tutorial(self, topic: str, *extra: str) -> None:
        created = self.cli(
            "new-tutorial",
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
            "Build it",
            "--skill",
            "design",
            *extra,
        )
        assert created.returncode == 0, created.stderr

    def commit_site(self, message: str) -> None:
        commit_all(self.site, self.home, message)

    def answers(self, relpath: str) -> dict[str, Any]:
        loaded = yaml.safe_load((self.site / ".guidewright/answers" / relpath).read_text("utf-8"))
        assert isinstance(loaded, dict)
        return loaded

    def page(self, relpath: str) -> str:
        return (self.site / "docs" / relpath).read_text("utf-8")

    def edit_template(self, relpath: str, old: str, new: str) -> None:
        path = self.repo / relpath
        text = path.read_text("utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new), "utf-8")

    def migrations(self, entries: str) -> None:
        """The block at format 2 with these migrations (replacing any before)."""
        path = self.repo / "copier.yml"
        text = path.read_text("utf-8").replace("  format: 1\n", "  format: 2\n")
        text = text.split("  migrations:\n")[0]
        path.write_text(text + "  migrations:\n" + entries, "utf-8")

    def release(self, tag: str) -> None:
        git(self.repo, self.home, "add", "-A")
        git(self.repo, self.home, "commit", "-q", "-m", f"release {tag}")
        git(self.repo, self.home, "tag", tag)


@pytest.fixture
def world(tmp_path: Path) -> World:
    home = tmp_path / "home"
    repo = make_template_repo(tmp_path, home)
    site = tmp_path / "site"
    init = ("init", str(site), "--content-owner", "team", "--template", str(repo))
    assert run_cli(*init, cwd=tmp_path, home=home).returncode == 0  # committed by init
    return World(tmp_path, home, repo, site)


def rename_guide_type(
    world: World, choices: str = "getting_started, preparation, deep_dive"
) -> None:
    """`guide_type` becomes `learning_track`, in copier.yml and the guide partial."""
    world.edit_template(
        "copier.yml",
        "guide_type:\n  type: str\n  help: Guide type\n"
        "  choices: [getting_started, preparation, deep_dive, advanced]",
        f"learning_track:\n  type: str\n  help: Learning track\n  choices: [{choices}, advanced]",
    )
    world.edit_template(
        "template/_partials/guide.md.jinja",
        "guide_type: {{ links.yaml_value(guide_type) }}",
        "learning_track: {{ links.yaml_value(learning_track) }}",
    )


def rename_review_needed(world: World) -> None:
    """The status `review_needed` becomes `in_review`."""
    world.edit_template(
        "copier.yml",
        "choices: [draft, published, review_needed, archived]",
        "choices: [draft, published, in_review, archived]",
    )
    for partial in ("guide", "tutorial"):
        world.edit_template(
            f"template/_partials/{partial}.md.jinja",
            "draft|published|review_needed|archived",
            "draft|published|in_review|archived",
        )


def test_a_renamed_question_keeps_the_authors_answer(world: World) -> None:
    """Case 2: on the old main the page got the default, `preparation`, and exit 0."""
    world.new_guide("Deep Dive Guide", "--guide-type", "deep_dive")
    world.new_tutorial("Some Tutorial")
    world.commit_site("pages")
    rename_guide_type(world)
    world.migrations('    - version: "2"\n      rename: {guide_type: learning_track}\n')
    world.release("v2")
    checked = run_cli("template", "check", str(world.repo), cwd=world.base, home=world.home)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    updated = world.cli("update", "--defaults")
    assert updated.returncode == 0, updated.stdout + updated.stderr
    page = world.page("fundamentals/deep-dive-guide.md")
    assert 'learning_track: "deep_dive"' in page and "guide_type" not in page
    answers = world.answers("fundamentals/deep-dive-guide.yml")
    assert answers["learning_track"] == "deep_dive" and "guide_type" not in answers
    assert answers["_commit"] == "v2"
    assert "migrated 2: guide_type renamed learning_track" in updated.stdout
    # The tutorial never answered guide_type (its `when` is false): nothing to migrate.
    assert world.answers("coding/some-tutorial.yml")["_commit"] == "v2"
    assert world.cli("check").returncode == 0


def test_an_answer_the_new_version_lacks_fails_the_page_until_dropped(world: World) -> None:
    """No answer is dropped in silence: without a migration the page fails, naming the
    question and the fix; `--drop-unknown-answers` drops it and the table says so."""
    world.new_guide("Deep Dive Guide", "--guide-type", "deep_dive")
    world.new_tutorial("Some Tutorial")
    world.commit_site("pages")
    rename_guide_type(world)
    world.release("v2")
    before = snapshot(world.site)
    refused = world.cli("update", "--defaults")
    assert refused.returncode == 1, refused.stdout
    assert "recorded answer guide_type: the template's new version has no such question" in (
        refused.stdout
    )
    assert "declare it renamed or removed in the template's migrations" in refused.stdout
    assert (
        snapshot(world.site)["docs/fundamentals/deep-dive-guide.md"]
        == (before["docs/fundamentals/deep-dive-guide.md"])
    )
    assert world.answers("fundamentals/deep-dive-guide.yml")["guide_type"] == "deep_dive"
    # Copier's own keys and the questions a tutorial does not have are not unknown.
    assert world.answers("coding/some-tutorial.yml")["_commit"] == "v2"
    world.commit_site("the tutorial updated")
    dropped = world.cli("update", "--defaults", "--drop-unknown-answers")
    assert dropped.returncode == 0, dropped.stdout + dropped.stderr
    assert "dropped guide_type (was deep_dive)" in dropped.stdout
    answers = world.answers("fundamentals/deep-dive-guide.yml")
    assert "guide_type" not in answers and answers["learning_track"] == "preparation"


def test_a_renamed_choice_no_longer_blocks_its_pages(world: World) -> None:
    """Case 3: on the old main all 3 pages failed with `status: must be one of`."""
    for topic in ("First Topic", "Second Topic"):
        world.new_guide(topic, "--status", "review_needed")
    world.new_tutorial("Third Topic", "--status", "review_needed")
    world.new_guide("Archived Topic", "--status", "archived")
    world.commit_site("pages")
    rename_review_needed(world)
    world.migrations('    - version: "2"\n      values: {status: {review_needed: in_review}}\n')
    world.release("v2")
    updated = world.cli("update", "--defaults")
    assert updated.returncode == 0, updated.stdout + updated.stderr
    assert updated.stdout.count("migrated 2: status review_needed → in_review") == 3
    for relpath in ("fundamentals/first-topic", "fundamentals/second-topic", "coding/third-topic"):
        assert 'status: "in_review"' in world.page(relpath + ".md")
        assert world.answers(relpath + ".yml")["status"] == "in_review"
    assert world.answers("fundamentals/archived-topic.yml")["status"] == "archived"
    assert world.cli("check").returncode == 0


def test_rename_value_maps_and_remove_at_one_version(world: World) -> None:
    """One entry renames, maps values under the new name (a list's items too, the
    duplicate dropped at its first position) and removes a question on purpose."""
    world.new_guide(
        "Mapped Guide",
        "--guide-type",
        "deep_dive",
        "--status",
        "review_needed",
        "--tag",
        "k8s",
        "--tag",
        "kubernetes",
    )
    world.new_tutorial("Removed Tutorial", "--practice-type", "mock_interview")
    world.commit_site("pages")
    rename_guide_type(world, "getting_started, preparation, in_depth")
    rename_review_needed(world)
    world.edit_template(
        "copier.yml",
        "practice_type:\n  type: str\n  help: Practice type\n"
        "  choices: [theory, hands_on, mock_interview, self_assessment]\n  default: hands_on\n"
        "  when: '{{ content_type == \"tutorial\" }}'\n",
        "",
    )
    world.edit_template(
        "template/_partials/tutorial.md.jinja",
        "practice_type: {{ links.yaml_value(practice_type) }}"
        "  # theory|hands_on|mock_interview|self_assessment\n",
        "",
    )
    world.migrations(
        '    - version: "2.0.0"\n'
        "      rename: {guide_type: learning_track}\n"
        "      values:\n"
        "        learning_track: {deep_dive: in_depth}\n"
        "        status: {review_needed: in_review}\n"
        "        tags: {k8s: kubernetes}\n"
        "      remove: [practice_type]\n"
    )
    world.release("v2.0.0")
    checked = run_cli("template", "check", str(world.repo), cwd=world.base, home=world.home)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    pretend = world.cli("update", "--defaults", "--pretend")
    assert pretend.returncode == 0, pretend.stdout + pretend.stderr
    for note in (
        "migrated 2.0.0: guide_type renamed learning_track",
        "migrated 2.0.0: learning_track deep_dive → in_depth",
        "migrated 2.0.0: status review_needed → in_review",
        "migrated 2.0.0: tags ['caching', 'aws', 'k8s', 'kubernetes'] → "
        "['caching', 'aws', 'kubernetes']",
        "migrated 2.0.0: practice_type removed (was mock_interview)",
    ):
        assert note in pretend.stdout, note
    assert world.answers("fundamentals/mapped-guide.yml")["_commit"] == "v1"
    updated = world.cli("update", "--defaults")
    assert updated.returncode == 0, updated.stdout + updated.stderr
    answers = world.answers("fundamentals/mapped-guide.yml")
    assert answers["learning_track"] == "in_depth" and answers["status"] == "in_review"
    assert answers["tags"] == ["caching", "aws", "kubernetes"]
    assert 'tags: ["caching", "aws", "kubernetes"]' in world.page("fundamentals/mapped-guide.md")
    tutorial = world.answers("coding/removed-tutorial.yml")
    assert "practice_type" not in tutorial and tutorial["_commit"] == "v2.0.0"
    assert "practice_type" not in world.page("coding/removed-tutorial.md")
    assert world.cli("check").returncode == 0


def test_two_versions_of_migrations_crossed_in_one_update(world: World) -> None:
    """A page at v1 gets v2's and v3's entries in order; a page made at v2 only v3's, by
    git ancestry: v2's tag map is not applied to the `k8s` its author chose after v2."""
    world.new_guide("Old Guide", "--guide-type", "deep_dive", "--tag", "k8s")
    world.commit_site("v1 page")
    rename_guide_type(world)
    v2_entry = (
        '    - version: "2"\n'
        "      rename: {guide_type: learning_track}\n"
        "      values: {tags: {k8s: kubernetes}}\n"
    )
    world.migrations(v2_entry)
    world.release("v2")
    world.new_guide("Newer Guide", "--learning-track", "deep_dive", "--tag", "k8s")
    world.commit_site("v2 page")
    world.edit_template(
        "copier.yml",
        "choices: [getting_started, preparation, deep_dive, advanced]",
        "choices: [getting_started, preparation, in_depth, advanced]",
    )
    world.migrations(
        v2_entry + '    - version: "3"\n      values: {learning_track: {deep_dive: in_depth}}\n'
    )
    world.release("v3")
    updated = world.cli("update", "--defaults")
    assert updated.returncode == 0, updated.stdout + updated.stderr
    old, newer = (
        world.answers("fundamentals/old-guide.yml"),
        world.answers("fundamentals/newer-guide.yml"),
    )
    assert old["learning_track"] == "in_depth" and old["tags"] == ["caching", "aws", "kubernetes"]
    assert newer["learning_track"] == "in_depth" and newer["tags"] == ["caching", "aws", "k8s"]
    assert old["_commit"] == newer["_commit"] == "v3"
    old_row = next(line for line in updated.stdout.splitlines() if "old-guide" in line)
    assert old_row.index("migrated 2:") < old_row.index("migrated 3: learning_track")
    newer_row = next(line for line in updated.stdout.splitlines() if "newer-guide" in line)
    assert "migrated 3: learning_track deep_dive → in_depth" in newer_row
    assert "migrated 2" not in newer_row


def test_an_authors_frontmatter_edit_of_a_migrated_key_is_migrated_too(world: World) -> None:
    """The author changed `guide_type` in the page; the rename carries the author's value."""
    world.new_guide("Edited Guide", "--guide-type", "deep_dive", "--status", "review_needed")
    path = world.site / "docs/fundamentals/edited-guide.md"
    text = path.read_text("utf-8")
    text = text.replace('guide_type: "deep_dive"', 'guide_type: "advanced"', 1)
    path.write_text(text.replace('status: "draft"', 'status: "review_needed"', 1), "utf-8")
    world.commit_site("pages, one edited")
    rename_guide_type(world)
    rename_review_needed(world)
    world.migrations(
        '    - version: "2"\n      rename: {guide_type: learning_track}\n'
        "      values: {status: {review_needed: in_review}}\n"
    )
    world.release("v2")
    updated = world.cli("update", "--defaults")
    assert updated.returncode == 0, updated.stdout + updated.stderr
    page = world.page("fundamentals/edited-guide.md")
    assert 'learning_track: "advanced"' in page and "guide_type" not in page
    assert "<<<<<<<" not in page
    answers = world.answers("fundamentals/edited-guide.yml")
    assert answers["learning_track"] == "advanced" and answers["status"] == "in_review"


def test_a_migration_without_its_tag_fails_the_page_with_the_reason(world: World) -> None:
    world.new_guide("Deep Dive Guide", "--guide-type", "deep_dive")
    world.commit_site("pages")
    rename_guide_type(world)
    world.migrations('    - version: "2.5"\n      rename: {guide_type: learning_track}\n')
    world.release("v2")
    refused = world.cli("update", "--defaults")
    assert refused.returncode == 1
    assert (
        "migrations name version 2.5" in refused.stdout and "no tag v2.5 or 2.5" in refused.stdout
    )
    assert world.answers("fundamentals/deep-dive-guide.yml")["_commit"] == "v1"


def test_a_target_whose_block_format_is_unknown_fails_its_pages(world: World) -> None:
    """A newer format may carry migrations this guidewright cannot apply: the page fails,
    naming both formats, instead of losing what those migrations would have kept."""
    world.new_guide("Deep Dive Guide", "--guide-type", "deep_dive")
    world.commit_site("pages")
    world.edit_template("copier.yml", "  format: 1\n", "  format: 3\n")
    world.release("v2")
    refused = world.cli("update", "--defaults")
    assert refused.returncode == 1
    assert "format is 3, but this guidewright reads formats 1 and 2" in refused.stdout
    assert world.answers("fundamentals/deep-dive-guide.yml")["_commit"] == "v1"
