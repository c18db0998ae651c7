"""`guidewright adopt`: the core on plain data, then the command on small real sites."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pexpect
import pytest
import yaml
from forked_terminal import ForkedTerminal
from hypothesis import given, settings
from hypothesis import strategies as st
from support import HANG, REPO, commit_all, git, isolated_env, make_template_repo, run_cli
from test_write_session import meanwhile as staged_meanwhile
from test_write_session import put_refused

from guidewright.adopt.answers import Inputs, PagePlan, location_of, plan_page, split_page
from guidewright.adopt.write import AdoptedPage, AdoptWritten, render_adopted
from guidewright.copier_compat.render import TemplateRenderer
from guidewright.site.answers_files import read_all_recorded
from guidewright.site.site import Site, SiteConfig, load_site
from guidewright.template.inference import (
    PageFacts,
    first_heading,
    first_sentences,
    reading_time,
    sentences,
    word_count,
)
from guidewright.template.questionnaire import load_questionnaire

BOM = b"\xef\xbb\xbf"


def test_split_keeps_the_body_byte_for_byte() -> None:
    raw = BOM + b"---\r\ntitle: T\r\nfoo: [1,\r\n  2]\r\n---\r\n# H\r\n\xff\x00tail"
    parts = split_page(raw)
    assert parts.bom == BOM
    assert parts.body == b"# H\r\n\xff\x00tail"
    assert parts.data == {"title": "T", "foo": [1, 2]}
    assert parts.key_text["foo"] == b"foo: [1,\r\n  2]\r\n"
    assert split_page(b"no frontmatter").body == b"no frontmatter"


@given(st.binary(max_size=300))
@settings(max_examples=200, deadline=None)
def test_any_page_without_frontmatter_keeps_every_byte(raw: bytes) -> None:
    if raw.lstrip(BOM).startswith(b"---"):
        return
    parts = split_page(raw)
    assert parts.bom + parts.body == raw


def test_location_is_recorded_as_the_page_is(tmp_path: Path) -> None:
    site = Site(tmp_path, "docs", SiteConfig())
    assert location_of(site, "CAP_Theorem.md") == {
        "docs_dir": "docs",
        "section": ".",
        "slug": "CAP_Theorem",
    }
    assert location_of(site, "a/b/SECURITY.md")["section"] == "a/b"
    assert site.recorded_document(location_of(site, "faq.md")) == "docs/faq.md"


def test_inferences() -> None:
    facts = PageFacts("system-design/load_balancing.md", "Intro\n\n" + "word " * 900)
    assert first_heading(facts) == "Load balancing"  # MkDocs' title from the file name
    nav = PageFacts("x.md", "text", nav_title="From the nav")
    assert first_heading(nav) == "From the nav"
    assert first_heading(PageFacts("x.md", "# Real {#id}\n")) == "Real"
    assert reading_time(facts) == "5 min"
    assert reading_time(PageFacts("x.md", "w " * 2100)) == "10 min"
    # Sentences are whole: no cut word, no ellipsis; abbreviations and initials end none.
    assert sentences("Caches help, e.g. at the U.S. edge. They fail too! Why?") == [
        "Caches help, e.g. at the U.S. edge.",
        "They fail too!",
        "Why?",
    ]
    two = PageFacts("x.md", "# T\n\nOne is short. Two is [linked](a.md).\n")
    assert first_sentences(two) == ["One is short. Two is linked.", "One is short."]


@given(st.text(alphabet="ab9Z_-'\u2019 \n\t.,é中", max_size=30))
@settings(max_examples=300)
def test_word_count_is_the_regular_expression_s(text: str) -> None:
    # ASCII text is counted by byte searches, other text by the expression: the same
    # count (joiners at either end, doubled, beside an underscore or a non-ASCII letter).
    expression = re.compile(r"[^\W_]+(?:['\u2019-][^\W_]+)*")
    for variant in (text, text.encode("ascii", "ignore").decode()):
        assert word_count(variant) == len(expression.findall(variant))


def _plan(tmp_path: Path, relpath: str, text: bytes, **given: object) -> PagePlan:
    (tmp_path / "docs" / relpath).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / "docs" / relpath).write_bytes(text)
    site = Site(tmp_path, "docs", SiteConfig(content_owner="docs-team"))
    inputs = Inputs(load_questionnaire(REPO), given=dict(given))
    found = plan_page(site, relpath, inputs)
    assert isinstance(found, PagePlan)
    return found


def test_a_question_nothing_answers_is_missing_never_invented(tmp_path: Path) -> None:
    plan = _plan(tmp_path, "sys/Page.md", b"# Page\n\nSome prose here.\n")
    assert plan.missing[:2] == ["tags", "learning_objectives"]
    # contributors: git's user.name where git has one (the site default, as for `new`)
    assert "contributors" in plan.missing or plan.answers["contributors"].origin == "site"
    assert plan.answers["title"].origin == "inferred: first-heading"
    assert plan.answers["content_owner"].value == "docs-team"


def test_hand_written_values_win_and_unknown_keys_follow(tmp_path: Path) -> None:
    page = (
        b"---\nzeta: 1\ntitle: Mine\ntags: [Rate Limiting, api]\nalpha: two\n---\n"
        b"# Other\r\n\r\nBody\r\n"
    )
    plan = _plan(tmp_path, "Sec/x.md", page, learning_objectives=["Learn"], contributors=["Ada"])
    assert plan.answers["title"].value == "Mine"
    assert plan.answers["tags"].value == ["rate-limiting", "api"]  # normalised as `new` does
    assert plan.kept_keys == ["zeta", "alpha"]
    questionnaire = load_questionnaire(REPO)
    page_out = render_adopted(plan, questionnaire, TemplateRenderer(REPO), "src", "v1")
    text = page_out.content.decode()
    assert text.endswith("zeta: 1\nalpha: two\n---\n# Other\r\n\r\nBody\r\n")
    data = yaml.safe_load(text.split("---\n")[1])
    assert list(data)[-2:] == ["zeta", "alpha"] and data["title"] == "Mine"


def test_an_authors_refused_value_is_a_problem_not_dropped(tmp_path: Path) -> None:
    plan = _plan(tmp_path, "s/x.md", b"---\nestimated_time: soon\n---\n# X\n")
    assert any(p.startswith("estimated_time:") and "frontmatter" in p for p in plan.problems)
    assert not plan.ready


def test_the_frontmatter_is_what_new_writes(tmp_path: Path) -> None:
    """Same answers: adopt's frontmatter is the first lines of `new`'s page."""
    from guidewright.template.create import render_page
    from guidewright.template.source import TemplateSource

    answers = {"learning_objectives": ["Learn"], "contributors": ["Ada"], "tags": ["a", "b"]}
    plan = _plan(tmp_path, "system-design/caching.md", b"# Caching\n\nAbout caches.\n", **answers)
    questionnaire = load_questionnaire(REPO)
    adopted = render_adopted(plan, questionnaire, TemplateRenderer(REPO), "src", None)
    site = Site(tmp_path, "docs", SiteConfig())
    new_page = render_page(site, plan.all_answers("content_type"), TemplateSource(str(REPO), "t"))
    frontmatter_part = adopted.content[: -len(b"# Caching\n\nAbout caches.\n")]
    assert new_page.startswith(frontmatter_part)


# --- the command on a small site -------------------------------------------------------


def _brownfield(tmp_path: Path, home: Path) -> Path:
    root = tmp_path / "site"
    (root / "docs" / "sys").mkdir(parents=True)
    (root / "mkdocs.yml").write_text("site_name: X\n")
    (root / "docs" / "index.md").write_text("# Home\n")
    (root / "docs" / "sys" / "Cache.md").write_bytes(b"# Caching\r\n\r\nKeep data close.")
    (root / "docs" / "faq.md").write_bytes(BOM + b"Questions, answered.\n")
    (root / "outside.md").write_text("# Outside\n\nNot in docs.\n")
    os.symlink(root / "outside.md", root / "docs" / "linked.md")
    commit_all(root, home, "hand-written", init=True)
    return root


def test_plan_then_apply(tmp_path: Path, home: Path) -> None:
    root = _brownfield(tmp_path, home)
    before = {p: (root / p).read_bytes() for p in ("docs/sys/Cache.md", "docs/faq.md")}
    plan_path = tmp_path / "plan.yml"
    done = run_cli("adopt", "--pretend", "--plan", str(plan_path), cwd=root, home=home)
    assert done.returncode == 0, done.stderr
    assert "refused: docs/linked.md: a symbolic link" in done.stderr
    assert "no version" in done.stderr
    assert not (root / ".guidewright").exists()  # --pretend writes nothing but the plan
    text = plan_path.read_text()
    assert '"docs/index.md"' not in text  # not content, as init's site config says
    # Its folder's name, the template's inference for tags, is too few tags: said why.
    assert re.search(r"^  tags:  # missing: fill in \(refused: folders: .*\)$", text, re.M)
    for number, document in enumerate(("docs/faq.md", "docs/sys/Cache.md")):
        text = text.replace(
            f'"{document}":\n',
            f'"{document}":\n  tags: ["t{number}", "shared"]\n'
            f'  learning_objectives: ["Objective {number}"]\n',
            1,
        )
    text = re.sub(r"^  (tags|learning_objectives):  # missing: fill in.*\n", "", text, flags=re.M)
    plan_path.write_text(text)
    done = run_cli(
        "adopt", "--data-file", str(plan_path), "-d", "content_owner=team", cwd=root, home=home
    )
    assert done.returncode == 1, done.stderr  # the symbolic link is refused
    assert "not adopted in this run" not in done.stderr
    again = run_cli("adopt", "--pretend", "--data-file", str(plan_path), cwd=root, home=home)
    assert "--data-file: not adopted in this run" in again.stderr  # adopted already: said
    assert "Adopted 2 pages." in done.stdout
    assert (root / "outside.md").read_text() == "# Outside\n\nNot in docs.\n"
    faq = (root / "docs" / "faq.md").read_bytes()
    assert faq.startswith(BOM + b"---\n") and faq.endswith(b"---\nQuestions, answered.\n")
    cache = (root / "docs" / "sys" / "Cache.md").read_bytes()
    assert cache.endswith(b"\n---\n" + before["docs/sys/Cache.md"])
    assert yaml.safe_load(cache.decode().split("---\n")[1])["tags"] == ["t1", "shared"]
    recorded, unusable = read_all_recorded(load_site(root))
    assert not unusable and {r.document for r in recorded} == {"docs/faq.md", "docs/sys/Cache.md"}
    assert all(r.adopted for r in recorded)
    assert "section: ." in (root / ".guidewright/answers/faq.yml").read_text()


def test_without_a_terminal_missing_answers_are_listed_at_once(tmp_path: Path, home: Path) -> None:
    root = _brownfield(tmp_path, home)
    done = run_cli("adopt", "docs/sys", cwd=root, home=home)
    assert done.returncode == 1
    assert re.search(
        r"skipped: docs/sys/Cache.md: tags: missing \(refused: folders: .*\); "
        "learning_objectives: missing",
        done.stderr,
    )
    assert "Adopted 0 pages." in done.stdout
    assert git(root, home, "status", "--porcelain", "docs") == ""


def test_bad_input_is_one_line_exit_2(tmp_path: Path, home: Path) -> None:
    root = _brownfield(tmp_path, home)
    for args, message in (
        (("--type", "essay"), "--type: the template has no content type 'essay'"),
        (("--plan", "x.yml"), "--plan: only with --pretend"),
        (("../outside.md",), "PATHS:"),
        (("-d", "section=x"), ""),
    ):
        done = run_cli("adopt", *args, cwd=root, home=home)
        if message:
            assert done.returncode == 2 and message in done.stderr, (args, done.stderr)
            assert "Traceback" not in done.stderr
    assert git(root, home, "status", "--porcelain", "docs") == ""


def test_a_dirty_page_is_refused_before_anything_is_written(tmp_path: Path, home: Path) -> None:
    root = _brownfield(tmp_path, home)
    (root / "docs" / "faq.md").write_bytes(BOM + b"Edited.\n")
    done = run_cli(
        "adopt",
        "-d",
        "tags=[a, b]",
        "-d",
        "learning_objectives=[L]",
        "-d",
        "content_owner=team",
        cwd=root,
        home=home,
    )
    assert done.returncode == 2 and "uncommitted changes" in done.stderr
    assert not (root / ".guidewright" / "answers").exists()


@pytest.mark.differential
def test_plain_copier_update_refuses_an_adopted_page(tmp_path: Path, home: Path) -> None:
    template = make_template_repo(tmp_path, home)
    root = _brownfield(tmp_path, home)
    done = run_cli(
        "adopt",
        "docs/sys/Cache.md",
        "--template",
        str(template),
        "-d",
        "tags=[a, b]",
        "-d",
        "learning_objectives=[L]",
        "-d",
        "content_owner=team",
        cwd=root,
        home=home,
    )
    assert done.returncode == 0, done.stderr
    commit_all(root, home, "adopted")
    answers = (root / ".guidewright/answers/sys/Cache.yml").read_text()
    assert "_commit: v1" in answers and "_src_path" not in answers
    before = (root / "docs/sys/Cache.md").read_bytes()
    copier = Path(sys.executable).parent / "copier"
    done_copier = subprocess.run(
        [str(copier), "update", "--defaults", "-a", ".guidewright/answers/sys/Cache.yml"],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "HOME": str(home)},
    )
    assert done_copier.returncode != 0
    assert "Template not found" in done_copier.stderr  # Copier finds no _src_path
    assert (root / "docs/sys/Cache.md").read_bytes() == before


def test_review_table_changes_an_answer_then_writes(tmp_path: Path, home: Path) -> None:
    root = _brownfield(tmp_path, home)
    child = ForkedTerminal(
        ["adopt", "-d", "tags=[a, b]", "-d", "learning_objectives=[L]"],
        cwd=str(root),
        env=isolated_env(home, TERM="xterm"),
        encoding="utf-8",
        timeout=HANG,
        dimensions=(50, 160),
    )
    child.expect("2 pages declare no content type")
    child.sendline("")  # the default, guide
    child.expect("2 pages have no content_owner")
    child.sendline("team")
    child.expect("Page number to change")
    child.sendline("2")
    child.expect(r"\[2\] docs/sys/Cache.md")
    child.expect("question")
    child.sendline("tags")
    child.expect("tags")
    child.sendline("[x, y]")
    # Only the row that changed is shown again, with what it was.
    child.expect(r'tags = \["x", "y"\]  \(changed in the review\)  \(was \["a", "b"\]\)')
    child.expect("Page number to change")
    assert "difficulty" not in (child.before or "")
    child.sendline("")
    child.expect(pexpect.EOF)
    child.close()
    assert "Adopted 2 pages." in (child.before or "")
    cache = (root / "docs/sys/Cache.md").read_text()
    faq = (root / "docs/faq.md").read_text("utf-8-sig")
    assert 'tags: ["x", "y"]' in cache and 'tags: ["a", "b"]' in faq
    assert 'content_owner: "team"' in cache and 'content_owner: "team"' in faq


def test_one_page_is_spoken_of_in_the_singular_and_lists_come_one_item_a_line(
    tmp_path: Path, home: Path
) -> None:
    """Issue 28: "1 page declares", "1 page has", items one a line as `new` takes them,
    and a value the question refuses is said once (not also "not a question")."""
    root = _brownfield(tmp_path, home)
    (root / "docs/faq.md").unlink()
    os.unlink(root / "docs/linked.md")
    commit_all(root, home, "one page")
    child = ForkedTerminal(
        ["adopt", "-d", "content_owner=team"],
        cwd=str(root),
        env=isolated_env(home, TERM="xterm"),
        encoding="utf-8",
        timeout=HANG,
        dimensions=(50, 160),
    )
    child.expect("1 page declares no content type: the type of it")
    child.sendline("")  # the default, guide
    # The page's own inference was refused: asked of the page, saying why.
    child.expect(r"docs/sys/Cache.md: refused: folders: ")
    child.expect("its tags")
    child.expect("one per line")
    child.sendline("caching")
    child.sendline("aws")
    child.sendline("")
    child.expect("1 page has no learning_objectives")
    child.sendline("Keep data close")
    child.sendline("")
    child.expect("Page number to change")
    child.sendline("1")
    child.expect(r'tags = \["caching", "aws"\]')
    child.expect("question")
    child.sendline("difficulty")
    child.sendline("hard")  # refused by its question
    child.expect("Page number to change")
    review = child.before or ""
    assert "difficulty: must be one of" in review
    assert "not a question of a guide" not in review
    child.sendline("1")
    child.expect("question")
    child.sendline("difficulty")
    child.sendline("expert")
    child.expect("Page number to change")
    child.sendline("")
    child.expect(pexpect.EOF)
    child.close()
    assert "Adopted 1 page." in (child.before or "")
    cache = (root / "docs/sys/Cache.md").read_text()
    assert 'tags: ["caching", "aws"]' in cache and '"Keep data close"' in cache


def test_check_on_a_brownfield_site_counts_lists_and_hints(tmp_path: Path, home: Path) -> None:
    root = tmp_path / "site"
    (root / "docs").mkdir(parents=True)
    (root / "mkdocs.yml").write_text("site_name: X\n")
    pages = [f"docs/page-{n:02}.md" for n in range(12)]
    for page in pages:
        (root / page).write_text("# A page\n")
    done = run_cli("check", cwd=root, home=home)
    lines = done.stdout.splitlines()
    assert lines[0] == (
        "no frontmatter (GW003, links checked): 12 pages: docs/page-00.md, docs/page-01.md, "
        "docs/page-02.md, docs/page-03.md, docs/page-04.md and 7 more (--verbose lists them)"
    )
    assert "guidewright adopt" in lines[1] and max(map(len, lines)) < 200
    verbose = run_cli("check", "--verbose", cwd=root, home=home).stdout.splitlines()
    assert [line.strip() for line in verbose[1:13]] == pages
    import json

    listed = json.loads(run_cli("check", "--format", "json", cwd=root, home=home).stdout)
    assert listed["without_frontmatter"] == pages


def _brownfield_of_400(root: Path) -> None:
    """Built once a run: 400 hand-written pages, committed; `pages` lists them."""
    from brownfield import make_brownfield

    pages = make_brownfield(root / "site", 400)
    commit_all(root / "site", root / "home", "hand-written", init=True)
    (root / "pages").write_text("\n".join(pages), "utf-8")


@pytest.mark.parametrize("sent", ["to the command", "to its group", "to its group twice"])
def test_an_interrupt_leaves_every_page_adopted_with_its_answers_or_untouched(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, home: Path, sent: str
) -> None:
    """Ctrl-C while the pairs are written: to the command alone, or, as a terminal sends
    it, to its process group, once or twice. The run waits after its first pair is
    written, inside the write session's hold of Ctrl-C (paused_writes.py): the signals
    are sent then, so they land while it writes, whatever the machine's load. (Twice: a
    second Ctrl-C before the first is let through is one to the kernel, as when a user
    presses it twice while a chunk of pairs is written.)"""
    import signal

    from built_once import built_once
    from paused_writes import pause_at_the_first_answers, paused_run
    from support import isolated_env

    built = built_once(tmp_path_factory, "adopt-brownfield-400", _brownfield_of_400)
    root = shutil.copytree(built / "site", tmp_path / "site", symlinks=True)
    pages = (built / "pages").read_text("utf-8").split("\n")
    originals = {p: (root / p).read_bytes() for p in pages}
    args = (
        "adopt",
        "-d",
        "tags=[a, b]",
        "-d",
        "learning_objectives=[L]",
        "-d",
        "content_owner=team",
        "-d",
        "skills_taught=[s]",
    )
    with paused_run(args, root, isolated_env(home), pause_at_the_first_answers) as (
        process,
        pausing,
    ):
        assert pausing, process.wait(HANG)  # its first pair is written
        for _ in range(2 if sent == "to its group twice" else 1):
            if sent == "to the command":
                os.kill(process.pid, signal.SIGINT)
            else:
                os.killpg(process.pid, signal.SIGINT)
    assert process.wait(HANG) is not None, "still running after Ctrl-C"
    stderr = process.stderr
    assert "Traceback" not in stderr
    assert process.returncode == 130, stderr  # it was stopped while writing
    site = load_site(root)
    recorded = {r.document for r in read_all_recorded(site)[0]}
    assert 0 < len(recorded) < len(pages)
    # It says how many it wrote, as many as there are.
    written = len(recorded)
    assert f"interrupted after {written} page{'' if written == 1 else 's'};" in stderr
    for page in pages:
        raw = (root / page).read_bytes()
        if page in recorded:
            assert split_page(raw).body == split_page(originals[page]).body
        else:
            assert raw == originals[page], page
    leftovers = [p for p in root.rglob("*") if ".git" not in p.parts and "tmp" in p.name]
    assert leftovers == []


def test_update_of_an_adopted_page_keeps_the_authors_edits_and_body(
    tmp_path: Path, home: Path
) -> None:
    template = make_template_repo(tmp_path, home)
    root = _brownfield(tmp_path, home)
    done = run_cli(
        "adopt",
        "docs/sys/Cache.md",
        "docs/faq.md",
        "--template",
        str(template),
        "-d",
        "tags=[a, b]",
        "-d",
        "learning_objectives=[L]",
        "-d",
        "content_owner=t",
        cwd=root,
        home=home,
    )
    assert done.returncode == 0, done.stderr
    page = root / "docs/sys/Cache.md"
    edited = page.read_bytes().replace(b'difficulty: "intermediate"', b'difficulty: "expert"')
    edited += b"\r\nA paragraph the author added.\r\n"
    page.write_bytes(edited)
    commit_all(root, home, "adopted, then edited")
    partial = template / "template/_partials/guide.md.jinja"
    text = partial.read_text("utf-8").replace("## 🎯 What You'll Master", "## 🎯 Master It")
    partial.write_text(
        text.replace("version: {{", "reviewer: {{ links.yaml_value(reviewer) }}\nversion: {{"),
        "utf-8",
    )
    config = template / "copier.yml"
    config.write_text(
        config.read_text("utf-8").replace(
            "version:\n", "reviewer:\n  type: str\n  default: nobody\n\nversion:\n", 1
        ),
        "utf-8",
    )
    git(template, home, "commit", "-qam", "v2")
    git(template, home, "tag", "v2")
    done = run_cli("update", "--defaults", cwd=root, home=home)
    assert done.returncode == 0, done.stdout + done.stderr
    after = page.read_bytes()
    assert split_page(after).body == split_page(edited).body  # the body, edits included
    data = yaml.safe_load(after.decode().split("---\n")[1])
    assert data["difficulty"] == "expert" and data["reviewer"] == "nobody"
    assert b"Master It" not in after
    recorded = {r.document: r for r in read_all_recorded(load_site(root))[0]}
    assert recorded["docs/sys/Cache.md"].commit == "v2" and recorded["docs/faq.md"].adopted
    assert recorded["docs/sys/Cache.md"].answers["difficulty"] == "expert"


def test_pages_rendered_while_planning_are_those_rendered_afterwards(tmp_path: Path) -> None:
    """A run without review renders each ready page on the workers that plan it; the
    pages are the same bytes as a planned-then-rendered run's, and a replanned page is
    rendered again."""
    from brownfield import make_brownfield

    from guidewright.adopt.run import open_run

    root = tmp_path / "site"
    make_brownfield(root, 12)
    inputs = {"given": {"tags": ["a", "b"], "learning_objectives": ["L"], "content_owner": "t"}}
    with open_run(root, str(REPO), None, dict(inputs), True) as early:
        assert early.rendered and all(
            d in early.rendered for d in [p.document for p in early.plans if p.ready]
        )
        first = early.render([p for p in early.plans if p.ready])
        document = first[0].document
        early.replan(document, "summary", "Changed in the review.")
        again = early.render([p for p in early.plans if p.ready])
    with open_run(root, str(REPO), None, dict(inputs), False) as late:
        assert not late.rendered
        second = late.render([p for p in late.plans if p.ready])
    assert [(p.document, p.content, p.answers) for p in first] == [
        (p.document, p.content, p.answers) for p in second
    ]
    assert b"Changed in the review." in again[0].content
    assert [p.content for p in again[1:]] == [p.content for p in first[1:]]


def _write_adopting(
    site: Site, pages: list[AdoptedPage], meanwhile: dict[bytes, Any]
) -> AdoptWritten:
    """write_adopted in a session, `meanwhile[content]()` run as a page's new content is
    staged: after the run read the page, before the write compares it (a save, say)."""
    from guidewright.adopt.write import write_adopted
    from guidewright.site.write_session import WriteSession

    with pytest.MonkeyPatch.context() as patch:
        for content, action in meanwhile.items():
            staged_meanwhile(patch, content, action)
        with WriteSession(site, "adopt") as session:
            return write_adopted(session, pages)


@pytest.mark.parametrize("count", [3, 260])
def test_a_page_saved_while_adopt_runs_is_left_as_saved_and_listed(
    tmp_path: Path, home: Path, count: int
) -> None:
    """The others are adopted; the one saved meanwhile keeps the save, gets no answers
    file, and is listed; no temporary file is left."""
    site, pages = _adopted_pages(tmp_path, count, home)
    changed = pages[count // 2]
    saved = b"# Edited meanwhile\n"
    done = _write_adopting(
        site, pages, {changed.content: lambda: (tmp_path / changed.document).write_bytes(saved)}
    )
    assert [(r.relpath, r.reason) for r in done.left] == [
        (changed.document, "changed while adopt ran: left as you saved it; run adopt again")
    ]
    assert done.written == [p.document for p in pages if p is not changed]
    assert (tmp_path / changed.document).read_bytes() == saved
    assert not (tmp_path / changed.answers_relpath).exists()
    for page in pages:
        if page is not changed:
            assert (tmp_path / page.document).read_bytes() == page.content
            assert (tmp_path / page.answers_relpath).read_bytes() == page.answers
    assert not (tmp_path / ".guidewright/staging").exists()
    assert [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")] == []


def test_a_page_gone_while_adopt_runs_is_not_recreated(tmp_path: Path, home: Path) -> None:
    site, pages = _adopted_pages(tmp_path, 3, home)
    gone = tmp_path / pages[1].document
    done = _write_adopting(site, pages, {pages[1].content: gone.unlink})
    assert [r.message for r in done.left] == [
        f"{pages[1].document}: moved or deleted while adopt ran: not recreated"
    ]
    assert not gone.exists() and not (tmp_path / pages[1].answers_relpath).exists()
    assert (tmp_path / pages[0].document).read_bytes() == pages[0].content


def test_a_pair_that_cannot_be_written_fails_the_run_naming_it(
    tmp_path: Path, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file system refuses one pair's answers file: the run fails naming it and
    counting the pairs written; that page is put back as it was, the others are whole."""
    from guidewright.core.errors import OperationFailed

    site, pages = _adopted_pages(tmp_path, 100, home)
    doomed = pages[40]
    name = doomed.answers_relpath.rsplit("/", 1)[1]
    put_refused(monkeypatch, {name: PermissionError(13, "Permission denied")})
    with pytest.raises(OperationFailed) as failed:
        _write_adopting(site, pages, {})
    assert str(failed.value) == (
        f"{doomed.answers_relpath}: not written (Permission denied); 99 pages were adopted, "
        "each with its answers file (git status shows what changed)"
    )
    assert (tmp_path / doomed.document).read_bytes() == doomed.original
    assert not (tmp_path / doomed.answers_relpath).exists()
    for page in pages:
        if page is not doomed:
            assert (tmp_path / page.document).read_bytes() == page.content
    assert [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")] == []


def _adopted_pages(root: Path, count: int, home: Path) -> tuple[Site, list[AdoptedPage]]:
    """A committed site of `count` hand-written pages, and what adopt would write for each."""
    from guidewright.adopt.write import AdoptedPage
    from guidewright.core.atomic import read_seen
    from guidewright.core.bounded_read import PAGE_BYTES

    (root / "docs").mkdir()
    pages = []
    for number in range(count):
        document = f"docs/p{number:03}.md"
        original = f"# Page {number}\n".encode()
        (root / document).write_bytes(original)
        content = b"---\ntitle: x\n---\n" + original
        answers = f".guidewright/answers/p{number:03}.yml"
        seen = read_seen(root / document, PAGE_BYTES)[1]
        pages.append(AdoptedPage(document, content, answers, b"slug: x\n", original, seen))
    commit_all(root, home, "hand-written", init=True)
    return Site(root, "docs", SiteConfig()), pages


def test_a_plan_never_replaces_a_file_it_did_not_write(tmp_path: Path, home: Path) -> None:
    """`--plan FILE` naming a draft page or mkdocs.yml by mistake: refused, the file kept;
    a plan adopt wrote is replaced; --force replaces anything."""
    root = _brownfield(tmp_path, home)
    draft = root / "docs" / "sys" / "Cache.md"
    kept = draft.read_bytes()
    refused = run_cli("adopt", "--pretend", "--plan", str(draft), cwd=root, home=home)
    assert refused.returncode == 2
    assert refused.stderr.strip() == (
        f"error: --plan: {draft} exists and is not a plan adopt wrote: name another file, or "
        "pass --force to replace it"
    )
    assert draft.read_bytes() == kept
    plan = tmp_path / "plan.yml"
    for attempt in range(2):  # written, then replaced: it is a plan adopt wrote
        again = run_cli("adopt", "--pretend", "--plan", str(plan), cwd=root, home=home)
        assert again.returncode == 0, (attempt, again.stderr)
    other = tmp_path / "notes.txt"
    other.write_text("mine\n")
    forced = run_cli("adopt", "--pretend", "--plan", str(other), "--force", cwd=root, home=home)
    assert forced.returncode == 0, forced.stderr
    assert other.read_text().startswith("# guidewright adopt plan:")
    alone = run_cli("adopt", "--force", cwd=root, home=home)
    assert alone.returncode == 2 and "--force: only with --plan" in alone.stderr


def test_pages_that_are_not_utf8_are_refused_by_name(tmp_path: Path, home: Path) -> None:
    """A Latin-1 page, a UTF-16 page and a file name that is not UTF-8: each refused,
    named, with the encoding where it shows; nothing written to them."""
    root = _brownfield(tmp_path, home)
    docs = root / "docs"
    (docs / "latin.md").write_bytes("# Café résumé\n\nNotes.\n".encode("latin-1"))
    (docs / "wide.md").write_bytes("# Wide\n\nUTF-16.\n".encode("utf-16"))
    (docs / "nul.md").write_bytes("# Wide\n".encode("utf-16-le"))
    odd = os.fsencode(docs) + b"/caf\xe9.md"
    with open(odd, "wb") as page:
        page.write(b"# Cafe\n")
    commit_all(root, home, "odd pages")
    before = {p: p.read_bytes() for p in [docs / "latin.md", docs / "wide.md", docs / "nul.md"]}
    done = run_cli("adopt", "--defaults", "-d", "content_type=guide", cwd=root, home=home)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 1
    refused = sorted(line for line in done.stderr.splitlines() if line.startswith("refused: "))
    assert refused == sorted(
        [
            "refused: docs/caf\\xe9.md: its file name is not UTF-8 (shown with \\x escapes): "
            "rename it; its answers file could not be read back",
            "refused: docs/latin.md: not UTF-8 (line 1, perhaps Latin-1 or Windows-1252); "
            "convert it to UTF-8 first",
            "refused: docs/linked.md: a symbolic link: adopt writes no page through one",
            "refused: docs/nul.md: holds NUL bytes (UTF-16 without a byte order mark?); "
            "convert it to UTF-8 first",
            "refused: docs/wide.md: not UTF-8: UTF-16 (little-endian), by its byte order mark; "
            "convert it to UTF-8 first",
        ]
    ), done.stderr
    assert {p: p.read_bytes() for p in before} == before
    with open(odd, "rb") as page:
        assert page.read() == b"# Cafe\n"
    assert not [
        line for line in done.stderr.splitlines() if "caf" in line and "refused" not in line
    ]
