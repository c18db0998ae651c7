"""Read a template's `copier.yml` exactly as Copier reads it.

Copier's quirks: several YAML documents are merged (a later document's key wins, list
settings such as `_exclude` are concatenated), and `!include <glob>` splices in files of
the template. The result is split into settings (`_`-prefixed keys, prefix removed) and
questions (every other key, a plain value being shorthand for `{default: value}`).

Mirrors `copier._template.load_template_config` (and `Template.config_data` /
`questions_data` for the split). Why not call it: it takes a path and follows `!include`
wherever the glob leads; here every included file is first judged by confinement.py.
Differential test: tests/test_questionnaire.py::
test_multi_document_and_include_read_as_copier_reads_them.
"""

from __future__ import annotations

from collections import ChainMap, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from guidewright.copier_compat.confinement import config_file, include_files, judge_settings
from guidewright.core import safe_yaml
from guidewright.core.bounded_read import YAML_BYTES, read_bounded
from guidewright.core.errors import TemplateConfigError, UnsafeYaml
from guidewright.core.yaml_problem import yaml_problem

# Copier concatenates these across documents instead of letting the last one win.
MERGED_SETTINGS = ("_exclude", "_jinja_extensions", "_secret_questions", "_skip_if_exists")


@dataclass(frozen=True)
class TemplateConfig:
    """copier.yml read: its questions and its settings."""

    questions: dict[str, dict[str, Any]]
    settings: dict[str, Any]
    path: Path | None  # the copier.yml read, None when the template has none
    # The files `!include` spliced in, and the folders their globs looked in.
    included: tuple[Path, ...] = ()

    @property
    def subdirectory(self) -> str:
        """Where the template's files are, inside its root."""
        return str(self.settings.get("subdirectory", ""))

    @property
    def suffix(self) -> str:
        """The suffix of files rendered with Jinja."""
        return str(self.settings.get("templates_suffix", ".jinja"))


def _flatten(documents: list[Any]) -> list[Any]:
    flat: list[Any] = []
    for document in documents:
        if isinstance(document, list):
            flat.extend(_flatten(document))
        elif document:
            flat.append(document)
    return flat


def _loader_for(root: Path, read: list[Path]) -> type[yaml.SafeLoader]:
    """A YAML loader reading `!include` in the template at `root`; `read` gets each file
    it splices in and each folder its globs looked in."""

    class IncludingLoader(safe_yaml.Loader):
        """`!include` as Copier has it: a glob inside the template, spliced in."""

    def include(loader: yaml.SafeLoader, node: yaml.Node) -> list[Any]:
        if not isinstance(node, yaml.ScalarNode):
            raise TemplateConfigError(f"{_shown(root)}: !include takes one path or glob")
        pattern = str(loader.construct_scalar(node))
        included: list[Any] = []
        files = include_files(root, pattern, read)  # judged before anything is listed
        read.extend(files)
        for path in files:
            text = read_bounded(path, YAML_BYTES)
            try:
                included.extend(safe_yaml.load_all(text, IncludingLoader, lambda data: data))
            except (yaml.YAMLError, UnsafeYaml) as error:  # at its lines, not copier.yml's
                shown = path.relative_to(root).as_posix()
                raise TemplateConfigError(f"{shown}: {yaml_problem(error, text=text)}") from error
        return _flatten(included)

    IncludingLoader.add_constructor("!include", include)
    return IncludingLoader


def _shown(path: Path) -> str:
    return path.name


def read_template_config(root: Path) -> TemplateConfig:
    """The template's settings and questions; refuses a copier.yml Copier would refuse,
    and one whose path settings lead outside the template (those that need no answer to
    render are judged here, the others when rendered with the answers)."""
    config = read_template_data(root)
    # Imported here, for start-up speed: `read_template_data` alone imports no Jinja.
    from guidewright.copier_compat.jinja import copier_environment

    envops = config.settings.get("envops", {})
    judge_settings(root.resolve(), config.settings, copier_environment(None, envops), None)
    return config


