"""The rule registry: a rule added as one value and one registry row reaches every consumer
with no other edit. A toy rule in a temporary registry is seen by the rules reference,
`check --ignore` and `--rules`, SARIF's rule metadata and results, `check --fix` and the
language server's diagnostics and quick fixes, all in this process."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from lsprotocol import types
from support import commit_all, make_site
from typer.testing import CliRunner

from guidewright.check.page_check import check_page
from guidewright.cli import app
from guidewright.core.errors import InvalidInput
from guidewright.lsp.actions import code_actions
from guidewright.lsp.live_site import LiveSite, open_live_site
from guidewright.lsp.server import GuidewrightServer
from guidewright.lsp.sites import Sites
from guidewright.markdown.markdown_profile import MarkdownProfile
from guidewright.rules import links
from guidewright.rules.page import PageRef, PageUnderCheck, SiteIndex
from guidewright.rules.problems import ERROR, Problem
from guidewright.rules.reference import rules_markdown
from guidewright.rules.registry import REGISTRY, Named, Registry
from guidewright.rules.rule import Fix, FixedText, PageDetector, Reads, Rule
from guidewright.site.site import load_site
from guidewright.template.questionnaire import load_questionnaire
from guidewright.template.source import bundled_template

TODO_LINE = re.compile(r"^TODO\b", re.MULTILINE)


def todo_problems(page: PageUnderCheck) -> list[Problem]:
    """The toy rule's detector: a line starting `TODO` in any page."""
    return [
        TODO_LEFT.problem(
            page.page.shown,
            page.text.count("\n", 0, found.start()) + 1,
            "todo",
            "a TODO left in the page",
        )
        for found in TODO_LINE.finditer(page.text)
    ]


def fix_todos(text: str, markdown: MarkdownProfile) -> FixedText:
    fixed, count = TODO_LINE.subn("Still to write", text)
    return FixedText(fixed, count, 0)


TODO_LEFT = Rule(
    code="GW901",
    name="todo-left",
    severity=ERROR,
    summary="a TODO left in a page",
    why="A reader cannot act on the author's note to self.",
    example="```markdown\nTODO: the eviction policies\n```",
    family="toy",
    detector=PageDetector(Reads.TEXT, todo_problems),
    fix=Fix(fix_todos, unit="todo", title="write the TODO out"),
)
TOY = REGISTRY.with_rules(TODO_LEFT)
PAGE = "docs/practice/notes.md"
TEXT = "# Notes\n\nTODO: the eviction policies\n"


@pytest.fixture
def toy_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    site = make_site(tmp_path / "site")
    (site / PAGE).write_text(TEXT, "utf-8")
    monkeypatch.chdir(site)
    return site


def invoke(registry: Registry | None, *args: str) -> tuple[int, str]:
    """`guidewright check ARGS` in this process, with `registry` as its rules."""
    result = CliRunner().invoke(app, ["check", *args], obj=registry, catch_exceptions=False)
    return result.exit_code, result.output


def test_the_reference_has_a_section_for_the_toy_rule() -> None:
    page = rules_markdown(TOY)
    assert "| [GW901](#gw901-todo-left) | todo-left | error | yes | a TODO left in a page |" in page
    section = page[page.index("## GW901 todo-left") :]
    for told in (
        "A TODO left in a page.",
        "- Severity: error",
        "- Family: toy",
        "- Fixable: yes",
        TODO_LEFT.why,
        TODO_LEFT.example,
    ):
        assert told in section
    assert "GW901" not in rules_markdown()  # the registry itself has no such rule


def test_ignore_accepts_the_toy_rule_and_turns_it_off(toy_site: Path) -> None:
    status, output = invoke(TOY)
    assert status == 1
    assert f"{PAGE}:3: GW901 todo: a TODO left in the page" in output.splitlines()
    status, output = invoke(TOY, "--ignore", "gw901")
    assert status == 0 and "GW901" not in output
    # The same rule turned off for good in the site's configuration.
    config = toy_site / ".guidewright" / "config.yml"
    config.parent.mkdir(exist_ok=True)
    config.write_text("check:\n  ignore: [GW901]\n", "utf-8")
    assert invoke(TOY)[0] == 0
    # The registry itself knows no GW901: the same flag is bad input, naming the rules.
    config.unlink()
    status, output = invoke(None, "--ignore", "GW901")
    assert status == 2 and "error: --ignore: no rule GW901 (rules: GW001, GW002," in output


