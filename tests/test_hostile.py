"""Hostile and unlucky input: answers files, templates, data files and disks that try to
make guidewright write outside the site, lose a pair, hang or show a traceback."""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from edited_guides import clone_site, with_own_template
from support import GUIDE_ARGS, commit_all, git, make_site, run_cli, snapshot
from test_write_session import put_refused

ANSWERS = ".guidewright/answers/system-design"
Site3 = tuple[Path, Path, Path]


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    return lines[0]


def rows(stdout: str) -> str:
    return " ".join(stdout.split())


@pytest.fixture
def site_copy(edited_site: Site3, tmp_path: Path) -> tuple[Path, Path, Path]:
    site, repo, home = edited_site
    return clone_site(site, tmp_path / "site"), repo, home


# ---- 1. answers that point outside the docs folder ----------------------------------------


@pytest.mark.parametrize(
    ("key", "value"),
    [("slug", "../../../README"), ("section", "../.."), ("section", "/tmp/elsewhere")],
)
def test_answers_that_leave_the_docs_folder_are_refused(
    site_copy: Site3, tmp_path: Path, key: str, value: str
) -> None:
    site, _, home = site_copy
    answers = site / ANSWERS / "untouched.yml"
    text = answers.read_text().replace(
        f"{key}: {'untouched' if key == 'slug' else 'system-design'}\n", f"{key}: '{value}'\n"
    )
    assert value in text
    answers.write_text(text)
    commit_all(site, home, "hostile answers")
    outside_before = snapshot(tmp_path)
    for extra in ((), ("--pretend",)):
        result = run_cli("update", "--defaults", *extra, "--dest", str(site), cwd=site, home=home)
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        assert "would be outside docs/" in rows(result.stdout)
        assert "../" not in result.stdout.split("guidewright update")[0]  # no diff of it
    assert snapshot(tmp_path).keys() == outside_before.keys()
    assert "## 🧭" in (site / "docs/system-design/section-added.md").read_text()  # others go on


def test_a_section_folder_that_links_outside_counts_as_outside(
    site_copy: Site3, tmp_path: Path
) -> None:
    site, _, home = site_copy
    outside = tmp_path / "outside"
    outside.mkdir()
    (site / "docs/linked").symlink_to(outside)
    shutil.copy(site / "docs/system-design/untouched.md", outside / "untouched.md")
    answers = site / ANSWERS / "untouched.yml"
    answers.write_text(answers.read_text().replace("section: system-design", "section: linked"))
    commit_all(site, home, "a linked section")
    before = snapshot(outside)
    result = run_cli("update", "--defaults", "--dest", str(site), cwd=site, home=home)
    assert result.returncode == 1 and "would be outside docs/" in rows(result.stdout)
    assert snapshot(outside) == before


# ---- 2. templates are data -----------------------------------------------------------------


def test_a_symlink_in_the_template_is_refused(site_copy: Site3, tmp_path: Path) -> None:
    site, shared, home = site_copy
    repo = with_own_template(site, shared, home, tmp_path / "template-repo")
    secret = tmp_path / "id_rsa"
    secret.write_text("PRIVATE KEY\n")
    (repo / "template/_partials/secret.jinja").symlink_to(secret)
    commit_all(repo, home, "v3 with a link")
    git(repo, home, "tag", "v3")
    before = snapshot(site)
    result = run_cli("update", "--defaults", "--dest", str(site), cwd=site, home=home)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "secret.jinja is a symbolic link" in rows(result.stdout)
    assert snapshot(site) == before
    created = run_cli(
        "new-guide",
        "--defaults",
        "--dest",
        str(site),
        "--topic",
        "Leak",
        "--section",
        "x",
        "--tag",
        "aa",
        "--tag",
        "bb",
        "--objective",
        "o",
        cwd=site,
        home=home,
    )
    assert created.returncode == 2
    assert "secret.jinja is a symbolic link" in one_line_error(created)
    assert "PRIVATE KEY" not in "".join(p.read_text("utf-8", "replace") for p in site.rglob("*.md"))


# ---- 4 and 5. a full disk, a denied write, a bad source: that document alone ----------------


def test_a_full_disk_or_a_denied_write_fails_only_that_pair(
    site_copy: Site3, monkeypatch: pytest.MonkeyPatch
) -> None:
    from guidewright.site.site import load_site
    from guidewright.update import run

    site, _, _ = site_copy
    before = snapshot(site)
    put_refused(
        monkeypatch,
        {
            "untouched.md": OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)),
            # The second of its pair: the first is put back.
            "section-added.yml": PermissionError(errno.EACCES, os.strerror(errno.EACCES)),
        },
    )
    outcomes = {o.document: o for o in run.update_site(load_site(site), None, None, False, None)}
    assert "No space left on device" in outcomes["docs/system-design/untouched.md"].detail
    assert "Permission denied" in outcomes["docs/system-design/section-added.md"].detail
    after = snapshot(site)
    for slug in ("untouched", "section-added"):
        for relpath in (f"docs/system-design/{slug}.md", f"{ANSWERS}/{slug}.yml"):
            assert after[relpath] == before[relpath], relpath
    assert (
        after["docs/system-design/paragraph-rewritten.md"]
        != before["docs/system-design/paragraph-rewritten.md"]
    )
    assert not [p for p in site.rglob("*.tmp")]


