"""The wizard as an author meets it: prompts in a real pseudo-terminal (pexpect).

Each run is a real process on a pseudo-terminal of its own, forked from a launcher that
has imported guidewright (forked_terminal.py) rather than a fresh interpreter importing
it again; the last test runs the installed entry point on a terminal as before."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pexpect
import pyte
import pytest
import yaml
from forked_terminal import EntryPointTerminal, ForkedTerminal
from pexpect.spawnbase import SpawnBase
from support import GUIDE_ARGS, GUIDEWRIGHT, HANG, commit_all, isolated_env, run_cli, snapshot

from guidewright.markdown import frontmatter

ENTER, DOWN, SPACE, CTRL_C = "\r", "\x1b[B", " ", "\x03"


def spawn(site: Path, home: Path, *args: str) -> ForkedTerminal:
    env = isolated_env(home, PROMPT_TOOLKIT_NO_CPR="1", TERM="xterm")
    return ForkedTerminal(
        ["new-guide", "--dest", str(site), *args],
        cwd=str(site),
        env=env,
        encoding="utf-8",
        timeout=HANG,
        dimensions=(40, 120),
    )


ESC_ENTER = "\x1b\r"  # ends a multi-line answer
NEXT = "Next:"  # the summary's choice: create, change an answer, cancel

# The essentials, in the template's order; everything else takes its default.
GUIDE_DIALOGUE = [
    ("Topic", ENTER),  # an empty topic is refused at the prompt ...
    ("topic: must be non-empty text on one line", "Load Balancing" + ENTER),
    ("Section", DOWN + DOWN + ENTER),  # fundamentals, practice, (type a new section)
    ("New section folder", "system-design" + ENTER),
    ("Audience", ENTER),
    ("Difficulty", DOWN + ENTER),  # advanced
    # Tags: picked from the site's or typed (normalised at once); Enter on an empty line ends.
    ("Tags", "Networking" + ENTER + ENTER),  # the whole list is judged by the template's rule
    ("tags: must be 2 to 6 distinct lowercase tags", "Scaling Out" + ENTER + ENTER),
    (r"Tags \(2 to 6\): networking, scaling-out", ""),  # normalised, shown before use
    ("Learning objectives", "Compare L4 and L7 balancers" + ESC_ENTER),
    ("Content owner", "platform-team" + ENTER),  # the site has no default owner
]


def answer(child: SpawnBase, dialogue: list[tuple[str, str]]) -> None:
    for prompt, keys in dialogue:
        child.expect(prompt)
        child.send(keys)


def finish(child: SpawnBase) -> int:
    child.expect(pexpect.EOF)
    child.close()
    return int(child.exitstatus)


def test_essentials_then_the_summary_creates_the_guide(site: Path, home: Path) -> None:
    child = spawn(site, home)
    answer(child, GUIDE_DIALOGUE)
    child.expect("load-balancing")  # the summary table
    child.expect(NEXT)
    child.send(ENTER)  # Create docs/system-design/load-balancing.md
    child.expect("Created docs/system-design/load-balancing.md")  # the site is the cwd
    child.expect("mkdocs serve")
    assert finish(child) == 0
    parsed = frontmatter.parse((site / "docs/system-design/load-balancing.md").read_text())
    assert parsed is not None
    data = parsed.data
    assert data["title"] == "Load Balancing Complete Guide for Amazon L6/L7 Interviews"
    assert data["difficulty"] == "advanced"
    assert data["estimated_time"] == "45 min"  # a default
    assert data["tags"] == ["networking", "scaling-out"]
    assert data["learning_objectives"] == ["Compare L4 and L7 balancers"]
    assert data["contributors"] == ["Test Author"]  # git user.name
    assert data["content_owner"] == "platform-team"


def _seen_prompts(transcript: str) -> list[str]:
    """The questions a transcript asked, once each ("? Label:" lines, colours removed)."""
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", transcript)
    return list(dict.fromkeys(re.findall(r"\? ([A-Z][^:?\r\n]*):", plain)))


def test_a_guide_with_defaults_takes_at_most_8_prompts(tmp_path: Path, home: Path) -> None:
    site = tmp_path / "site"
    run_cli("init", str(site), "--content-owner", "platform-team", cwd=tmp_path, home=home)
    child = spawn(site, home)
    transcript = io.StringIO()
    child.logfile_read = transcript
    answer(
        child,
        [
            ("Topic", "Rate Limiting" + ENTER),
            ("Section", ENTER),
            ("Audience", ENTER),
            # "cdg" filters the site's tags down to coding (fuzzy); Tab selects it;
            # "networking" matches none, so Enter adds it; Enter again finishes.
            ("Difficulty", ENTER),
            ("Tags", "cdg\tnetworking\r\r"),
            ("Learning objectives", "Explain token buckets" + ESC_ENTER),
        ],
    )
    child.expect(NEXT)
    child.send(ENTER)
    assert finish(child) == 0
    written = frontmatter.parse((site / "docs/behavioral/rate-limiting.md").read_text())
    assert written is not None and written.data["tags"] == ["coding", "networking"]
    prompts = _seen_prompts(transcript.getvalue())
    assert prompts == [
        "Topic of the document (e.g. DynamoDB Partitioning)",
        "Section folder inside the docs folder",
        "Audience levels",
        "Difficulty",
        "Tags (2 to 6)",
        "Learning objectives",
        "Next",
    ], prompts
    assert len(prompts) <= 8


def test_new_without_a_type_asks_it_first(tmp_path: Path, home: Path) -> None:
    site = tmp_path / "site"
    run_cli("init", str(site), "--content-owner", "platform-team", cwd=tmp_path, home=home)
    env = isolated_env(home, PROMPT_TOOLKIT_NO_CPR="1", TERM="xterm")
    child = ForkedTerminal(
        ["new"],
        cwd=str(site),
        env=env,
        encoding="utf-8",
        timeout=HANG,
        dimensions=(40, 120),
    )
    transcript = io.StringIO()
    child.logfile_read = transcript
    answer(
        child,
        [
            ("Content type", DOWN + ENTER),
            ("Topic", "Rate Limiter" + ENTER),
            ("Section", ENTER),
            ("Audience", ENTER),
            ("Difficulty", ENTER),
            ("Tags", "aws\rcoding\r\r"),
            ("Skills taught", "rate limiting" + ESC_ENTER),  # no default
            ("Learning objectives", "Build a token bucket" + ESC_ENTER),
        ],
    )
    child.expect(NEXT)
    child.send(ENTER)
    assert finish(child) == 0
    assert (site / "docs/behavioral/rate-limiter.md").is_file()  # a tutorial, first section
    assert len(_seen_prompts(transcript.getvalue())) <= 9


def test_new_without_a_type_outside_a_site_says_so_before_asking(
    tmp_path: Path, home: Path
) -> None:
    env = isolated_env(home, PROMPT_TOOLKIT_NO_CPR="1", TERM="xterm")
    child = ForkedTerminal(
        ["new"],
        cwd=str(tmp_path),
        env=env,
        encoding="utf-8",
        timeout=HANG,
        dimensions=(40, 120),
    )
    child.expect(pexpect.EOF)
    child.close()
    assert "Content type" not in child.before
    assert child.before.startswith("error: --dest: . has no docs folder"), child.before
    assert child.exitstatus == 2


def test_any_answer_can_be_changed_from_the_summary(tmp_path: Path, home: Path) -> None:
    site = tmp_path / "site"
    run_cli("init", str(site), "--content-owner", "platform-team", cwd=tmp_path, home=home)
    run_cli(
        *GUIDE_ARGS[:1],
        "--defaults",
        "--dest",
        str(site),
        "--topic",
        "Consistent Hashing",
        "--section",
        "fundamentals",
        "--tag",
        "aws",
        "--tag",
        "fundamentals",
        "--objective",
        "Place keys",
        cwd=tmp_path,
        home=home,
    )
    child = spawn(site, home, "--topic", "Sharding", "--section", "system-design")
    answer(
        child,
        [
            ("Audience", ENTER),
            ("Difficulty", ENTER),
            ("Tags", "aws\rcoding\r\r"),
            ("Learning objectives", "Split data" + ESC_ENTER),
        ],
    )
    # A default: the estimated time.
    child.expect(NEXT)
    child.send(DOWN + ENTER)  # Change an answer
    child.expect("Which answer")
    child.send("\x1b[B" * 3 + ENTER)  # topic, section, slug, audience, title, summary ...
    child.expect("Audience")
    child.send(ENTER)
    child.expect(NEXT)
    child.send(DOWN + ENTER)
    child.expect("Which answer")
    child.send(DOWN * 7 + ENTER)  # estimated_time
    child.expect("Estimated time")
    child.send("\b" * 6 + "30 min" + ENTER)
    # The document picker completes titles as one types (fuzzy), the path beside each,
    # and offers only content documents (no index.md).
    child.expect(NEXT)
    child.send(DOWN + ENTER)
    child.expect("Which answer")
    child.send(DOWN * 15 + ENTER)  # prerequisites
    child.expect("Prerequisite documents")
    child.send("cnsstnt")  # fuzzy: the letters in order
    child.expect(r"fundamentals/consistent-hashing\.md")  # the path, beside the title
    menu = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", child.before or "")
    assert "Complete Guide for Amazon" in menu and "index.md" not in menu
    child.send(DOWN)  # take the completion: the title
    child.expect("Interviews")
    child.send(ENTER + ESC_ENTER)  # finish the list
    child.expect("→ fundamentals/consistent-hashing.md")
    child.expect(NEXT)
    child.send(ENTER)
    assert finish(child) == 0
    parsed = frontmatter.parse((site / "docs/system-design/sharding.md").read_text())
    assert parsed is not None
    assert parsed.data["estimated_time"] == "30 min"
    assert parsed.data["prerequisites"] == ["fundamentals/consistent-hashing.md"]


def test_a_topic_with_no_letters_asks_for_the_file_name(site: Path, home: Path) -> None:
    child = spawn(
        site,
        home,
        "--topic",
        "🚀🔥",
        "--section",
        "fundamentals",
        "--tag",
        "aws",
        "--tag",
        "coding",
        "--objective",
        "Fly",
        "--content-owner",
        "team",
    )
    answer(child, [("File name", "rockets" + ENTER), ("Audience", ENTER), ("Difficulty", ENTER)])
    child.expect(NEXT)
    child.send(ENTER)
    assert finish(child) == 0
    assert (site / "docs/fundamentals/rockets.md").is_file()


def test_flags_are_not_asked_again(site: Path, home: Path) -> None:
    child = spawn(site, home, "--topic", "Sharding", "--section", "fundamentals")
    child.expect("Audience")
    assert "Topic" not in (child.before or "")
    child.send(CTRL_C)
    child.expect(pexpect.EOF)


@pytest.mark.parametrize("stop_after", [1, 5, 6, len(GUIDE_DIALOGUE), "summary", "edit"])
def test_ctrl_c_writes_nothing(site: Path, home: Path, stop_after: int | str) -> None:
    before = snapshot(site)
    child = spawn(site, home)
    if isinstance(stop_after, int):
        answer(child, GUIDE_DIALOGUE[:stop_after])
    else:
        answer(child, GUIDE_DIALOGUE)
        child.expect(NEXT)
        if stop_after == "edit":
            child.send(DOWN + ENTER)
            child.expect("Which answer")
    child.send(CTRL_C)
    child.expect("interrupted; nothing was written")
    assert finish(child) == 130
    assert snapshot(site) == before


def test_cancel_from_the_summary_writes_nothing(site: Path, home: Path) -> None:
    before = snapshot(site)
    child = spawn(site, home)
    answer(child, GUIDE_DIALOGUE)
    child.expect(NEXT)
    child.send(DOWN + DOWN + ENTER)  # Cancel
    child.expect("cancelled; nothing was written")
    assert "error" not in _plain(child.before or "").splitlines()[-1]  # the author's choice
    assert finish(child) == 1
    assert snapshot(site) == before


# ---- issue 16: every author path keeps its promise -----------------------------------------


def _plain(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][0-9A-B]|\r", "", text)


def _init_site(tmp_path: Path, home: Path) -> Path:
    site = tmp_path / "site"
    run_cli("init", str(site), "--content-owner", "platform-team", cwd=tmp_path, home=home)
    return site


def test_tags_enter_adds_what_was_typed_tab_takes_the_highlighted(
    tmp_path: Path, home: Path
) -> None:
    site = _init_site(tmp_path, home)
    child = spawn(
        site, home, "--topic", "Data Stores", "--section", "coding", "--objective", "Pick a store"
    )
    transcript = io.StringIO()
    child.logfile_read = transcript
    answer(child, [("Audience", ENTER), ("Difficulty", ENTER)])
    child.expect("Tags")
    child.expect("Tab selects the highlighted tag; Enter adds what you typed")  # the hint
    child.send("ds")  # fuzzy-matches system-design, which does not start with it
    child.expect("Enter adds 'ds'")
    child.send(ENTER)
    child.send("cod")  # coding starts with it: Enter selects coding
    child.expect("Enter selects 'coding'")
    child.send(ENTER)
    child.send("xyz\x15")  # Ctrl-U clears the line
    child.send("Rate   LIMITING!!")
    child.expect("Enter adds 'rate-limiting'")  # the normalised form, before Enter
    child.send("\x15" + "fundamentls")
    child.expect("did you mean 'fundamentals'")  # the one tag-typo rule, in the prompt too
    child.send("\x15" + "hnds" + "\t")  # Tab takes the highlighted match: hands-on
    child.send(ENTER)  # an empty line: finished
    child.expect(r"Tags \(2 to 6\): ds, coding, hands-on")
    child.expect(NEXT)
    summary = _plain(transcript.getvalue()).rpartition("New guide:")[2]
    assert "new tags" in summary and "ds (added to the site's tags)" in summary
    child.send(ENTER)
    assert finish(child) == 0
    parsed = frontmatter.parse((site / "docs/coding/data-stores.md").read_text())
    assert parsed is not None and parsed.data["tags"] == ["ds", "coding", "hands-on"]
    config = (site / ".guidewright/config.yml").read_text()
    assert "- ds\n" in config  # created on purpose: known to the site from now on


def test_sections_are_content_sections_the_current_one_highlighted(
    tmp_path: Path, home: Path
) -> None:
    site = _init_site(tmp_path, home)
    env = isolated_env(home, PROMPT_TOOLKIT_NO_CPR="1", TERM="xterm")
    child = ForkedTerminal(
        [
            "new-guide",
            "--topic",
            "Heaps",
            "--tag",
            "aws",
            "--tag",
            "coding",
            "--objective",
            "Use a heap",
        ],
        cwd=str(site / "docs/practice"),
        env=env,
        encoding="utf-8",
        timeout=HANG,
        dimensions=(40, 120),
    )
    child.expect(r"\(type a new section\)")
    offered = _plain(child.before or "")
    assert "stylesheets" not in offered and "» practice" in offered, offered
    child.send(ENTER)
    child.expect("Audience")
    child.send(ENTER)
    child.expect(r"Audience levels: L6, L7")  # the values, not "done (2 selections)"
    child.send(ENTER)  # difficulty
    child.expect(NEXT)
    child.send(ENTER)
    assert finish(child) == 0
    assert (site / "docs/practice/heaps.md").is_file()  # the folder it was run in


def test_every_list_finishes_with_enter_on_an_empty_line(tmp_path: Path, home: Path) -> None:
    site = _init_site(tmp_path, home)
    child = ForkedTerminal(
        [
            "new-tutorial",
            "--dest",
            str(site),
            "--topic",
            "Queues",
            "--section",
            "coding",
            "--tag",
            "aws",
            "--tag",
            "coding",
        ],
        cwd=str(site),
        env=isolated_env(home, PROMPT_TOOLKIT_NO_CPR="1", TERM="xterm"),
        encoding="utf-8",
        timeout=HANG,
        dimensions=(40, 120),
    )
    answer(child, [("Audience", ENTER), ("Difficulty", ENTER)])
    child.expect("Skills taught")
    child.expect("one per line; Enter on an empty line finishes")  # said, and true
    child.send("queueing" + ENTER + "back pressure" + ENTER + ENTER)
    child.expect("Learning objectives")
    child.send("Build a queue" + ENTER + ENTER)
    child.expect(NEXT)
    child.send(ENTER)
    assert finish(child) == 0
    parsed = frontmatter.parse((site / "docs/coding/queues.md").read_text())
    assert parsed is not None
    assert parsed.data["skills_taught"] == ["queueing", "back pressure"]
    assert parsed.data["learning_objectives"] == ["Build a queue"]


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (("--difficulty", "hard"), "difficulty: must be one of: beginner, intermediate"),
        (("--tag", ""), "tags: must be 2 to 6"),
        (("--tag", "aws"), "tags: must be 2 to 6"),
        (
            ("--last-updated", "2026-05-01", "--review-date", "2026-04-01"),
            "review_date: must be a date written YYYY-MM-DD, after last_updated",
        ),
    ],
)
def test_given_values_are_judged_before_the_first_question(
    site: Path, home: Path, flags: tuple[str, ...], message: str
) -> None:
    before = snapshot(site)
    child = spawn(site, home, *flags)
    child.expect(pexpect.EOF)
    output = _plain(child.before or "")
    child.close()
    assert child.exitstatus == 2
    assert message in output and "Topic" not in output, output
    assert snapshot(site) == before


def test_the_summary_fits_an_80x24_terminal(tmp_path: Path, home: Path) -> None:
    site = _init_site(tmp_path, home)
    env = isolated_env(home, PROMPT_TOOLKIT_NO_CPR="1", TERM="xterm")
    child = ForkedTerminal(
        [
            "new-guide",
            "--dest",
            str(site),
            "--topic",
            "Consistent Hashing",
            "--section",
            "system-design",
            "--tag",
            "aws",
            "--tag",
            "coding",
            "--objective",
            "Ring",
        ],
        cwd=str(site),
        env=env,
        encoding="utf-8",
        timeout=HANG,
        dimensions=(24, 80),
    )
    transcript = io.StringIO()
    child.logfile_read = transcript
    answer(child, [("Audience", ENTER), ("Difficulty", ENTER)])
    child.expect(NEXT)
    child.expect("Cancel")
    screen = _plain(transcript.getvalue())
    summary = screen[screen.rindex("New guide:") :]
    lines = summary.splitlines()
    assert len(lines) <= 24, summary  # the path and the title stay on screen
    assert "docs/system-design/consistent-hashing.md" in lines[0]
    assert "Consistent Hashing Complete Guide" in summary
    assert "docs_dir" not in summary and "content_type" not in summary
    assert "answers at their defaults" in summary
    child.send(DOWN + DOWN + ENTER)
    assert finish(child) == 1


def test_a_question_a_new_version_adds_can_take_the_same_answer_for_all(
    tmp_path: Path, home: Path
) -> None:
    from support import commit_all, git, make_template_repo

    repo = make_template_repo(tmp_path, home)
    site = tmp_path / "site"
    run_cli(
        "init",
        str(site),
        "--content-owner",
        "team",
        "--template",
        str(repo),
        cwd=tmp_path,
        home=home,
    )
    for topic in ("Alpha", "Beta", "Gamma"):
        created = run_cli(
            "new-guide",
            "--defaults",
            "--dest",
            str(site),
            "--topic",
            topic,
            "--section",
            "coding",
            "--tag",
            "aws",
            "--tag",
            "coding",
            "--objective",
            "Learn",
            cwd=tmp_path,
            home=home,
        )
        assert created.returncode == 0, created.stderr
    commit_all(site, home, "documents")
    with (repo / "copier.yml").open("a", encoding="utf-8") as config:
        config.write("interview_round:\n  type: str\n  help: Interview round\n")
    git(repo, home, "commit", "-q", "-am", "v2")
    git(repo, home, "tag", "v2")
    env = isolated_env(home, PROMPT_TOOLKIT_NO_CPR="1", TERM="xterm")
    child = ForkedTerminal(
        ["update", "--dest", "site"],
        cwd=str(tmp_path),
        env=env,
        encoding="utf-8",
        timeout=HANG,
        dimensions=(40, 120),
    )
    transcript = io.StringIO()
    child.logfile_read = transcript
    # The path from the folder it runs in, as the result table shows it.
    child.expect(r"site/docs/coding/alpha\.md: Interview round")
    child.send("onsite" + ENTER)
    child.expect(r"site/docs/coding/beta\.md: Interview round")
    child.expect(r"Same answer for this and every other document \(onsite\)")
    child.send(DOWN + ENTER)
    assert finish(child) == 0
    assert "3 version recorded" in _plain(transcript.getvalue())  # the pages' bytes stay
    for slug in ("alpha", "beta", "gamma"):
        answers = (site / f".guidewright/answers/coding/{slug}.yml").read_text()
        assert "interview_round: onsite" in answers, slug
    assert "gamma.md: Interview round" not in _plain(transcript.getvalue())


# ---- issue 28: the author's first hour, second pass ----------------------------------------


@pytest.mark.parametrize("keep", [False, True])
def test_a_likely_typo_is_the_authors_pick_and_only_a_kept_one_joins_the_site(
    tmp_path: Path, home: Path, keep: bool
) -> None:
    site = _init_site(tmp_path, home)  # its tags: system-design, fundamentals, hands-on, ...
    config = (site / ".guidewright/config.yml").read_text()
    child = spawn(
        site,
        home,
        "--topic",
        "Trees",
        "--section",
        "coding",
        "--tag",
        "codng",
        "--tag",
        "aws",
        "--objective",
        "Walk a tree",
    )
    transcript = io.StringIO()
    child.logfile_read = transcript
    answer(child, [("Audience", ENTER), ("Difficulty", ENTER)])
    child.expect("tags: 'codng' is new to this site; did you mean 'coding'")
    child.expect("Keep 'codng' as a new tag")
    child.send((DOWN if keep else "") + ENTER)
    child.expect(NEXT)
    summary = _plain(transcript.getvalue()).rpartition("New guide:")[2]
    assert ("codng (added to the site's tags)" in summary) is keep, summary
    child.send(ENTER)
    assert finish(child) == 0
    parsed = frontmatter.parse((site / "docs/coding/trees.md").read_text())
    assert parsed is not None
    assert parsed.data["tags"] == ["codng" if keep else "coding", "aws"]
    after = (site / ".guidewright/config.yml").read_text()
    if keep:
        assert yaml.safe_load(after)["tags"] == [*yaml.safe_load(config)["tags"], "codng"]
    else:
        assert after == config  # the site config changes only when the author keeps it


@pytest.mark.parametrize("chosen", ["coding", "codng"])
def test_a_slip_another_page_holds_is_offered_for_renaming_across_the_site(
    tmp_path: Path, home: Path, chosen: str
) -> None:
    # An older page holds `codng`, which the site does not list: check's GW402 slip of
    # `coding`. Choosing either offers `tags rename codng coding`, run once the page is.
    site = _init_site(tmp_path, home)
    made = run_cli(
        "new-guide",
        "--dest",
        str(site),
        "--defaults",
        "--topic",
        "Heaps",
        "--section",
        "coding",
        "--tag",
        "codng",
        "--new-tag",
        "codng",
        "--tag",
        "aws",
        "--objective",
        "Build a heap",
        cwd=tmp_path,
        home=home,
    )
    assert made.returncode == 0, made.stderr
    config = site / ".guidewright/config.yml"
    config.write_text(config.read_text().replace("- codng\n", ""))
    commit_all(site, home, "a slipped tag")
    child = spawn(
        site,
        home,
        "--topic",
        "Trees",
        "--section",
        "coding",
        "--tag",
        chosen,
        "--tag",
        "aws",
        "--objective",
        "Walk a tree",
    )
    transcript = io.StringIO()
    child.logfile_read = transcript
    answer(child, [("Audience", ENTER), ("Difficulty", ENTER)])
    if chosen == "codng":
        child.expect(r"'codng' is on one page only \(coding/heaps\.md\), most likely a slip")
        child.expect("Use 'coding', and rename 'codng' to 'coding' on coding/heaps.md too")
    else:
        child.expect(r"coding/heaps\.md holds 'codng', most likely a slip of 'coding'")
    child.send(ENTER)  # the first choice: rename
    child.expect(NEXT)
    child.send(ENTER)
    child.expect("Renamed 'codng' to 'coding' on 1 page")
    assert finish(child) == 0
    for page in ("trees", "heaps"):
        parsed = frontmatter.parse((site / f"docs/coding/{page}.md").read_text())
        assert parsed is not None and parsed.data["tags"] == ["coding", "aws"], page
    answers = yaml.safe_load((site / ".guidewright/answers/coding/heaps.yml").read_text())
    assert answers["tags"] == ["coding", "aws"]
    checked = run_cli("check", "--dest", str(site), cwd=tmp_path, home=home)
    assert "GW402" not in checked.stdout


def test_a_new_section_is_normalised_and_shown_as_new(tmp_path: Path, home: Path) -> None:
    site = _init_site(tmp_path, home)
    child = spawn(
        site,
        home,
        "--topic",
        "Lab One",
        "--tag",
        "aws",
        "--tag",
        "coding",
        "--objective",
        "Run a lab",
    )
    transcript = io.StringIO()
    child.logfile_read = transcript
    child.expect(r"\(type a new section\)")
    child.send(DOWN * 6 + ENTER)  # behavioral ... system-design, then (type a new section)
    answer(
        child,
        [
            ("New section folder", "Hands On Labs" + ENTER),
            ("Audience", ENTER),
            ("Difficulty", ENTER),
        ],
    )
    child.expect(NEXT)
    summary = _plain(transcript.getvalue()).rpartition("New guide:")[2]
    assert "docs/hands-on-labs/lab-one.md" in summary
    assert "new section" in summary and "hands-on-labs (a new folder of docs/)" in summary
    child.send(ENTER)
    assert finish(child) == 0
    assert (site / "docs/hands-on-labs/lab-one.md").is_file()


def test_a_taken_file_name_says_what_to_do_first(tmp_path: Path, home: Path) -> None:
    site = _init_site(tmp_path, home)
    (site / "docs/coding/trees.md").write_text("# Trees\n")
    child = spawn(
        site,
        home,
        "--topic",
        "Trees",
        "--section",
        "coding",
        "--tag",
        "aws",
        "--tag",
        "coding",
        "--objective",
        "Walk a tree",
    )
    child.expect("File name of the document")  # its default is taken: asked, and why
    told = [line.strip() for line in _plain(child.before or "").splitlines()]
    said = "slug: choose another: docs/coding/trees.md exists (`guidewright update` updates it)"
    assert said in told, told
    child.send("\b" * 5 + "binary-trees" + ENTER)
    answer(child, [("Audience", ENTER), ("Difficulty", ENTER)])
    child.expect(NEXT)
    child.send(ENTER)
    assert finish(child) == 0
    assert (site / "docs/coding/binary-trees.md").is_file()


def _screen(transcript: str, rows: int = 24, columns: int = 80) -> pyte.Screen:
    """What a terminal of `rows` x `columns` shows after `transcript`."""
    screen = pyte.Screen(columns, rows)
    pyte.Stream(screen).feed(transcript)
    return screen


OBJECTIVE = "Explain how consistent hashing moves keys when a node leaves"  # 60 characters


def test_a_60_character_objective_stays_on_one_line_at_80_columns(
    tmp_path: Path, home: Path
) -> None:
    assert len(OBJECTIVE) == 60
    site = _init_site(tmp_path, home)
    env = isolated_env(home, PROMPT_TOOLKIT_NO_CPR="1", TERM="xterm")
    child = ForkedTerminal(
        [
            "new-guide",
            "--topic",
            "Hashing",
            "--section",
            "coding",
            "--tag",
            "aws",
            "--tag",
            "coding",
        ],
        cwd=str(site),
        env=env,
        encoding="utf-8",
        timeout=HANG,
        dimensions=(24, 80),
    )
    transcript = io.StringIO()
    child.logfile_read = transcript
    answer(child, [("Audience", ENTER), ("Difficulty", ENTER), ("Learning objectives", "")])
    child.expect("Enter on an empty line finishes")
    child.send(OBJECTIVE)
    child.expect("leaves")
    shown = [line.rstrip() for line in _screen(transcript.getvalue()).display]
    assert OBJECTIVE in shown, shown  # typed from the left margin, on one line
    hint = shown.index("  (one per line; Enter on an empty line finishes)")  # its own line
    assert shown[hint - 1].endswith("Learning objectives:")
    child.send(ENTER + ENTER)
    child.expect(NEXT)
    child.send(DOWN + DOWN + ENTER)  # Cancel
    assert finish(child) == 1


def test_a_list_changed_from_the_summary_ends_at_its_last_item(tmp_path: Path, home: Path) -> None:
    """The buffer ends at the last item: the first Enter starts a new item (it finished the
    list, and the next keys chose Create, when the buffer ended with an empty line)."""
    site = _init_site(tmp_path, home)
    child = spawn(
        site,
        home,
        "--topic",
        "Tries",
        "--section",
        "coding",
        "--tag",
        "aws",
        "--tag",
        "coding",
        "--objective",
        "Insert a word",
    )
    transcript = io.StringIO()
    child.logfile_read = transcript
    answer(child, [("Audience", ENTER), ("Difficulty", ENTER)])
    child.expect(NEXT)
    child.send(DOWN + ENTER)  # Change an answer
    child.expect("Which answer")
    child.send(DOWN * 16 + ENTER)  # learning_objectives
    child.expect("Enter on an empty line finishes")
    child.expect("Insert a word")
    screen = _screen(transcript.getvalue(), 40, 120)
    assert screen.display[screen.cursor.y].rstrip() == "Insert a word"  # the cursor ends it
    assert screen.cursor.x == len("Insert a word")
    assert all(not line.strip() for line in screen.display[screen.cursor.y + 1 :])
    child.send(ENTER + "Find a prefix" + ENTER + ENTER)
    child.expect(NEXT)
    summary = _plain(transcript.getvalue()).rpartition("New guide:")[2]
    assert "Insert a word, Find a prefix" in summary
    child.send(ENTER)
    assert finish(child) == 0
    parsed = frontmatter.parse((site / "docs/coding/tries.md").read_text())
    assert parsed is not None
    assert parsed.data["learning_objectives"] == ["Insert a word", "Find a prefix"]


def test_new_type_help_at_80_columns_breaks_no_flag(site: Path, home: Path) -> None:
    from support import REPO

    from guidewright.cli.given_flags import FIXED_OPTIONS
    from guidewright.template.questionnaire import load_questionnaire

    env = isolated_env(home, TERM="xterm", NO_COLOR="1")
    child = EntryPointTerminal(
        [GUIDEWRIGHT, "new", "guide", "--help"],
        cwd=str(site),
        env=env,
        encoding="utf-8",
        timeout=HANG,
        dimensions=(24, 80),
    )
    transcript = child.read()
    child.close()
    assert child.exitstatus == 0
    screen = _screen(transcript, 400, 80)  # tall enough to keep every line
    shown = [line.rstrip() for line in screen.display if line.strip()]
    assert "Questions of a guide (answer with the flag or -d NAME=VALUE):" in shown
    questionnaire = load_questionnaire(REPO)
    asked = questionnaire.walk(questionnaire.typical_answers("guide"))
    flags = [questionnaire.flag_of(q.name) for q, applies in asked if applies]
    flags = [f for f in flags if f not in ("--content-type", "--docs-dir")] + list(FIXED_OPTIONS)
    assert len(flags) > 25
    for flag in flags:
        whole = re.compile(rf"(?<![\w-]){re.escape(flag)}(?![\w-])")
        assert any(whole.search(line) for line in shown), flag  # on one line, unbroken
