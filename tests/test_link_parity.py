"""`check` finds the broken links `mkdocs build --strict` warns about, no more and no fewer.

A site made by `init` gets pages with every kind of link that has fooled a regular
expression (encoded spaces, code in a block quote, indented code, reference links,
admonitions) or that MkDocs alone caught (links leaving the docs folder, missing anchors,
folders); then MkDocs' warnings and our GW201 findings are compared as (page, link) pairs.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from support import isolated_env, run_cli

pytestmark = pytest.mark.differential

PAGES = {
    "docs/links/cases.md": """\
# Link cases

## Known heading

- [a page](../fundamentals/index.md) and [with an anchor](../fundamentals/index.md#fundamentals)
- [a missing page](missing.md)
- [an encoded space](my%20page.md) and [an encoded missing one](no%20such.md)
- [a reference][ref] and [a broken reference][gone]
- [outside the docs folder](../../README.md)
- [a missing anchor](other.md#no-such-heading) and [a present one](other.md#second-part)
- [on this page](#known-heading) and [not on this page](#unknown-heading)
- [a folder](../fundamentals/)
- ![a missing image](images/none.png) and ![an image](images/here.png)
- [external](https://example.com/page.md) and [absolute](/fundamentals/index.md)
- an e-mail autolink <someone@example.com> and a web one <https://example.com/x.md>
- [non-ASCII, missing](café-missing.md) and [in angle brackets](<my page.md>)
- 🎉 Café: [after emoji](emoji-missing.md)
- [a class, not an id](other.md#classy) and [its text with the class](other.md#classy-wide)
- [an image's alt text is not in the id](other.md#logo-part)
- [an own id taken first](other.md#shared_1) and [one too many](other.md#shared_2)

After a paragraph, an indented line is code:

    [indented code](indented-missing.md)

> ```
> [fenced in a quote](quoted-missing.md)
> ```

`[inline code](inline-missing.md)`

!!! note "An admonition"

    [inside the admonition](admonition-missing.md) and [fine](other.md)

!!! tip "A title is Markdown: [a title link](title-missing.md), [a reference][ref]"

    Text.

??? note "A [collapsible title's link](details-title-missing.md)"

    Text.

<a href="raw-html-missing.md">raw HTML is not checked by MkDocs</a>

[ref]: other.md
[gone]: gone.md#top
""",
    "docs/links/other.md": """\
# Other

## Second part

## The `code` and **bold** part

## Repeated

## Repeated

## Own id {#own-id}

## Classy {.wide}

## Logo ![logo](images/here.png) part

## Shared

## Taken {#shared}

<span id="raw-id">raw</span>

[s](#second-part) [c](#the-code-and-bold-part) [r](#repeated_1) [o](#own-id) [h](#raw-id)
[no](#repeated_2) [no2](#own-id-x)
""",
    "docs/links/my page.md": "# My page\n",
    "docs/links/images/here.png": "not really a picture\n",
    "README.md": "# Outside the docs folder\n",
}

MKDOCS_WARNING = re.compile(
    r"Doc file '([^']+)' contains (?:a link|an unrecognized relative link) '([^']+)'"
)


def test_broken_links_are_those_mkdocs_reports(tmp_path: Path) -> None:
    home = tmp_path / "home"
    site = tmp_path / "site"
    assert run_cli("init", str(site), "--no-git", cwd=tmp_path, home=home).returncode == 0
    for relpath, text in PAGES.items():
        (site / relpath).parent.mkdir(parents=True, exist_ok=True)
        (site / relpath).write_text(text, "utf-8")
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(site / "mkdocs.yml")],
        capture_output=True,
        text=True,
        env=isolated_env(home, NO_MKDOCS_2_WARNING="1"),
        timeout=300,
    )
    assert built.returncode == 1  # strict: the broken links fail the build
    theirs = {(f"docs/{page}", link) for page, link in MKDOCS_WARNING.findall(built.stderr)}
    checked = run_cli("check", "--format", "json", cwd=site, home=home)
    problems = json.loads(checked.stdout)["problems"]
    ours = {(p["path"], p["message"].split(" ", 1)[0]) for p in problems if p["code"] == "GW201"}
    assert ours == theirs, built.stderr
    # Every kind of case is in the comparison (the test must be able to fail).
    assert {link for _, link in theirs} == {
        "missing.md",
        "no%20such.md",
        "gone.md#top",
        "../../README.md",
        "other.md#no-such-heading",
        "#unknown-heading",
        "../fundamentals/",
        "images/none.png",
        "admonition-missing.md",
        "#repeated_2",
        "#own-id-x",
        "café-missing.md",
        "emoji-missing.md",
        "other.md#classy-wide",
        "other.md#shared_2",
        "title-missing.md",
        "details-title-missing.md",
    }
    columns = {p["message"].split(" ", 1)[0]: (p["line"], p["column"]) for p in problems}
    assert columns["missing.md"] == (6, 3)  # the page has no frontmatter: line 6 of the file
    assert columns["emoji-missing.md"] == (17, 11)  # in characters, after an emoji and an é
    assert columns["title-missing.md"] == (36, 31)  # in the admonition's title
