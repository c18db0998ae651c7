"""What lets `check` run on 100,000 pages in bounded memory (benchmarks/bench_scale.py measures
it): verdicts streamed from the workers, only the site-wide facts of each page kept, the
questions' judgement caches bounded, the server's index holding only what it offers."""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support import HANG, ctrl_c_as_from_a_terminal, isolated_env, run_cli, seed_text

from guidewright.check.page_check import page_warnings, site_facts
from guidewright.check.site_check import PAGE_COST_BYTES, PARALLEL_FROM_BYTES, bytes_to_judge
from guidewright.copier_compat import questions
from guidewright.core import parallel
from guidewright.lsp.live_site import facts_of
from guidewright.markdown import frontmatter
from guidewright.rules.page import PageRef
from guidewright.rules.tags import tag_use
from guidewright.template.questionnaire import load_questionnaire
from guidewright.template.source import bundled_template

QUESTIONNAIRE = load_questionnaire(bundled_template())
TODAY = dt.date(2026, 11, 22)


def _square_plus(context: int, item: int) -> int:
    return item * item + context


@pytest.mark.parametrize("minimum", [0, 10**9])  # forked workers, and in this process
def test_streamed_results_come_in_order(minimum: int) -> None:
    items = list(range(500))
    streamed = parallel.imap_with_context(_square_plus, 7, items, minimum=minimum)
    assert list(streamed) == [i * i + 7 for i in items]
    assert parallel.map_with_context(_square_plus, 7, items, minimum=minimum) == list(
        parallel.imap_with_context(_square_plus, 7, items, minimum=minimum)
    )


def _process(context: int, item: int) -> int:
    return os.getpid()


@pytest.mark.parametrize("work", [999, 1000])
def test_the_work_said_decides_whether_workers_are_forked(work: int) -> None:
    """With `work` given, it (not the items' count) is held against `minimum`."""
    found = parallel.map_with_context(_process, 0, list(range(40)), minimum=1000, work=work)
    assert (set(found) == {os.getpid()}) is (work < 1000)


