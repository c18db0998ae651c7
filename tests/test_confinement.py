"""A template's settings stay inside the template (issue 17).

Each setting that leads to a file (`_subdirectory`, `_answers_file`, `_external_data`,
`!include`) is given an absolute path, a `..` path and a path through a symbolic link, in
a release of the template; `update`, `check`, `new` and `template check` must refuse it
with one line naming the setting, and must not open or list anything in the folder it
points to. What was opened or listed is seen by an audit hook (tests/audit_log.py), not read
from the message.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from audit_log import watching
from support import REPO, commit_all, git, make_template_repo, run_cli, snapshot

from guidewright.check.recorded_versions import _key
from guidewright.copier_compat.config import TemplateConfig, read_template_config
from guidewright.copier_compat.confinement import config_file, include_files, judge_path
from guidewright.copier_compat.render import TemplateRenderer
from guidewright.core.errors import InvalidInput, TemplateRefused

SETTINGS = ("_subdirectory", "_answers_file", "_external_data", "!include")
FLAVOURS = ("absolute", "dotdot", "symlink")
CASES = [(s, f) for s in SETTINGS for f in FLAVOURS]
REFUSED = {
    "_subdirectory": "the template's _subdirectory leaves the template",
    "_answers_file": "the template's _answers_file leaves the template",
    "_external_data": "the template's _external_data (secrets) leaves the template",
    "!include": "the template's !include leaves the template",
}
PAGE = "docs/system-design/caching.md"
PAGE_ANSWERS = ".guidewright/answers/system-design/caching.yml"


def _outside_path(outside: Path, flavour: str) -> str:
    """A path to `outside` as a setting would write it (`hostile_config` builds the absolute
    one with Jinja where Copier renders the setting)."""
    if flavour == "absolute":
        return str(outside)
    if flavour == "dotdot":  # enough `..` to reach / from any temporary folder
        return "../" * 40 + str(outside).lstrip("/")
    return "link"


def hostile_config(setting: str, flavour: str, outside: Path, value: str | None = None) -> str:
    """The project's copier.yml with one setting pointing at `outside` (or at `value`).
    An absolute path is built by Jinja, so that no check of the raw text can see it
    (`!include` is not rendered by Copier: there it is plain)."""
    text = (REPO / "copier.yml").read_text("utf-8")
    path = value or _outside_path(outside, flavour)
    if value is None and flavour == "absolute" and setting != "!include":
        path = '{{ "/" ~ "' + str(outside).lstrip("/") + '" }}'
    if setting == "_subdirectory":
        return text.replace("_subdirectory: template\n", f"_subdirectory: '{path}'\n")
    if setting == "_answers_file":
        old = "_answers_file: .guidewright/answers/{{ section }}/{{ slug }}.yml\n"
        assert old in text
        return text.replace(old, f"_answers_file: '{path}/answers.yml'\n")
    if setting == "_external_data":
        return text.replace(
            "_exclude:\n", f"_external_data:\n  secrets: '{path}/secret.yml'\n_exclude:\n", 1
        )
    return text + f"\n---\n!include '{path}/*.yml'\n"


def write_hostile_template(
    folder: Path, setting: str, flavour: str, outside: Path, value: str | None = None
) -> Path:
    """A template folder (or a checkout about to be committed) refused for `setting`."""
    folder.mkdir(exist_ok=True)
    if not (folder / "template").exists():
        shutil.copytree(REPO / "template", folder / "template")
    (folder / "copier.yml").write_text(hostile_config(setting, flavour, outside, value), "utf-8")
    if flavour == "symlink":
        (folder / "link").symlink_to(outside, target_is_directory=True)
    return folder


def from_answers(outside: Path) -> str:
    """A path that leaves only once rendered with a guide's answers: its raw text has
    neither a leading / nor a `..` segment."""
    return '{{ "/" if content_type == "guide" else "" }}' + str(outside).lstrip("/")


def make_outside(base: Path) -> Path:
    """What a leak would read: a folder of YAML, a secret and a whole template."""
    outside = base / "outside"
    outside.mkdir()
    (outside / "evil.yml").write_text("evil_question: {type: str, default: leaked}\n")
    (outside / "secret.yml").write_text("key: PRIVATE\n")
    (outside / "answers.yml").write_text("_commit: v1\n")
    shutil.copytree(REPO / "template", outside / "template")
    return outside.resolve()


def audited(
    *args: str, cwd: Path, home: Path, watched: Path, cache: Path | None = None
) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    """Run guidewright under the audit hook: its result and what it touched in `watched`."""
    env = {"COLUMNS": "400"}
    if cache is not None:
        env["GUIDEWRIGHT_CACHE_DIR"] = str(cache)
    with watching(watched) as touched:
        result = run_cli(*args, cwd=cwd, home=home, env=env)
    return result, touched


def new_guide(site: Path, topic: str, *extra: str) -> tuple[str, ...]:
    """`new-guide` with every answer given."""
    return (
        "new-guide",
        "--defaults",
        "--dest",
        str(site),
        "--topic",
        topic,
        *extra,
        "--section",
        "system-design",
        "--tag",
        "aws",
        "--tag",
        "coding",
        "--objective",
        "Explain it",
        "--last-updated",
        "2026-11-01",
    )


def one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in text, text
    return lines[0]


# ---- the site: a template repository, two pages, a folder a leak would read --------------


class World:
    def __init__(self, base: Path) -> None:
        self.base = base
        self.home = base / "home"
        self.repo = make_template_repo(base, self.home)
        self.outside = make_outside(base)
        self.site = base / "site"
        self.releases = 0
        result, _ = audited(
            "init",
            str(self.site),
            "--content-owner",
            "team",
            "--template",
            str(self.repo),
            cwd=base,
            home=self.home,
            watched=self.outside,
        )
        assert result.returncode == 0, result.stderr
        for topic in ("Caching", "Sharding"):
            result, _ = audited(
                *new_guide(self.site, topic), cwd=base, home=self.home, watched=self.outside
            )
            assert result.returncode == 0, result.stderr
        commit_all(self.site, self.home, "documents", init=True)

    def hostile_release(self, setting: str, flavour: str, value: str | None = None) -> str:
        """A version of the template refused for `setting` (its path `value`, when given),
        on a branch of its own: not a descendant of v1, so going to v1 is no downgrade."""
        self.releases += 1
        tag = f"v0.{self.releases}"
        git(self.repo, self.home, "checkout", "-q", "--orphan", f"hostile-{self.releases}")
        write_hostile_template(self.repo, setting, flavour, self.outside, value)
        git(self.repo, self.home, "add", "-A")
        git(self.repo, self.home, "commit", "-q", "-m", f"hostile {setting} {flavour}")
        git(self.repo, self.home, "tag", tag)
        git(self.repo, self.home, "checkout", "-q", "-f", "main")
        git(self.repo, self.home, "clean", "-qfdx")
        return tag

    def site_recording(self, tag: str, target: Path) -> Path:
        """A copy of the site whose first page records version `tag`."""
        site = target / "site"
        shutil.copytree(self.site, site, symlinks=True)
        answers = site / PAGE_ANSWERS
        answers.write_text(answers.read_text("utf-8").replace("_commit: v1\n", f"_commit: {tag}\n"))
        commit_all(site, self.home, f"records {tag}")
        return site


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return World(tmp_path_factory.mktemp("confinement"))


def test_the_audit_hook_sees_what_is_opened_and_listed(world: World, tmp_path: Path) -> None:
    """The control: without it, an empty log would prove nothing."""
    result, touched = audited(
        "check", "--dest", str(world.site), cwd=tmp_path, home=world.home, watched=world.site
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert any(line.startswith("open ") and line.endswith(PAGE) for line in touched)
    # The site index lists the docs folder through a descriptor of it (check/site_index.py's
    # scan): the hook sees that folder opened, then listed by descriptor.
    docs = os.path.realpath(world.site / "docs")
    assert f"open {docs}" in touched


# ---- update and check: a recorded version that is refused ----------------------------------


@pytest.mark.parametrize(("setting", "flavour"), CASES)
def test_update_and_check_refuse_a_version_whose_setting_leaves_it(
    world: World, tmp_path: Path, setting: str, flavour: str
) -> None:
    tag = world.hostile_release(setting, flavour)
    site = world.site_recording(tag, tmp_path)
    before = snapshot(site)
    result, touched = audited(
        "update",
        "--defaults",
        "--dest",
        str(site),
        cwd=tmp_path,
        home=world.home,
        watched=world.outside,
        cache=tmp_path / "cache",
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and not result.stderr.strip(), result.stderr
    row = next(line for line in result.stdout.splitlines() if "caching.md" in line)
    assert "failed" in row and REFUSED[setting] in row, row
    assert "already current" in next(x for x in result.stdout.splitlines() if "sharding" in x)
    assert touched == []
    assert snapshot(site) == before

    result, touched = audited(
        "check",
        "--dest",
        str(site),
        cwd=tmp_path,
        home=world.home,
        watched=world.outside,
        cache=tmp_path / "cache",
    )
    assert result.returncode == 1, result.stdout + result.stderr
    found = [line for line in result.stdout.splitlines() if "GW506" in line]
    assert len(found) == 1 and found[0].startswith(f"site/{PAGE}:1: GW506"), result.stdout
    assert f"template version {tag} of {world.repo} is refused: {REFUSED[setting]}" in found[0]
    assert "1 error" in result.stdout
    assert touched == []


def test_a_newest_release_that_leaves_fails_every_page_and_check_stops(
    world: World, tmp_path: Path
) -> None:
    tag = world.hostile_release("_external_data", "dotdot")
    git(world.repo, world.home, "tag", "v9", tag)  # now the version update goes to
    try:
        site = tmp_path / "site"
        shutil.copytree(world.site, site, symlinks=True)
        result, touched = audited(
            "update",
            "--defaults",
            "--dest",
            str(site),
            cwd=tmp_path,
            home=world.home,
            watched=world.outside,
        )
        assert result.returncode == 1 and not result.stderr, result.stdout + result.stderr
        rows = [line for line in result.stdout.splitlines() if "system-design/" in line]
        assert len(rows) == 2 and all(REFUSED["_external_data"] in row for row in rows), rows
        assert touched == []
        result, touched = audited(
            "check", "--dest", str(site), cwd=tmp_path, home=world.home, watched=world.outside
        )
        assert result.returncode == 2, result.stdout + result.stderr
        assert one_line(result.stderr).startswith(f"error: {REFUSED['_external_data']}: ")
        assert touched == []
    finally:
        git(world.repo, world.home, "tag", "-d", "v9")


def test_update_judges_a_subdirectory_rendered_with_the_answers(
    world: World, tmp_path: Path
) -> None:
    """`_subdirectory` that only leaves for some answers: judged per page, when rendered."""
    tag = world.hostile_release("_subdirectory", "absolute", from_answers(world.outside))
    site = world.site_recording(tag, tmp_path)
    result, touched = audited(
        "update",
        "--defaults",
        "--pretend",
        "--dest",
        str(site),
        cwd=tmp_path,
        home=world.home,
        watched=world.outside,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    row = next(line for line in result.stdout.splitlines() if "caching.md" in line)
    assert REFUSED["_subdirectory"] in row and "is an absolute path" in row, row
    assert touched == []


def test_a_version_cached_before_this_rule_is_judged_again(world: World, tmp_path: Path) -> None:
    """A cache made by an older guidewright holds the version as it was: a link stays a link
    and reading the copy runs the rule."""
    tag = world.hostile_release("_subdirectory", "symlink")
    site = world.site_recording(tag, tmp_path)
    cache = tmp_path / "cache"
    cached = cache / "templates" / _key(str(world.repo)) / _key(tag)
    cached.mkdir(parents=True)
    write_hostile_template(cached, "_subdirectory", "symlink", world.outside)
    result, touched = audited(
        "check",
        "--dest",
        str(site),
        cwd=tmp_path,
        home=world.home,
        watched=world.outside,
        cache=cache,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"is refused: {REFUSED['_subdirectory']}" in result.stdout
    assert "goes through the symbolic link 'link'" in result.stdout
    assert touched == []


def test_the_cache_copies_links_as_links(world: World, tmp_path: Path) -> None:
    tag = world.hostile_release("!include", "symlink")
    site = world.site_recording(tag, tmp_path)
    cache = tmp_path / "cache"
    result, touched = audited(
        "check",
        "--dest",
        str(site),
        cwd=tmp_path,
        home=world.home,
        watched=world.outside,
        cache=cache,
    )
    assert result.returncode == 1 and touched == [], result.stdout
    link = cache / "templates" / _key(str(world.repo)) / _key(tag) / "link"
    assert link.is_symlink() and Path(os.readlink(link)) == world.outside


# ---- new and template check: a template folder that is refused ----------------------------


@pytest.mark.parametrize(("setting", "flavour"), CASES)
def test_new_and_template_check_refuse_a_setting_that_leaves(
    world: World, tmp_path: Path, setting: str, flavour: str
) -> None:
    template = write_hostile_template(tmp_path / "template", setting, flavour, world.outside)
    site = tmp_path / "site"
    shutil.copytree(world.site, site, symlinks=True)
    before = snapshot(site)
    result, touched = audited(
        *new_guide(site, "Leak", "--template", str(template)),
        cwd=tmp_path,
        home=world.home,
        watched=world.outside,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert one_line(result.stderr).startswith(f"error: {REFUSED[setting]}: ")
    assert touched == []
    assert snapshot(site) == before

    result, touched = audited(
        "template", "check", str(template), cwd=tmp_path, home=world.home, watched=world.outside
    )
    assert result.returncode == 1, result.stdout + result.stderr
    finding, summary = result.stdout.strip().splitlines()
    assert finding.startswith(f"copier.yml:1: {REFUSED[setting]}: ") and summary == "1 problem"
    assert touched == []


def test_a_copier_yml_that_links_outside_is_not_read(world: World, tmp_path: Path) -> None:
    template = tmp_path / "template"
    shutil.copytree(REPO / "template", template / "template")
    (world.outside / "copier.yml").write_text((REPO / "copier.yml").read_text("utf-8"))
    (template / "copier.yml").symlink_to(world.outside / "copier.yml")
    refused = "the template's copier.yml is a symbolic link; it must be a file"
    result, touched = audited(
        "template", "check", str(template), cwd=tmp_path, home=world.home, watched=world.outside
    )
    assert result.returncode == 1 and f"copier.yml:1: {refused}" in result.stdout, result.stdout
    assert touched == []
    result, touched = audited(
        *new_guide(world.site, "Leak", "--template", str(template)),
        cwd=tmp_path,
        home=world.home,
        watched=world.outside,
    )
    assert result.returncode == 2 and one_line(result.stderr) == f"error: {refused}"
    assert touched == []


@pytest.mark.parametrize(("setting", "flavour"), list(zip(SETTINGS, FLAVOURS * 2, strict=False)))
@pytest.mark.parametrize("command", ["schema", "types"])
def test_schema_and_types_refuse_a_setting_that_leaves(
    world: World, tmp_path: Path, setting: str, flavour: str, command: str
) -> None:
    template = write_hostile_template(tmp_path / "template", setting, flavour, world.outside)
    result, touched = audited(
        command,
        "--template",
        str(template),
        cwd=tmp_path,
        home=world.home,
        watched=world.outside,
    )
    assert result.returncode == 2 and not result.stdout, result.stdout + result.stderr
    assert one_line(result.stderr).startswith(f"error: {REFUSED[setting]}: ")
    assert touched == []


@pytest.mark.parametrize("setting", ["_subdirectory", "_external_data"])
def test_new_judges_settings_rendered_with_the_answers(
    world: World, tmp_path: Path, setting: str
) -> None:
    """A path that leaves only with the author's answers: judged before Copier is called."""
    template = tmp_path / "template"
    template.mkdir()
    write_hostile_template(
        template, setting, "absolute", world.outside, from_answers(world.outside)
    )
    result, touched = audited(
        *new_guide(world.site, "Leak", "--template", str(template)),
        cwd=tmp_path,
        home=world.home,
        watched=world.outside,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert REFUSED[setting] in one_line(result.stderr)
    assert "is an absolute path" in result.stderr
    assert touched == []


# ---- the rule itself ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("/etc", "is an absolute path"),
        ("C:/Windows", "is an absolute path"),
        ("a\\..\\b", "holds a backslash"),
        ("a/../b", "has a '..' segment"),
        ("..", "has a '..' segment"),
        ("a\x00b", "holds a NUL character"),
        ("link/deeper", "goes through the symbolic link 'link'"),
        ("real/inner", "goes through the symbolic link 'real/inner'"),
    ],
)
def test_judge_path_refuses(tmp_path: Path, value: str, reason: str) -> None:
    (tmp_path / "link").symlink_to("/")
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "inner").symlink_to(tmp_path)
    with pytest.raises(TemplateRefused, match="_subdirectory leaves the template") as refused:
        judge_path(tmp_path, value, "_subdirectory")
    assert reason in refused.value.message and "\n" not in refused.value.message


