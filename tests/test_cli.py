"""The installed `guidewright` command, run as an author or CI would."""

from __future__ import annotations

import fcntl
import itertools
import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from support import GUIDE_ARGS, GUIDEWRIGHT, HANG, isolated_env, run_cli, snapshot

from guidewright.markdown import frontmatter

MINIMAL = (
    "new-guide",
    "--topic",
    "Load Balancing",
    "--section",
    "system-design",
    "--tag",
    "networking",
    "--tag",
    "scaling",
    "--objective",
    "Compare L4 and L7 balancers",
    "--content-owner",
    "platform-team",
)


def test_creates_the_document_and_says_what_next(site: Path, home: Path) -> None:
    result = run_cli(*MINIMAL, "--dest", str(site), cwd=site.parent, home=home)
    assert result.returncode == 0, result.stderr
    assert "Created site/docs/system-design/load-balancing.md" in result.stdout  # from here
    hint = "guidewright check site/docs/system-design/load-balancing.md --dest site"
    assert hint in result.stdout
    checked = run_cli(*hint.split()[1:], cwd=site.parent, home=home)  # the hint works as shown
    assert checked.returncode == 0, checked.stdout + checked.stderr
    document = site / "docs/system-design/load-balancing.md"
    parsed = frontmatter.parse(document.read_text("utf-8"))
    assert parsed is not None
    assert parsed.data["contributors"] == ["Test Author"]  # from git user.name
    assert parsed.data["title"] == "Load Balancing Complete Guide for Amazon L6/L7 Interviews"
    assert parsed.data["status"] == "draft"
    recorded = (site / ".guidewright/answers/system-design/load-balancing.yml").read_text("utf-8")
    answers = yaml.safe_load(recorded)
    assert answers["topic"] == "Load Balancing" and answers["slug"] == "load-balancing"
    # The bundled template by its stable name: no machine's path is committed (issue 28).
    from importlib.metadata import version

    assert answers["_src_path"] == f"bundled@{version('guidewright')}"
    assert not re.search(r"(?m): /", recorded) and "site-packages" not in recorded


def test_content_owner_is_remembered_per_site(site: Path, home: Path) -> None:
    assert run_cli(*MINIMAL, "--dest", str(site), cwd=site, home=home).returncode == 0
    second = [a for a in MINIMAL if a not in ("--content-owner", "platform-team")]
    result = run_cli(*second, "--slug", "again", "--dest", str(site), cwd=site, home=home)
    assert result.returncode == 0, result.stderr
    parsed = frontmatter.parse((site / "docs/system-design/again.md").read_text("utf-8"))
    assert parsed is not None and parsed.data["content_owner"] == "platform-team"


def test_flags_win_over_the_data_file(site: Path, home: Path, tmp_path: Path) -> None:
    data = tmp_path / "answers.yml"
    data.write_text(
        yaml.safe_dump(
            {
                "topic": "From File",
                "section": "fundamentals",
                "tags": ["a1", "b2"],
                "learning_objectives": ["o"],
                "content_owner": "file-team",
                "estimated_time": "30 min",
                "last_updated": yaml.safe_load("2026-03-01"),
                "version": 2.0,
            }
        )
    )
    result = run_cli(
        "new-tutorial",
        "--data-file",
        str(data),
        "--topic",
        "From Flag",
        "--skill",
        "s",
        "--dest",
        str(site),
        cwd=site,
        home=home,
    )
    assert result.returncode == 0, result.stderr
    parsed = frontmatter.parse((site / "docs/fundamentals/from-flag.md").read_text("utf-8"))
    assert parsed is not None
    assert parsed.data["estimated_time"] == "30 min"
    assert parsed.data["last_updated"] == "2026-03-01"
    assert parsed.data["review_date"] == "2026-04-01"
    assert parsed.data["version"] == "2.0"
    assert parsed.data["content_owner"] == "file-team"


def test_docs_folder_comes_from_mkdocs_yml(site: Path, home: Path) -> None:
    (site / "mkdocs.yml").write_text(
        "site_name: x\ndocs_dir: content\nmarkdown_extensions:\n"
        "  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
    )
    (site / "content").mkdir()
    result = run_cli(*MINIMAL, "--dest", str(site), cwd=site, home=home)
    assert result.returncode == 0, result.stderr
    assert (site / "content/system-design/load-balancing.md").is_file()


