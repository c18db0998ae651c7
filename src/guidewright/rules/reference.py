"""The rules reference of guidewright's docs, rendered from the rules themselves.

The docs build (docs/hooks.py) calls `rules_markdown()`, so the page lists exactly the codes
`--ignore` accepts. Until the rule registry holds each rule's severity, the severities below
are the ones the detectors give their findings today; tests/test_docs.py reads every
`Problem(...)` the package builds and requires them to agree.
"""

from __future__ import annotations

from guidewright.rules.problems import ERROR, RULES, WARNING

# GW003 is no finding of its own without --strict: `check` lists such pages once, by count.
LISTED = "listed (an error with --strict)"

SEVERITIES: dict[str, str] = {
    "GW001": ERROR, "GW002": ERROR, "GW003": LISTED,
    "GW101": ERROR, "GW102": ERROR, "GW103": ERROR, "GW104": WARNING, "GW105": ERROR,
    "GW201": ERROR, "GW202": ERROR,
    "GW301": ERROR, "GW302": ERROR,
    "GW401": WARNING, "GW402": WARNING,
    "GW501": WARNING, "GW502": WARNING, "GW503": WARNING, "GW504": WARNING, "GW505": ERROR,
    "GW506": ERROR,
    "GW601": WARNING,
}  # fmt: skip

FAMILIES = {
    "GW0": "Reading the page",
    "GW1": "Frontmatter against the template's questions",
    "GW2": "Links",
    "GW3": "Text left to finish",
    "GW4": "Review and tags",
    "GW5": "Recorded answers and template versions",
    "GW6": "Rendering",
}

INTRODUCTION = """\
# Rules

Every finding of `guidewright check` (and of the language server) has a rule code. This page
is generated from the rules themselves when the docs are built.

An **error** fails the run (exit 1). A **warning** is shown and counted, and fails the run
only with `--strict`, which makes every finding an error.

Turn a rule off for one run with `--ignore CODE` (repeat it for more). Turn it off for good
in the site's `.guidewright/config.yml`:

```yaml
check:
  ignore: [GW104]
```

A rule turned off is not shown, not counted and does not decide the exit code.
"""


def _cell(text: str) -> str:
    """`text` safe inside a Markdown table cell."""
    return text.replace("|", "\\|")


def rules_markdown() -> str:
    """The rules reference page: every rule by family, with its severity and what it finds."""
    families: dict[str, list[str]] = {}
    for code in RULES:
        families.setdefault(FAMILIES.get(code[:3], "Other rules"), []).append(code)
    parts = [INTRODUCTION]
    for family, codes in families.items():
        parts.append(f"## {family}\n\n| code | severity | finds |\n| --- | --- | --- |")
        parts.extend(f"| {code} | {SEVERITIES[code]} | {_cell(RULES[code])} |" for code in codes)
        parts.append("")
    return "\n".join(parts)