def test_check_rules_lists_the_toy_rule() -> None:
    status, output = invoke(TOY, "--rules")
    assert status == 0
    listed = output.splitlines()
    assert [line.split()[0] for line in listed] == [*REGISTRY.codes, "GW901"]
    assert listed[-1].split(None, 4) == [
        "GW901",
        "todo-left",
        "error",
        "fix",
        "a TODO left in a page",
    ]


def test_sarif_describes_the_toy_rule_and_places_its_finding(toy_site: Path) -> None:
    status, output = invoke(TOY, "--format", "sarif")
    run = json.loads(output)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == [*REGISTRY.codes, "GW901"]
    described = rules[-1]
    assert described["name"] == "todo-left"
    assert described["shortDescription"] == {"text": "a TODO left in a page"}
    assert described["fullDescription"]["text"] == f"A TODO left in a page. {TODO_LEFT.why}"
    assert described["defaultConfiguration"] == {"level": "error"}
    assert "--ignore GW901" in described["help"]["text"]
    assert TODO_LEFT.example in described["help"]["markdown"]
    found = [result for result in run["results"] if result["ruleId"] == "GW901"]
    assert len(found) == 1 and rules[found[0]["ruleIndex"]]["id"] == "GW901"
    place = found[0]["locations"][0]["physicalLocation"]
    assert place["artifactLocation"]["uri"] == PAGE and place["region"] == {"startLine": 3}
    assert status == 1


def test_check_fix_applies_the_toy_rules_fix(toy_site: Path, home: Path) -> None:
    commit_all(toy_site, home, "the site", init=True)  # --fix writes only what git holds
    status, output = invoke(TOY, "--fix", "--pretend")
    assert "+Still to write: the eviction policies" in output
    assert "would fix 1 todo in 1 page (GW901)" in output.splitlines()
    assert "would fix 0 lists in 0 pages (GW601)" in output.splitlines()
    assert status == 1 and (toy_site / PAGE).read_text("utf-8") == TEXT  # nothing written
    status, output = invoke(TOY, "--fix")
    assert "fixed 1 todo in 1 page (GW901)" in output.splitlines()
    assert status == 0 and "GW901 todo" not in output  # fixed before the check
    assert (toy_site / PAGE).read_text("utf-8") == TEXT.replace("TODO", "Still to write")


@pytest.fixture
def live(toy_site: Path) -> Iterator[LiveSite]:
    opened = open_live_site(load_site(toy_site))
    yield opened
    opened.close()


def _server(live: LiveSite, registry: Registry) -> GuidewrightServer:
    """A server as a client's `initialize` leaves it, the page open in its workspace."""
    sites = Sites(opener=lambda site, template: live)
    sites.add(live.site)
    server = GuidewrightServer(sites, registry)
    root = live.site.root.resolve()
    params = types.InitializeParams(capabilities=types.ClientCapabilities(), root_uri=root.as_uri())
    next(server.protocol.lsp_initialize(params), None)
    document = types.TextDocumentItem((root / PAGE).as_uri(), "markdown", 1, TEXT)
    server.workspace.put_text_document(document)
    return server


def test_the_language_server_reports_the_toy_rule_and_offers_its_fix(live: LiveSite) -> None:
    uri = (live.site.root.resolve() / PAGE).as_uri()
    server = _server(live, TOY)
    diagnostics = server.diagnostics(uri, TEXT)
    toy = [d for d in diagnostics if d.code == "GW901"]
    assert [(d.range.start.line, d.message, d.severity) for d in toy] == [
        (2, "todo: a TODO left in the page", types.DiagnosticSeverity.Error)
    ]
    whole = types.Range(types.Position(0, 0), types.Position(3, 0))
    actions = code_actions(server, uri, whole)
    fixes = [a for a in actions if a.title == "write the TODO out (GW901)"]
    assert len(fixes) == 1 and fixes[0].diagnostics == toy
    assert fixes[0].edit is not None and fixes[0].edit.changes is not None
    [edit] = fixes[0].edit.changes[uri]
    assert edit.new_text == "Still to write: the eviction policies\n"  # the line it changes
    assert (edit.range.start, edit.range.end) == (types.Position(2, 0), types.Position(3, 0))
    # The registry itself runs no such rule.
    assert not [d for d in _server(live, REGISTRY).diagnostics(uri, TEXT) if d.code == "GW901"]


