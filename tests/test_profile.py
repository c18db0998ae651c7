"""The site's profile: one reader of mkdocs.yml, properdocs.yml and zensical.toml."""

from __future__ import annotations

import ast
import os
import sys
from pathlib import Path

import pytest

from guidewright.core.errors import InvalidInput
from guidewright.markdown.markdown_profile import PythonCall, PythonName, Slugify
from guidewright.site import profile as profile_module
from guidewright.site.init_config import init_profile
from guidewright.site.profile import (
    CONFIG_NAMES,
    MKDOCS,
    PROPERDOCS,
    ZENSICAL,
    LinkValidation,
    read_profile,
)
from guidewright.site.site import load_site

SRC = Path(__file__).resolve().parents[1] / "src" / "guidewright"

MATERIAL_SITE = """\
site_name: Real site
docs_dir: content/
use_directory_urls: false
nav:
  - Home: index.md
  - Guides:
      - Caching: guides/caching.md
      - Again: index.md
plugins:
  - search
  - material/meta:
      meta_file: .section.yml
  - tags
validation:
  absolute_links: warn
  links:
    anchors: ignore
extra:
  status: {draft: Draft}
  analytics: !ENV [GW_TEST_ANALYTICS, none]
markdown_extensions:
  - toc:
      permalink: "#"
      separator: _
      slugify: !!python/object/apply:pymdownx.slugs.slugify
        kwds:
          case: lower
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
  - markdown.extensions.admonition
  - pymdownx.tabbed:
      alternate_style: true
  - mdx_truly_sane_lists
  - pymdownx.blocks.admonition
"""


def write(root: Path, files: dict[str, str]) -> Path:
    for relpath, text in files.items():
        (root / relpath).parent.mkdir(parents=True, exist_ok=True)
        (root / relpath).write_text(text, "utf-8")
    return root


def test_a_material_site_is_read_whole_without_running_anything(tmp_path: Path) -> None:
    profile = read_profile(write(tmp_path, {"mkdocs.yml": MATERIAL_SITE}))
    assert (profile.engine, profile.config_file, profile.docs_dir) == (
        MKDOCS,
        "mkdocs.yml",
        "content",
    )
    assert profile.use_directory_urls is False
    assert dict(profile.nav_titles) == {"index.md": "Home", "guides/caching.md": "Caching"}
    assert [p.name for p in profile.plugins] == ["search", "meta", "tags"]
    assert profile.meta_file == ".section.yml"
    assert profile.extra == {"status", "analytics"}
    # A setting at the top of `validation:` reaches `links:`, unless `links:` gives its own.
    assert profile.validation == LinkValidation(
        not_found="warn",
        absolute_links="warn",
        unrecognized_links="info",
        anchors="ignore",
        given=frozenset({"absolute_links", "anchors"}),
    )
    markdown = profile.markdown
    # MkDocs' own extensions first, then the site's, each once, by the name Markdown knows.
    assert [e.name for e in markdown.extensions] == [
        "toc",
        "tables",
        "fenced_code",
        "pymdownx.emoji",
        "admonition",
        "pymdownx.tabbed",
        "mdx_truly_sane_lists",
        "pymdownx.blocks.admonition",
    ]
    assert markdown.slugify == Slugify("pymdownx.slugs.slugify", (("case", "lower"),))
    assert (markdown.separator, markdown.permalink) == ("_", True)
    assert markdown.tab_syntaxes == ("===",)
    assert markdown.blocks == ("pymdownx.blocks.admonition",)
    emoji = markdown.extension("pymdownx.emoji")
    assert emoji is not None
    assert emoji.option("emoji_index") == PythonName("material.extensions.emoji.twemoji")


def test_env_tags_read_the_environment_as_mkdocs_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = write(tmp_path, {"mkdocs.yml": "site_name: x\ndocs_dir: !ENV [GW_TEST_DOCS, pages]\n"})
    monkeypatch.delenv("GW_TEST_DOCS", raising=False)
    assert read_profile(site).docs_dir == "pages"  # the default, the last of the list
    monkeypatch.setenv("GW_TEST_DOCS", "elsewhere")
    assert read_profile(site).docs_dir == "elsewhere"