REFUSALS = [
    (
        ("--difficulty", "hard"),
        "difficulty: must be one of: beginner, intermediate, advanced, expert",
    ),
    (("--tag", "!!!"), "tags: must be 2 to 6 distinct lowercase tags"),
    (
        ("--estimated-time", "2"),
        "estimated_time: must be '<minutes> min' with minutes from 5 to 600",
    ),
    (("--last-updated", "2026-02-30"), "last_updated: must be a date written YYYY-MM-DD"),
    (
        ("--review-date", "2000-01-01"),
        "review_date: must be a date written YYYY-MM-DD, after last_updated",
    ),
    (("--section", "../../etc"), "section: must be a folder name"),
    (("--slug", "../escape"), "slug: must be lowercase"),
    (
        ("--slug", "index", "--section", "fundamentals"),
        "slug: choose another: docs/fundamentals/index.md exists",
    ),
    (("--prerequisite", "missing.md"), "prerequisites: missing.md is not a document of docs/"),
    (("--related", "../outside.md"), "related_content: must be a list of Markdown paths"),
    (("--audience", "L9"), "audience: must be one of: L6, L7"),
    (("--title", "two\u2028lines"), "title: must be non-empty text on one line"),
    (("--topic", "!!!"), "slug: must be lowercase a-z"),
]


@pytest.mark.parametrize(("extra", "message"), REFUSALS)
def test_bad_input_is_one_line_exit_2_and_writes_nothing(
    site: Path, home: Path, extra: tuple[str, ...], message: str
) -> None:
    before = snapshot(site)
    result = run_cli(*MINIMAL, *extra, "--dest", str(site), cwd=site, home=home)
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert message in lines[0]
    assert "Traceback" not in result.stderr
    assert snapshot(site) == before


def test_every_missing_answer_is_named_at_once(site: Path, home: Path) -> None:
    result = run_cli("new-tutorial", "--dest", str(site), cwd=site, home=home)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "error: missing answers, pass: --topic (topic), --section (section), --tag (tags), "
        "--skill (skills_taught), --objective (learning_objectives), "
        "--content-owner (content_owner)"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("topic: [unclosed", "--data-file: "),
        ("- a list", "must be a YAML mapping"),
        ("topic: X\nsurprise: 1\n", "--data-file: the template has no question surprise"),
        ("content_type: tutorial\n", "content_type: is 'tutorial', but this creates a guide"),
        ("skills_taught: [a]\n", "skills_taught: not a question of a guide"),
        ("topic: X\ntopic: Y\n", "line 2: duplicate key 'topic'"),
    ],
)
def test_bad_data_files_are_refused(
    site: Path, home: Path, tmp_path: Path, content: str, message: str
) -> None:
    data = tmp_path / "data.yml"
    data.write_text(content)
    before = snapshot(site)
    result = run_cli(*MINIMAL, "--data-file", str(data), "--dest", str(site), cwd=site, home=home)
    assert result.returncode == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert snapshot(site) == before


