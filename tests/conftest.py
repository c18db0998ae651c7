from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SEEDS = Path(__file__).parent / "data" / "seeds"
GUIDE_SEED = SEEDS / "000_1eae67013ceb8768.txt"
TUTORIAL_SEED = SEEDS / "003_04909c2993dcd1a6.txt"
GUIDEWRIGHT = str(Path(sys.executable).parent / "guidewright")


def seed_text(content_type: str) -> str:
    if content_type == "guide":
        # The guide seed is UTF-8 that was once read as Mac Roman.
        return GUIDE_SEED.read_text("utf-8").encode("mac_roman").decode("utf-8")
    return TUTORIAL_SEED.read_text("utf-8")


def isolated_env(home: Path, **extra: str) -> dict[str, str]:
    """No user or system git configuration leaks into a test."""
    gitconfig = home / ".gitconfig"
    if not gitconfig.exists():
        home.mkdir(parents=True, exist_ok=True)
        gitconfig.write_text("[user]\n\tname = Test Author\n\temail = author@example.invalid\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(HOME=str(home), GIT_CONFIG_GLOBAL=str(gitconfig), GIT_CONFIG_NOSYSTEM="1")
    env.update(extra)
    return env


def run_cli(
    *args: str, cwd: Path, home: Path, input: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [GUIDEWRIGHT, *args],
        cwd=cwd,
        input=input,
        stdin=None if input is not None else subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=isolated_env(home),
        timeout=120,
    )


def git(cwd: Path, home: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, env=isolated_env(home), check=True, capture_output=True, text=True
    ).stdout


def make_template_repo(root: Path, home: Path) -> Path:
    """The project's template as a git repository with one tagged version, v1."""
    repo = root / "template-repo"
    repo.mkdir()
    shutil.copy(REPO / "copier.yml", repo / "copier.yml")
    shutil.copytree(REPO / "template", repo / "template")
    git(repo, home, "init", "-q", "-b", "main")
    git(repo, home, "add", "-A")
    git(repo, home, "commit", "-q", "-m", "v1")
    git(repo, home, "tag", "v1")
    return repo


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(root).parts
    }


def make_site(root: Path) -> Path:
    (root / "docs" / "fundamentals").mkdir(parents=True)
    (root / "docs" / "practice").mkdir()
    (root / "docs" / "index.md").write_text("# Home\n")
    (root / "docs" / "fundamentals" / "index.md").write_text("# Fundamentals\n")
    (root / "docs" / "practice" / "topic-problems.md").write_text("# Problems\n")
    return root


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path / "site")


@pytest.fixture(scope="session")
def template_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's template as a plain folder (Copier clones git folders: slower)."""
    target = tmp_path_factory.mktemp("template")
    shutil.copy(REPO / "copier.yml", target / "copier.yml")
    shutil.copytree(REPO / "template", target / "template")
    return target


GUIDE_ARGS = (
    "new-guide", "--defaults", "--topic", "Caching Strategies", "--section", "system-design",
    "--tag", "caching", "--tag", "performance", "--objective", "Explain cache invalidation",
    "--objective", "Choose a write policy", "--contributor", "Ada Lovelace",
    "--content-owner", "platform-team", "--last-updated", "2026-01-31",
    "--prerequisite", "fundamentals/index.md", "--related", "practice/topic-problems.md",
)  # fmt: skip

TUTORIAL_ARGS = (
    "new-tutorial", "--defaults", "--topic", "Rate Limiter", "--section", "coding",
    "--tag", "hands-on", "--tag", "coding", "--tag", "aws", "--objective", "Build a token bucket",
    "--skill", "rate limiting", "--skill", "load testing", "--contributor", "Grace Hopper",
    "--content-owner", "platform-team", "--last-updated", "2026-12-15", "--difficulty", "advanced",
    "--estimated-time", "90 min", "--prerequisite", "fundamentals/index.md",
    "--related", "practice/topic-problems.md", "--related", "index.md",
)  # fmt: skip


@pytest.fixture(autouse=True, scope="session")
def _template_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """In-process checks cache template versions here, not in the user's cache, and seal
    compiled Jinja with a key made here, not in the user's configuration folder."""
    os.environ["GUIDEWRIGHT_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    os.environ["XDG_CONFIG_HOME"] = str(tmp_path_factory.mktemp("config"))


def commit_all(path: Path, home: Path, message: str, *, init: bool = False) -> None:
    """Commit everything in `path` (a new repository first, with `init`)."""
    if init:
        git(path, home, "init", "-q")
    git(path, home, "add", "-A")
    git(path, home, "commit", "-q", "-m", message)