def read_template_data(root: Path) -> TemplateConfig:
    """copier.yml (or copier.yaml) read as YAML, each `!include` spliced in, as
    `read_template_config` reads it, its path settings not judged (that renders them
    with Jinja): for what the YAML says alone (the `_guidewright` block), where no
    setting is used to reach a file."""
    root = root.resolve()
    path = config_file(root)
    if path is None:
        return TemplateConfig({}, {}, None)
    try:
        text = read_bounded(path, YAML_BYTES)
    except OSError as error:
        raise TemplateConfigError(f"{path.name}: cannot read: {error.strerror}") from error
    included: list[Path] = []
    try:
        loader = _loader_for(root, included)
        documents = _flatten(safe_yaml.load_all(text, loader, lambda data: data))
    except (yaml.YAMLError, UnsafeYaml) as error:
        raise TemplateConfigError(f"{path.name}: {yaml_problem(error, text=text)}") from error
    if not all(isinstance(d, dict) for d in documents):
        raise TemplateConfigError(f"{path.name}: every YAML document must be a mapping")
    merged: dict[str, list[Any]] = defaultdict(list)
    for document in documents:
        for option in MERGED_SETTINGS:
            if option in document:
                value = document[option]
                merged[option].extend(value if isinstance(value, list) else [value])
    data = dict(ChainMap(dict(merged), *reversed(documents)))
    settings = {str(k)[1:]: v for k, v in data.items() if str(k).startswith("_")}
    questions = {
        str(k): (dict(v) if isinstance(v, dict) else {"default": v})
        for k, v in data.items()
        if not str(k).startswith("_")
    }
    return TemplateConfig(questions, settings, path, tuple(dict.fromkeys(included)))


# libyaml's safe loader where PyYAML has it: the same constructors as yaml.SafeLoader, the
# scanner and parser in C. Copier's own (pure Python) read of the bundled copier.yml took
# 13 ms of each `new`, this one 2 ms.
_COPIERS_BASE: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def copier_raw_config(conf_path: Path, quiet: bool = False) -> dict[str, Any]:
    """`copier._template.load_template_config(conf_path, quiet)`, line for line, its YAML
    scanned and parsed by libyaml: what `copier copy` (copier_copy.py) reads the
    template's settings and questions with. Unlike `read_template_data`, nothing here is
    refused that Copier accepts, and nothing changed that Copier would read otherwise
    (a string `_exclude` is extended letter by letter, as Copier extends it).
    Differential test: tests/test_copier_copy.py::test_copiers_config_read_is_copiers."""
    from copier.errors import ForbiddenPathError, InvalidConfigFileError  # slow to import

    class _Loader(_COPIERS_BASE):  # type: ignore[valid-type,misc]
        """Intermediate class to avoid changing the base loader (Copier's words)."""

    def _include(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            raise TypeError(f"Unsupported YAML node: {node!r}")
        include_pattern = str(loader.construct_scalar(node))
        if PurePosixPath(include_pattern).is_absolute():
            raise ValueError("YAML include file path must be a relative path")
        data: list[Any] = []
        template_root = conf_path.parent.resolve()
        for include_file in template_root.glob(include_pattern):
            include_file = include_file.resolve()
            if not include_file.is_relative_to(template_root):
                raise ForbiddenPathError(
                    path=include_file,
                    hint="YAML include file path must be inside the template directory",
                )
            documents = yaml.load_all(include_file.read_bytes(), Loader=type(loader))
            data.extend(_copiers_flatten(filter(None, documents)))
        return data

    _Loader.add_constructor("!include", _include)
    with conf_path.open("rb") as stream:
        try:
            flattened = _copiers_flatten(filter(None, yaml.load_all(stream, Loader=_Loader)))
        except yaml.YAMLError as error:
            raise InvalidConfigFileError(conf_path, quiet) from error
    merged_options: defaultdict[str, list[Any]] = defaultdict(list)
    for option in MERGED_SETTINGS:
        for result in flattened:
            if option in result:
                merged_options[option].extend(result[option])
    return dict(ChainMap(dict(merged_options), *reversed(flattened)))


def _copiers_flatten(items: Iterable[Any]) -> list[Any]:
    """funcy's `lflatten`, as Copier calls it: lists, tuples, iterators and ranges, at any
    depth, made one list; anything else (a mapping, a string) is an item."""
    flat: list[Any] = []
    for item in items:
        if isinstance(item, list | tuple | Iterator | range):
            flat.extend(_copiers_flatten(item))
        else:
            flat.append(item)
    return flat