def test_dest_without_docs_folder_is_refused(tmp_path: Path, home: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run_cli(*MINIMAL, "--dest", str(empty), cwd=tmp_path, home=home)
    assert result.returncode == 2
    assert "has no docs folder 'docs/'" in result.stderr
    assert list(empty.iterdir()) == []


def test_unusable_template_fails_with_exit_1(site: Path, home: Path, tmp_path: Path) -> None:
    before = snapshot(site)
    missing = tmp_path / "no-such-template"
    result = run_cli(*MINIMAL, "--template", str(missing), "--dest", str(site), cwd=site, home=home)
    assert result.returncode == 1
    assert result.stderr.startswith("error: --template: ") and "is not a folder" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert snapshot(site) == before
    assert not [p for p in site.iterdir() if p.name.startswith(".guidewright-staging")]


def test_usage_errors_exit_2(site: Path, home: Path) -> None:
    result = run_cli("new-guide", "--no-such-flag", cwd=site, home=home)
    assert result.returncode == 2


def test_golden_args_are_valid(site: Path, home: Path) -> None:
    assert run_cli(*GUIDE_ARGS, "--dest", str(site), cwd=site, home=home).returncode == 0


def test_help_does_not_import_copier() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from guidewright import cli; import typer.testing as t; "
        "r = t.CliRunner().invoke(cli.app, ['--help']); assert r.exit_code == 0, r.output; "
        "r = t.CliRunner().invoke(cli.app, ['new-guide', '--help']); assert r.exit_code == 0; "
        "print('copier' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_version_and_short_help(tmp_path: Path, home: Path) -> None:
    from importlib.metadata import version

    shown = run_cli("--version", cwd=tmp_path, home=home)
    assert (shown.returncode, shown.stdout) == (0, f"guidewright {version('guidewright')}\n")
    for args in (["-h"], ["check", "-h"], ["update", "-h"], ["template", "check", "-h"]):
        result = run_cli(*args, cwd=tmp_path, home=home)
        assert result.returncode == 0, (args, result.stderr)
        assert "Usage: guidewright" in result.stdout


def test_a_run_of_one_command_makes_that_command_only(tmp_path: Path, home: Path) -> None:
    """`guidewright check ...` has Typer make the `check` command alone (start-up); its
    help, usage errors and the whole application's are as the whole application says."""
    import typer
    from typer.testing import CliRunner

    from guidewright import cli

    def made(args: list[str]) -> list[str]:
        group = typer.main.get_command(cli.only_the_command(cli.app, args))
        return sorted(getattr(group, "commands", {}))

    assert made(["check", "docs/a.md"]) == ["check"]
    assert made(["new-guide"]) == ["new-guide"]
    whole = made([])
    assert {"check", "tags", "template"} <= set(whole)
    for args in (["--help"], ["--version"], ["tags", "list"], ["chek"], []):
        assert made(args) == whole, args
    runner = CliRunner()
    for args in (["check", "--help"], ["check", "--nope"], ["mv"], ["--version"]):
        narrowed = runner.invoke(cli.only_the_command(cli.app, args), args)
        plain = runner.invoke(cli.app, args)
        assert (narrowed.exit_code, narrowed.output) == (plain.exit_code, plain.output), args


def test_every_option_has_help() -> None:
    import typer

    from guidewright import cli

    command = typer.main.get_command(cli.app)
    missing = []
    stack = [("guidewright", command)]
    while stack:
        name, current = stack.pop()
        for param in current.params:
            if not getattr(param, "help", None):
                missing.append(f"{name} {param.name}")
        for sub_name, sub in getattr(current, "commands", {}).items():
            stack.append((f"{name} {sub_name}", sub))
    assert not missing


def test_no_color_is_respected(site: Path, home: Path) -> None:
    from forked_terminal import EntryPointTerminal
    from support import GUIDEWRIGHT, HANG, isolated_env

    for no_color, coloured in (("", True), ("1", False)):
        env = isolated_env(home, TERM="xterm-256color")
        env.pop("NO_COLOR", None)
        if no_color:
            env["NO_COLOR"] = no_color
        child = EntryPointTerminal(
            [GUIDEWRIGHT, "--help"], cwd=str(site), env=env, encoding="utf-8", timeout=HANG
        )
        output = child.read()
        child.close()
        # NO_COLOR removes colour, not emphasis: bold may stay.
        colours = re.findall(r"\x1b\[((?:\d+;)*(?:3[0-8]|4[0-8]|9[0-7])(?:;\d+)*)m", output)
        assert bool(colours) is coloured, output[:300]


def test_tags_are_normalised_with_a_notice(site: Path, home: Path) -> None:
    result = run_cli(
        *GUIDE_ARGS, "--tag", "Rate Limiting", "--dest", str(site), cwd=site, home=home
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        "note: tags: caching, performance, Rate Limiting → caching, performance, rate-limiting",
        "note: tags: new to this site, added to its tags (.guidewright/config.yml): "
        "caching, performance, rate-limiting",
    ]
    written = frontmatter.parse((site / "docs/system-design/caching-strategies.md").read_text())
    assert written is not None and written.data["tags"][-1] == "rate-limiting"


def test_a_new_tag_close_to_a_known_one_is_refused_unless_confirmed(
    tmp_path: Path, home: Path
) -> None:
    site = tmp_path / "site"
    run_cli("init", str(site), "--content-owner", "team", cwd=tmp_path, home=home)
    config = (site / ".guidewright/config.yml").read_text()
    args = [a if a != "scaling" else "codng" for a in MINIMAL]
    result = run_cli(*args, "--defaults", "--dest", str(site), cwd=tmp_path, home=home)
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines() == [
        "error: tags: 'codng' is new to this site; did you mean 'coding'? (pass --tag coding, "
        "or --new-tag codng to add it as a new tag)"
    ]
    assert (site / ".guidewright/config.yml").read_text() == config
    assert not (site / "docs/system-design/load-balancing.md").exists()
    confirmed = [a if a != "scaling" else "codng" for a in MINIMAL]
    confirmed[confirmed.index("codng") - 1] = "--new-tag"
    result = run_cli(*confirmed, "--defaults", "--dest", str(site), cwd=tmp_path, home=home)
    assert result.returncode == 0, result.stderr
    tags = yaml.safe_load((site / ".guidewright/config.yml").read_text())["tags"]
    assert "codng" in tags  # kept on purpose: known to the site from now on


# ---- issue 16: every author path keeps its promise -----------------------------------------


def _clone_with_demo_site(tmp_path: Path, home: Path) -> tuple[Path, Path]:
    """A clone as the README's set-up has it: a repository whose .gitignore ignores
    /demo-site/, and the template repository the demo site points at."""
    from support import commit_all, make_template_repo

    clone = tmp_path / "clone"
    clone.mkdir()
    (clone / ".gitignore").write_text("/demo-site/\n")
    commit_all(clone, home, "clone", init=True)
    return clone, make_template_repo(tmp_path, home)


README_GUIDE = (
    "new-guide",
    "--dest",
    "demo-site",
    "--defaults",
    "--topic",
    "Caching Strategies",
    "--section",
    "system-design",
    "--tag",
    "caching",
    "--tag",
    "aws",
    "--objective",
    "Explain cache invalidation trade-offs",
    "--contributor",
    "Ada Lovelace",
)


def test_readme_set_up_in_an_ignored_folder_gives_a_site_update_guards(
    tmp_path: Path, home: Path
) -> None:
    from support import git

    clone, repo = _clone_with_demo_site(tmp_path, home)
    init = run_cli(
        "init",
        "demo-site",
        "--content-owner",
        "platform-team",
        "--template",
        str(repo),
        cwd=clone,
        home=home,
    )
    assert init.returncode == 0, init.stderr
    assert "(13 files, a new git repository)" in init.stdout  # its own, inside the ignored one
    assert (clone / "demo-site/.git").is_dir()
    created = run_cli(*README_GUIDE, cwd=clone, home=home)
    assert created.returncode == 0, created.stderr
    checked = run_cli("check", "--dest", "demo-site", cwd=clone, home=home)
    # `caching` was created on purpose: added to the site's tags, so no warning.
    assert checked.returncode == 0 and checked.stdout.splitlines() == [
        "1 document checked: 0 errors, 0 warnings"
    ], checked.stdout
    config = yaml.safe_load((clone / "demo-site/.guidewright/config.yml").read_text())
    assert "caching" in config["tags"]
    site = clone / "demo-site"
    before = snapshot(site)
    refused = run_cli("update", "--defaults", "--dest", "demo-site", cwd=clone, home=home)
    assert refused.returncode == 2, refused.stdout  # nothing committed yet
    # Paths from the folder one runs it in, as the result table shows them.
    assert refused.stderr.startswith("error: uncommitted changes in demo-site/"), refused
    git(site, home, "add", "-A")
    git(site, home, "commit", "-q", "-m", "site")
    document = site / "docs/system-design/caching-strategies.md"
    document.write_text(document.read_text() + "\nmy unsaved note\n")
    before = snapshot(site)
    refused = run_cli("update", "--defaults", "--dest", "demo-site", cwd=clone, home=home)
    assert refused.returncode == 2
    assert refused.stderr.strip() == (
        "error: uncommitted changes in demo-site/docs/system-design/caching-strategies.md: "
        "commit or stash them before running update"
    )
    assert snapshot(site) == before


def test_update_refuses_a_site_in_an_ignored_folder_without_its_own_repository(
    tmp_path: Path, home: Path
) -> None:
    clone, repo = _clone_with_demo_site(tmp_path, home)
    init = run_cli(
        "init",
        "demo-site",
        "--no-git",
        "--content-owner",
        "team",
        "--template",
        str(repo),
        cwd=clone,
        home=home,
    )
    assert init.returncode == 0 and not (clone / "demo-site/.git").exists()
    assert run_cli(*README_GUIDE, cwd=clone, home=home).returncode == 0
    site = clone / "demo-site"
    before = snapshot(site)
    # git status lists nothing here and rev-parse says "inside a work tree": still refused.
    refused = run_cli("update", "--defaults", "--dest", "demo-site", cwd=clone, home=home)
    assert refused.returncode == 2, refused.stdout
    assert refused.stderr.startswith(
        "error: demo-site/.guidewright/answers/system-design/caching-strategies.yml is not "
        "tracked by git (ignored?)"
    ) or refused.stderr.startswith(
        "error: demo-site/docs/system-design/caching-strategies.md is not tracked by git"
    ), refused.stderr
    assert snapshot(site) == before


@pytest.mark.parametrize("command", ["types", "schema"])
def test_types_and_schema_refuse_a_dest_that_is_no_folder(
    tmp_path: Path, home: Path, command: str
) -> None:
    result = run_cli(command, "--dest", "demo-sit", cwd=tmp_path, home=home)
    assert result.returncode == 2, result.stdout
    assert result.stderr.startswith("error: --dest: demo-sit is not a folder")
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--defaults", "--foo"), "error: --foo: no such option"),
        (("--foo", "bar"), "error: --foo: no such option"),
        (("--defaults", "--topc", "X"), "error: --topc: no such option (did you mean --topic?)"),
        (("--dfaults",), "error: --dfaults: no such option (did you mean --defaults?)"),
        (("--objectve", "x"), "error: --objectve: no such option (did you mean --objective?)"),
    ],
)
def test_unknown_options_are_no_such_option_with_the_closest(
    site: Path, home: Path, args: tuple[str, ...], message: str
) -> None:
    before = snapshot(site)
    result = run_cli("new-guide", *args, "--dest", str(site), cwd=site, home=home)
    assert result.returncode == 2
    assert result.stderr.strip().startswith(message), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert snapshot(site) == before