@pytest.mark.parametrize("value", ["", ".", "template", "a/b/c", "./template/", "missing/x"])
def test_judge_path_accepts_paths_inside(tmp_path: Path, value: str) -> None:
    (tmp_path / "template").mkdir()
    assert not judge_path(tmp_path, value, "_subdirectory").is_absolute()


def test_include_globs_as_pathlib_does_without_following_links(tmp_path: Path) -> None:
    for relpath in ("a.yml", "b.yaml", "sub/c.yml", "sub/deep/d.yml", ".hidden.yml"):
        (tmp_path / relpath).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relpath).write_text("x: 1\n")
    for pattern in ("*.yml", "sub/*.yml", "**/*.yml", "sub/**/*.yml", "*/c.yml", "a.yml"):
        assert include_files(tmp_path, pattern) == sorted(tmp_path.glob(pattern)), pattern
    (tmp_path / "sub" / "away").symlink_to(tmp_path.parent, target_is_directory=True)
    assert include_files(tmp_path, "**/*.yml") == sorted(tmp_path.glob("**/*.yml"))
    for pattern in ("sub/away/*.yml", "sub/*/x.yml", "*/away"):
        with pytest.raises(TemplateRefused, match="goes through the symbolic link 'sub/away'"):
            include_files(tmp_path, pattern)


