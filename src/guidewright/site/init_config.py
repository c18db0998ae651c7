"""The configuration `init` writes for each engine, and the profile it gives a site.

Its own module because the site reader (site.py) judges a site without a configuration
file as `init` would configure it, and init_site.py writes these texts: both read them.
"""

from __future__ import annotations

import json
from functools import cache

from guidewright.site.profile import MKDOCS, ZENSICAL, SiteProfile, profile_of_text

MKDOCS_YML = """\
site_name: {site_name}
docs_dir: docs
theme:
  name: material
  # overrides/main.html: a page's `summary` is its meta description.
  custom_dir: overrides
  features:
    - navigation.sections
    - navigation.indexes
    - content.code.copy
plugins:
  - search
  - tags
# Broken links and anchors are warnings, so `mkdocs build --strict` fails on them.
validation:
  omitted_files: warn
  unrecognized_links: warn
  anchors: warn
# The documents' `status` is Material's page status: a label and an icon in the navigation.
extra:
  status:
    draft: Draft
    review_needed: Review needed
    published: Published
    archived: Archived
extra_css:
  - stylesheets/status.css
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

# The same site for Zensical: its own zensical.toml (`[project]`), the same extensions
# (Material's emoji functions under Zensical's names) and the same `validation`, in
# Zensical's terms: broken links and anchors are warnings, `zensical build --strict` fails.
ZENSICAL_TOML = """\
[project]
site_name = {site_name}
docs_dir = "docs"
extra_css = ["stylesheets/status.css"]

[project.theme]
# overrides/main.html: a page's `summary` is its meta description.
custom_dir = "overrides"
features = ["navigation.sections", "navigation.indexes", "content.code.copy"]

[project.plugins.tags]

[project.validation]
invalid_links = true
invalid_link_anchors = true

# The documents' `status` is Material's page status: a label and an icon in the navigation.
[project.extra.status]
draft = "Draft"
review_needed = "Review needed"
published = "Published"
archived = "Archived"

[project.markdown_extensions]
admonition = {{}}
attr_list = {{}}
md_in_html = {{}}
tables = {{}}
toc.permalink = true
pymdownx.details = {{}}
pymdownx.superfences = {{}}
pymdownx.tasklist.custom_checkbox = true
pymdownx.emoji.emoji_index = "zensical.extensions.emoji.twemoji"
pymdownx.emoji.emoji_generator = "zensical.extensions.emoji.to_svg"
"""

# Which file each engine's site gets, and its text.
CONFIG_TEXTS = {MKDOCS: ("mkdocs.yml", MKDOCS_YML), ZENSICAL: ("zensical.toml", ZENSICAL_TOML)}


def engine_config_text(engine: str, site_name: str) -> tuple[str, str]:
    """(file name, text) of the configuration `init` writes for `engine`."""
    name, text = CONFIG_TEXTS[engine]
    # A TOML basic string is a JSON string (the escapes JSON writes are TOML's too).
    shown = json.dumps(site_name, ensure_ascii=False) if engine == ZENSICAL else site_name
    return name, text.format(site_name=shown)


@cache
def init_profile(engine: str = MKDOCS) -> SiteProfile:
    """The profile of a site `init` made: how a site without a configuration file is
    judged (as `init` would configure it)."""
    name, text = engine_config_text(engine, "Interview Prep")
    return profile_of_text(name, engine, text)
