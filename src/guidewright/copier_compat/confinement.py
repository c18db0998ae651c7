"""A template's settings stay inside the template: one rule for every path it names.

A template is untrusted data. Whatever in it leads to a file (`copier.yml` itself, each
`!include`, `_subdirectory`, `_answers_file`, `_external_data`) is judged here before that
file, or anything outside the version's checkout, is opened or listed. The rule is
Copier's or stricter: the path, as Copier renders it, is relative, has no `..` segment
and goes through no symbolic link, so it resolves inside the checkout. Symbolic links are
looked at with `lstat` only: judging one never reads where it points.

`_exclude` and `_skip_if_exists` are not judged: they only filter the template's own
files, and a leading `/` there anchors a pattern instead of naming a path.

Mirrors the checks of `copier._main.Worker._render_path` and `Template.subdirectory` /
`answers_relpath` (paths rendered with Jinja, then refused when they leave the template),
stricter where Copier follows links. Differential tests: tests/test_confinement.py::
test_copier_refuses_what_the_rule_refuses and
test_copier_and_the_rule_accept_the_project_template.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable, Mapping
from fnmatch import translate
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING, Any

from guidewright.core.errors import TemplateRefused

if TYPE_CHECKING:  # annotations only: reading copier.yml needs no Jinja (start-up speed)
    from jinja2 import Environment, Template

CONFIG_NAMES = ("copier.yml", "copier.yaml")
# Settings whose value is a path (Copier renders each with Jinja before using it).
PATH_SETTINGS = ("subdirectory", "answers_file")
_SHOWN_CHARACTERS = 80
_MAGIC = re.compile(r"[*?[]")


def _shown(value: str) -> str:
    """A template's text in a message: quoted, control characters escaped, one line."""
    text = repr(value)
    return text if len(text) <= _SHOWN_CHARACTERS else text[: _SHOWN_CHARACTERS - 4] + "...'"


def leaves(setting: str, value: str, reason: str) -> TemplateRefused:
    """The one refusal of this module: which setting, what it says, why it may not."""
    shown = _shown(value)
    return TemplateRefused(f"the template's {setting} leaves the template: {shown} {reason}")


def _lexical_problem(value: str) -> str | None:
    """Why `value` is not a plain relative path, judged on its text alone, as Copier
    would read it on any system (so no backslash, no drive)."""
    if "\x00" in value:
        return "holds a NUL character"
    if "\\" in value:
        return "holds a backslash (paths are written with /)"
    windows = PureWindowsPath(value)
    if PurePosixPath(value).is_absolute() or windows.drive or windows.root:
        return "is an absolute path"
    if ".." in windows.parts:
        return "has a '..' segment"
    return None


def _link_on_the_way(root: Path, parts: tuple[str, ...], setting: str) -> str | None:
    """The first component of root/parts that is a symbolic link, if any (lstat only)."""
    current = root
    for part in parts:
        current = current / part
        try:
            status = os.lstat(current)
        except (FileNotFoundError, NotADirectoryError):
            return None  # nothing further exists: nothing there to lead outside
        except OSError as error:  # unreadable: it cannot be judged, so it is not used
            shown = _shown(current.relative_to(root).as_posix())
            raise TemplateRefused(
                f"the template's {setting} cannot be judged: {shown}: {error.strerror}"
            ) from error
        if stat.S_ISLNK(status.st_mode):
            return current.relative_to(root).as_posix()
    return None


def judge_path(root: Path, value: str, setting: str) -> PurePosixPath:
    """`value` as a path inside `root`, or the refusal naming `setting`."""
    problem = _lexical_problem(value)
    if problem is not None:
        raise leaves(setting, value, problem)
    relpath = PurePosixPath(value)
    link = _link_on_the_way(root, relpath.parts, setting)
    if link is not None:
        raise leaves(setting, value, f"goes through the symbolic link {_shown(link)}")
    return relpath


def config_file(root: Path) -> Path | None:
    """The template's copier.yml (or copier.yaml): a regular file, never a link."""
    for name in CONFIG_NAMES:
        path = root / name
        try:
            status = os.lstat(path)
        except FileNotFoundError:
            continue
        if stat.S_ISLNK(status.st_mode):
            raise TemplateRefused(f"the template's {name} is a symbolic link; it must be a file")
        if not stat.S_ISREG(status.st_mode):
            raise TemplateRefused(f"the template's {name} is not a regular file")
        return path
    return None


def include_files(root: Path, pattern: str, looked_in: list[Path] | None = None) -> list[Path]:
    """The files `!include <pattern>` names, as pathlib's glob finds them, except that no
    symbolic link is followed or listed: a glob may list nothing outside the template.
    `looked_in` gets each folder it looks in (a file made or removed there changes it)."""
    problem = _lexical_problem(pattern) if pattern.strip() else "is empty"
    if problem is not None:
        raise leaves("!include", pattern, problem)
    parts = PurePosixPath(pattern).parts
    found: set[Path] = {root}
    for index, part in enumerate(parts):
        if looked_in is not None:
            looked_in.extend(sorted(found))
        found = {match for folder in found for match in _select(root, folder, part, pattern)}
        if index < len(parts) - 1:
            found = {path for path in found if _is_folder(path)}
    files = sorted(found)
    for path in files:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            shown = path.relative_to(root).as_posix()
            raise TemplateRefused(f"the template's !include {pattern}: {shown} is not a file")
    return files


