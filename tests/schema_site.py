"""A hand-written MkDocs site with a schema of its own, and that schema twice: stated in a
template's copier.yml (for `adopt`), and as a validator written without guidewright (what
the site's maintainer runs), for tests/test_adopt_schema.py.

The site: 150 pages in five folders, each with a short title in `nav` (a few too short
for the schema, a few pages not in nav), a long H1, a first paragraph of several
sentences (abbreviations, links and emphasis in it), hand-written `tags` from a closed
list that keeps capitals, and some [bracketed] prose; last committed a year ago.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import yaml
from support import REPO, isolated_env

PAGES = 150
FOLDERS = ("system-design", "coding", "behavioral", "fundamentals", "tutorials")
FOLDER_TAGS = {
    "system-design": "System-Design",
    "coding": "Coding",
    "behavioral": "Behavioral",
    "fundamentals": "Fundamentals",
    "tutorials": "Hands-On",
}
CLOSED_TAGS = ("L6", "L7", *FOLDER_TAGS.values())
SUBJECTS = (
    "Cache Invalidation",
    "Rate Limiting",
    "Leader Election",
    "Sharding",
    "Message Queues",
    "Consistent Hashing",
    "Stakeholder Updates",
    "Hiring Loops",
)
NOT_IN_NAV = {7, 32, 57, 82, 107, 132}
LONG_H1_ONLY = {32, 107}  # not in nav, and an H1 over 60 characters: no title fits
SHORT_NAV = {11, 41, 71, 101, 131}  # a nav title under 10 characters, an H1 that fits
YEAR_AGO = "2025-11-20T10:00:00+00:00"
MKDOCS_HEAD = """\
site_name: Interview Handbook
theme:
  name: material
plugins:
  - search
"""


def relpath(number: int) -> str:
    return f"{FOLDERS[number % len(FOLDERS)]}/topic-{number:03}.md"


def nav_title(number: int) -> str | None:
    if number in NOT_IN_NAV:
        return None
    subject = SUBJECTS[number % len(SUBJECTS)]
    return f"Q {number}" if number in SHORT_NAV else f"{subject} {number}"


def heading(number: int) -> str:
    subject = SUBJECTS[number % len(SUBJECTS)]
    if number in NOT_IN_NAV - LONG_H1_ONLY or number in SHORT_NAV:
        return f"{subject} {number} in Practice"
    return f"{subject} {number}: A Complete Walkthrough of Trade-offs, Pitfalls and Answers"


def paragraph(number: int) -> str:
    """The first paragraph: several sentences, over 160 characters in all."""
    subject = SUBJECTS[number % len(SUBJECTS)]
    kind = number % 4
    if kind == 0:  # an abbreviation inside the first sentence
        return (
            f"{subject} decides how a service behaves under load, e.g. when a cache is cold "
            f"on a Monday.\nIt comes up in most design rounds. Interviewers ask managers to "
            f"weigh cost against latency and to say who owns the failure."
        )
    if kind == 1:  # initials that end no sentence
        return (
            f"{subject} at U.S. scale is a trade-off that every team meets sooner or later. "
            "The rest of the page walks through the choices, one by one, with the numbers."
        )
    if kind == 2:  # links and emphasis, to be read as plain text
        return (
            f"**{subject}** keeps [services](../index.md) responsive when traffic spikes. "
            f"Page {number} explains the knobs, the defaults and what breaks first. "
            "Each section ends with a question an interviewer might ask you."
        )
    return (  # a question first
        f"Why does {subject} matter to a manager? Because the outage reviews keep naming it, "
        "and the interviewers read them too. This page collects the stories worth telling."
    )


def page_text(number: int) -> str:
    folder = FOLDERS[number % len(FOLDERS)]
    level = "L7" if number % 3 == 0 else "L6"
    front = f"---\ntags: [{level}, {FOLDER_TAGS[folder]}]\n---\n"
    brackets = "\nAnswer with [your own example] and [a number].\n" if number % 4 == 0 else ""
    return (
        f"{front}# {heading(number)}\n\n{paragraph(number)}\n\n## Details\n\n"
        f"Words about the subject and its trade-offs.\n{brackets}"
    )


def make_site(root: Path, home: Path) -> None:
    """The site in `root`, committed a year ago in a repository of its own."""
    docs = root / "docs"
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("# Interview Handbook\n\nStart here.\n")
    nav = ["nav:", "  - Home: index.md"]
    for number in range(PAGES):
        path = docs / relpath(number)
        path.parent.mkdir(exist_ok=True)
        path.write_text(page_text(number))
        title = nav_title(number)
        if title is not None:
            nav.append(f"  - {json_string(title)}: {relpath(number)}")
    (root / "mkdocs.yml").write_text(MKDOCS_HEAD + "\n".join(nav) + "\n")
    dated = isolated_env(home, GIT_AUTHOR_DATE=YEAR_AGO, GIT_COMMITTER_DATE=YEAR_AGO)
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "hand-written"]):
        subprocess.run(["git", *args], cwd=root, env=dated, check=True)


def json_string(text: str) -> str:
    return '"' + text.replace('"', '\\"') + '"'


def json_list(items: tuple[str, ...]) -> str:
    return "[" + ", ".join(json_string(item) for item in items) + "]"


# The schema as the template states it: Jinja validators Copier and guidewright both run.
TITLE_RULE = "{% if not (10 <= title | length <= 60) %}must be 10 to 60 characters{% endif %}"
SUMMARY_RULE = (
    "{% if not (20 <= summary | length <= 160) %}must be 20 to 160 characters"
    '{% elif summary[-1] not in ".!?" %}must end a sentence'
    "{% elif summary | regex_search('[.!?][)\"\\']* +[A-Z0-9]') %}must be one sentence"
    "{% endif %}"
)
TAGS_RULE = (
    "{% set allowed = " + json_list(CLOSED_TAGS) + " %}"
    "{% if tags is string or tags is not sequence or not (2 <= tags | length <= 6) %}"
    "must be 2 to 6 tags"
    '{% elif tags | reject("in", allowed) | list %}'
    '{{ (tags | reject("in", allowed) | list)[0] }} is not one of: {{ allowed | join(", ") }}'
    "{% endif %}"
)


def make_strict_template(root: Path, home: Path) -> Path:
    """The shipped template with the site's schema stated in its copier.yml, as a git
    repository with one tagged version."""
    template = root / "strict-template"
    template.mkdir()
    shutil.copytree(REPO / "template", template / "template")
    config = yaml.safe_load((REPO / "copier.yml").read_text("utf-8"))
    config["title"]["validator"] = TITLE_RULE
    config["summary"]["validator"] = SUMMARY_RULE
    config["tags"]["validator"] = TAGS_RULE
    block = config["_guidewright"]
    del block["normalise"]["tags"]  # the site's taxonomy keeps its capitals
    block["infer"]["title"] = ["nav-title", "first-heading"]
    block["infer"]["summary"] = ["first-sentence", "first-sentences"]
    (template / "copier.yml").write_text(yaml.safe_dump(config, sort_keys=False), "utf-8")
    env = isolated_env(home)
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "v1"]):
        subprocess.run(["git", *args], cwd=template, env=env, check=True)
    subprocess.run(["git", "tag", "v1"], cwd=template, env=env, check=True)
    return template


# ---- the site's own validator: written without guidewright ------------------------------

_FRONTMATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)
_ONE_SENTENCE = re.compile(r"[.!?][)\"']* +[A-Z0-9]")
STATUSES = ("draft", "review_needed", "published", "archived")


def plain_paragraph(number: int) -> str:
    """The page's first paragraph as a reader sees it: one line, no markup."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", paragraph(number))
    return " ".join(text.replace("**", "").split())


