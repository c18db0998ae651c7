"""A documentation site: its root, docs folder, sections, documents, tags and configuration.

The layer below `template/` and everything above it: where things are and what the site's
configuration says, never what a page holds (site/pages.py reads the pages)."""

from __future__ import annotations

import dataclasses
import fnmatch
import functools
import os
import posixpath
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from guidewright.core import safe_yaml
from guidewright.core.bounded_read import YAML_BYTES, read_bounded
from guidewright.core.errors import (
    GitFailed,
    InvalidInput,
    UnsafeYaml,
)
from guidewright.core.git import run_git
from guidewright.core.yaml_problem import yaml_problem
from guidewright.site.init_config import init_profile
from guidewright.site.profile import SiteProfile, is_site_root, read_profile

CONFIG_RELPATH = ".guidewright/config.yml"
# Where the answers files are: copier.yml's `_answers_file` must put them below it.
ANSWERS_DIR = ".guidewright/answers"


@dataclass
class SiteConfig:
    """`.guidewright/config.yml`: what the wizards remember for a site."""

    template: str | None = None
    content_owner: str | None = None
    sections: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    check_ignore: list[str] = field(default_factory=list)  # `check: {ignore: [GW104]}`
    check_select: list[str] = field(default_factory=list)  # optional rules on: `select:`
    # Pages that are not content (globs on the path in the docs folder, `*` spans folders):
    # never asked for frontmatter, never offered as a section's page or a document.
    not_content: list[str] = field(default_factory=list)

    def to_data(self) -> dict[str, Any]:
        """The configuration as YAML-ready data, empty keys left out."""
        data: dict[str, Any] = {}
        if self.template:
            data["template"] = self.template
        if self.content_owner:
            data["content_owner"] = self.content_owner
        if self.sections:
            data["sections"] = list(self.sections)
        if self.tags:
            data["tags"] = list(self.tags)
        if self.check_ignore:
            data["check"] = {"ignore": list(self.check_ignore)}
        if self.check_select:
            data.setdefault("check", {})["select"] = list(self.check_select)
        if self.not_content:
            data["not_content"] = list(self.not_content)
        return data


