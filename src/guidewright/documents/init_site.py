"""`guidewright init`: a working MkDocs Material site for the guide and tutorial templates."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

import yaml

from guidewright.documents.site import CONFIG_RELPATH, MKDOCS_FILES, SiteConfig
from guidewright.errors import InvalidInput, OperationFailed

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

MKDOCS_YML = """\
site_name: {site_name}
docs_dir: docs
theme:
  name: material
  features:
    - navigation.sections
    - content.code.copy
plugins:
  - search
  - tags
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - tables
  - toc:
      permalink: true
  - pymdownx.details
  - pymdownx.superfences
  - pymdownx.tasklist:
      custom_checkbox: true
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
      emoji_generator: !!python/name:material.extensions.emoji.to_svg
"""

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


def _section_index(section: str, blurb: str) -> str:
    title = section.replace("-", " ").capitalize()
    return f"# {title}\n\n{blurb}\n"


def site_files(site_name: str, content_owner: str | None, template: str | None) -> dict[str, str]:
    """Every file of a new site, by path."""
    files = {
        "mkdocs.yml": MKDOCS_YML.format(site_name=site_name),
        "docs/index.md": INDEX_MD.format(site_name=site_name),
        "docs/tags.md": TAGS_MD,
    }
    for section, blurb in SECTIONS.items():
        files[f"docs/{section}/index.md"] = _section_index(section, blurb)
    config = SiteConfig(
        template=template, content_owner=content_owner, sections=list(SECTIONS), tags=SEED_TAGS
    )
    files[CONFIG_RELPATH] = yaml.safe_dump(config.to_data(), sort_keys=False, allow_unicode=True)
    return files


def init_site(root: Path, content_owner: str | None, template: str | None) -> list[str]:
    """Create the site in `root` (new or empty); returns the files written."""
    try:
        return _init_site(root, content_owner, template)
    except (NotADirectoryError, FileExistsError) as error:
        raise InvalidInput(f"SITE: {root}: a part of this path is a file") from error
    except OSError as error:
        raise OperationFailed(f"cannot create the site in {root}: {error.strerror}") from error


def _init_site(root: Path, content_owner: str | None, template: str | None) -> list[str]:
    if any((root / name).exists() for name in MKDOCS_FILES):
        raise InvalidInput(f"SITE: {root} already has a mkdocs.yml; init only creates new sites")
    if root.exists() and not root.is_dir():
        raise InvalidInput(f"SITE: {root} is not a folder")
    if root.is_dir() and any(root.iterdir()):
        raise InvalidInput(f"SITE: {root} is not empty; init only creates new sites")
    files = site_files(root.resolve().name or "Interview Prep", content_owner, template)
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
