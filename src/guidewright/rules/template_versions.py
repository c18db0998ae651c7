"""Rules of the template version a page records: an older version, or one that cannot be
read (GW503), and one the current guidewright refuses (GW506).

`check` reports them itself as it chooses each page's judge: the questionnaire of the
version the page records (check/recorded_versions.py), else the current one
(check/site_check.py's `judges_for`).
"""

from __future__ import annotations

from guidewright.rules.problems import ERROR, WARNING, Problem
from guidewright.rules.rule import Rule

FAMILY = "template versions"

OLDER_VERSION = Rule(
    code="GW503",
    name="older-template-version",
    severity=WARNING,
    summary="a document made with an older template version, or one that cannot be read",
    why=(
        "A page is judged by the questions of the template version it was made with, so a "
        "template that adds a required question does not turn every page into an error; "
        "`guidewright update` brings it to the newest. A version that cannot be read "
        "(offline, a tag gone) leaves the page judged by the current template. A page "
        "recording another template than the site's is told how to move to it."
    ),
    example=(
        "```text\ndocs/guides/caching.md:1: GW503 template: warning: made with template "
        "version v1.2.0; the newest is v1.3.0: run `guidewright update`\n```"
    ),
    family=FAMILY,
)

REFUSED_VERSION = Rule(
    code="GW506",
    name="refused-template-version",
    severity=ERROR,
    summary="a document whose recorded template version is refused (a setting leaves the "
    "template): judged by the current template",
    why=(
        "guidewright reads no template version whose settings reach outside it (a link "
        "out of its folder, say). The page is judged by the current template instead, "
        "which may not be the questions it was made with; `update` refuses that version "
        "too."
    ),
    example=(
        "```text\ndocs/guides/caching.md:1: GW506 template: template version v0.9.0 of "
        "https://example.com/template.git is refused: ...\n```"
    ),
    family=FAMILY,
)


def older_version(document: str, message: str) -> Problem:
    """GW503 on a document, saying which version it records and what to do."""
    return OLDER_VERSION.problem(document, 1, "template", message)