def test_new_pretend_prints_the_page_and_writes_nothing(site: Path, home: Path) -> None:
    before = snapshot(site)
    result = run_cli(*MINIMAL, "--pretend", "--dest", str(site), cwd=site, home=home)
    assert result.returncode == 0, result.stderr
    parsed = frontmatter.parse(result.stdout)
    assert parsed is not None and parsed.data["title"].startswith("Load Balancing Complete")
    assert "nothing was written" in result.stderr
    assert snapshot(site) == before


def _help_blocks(output: str) -> dict[str, tuple[str, str]]:
    """`new TYPE --help` piped: each question's (first line, second line), by name."""
    lines = output.splitlines()
    blocks = {}
    for first, second in itertools.pairwise(lines):
        if first.startswith("  --") and second.startswith("      "):
            name, _, _ = second.strip().partition(":")
            blocks[name] = (first.strip(), second.strip())
    return blocks


def test_type_help_shows_derived_defaults_and_real_types(site: Path, home: Path) -> None:
    result = run_cli("new", "tutorial", "--help", "--dest", str(site), cwd=site, home=home)
    assert result.returncode == 0, result.stderr
    blocks = _help_blocks(result.stdout)
    assert blocks["title"][0] == "--title  (str; default: from topic, audience)"
    assert blocks["summary"][0] == "--summary  (str; default: from topic)"
    assert blocks["slug"][0] == "--slug  (str; default: from topic)"
    assert blocks["review_date"][0] == "--review-date  (str; default: from last_updated)"
    assert blocks["contributors"][0] == "--contributor  (yaml list; default: from git)"
    assert blocks["content_owner"][0] == "--content-owner  (str; default: from the site)"
    assert blocks["audience"] == (
        "--audience  (str multiselect; default: L6, L7)",
        "audience: Audience levels; choices: L6, L7",
    )
    assert blocks["estimated_time"][0] == "--estimated-time  (str; default: 60 min)"  # a value
    assert blocks["topic"][0] == "--topic  (str; required)"
    assert blocks["prerequisites"][0] == "--prerequisite  (yaml list; default: none)"
    # Piped: plain text, no boxes, no line longer than a question's own words need.
    assert not set("│┃╭┏━─") & set(result.stdout)
    assert "Options:" in result.stdout and "--data-file" in result.stdout
    assert max(map(len, result.stdout.splitlines())) < 120