def _is_folder(path: Path) -> bool:
    return stat.S_ISDIR(os.lstat(path).st_mode)


def _select(root: Path, folder: Path, part: str, pattern: str) -> list[Path]:
    """What one segment of a glob matches in `folder`: a link matched is refused, a link
    met by `**` is not entered (pathlib does not enter it either)."""
    if part == "**":
        return _folders_below(folder)
    if not _MAGIC.search(part):
        candidates = [folder / part]
    else:
        matches = re.compile(translate(part)).fullmatch
        with os.scandir(folder) as entries:
            candidates = [folder / e.name for e in entries if matches(e.name)]
    selected = []
    for path in candidates:
        try:
            status = os.lstat(path)
        except (FileNotFoundError, NotADirectoryError):
            continue
        if stat.S_ISLNK(status.st_mode):
            link = path.relative_to(root).as_posix()
            raise leaves("!include", pattern, f"goes through the symbolic link {_shown(link)}")
        selected.append(path)
    return selected


def _folders_below(folder: Path) -> list[Path]:
    """`folder` and every folder under it, links not entered."""
    folders = [folder]
    for current, dirs, _ in os.walk(folder):  # os.walk does not follow links by default
        folders += [Path(current) / d for d in dirs if not os.path.islink(Path(current) / d)]
    return folders


def is_constant(env: Environment, source: str) -> bool:
    """Whether a Jinja string reads no variable: it renders the same for every answer."""
    # Imported here, for start-up speed: only a template with path settings asks, and a
    # run that reads the block alone (template/block.py) imports no Jinja.
    from jinja2 import TemplateError

    from guidewright.copier_compat.parsed import names_read

    try:
        return not names_read(env, source)
    except TemplateError:
        return False  # rendering it reports the error, with the answers at hand


def rendered(
    env: Environment,
    setting: str,
    source: Any,
    context: Mapping[str, Any],
    compiled: Callable[[str], Template] | None = None,
) -> str:
    """A path setting as Copier renders it: Jinja over the render context (`compiled`,
    when given, compiles the source once for many renders)."""
    if not isinstance(source, str):
        raise TemplateRefused(f"the template's {setting} must be text")
    try:
        return (compiled or env.from_string)(source).render(**context)
    except TemplateRefused:
        raise
    except Exception as error:  # untrusted Jinja: any filter may raise anything
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise TemplateRefused(f"the template's {setting} does not render: {reason}") from error


def external_data(settings: Mapping[str, Any]) -> dict[str, Any]:
    """`_external_data`: names mapped to paths (Copier 9.4 and later read them)."""
    value = settings.get("external_data", {})
    if not isinstance(value, Mapping):
        raise TemplateRefused("the template's _external_data must map names to paths")
    return {str(name): path for name, path in value.items()}


def _path_settings(settings: Mapping[str, Any]) -> list[tuple[str, str, Any]]:
    """(key, setting as the template spells it, Jinja source) of each path setting."""
    named = [(name, f"_{name}", settings[name]) for name in PATH_SETTINGS if name in settings]
    named += [
        (f"external_data.{key}", f"_external_data ({key})", source)
        for key, source in external_data(settings).items()
    ]
    return named


def judge_settings(
    root: Path, settings: Mapping[str, Any], env: Environment, context: Mapping[str, Any] | None
) -> dict[str, PurePosixPath]:
    """Every path setting judged as rendered with `context`. With None (no answers yet),
    those whose Jinja reads no variable are rendered, the others judged on their text.

    Returns the judged paths of the settings rendered, by key (`subdirectory`,
    `answers_file`, `external_data.NAME`)."""
    judged: dict[str, PurePosixPath] = {}
    for key, setting, source in _path_settings(settings):
        if not isinstance(source, str):
            raise TemplateRefused(f"the template's {setting} must be text")
        if context is None and not is_constant(env, source):
            problem = _raw_problem(source)
            if problem is not None:
                raise leaves(setting, source, problem)
            continue
        judged[key] = judge_path(root, rendered(env, setting, source, context or {}), setting)
    return judged


def _raw_problem(source: str) -> str | None:
    """What a Jinja path shows before rendering: a literal leading `/` or `..` segment
    stays in every rendering."""
    if source.startswith(("/", "\\")):
        return "is an absolute path"
    if ".." in PureWindowsPath(source).parts:
        return "has a '..' segment"
    return None


def judge_output(value: str, what: str) -> PurePosixPath:
    """A path the template renders into a fresh folder (`what` it is): relative, no `..`
    segment. The folder is fresh, so no link can be on the way."""
    problem = _lexical_problem(value)
    if problem is not None:
        raise TemplateRefused(
            f"the template's {what} {_shown(value)} would be written outside: it {problem}"
        )
    return PurePosixPath(value)