def test_a_page_rule_runs_on_the_pages_its_reading_reaches() -> None:
    """A text rule reads every page, a frontmatter whose YAML fails included; a body rule
    every page whose frontmatter parses; a frontmatter rule only guidewright's pages."""
    questionnaire = load_questionnaire(bundled_template())
    index = SiteIndex(frozenset(), frozenset(), lambda target: None)
    seen: list[tuple[Reads, str]] = []

    def rule(code: str, reads: Reads) -> Rule:
        def detect(page: PageUnderCheck) -> list[Problem]:
            seen.append((reads, page.page.shown))
            return []

        return Rule(
            code, f"toy-{code[2:]}", ERROR, "toy", "toy", "toy", "toy", PageDetector(reads, detect)
        )

    registry = Registry(
        [rule("GW901", Reads.TEXT), rule("GW902", Reads.BODY), rule("GW903", Reads.FRONTMATTER)]
    )
    pages = {
        "broken": "---\ntitle: [\n---\n",
        "plain": "# Plain\n",
        "ours": '---\ncontent_type: "guide"\n---\n# Ours\n',
    }
    for shown, text in pages.items():
        check_page(PageRef(shown, shown), text, index, questionnaire, registry)
    assert seen == [
        (Reads.TEXT, "broken"),
        (Reads.TEXT, "plain"),
        (Reads.BODY, "plain"),
        (Reads.TEXT, "ours"),
        (Reads.BODY, "ours"),
        (Reads.FRONTMATTER, "ours"),
    ]


def test_a_registry_holds_each_code_and_name_once_and_judges_ignored_codes() -> None:
    with pytest.raises(ValueError, match="each rule code and name once"):
        REGISTRY.with_rules(TODO_LEFT, TODO_LEFT)
    with pytest.raises(ValueError, match="kebab-case"):
        Rule("GW9", "Todo Left", ERROR, "s", "w", "e", "toy")
    assert TOY.ignored(["gw901", "GW104"], "--ignore") == {"GW901", "GW104"}
    with pytest.raises(InvalidInput, match=r"^check: ignore: no rule GW999 \(rules: GW001, "):
        TOY.ignored(["GW999"], "check: ignore")
    assert TOY.get("GW901") is TODO_LEFT and REGISTRY.get("GW901") is None
    assert REGISTRY.get(901) is None  # an editor's diagnostic code may be a number


def test_a_named_row_is_the_page_rule_it_names() -> None:
    """The registry names the page rules' families (imported where a page is judged): each
    row must be the rule it names, a page rule, not optional; anything else fails where
    the family is imported, and a name taken twice is found then."""
    rules = REGISTRY.rules
    assert [rule.code for rule in rules] == list(REGISTRY.codes)
    assert Registry(rules).codes == REGISTRY.codes
    assert REGISTRY.get("GW201") is links.BROKEN_LINK
    for wrong in (
        Named("GW202", "links", "BROKEN_LINK"),  # another code
        Named("GW402", "tags", "LONE_TAG"),  # a site rule: the registry needs it at once
        Named("GW206", "prerequisites", "UNLINKED_PAGE"),  # optional
    ):
        named = Registry([wrong])
        assert wrong.code in named  # its code known without the import
        with pytest.raises(ValueError, match="not a page rule of that code there"):
            named.get(wrong.code)
    taken = Registry(
        [Named("GW201", "links", "BROKEN_LINK"), replace(TODO_LEFT, name="broken-link")]
    )
    with pytest.raises(ValueError, match="each rule code and name once"):
        list(taken)


def test_every_rule_of_the_registry_is_described_whole() -> None:
    """What the reference, SARIF and `--rules` show: no rule without its words."""
    for rule in REGISTRY:
        assert rule.summary and rule.summary[0].islower() and not rule.summary.endswith(".")
        assert rule.why.endswith(".") and rule.example and rule.family
    assert list(REGISTRY.codes) == sorted(REGISTRY.codes)