def test_a_bad_source_fails_only_its_document(site_copy: Site3) -> None:
    site, _, home = site_copy
    answers = site / ANSWERS / "untouched.yml"
    answers.write_text(answers.read_text().replace("_src_path: ", "_src_path: /no/such/template"))
    commit_all(site, home, "bad source")
    result = run_cli("update", "--defaults", "--dest", str(site), cwd=site, home=home)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "cannot clone the template" in rows(result.stdout)
    assert "## 🧭" in (site / "docs/system-design/section-added.md").read_text()


# ---- 7. a YAML bomb -------------------------------------------------------------------------


def test_a_yaml_bomb_in_an_answers_file_is_refused_at_once(site_copy: Site3) -> None:
    site, _, home = site_copy
    levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"] + [
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 10) + "]"
        for i in range(8)
    ]
    answers = site / ANSWERS / "untouched.yml"
    answers.write_text(answers.read_text() + "\n".join(levels) + "\n")
    commit_all(site, home, "bomb")
    result = run_cli("update", "--defaults", "--dest", str(site), cwd=site, home=home)
    assert result.returncode == 1 and "aliases expand to more than" in rows(result.stdout)
    checked = run_cli("check", "--dest", str(site), cwd=site, home=home)
    assert "Traceback" not in checked.stderr  # check reads less: the bomb is no error of its
    errors = [line for line in checked.stdout.splitlines()[:-1] if "warning:" not in line]
    assert errors and all(" GW302 " in line for line in errors)  # the conflict update left


# ---- 10-12. Copier's own copier.yml forms, downgrades, one run at a time --------------------


def test_multi_document_copier_yml_with_include(site_copy: Site3, tmp_path: Path) -> None:
    site, shared, home = site_copy
    repo = with_own_template(site, shared, home, tmp_path / "template-repo")
    config = (repo / "copier.yml").read_text("utf-8")
    questions, block = config.split("\n_guidewright:", 1)
    (repo / "more").mkdir()
    (repo / "more/block.yml").write_text("_guidewright:" + block, "utf-8")
    (repo / "copier.yml").write_text(questions + "\n---\n!include more/*.yml\n", "utf-8")
    commit_all(repo, home, "v3: split copier.yml")
    git(repo, home, "tag", "v3")
    result = run_cli("update", "--defaults", "--dest", str(site), cwd=site, home=home)
    assert result.returncode == 1, result.stdout + result.stderr  # the same-line conflict
    assert "Traceback" not in result.stderr and "0 failed" in result.stdout
    checked = run_cli("template", "check", str(repo), cwd=site, home=home)
    # It reads the split file, and finds what test_update's v2 really forgot.
    assert "Traceback" not in checked.stderr
    assert "interview_round: missing (a tutorial answers" in checked.stdout


def test_a_downgrade_is_refused_unless_asked(site_copy: Site3) -> None:
    site, _, home = site_copy
    assert run_cli("update", "--defaults", "--dest", str(site), cwd=site, home=home).returncode == 1
    for path in site.rglob("*.md"):  # resolve the one conflict as an author would
        path.write_text(path.read_text().replace("<<<<<<<", "").replace(">>>>>>>", ""))
    commit_all(site, home, "updated to v2")
    before = snapshot(site)
    back = ("update", "--defaults", "--vcs-ref", "v1", "--dest", str(site))
    refused = run_cli(*back, cwd=site, home=home)
    assert refused.returncode == 1 and "a downgrade is refused" in rows(refused.stdout)
    assert snapshot(site) == before
    allowed = run_cli(*back, "--allow-downgrade", cwd=site, home=home)
    assert "a downgrade is refused" not in rows(allowed.stdout)


