"""The site report (site_ops/report.py) as a Markdown page the site's own theme renders
(its charts and graph as Mermaid diagrams, which Material draws from a `mermaid` fence),
or as one standalone HTML file (the same Markdown made HTML by Python-Markdown, Mermaid
loaded from its CDN to draw the diagrams)."""

from __future__ import annotations

import html
import os
import posixpath
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

import markdown

from guidewright.core.atomic import ABSENT, read_seen
from guidewright.core.bounded_read import PAGE_BYTES
from guidewright.core.errors import InvalidInput, OperationFailed
from guidewright.site.profile import SiteProfile
from guidewright.site.site import Site
from guidewright.site.write_session import Target, WriteSession, Written
from guidewright.site_ops.report import SiteReport

SHOWN_ROWS = 50  # a table's rows; the JSON lists every one
SHOWN_TAGS = 30
GRAPH_EDGES = 200  # a graph larger than this is left to the JSON: unreadable drawn
MERMAID = "https://cdn.jsdelivr.net/npm/mermaid@11/dist/mermaid.esm.min.mjs"

Link = Callable[[str], str]  # a page's path in the docs folder, as the report shows it


def page_links(report_in_docs: str) -> Link:
    """Pages as Markdown links relative to the report page at `report_in_docs`."""
    folder = posixpath.dirname(report_in_docs)

    def link(page: str) -> str:
        return f"[{_cell(page)}]({posixpath.relpath(page, folder or '.')})"

    return link


def plain_names(page: str) -> str:
    return f"`{page}`"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _label(text: str) -> str:
    """A Mermaid label in double quotes."""
    return '"' + text.replace('"', "#quot;") + '"'


def _table(head: list[str], rows: Iterable[list[str]], total: int) -> list[str]:
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    shown = 0
    for row in rows:
        if shown == SHOWN_ROWS:
            break
        lines.append("| " + " | ".join(row) + " |")
        shown += 1
    if total > shown:
        lines += ["", f"And {total - shown} more (`guidewright report --format json` lists all)."]
    return [*lines, ""]


def _pie(title: str, counts: Counter[str] | dict[str, int]) -> list[str]:
    shown = [(name, count) for name, count in counts.items() if count > 0]
    if not shown:
        return []
    slices = [f"    {_label(name)} : {count}" for name, count in shown]
    return ["```mermaid", f"pie title {title}", *slices, "```", ""]


def report_markdown(report: SiteReport, link: Link = plain_names) -> str:
    """The report as one Markdown page (`link`: how a page is named: a link, or its path)."""
    out = [
        "---",
        "title: Site report",
        "---",
        "",
        "# Site report",
        "",
        f"Made by `guidewright report` on {report.today.isoformat()} from `guidewright "
        f"check`'s findings: {report.checked} documents checked, {report.errors} errors, "
        f"{report.warnings} warnings.",
        "",
    ]
    out += _reviews(report, link) + _behind(report, link) + _sections(report)
    out += _tags(report) + _graph(report, link)
    return "\n".join(out)


def _reviews(report: SiteReport, link: Link) -> list[str]:
    owners = report.by_owner()
    out = [
        "## Reviews",
        "",
        f"{len(report.overdue)} overdue (`check`'s GW401), {len(report.soon)} due within "
        f"{report.soon_days} days.",
        "",
    ]
    if not owners:
        return out
    out += _pie("Overdue reviews by owner", {o: c["overdue"] for o, c in owners.items()})
    rows = [[_cell(o), str(c["overdue"]), str(c["soon"])] for o, c in owners.items()]
    out += _table(["Owner", "Overdue", f"Due within {report.soon_days} days"], rows, len(rows))
    for title, reviews in (("Overdue", report.overdue), ("Due soon", report.soon)):
        if reviews:
            out += [f"### {title}", ""]
            rows = [[link(r.page), _cell(r.owner), r.due] for r in reviews]
            out += _table(["Page", "Owner", "Review date"], rows, len(rows))
    return out


def _behind(report: SiteReport, link: Link) -> list[str]:
    newest = f" (newest: `{report.newest}`)" if report.newest else ""
    out = [
        "## Behind the template",
        "",
        f"{len(report.behind)} pages made with an older template version{newest} "
        "(`check`'s GW503; `guidewright update` brings them up).",
        "",
    ]
    if report.behind:
        counts = Counter(
            "not counted" if b.releases_behind is None else f"{b.releases_behind} behind"
            for b in report.behind
        )
        out += _pie("Pages by releases behind", dict(sorted(counts.items())))
        rows = [[link(b.page), f"`{b.recorded}`", _count(b.releases_behind)] for b in report.behind]
        out += _table(["Page", "Recorded version", "Releases behind"], rows, len(rows))
    return out


def _count(releases: int | None) -> str:
    return "?" if releases is None else str(releases)


def _sections(report: SiteReport) -> list[str]:
    sections = report.by_section()
    out = ["## Sections", ""]
    if not sections:
        return [*out, "No content pages yet.", ""]
    statuses = sorted({s for found in sections.values() for s in found["status"]})
    levels = sorted({d for found in sections.values() for d in found["difficulty"]})
    overall: Counter[str] = Counter()
    for found in sections.values():
        overall.update(found["status"])
    out += _pie("Pages by status", dict(sorted(overall.items())))
    head = ["Section", "Pages", *statuses, *levels]
    rows = [
        [
            _cell(name),
            str(found["pages"]),
            *(str(found["status"].get(s, 0)) for s in statuses),
            *(str(found["difficulty"].get(d, 0)) for d in levels),
        ]
        for name, found in sections.items()
    ]
    legend = f"Status ({', '.join(statuses)}), then difficulty ({', '.join(levels)})."
    return [*out, legend, "", *_table(head, rows, len(rows))]


