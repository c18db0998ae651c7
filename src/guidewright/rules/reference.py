"""The rules reference page, rendered from the registry: what the docs site publishes (its
build calls `rules_markdown`) and what a newcomer's rule appears in with no other edit."""

from __future__ import annotations

from guidewright.rules.registry import REGISTRY, Registry
from guidewright.rules.rule import PageDetector, Rule, SiteDetector

INTRODUCTION = """\
# Rules

Every finding of `guidewright check`, and every diagnostic the editor shows through
`guidewright lsp`, names the rule it breaks. This page is made from guidewright's rule
registry (`src/guidewright/rules/registry.py`); `guidewright check --rules` lists the
same rules in a terminal.

- `--ignore CODE` (repeatable) turns a rule off for one run; the site's
  `.guidewright/config.yml` turns it off for good: `check: {ignore: [CODE]}`. A rule
  turned off is neither shown, counted nor decides the exit code.
- `--strict` makes every warning an error.
- An optional rule is off unless selected: `--select CODE` for one run, `check: {select:
  [CODE]}` in the site's configuration for good.
- `check --fix` applies the fix of every fixable rule; the editor offers the same fix as
  a quick fix.
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _anchor(rule: Rule) -> str:
    """The id MkDocs' toc gives the rule's heading ("GW201 broken-link")."""
    return f"{rule.code.lower()}-{rule.name}"


def _looks_at(rule: Rule) -> str:
    if isinstance(rule.detector, PageDetector):
        return rule.detector.reads.value
    if isinstance(rule.detector, SiteDetector):
        return (
            "pages with guidewright frontmatter, against what only the whole site knows "
            "(the tags in use, which pages have recorded answers) and the day"
        )
    return "`check` itself, as it reads pages, answers files and template versions"


def _section(rule: Rule) -> str:
    fixable = "yes: `check --fix`, and the editor's quick fix" if rule.fix else "no"
    return "\n".join(
        [
            f"## {rule.code} {rule.name}",
            "",
            f"{rule.summary[:1].upper()}{rule.summary[1:]}.",
            "",
            f"- Severity: {rule.severity}",
            f"- Family: {rule.family}",
            f"- Looks at: {_looks_at(rule)}",
            f"- Fixable: {fixable}",
            *(["- Optional: off unless selected (`check --select CODE`)"] if rule.optional else []),
            "",
            f"**Why.** {rule.why}",
            "",
            "**Example.**",
            "",
            rule.example,
            "",
        ]
    )


def rules_markdown(registry: Registry = REGISTRY) -> str:
    """The rules reference as one Markdown page: a table of every rule, then a section
    per rule (code, name, severity, summary, why, example, whether it is fixable)."""
    table = [
        "| Code | Name | Severity | Fixable | Summary |",
        "| --- | --- | --- | --- | --- |",
    ]
    for rule in registry:
        table.append(
            f"| [{rule.code}](#{_anchor(rule)}) | {rule.name} | {rule.severity} | "
            f"{'yes' if rule.fix else 'no'} | {_cell(rule.summary)} |"
        )
    sections = [_section(rule) for rule in registry]
    return "\n".join([INTRODUCTION, *table, "", *sections]).rstrip("\n") + "\n"