def test_a_second_update_refuses_while_one_runs(site_copy: Site3) -> None:
    site, _, home = site_copy
    (site / ".guidewright").mkdir(exist_ok=True)
    with open(site / ".guidewright/update.lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        result = run_cli("update", "--defaults", "--dest", str(site), cwd=site, home=home)
    assert result.returncode == 1
    assert "another guidewright command is writing this site" in one_line_error(result)


# ---- 8. check on whatever a file system holds ------------------------------------------------


def test_check_never_crashes_on_odd_files(site: Path, home: Path) -> None:
    docs = site / "docs"
    (docs / "folder.md").mkdir()
    (docs / "dangling.md").symlink_to(docs / "nowhere.md")
    (docs / "bom.md").write_bytes(b"\xef\xbb\xbf---\ncontent_type: guide\n---\n# BOM\n")
    (docs / "dates.md").write_text("---\ncontent_type: guide\nlast_updated: 2024-13-45\n---\n")
    (docs / "twice.md").write_text("---\ncontent_type: guide\ntitle: a\ntitle: b\n---\n")
    (docs / "latin.md").write_bytes(b"---\ncontent_type: guide\n---\ncaf\xe9\n")
    (docs / "loop.md").write_text("---\ncontent_type: guide\ntags: &t [a, *t]\n---\n")
    result = run_cli("check", "--dest", str(site), cwd=site, home=home)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    out = result.stdout
    assert "docs/dangling.md:1: GW001 file: cannot read" in out
    assert "docs/bom.md:1: GW102 title: missing" in out  # read as MkDocs reads it, BOM and all
    assert "docs/dates.md:3: GW101 last_updated: must be a date written YYYY-MM-DD" in out
    assert "docs/twice.md:4: GW002 frontmatter: invalid YAML: duplicate key 'title'" in out
    assert "docs/latin.md:1: GW001 file: not UTF-8 text" in out
    assert "docs/loop.md:3: GW002 frontmatter: invalid YAML: an alias that contains itself" in out
    assert "folder.md" not in out


# ---- 9. the wizard and init ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "data", "message"),
    [
        (("--topic", "t" * 300), None, "topic: must be at most 200 characters"),
        (("--topic", "ok", "--slug", "s" * 300), None, "slug: must be lowercase"),
        (("--topic", "ok"), b"last_updated: 2024-13-45\n", "last_updated: must be a date"),
        (("--topic", "ok"), b"topic: caf\xe9\n", "--data-file: "),
        (("--topic", "ok"), b"title: a\ntitle: b\n", "duplicate key 'title'"),
    ],
)
def test_the_wizard_refuses_in_one_line(
    site: Path, home: Path, tmp_path: Path, args: tuple[str, ...], data: bytes | None, message: str
) -> None:
    extra: tuple[str, ...] = ()
    if data is not None:
        (tmp_path / "data.yml").write_bytes(data)
        extra = ("--data-file", str(tmp_path / "data.yml"))
    before = snapshot(site)
    result = run_cli(
        "new-guide",
        "--defaults",
        "--dest",
        str(site),
        "--section",
        "s",
        "--tag",
        "aa",
        "--tag",
        "bb",
        "--objective",
        "o",
        "--content-owner",
        "t",
        *args,
        *extra,
        cwd=site,
        home=home,
    )
    assert result.returncode == 2, result.stdout
    assert message in one_line_error(result)
    assert snapshot(site) == before


def test_init_under_a_file_is_one_line(tmp_path: Path, home: Path) -> None:
    (tmp_path / "file").write_text("x")
    result = run_cli("init", str(tmp_path / "file" / "site"), cwd=tmp_path, home=home)
    assert result.returncode == 2
    assert "a part of this path is a file" in one_line_error(result)


def test_make_site_helper_is_a_site(tmp_path: Path, home: Path) -> None:
    site = make_site(tmp_path / "s")
    assert run_cli("check", "--dest", str(site), cwd=site, home=home).returncode == 0


def test_tasks_migrations_and_extensions_never_run(
    site: Path, home: Path, tmp_path: Path, template_copy: Path
) -> None:
    from guidewright.copier_compat.render import TemplateRenderer

    marker = tmp_path / "pwned"
    template = shutil.copytree(template_copy, tmp_path / "template")
    with (template / "copier.yml").open("a") as config:
        config.write(
            f"_tasks: ['touch {marker}']\n_migrations: ['touch {marker}']\n"
            "_jinja_extensions: [no_such_module.Extension]\n"
        )
    result = run_cli(
        "new-guide",
        "--defaults",
        "--dest",
        str(site),
        "--template",
        str(template),
        "--topic",
        "Tasks",
        "--section",
        "s",
        "--tag",
        "aa",
        "--tag",
        "bb",
        "--objective",
        "o",
        "--content-owner",
        "t",
        cwd=site,
        home=home,
    )
    assert result.returncode == 1 and "Copier could not render" in one_line_error(result)
    from guidewright.site.site import load_site
    from guidewright.template.answering import collect_answers
    from guidewright.template.questionnaire import load_questionnaire

    given = {
        "topic": "Tasks",
        "section": "s",
        "tags": ["aa", "bb"],
        "learning_objectives": ["o"],
        "contributors": ["c"],
        "content_owner": "t",
    }
    answers = collect_answers(load_questionnaire(template), "guide", given, load_site(site), None)
    rendered = TemplateRenderer(template).render(answers, src_path=str(template), commit=None)
    assert "docs/s/tasks.md" in rendered  # update's renderer reads it and runs nothing
    assert not marker.exists()


def test_new_guide_reads_past_unreadable_pages(site: Path, home: Path) -> None:
    (site / "docs" / "dangling.md").symlink_to(site / "nowhere.md")
    result = run_cli(*GUIDE_ARGS, "--dest", str(site), cwd=site, home=home)
    assert result.returncode == 0, result.stderr