def test_copier_yml_that_is_a_link_is_refused(tmp_path: Path) -> None:
    real = tmp_path / "real.yml"
    real.write_text("q: 1\n")
    template = tmp_path / "t"
    template.mkdir()
    (template / "copier.yml").symlink_to(real)
    with pytest.raises(TemplateRefused, match=r"copier\.yml is a symbolic link"):
        config_file(template)
    with pytest.raises(InvalidInput, match=r"copier\.yml is a symbolic link"):
        read_template_config(template)


def test_exclude_and_skip_if_exists_anchors_are_not_refused(tmp_path: Path) -> None:
    """A leading / in a filter pattern anchors it: nothing is read through it."""
    (tmp_path / "copier.yml").write_text(
        "_subdirectory: t\n_exclude: ['/secret', '../x']\n_skip_if_exists: ['/a.md']\n"
    )
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "secret").write_text("s")
    (tmp_path / "t" / "kept.md").write_text("k")
    files = TemplateRenderer(tmp_path).render({}, src_path=str(tmp_path), commit=None)
    assert set(files) == {"kept.md"}


def test_a_subdirectory_from_the_answers_is_judged_when_rendered(tmp_path: Path) -> None:
    (tmp_path / "copier.yml").write_text("_subdirectory: '{{ where }}'\nwhere: t\n")
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "page.md").write_text("p")
    renderer = TemplateRenderer(tmp_path)  # nothing to judge before the answers
    assert renderer.render({"where": "t"}, src_path="x", commit=None) == {"page.md": b"p"}
    with pytest.raises(TemplateRefused, match="_subdirectory leaves the template: '/etc'"):
        renderer.render({"where": "/etc"}, src_path="x", commit=None)