def test_new_without_a_type_outside_a_terminal_is_a_usage_error(site: Path, home: Path) -> None:
    result = run_cli("new", "--dest", str(site), cwd=site, home=home)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "error: TYPE: missing: name the content type to create (one of: guide, tutorial)"
    )
    assert result.stdout == ""


def test_one_tag_rule_on_the_command_line(tmp_path: Path, home: Path) -> None:
    site = tmp_path / "site"
    run_cli("init", str(site), "--content-owner", "team", cwd=tmp_path, home=home)
    first = run_cli(
        *MINIMAL[:5],
        "--tag",
        "caching",
        "--tag",
        "ds",
        *MINIMAL[9:],
        "--dest",
        str(site),
        cwd=tmp_path,
        home=home,
    )
    assert first.returncode == 0, first.stderr
    assert first.stderr.splitlines() == [
        "note: tags: new to this site, added to its tags (.guidewright/config.yml): caching, ds"
    ]
    tags = yaml.safe_load((site / ".guidewright/config.yml").read_text())["tags"]
    assert tags[-2:] == ["caching", "ds"]
    typo = run_cli(
        *MINIMAL[:5],
        "--tag",
        "cahcing",
        "--tag",
        "aws",
        *MINIMAL[9:],
        "--slug",
        "two",
        "--dest",
        str(site),
        cwd=tmp_path,
        home=home,
    )
    assert typo.returncode == 2  # no terminal to ask in: a likely typo is refused
    assert "error: tags: 'cahcing' is new to this site; did you mean 'caching'?" in typo.stderr