def test_pages_are_weighed_up_to_what_pays_for_workers(tmp_path: Path) -> None:
    """Each page weighs its own cost and its size, added up until they pay for workers,
    the rest not stat'ed; a link is not followed (its page is refused), a page gone
    weighs its own cost only."""
    pages = []
    for number, size in enumerate([10, 20, PARALLEL_FROM_BYTES, 5]):
        (tmp_path / f"{number}.md").write_bytes(b"x" * size)
        pages.append((os.fspath(tmp_path / f"{number}.md"), PageRef(f"{number}.md", ""), 0))
    gone = (os.fspath(tmp_path / "gone.md"), PageRef("gone.md", ""), 0)
    (tmp_path / "link.md").symlink_to(tmp_path / "2.md")
    link = (os.fspath(tmp_path / "link.md"), PageRef("link.md", ""), 0)
    assert bytes_to_judge([pages[0], gone, link, pages[1]]) == 30 + 4 * PAGE_COST_BYTES
    assert bytes_to_judge(pages) == 30 + PARALLEL_FROM_BYTES + 3 * PAGE_COST_BYTES
    many_small = [pages[0]] * (PARALLEL_FROM_BYTES // PAGE_COST_BYTES)
    assert bytes_to_judge(many_small) >= PARALLEL_FROM_BYTES


_LOADED_HERE: list[int] = []  # what a first item loads on first need (a module, say)


def _loads_on_first_need(context: int, item: int) -> tuple[int, int, int]:
    if not _LOADED_HERE:
        _LOADED_HERE.append(os.getpid())
    return item + context, os.getpid(), _LOADED_HERE[0]


def test_the_first_item_is_mapped_here_before_the_workers_are_forked() -> None:
    """With `first_here`, the first item runs in this process and the workers inherit
    what it loaded; the results come in order all the same."""
    _LOADED_HERE.clear()
    items = list(range(60))
    streamed = parallel.imap_with_context(
        _loads_on_first_need, 7, items, minimum=0, first_here=True
    )
    found = list(streamed)
    assert [value for value, _, _ in found] == [i + 7 for i in items]
    assert found[0][1] == os.getpid()  # the first, here
    assert {loaded for _, _, loaded in found} == {os.getpid()}  # loaded once, inherited
    assert os.getpid() not in {process for _, process, _ in found[1:]}  # the rest, on workers


def test_a_stream_closed_before_its_first_item_forks_no_worker() -> None:
    streamed = parallel.imap_with_context(_process, 0, list(range(60)), minimum=0, first_here=True)
    streamed.close()
    assert mp.active_children() == []


def test_one_item_is_never_sent_to_a_worker() -> None:
    found = parallel.map_with_context(_process, 0, [1], minimum=0, work=10**9)
    assert found == [os.getpid()]


def test_a_stream_left_early_stops_its_workers() -> None:
    streamed = parallel.imap_with_context(_square_plus, 0, list(range(5000)), minimum=0)
    assert next(iter(streamed)) == 0
    streamed.close()
    assert not mp.active_children()


# Set by the test below: the next fork this process makes is interrupted in the parent.
_INTERRUPT_THE_NEXT_FORK: list[bool] = []


def _interrupt_after_a_fork() -> None:
    if _INTERRUPT_THE_NEXT_FORK:
        _INTERRUPT_THE_NEXT_FORK.clear()
        signal.raise_signal(signal.SIGINT)


os.register_at_fork(after_in_parent=_interrupt_after_a_fork)


def test_ctrl_c_while_the_workers_are_forked_stops_the_map() -> None:
    """Python drops an exception raised while it runs its at-fork handlers ("Exception
    ignored in: <function _releaseLock>"): a Ctrl-C then would be lost and the run go on.
    It waits until the workers are forked, then stops the map."""
    _INTERRUPT_THE_NEXT_FORK.append(True)
    with ctrl_c_as_from_a_terminal(), pytest.raises(KeyboardInterrupt):
        parallel.map_with_context(_square_plus, 0, list(range(500)), minimum=0)
    assert not _INTERRUPT_THE_NEXT_FORK  # the interrupt was sent during a fork
    assert not mp.active_children()


TAGS = st.lists(st.sampled_from(["aws", "caching", "awz", "fundamentls", "coding"]), max_size=4)
REVIEW = st.sampled_from(["2001-01-01", "2030-01-01", "not a date", 2001, None])


@settings(max_examples=200, deadline=None)
@given(
    tags=st.one_of(TAGS, st.just("aws"), st.none()),
    review=REVIEW,
    used=st.dictionaries(st.sampled_from(["aws", "caching", "coding", "awz"]), st.integers(0, 3)),
    answered=st.booleans(),
)
def test_the_kept_facts_give_the_warnings_of_the_whole_frontmatter(
    tags: Any, review: Any, used: dict[str, int], answered: bool
) -> None:
    data: dict[str, Any] = {"content_type": "guide", "title": "T", "summary": "S"}
    if tags is not None:
        data["tags"] = tags
    if review is not None:
        data["review_date"] = review
    lines = {key: number for number, key in enumerate(data, 2)}
    parsed = frontmatter.Frontmatter(data, lines, "# body\n", len(data) + 3, len(data) + 2)
    kept = site_facts(parsed, QUESTIONNAIRE)
    assert set(kept.data) <= {"tags", "review_date"} and not kept.body
    counts = Counter(used)
    shown = "docs/a.md"
    for tags_used in (counts, None):
        for documents in ({shown} if answered else set(), set()):
            whole = page_warnings(shown, parsed, TODAY, tags_used, QUESTIONNAIRE, documents)
            assert page_warnings(shown, kept, TODAY, tags_used, QUESTIONNAIRE, documents) == whole


def test_tag_use_counts_a_page_once_and_the_listed_tags_once() -> None:
    use = tag_use(["listed"], [["aws", "aws", 3], ("aws", "other"), "aws", None])
    assert use == Counter({"listed": 1, "aws": 2, "other": 1})


def test_a_questions_judgements_are_bounded_and_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(questions, "JUDGED_KEPT", 3)
    title = load_questionnaire(bundled_template()).questions["title"]
    values = [f"Title number {n}" for n in range(10)] + ["", "Title number 2"]
    verdicts = [title.problem(value, {}) for value in values]
    assert len(title._judged) <= 3
    monkeypatch.setattr(questions, "JUDGED_KEPT", 10**6)
    title._judged.clear()
    assert [title.problem(value, {}) for value in values] == verdicts
    assert verdicts[-2][1]  # an empty title is refused: a verdict, not only a parse


def test_the_servers_index_keeps_only_what_it_offers() -> None:
    text = (
        '---\ncontent_type: "guide"\ntitle: "Caching"\ntags: ["aws", "caching"]\n'
        'summary: "A long summary the index never offers"\nlast_updated: "2026-01-31"\n---\n'
        "# Caching\n"
    )
    facts = facts_of(text, QUESTIONNAIRE)
    assert facts.data == {"content_type": "guide", "title": "Caching", "tags": ["aws", "caching"]}
    assert facts.anchors == frozenset({"caching"})
    assert facts_of("# no frontmatter\n", QUESTIONNAIRE).data is None


FORKS_REPORTED = Path(__file__).with_name("forks_reported.py")


def test_ctrl_c_stops_a_check_on_every_core_and_its_workers(tmp_path: Path) -> None:
    home, site = tmp_path / "home", tmp_path / "site"
    assert run_cli("init", str(site), "--no-git", cwd=tmp_path, home=home).returncode == 0
    page = seed_text("tutorial")  # a seed page, copied: enough pages to fork workers
    for number in range(4000):
        (site / "docs" / f"page-{number}.md").write_text(page, "utf-8")
    forks, reports = os.pipe()
    with ctrl_c_as_from_a_terminal():  # inherited as a terminal's shell leaves it
        check = subprocess.Popen(
            [sys.executable, FORKS_REPORTED, "check"],
            cwd=site,
            pass_fds=(reports,),
            env=isolated_env(home, GW_FORKS_FD=str(reports)),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
    os.close(reports)  # the check and its workers hold it; read ends when they all have ended
    with os.fdopen(forks, encoding="utf-8") as forked:
        first = forked.readline()  # a worker is forked (or, with "", the check ended)
        assert first, "check forked no workers"
        check.send_signal(signal.SIGINT)
        _, err = check.communicate(timeout=HANG)
        workers = [int(pid) for pid in [first, *forked.read().split()]]
    assert check.returncode == 130 and "Traceback" not in err, err
    assert not [pid for pid in workers if _alive(pid)]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
