"""`guidewright init`: a working site for the guide and tutorial templates, built by MkDocs
(Material) or by Zensical."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from guidewright.core.errors import GitFailed, InvalidInput, OperationFailed
from guidewright.core.git import is_ignored, run_git
from guidewright.site.init_config import CONFIG_TEXTS, engine_config_text
from guidewright.site.profile import MKDOCS, find_config
from guidewright.site.site import CONFIG_RELPATH, SiteConfig, config_text

# The folders the seed documents link to, with a line of what each holds.
SECTIONS: dict[str, str] = {
    "fundamentals": "Core concepts every interview builds on.",
    "system-design": "Designing systems at scale.",
    "coding": "Coding patterns and hands-on implementation.",
    "behavioral": "Leadership principles and behavioral stories.",
    "practice": "Problems and mock interviews to practise with.",
    "experiences": "Real interview experiences and examples.",
}
SEED_TAGS = ["system-design", "fundamentals", "hands-on", "aws", "coding"]
# The pages init writes that are not content: the home page, each section's page, tags.
NOT_CONTENT = ["index.md", "*/index.md", "tags.md"]

INDEX_MD = """\
# {site_name}

Guides and hands-on tutorials for engineering manager interviews.

- [Fundamentals](fundamentals/index.md)
- [System design](system-design/index.md)
- [Coding](coding/index.md)
- [Behavioral](behavioral/index.md)
- [Practice](practice/index.md)
- [Experiences](experiences/index.md)
- [Tags](tags.md)
"""

TAGS_MD = """\
# Tags