def test_next_steps_name_commands_that_run_from_here(site: Path, home: Path) -> None:
    import os

    from support import GUIDEWRIGHT

    bin_dir = str(Path(GUIDEWRIGHT).parent)
    for path, bare in (("/usr/bin:/bin", False), (f"{bin_dir}:/usr/bin:/bin", True)):
        slug = "on-path" if bare else "off-path"
        result = run_cli(
            *MINIMAL, "--slug", slug, "--dest", str(site), cwd=site, home=home, env={"PATH": path}
        )
        assert result.returncode == 0, result.stderr
        check_line = next(line for line in result.stdout.splitlines() if "Check it:" in line)
        serve_line = next(line for line in result.stdout.splitlines() if "See it:" in line)
        check_command = check_line.split("Check it: ")[1].split()[0]
        serve_command = serve_line.split("See it: ")[1].split()[0]
        if bare:
            assert (check_command, serve_command) == ("guidewright", "mkdocs")
        else:
            for command, name in ((check_command, "guidewright"), (serve_command, "mkdocs")):
                assert os.path.samefile(site / command, Path(bin_dir) / name), command


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path: Path, home: Path) -> None:
    """`guidewright check | head -1`: the pipe closes while findings are still written.
    A 4 KiB pipe (Linux) makes the output outgrow it, whatever the machine."""
    site = tmp_path / "site"
    made = run_cli("init", str(site), "--no-git", "--content-owner", "t", cwd=tmp_path, home=home)
    assert made.returncode == 0
    for number in range(150):
        (site / "docs" / f"latin-{number}.md").write_bytes(b"caf\xe9\n")
    reading, writing = os.pipe()
    fcntl.fcntl(writing, fcntl.F_SETPIPE_SZ, 4096)
    with os.fdopen(reading, "rb") as head:
        process = subprocess.Popen(
            [GUIDEWRIGHT, "check"],
            cwd=site,
            stdout=writing,
            stderr=subprocess.PIPE,
            env=isolated_env(home),
        )
        os.close(writing)
        assert head.readline().startswith(b"docs/latin-")
    _, stderr = process.communicate(timeout=HANG)
    assert b"Traceback" not in stderr, stderr.decode()
    assert process.returncode == 1