def _string_list(value: Any, name: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidInput(f"{CONFIG_RELPATH}: {name}: must be a list of texts")
    return list(value)


def _optional_text(value: Any, name: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise InvalidInput(f"{CONFIG_RELPATH}: {name}: must be text")


def load_config(root: Path) -> SiteConfig:
    """The site's `.guidewright/config.yml` (empty when there is none)."""
    path = root / CONFIG_RELPATH
    if not os.path.lexists(path):
        return SiteConfig()
    try:
        raw = read_bounded(path, YAML_BYTES, root)
    except OSError as error:
        raise InvalidInput(f"{CONFIG_RELPATH}: cannot read: {error.strerror}") from error
    return parse_config(raw)


def parse_config(raw: bytes) -> SiteConfig:
    """A site configuration's text, read; InvalidInput names what is wrong."""
    try:
        data = safe_yaml.load(raw) or {}
    except (yaml.YAMLError, UnsafeYaml) as error:
        raise InvalidInput(f"{CONFIG_RELPATH}: {yaml_problem(error, text=raw)}") from error
    if not isinstance(data, dict):
        raise InvalidInput(f"{CONFIG_RELPATH}: must be a mapping")
    check = data.get("check") or {}
    if not isinstance(check, dict):
        raise InvalidInput(
            f"{CONFIG_RELPATH}: check: must be a mapping (ignore: [codes], select: [codes])"
        )
    return SiteConfig(
        template=_optional_text(data.get("template"), "template"),
        content_owner=_optional_text(data.get("content_owner"), "content_owner"),
        sections=_string_list(data.get("sections"), "sections"),
        tags=_string_list(data.get("tags"), "tags"),
        check_ignore=_string_list(check.get("ignore"), "check: ignore"),
        check_select=_string_list(check.get("select"), "check: select"),
        not_content=_string_list(data.get("not_content"), "not_content"),
    )


def config_text(config: SiteConfig) -> str:
    """A new site configuration's text (an existing one is edited, never written anew)."""
    return yaml.safe_dump(config.to_data(), sort_keys=False, allow_unicode=True)


@dataclass(frozen=True)
class Site:
    """A documentation site: its root, docs folder and configuration (guidewright's own,
    and its engine's, read once: `profile`)."""

    root: Path
    docs_dir: str
    config: SiteConfig
    profile: SiteProfile = field(default_factory=init_profile)

    @functools.cached_property  # asked for each page of a run: made once
    def docs_path(self) -> Path:
        """The docs folder, absolute."""
        return self.root / self.docs_dir

    def document_path(self, section: str, slug: str) -> Path:
        """Where a document of `section` and `slug` lives."""
        return self.docs_path / section / f"{slug}.md"

    def answers_relpath(self, section: str, slug: str) -> str:
        """Where a document's answers file lives, relative to the root."""
        return f"{ANSWERS_DIR}/{section}/{slug}.yml"

    def answers_files(self) -> list[str]:
        """The recorded answers files, relative to the site root."""
        folder = self.root / ANSWERS_DIR
        if not folder.is_dir():
            return []
        return [f"{ANSWERS_DIR}/{relpath}" for relpath in files_under(folder, ".yml")]

    def recorded_document(self, answers: Mapping[str, Any]) -> str:
        """The document recorded answers place, relative to the site root."""
        docs_dir = str(answers.get("docs_dir") or self.docs_dir)
        # normpath: an adopted page at the top of the docs folder records the section ".".
        return posixpath.normpath(f"{docs_dir}/{answers['section']}/{answers['slug']}.md")

    def documents(self) -> list[str]:
        """Markdown files of the docs folder, relative to it, hidden folders left out."""
        return files_under(self.docs_path, ".md", skip_hidden=True)

    def is_content_page(self, relpath: str) -> bool:
        """Whether a page of the docs folder (its path there) is content: one the site's
        `not_content` globs do not name (an index page, the tags page). The one rule that
        `check`, the section and document pickers and `adopt` share."""
        return is_content_page(self.config, relpath.replace(os.sep, "/"))

    def sections(self) -> list[str]:
        """The sections: each folder of the docs folder that holds a content page, and
        each the configuration lists (a folder of stylesheets or images is none)."""
        found = {relpath.rpartition("/")[0] for relpath in self.content_pages()}
        found.discard("")  # a page at the top of the docs folder is in no section
        return sorted(found | set(self.config.sections))

    def content_pages(self) -> list[str]:
        """The content pages of the docs folder (see `is_content_page`), relative to it."""
        return [relpath for relpath in self.documents() if self.is_content_page(relpath)]

    def git_user_name(self) -> str | None:
        """git's user.name for this site, if any."""
        try:
            found = run_git("config", "user.name", cwd=self.root, allowed=(0, 1))
        except GitFailed:
            return None
        name = found.stdout.decode("utf-8", "replace").strip()
        return name or None


def site_root_above(path: Path) -> Path | None:
    """The site `path` (a file or folder) is in: the nearest folder at or above it with an
    engine's configuration (mkdocs.yml, zensical.toml, ...); None when none is."""
    resolved = path.resolve()
    return next((p for p in (resolved, *resolved.parents) if is_site_root(p)), None)


def site_root_of_changed(path: Path) -> Path | None:
    """The site a changed file is in (`check --changed`, pre-commit's hooks), found from
    its path as given: the nearest folder above it with an engine's configuration, never
    one reached through a symbolic link among the path's names below the working folder
    (a committed link may lead to another site, whose pages are not this change's to
    check or fix). None when no folder is a site."""
    given = Path(os.path.abspath(path))
    here = Path.cwd()
    names = [given, *given.parents]  # the path's own names, nearest first
    below_links = 0
    for index, name in enumerate(names):
        if here in name.parents and name.is_symlink():
            below_links = index + 1
    return next((p.resolve() for p in names[below_links:] if is_site_root(p)), None)


def load_site(dest: Path) -> Site:
    """The site at `dest`; refuses a folder that is not one. From inside a site (the
    default `--dest .` in its docs folder, say) the site is the nearest folder above
    with an engine's configuration (mkdocs.yml, zensical.toml, ...), as git finds its
    repository. A folder with none is judged as `init` would configure it."""
    root = dest.resolve()
    if dest == Path("."):
        root = site_root_above(root) or root
    if not root.is_dir():
        raise InvalidInput(f"--dest: {dest} is not a folder (create a site with: guidewright init)")
    profile = read_profile(root, default=dataclasses.replace(init_profile(), config_file=None))
    docs_dir = profile.docs_dir
    site = Site(root, docs_dir, load_config(root), profile)
    if not site.docs_path.is_dir():
        raise InvalidInput(
            f"--dest: {dest} has no docs folder '{docs_dir}/' "
            "(create a site with: guidewright init)"
        )
    return site


def is_content_page(config: SiteConfig, relpath: str) -> bool:
    """Whether the page at `relpath` (in the docs folder, `/`-separated) is content under
    `config`: no `not_content` glob matches it."""
    return not any(fnmatch.fnmatchcase(relpath, glob) for glob in config.not_content)


def files_under(folder: Path, suffix: str, skip_hidden: bool = False) -> list[str]:
    """Files named `*suffix` below `folder`, relative to it, sorted, as `rglob` finds them
    (linked folders not entered) but without a `Path` per file: a site has thousands."""
    found: list[str] = []
    for current, folders, files in os.walk(folder):
        if skip_hidden:
            folders[:] = [name for name in folders if not name.startswith(".")]
        relative = os.path.relpath(current, folder).replace(os.sep, "/")
        prefix = "" if relative == "." else relative + "/"
        found.extend(
            prefix + name
            for name in files
            if name.endswith(suffix) and not (skip_hidden and name.startswith("."))
        )
    return sorted(found)