def test_python_tags_are_names_never_imported(tmp_path: Path) -> None:
    """A tag naming a module that would do something on import is only a name."""
    site = write(
        tmp_path,
        {
            "mkdocs.yml": (
                "site_name: x\nmarkdown_extensions:\n  - toc:\n"
                "      slugify: !!python/name:antigravity.fly\n"
                "  - x:\n      y: !!python/object/apply:os.system ['touch boom']\n"
                "      z: !!python/object:builtins.print {a: 1}\n      w: !!python/module:this\n"
            )
        },
    )
    modules = set(sys.modules)
    profile = read_profile(site)
    assert profile.markdown.slugify == Slugify("antigravity.fly")
    assert not profile.markdown.slugify.known
    extension = profile.markdown.extension("x")
    assert extension is not None
    assert extension.option("y") == PythonCall("os.system", ("touch boom",))
    assert extension.option("w") is None
    assert not (tmp_path / "boom").exists()
    assert "antigravity" not in set(sys.modules) - modules


def test_properdocs_yml_is_preferred_to_mkdocs_yml(tmp_path: Path) -> None:
    site = write(
        tmp_path,
        {
            "mkdocs.yml": "site_name: m\ndocs_dir: m\n",
            "properdocs.yml": "site_name: p\ndocs_dir: p\n",
        },
    )
    profile = read_profile(site)
    assert (profile.engine, profile.config_file, profile.docs_dir) == (
        PROPERDOCS,
        "properdocs.yml",
        "p",
    )


def test_zensical_toml_is_read_from_its_project_table(tmp_path: Path) -> None:
    site = write(
        tmp_path,
        {
            "zensical.toml": """\
[project]
site_name = "Z"
docs_dir = "pages"
nav = [{ "Start" = "index.md" }, { "Part" = [{ "Deep" = "part/deep.md" }] }]

[project.validation]
invalid_link_anchors = false

[project.plugins.meta]

[project.markdown_extensions]
admonition = {}
toc.slugify = { object = "pymdownx.slugs.slugify", kwds = { case = "fold" } }
pymdownx.tabbed.alternate_style = true
pymdownx.blocks.tab = {}
""",
            "mkdocs.yml": "site_name: ignored\n",
        },
    )
    profile = read_profile(site)
    assert (profile.engine, profile.config_file, profile.docs_dir) == (
        ZENSICAL,
        "zensical.toml",
        "pages",
    )
    assert dict(profile.nav_titles) == {"index.md": "Start", "part/deep.md": "Deep"}
    assert (profile.validation.not_found, profile.validation.anchors) == ("warn", "ignore")
    assert profile.validation.absolute_links == "warn"  # Zensical: every link is relative
    assert profile.meta_file == ".meta.yml"
    names = [e.name for e in profile.markdown.extensions]
    assert names == [
        "toc",
        "tables",
        "admonition",
        "pymdownx.tabbed",
        "pymdownx.blocks.tab",
        "pymdownx.superfences",
    ]
    assert profile.markdown.slugify == Slugify("pymdownx.slugs.slugify", (("case", "fold"),))
    assert profile.markdown.tab_syntaxes == ("===", "/// tab")


def test_zensical_without_extensions_has_its_defaults(tmp_path: Path) -> None:
    profile = read_profile(write(tmp_path, {"zensical.toml": '[project]\nsite_name = "Z"\n'}))
    assert {"admonition", "md_in_html", "pymdownx.tabbed", "def_list"} <= profile.markdown.names