def test_jinja_reads_no_file_through_a_link(tmp_path: Path) -> None:
    """`{% include %}` names a file too: the loader judges it like any other path."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("PRIVATE")
    template = tmp_path / "t"
    (template / "t").mkdir(parents=True)
    (template / "copier.yml").write_text("_subdirectory: t\n")
    (template / "link").symlink_to(outside, target_is_directory=True)
    (template / "t" / "page.md.jinja").write_text('{% include "link/secret.txt" %}')
    with pytest.raises(TemplateRefused, match="include or import leaves the template"):
        TemplateRenderer(template).render({}, src_path="x", commit=None)


def test_template_check_refuses_a_validator_that_includes_through_a_link(
    world: World, tmp_path: Path
) -> None:
    template = write_hostile_template(
        tmp_path / "template", "_subdirectory", "symlink", world.outside, "template"
    )
    config = template / "copier.yml"
    old = '{% import "template/_partials/rules.jinja" as r %}{{ r.one_line(topic, 200) }}'
    text = config.read_text("utf-8")
    assert old in text
    config.write_text(text.replace(old, '{% include "link/secret.yml" %}', 1), "utf-8")
    result, touched = audited(
        "template", "check", str(template), cwd=tmp_path, home=world.home, watched=world.outside
    )
    assert result.returncode == 1 and not result.stderr, result.stderr
    *findings, summary = result.stdout.strip().splitlines()
    assert summary == f"{len(findings)} problems" and findings
    for finding in findings:
        assert "include or import leaves the template: 'link/secret.yml' goes through" in finding
    assert touched == []


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        (
            "_subdirectory: '{{ 1 / 0 }}'",
            "_subdirectory does not render: ZeroDivisionError: division by zero",
        ),
        ("_subdirectory: [a, b]", "_subdirectory must be text"),
        ("_external_data: [a]", "_external_data must map names to paths"),
        ('_answers_file: \'{{ "/" ~ "etc" }}/x.yml\'', "_answers_file leaves the template"),
    ],
)
def test_a_setting_that_cannot_be_judged_is_one_line(
    tmp_path: Path, setting: str, message: str
) -> None:
    (tmp_path / "copier.yml").write_text(setting + "\n")
    with pytest.raises(TemplateRefused) as refused:
        read_template_config(tmp_path)
    assert message in refused.value.message and "\n" not in refused.value.message


# ---- against Copier: what this rule refuses, Copier refuses too ---------------------------


def _copier_copy(template: Path, world: World, target: Path) -> None:
    import copier
    import yaml

    recorded = yaml.safe_load((world.site / PAGE_ANSWERS).read_text("utf-8"))
    answers = {k: v for k, v in recorded.items() if not k.startswith("_")}
    copier.run_copy(
        str(template),
        target,
        data=answers,
        defaults=True,
        quiet=True,
        unsafe=False,
        answers_file=".answers.yml",
    )


@pytest.mark.differential
@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("setting", ["_subdirectory", "!include"])
def test_copier_refuses_what_the_rule_refuses(
    world: World, tmp_path: Path, setting: str, flavour: str
) -> None:
    """Copier's own checks come after it has listed the folder; ours before. Both refuse."""
    from copier.errors import CopierError

    template = write_hostile_template(tmp_path / "template", setting, flavour, world.outside)
    with pytest.raises(TemplateRefused, match="leaves the template"):
        read_template_config(template)
    with pytest.raises((CopierError, ValueError), match=r"is forbidden|must be a relative path"):
        _copier_copy(template, world, tmp_path / "out")


