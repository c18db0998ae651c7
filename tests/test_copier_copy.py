"""A copy through copier_compat/copier_copy.py (Copier's Worker, its Jinja compiled once a
machine) writes what plain `copier.run_copy` writes, byte for byte, whether its code is
compiled, read from the cache folder or kept in this process."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any

import copier
import jinja2
import pytest
import yaml
from copier_oracle import copier_template_config
from support import GUIDE_ARGS, REPO, TUTORIAL_ARGS, git, isolated_env, run_cli, snapshot

from guidewright.copier_compat.config import copier_raw_config
from guidewright.copier_compat.copier_copy import _template_class, run_copy, unversioned_folder
from guidewright.copier_compat.jinja import RECENTLY_COMPILED, is_literal

pytestmark = pytest.mark.differential


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder, and nothing compiled kept in this process."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("GUIDEWRIGHT_CACHE_DIR", str(folder))
    RECENTLY_COMPILED.clear()
    yield folder
    RECENTLY_COMPILED.clear()


@pytest.fixture
def compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The template sources Jinja compiles from here on, but for text Jinja renders as
    itself (`str`, a choice, a path), which a copy keeps in its process only."""
    seen: list[str] = []
    parse = jinja2.Environment._parse
    plain_text = jinja2.Environment(keep_trailing_newline=True)  # Copier's delimiters

    def counted(env: jinja2.Environment, source: str, *args: object) -> object:
        if not is_literal(plain_text, source):
            seen.append(source)
        return parse(env, source, *args)

    monkeypatch.setattr(jinja2.Environment, "_parse", counted)
    return seen


def _answers(site: Path, home: Path, args: tuple[str, ...]) -> tuple[dict[str, object], str]:
    """The answers `new` recorded for a document made with `args`, and their file."""
    assert run_cli(*args, "--dest", str(site), cwd=site, home=home).returncode == 0
    (recorded,) = (site / ".guidewright/answers").rglob("*.yml")
    answers = yaml.safe_load(recorded.read_text("utf-8"))
    shutil.rmtree(site / ".guidewright")
    data = {key: value for key, value in answers.items() if not key.startswith("_")}
    return data, recorded.relative_to(site).as_posix()


def _joined(files: dict[str, bytes]) -> bytes:
    """Each file's path (its bytes, as the file system has them) and content."""
    return b"|".join(os.fsencode(path) + content for path, content in files.items())


def _copies(template: Path, target: Path, data: dict[str, object], answers_file: str) -> bytes:
    run_copy(str(template), target, data, answers_file=answers_file, vcs_ref=None)
    return _joined(snapshot(target))


def _template(folder: Path, files: dict[str, str]) -> Path:
    """A template in `folder`: each file's path inside it and its text."""
    for relpath, text in files.items():
        (folder / relpath).parent.mkdir(parents=True, exist_ok=True)
        (folder / relpath).write_text(text, "utf-8")
    return folder