def test_inherit_merges_as_mkdocs_does(tmp_path: Path) -> None:
    site = write(
        tmp_path,
        {
            "config/base.yml": "site_name: base\nvalidation: {links: {anchors: warn, not_found: info}}\n"
            "markdown_extensions: [admonition, md_in_html]\nnav: [{Base: base.md}]\n",
            "config/middle.yml": "INHERIT: base.yml\nvalidation: {links: {anchors: ignore}}\n",
            "mkdocs.yml": "INHERIT: config/middle.yml\nmarkdown_extensions: [pymdownx.tabbed]\n",
        },
    )
    profile = read_profile(site)
    # Mappings merged key by key; a list replaced whole, as mergedeep's REPLACE does.
    assert (profile.validation.anchors, profile.validation.not_found) == ("ignore", "info")
    assert "md_in_html" not in profile.markdown.names
    assert "pymdownx.tabbed" in profile.markdown.names
    assert dict(profile.nav_titles) == {"base.md": "Base"}


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (
            {"mkdocs.yml": "INHERIT: ../outside.yml\n"},
            "mkdocs.yml: INHERIT: ../outside.yml is outside the site; refused",
        ),
        (
            {"mkdocs.yml": "INHERIT: /etc/passwd\n"},
            "mkdocs.yml: INHERIT: /etc/passwd is outside the site; refused",
        ),
        (
            {"mkdocs.yml": "INHERIT: a.yml\n", "a.yml": "INHERIT: mkdocs.yml\n"},
            "mkdocs.yml: INHERIT: mkdocs.yml: a loop",
        ),
        ({"mkdocs.yml": "INHERIT: gone.yml\n"}, "mkdocs.yml: INHERIT: gone.yml does not exist"),
        ({"mkdocs.yml": "site_name: [\n"}, "mkdocs.yml: invalid YAML: line 2"),
        ({"mkdocs.yml": "- a\n- b\n"}, "mkdocs.yml: must be a mapping of settings"),
        (
            {"mkdocs.yml": "validation: {links: {anchors: loud}}\n"},
            "mkdocs.yml: validation: links: anchors: must be one of warn, info, ignore",
        ),
        (
            {"mkdocs.yml": "docs_dir: ../elsewhere\n"},
            "mkdocs.yml: docs_dir: ../elsewhere is not a folder inside the site",
        ),
        (
            {"mkdocs.yml": "markdown_extensions: [{a: 1, b: 2}]\n"},
            "mkdocs.yml: markdown_extensions: each entry must be a name",
        ),
        (
            {"mkdocs.yml": "markdown_extensions: [{toc: 3}]\n"},
            "mkdocs.yml: markdown_extensions: toc: options must be a mapping",
        ),
        ({"mkdocs.yml": "a: &a [*a]\n"}, "mkdocs.yml: invalid YAML"),
        ({"mkdocs.yml": "x: " + "[" * 2000 + "]" * 2000 + "\n"}, "mkdocs.yml:"),
        ({"zensical.toml": "[project\n"}, "zensical.toml: invalid TOML"),
        (
            {"zensical.toml": "project = 3\n"},
            "zensical.toml: [project] must be a table of settings",
        ),
        ({"zensical.toml": "x = " + "[" * 5000 + "]" * 5000 + "\n"}, "zensical.toml:"),
        ({"mkdocs.yml": "x: '" + "a" * 1_000_001 + "'\n"}, "mkdocs.yml: larger than 1 MB"),
    ],
)
def test_a_bad_configuration_is_one_line_naming_it(
    tmp_path: Path, files: dict[str, str], message: str
) -> None:
    with pytest.raises(InvalidInput) as raised:
        read_profile(write(tmp_path / "site", files))
    assert str(raised.value).startswith(message)
    assert "\n" not in str(raised.value)