def _tags(report: SiteReport) -> list[str]:
    out = ["## Tags", "", f"{len(report.tags)} tags.", ""]
    used = [t for t in report.tags if t.count]
    out += _pie("Most used tags", {t.tag: t.count for t in used[:10]})
    rows = [[_cell(t.tag), str(t.count), "yes" if t.listed else "no"] for t in report.tags]
    return out + _table(["Tag", "Pages", "In the site's tags"], rows[:SHOWN_TAGS], len(rows))


def _graph(report: SiteReport, link: Link) -> list[str]:
    out = [
        "## Prerequisite graph",
        "",
        f"{len(report.edges)} prerequisites between pages; {len(report.cycles)} cycles "
        "(`check`'s GW203).",
        "",
    ]
    out += [f"- {_cell(cycle)}" for cycle in report.cycles] + ([""] if report.cycles else [])
    if not report.edges:
        return out
    if len(report.edges) > GRAPH_EDGES:
        return [
            *out,
            f"The graph has more than {GRAPH_EDGES} edges: too many to draw; "
            "`guidewright report --format json` lists them, `guidewright path PAGE` gives "
            "one page's reading order.",
            "",
        ]
    ids: dict[str, str] = {}
    lines = ["```mermaid", "flowchart LR"]
    for page, needed in report.edges:
        for name in (needed, page):
            if name not in ids:
                ids[name] = f"p{len(ids)}"
                lines.append(f"    {ids[name]}[{_label(name)}]")
        lines.append(f"    {ids[needed]} --> {ids[page]}")
    return [*out, "An arrow leads from a page to one that needs it.", "", *lines, "```", ""]


def mermaid_note(profile: SiteProfile) -> str | None:
    """What the site's engine configuration lacks for Material to draw the diagrams (None:
    nothing): superfences' `mermaid` custom fence."""
    fences = profile.markdown.extension("pymdownx.superfences")
    custom = fences.option("custom_fences", ()) if fences is not None else ()
    named = {dict(fence).get("name") for fence in custom if isinstance(fence, tuple)}
    if "mermaid" in named:
        return None
    where = profile.config_file or "the site's engine configuration"
    return (
        f"note: {where} draws no Mermaid diagram yet (they show as code): give "
        "pymdownx.superfences the custom fence `- name: mermaid, class: mermaid, format: "
        "!!python/name:pymdownx.superfences.fence_code_format` (Material's diagrams page)"
    )


def report_html(report: SiteReport) -> str:
    """The report as one HTML file: its Markdown made HTML, Mermaid drawing the diagrams."""
    body = markdown.markdown(
        report_markdown(report).split("---\n", 2)[2],  # its frontmatter is the site's
        extensions=["tables", "pymdownx.superfences"],
        extension_configs={
            "pymdownx.superfences": {
                "custom_fences": [
                    {
                        "name": "mermaid",
                        "class": "mermaid",
                        "format": _mermaid_block,
                    }
                ]
            }
        },
    )
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        "<title>Site report</title>\n<style>body{font-family:system-ui,sans-serif;"
        "max-width:70rem;margin:2rem auto;padding:0 1rem}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:.2rem .5rem}</style>\n</head>\n<body>\n"
        f'{body}\n<script type="module">import mermaid from "{MERMAID}";'
        "mermaid.initialize({startOnLoad: true});</script>\n</body>\n</html>\n"
    )


def _mermaid_block(source: str, language: str, css_class: str, *args: object, **kw: object) -> str:
    return f'<pre class="mermaid">{html.escape(source)}</pre>'


def report_place(site: Site, output: Path | None, kind: str) -> str:
    """Where the report goes, from the site's root: `output` (a path from here, inside the
    site), else the default of `kind`: the Markdown page `<docs>/report/index.md` (an
    index, so no content page: `check` asks it for no frontmatter), the HTML file
    `site-report.html`."""
    if output is None:
        return (
            f"{site.docs_dir.rstrip('/')}/report/index.md"
            if kind == "markdown"
            else ("site-report.html")
        )
    target = Path(os.path.abspath(output))
    root = site.root.resolve()
    if not target.is_relative_to(root) or target == root:
        raise InvalidInput(f"--output: {output} is outside the site {site.root}")
    return target.relative_to(root).as_posix()


def save_report(site: Site, relpath: str, content: str) -> bool:
    """Write the report at `relpath` in the site's write session (its lock; the file
    replaced only while it is what was read). A generated file: no clean-git check, as
    each run makes it again. False: it already held this."""
    new = content.encode("utf-8")
    with WriteSession(site, "report") as session:
        try:
            before, seen = read_seen(site.root / relpath, PAGE_BYTES)
        except FileNotFoundError:
            before, seen = b"", ABSENT
        except OSError as error:
            raise OperationFailed(f"{relpath}: cannot read: {error.strerror or error}") from None
        if seen is not ABSENT and before == new:
            return False
        result = session.write_one(Target(relpath, seen, new))
    if result.status is not Written.WRITTEN:
        raise OperationFailed(f"could not save {result.message}")
    return True
