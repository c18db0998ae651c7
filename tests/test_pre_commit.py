"""The pre-commit hooks (`.pre-commit-hooks.yaml`) run as pre-commit runs them: each hook's
`files` pattern picks the staged files (Python's `re.search`, as pre-commit), then its
`entry` runs in the repository's root with those files as arguments (pre-commit itself is
not installed here; the entry's `guidewright` runs in this process)."""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from support import REPO, commit_all, git, run_cli, site_with_a_guide_in_a_subfolder

GUIDE = "website/docs/system-design/caching-strategies.md"
HOOKS = {hook["id"]: hook for hook in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())}
# Two lists MkDocs reads as text (no blank line after the paragraph): GW601, fixable.
UNSPACED_LIST = "\nBefore starting:\n- a laptop\n- an hour\n"


def run_hook(
    hook_id: str, repository: Path, home: Path, staged: list[str]
) -> subprocess.CompletedProcess[str]:
    """The hook on `staged` (paths from the repository's root), as pre-commit runs it."""
    hook: dict[str, Any] = HOOKS[hook_id]
    assert hook["language"] == "python" and hook.get("pass_filenames", True)
    files = [path for path in staged if re.search(hook["files"], path)]
    program, *entry = shlex.split(hook["entry"])
    assert program == "guidewright"
    if not files:  # pre-commit skips a hook no file matches
        return subprocess.CompletedProcess([program], 0, "(no files to check)Skipped", "")
    return run_cli(*entry, *hook.get("args", []), *files, cwd=repository, home=home)


@pytest.fixture
def repository(tmp_path: Path, home: Path) -> Path:
    """A repository whose site is `website/` (with its mkdocs.yml), committed, with a
    README at its root."""
    root = tmp_path / "repository"
    site = site_with_a_guide_in_a_subfolder(root, home)
    (site / "mkdocs.yml").write_text("site_name: Interview guides\n", "utf-8")
    (root / "README.md").write_text("# The repository\n\nSee [nothing](nowhere.md).\n")
    commit_all(root, home, "site")
    return root


def test_a_page_of_a_site_in_a_subfolder_is_checked_with_its_site(
    repository: Path, home: Path
) -> None:
    with (repository / GUIDE).open("a", encoding="utf-8") as page:
        page.write("\nSee [the basics](basics.md).\n")
    result = run_hook("guidewright", repository, home, [GUIDE, "README.md"])
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{GUIDE}:" in result.stdout and "GW201 link: basics.md does not exist" in result.stdout
    assert "nowhere.md" not in result.stdout  # the root README is in no site: skipped


@pytest.mark.parametrize(
    "changed", ["website/mkdocs.yml", "website/.guidewright/config.yml", "website/docs/index.md"]
)
def test_the_site_config_and_the_engine_config_trigger_the_hook(
    repository: Path, home: Path, changed: str
) -> None:
    with (repository / GUIDE).open("a", encoding="utf-8") as page:
        page.write("\nSee [the basics](basics.md).\n")  # already there, found once it runs
    result = run_hook("guidewright", repository, home, [changed])
    assert result.returncode == 1 and "GW201" in result.stdout, result.stdout + result.stderr


def test_files_in_no_site_pass(repository: Path, home: Path) -> None:
    assert run_hook("guidewright", repository, home, ["README.md"]).returncode == 0
    assert run_hook("guidewright", repository, home, ["setup.cfg"]).stdout.endswith("Skipped")


def test_a_clean_site_passes_and_a_broken_config_fails_with_exit_2(
    repository: Path, home: Path
) -> None:
    assert run_hook("guidewright", repository, home, [GUIDE]).returncode == 0
    (repository / "website" / ".guidewright" / "config.yml").write_text("tags: [unclosed\n")
    broken = run_hook("guidewright", repository, home, ["website/.guidewright/config.yml"])
    assert broken.returncode == 2 and broken.stderr.startswith("error: ")


def test_the_fix_hook_fixes_the_page_and_passes_when_nothing_is_left(
    repository: Path, home: Path
) -> None:
    with (repository / GUIDE).open("a", encoding="utf-8") as page:
        page.write(UNSPACED_LIST)
    git(repository, home, "add", GUIDE)  # staged, as pre-commit leaves a committed page
    before = run_hook("guidewright", repository, home, [GUIDE])
    assert "GW601" in before.stdout
    fixed = run_hook("guidewright-fix", repository, home, [GUIDE])
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert "Before starting:\n\n- a laptop" in (repository / GUIDE).read_text("utf-8")
    assert "GW601" not in run_hook("guidewright", repository, home, [GUIDE]).stdout


def test_the_earlier_hook_id_still_runs_the_same_check() -> None:
    assert HOOKS["guidewright-check"]["entry"] == HOOKS["guidewright"]["entry"]
    assert HOOKS["guidewright-check"]["files"] == HOOKS["guidewright"]["files"]


@pytest.mark.parametrize("linked", ["page", "folder"])
def test_the_fix_hook_never_writes_another_site_through_a_committed_link(
    repository: Path, home: Path, tmp_path: Path, linked: str
) -> None:
    """A committed link (to a page, or a folder) that leads to another site's page is no
    change of that site: `--changed` finds the site by the path as given, links not
    followed, and the other site is neither checked nor fixed."""
    other = site_with_a_guide_in_a_subfolder(tmp_path / "other", home)
    victim = other / "docs/system-design/caching-strategies.md"
    victim.write_text(victim.read_text("utf-8") + UNSPACED_LIST, "utf-8")
    (other / "mkdocs.yml").write_text("site_name: Another site\n", "utf-8")
    commit_all(tmp_path / "other", home, "another site, with a list to fix")
    before = victim.read_bytes()
    if linked == "page":
        changed = "website/docs/evil.md"
        (repository / changed).symlink_to(victim)
    else:
        changed = "website/docs/evil/system-design/caching-strategies.md"
        (repository / "website/docs/evil").symlink_to(other / "docs")
    commit_all(repository, home, "a link to another site")
    fixed = run_hook("guidewright-fix", repository, home, [changed])
    assert "Traceback" not in fixed.stderr, fixed.stderr
    assert victim.read_bytes() == before
    assert str(other) not in fixed.stdout + fixed.stderr and "../" not in fixed.stdout