@pytest.mark.differential
def test_copier_and_the_rule_accept_the_project_template(world: World, tmp_path: Path) -> None:
    """The control of the test above: the same answers render with the template as it is."""
    template = tmp_path / "template"
    shutil.copytree(REPO / "template", template / "template")
    shutil.copy(REPO / "copier.yml", template / "copier.yml")
    assert read_template_config(template).subdirectory == "template"
    _copier_copy(template, world, tmp_path / "out")
    assert (tmp_path / "out" / PAGE).is_file()


def test_template_check_writes_nothing_outside_its_scratch_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file name that renders to `../escape.md`: a finding, and nothing written there."""
    import tempfile as tempfile_module

    from guidewright.template_check.lint import check_template

    template = tmp_path / "template"
    shutil.copytree(REPO / "template", template / "template")
    shutil.copy(REPO / "copier.yml", template / "copier.yml")
    (template / "template" / "{{ '..' ~ _copier_conf.sep ~ 'escape' }}.md").write_text("x")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile_module, "tempdir", str(scratch))
    findings = check_template(template)
    assert findings and all(
        "rendered file '../escape.md' would be written outside: it has a '..' segment" in f.message
        for f in findings
    ), findings
    assert not (scratch / "escape.md").exists() and list(scratch.iterdir()) == []


def test_a_refused_version_is_read_once_per_run(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its thousand pages fail with one reason, without reading the version a thousand times."""
    from guidewright.copier_compat import render
    from guidewright.template.versions import RefOrigin, TemplateRepository

    tag = world.hostile_release("_subdirectory", "dotdot")
    reads: list[Path] = []
    real = read_template_config

    def counted(root: Path) -> TemplateConfig:
        reads.append(root)
        return real(root)

    monkeypatch.setattr(render, "read_template_config", counted)
    repository = TemplateRepository(str(world.repo), tmp_path)
    version = repository.resolve(tag, RefOrigin.GIVEN)
    for _ in range(3):
        with pytest.raises(TemplateRefused, match="_subdirectory leaves the template"):
            repository.renderer(version)
    assert len(reads) == 1