def schema_problems(number: int, page: str, today: dt.date) -> list[str]:
    """What the site's schema finds wrong with the page (nothing: it passes)."""
    found = _FRONTMATTER.match(page)
    if not found:
        return ["no frontmatter"]
    data: dict[str, Any] = yaml.safe_load(found.group(1)) or {}
    problems = []
    title, summary, tags = data.get("title"), data.get("summary"), data.get("tags")
    if not isinstance(title, str) or not 10 <= len(title) <= 60:
        problems.append(f"title: {title!r}: 10 to 60 characters")
    elif title not in (nav_title(number), heading(number)):
        problems.append(f"title: {title!r} is neither the nav title nor the H1")
    if not isinstance(summary, str) or not 20 <= len(summary) <= 160:
        problems.append(f"summary: {summary!r}: 20 to 160 characters")
    elif summary[-1] not in ".!?" or _ONE_SENTENCE.search(summary):
        problems.append(f"summary: {summary!r}: one clear sentence")
    elif not plain_paragraph(number).startswith(summary):
        problems.append(f"summary: {summary!r}: not the page's own words")
    if not isinstance(tags, list) or not 2 <= len(tags) <= 6:
        problems.append(f"tags: {tags!r}: 2 to 6")
    elif any(tag not in CLOSED_TAGS for tag in tags):
        problems.append(f"tags: {tags!r}: only {', '.join(CLOSED_TAGS)}")
    if data.get("status") not in STATUSES:
        problems.append(f"status: {data.get('status')!r}")
    review = data.get("review_date")
    if not isinstance(review, str) or dt.date.fromisoformat(review) < today:
        problems.append(f"review_date: {review!r}: due already")
    for key in ("title", "summary"):
        value = data.get(key)
        if isinstance(value, str) and ("…" in value or "..." in value):
            problems.append(f"{key}: {value!r}: an ellipsis the author did not write")
    return problems