<!-- material/tags -->
"""


# Material draws a page status as an icon masked from a CSS variable; these are Material
# Design icons (pencil, alert, check, archive) for the template's status values.
_STATUS_ICONS = {
    "draft": "M20.71 7.04c.39-.39.39-1.04 0-1.41l-2.34-2.34c-.37-.39-1.02-.39-1.41 0l-1.84 "
    "1.83 3.75 3.75M3 17.25V21h3.75L17.81 9.93l-3.75-3.75z",
    "review_needed": "M13 14h-2V9h2m0 9h-2v-2h2M1 21h22L12 2z",
    "published": "M21 7 9 19l-5.5-5.5 1.41-1.41L9 16.17 19.59 5.59z",
    "archived": "M3 3h18v4H3zm1 5h16v13H4zm5.5 3a.5.5 0 0 0-.5.5V13h6v-1.5a.5.5 0 0 0-.5-.5z",
}


def _status_css() -> str:
    lines = ["/* Icons for the page status of guidewright's documents (extra.status). */"]
    for status, path in _STATUS_ICONS.items():
        svg = (
            f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 24 24'><path d='{path}'/></svg>"
        )
        lines += [
            f':root {{ --md-status--{status}: url("data:image/svg+xml;charset=utf-8,{svg}"); }}',
            f".md-status--{status}::after {{",
            f"  -webkit-mask-image: var(--md-status--{status});",
            f"  mask-image: var(--md-status--{status});",
            "}",
        ]
    return "\n".join(lines) + "\n"


# Material's own theme block for extra head tags: MkDocs and Zensical both read it (a
# MkDocs hook would be lost on Zensical). A page's own `description` still wins.
MAIN_HTML = """\
{#- Written by `guidewright init`: a page's summary is its meta description. -#}
{% extends "base.html" %}
{% block extrahead %}
  {%- if page.meta and page.meta.summary and not page.meta.description
        and not config.site_description %}
  <meta name="description" content="{{ page.meta.summary }}">
  {%- endif %}
{% endblock %}
"""

GITIGNORE = """\
# Built by `mkdocs build` / `zensical build` (and their `serve`)
site/
# Caches
.cache/
__pycache__/
*.pyc
.guidewright/update.lock
"""


def _section_index(section: str, blurb: str) -> str:
    title = section.replace("-", " ").capitalize()
    return f"# {title}\n\n{blurb}\n"


def site_files(
    site_name: str, content_owner: str | None, template: str | None, engine: str = MKDOCS
) -> dict[str, str]:
    """Every file of a new site for `engine` (mkdocs: mkdocs.yml; zensical: zensical.toml),
    by path."""
    config_name, config_file = engine_config_text(engine, site_name)
    files = {
        config_name: config_file,
        "docs/index.md": INDEX_MD.format(site_name=site_name),
        "docs/tags.md": TAGS_MD,
        "docs/stylesheets/status.css": _status_css(),
        "overrides/main.html": MAIN_HTML,
        ".gitignore": GITIGNORE,
    }
    for section, blurb in SECTIONS.items():
        files[f"docs/{section}/index.md"] = _section_index(section, blurb)
    config = SiteConfig(
        template=template,
        content_owner=content_owner,
        sections=list(SECTIONS),
        tags=SEED_TAGS,
        not_content=NOT_CONTENT,
    )
    files[CONFIG_RELPATH] = config_text(config)
    return files


@dataclass(frozen=True)
class NewSite:
    """What `init` made: the files, and what git holds of them."""

    written: list[str]
    repository: bool  # a git repository of its own was created
    committed: bool  # ... and its first commit holds the whole site


FIRST_COMMIT = "A new interview-preparation site (guidewright init)"


def init_site(
    root: Path,
    content_owner: str | None,
    template: str | None,
    git: bool = True,
    engine: str = MKDOCS,
) -> NewSite:
    """Create the site in `root` (new or empty) for `engine`: its files and (with `git`,
    when `root` is in no repository yet) a repository whose first commit holds them, so
    that `update` and `check --fix`, which write only over committed pages, work from
    the start."""
    if engine not in CONFIG_TEXTS:
        allowed = ", ".join(CONFIG_TEXTS)
        raise InvalidInput(f"--engine: no engine '{engine}' (init writes a site for: {allowed})")
    try:
        written = _init_site(root, content_owner, template, engine)
    except (NotADirectoryError, FileExistsError) as error:
        raise InvalidInput(f"SITE: {root}: a part of this path is a file") from error
    except OSError as error:
        raise OperationFailed(f"cannot create the site in {root}: {error.strerror}") from error
    repository = git and _create_repository(root, CONFIG_TEXTS[engine][0])
    return NewSite(written, repository, repository and _first_commit(root))


def _first_commit(root: Path) -> bool:
    """Commit the new site; False when git cannot (no user.name or user.email): the
    author is told to commit it."""
    try:
        run_git("add", "--all", cwd=root)
        done = run_git("commit", "--quiet", "-m", FIRST_COMMIT, cwd=root, allowed=(0, 128))
    except GitFailed:
        return False
    return done.returncode == 0


def _create_repository(root: Path, config_name: str) -> bool:
    """`git init` unless `root` is already inside a work tree that keeps its files (as
    `cargo new` does): an ignored folder of another repository (a demo site in a clone)
    needs a repository of its own, or `update` would write where git sees nothing."""
    try:
        inside = run_git("rev-parse", "--is-inside-work-tree", cwd=root, allowed=(0, 128))
        keeps_files = inside.returncode == 0 and inside.stdout.strip() == b"true"
        if keeps_files and not is_ignored(root, config_name):
            return False
        run_git("init", "--quiet", cwd=root)
    except GitFailed as error:
        raise OperationFailed(f"the site is created, but `git init` failed: {error}") from error
    return True


def _way_on(root: Path) -> str:
    """What to run instead of `init` in an existing site."""
    dest = "" if root == Path(".") else f" --dest {root}"
    if (root / CONFIG_RELPATH).exists():
        return f"it is a guidewright site already: `guidewright new-guide{dest}` adds a page"
    return (
        f"init only creates new sites: `guidewright adopt{dest} --pretend` shows how its "
        "pages would be brought under the template, and `adopt` does it (writing "
        f"{CONFIG_RELPATH} with the pages, never the engine's configuration)"
    )


def _init_site(
    root: Path, content_owner: str | None, template: str | None, engine: str
) -> list[str]:
    existing = find_config(root) if root.is_dir() else None
    if existing is not None:
        raise InvalidInput(f"SITE: {root} already has a {existing[0]}; {_way_on(root)}")
    if root.exists() and not root.is_dir():
        raise InvalidInput(f"SITE: {root} is not a folder")
    if root.is_dir() and any(root.iterdir()):
        raise InvalidInput(f"SITE: {root} is not empty; init only creates new sites")
    files = site_files(root.resolve().name or "Interview Prep", content_owner, template, engine)
    parent = root.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".guidewright-init-", dir=parent))
    try:
        for relpath, text in files.items():
            target = staging / relpath
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, "utf-8")
        if root.is_dir():
            for entry in staging.iterdir():
                os.replace(entry, root / entry.name)
        else:
            os.replace(staging, root)
    except BaseException:
        if root.is_dir():  # undo a partial move into an existing empty folder
            for entry in root.iterdir():
                with contextlib.suppress(OSError):
                    shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return sorted(files)