def test_a_configuration_through_a_link_out_of_the_site_is_refused(tmp_path: Path) -> None:
    (tmp_path / "outside.yml").write_text("site_name: x\n", "utf-8")
    site = tmp_path / "site"
    site.mkdir()
    (site / "mkdocs.yml").symlink_to(tmp_path / "outside.yml")
    with pytest.raises(InvalidInput, match=r"^mkdocs.yml: leads out of the site"):
        read_profile(site)
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "fifo-site").mkdir()
    os.symlink(tmp_path / "fifo", tmp_path / "fifo-site" / "zensical.toml")
    with pytest.raises(InvalidInput, match=r"^zensical.toml: "):
        read_profile(tmp_path / "fifo-site")
    pipe_site = tmp_path / "pipe-site"
    pipe_site.mkdir()
    os.mkfifo(pipe_site / "mkdocs.yml")  # a FIFO inside the site: read it would hang
    with pytest.raises(InvalidInput, match=r"^mkdocs.yml: not a regular file"):
        read_profile(pipe_site)


def test_a_site_without_configuration_is_judged_as_init_configures_one(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    site = load_site(tmp_path)
    assert site.profile.config_file is None
    assert site.profile.validation == init_profile().validation
    assert site.profile.markdown == init_profile().markdown


def test_load_site_finds_the_site_above_by_any_engine_s_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tmp_path,
        {
            "zensical.toml": '[project]\nsite_name = "Z"\ndocs_dir = "pages"\n',
            "pages/part/a.md": "# A\n",
        },
    )
    monkeypatch.chdir(tmp_path / "pages" / "part")
    site = load_site(Path("."))
    assert (site.root, site.docs_dir, site.profile.engine) == (tmp_path, "pages", ZENSICAL)


# ---- one reader: nothing else opens the configuration --------------------------------

READER = Path(profile_module.__file__).resolve()  # where it is imported from, installed or not
WRITER = SRC / "site" / "init_config.py"  # names the file init writes, never reads it


def test_no_other_module_names_a_configuration_file() -> None:
    """Every module's source, read as Python: no text that is a configuration file's name
    (a path to open) outside the reader and init's writer."""
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        if path in (SRC / "site" / "profile.py", WRITER):  # the source tree scanned
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            text = node.value if isinstance(node, ast.Constant) else None
            if isinstance(text, str) and text.rpartition("/")[2] in CONFIG_NAMES:
                offenders.append(f"{path.relative_to(SRC)}:{node.lineno}: {text}")
    assert offenders == []


def test_every_open_of_the_configuration_is_the_reader_s(tmp_path: Path) -> None:
    """check, adopt's plan, the language server's site and init: each opens mkdocs.yml
    only from site/profile.py (an audit hook sees every open, and who asked)."""
    import datetime as dt

    from guidewright.adopt.run import open_run
    from guidewright.check.site_check import check_site
    from guidewright.lsp.live_site import open_live_site
    from guidewright.site.init_site import init_site

    root = tmp_path / "site"
    init_site(root, "team", None, git=False)
    write(root, {"docs/fundamentals/page.md": "# Page\n\n[x](../index.md)\n"})
    openers: list[str] = []

    def audit(event: str, args: tuple[object, ...]) -> None:
        if event == "open" and str(args[0]).endswith(CONFIG_NAMES):
            frame = sys._getframe(1)
            while frame is not None and "/guidewright/" not in frame.f_code.co_filename:
                frame = frame.f_back  # type: ignore[assignment]
            openers.append(frame.f_code.co_filename if frame is not None else "?")

    hooks_on.append(audit)
    try:
        site = load_site(root)
        check_site(site, None, dt.date(2026, 1, 1))
        with open_run(root, None, None, {"content_type": None}, render_while_planning=False) as run:
            assert run.site.profile is site.profile or run.site.profile == site.profile
        open_live_site(load_site(root)).close()
    finally:
        hooks_on.remove(audit)
    assert openers, "the hook saw no open of the configuration"
    assert {Path(name) for name in openers} == {READER}


hooks_on: list[object] = []


def _dispatch(event: str, args: tuple[object, ...]) -> None:
    for hook in list(hooks_on):
        hook(event, args)  # type: ignore[operator]


sys.addaudithook(_dispatch)  # an audit hook stays for the process: it calls only the listed
