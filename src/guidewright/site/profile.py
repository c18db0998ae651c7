"""The site's profile: what its engine's configuration says, read once, in one place.

The one reader of `mkdocs.yml` (and its `INHERIT:` chain), `properdocs.yml` and
`zensical.toml` (its `[project]` table). Every rule, `adopt`, the language server and
`init` take the `SiteProfile` it returns; no other module opens those files (a test greps
the source for it). Read like every file anyone can commit: a regular file inside the
site, at most 1 MB, its YAML within core/safe_yaml.py's bounds. The configuration's Python
tags (`!!python/name:`, `!!python/object/apply:`) are kept as names, never imported or
called; `!ENV` reads the environment as MkDocs does, and nothing else.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from guidewright.core import safe_yaml
from guidewright.core.atomic import Seen, read_seen
from guidewright.core.errors import InvalidInput, UnsafeYaml
from guidewright.core.yaml_problem import yaml_problem
from guidewright.markdown.markdown_profile import (
    Extension,
    MarkdownProfile,
    Options,
    PythonCall,
    PythonName,
    canonical_extension,
    frozen,
    option,
)

MKDOCS, PROPERDOCS, ZENSICAL = "mkdocs", "properdocs", "zensical"
ENGINE_NAMES = {MKDOCS: "MkDocs", PROPERDOCS: "ProperDocs", ZENSICAL: "Zensical"}
# The configuration files, in the order they are looked for: Zensical reads its own
# zensical.toml first; ProperDocs prefers properdocs.yml to a mkdocs.yml beside it.
CONFIG_FILES: tuple[tuple[str, str], ...] = (
    ("zensical.toml", ZENSICAL),
    ("properdocs.yml", PROPERDOCS),
    ("properdocs.yaml", PROPERDOCS),
    ("mkdocs.yml", MKDOCS),
    ("mkdocs.yaml", MKDOCS),
)
CONFIG_NAMES = tuple(name for name, _ in CONFIG_FILES)
DEFAULT_DOCS_DIR = "docs"
MAX_INHERIT = 8  # a chain of INHERIT files longer than this is refused (a real one has 1-2)

# The extensions each engine loads whatever the configuration says, first.
_MKDOCS_BUILTINS = ("toc", "tables", "fenced_code")
_ZENSICAL_BUILTINS = ("toc", "tables")
# Zensical's extensions when the configuration names none (zensical/config.py).
_ZENSICAL_DEFAULT_EXTENSIONS: tuple[tuple[str, Mapping[str, Any]], ...] = (
    ("abbr", {}),
    ("admonition", {}),
    ("attr_list", {}),
    ("def_list", {}),
    ("footnotes", {}),
    ("md_in_html", {}),
    ("toc", {"permalink": True}),
    ("pymdownx.arithmatex", {"generic": True}),
    ("pymdownx.betterem", {}),
    ("pymdownx.caret", {}),
    ("pymdownx.details", {}),
    ("pymdownx.emoji", {}),
    ("pymdownx.highlight", {}),
    ("pymdownx.inlinehilite", {}),
    ("pymdownx.keys", {}),
    ("pymdownx.magiclink", {}),
    ("pymdownx.mark", {}),
    ("pymdownx.smartsymbols", {}),
    ("pymdownx.superfences", {}),
    ("pymdownx.tabbed", {"alternate_style": True, "combine_header_slug": True}),
    ("pymdownx.tasklist", {"custom_checkbox": True}),
    ("pymdownx.tilde", {}),
)

# Link validation levels (MkDocs' `validation:`; Zensical's booleans map onto them).
WARN, INFO, IGNORE, RELATIVE_TO_DOCS = "warn", "info", "ignore", "relative_to_docs"
_LEVELS = (WARN, INFO, IGNORE)
_LINK_DEFAULTS = {
    "not_found": WARN,
    "absolute_links": INFO,
    "unrecognized_links": INFO,
    "anchors": INFO,
}


@dataclass(frozen=True)
class LinkValidation:
    """How the engine judges a page's links: each of MkDocs' `validation: links:` settings
    (warn, info, ignore; `absolute_links` also relative_to_docs), and which the
    configuration gives (the others are the engine's defaults)."""

    not_found: str = WARN
    absolute_links: str = INFO
    unrecognized_links: str = INFO
    anchors: str = INFO
    given: frozenset[str] = frozenset()  # Zensical: its own keys given (invalid_links, ...)

    def level(self, setting: str) -> str:
        return str(getattr(self, setting))


@dataclass(frozen=True)
class Plugin:
    """A plugin the configuration enables, its name without `material/`."""

    name: str
    options: Options = ()


@dataclass(frozen=True)
class SiteProfile:
    """What the site's configuration says, as far as guidewright needs it."""

    engine: str = MKDOCS
    config_file: str | None = None  # relative to the site root; None: the site has none
    docs_dir: str = DEFAULT_DOCS_DIR
    use_directory_urls: bool = True
    nav_titles: tuple[tuple[str, str], ...] = ()  # (page in the docs folder, its nav title)
    validation: LinkValidation = field(default_factory=LinkValidation)
    markdown: MarkdownProfile = field(default_factory=MarkdownProfile)
    plugins: tuple[Plugin, ...] = ()
    extra: frozenset[str] = frozenset()  # the keys of `extra`

    @property
    def engine_name(self) -> str:
        return ENGINE_NAMES.get(self.engine, self.engine)

    def plugin(self, name: str) -> Plugin | None:
        """The plugin `name`, when enabled."""
        for plugin in self.plugins:
            if plugin.name == name and option(plugin.options, "enabled", True) is not False:
                return plugin
        return None

    def zensical_given(self, key: str) -> bool:
        return key in self.validation.given

    @property
    def meta_file(self) -> str | None:
        """The file name the meta plugin reads a folder's metadata from (None: no plugin)."""
        plugin = self.plugin("meta")
        if plugin is None:
            return None
        name = option(plugin.options, "meta_file", ".meta.yml")
        return name if isinstance(name, str) and name and "/" not in name else ".meta.yml"

    def setting(self, name: str) -> str:
        """Where a link validation setting comes from, for a finding to say so."""
        level = self.validation.level(name)
        if self.config_file is None:
            return f"{name}: {level}, as `init` configures a site (this one has no configuration)"
        if self.engine == ZENSICAL:
            key = "invalid_link_anchors" if name == "anchors" else "invalid_links"
            value = "true" if level == WARN else "false"
            default = "" if self.zensical_given(key) else ", Zensical's default"
            return f"{self.config_file}: validation: {key} = {value}{default}"
        if name in self.validation.given:
            return f"{self.config_file}: validation: links: {name}: {level}"
        return f"{name}: {level}, {self.engine_name}'s default"


def find_config(root: Path) -> tuple[str, str] | None:
    """(file name, engine) of the site's configuration at `root`, None when it has none."""
    for name, engine in CONFIG_FILES:
        if os.path.lexists(root / name):
            return name, engine
    return None


def is_site_root(folder: Path) -> bool:
    """Whether `folder` holds a site's configuration."""
    return find_config(folder) is not None


def read_profile(root: Path, default: SiteProfile | None = None) -> SiteProfile:
    """The profile of the site at `root`; `default` (MkDocs' defaults when None) where it
    has no configuration file. Raises InvalidInput naming the file and what is wrong."""
    found = find_config(root)
    if found is None:
        return default if default is not None else SiteProfile()
    name, engine = found
    if engine == ZENSICAL:
        data = _project_table(name, _read_bytes(root, name))
    else:
        data = _yaml_chain(root, name)
    return profile_of(data, name, engine)


def profile_of_text(name: str, engine: str, text: str) -> SiteProfile:
    """The profile of one configuration file's text (no INHERIT followed): what `init`
    writes, read as the site it makes will be."""
    raw = text.encode("utf-8")
    data = _project_table(name, raw) if engine == ZENSICAL else _yaml_mapping(name, raw)
    return profile_of(data, name, engine)


@dataclass(frozen=True)
class ConfigText:
    """One file of the site's configuration, for a command that edits it in place."""

    relpath: str  # relative to the site's root
    text: str
    seen: Seen  # what it was when read: the write session replaces it only while it is
    keys: frozenset[str]  # its own top-level settings (INHERIT's merge takes each from one)


def read_for_edit(root: Path, profile: SiteProfile) -> tuple[ConfigText, ...]:
    """The configuration's files, the site's own first, then each it `INHERIT`s (MkDocs
    takes a setting from the first that has it), for a command that edits them in place
    (`mv`: `nav` and redirects) through a write session; read as `read_profile` reads
    them, and never through a link (the session writes through none). Empty where the
    site has no configuration file."""
    if profile.config_file is None:
        return ()
    relpaths = (
        [profile.config_file]
        if profile.engine == ZENSICAL
        else [relpath for relpath, _ in _yaml_files(root, profile.config_file)]
    )
    found = []
    for relpath in relpaths:
        try:
            content, seen = read_seen(root / relpath, safe_yaml.MAX_BYTES)
            text = content.decode("utf-8")
        except UnicodeDecodeError as error:
            raise InvalidInput(f"{relpath}: not UTF-8 text") from error
        except OSError as error:
            raise InvalidInput(f"{relpath}: cannot read: {error.strerror or error}") from error
        if profile.engine == ZENSICAL:
            keys = frozenset(_project_table(relpath, content))
        else:
            keys = frozenset(_yaml_mapping(relpath, content))
        found.append(ConfigText(relpath, text, seen, keys))
    return tuple(found)


def _read_bytes(root: Path, relpath: str) -> bytes:
    """A configuration file's bytes: a regular file inside the site (links followed only
    within it), at most 1 MB."""
    path = root / relpath
    try:
        real, site = os.path.realpath(path), os.path.realpath(root)
        if real != site and not real.startswith(site.rstrip(os.sep) + os.sep):
            raise InvalidInput(f"{relpath}: leads out of the site (a link); refused")
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        with os.fdopen(descriptor, "rb") as file:
            if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
                raise InvalidInput(f"{relpath}: not a regular file; refused")
            content = file.read(safe_yaml.MAX_BYTES + 1)
    except OSError as error:
        raise InvalidInput(f"{relpath}: cannot read: {error.strerror or error}") from error
    if len(content) > safe_yaml.MAX_BYTES:
        raise InvalidInput(f"{relpath}: larger than {safe_yaml.MAX_BYTES // 1_000_000} MB")
    return content


# ---- YAML: mkdocs.yml, properdocs.yml, and what they INHERIT -------------------------


class _ConfigLoader(safe_yaml.Loader):
    """Safe loading of an engine's YAML configuration: the last of two equal keys kept, as
    MkDocs keeps it; Python tags kept as names; `!ENV` read from the environment."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        return yaml.SafeLoader.construct_mapping(self, node, deep)


def _python_name(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> PythonName:
    return PythonName(suffix)


def _python_call(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> PythonCall:
    """`!!python/object/apply:name [args]` or `{args: [...], kwds: {...}}`."""
    if isinstance(node, yaml.SequenceNode):
        return PythonCall(suffix, frozen(loader.construct_sequence(node, deep=True)))
    if isinstance(node, yaml.MappingNode):
        value = loader.construct_mapping(node, deep=True)
        args, kwds = value.get("args") or [], value.get("kwds") or {}
        return PythonCall(suffix, frozen(args), frozen(kwds) if isinstance(kwds, dict) else ())
    return PythonCall(suffix)


def _unknown_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> None:
    return None  # `!relative`, another tool's tag: no value guidewright can use


def _env_tag(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """`!ENV NAME` or `!ENV [NAME, OTHER, default]`, as pyyaml_env_tag reads it for MkDocs."""
    default: Any = None
    if isinstance(node, yaml.ScalarNode):
        names = [loader.construct_scalar(node)]
    elif isinstance(node, yaml.SequenceNode) and node.value:
        children = node.value
        if len(children) > 1:
            default = loader.construct_object(children[-1], deep=True)
            children = children[:-1]
        scalars = [child for child in children if isinstance(child, yaml.ScalarNode)]
        names = [loader.construct_scalar(child) for child in scalars]
    else:
        return None
    for name in names:
        if isinstance(name, str) and name in os.environ:
            value = os.environ[name]
            tag = loader.resolve(yaml.ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
            return loader.construct_object(yaml.ScalarNode(tag, value))
    return default


_PYTHON = "tag:yaml.org,2002:python/"
_ConfigLoader.add_constructor("!ENV", _env_tag)
# Matched in the order added: the particular forms before the catch-alls.
_ConfigLoader.add_multi_constructor(_PYTHON + "name:", _python_name)
_ConfigLoader.add_multi_constructor(_PYTHON + "object/apply:", _python_call)
_ConfigLoader.add_multi_constructor(_PYTHON + "object/new:", _python_call)
_ConfigLoader.add_multi_constructor(_PYTHON + "object:", _python_call)
_ConfigLoader.add_multi_constructor(_PYTHON, _unknown_tag)
_ConfigLoader.add_multi_constructor("!", _unknown_tag)
# For a command that edits the configuration in place and reads its edit back (`mv`).
CONFIG_LOADER: type[yaml.SafeLoader] = _ConfigLoader


def _yaml_mapping(relpath: str, content: bytes) -> dict[str, Any]:
    try:
        data = safe_yaml.compose_and_construct(content, _ConfigLoader)[1]
    except (yaml.YAMLError, UnsafeYaml) as error:
        raise InvalidInput(f"{relpath}: {yaml_problem(error, text=content)}") from error
    except RecursionError as error:
        raise InvalidInput(f"{relpath}: nested too deep") from error
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InvalidInput(f"{relpath}: must be a mapping of settings")
    return data


def _yaml_chain(root: Path, relpath: str) -> dict[str, Any]:
    """The configuration with its `INHERIT:` files merged under it, as MkDocs merges them
    (mappings merged key by key, any other value replaced); each file inside the site."""
    merged: dict[str, Any] = {}
    for _, data in reversed(_yaml_files(root, relpath)):
        merged = _merge(merged, data)
    return merged


def _yaml_files(root: Path, relpath: str) -> list[tuple[str, dict[str, Any]]]:
    """The configuration file and the files it `INHERIT`s, in that order, each with its
    settings (`INHERIT` taken out); each file inside the site."""
    chain: list[tuple[str, dict[str, Any]]] = []
    seen: set[str] = set()
    current: str | None = relpath
    while current is not None:
        if current in seen or len(chain) >= MAX_INHERIT:
            raise InvalidInput(
                f"{relpath}: INHERIT: {current}: a loop or a chain of more than {MAX_INHERIT} files"
            )
        seen.add(current)
        data = _yaml_mapping(current, _read_bytes(root, current))
        chain.append((current, data))
        parent = data.pop("INHERIT", None)
        if parent is None:
            current = None
            continue
        if not isinstance(parent, str) or not parent:
            raise InvalidInput(f"{current}: INHERIT: must be the path of a YAML file")
        joined = os.path.normpath(os.path.join(os.path.dirname(current), parent))
        if os.path.isabs(parent) or joined == ".." or joined.startswith("../"):
            raise InvalidInput(f"{current}: INHERIT: {parent} is outside the site; refused")
        if not os.path.lexists(root / joined):
            raise InvalidInput(f"{current}: INHERIT: {parent} does not exist")
        current = joined.replace(os.sep, "/")
    return chain


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """mergedeep's REPLACE strategy, which MkDocs merges INHERIT with."""
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


# ---- TOML: zensical.toml -----------------------------------------------------------


def _project_table(relpath: str, content: bytes) -> dict[str, Any]:
    """zensical.toml's `[project]` table (the whole file where it has none, as Zensical)."""
    import tomllib  # start-up: an MkDocs site (most) reads no TOML

    try:
        data = tomllib.loads(content.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise InvalidInput(f"{relpath}: not UTF-8 text") from error
    except tomllib.TOMLDecodeError as error:
        raise InvalidInput(f"{relpath}: invalid TOML: {error}") from error
    except RecursionError as error:
        raise InvalidInput(f"{relpath}: nested too deep") from error
    project = data.get("project", data)
    if not isinstance(project, dict):
        raise InvalidInput(f"{relpath}: [project] must be a table of settings")
    return project


# ---- What the settings mean ----------------------------------------------------------


def profile_of(data: Mapping[str, Any], relpath: str, engine: str) -> SiteProfile:
    """The profile of a configuration's settings (`data`, INHERIT merged)."""
    extra = data.get("extra")
    return SiteProfile(
        engine=engine,
        config_file=relpath,
        docs_dir=_docs_dir(data.get("docs_dir"), relpath),
        use_directory_urls=data.get("use_directory_urls", True) is not False,
        nav_titles=tuple(_nav_titles(data.get("nav"))),
        validation=_validation(data.get("validation"), relpath, engine),
        markdown=_markdown(data.get("markdown_extensions"), relpath, engine),
        plugins=_plugins(data.get("plugins", None if engine == ZENSICAL else ["search"])),
        extra=frozenset(str(key) for key in extra) if isinstance(extra, dict) else frozenset(),
    )


def _docs_dir(value: Any, relpath: str) -> str:
    if value is None:
        return DEFAULT_DOCS_DIR
    if not isinstance(value, str) or not value.strip("/"):
        raise InvalidInput(f"{relpath}: docs_dir: must be the path of a folder in the site")
    folder = os.path.normpath(value).replace(os.sep, "/")
    if os.path.isabs(value) or folder == ".." or folder.startswith("../") or folder == ".":
        raise InvalidInput(f"{relpath}: docs_dir: {value} is not a folder inside the site")
    return folder


def _nav_titles(nav: Any) -> list[tuple[str, str]]:
    """(page, title) of every `Title: page.md` entry of the nav, in its order, the first
    title a page gets kept; walked without recursion (a nav can nest deep)."""
    found: dict[str, str] = {}
    stack: list[Any] = [nav]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(reversed(node))
        elif isinstance(node, dict):
            stack.extend(reversed([(title, value) for title, value in node.items()]))
        elif isinstance(node, tuple):
            title, value = node
            if isinstance(value, str) and isinstance(title, str):
                found.setdefault(value.strip("/"), title)
            else:
                stack.append(value)
    return list(found.items())


def _validation(value: Any, relpath: str, engine: str) -> LinkValidation:
    if engine == ZENSICAL:
        return _zensical_validation(value, relpath)
    if value is None:
        return LinkValidation()
    if not isinstance(value, dict):
        raise InvalidInput(f"{relpath}: validation: must be a mapping (links: {{...}})")
    links = value.get("links") or {}
    if not isinstance(links, dict):
        raise InvalidInput(f"{relpath}: validation: links: must be a mapping")
    levels, given = dict(_LINK_DEFAULTS), set()
    for setting in _LINK_DEFAULTS:
        # MkDocs moves a setting given at the top of `validation:` into `links:` (and
        # `nav:`) unless `links:` gives its own.
        level = links.get(setting, value.get(setting))
        if level is None:
            continue
        allowed = (*_LEVELS, RELATIVE_TO_DOCS) if setting == "absolute_links" else _LEVELS
        if level not in allowed:
            raise InvalidInput(
                f"{relpath}: validation: links: {setting}: must be one of {', '.join(allowed)}"
            )
        levels[setting] = level
        given.add(setting)
    return LinkValidation(**levels, given=frozenset(given))


def _zensical_validation(value: Any, relpath: str) -> LinkValidation:
    """Zensical's two link checks (`invalid_links`, `invalid_link_anchors`, both on by
    default), from its own keys or MkDocs' (anything but `ignore` turns one on)."""
    links, anchors, given = True, True, set()
    if isinstance(value, bool):
        links = anchors = value
        given = {"invalid_links", "invalid_link_anchors"}
    elif isinstance(value, dict):
        flat = dict(value)
        if isinstance(flat.get("links"), dict):
            flat.update(flat.pop("links"))
        if "not_found" in flat:
            links = flat["not_found"] != IGNORE
        if "anchors" in flat:
            anchors = flat["anchors"] != IGNORE
        links = bool(flat.get("invalid_links", links))
        anchors = bool(flat.get("invalid_link_anchors", anchors))
        given = {
            own
            for own, theirs in (("invalid_links", "not_found"), ("invalid_link_anchors", "anchors"))
            if own in flat or theirs in flat
        }
    elif value is not None:
        raise InvalidInput(f"{relpath}: validation: must be true, false or a table")
    return LinkValidation(
        not_found=WARN if links else IGNORE,
        absolute_links=WARN if links else IGNORE,
        unrecognized_links=IGNORE,
        anchors=WARN if anchors else IGNORE,
        given=frozenset(given),
    )


def _extension_entries(value: Any, relpath: str) -> list[tuple[str, Any]]:
    """(name, options) of each extension as written: a list of names and one-key
    mappings, or one mapping (Zensical's `pymdownx.x` and `zensical.x` tables hoisted)."""
    entries: list[tuple[str, Any]] = []
    if isinstance(value, dict):
        for name, options in value.items():
            if name in ("pymdownx", "zensical") and isinstance(options, dict):
                for inner, inner_options in options.items():
                    if name == "pymdownx" and inner == "blocks" and isinstance(inner_options, dict):
                        entries += [(f"pymdownx.blocks.{b}", o) for b, o in inner_options.items()]
                    elif (
                        name == "zensical"
                        and inner == "extensions"
                        and isinstance(inner_options, dict)
                    ):
                        entries += [
                            (f"zensical.extensions.{e}", o) for e, o in inner_options.items()
                        ]
                    else:
                        entries.append((f"{name}.{inner}", inner_options))
            else:
                entries.append((str(name), options))
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, str):
                entries.append((item, {}))
            elif isinstance(item, dict) and len(item) == 1:
                name, options = next(iter(item.items()))
                entries.append((str(name), options))
            else:
                raise InvalidInput(
                    f"{relpath}: markdown_extensions: each entry must be a name or "
                    "a mapping of one name to its options"
                )
    elif value is not None:
        raise InvalidInput(f"{relpath}: markdown_extensions: must be a list or a mapping")
    for name, options in entries:
        if options is not None and not isinstance(options, dict):
            raise InvalidInput(f"{relpath}: markdown_extensions: {name}: options must be a mapping")
    return entries


def _markdown(value: Any, relpath: str, engine: str) -> MarkdownProfile:
    """The extensions the engine loads: its built-in ones first, then the site's, each
    once (in its first place, with its last options)."""
    if engine == ZENSICAL:
        entries = (
            [(name, dict(options)) for name, options in _ZENSICAL_DEFAULT_EXTENSIONS]
            if value is None
            else _extension_entries(value, relpath)
        )
        builtins: tuple[str, ...] = _ZENSICAL_BUILTINS
    else:
        entries, builtins = _extension_entries(value, relpath), _MKDOCS_BUILTINS
    order = list(builtins)
    options: dict[str, Options] = {}
    for name, given in entries:
        key = canonical_extension(name)
        if key not in order:
            order.append(key)
        read = _zensical_callables(given or {}) if engine == ZENSICAL else given or {}
        options[key] = frozen(read)
    if engine == ZENSICAL and "pymdownx.superfences" not in order:
        order.append("pymdownx.superfences")  # Zensical adds it last when not named
    return MarkdownProfile(tuple(Extension(name, options.get(name, ())) for name in order))


def _zensical_callables(options: dict[str, Any]) -> dict[str, Any]:
    """Zensical's TOML names a function as `{object = "module.name", kwds = {...}}` (or,
    for a few options, a dotted text): read as the Python tags of YAML are."""
    read: dict[str, Any] = {}
    for key, value in options.items():
        if key == "slugify" and isinstance(value, dict):
            kwds = value.get("kwds") or {}
            read[key] = PythonCall(
                str(value.get("object", "pymdownx.slugs.slugify")),
                kwds=frozen(kwds) if isinstance(kwds, dict) else (),
            )
        else:
            read[key] = value
    return read


def _plugins(value: Any) -> tuple[Plugin, ...]:
    entries: list[tuple[Any, Any]] = []
    if isinstance(value, dict):
        entries = list(value.items())
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, str):
                entries.append((item, {}))
            elif isinstance(item, dict) and len(item) == 1:
                entries.append(next(iter(item.items())))
    found = []
    for name, options in entries:
        if isinstance(name, str):
            given = frozen(options) if isinstance(options, dict) else ()
            found.append(Plugin(name.removeprefix("material/"), given))
    return tuple(found)
