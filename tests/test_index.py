"""The site index `check` keeps between runs (check/site_index.py): findings with it are the
findings without it, after any edit, move, deletion, answers, template or configuration
change; an index that is corrupt, truncated or not ours is ignored; `--no-cache` neither
reads nor writes it."""

from __future__ import annotations

import array
import base64
import datetime as dt
import hashlib
import hmac
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jinja2 import DictLoader
from support import GUIDE_ARGS, ONE_RUN, TUTORIAL_ARGS, files_flushed, make_site, run_cli

from guidewright.check import kept_questionnaire, site_check, site_index
from guidewright.check.site_check import CheckReport, check_site
from guidewright.copier_compat import expression_reads
from guidewright.copier_compat.expression_reads import Outside, names_loaded, outside_reads
from guidewright.copier_compat.jinja import copier_environment
from guidewright.core.cache_dir import seal
from guidewright.core.errors import InvalidInput
from guidewright.site.answers_files import RecordedDocument
from guidewright.site.site import files_under, load_site
from guidewright.template.questionnaire import Questionnaire, load_questionnaire

TODAY = dt.date(2026, 12, 5)
PAGES = ("a.md", "b.md", "sub/c.md", "sub/d.md", "sub/deep/e.md")
FILES = ("img.png", "sub/data.csv")
HEADINGS = ("Intro", "Risks", "Setup", "Intro")  # twice: toc makes intro_1
TAGS = ("caching", "performance", "aws", "cachng", "solo", "hands-on")
# Links (to a page, to a folder, to nothing) and hidden names, each `name -> target`:
# what a run lists and stats as a run without the index lists them.
LINKS = (
    "sub/linked.md -> ../a.md",
    "linked -> sub",
    "dangling.md -> nowhere.md",
    ".hidden/x.md -> ",
    "sub/.h.md -> ",
)
# What a round may change of each file the questionnaire is read from: copier.yml, a file
# its validators import, the files an `!include` glob matches (edited, added, removed).
TEMPLATE_CHANGES = (
    "expert",
    "no-expert",
    "short-lines",
    "long-lines",
    "include-narrow",
    "include-wide",
    "include-none",
)
INCLUDE = "---\n!include 'extra/*.yml'\n"
DIFFICULTY = "difficulty:\n  type: str\n  help: Difficulty\n  choices: [{}]\n"
MKDOCS = "site_name: T\nvalidation:\n  links:\n    anchors: {level}\n"


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A site with a guide and a tutorial made from a template folder of its own (which a
    round may change), and a few hand-written pages."""
    folder = tmp_path_factory.mktemp("index")
    template = folder / "template"
    repo = Path(__file__).resolve().parents[1]
    template.mkdir()
    shutil.copy(repo / "copier.yml", template / "copier.yml")
    shutil.copytree(repo / "template", template / "template")
    site, home = make_site(folder / "site"), folder / "home"
    (site / "mkdocs.yml").write_text(MKDOCS.format(level="warn"))
    for args in (GUIDE_ARGS, TUTORIAL_ARGS):
        made = run_cli(*args, "--template", str(template), "--dest", str(site), cwd=site, home=home)
        assert made.returncode == 0, made.stderr
    # Their frontmatter and answers kept, a short body: the rounds judge them often, and
    # reading the template's long lists with Python-Markdown is not what is tested here.
    for page in (site / "docs").rglob("*.md"):
        parts = page.read_text().split("---\n", 2)
        if len(parts) == 3:
            page.write_text(f"---\n{parts[1]}---\n# Made\n\n## Intro\n")
    return site, template


def _copy(base: tuple[Path, Path], into: Path) -> tuple[Path, Path]:
    site, template = base
    shutil.rmtree(into, ignore_errors=True)
    shutil.copytree(site, into / "site", symlinks=True)
    shutil.copytree(template, into / "template", symlinks=True)
    return into / "site", into / "template"


def _findings(site: Path, template: Path, paths: list[Path] | None, index: bool) -> CheckReport:
    # Each run reads the template as a new process does: a process keeps the questionnaire
    # it loaded (by folder), which would hide a round's change to the template.
    load_questionnaire.cache_clear()
    return check_site(load_site(site), paths, TODAY, str(template), use_index=index)


def _loaded_first(site: Path, template: Path, paths: list[Path] | None) -> CheckReport:
    """A run without the index whose questionnaire is loaded before any page is judged,
    as every run loaded it before `check` read the block alone where it could."""
    load_questionnaire.cache_clear()
    loaded = load_site(site)
    with site_check.site_judges(loaded, str(template)) as judges:
        assert judges.loaded is not None
        return site_check.check_documents(loaded, paths, TODAY, judges)


def _same(site: Path, template: Path, paths: list[Path] | None = None) -> None:
    indexed = _findings(site, template, paths, index=True)
    fresh = _findings(site, template, paths, index=False)
    assert indexed == fresh
    assert fresh == _loaded_first(site, template, paths)
    # What an indexed run relies on: its one pass over the folders lists the files a
    # run without the index lists, links, hidden names and all.
    docs, answers = site / "docs", site / ".guidewright" / "answers"
    listing = site_index.scan(str(docs), ".md", skip_hidden=True, every_file=True)
    assert listing.files == files_under(docs, "", skip_hidden=True)
    assert listing.stated == [f for f in listing.files if f.endswith(".md")]
    assert site_index.scan(str(answers), ".yml").stated == files_under(answers, ".yml")


@st.composite
def page_texts(draw: st.DrawFn) -> bytes:
    """A page: ours (the template's frontmatter, tags, review date, difficulty), another
    tool's, none, or broken; headings, links to pages, anchors and files, lists."""
    kind = draw(st.sampled_from(["ours", "ours", "plain", "none", "broken", "bytes"]))
    if kind == "bytes":
        return b"# Caf\xe9\n"
    lines = []
    if kind == "ours":
        tags = draw(st.lists(st.sampled_from(TAGS), max_size=3, unique=True))
        review = draw(st.sampled_from(["2026-01-01", "2027-06-30", "soon"]))
        level = draw(st.sampled_from(["beginner", "expert", "wizard"]))
        needs = draw(st.lists(st.sampled_from(PAGES), max_size=2, unique=True))
        lines += [
            "---",
            'content_type: "guide"',
            f"tags: {tags}",
            f'review_date: "{review}"',
            f'difficulty: "{level}"',
            f"prerequisites: {needs}",
            "---",
        ]
    elif kind == "plain":
        tags = draw(st.lists(st.sampled_from(TAGS), max_size=2, unique=True))
        lines += ["---", "title: Notes", f"tags: {tags}", "---"]
    elif kind == "broken":
        lines += ["---", "title: [Notes", "---"]
    for _ in range(draw(st.integers(0, 4))):
        part = draw(st.sampled_from(["heading", "link", "list", "text"]))
        if part == "heading":
            lines.append(f"## {draw(st.sampled_from(HEADINGS))}")
        elif part == "link":
            target = draw(st.sampled_from([*PAGES, *PAGES, *FILES, "gone.md", "../a.md", ""]))
            anchor = draw(st.sampled_from(["", "#intro", "#intro_1", "#risks", "#risks", "#x"]))
            lines.append(f"See [there]({target}{anchor}).")
        elif part == "list":
            lines += ["Steps:", "- one", "- two"]
        else:
            lines.append("Text.")
    return ("\n".join(lines) + "\n").encode()


def _docs_file(draw: st.DrawFn) -> str:
    return draw(st.sampled_from([*PAGES, *FILES]))


@st.composite
def edits(draw: st.DrawFn) -> tuple[str, ...]:
    """One change to the site, its template or its configuration."""
    kind = draw(
        st.sampled_from(
            [
                "write",
                "write",
                "write",
                "delete",
                "move",
                "answers",
                "template",
                "config",
                "file",
                "link",
                "noop",
            ]
        )
    )
    if kind == "link":
        return (kind, draw(st.sampled_from(LINKS)))
    if kind == "write":
        return (kind, draw(st.sampled_from(PAGES)), draw(page_texts()).decode("latin-1"))
    if kind in ("delete", "file"):
        return (kind, _docs_file(draw))
    if kind == "move":
        return (kind, _docs_file(draw), _docs_file(draw))
    if kind == "answers":
        return (kind, draw(st.sampled_from(["beginner", "expert", "gone", "broken", "elsewhere"])))
    if kind == "template":
        return (kind, draw(st.sampled_from(TEMPLATE_CHANGES)))
    if kind == "config":
        return (kind, draw(st.sampled_from(["warn", "info"])))
    return (kind,)


def _apply(site: Path, template: Path, edit: tuple[str, ...], clock: list[int]) -> None:
    docs = site / "docs"
    kind = edit[0]
    touched: list[Path] = []
    if kind == "write":
        target = docs / edit[1]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(edit[2].encode("latin-1"))
        touched.append(target)
    elif kind == "delete":
        (docs / edit[1]).unlink(missing_ok=True)
    elif kind == "move" and (docs / edit[1]).exists():
        (docs / edit[2]).parent.mkdir(parents=True, exist_ok=True)
        os.replace(docs / edit[1], docs / edit[2])
        touched.append(docs / edit[2])
    elif kind == "file":
        (docs / edit[1]).parent.mkdir(parents=True, exist_ok=True)
        (docs / edit[1]).write_bytes(b"data")
        touched.append(docs / edit[1])
    elif kind == "answers":
        recorded = sorted((site / ".guidewright" / "answers").rglob("*.yml"))
        answers = recorded[0] if recorded else None
        if answers is None:
            pass
        elif edit[1] == "gone":
            answers.unlink()
        elif edit[1] == "broken":
            answers.write_text("section: [\n")
            touched.append(answers)
        elif edit[1] == "elsewhere":
            # Edited in place to place the other recorded page (or, alone, none): the file
            # and its folder keep their place, only the file's times say it changed.
            other = next((r for r in recorded if r != answers), None)
            places = {"section": "gone", "slug": "gone"}
            if other is not None:
                places = {"section": other.parent.name, "slug": other.stem}
            lines = [
                f"{key}: {places[key]}" if (key := line.split(":")[0]) in places else line
                for line in answers.read_text().splitlines()
            ]
            answers.write_text("\n".join(lines) + "\n")
            touched.append(answers)
        else:
            text = answers.read_text()
            lines = [
                f"difficulty: {edit[1]}" if line.startswith("difficulty:") else line
                for line in text.splitlines()
            ]
            answers.write_text("\n".join(lines) + "\n")
            touched.append(answers)
    elif kind == "template":
        touched.extend(_change_template(template, edit[1]))
    elif kind == "config":
        (site / "mkdocs.yml").write_text(MKDOCS.format(level=edit[1]))
    elif kind == "link":
        name, target = edit[1].split(" -> ")
        made = docs / name
        made.parent.mkdir(parents=True, exist_ok=True)
        if os.path.lexists(made):
            pass
        elif target:
            made.symlink_to(target)
        else:
            made.write_text("# Hidden\n")
    # A clock that moves on between edits: what a file's times say of it, as on a real
    # machine, while the index's run seems long past (its times are trusted).
    for path in touched:
        clock[0] += 1_000_000_000
        if path.exists():
            os.utime(path, ns=(clock[0], clock[0]))


def _change_template(template: Path, change: str) -> list[Path]:
    """One of TEMPLATE_CHANGES made to the template; the files written."""
    copier, extra = template / "copier.yml", template / "extra"
    text = copier.read_text()
    with_expert = "choices: [beginner, intermediate, advanced, expert]"
    without = "choices: [beginner, intermediate, advanced]"
    if change in ("expert", "no-expert"):
        copier.write_text(
            text.replace(without, with_expert)
            if change == "expert"
            else text.replace(with_expert, without)
        )
        return [copier]
    if change in ("short-lines", "long-lines"):  # what `r.one_line(title)` allows
        rules = template / "template" / "_partials" / "rules.jinja"
        long, short = (
            "macro one_line(value, max_length=1000)",
            "macro one_line(value, max_length=30)",
        )
        now = rules.read_text()
        rules.write_text(
            now.replace(long, short) if change == "short-lines" else now.replace(short, long)
        )
        return [rules]
    if not text.endswith(INCLUDE):  # later documents win: the included questions
        copier.write_text(text + INCLUDE)
    extra.mkdir(exist_ok=True)
    if change == "include-narrow":  # a file of the glob's edited (or made)
        (extra / "difficulty.yml").write_text(DIFFICULTY.format("beginner, intermediate"))
        return [copier, extra / "difficulty.yml"]
    if change == "include-wide":  # a file the glob comes to match, after the other
        (extra / "wide.yml").write_text(DIFFICULTY.format("beginner, advanced, expert"))
        return [copier, extra / "wide.yml"]
    for made in extra.iterdir():  # the glob matches nothing
        made.unlink()
    return [copier]


@pytest.mark.parametrize("trusting_times", [False, True])
def test_indexed_findings_are_fresh_findings_after_every_round(
    base: tuple[Path, Path],
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    trusting_times: bool,
) -> None:
    """50 rounds each way (100 in all): after each, a whole-site run and a run of given
    pages find with the index what they find without it. `trusting_times`: each run seems
    to have started long after every edit, so a file's status alone says it is unchanged
    (else every file changed lately: its bytes are compared)."""
    if trusting_times:
        monkeypatch.setattr(site_index, "now_ns", lambda: 4_000_000_000_000_000_000)
    folder = tmp_path_factory.mktemp("rounds")

    @settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
    @given(
        st.lists(st.lists(edits(), min_size=1, max_size=3), min_size=5, max_size=5),
        st.lists(st.sampled_from(PAGES), min_size=1, max_size=2),
    )
    def rounds(changes: list[list[tuple[str, ...]]], given_pages: list[str]) -> None:
        site, template = _copy(base, folder)
        clock = [1_700_000_000_000_000_000]
        _same(site, template)  # the index made
        for number, changed in enumerate(changes):
            for edit in changed:
                _apply(site, template, edit, clock)
            if number % 2:
                paths = [site / "docs" / p for p in given_pages if (site / "docs" / p).exists()]
                _same(site, template, paths or None)
            _same(site, template)

    rounds()


def test_a_change_to_any_file_the_questionnaire_reads_is_judged_again(
    base: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """copier.yml, the file its validators import, an `!include`d file edited, added and
    removed: each changes the findings, and the indexed run finds what a fresh one finds
    though no page changed (the pages' times trusted, as long after their indexing)."""
    monkeypatch.setattr(site_index, "now_ns", lambda: 4_000_000_000_000_000_000)
    site, template = _copy(base, tmp_path)
    seen = [_findings(site, template, None, index=False)]
    _same(site, template)
    for change in ("short-lines", "long-lines", "include-narrow", "include-wide", "include-none"):
        _change_template(template, change)
        fresh = _findings(site, template, None, index=False)
        assert _findings(site, template, None, index=True) == fresh, change
        seen.append(fresh)
    assert seen[1] != seen[0] and seen[2] == seen[0]  # the imported file's change is seen
    assert seen[3] != seen[2] and seen[4] != seen[3] and seen[5] == seen[0]


# A validator comparing a page's date with today: no file changes from one day to the next.
NOT_AFTER_TODAY = (
    "  validator: >-\n"
    '    {% if last_updated > "%Y-%m-%d" | strftime %}must not be after today{% endif %}\n'
)


# The year through filters naming filters: read as `is_pure` reads them, the clock.
BEFORE_2050 = (
    "  validator: >-\n"
    '    {% if ([["%Y"]] | map("map", "strftime") | first | first) < "2050" %}'
    "must not be after today{% endif %}\n"
)


@pytest.mark.parametrize("validator", [NOT_AFTER_TODAY, BEFORE_2050], ids=["day", "map-map"])
def test_a_validator_reading_the_clock_judges_each_day_afresh(
    base: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, validator: str
) -> None:
    """The days before and after the pages' `last_updated`: the validator's finding comes
    and goes with no file changed, and the indexed runs (whole site and each page alone)
    find what fresh ones find each day (the times trusted: only the statuses tell)."""
    monkeypatch.setattr(site_index, "now_ns", lambda: 4_000_000_000_000_000_000)
    site, template = _copy(base, tmp_path)
    copier = template / "copier.yml"
    written = "  validator: '{% import \"template/_partials/rules.jinja\" as r %}{{ r.date(last_updated) }}'\n"
    assert written in copier.read_text()
    copier.write_text(copier.read_text().replace(written, validator))
    pages = sorted((site / "docs").rglob("*.md"))
    seen = []
    for year in (2100, 2000, 2100, 2000):
        day = dt.datetime(year, 1, 1, 12, tzinfo=dt.UTC).timestamp()
        monkeypatch.setattr(expression_reads, "clock", lambda day=day: day)
        fresh = _findings(site, template, None, index=False)
        assert _findings(site, template, None, index=True) == fresh, year
        for page in pages:
            alone = _findings(site, template, [page], index=False)
            assert _findings(site, template, [page], index=True) == alone, (year, page)
        seen.append("must not be after today" in str(fresh.problems))
    assert seen == [False, True, False, True]


def _literal_include(template: Path, change: str) -> None:
    """An `!include` of one named file (no glob), the file made, edited or removed."""
    copier, included = template / "copier.yml", template / "extra" / "difficulty.yml"
    literal = "---\n!include 'extra/difficulty.yml'\n"
    text = copier.read_text().replace(INCLUDE, "")  # the glob's, gone
    copier.write_text(text if text.endswith(literal) else text + literal)
    included.parent.mkdir(exist_ok=True)
    if change == "literal-none":
        included.unlink()
    else:
        choices = "beginner, expert" if change == "literal-edit" else "beginner, intermediate"
        included.write_text(DIFFICULTY.format(choices))


def _counting_loads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The template folders each run loads the questionnaire of, as it loads them."""
    loads: list[Path] = []
    loading = site_check._load_current

    def counted(folder: Path) -> Questionnaire:
        loads.append(folder)
        return loading(folder)

    monkeypatch.setattr(site_check, "_load_current", counted)
    return loads


def test_a_run_judging_no_page_sees_each_change_to_the_questionnaire(
    base: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run of one page whose verdict is kept loads no questionnaire while the files it
    is read from stand; after any change to one (copier.yml, the file its validators
    import, an `!include`d file, by glob or by name), the first such run loads it and finds
    what a fresh run finds (the times trusted: only the statuses tell)."""
    monkeypatch.setattr(site_index, "now_ns", lambda: 4_000_000_000_000_000_000)
    site, template = _copy(base, tmp_path)
    pages = sorted((site / "docs").rglob("*.md"))
    loads = _counting_loads(monkeypatch)
    _same(site, template)  # the index made, and what stands for the questionnaire
    loads.clear()
    assert [_findings(site, template, [page], index=True) for page in pages]
    assert not loads  # every verdict kept: the index stood for the questionnaire
    before = [_findings(site, template, [page], index=False) for page in pages]
    changes = ("expert", "short-lines", "long-lines", "no-expert", "include-narrow")
    changes += ("include-none", "literal-made", "literal-edit", "literal-none")
    for change in changes:
        if change.startswith("literal"):
            _literal_include(template, change)
        else:
            _change_template(template, change)
        loads.clear()
        indexed = [_findings(site, template, [page], index=True) for page in pages]
        assert loads, change  # the first run after the change read the questionnaire
        fresh = [_findings(site, template, [page], index=False) for page in pages]
        assert indexed == fresh, change
        if change == "short-lines":  # the change is one the pages' own findings show
            assert fresh != before
        if not change.startswith("include"):  # a glob's matches: loaded on every run
            loads.clear()
            assert [_findings(site, template, [page], index=True) for page in pages] == fresh
            assert not loads, change


def test_a_questionnaire_indexed_in_its_files_clock_tick_stands_once_they_settle(
    base: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An index written within the clock's resolution of the template's files cannot stand
    for the questionnaire; the first run after they settle loads it and writes the index
    again, and the runs after it load none (they loaded it on every run before)."""
    site, template = _copy(base, tmp_path)
    # copier.yml written again after every file of the site: the index's run is then
    # within its clock tick, and well after the pages' and answers files' (which stand).
    pages = max(max(p.lstat().st_mtime_ns, p.lstat().st_ctime_ns) for p in site.rglob("*"))
    copier = template / "copier.yml"
    written = pages
    while written <= pages + 1:  # a clock tick later than the site's files
        copier.write_bytes(copier.read_bytes())
        written = min(copier.stat().st_mtime_ns, copier.stat().st_ctime_ns)
        time.sleep(0.001)
    clock = [written + site_index.RACY_NS - 1]
    monkeypatch.setattr(site_index, "now_ns", lambda: clock[0])
    loads = _counting_loads(monkeypatch)
    _findings(site, template, None, index=True)
    page = sorted((site / "docs").rglob("*.md"))[0]
    fresh = _findings(site, template, [page], index=False)
    clock[0] = written + 10 * site_index.RACY_NS  # later: every file settled
    for loaded in (True, False, False):
        loads.clear()
        assert _findings(site, template, [page], index=True) == fresh
        assert bool(loads) is loaded
        clock[0] += site_index.RACY_NS


def _plain_site(base: tuple[Path, Path], into: Path) -> tuple[Path, Path]:
    """The base site without its template pages and answers: hand-written pages only,
    with links, anchors, another tool's frontmatter and a broken one."""
    site, template = _copy(base, into)
    for page in (site / "docs").rglob("*.md"):
        if "content_type:" in page.read_text():
            page.unlink()
    shutil.rmtree(site / ".guidewright" / "answers", ignore_errors=True)
    pages = {
        "a.md": "# A\n\n## Intro\n\nSee [b](b.md#setup) and [c](sub/c.md#nowhere).\n",
        "b.md": "---\ntitle: B\ntags: [solo]\n---\n# B\n\n## Setup\n\n- one\n   - two\n",
        "sub/c.md": "---\ntitle: [C\n---\n# C\n",
        "d.md": "---\nkind: guide\n---\n# D\n",  # a template's page once `kind` is its type
    }
    for relpath, text in pages.items():
        (site / "docs" / relpath).parent.mkdir(parents=True, exist_ok=True)
        (site / "docs" / relpath).write_text(text)
    return site, template


def test_a_site_of_plain_pages_is_judged_without_loading_the_questionnaire(
    base: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No page is a template page: runs from nothing, with the index and without, read
    the template's block alone (no questionnaire, no Jinja) and find what a run that
    loads it first finds; their verdicts are keyed by the block, so a change to the
    questions, which a plain page never reads, leaves them standing, and a change to the
    block judges them again, still without loading it."""
    monkeypatch.setattr(site_index, "now_ns", lambda: 4_000_000_000_000_000_000)
    site, template = _plain_site(base, tmp_path)
    loads = _counting_loads(monkeypatch)
    settings_read: list[Path] = []
    reading = site_check.template_settings

    def counted(folder: Path) -> dict[str, object]:
        settings_read.append(folder)
        return reading(folder)

    monkeypatch.setattr(site_check, "template_settings", counted)
    _same(site, template)
    loads.clear()
    settings_read.clear()
    runs = (None, [site / "docs" / "a.md"], None)
    indexed = [_findings(site, template, paths, index=True) for paths in runs]
    assert not settings_read  # the index stands for the block: copier.yml not read again
    assert indexed == [_findings(site, template, paths, index=False) for paths in runs]
    assert not loads  # from nothing, warm, one page
    assert any(p.code == "GW201" for p in _findings(site, template, None, index=True).problems)
    for change in TEMPLATE_CHANGES:  # the questions, the files they read: never the block
        _change_template(template, change)
        loads.clear()
        settings_read.clear()
        assert _findings(site, template, None, index=True) == _findings(
            site, template, None, index=False
        )
        # copier.yml read by the fresh run, and by the indexed one where it changed
        assert len(settings_read) == (1 if change.endswith("-lines") else 2), change
        _same(site, template)
        assert loads == [template], change  # the run loading first, alone
    copier = template / "copier.yml"
    help_text = "help: A complete guide to one interview topic"
    copier.write_text(copier.read_text().replace(help_text, "help: Another guide"))
    loads.clear()
    _same(site, template)
    assert loads == [template]  # the block changed: judged again, not loaded
    # The block's type question another: d.md, another tool's page, becomes a template's.
    before = _findings(site, template, None, index=True)
    text = copier.read_text().replace("type_question: content_type", "type_question: kind")
    copier.write_text(text + "---\nkind:\n  type: str\n  choices: [guide, tutorial]\n")
    _same(site, template)
    assert _findings(site, template, None, index=True).checked == before.checked + 1


def test_a_template_that_does_not_load_stops_the_same_runs_with_the_index_or_without(
    base: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A questionnaire that does not load (`_subdirectory` leading out of the template,
    which only the load judges) stops no run judging no template page, even one heavy
    enough to fork workers, for which the questionnaire is loaded ahead of need: the run
    of a few pages and of a thousand agree, with the index and without."""
    monkeypatch.setattr(site_index, "now_ns", lambda: 4_000_000_000_000_000_000)
    monkeypatch.setattr(site_check, "PARALLEL_FROM_BYTES", 1)  # every run heavy enough
    site, template = _plain_site(base, tmp_path)
    _same(site, template)
    copier = template / "copier.yml"
    copier.write_text(copier.read_text().replace("_subdirectory: template", "_subdirectory: .."))
    for page in (None, site / "docs" / "a.md"):
        fresh = _outcome(site, template, page, index=False)
        assert isinstance(fresh, CheckReport)
        assert _outcome(site, template, page, index=True) == fresh


def test_a_template_that_stopped_loading_stops_a_run_only_where_a_page_needs_it(
    base: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Template pages judged with the index: a change that stops the questionnaire from
    loading (choices of the type the block no longer names) and an edit to another page
    leave a run of a plain page judging it, as a run without the index does; a run of
    every page stops on the template's error either way."""
    monkeypatch.setattr(site_index, "now_ns", lambda: 4_000_000_000_000_000_000)
    site, template = _copy(base, tmp_path)
    plain = site / "docs" / "x.md"
    plain.write_text("# X\n\nSee [g](nowhere.md)\n")
    _same(site, template)
    copier = template / "copier.yml"
    choices = "choices: [guide, tutorial]\n"
    copier.write_text(copier.read_text().replace(choices, "choices: [guide, tutorial, essay]\n"))
    (site / "docs" / "y.md").write_text("# Y\n")  # another page edited meanwhile
    fresh = _outcome(site, template, plain, index=False)
    assert isinstance(fresh, CheckReport) and fresh.problems
    assert _outcome(site, template, plain, index=True) == fresh
    stopped = _outcome(site, template, None, index=False)
    assert isinstance(stopped, str) and "content_type" in stopped
    assert _outcome(site, template, None, index=True) == stopped


def test_a_template_page_appearing_after_runs_that_never_loaded_the_questionnaire(
    base: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Runs of plain pages kept verdicts keyed by the block alone; a template page made
    later is judged by the questionnaire (loaded then), kept with the judges' digest, and
    every run after finds what a fresh run finds, through template changes too."""
    monkeypatch.setattr(site_index, "now_ns", lambda: 4_000_000_000_000_000_000)
    site, template = _plain_site(base, tmp_path)
    loads = _counting_loads(monkeypatch)
    _same(site, template)
    checked = _findings(site, template, None, index=True).checked  # the broken page
    guide = next(p for p in (base[0] / "docs").rglob("*.md") if "content_type:" in p.read_text())
    relpath = guide.relative_to(base[0])
    (site / relpath).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(guide, site / relpath)
    shutil.copytree(base[0] / ".guidewright" / "answers", site / ".guidewright" / "answers")
    loads.clear()
    assert _findings(site, template, None, index=True).checked == checked + 1
    assert loads == [template]  # the template page needs the questionnaire
    loads.clear()
    _same(site, template)
    assert _findings(site, template, [site / relpath], index=True) == _findings(
        site, template, [site / relpath], index=False
    )
    for change in ("expert", "short-lines", "include-narrow", "no-expert", "long-lines"):
        _change_template(template, change)
        _same(site, template)
        for page in sorted((site / "docs").rglob("*.md")):
            assert _findings(site, template, [page], index=True) == _findings(
                site, template, [page], index=False
            ), (change, page)
    (site / relpath).unlink()
    _same(site, template)


# What a run of one page whose verdict is kept has no use for (start-up): the page rules'
# families (rules/registry.py's `Named` rows), the questionnaire (Jinja2, the Copier
# reader), the worker pools, and the Markdown parsers.
NOT_IMPORTED = (
    "guidewright.rules.links",
    "guidewright.rules.list_rules",
    "guidewright.rules.labels",
    "guidewright.rules.conflict_markers",
    "guidewright.rules.placeholders",
    "guidewright.rules.answers_drift",
    "guidewright.check.recorded_versions",
    "guidewright.template.questionnaire",
    "guidewright.copier_compat.confinement",
    "jinja2",
    "multiprocessing",
    "concurrent.futures",
    "markdown",
    "pyromark",
)


def test_a_run_of_one_kept_page_imports_no_page_rule_nor_the_questionnaire(
    base: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`check PAGE` of an unchanged page (a pre-commit hook's run) takes its verdict from
    the index: a new process imports no page rule's family, no Jinja2, no worker pool and
    no Markdown parser, and finds what a fresh run finds."""
    # Every file older than the clock's window of the run that indexes them, which a
    # process of its own then trusts (the times are the statuses': nothing is racy).
    monkeypatch.setattr(site_index, "now_ns", lambda: 4_000_000_000_000_000_000)
    site, template = _copy(base, tmp_path)
    _findings(site, template, None, index=True)
    out = tmp_path / "modules.json"
    for page in sorted((site / "docs").rglob("*.md")):
        command = ["check", "--template", str(template), "--dest", str(site), str(page)]
        done = subprocess.run(
            [sys.executable, "-c", ONE_RUN, str(out), *command],
            capture_output=True,
            text=True,
            cwd=site,
            check=False,
        )
        code, modules = json.loads(out.read_text())
        fresh = _findings(site, template, [page], index=False)
        assert code == (1 if any(p.severity == "error" for p in fresh.problems) else 0)
        assert f"{fresh.checked} document" in done.stdout, done.stderr
        for problem in fresh.problems:
            assert f"{problem.code} " in done.stdout
        assert "guidewright.check.site_check" in modules  # the run did run
        assert [name for name in NOT_IMPORTED if name in modules] == [], page
    # A run that judges a few pages judges them in its own process: no worker pool.
    judged = sorted((site / "docs").rglob("*.md"))[:3]
    command = ["check", "--no-cache", "--template", str(template), "--dest", str(site)]
    subprocess.run(
        [sys.executable, "-c", ONE_RUN, str(out), *command, *map(str, judged)],
        capture_output=True,
        cwd=site,
        check=False,
    )
    code, modules = json.loads(out.read_text())
    assert code in (0, 1) and "guidewright.rules.links" in modules  # pages were judged
    assert "multiprocessing" not in modules and "concurrent.futures" not in modules


@pytest.mark.parametrize(
    ("source", "names"),
    [
        ('{% import "a.jinja" as r %}{{ r.one(x) }}', ["a.jinja"]),
        (
            '{%- from "b" import m as k, n -%}{%+ include "c" ignore missing with context %}',
            ["b", "c"],
        ),
        ('{% extends "d" %}{# {% include "e" %} #}', ["d", "e"]),  # a name too many: harmless
        ('{% set s = "include" %}{{ s }} import', []),
        ("{% include x %}", None),  # computed: cannot be known before rendering
        ('{% include "a" if x else "b" %}', None),
        ('{% include ["a", "b"] %}', None),
        ('{% import "a%}b" as r %}', None),
        ('{% import "a" as r ! %}', None),
        ('{% import "a" as %}{% include "b" %}', None),
        ('{% include "a" with missing %}', None),
        ('{% import "a"as r %}', None),
        ('{% from "a" import b, c as d with context -%}', ["a"]),
    ],
)
def test_the_files_a_questions_expression_loads(source: str, names: list[str] | None) -> None:
    env = copier_environment(None, {})
    assert names_loaded(env, source) == names
    line_statements = copier_environment(None, {"line_statement_prefix": "%%"})
    assert names_loaded(line_statements, "%% include x") is None


def test_a_statement_of_many_clauses_is_read_in_one_pass() -> None:
    """`{% from "x" import a import a ... !` (a statement Jinja refuses): told unknowable
    at once, in a process of its own so that a pattern backtracking (minutes for 30
    clauses, as the first one did) fails by its time limit rather than hanging the run."""
    code = (
        "from guidewright.copier_compat.expression_reads import names_loaded\n"
        "from guidewright.copier_compat.jinja import copier_environment\n"
        "env = copier_environment(None, {})\n"
        "print(names_loaded(env, '{% from \"x\" import a' + ' import a' * 40 + ' ! %}'))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.strip() == "None"


@pytest.mark.parametrize(
    ("source", "names"),
    [
        # Each took seconds, growing with the square of its length: a pattern splitting a
        # run of spaces every way, a find and a slice to the end for every opening.
        ("'{% include \"a\"' + ' ' * 150_000 + '!%}'", "None"),
        ("'{%' * 200_000", "[]"),
        ("'{%' * 200_000 + '%}'", "[]"),
    ],
)
def test_hostile_statements_are_read_in_linear_time(source: str, names: str) -> None:
    """In a process of its own, as above: minutes before, a fraction of a second now."""
    code = (
        "from guidewright.copier_compat.expression_reads import names_loaded\n"
        "from guidewright.copier_compat.jinja import copier_environment\n"
        "env = copier_environment(None, {})\n"
        f"print(names_loaded(env, {source}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == names


@pytest.mark.parametrize(
    ("source", "reads"),
    [
        ("{{ x | upper }}{{ x | map('int') | list }}", Outside.NOTHING),
        ('{{ "%Y-%m-%d" | strftime }}{{ "%d %B %Y" | strftime }}', Outside.DAY),
        ('{{ "%Y" | strftime(0) }}', Outside.NOTHING),  # a time given: no clock
        ('{{ "%H:%M" | strftime }}', Outside.ANYTHING),
        ("{{ f | strftime }}", Outside.ANYTHING),  # a format computed
        ("{{ x | map(f) | list }}", Outside.ANYTHING),  # a filter named by a value
        ('{{ x | map("strftime") | list }}', Outside.ANYTHING),
        ("{{ (x | to_datetime).now() }}{{ x['today']() }}", Outside.ANYTHING),
        ("{{ x | shuffle }}{{ lipsum() }}", Outside.ANYTHING),
        ("{{ x | strftime", Outside.NOTHING),  # fails to compile whatever the day
        # A clock method reached by a name computed, or kept and called later.
        ('{{ (d | attr("now"))() }}', Outside.ANYTHING),
        ("{{ (d | attr(m))() }}{{ x | attr(m) }}", Outside.ANYTHING),
        ("{{ x[m]() }}", Outside.ANYTHING),
        ('{{ x["to" ~ "day"]() }}', Outside.ANYTHING),
        ("{% set f = x[m] %}{{ f() }}", Outside.ANYTHING),
        ("{{ (xs | groupby(k) | first).grouper() }}", Outside.ANYTHING),
        ("{{ xs | map(attribute=k) | list }}", Outside.ANYTHING),
        ('{{ xs | map(attribute="d.today") | list }}', Outside.ANYTHING),
        ('{{ "%Y-%m-%d" | strftime(t) }}', Outside.ANYTHING),  # t may be none
        ('{{ "%Y" | strftime(none) }}', Outside.DAY),
        # Calls that read only their arguments: macros, pure globals, reading methods.
        ('{% import "a" as r %}{{ r.date(x) }}{{ x.split("-") | join(",") }}', Outside.NOTHING),
        ('{% from "a" import m as k %}{{ k(x) }}{{ range(3) | list }}', Outside.NOTHING),
        ("{% macro m(v) %}{{ v }}{% endmacro %}{{ m(x) }}", Outside.NOTHING),
        ('{{ xs | map(attribute="name") | list }}', Outside.NOTHING),
        # A clock method kept under a name that looks pure, then called.
        ('{% set k = "no" ~ "w" %}{{ namespace(get=d[k]).get() }}', Outside.ANYTHING),
        ("{{ namespace(get=d.astimezone).get() }}", Outside.ANYTHING),
        (
            "{% set ns = namespace() %}{% set ns.get = d.astimezone %}{{ ns.get() }}",
            Outside.ANYTHING,
        ),
        ("{% set ns = namespace(get=1) %}{% set ns.n = 2 %}{{ ns.get }}", Outside.NOTHING),
        (
            "{% macro m() %}{{ caller() }}{% endmacro %}{{ m(caller=d.astimezone) }}",
            Outside.ANYTHING,
        ),
        (
            "{% call m() %}x{% endcall %}{% macro m() %}{{ caller() }}{% endmacro %}",
            Outside.NOTHING,
        ),
        ('{% import "a" as r %}{{ r.f() }}', Outside.ANYTHING),  # a value, not a macro
        ('{% from "a" import f %}{{ f() }}', Outside.ANYTHING),
        ('{% import "missing" as r %}{{ r.date(x) }}', Outside.ANYTHING),
        ('{{ [["%H"]] | map("map", "strftime") | list }}', Outside.ANYTHING),
        ('{{ xs | map("attr", m) | list }}', Outside.ANYTHING),
        ("{{ [31, 30][m - 1] }}{{ xs[1:] }}", Outside.NOTHING),  # items of a literal
    ],
)
def test_what_an_expression_reads_beyond_its_answers(source: str, reads: Outside) -> None:
    loaded = {"a": "{% macro date(v) %}{{ v }}{% endmacro %}{% macro m() %}{% endmacro %}"}
    loaded["a"] += "{% set f = d.astimezone %}"
    env = copier_environment(DictLoader(loaded), {})
    assert outside_reads(env, source) is reads


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("a: !include x.yml\n---\n!include 'y/z.yml'\n", ["x.yml", "y/z.yml"]),
        ('a: !include "x y.yml"', ["x y.yml"]),
        ("x: !!str 1\nw: '{{ a != b }}'\n", []),
        ("---\n!include 'extra/*.yml'\n", None),  # a glob: its matches are the reader's
        # As YAML reads them, whoever wrote them so: Copier's loader sees the same.
        ("a: !include a,b.yml\n", ["a,b.yml"]),
        ("a: !include x.yml # a comment\n", ["x.yml"]),
        ("a: !include 'it''s'\n", ["it's"]),  # a quote doubled
        ("a: !include\n  x.yml\n", ["x.yml"]),  # on the next line
        ("---\n!include extra\n  q.yml\n", ["extra q.yml"]),  # folded onto the next line
        ("a: [!include x\n  y.yml]\n", ["x y.yml"]),  # folded, in a flow sequence
        ("%TAG !e! !\n---\na: !e!include x.yml\n", ["x.yml"]),  # spelled otherwise
        ("a: !<!include> x.yml\n", ["x.yml"]),
        ("a: !inc%6Cude x.yml\n", ["x.yml"]),
        ("a: &one !include x.yml\nb: *one\n", ["x.yml"]),  # an alias: the same node
        ("a: !include [x.yml]\n", None),  # not one name
        ("a: [\n", None),  # no YAML: the reader says why
    ],
)
def test_the_files_a_copier_yml_includes_by_name(text: str, names: list[str] | None) -> None:
    """What the index keeps the status of: each literal name; anything else loads."""
    assert kept_questionnaire._included(text) == names


def _parts(whole: bytes) -> tuple[bytes, bytes]:
    """An index file's verdicts and document (site_index.load says how it is laid out)."""
    verdicts_size = int.from_bytes(whole[-16:-8], "little")
    return whole[32 : 32 + verdicts_size], whole[32 + verdicts_size : -16]


def _sealed(verdicts: bytes, document: bytes, key: bytes | None = None) -> bytes:
    """An index file of `verdicts` and `document`, sealed with this user's key (or `key`)."""
    sizes = len(verdicts).to_bytes(8, "little") + len(document).to_bytes(8, "little")
    if key is None:
        sealed = seal(document + sizes)
        assert sealed is not None
    else:
        sealed = hmac.new(key, document + sizes, hashlib.sha256).digest() + document + sizes
    return sealed[:32] + verdicts + sealed[32:]


def _with_verdict(whole: bytes, page: str, text: bytes, digested: bool) -> bytes:
    """The index file with `page`'s verdict's bytes replaced by `text`, its digest made
    anew (`digested`) or left as it was."""
    verdicts, document = _parts(whole)
    data = json.loads(document)
    where = data["pages"]["path"].index(page)
    at = list(array.array("q", base64.b64decode(data["pages"]["verdict_at"])))
    digests = bytearray(base64.b64decode(data["pages"]["verdict_digest"]))
    start, end = at[where], at[where + 1]
    verdicts = verdicts[:start] + text + verdicts[end:]
    at = at[: where + 1] + [place + len(text) - (end - start) for place in at[where + 1 :]]
    if digested:
        digests[16 * where : 16 * where + 16] = hashlib.blake2b(text, digest_size=16).digest()
    data["pages"]["verdict_at"] = base64.b64encode(array.array("q", at).tobytes()).decode()
    data["pages"]["verdict_digest"] = base64.b64encode(bytes(digests)).decode()
    return _sealed(verdicts, json.dumps(data).encode())


def _index_file(site: Path) -> Path:
    loaded = load_site(site)
    return site_index.index_path(loaded.root, loaded.docs_dir)


def test_the_index_is_written_without_a_flush_to_the_disk(
    base: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cache sealed and judged as it is read: a crash that tears it leaves a corrupt
    index, judged afresh (below), so it is not flushed (5 to 25 ms of a run's wall time)."""
    site, template = _copy(base, tmp_path)
    flushed = files_flushed(monkeypatch)
    fresh = _findings(site, template, None, index=False)
    assert _findings(site, template, None, index=True) == fresh
    assert _index_file(site).is_file()
    assert not [path for path in flushed if "site-index" in path]


def test_a_corrupt_truncated_or_foreign_index_is_ignored_and_rebuilt(
    base: tuple[Path, Path], tmp_path: Path
) -> None:
    site, template = _copy(base, tmp_path)
    (site / "docs" / "a.md").write_text("See [b](b.md#risks).\n")
    (site / "docs" / "b.md").write_text("## Risks\n")
    fresh = _findings(site, template, None, index=False)
    assert _findings(site, template, None, index=True) == fresh
    index = _index_file(site)
    whole = index.read_bytes()
    verdicts, document = _parts(whole)
    assert b'"risks"' in document
    # Someone else's index (sealed with another key), saying b.md offers other anchors.
    foreign = _sealed(verdicts, document.replace(b'"risks"', b'"setup"'), key=b"k" * 32)
    # Ours, but not what an index holds: every value is judged before it is used.
    data = json.loads(document)
    data["pages"]["status"] = data["pages"]["status"][:-8]  # a page's status cut short
    odd = _sealed(verdicts, json.dumps(data).encode())
    data = json.loads(document)
    data["pages"]["tags"][0] = [1]  # a tag that is no text
    odd_tags = _sealed(verdicts, json.dumps(data).encode())
    data = json.loads(document)
    data["pages"]["verdict_at"] = data["pages"]["verdict_at"][::-1]  # verdicts misplaced
    odd_places = _sealed(verdicts, json.dumps(data).encode())
    data = json.loads(document)
    data["pages"]["tag_use"] = [["solo", 0], ["solo", 2]]  # tags counted amiss
    odd_counts = _sealed(verdicts, json.dumps(data).encode())
    for broken in (
        whole[: len(whole) // 2],
        b"",
        b"\0" * 40,
        foreign,
        odd,
        odd_tags,
        odd_places,
        odd_counts,
        whole[:32] + b"[]",
    ):
        index.write_bytes(broken)
        (site / "docs" / "b.md").write_text("## Setup\n")
        assert _findings(site, template, None, index=True) == _findings(
            site, template, None, index=False
        )
        assert index.read_bytes() != broken  # rebuilt
        (site / "docs" / "b.md").write_text("## Risks\n")
    # A verdict is judged where it is used: one that is no verdict, or whose bytes are not
    # those the index sealed the digest of, has the page judged again.
    _findings(site, template, None, index=True)
    whole = index.read_bytes()
    no_verdict = json.dumps(
        [[["docs/a.md", "1", "f", "m", "error", "GW1", 0]], None, False, False, [], [], []]
    )
    for changed in (
        _with_verdict(whole, "a.md", no_verdict.encode(), True),
        _with_verdict(whole, "a.md", b"[]", False),
    ):
        index.write_bytes(changed)
        assert _findings(site, template, None, index=True) == fresh
        assert index.read_bytes() != changed  # the page judged again, and kept
    index.unlink()
    # An index that is a link, or a folder, is no index: nothing breaks.
    index.mkdir()
    assert _findings(site, template, None, index=True) == fresh
    index.rmdir()


def test_no_cache_neither_reads_nor_writes_the_index(
    base: tuple[Path, Path], tmp_path: Path
) -> None:
    site, template = _copy(base, tmp_path)
    home = tmp_path / "home"
    args = ("check", "--dest", str(site), "--template", str(template))
    plain = run_cli(*args, "--no-cache", cwd=site, home=home)
    assert not _index_file(site).exists()
    first = run_cli(*args, cwd=site, home=home)
    assert _index_file(site).exists()
    second = run_cli(*args, cwd=site, home=home)
    assert plain.stdout == first.stdout == second.stdout
    assert plain.returncode == first.returncode == second.returncode


def test_a_warm_run_judges_only_what_can_have_changed(
    base: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing changed: no page is judged; one page edited: that page, and the page whose
    link reads its anchors, are judged, no other."""
    from guidewright.check import site_check

    monkeypatch.setattr(site_index, "now_ns", lambda: 4_000_000_000_000_000_000)
    site, template = _copy(base, tmp_path)
    docs = site / "docs"
    (docs / "a.md").write_text("See [b](b.md#risks).\n")
    (docs / "b.md").write_text("## Risks\n")
    (docs / "sub").mkdir()
    (docs / "sub" / "c.md").write_text("# C\n")
    _findings(site, template, None, index=True)
    judged: list[str] = []
    original = site_check._judged_for_the_index

    def counting(context: object, task: tuple[str, object, int]) -> object:
        judged.append(task[1].in_docs)  # type: ignore[attr-defined]
        return original(context, task)  # type: ignore[arg-type]

    monkeypatch.setattr(site_check, "_judged_for_the_index", counting)
    _findings(site, template, None, index=True)
    assert judged == []
    # One page, nothing changed (what a pre-commit hook runs): its kept verdict, as found.
    one = _findings(site, template, [docs / "a.md"], index=True)
    assert judged == []
    assert one == _findings(site, template, [docs / "a.md"], index=False)
    (docs / "b.md").write_text("## Setup\n")
    os.utime(docs / "b.md", ns=(1_800_000_000_000_000_000,) * 2)
    report = _findings(site, template, None, index=True)
    assert sorted(judged) == ["a.md", "b.md"]
    assert any("matches no heading" in p.message for p in report.problems)


def test_a_page_whose_prerequisites_changed_rejudges_the_cycle_it_closed(
    base: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """a.md's cycle finding (GW203) reads b.md's prerequisites: b.md leaving the cycle has
    a.md judged again, though a.md did not change and links to nothing."""
    monkeypatch.setattr(site_index, "now_ns", lambda: 4_000_000_000_000_000_000)
    site, template = _copy(base, tmp_path)
    docs = site / "docs"
    page = '---\ncontent_type: "guide"\nprerequisites: ["{}"]\n---\n# Page\n'
    (docs / "a.md").write_text(page.format("b.md"))
    (docs / "b.md").write_text(page.format("a.md"))
    first = _findings(site, template, None, index=True)
    assert any(p.code == "GW203" for p in first.problems)
    (docs / "b.md").write_text(page.format("fundamentals/index.md"))
    os.utime(docs / "b.md", ns=(1_800_000_000_000_000_000,) * 2)
    _same(site, template)
    assert not any(p.code == "GW203" for p in _findings(site, template, None, True).problems)


def test_answers_files_are_kept_as_read(tmp_path: Path) -> None:
    """What each answers file places (adopted or not, versioned or not, or why it cannot be
    used) and its version come back from the index as they were saved, rows made alike."""
    placed = [
        RecordedDocument("a.yml", "docs/a.md", {}, "v1.2", "gh:o/t", True),
        "a.yml: not YAML",
        RecordedDocument("c.yml", "docs/c.md", {}, None, "/t", False),
    ]
    written = site_index.SiteIndexFile("key", 5)
    written.answers = {
        f"{name}.yml": site_index.AnswersRow((number, 2, 3, 4), f"v{number}", kept)
        for number, (name, kept) in enumerate(zip("abc", placed, strict=True))
    }
    path = tmp_path / "index.json"
    site_index.save(path, written)
    read = site_index.load(path, "key")
    assert isinstance(read.answers, site_index.AnswersRows)
    assert site_index.placed_of(read.answers) == placed
    assert site_index.versions_of(read.answers) == {"a.yml": "v0", "b.yml": "v1", "c.yml": "v2"}
    assert dict(read.answers) == written.answers
    assert read.answers_status == site_index.pack([0, 2, 3, 4, 1, 2, 3, 4, 2, 2, 3, 4])


def _outcome(site: Path, template: Path, page: Path | None, index: bool) -> object:
    """What a run says: its findings, or the error it stops with."""
    try:
        return _findings(site, template, None if page is None else [page], index)
    except InvalidInput as error:
        return str(error)


@pytest.mark.parametrize("setting", ["_external_data", "include"])
def test_a_link_swapped_in_on_a_kept_questionnaire_s_way_is_seen(
    base: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, setting: str
) -> None:
    """A path setting's folder, or an included file's, swapped for a link to a folder
    outside the template: refused by a fresh run, so by an indexed one, though no file the
    questionnaire read changed its bytes (a review found it missed: the path settings'
    folders were not kept)."""
    monkeypatch.setattr(site_index, "now_ns", lambda: 4_000_000_000_000_000_000)
    site, template = _copy(base, tmp_path / "a")
    outside = tmp_path / "outside"
    outside.mkdir()
    (template / "data").mkdir()
    for folder in (template / "data", outside):
        (folder / "extra.yml").write_text(DIFFICULTY.format("beginner, expert"))
    with (template / "copier.yml").open("a") as copier:
        if setting == "include":
            copier.write("---\n!include data/extra.yml\n")
        else:
            copier.write("_external_data:\n  extra: data/extra.yml\n")
    page = sorted((site / "docs").rglob("*.md"))[0]
    for one in (None, page):
        assert _outcome(site, template, one, index=True) == _outcome(site, template, one, False)
    shutil.rmtree(template / "data")
    (template / "data").symlink_to(outside)
    for one in (page, None):
        fresh = _outcome(site, template, one, index=False)
        assert isinstance(fresh, str), fresh  # refused: the link leaves the template
        assert _outcome(site, template, one, index=True) == fresh


def test_a_forged_kept_questionnaire_is_not_trusted(tmp_path: Path) -> None:
    """A sealed index is still read as untrusted: a name with a NUL, or too long, is a
    file that does not stand, never a traceback."""
    at = kept_questionnaire.TemplateAt("src", None, str(tmp_path), False)
    block = {"content_types": ["guide"]}
    for name in ("a\x00b", "x" * 300, "../copier.yml", "/etc/passwd"):
        found = {"template": at.data(), "files": [[name, None]], "judged_by": "d", "block": block}
        assert kept_questionnaire.standing(found, at, 10**20) is None, name