def _template_with_extension(
    tmp_path: Path,
    extension: str,
    body: str,
    files: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> Path:
    """A template whose copier.yml names `extension` (MODULE.CLASS) in `_jinja_extensions`
    before `files`' own copier.yml, and the module, defined by `body` and importable for
    this test."""
    module = extension.rsplit(".", 1)[0]
    modules = tmp_path / "modules"
    modules.mkdir()
    (modules / f"{module}.py").write_text("from jinja2.ext import Extension\n\n" + body, "utf-8")
    monkeypatch.syspath_prepend(str(modules))
    copier_yml = f"_jinja_extensions:\n  - {extension}\n" + files.get("copier.yml", "")
    return _template(tmp_path / "template", {**files, "copier.yml": copier_yml})


@pytest.mark.parametrize("args", [GUIDE_ARGS, TUTORIAL_ARGS], ids=["guide", "tutorial"])
def test_a_copy_writes_what_plain_copier_writes_cold_from_the_folder_and_kept(
    site: Path,
    home: Path,
    tmp_path: Path,
    template_copy: Path,
    cache: Path,
    compiles: list[str],
    args: tuple[str, ...],
) -> None:
    data, answers_file = _answers(site, home, args)
    copier.run_copy(
        str(template_copy),
        tmp_path / "plain",
        data=dict(data),
        answers_file=answers_file,
        defaults=True,
        quiet=True,
        overwrite=True,
    )
    plain = _joined(snapshot(tmp_path / "plain"))
    assert b".md" in plain and answers_file.encode() in plain
    shutil.rmtree(cache)  # what `new` kept above
    RECENTLY_COMPILED.clear()
    compiles.clear()
    assert _copies(template_copy, tmp_path / "cold", data, answers_file) == plain
    assert compiles, "a cold cache compiles"
    entries = sorted(cache.rglob("*"))
    RECENTLY_COMPILED.clear()  # from the folder alone
    compiles.clear()
    assert _copies(template_copy, tmp_path / "from-the-folder", data, answers_file) == plain
    assert compiles == [] and sorted(cache.rglob("*")) == entries
    # Kept in this process for the next Copier environment alike (each run makes one).
    kept = len(RECENTLY_COMPILED)
    assert _copies(template_copy, tmp_path / "kept", data, answers_file) == plain
    assert compiles == [] and len(RECENTLY_COMPILED) == kept


def test_a_template_copied_to_another_folder_is_not_compiled_again(
    tmp_path: Path, site: Path, home: Path, template_copy: Path, cache: Path, compiles: list[str]
) -> None:
    # The bundled template is handed to Copier as a new scratch copy at each run.
    data, answers_file = _answers(site, home, GUIDE_ARGS)
    _copies(template_copy, tmp_path / "first", data, answers_file)
    entries = sorted(cache.rglob("*"))
    elsewhere = shutil.copytree(template_copy, tmp_path / "elsewhere")
    RECENTLY_COMPILED.clear()
    compiles.clear()
    second = _copies(elsewhere, tmp_path / "second", data, answers_file)
    third = _copies(template_copy, tmp_path / "third", data, answers_file)
    # The answers file records the folder Copier was handed (`_src_path`).
    assert second.replace(str(elsewhere).encode(), str(template_copy).encode()) == third
    assert compiles == [] and sorted(cache.rglob("*")) == entries


def test_a_filter_reading_the_home_folder_reads_it_at_each_copy(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Jinja folds `"~" | expanduser` into the code it compiles; kept, that code would
    # name the first run's home folder in every later one.
    template = _template(
        tmp_path / "template",
        {
            "copier.yml": "where:\n  type: str\n  default: '{{ \"~\" | expanduser }}'\n",
            "out.txt.jinja": '{{ "~/notes" | expanduser }} {{ where }}\n',
        },
    )
    for number in (1, 2):
        monkeypatch.setenv("HOME", str(tmp_path / f"home-{number}"))
        target = tmp_path / f"copy-{number}"
        run_copy(str(template), target, {}, answers_file=".answers.yml", vcs_ref=None)
        home = tmp_path / f"home-{number}"
        assert (target / "out.txt").read_text("utf-8") == f"{home}/notes {home}\n"
    copier.run_copy(str(template), tmp_path / "plain", defaults=True, quiet=True)
    assert (tmp_path / "plain/out.txt").read_bytes() == (target / "out.txt").read_bytes()


def test_a_template_naming_extensions_is_refused_before_they_are_imported(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Copier refuses `_jinja_extensions` it was not told to trust before it makes its
    # environment, which imports them: the cache is set on that environment when Copier
    # makes it, never earlier.
    body = "class Probe(Extension):\n    pass\n"
    template = _template_with_extension(
        tmp_path,
        "guidewright_probe_extension.Probe",
        body,
        {"copier.yml": "name:\n  default: x\n", "out.txt.jinja": "{{ name }}\n"},
        monkeypatch,
    )
    with pytest.raises(copier.errors.UnsafeTemplateError):
        run_copy(str(template), tmp_path / "copy", {}, answers_file=".answers.yml", vcs_ref=None)
    assert "guidewright_probe_extension" not in sys.modules
    assert not (tmp_path / "copy").exists()


def _plain_and_ours(template: Path, tmp_path: Path, name: str) -> tuple[bytes, bytes]:
    """What plain Copier and a copy here write from `template` with its defaults."""
    copier.run_copy(str(template), tmp_path / f"{name}-plain", defaults=True, quiet=True)
    run_copy(str(template), tmp_path / name, {}, answers_file=".copier-answers.yml", vcs_ref=None)
    plain, ours = snapshot(tmp_path / f"{name}-plain"), snapshot(tmp_path / name)
    return _joined(plain), _joined(ours)


def test_paths_that_yield_are_written_as_copier_writes_them_cold_and_warm(
    tmp_path: Path, cache: Path
) -> None:
    # Copier's `{% yield %}` starts its context afresh as each path is compiled: a path
    # is compiled again for each value it yields, and the second compile is a cache hit.
    template = _template(
        tmp_path / "template",
        {
            "copier.yml": "items:\n  type: yaml\n  default: '[a, b]'\n",
            "{% yield item from items %}{{ item }}{% endyield %}/f.txt.jinja": (
                "{{ item }} of {{ items | length }}\n"
            ),
        },
    )
    for name in ("cold", "from-the-folder", "kept"):
        if name == "from-the-folder":
            RECENTLY_COMPILED.clear()
        plain, ours = _plain_and_ours(template, tmp_path, name)
        assert b"a/f.txt" in ours and b"b/f.txt" in ours
        assert ours == plain, name


def test_a_trusted_template_s_own_extensions_are_never_cached(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Copier runs the extensions of a template its settings trust; the filters they add
    # are code no key of the cache describes (an edited filter would keep old output).
    body = (
        "class Shout(Extension):\n"
        "    def __init__(self, environment):\n"
        "        super().__init__(environment)\n"
        "        environment.filters['shout'] = str.upper\n"
    )
    template = _template_with_extension(
        tmp_path,
        "guidewright_shout_extension.Shout",
        body,
        {
            "copier.yml": "name:\n  default: '{{ \"hello\" | shout }}'\n",
            "out.txt.jinja": '{{ name }} {{ "file" | shout }}\n',
        },
        monkeypatch,
    )
    settings = tmp_path / "settings.yml"
    settings.write_text(f"trust: ['{tmp_path}/']\n", "utf-8")  # a prefix of the template's
    monkeypatch.setenv("COPIER_SETTINGS_PATH", str(settings))
    plain, ours = _plain_and_ours(template, tmp_path, "trusted")
    assert b"HELLO FILE" in ours and ours == plain
    assert not list(cache.rglob("*.code"))


@pytest.mark.skipif(sys.platform == "darwin", reason="APFS refuses a name that is no UTF-8")
def test_a_file_name_that_is_no_utf8_is_copied_as_copier_copies_it(
    tmp_path: Path, cache: Path
) -> None:
    template = _template(tmp_path / "template", {"copier.yml": "name:\n  default: x\n"})
    (template / "caf\udcff.txt").write_bytes(b"caf\xff\n")  # Python's name for the byte
    (template / "caf\udcfe-{{ name }}.txt.jinja").write_text("{{ name }}\n", "utf-8")
    for name in ("cold", "warm"):
        plain, ours = _plain_and_ours(template, tmp_path, name)
        assert b"caf\xff.txt" in ours and ours == plain


# copier.yml texts where Copier's read has a say: documents merged (a later key wins, the
# list settings extended, a string one letter by letter), empty ones dropped, `!include`
# of one file and of a glob (a file of lists, of several documents), YAML's own types,
# anchors and merge keys.
CONFIG_TEXTS = {
    "documents": (
        "_exclude: [a, b]\ntopic: {type: str}\n---\n---\n_exclude: cd\n"
        "_skip_if_exists: [x]\ntopic: {type: int, default: 3}\nlevel: L5\n"
    ),
    "includes": "_min_copier_version: '9'\n---\n!include 'extra/*.yml'\n---\n!include one.yml\n",
    "scalars": (
        "when: 2026-12-06\nstamp: 2026-12-06 10:00:00\nyes_no: [yes, no, on, off]\n"
        "numbers: [0o17, 0x1f, 1_000, .inf, -.nan, 1e3]\nfolded: >-\n  one\n  two\n"
        "base: &base {type: str, help: 'Hä? 🎯'}\nderived: {<<: *base, default: d}\n"
        "empty:\nnull_key: ~\n'quoted: key': \"tab\\there\"\n"
    ),
}
INCLUDED = {
    "extra/a.yml": "- _exclude: [inc]\n- first: {default: 1}\n",
    "extra/b.yml": "second: 2\n---\nthird: [3]\n",
    "one.yml": "level: L7\n",
}


@pytest.mark.parametrize("name", [*CONFIG_TEXTS, "bundled"])
def test_copiers_config_read_is_copiers(tmp_path: Path, name: str) -> None:
    """config.py's `copier_raw_config`, which `copier copy` here reads copier.yml with,
    gives what Copier's `load_template_config` gives, value for value and type for type."""
    if name == "bundled":
        config = REPO / "copier.yml"
    else:
        config = tmp_path / "copier.yml"
        config.write_text(CONFIG_TEXTS[name], "utf-8")
        for relpath, text in INCLUDED.items():
            (tmp_path / relpath).parent.mkdir(exist_ok=True)
            (tmp_path / relpath).write_text(text, "utf-8")
    ours, copiers = copier_raw_config(config), copier_template_config(config)
    assert ours == copiers
    assert repr(ours) == repr(copiers)  # the same types too: a date, a float, a NaN


@pytest.mark.parametrize(
    "text",
    [
        "a: [1\n",  # not YAML
        "!include /etc/*.yml\n",  # an absolute path
        "!include [a]\n",  # not a scalar
        "!include '../*.yml'\n",  # outside the template
    ],
)
def test_copiers_config_read_refuses_as_copier_refuses(tmp_path: Path, text: str) -> None:
    (tmp_path / "t").mkdir()
    (tmp_path / "outside.yml").write_text("a: 1\n", "utf-8")
    config = tmp_path / "t" / "copier.yml"
    config.write_text(text, "utf-8")
    with pytest.raises(Exception) as copiers:
        copier_template_config(config)
    with pytest.raises(type(copiers.value)) as ours:
        copier_raw_config(config)
    assert str(ours.value) == str(copiers.value)


def _template_folders(root: Path, home: Path) -> dict[str, Path]:
    """A folder of every kind Copier's `get_repo` tells apart, each holding copier.yml."""
    folders = {name: root / name for name in ("plain", "repository", "worktree")}
    for folder in folders.values():
        folder.mkdir()
        shutil.copy(REPO / "copier.yml", folder / "copier.yml")
    git(folders["repository"], home, "init", "-q")
    git(folders["repository"], home, "add", "-A")
    git(folders["repository"], home, "commit", "-q", "-m", "v1")
    (folders["worktree"] / ".git").write_text(f"gitdir: {folders['repository'] / '.git'}\n")
    folders["inside a repository"] = folders["repository"] / "sub"
    folders["inside a repository"].mkdir()
    folders["linked to a repository"] = root / "linked"
    folders["linked to a repository"].symlink_to(folders["repository"])
    folders["bundle"] = root / "v1.bundle"
    git(folders["repository"], home, "bundle", "create", "-q", str(folders["bundle"]), "HEAD")
    # Bare repositories whose work tree is the folder itself, or a folder inside them.
    for name, tree in (("bare, its own work tree", "."), ("inside a bare one", "tpl")):
        bare = root / name.replace(" ", "-").replace(",", "")
        git(root, home, "init", "-q", "--bare", str(bare))
        git(bare, home, "config", "core.bare", "false")
        git(bare, home, "config", "core.worktree", str((bare / tree).resolve()))
        folders[name] = bare / tree
        folders[name].mkdir(exist_ok=True)
        shutil.copy(REPO / "copier.yml", folders[name] / "copier.yml")
    return folders


def _vcs_of(template: Any) -> object:
    """The template's `vcs`, or what its working out raised (Copier's `git init` fails
    under GIT_WORK_TREE without GIT_DIR, say)."""
    try:
        vcs: object = template.vcs
    except Exception as error:  # compared, whatever it is
        return (type(error), str(error))
    return vcs


@pytest.mark.parametrize("variable", [None, "GIT_DIR", "GIT_WORK_TREE"])
def test_a_template_s_vcs_is_copiers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variable: str | None
) -> None:
    """`Template.vcs` as Copier works it out for every kind of folder, the one answered
    without git (`unversioned_folder`) among them; with GIT_DIR, or GIT_WORK_TREE naming
    a folder inside a bare repository's, Copier's own way."""
    from copier._template import Template
    from plumbum import local

    folders = _template_folders(tmp_path, tmp_path / "home")
    environment = isolated_env(tmp_path / "home")
    if variable == "GIT_DIR":
        environment["GIT_DIR"] = str(folders["repository"] / ".git")
    if variable == "GIT_WORK_TREE":
        git(tmp_path, tmp_path / "home", "init", "-q", "--bare", str(tmp_path / "D"))
        (tmp_path / "D" / "tpl").mkdir()
        folders["named by GIT_WORK_TREE"] = tmp_path / "D" / "tpl"
        environment["GIT_WORK_TREE"] = str(folders["named by GIT_WORK_TREE"])
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    with local.env(**environment):  # Copier's git runs with plumbum's copy of the environment
        for name, folder in folders.items():
            ours, copiers = _template_class()(url=str(folder)), Template(url=str(folder))
            assert _vcs_of(ours) == _vcs_of(copiers), name
        assert _vcs_of(_template_class()(url="plain")) == _vcs_of(Template(url="plain"))
        # The folders git finds a repository's work tree in, with no .git of their own.
        found = {
            None: ["bare, its own work tree", "inside a bare one"],
            "GIT_DIR": ["plain"],  # git sees the repository from any folder
            "GIT_WORK_TREE": ["named by GIT_WORK_TREE"],
        }
        for name in found[variable]:
            assert Template(url=str(folders[name])).vcs == "git", name


def test_a_folder_no_git_can_see_is_answered_without_git(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The plain folder (this test's temporary folder has no repository above it, as the
    bundled template's copy has none) is told apart without running git: Copier's
    `get_repo`, which runs it, is not called."""
    import copier._template

    folders = _template_folders(tmp_path, tmp_path / "home")
    assert unversioned_folder(str(folders["plain"]), {}), "a repository above the test's folder"
    for name in ("repository", "worktree", "inside a repository", "bundle"):
        assert not unversioned_folder(str(folders[name]), {}), name
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR"):
        assert not unversioned_folder(str(folders["plain"]), {name: "/elsewhere"}), name
    assert not unversioned_folder("plain", {})  # relative: Copier's own way

    def no_git(url: str) -> None:
        raise AssertionError(f"git asked about {url}")

    monkeypatch.setattr(copier._template, "get_repo", no_git)
    assert _template_class()(url=str(folders["plain"])).vcs is None
