"""What stands for the template's questionnaire in the site index, so that a run of `check`
that judges no page (one page whose verdict is kept) loads neither the questionnaire nor
Jinja2 (issue 31; docs/pages/design/site-index.md says why each file is in the key).

A verdict kept is reused only with the questionnaire that would judge the page again. The
index keeps, beside the judges' digest (`_judged_by`) and the `_guidewright` block (as
data), the status of every file the questionnaire is read from: copier.yml and
copier.yaml, each file a literal `!include` names, each file the questions' expressions
load (and each folder on the way to them), and which template (source, resolved version,
folder). When every status stands, the digest and block stand for the questionnaire;
anything this cannot prove (an `!include` glob, a file written within the clock's
resolution of the run that indexed it, a folder of a checkout made afresh) loads it.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

import yaml

from guidewright.check import site_index
from guidewright.core import safe_yaml
from guidewright.core.bounded_read import read_open
from guidewright.core.errors import InvalidInput
from guidewright.template.block import BLOCK, Block, read_block

CONFIG_NAMES = ("copier.yml", "copier.yaml")  # config_file's, in its order
_CONFIG_BYTES = 1_000_000  # a copier.yml or an included file larger is never kept

_GLOB_MAGIC = re.compile(r"[*?\[]")
UNKNOWN = [-1]  # the status of a file that cannot be looked at: never as indexed


@dataclass(frozen=True)
class TemplateAt:
    """Which template judges the current pages: its source as the answers record it, the
    version it resolved to, its folder, and whether that is a working tree with changes."""

    src: str
    version: str | None
    folder: str
    working_tree: bool

    def data(self) -> list[Any]:
        return [self.src, self.version, os.path.realpath(self.folder), self.working_tree]


@dataclass(frozen=True)
class KeptJudge:
    """The current questionnaire as the index has it: its judges' digest and its block;
    or, on a run where it does not stand, its block read alone (no digest: known only
    once the questionnaire is loaded, which a run of plain pages never does)."""

    judged_by: str | None  # site_index.fingerprint of `_judged_by`
    block: Block


def status(path: str) -> list[int] | None:
    """A file's status as the index compares it (None: absent); a folder's, its kind and
    identity only (an entry added beside the files read is no change to them)."""
    try:
        found = os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except (OSError, ValueError):  # unreadable, a name too long, a NUL (a forged index)
        return UNKNOWN
    if stat.S_ISDIR(found.st_mode):
        return [found.st_mode, found.st_ino, found.st_dev]
    return [found.st_mode, found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino]


def _on_the_way(relpath: str) -> list[str]:
    """`relpath` and each folder on the way to it (a link swapped in for one is seen)."""
    parts = relpath.split("/")
    return ["/".join(parts[: n + 1]) for n in range(len(parts))]


def _included(text: str) -> list[str] | None:
    """The literal paths `text`'s `!include` tags name (None: one cannot be told). Read
    by YAML's own composer, as Copier's loader reads them (a `%TAG` directive, a verbatim
    or escaped tag, a name folded onto the next line, an alias), not by a pattern: a
    name misread is an included file whose change no run would see."""
    try:
        documents = list(yaml.compose_all(text, Loader=safe_yaml.Loader))
    except yaml.YAMLError:
        return None
    names: list[str] = []
    # Depth first, in the text's order: the names in the order they are written.
    nodes: list[yaml.Node] = [node for node in reversed(documents) if node is not None]
    seen: set[int] = set()  # an alias is the node it names: looked at once
    while nodes:
        node = nodes.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if node.tag == "!include":
            if not isinstance(node, yaml.ScalarNode):
                return None
            name = str(node.value)
            if _GLOB_MAGIC.search(name) or not name.strip():
                return None
            names.append(name)
        elif isinstance(node, yaml.SequenceNode):
            nodes.extend(reversed(node.value))
        elif isinstance(node, yaml.MappingNode):
            nodes.extend(item for pair in reversed(node.value) for item in reversed(pair))
    return names


def _read_inside(root: str, relpath: str) -> bytes | None:
    """The file at `relpath` in the template's folder, read only where no component on
    the way is a symbolic link (None: one is, or it cannot be read): no read leaves the
    template, as the loader itself refuses to."""
    path = root
    for part in relpath.split("/"):
        path = os.path.join(path, part)
        try:
            if stat.S_ISLNK(os.lstat(path).st_mode):
                return None
        except (OSError, ValueError):
            return None
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
    except (OSError, ValueError):
        return None
    try:
        return read_open(handle, relpath, _CONFIG_BYTES)[0]
    except (OSError, InvalidInput):
        return None
    finally:
        os.close(handle)


def files_read(root: str, loaded: Iterable[str]) -> list[str] | None:
    """Every file (relative to the template's folder `root`) its questionnaire is read
    from, with the folders on the way; `loaded`: the names its expressions load through
    the template's Jinja loader. None: what it reads cannot be told without loading it."""
    found: dict[str, None] = dict.fromkeys(CONFIG_NAMES)
    texts = []
    for name in CONFIG_NAMES:
        if os.path.lexists(os.path.join(root, name)):
            texts.append(name)
            break
    while texts:
        relpath = texts.pop()
        if not os.path.lexists(os.path.join(root, relpath)):
            continue  # a name that matches no file includes nothing (its absence is kept)
        read = _read_inside(root, relpath)
        try:
            text = None if read is None else read.decode("utf-8")
        except UnicodeDecodeError:
            text = None
        if text is None:
            return None
        included = _included(text)
        if included is None:
            return None
        for name in included:  # as include_files reads a pattern: relative to the root
            parts = PurePosixPath(name).parts
            if not parts or name.startswith("/") or ".." in parts or "\\" in name:
                return None
            clean = "/".join(parts)
            if clean not in found:
                texts.append(clean)
            found.update(dict.fromkeys(_on_the_way(clean)))
    for name in loaded:
        pieces = [piece for piece in name.split("/") if piece and piece != "."]  # as Jinja splits
        if ".." in pieces or "\\" in name or not pieces:
            return None
        found.update(dict.fromkeys(_on_the_way("/".join(pieces))))
    return list(found)


def entry(
    template: TemplateAt, files: list[str], judged_by: str | None, settings: Mapping[str, Any]
) -> dict[str, Any] | None:
    """What the index keeps of the questionnaire (None: nothing it can keep): the files'
    statuses are taken after it was loaded, so a file written since is a file whose
    times are not before the run's start, which never stands. `judged_by` None: of the
    block alone, read from copier.yml as YAML (`files`: those it is read from), where
    the questionnaire was not loaded."""
    block = settings.get(BLOCK)
    try:
        kept_block = json.loads(json.dumps(block))
    except (TypeError, ValueError):
        return None
    if kept_block != block or not _same_types(kept_block, block):
        return None  # a value JSON keeps otherwise (a number as a key, a date): not kept
    statuses = [[relpath, status(os.path.join(template.folder, relpath))] for relpath in files]
    if any(found == UNKNOWN for _, found in statuses):
        return None
    return {
        "template": template.data(),
        "files": statuses,
        "judged_by": judged_by,
        "block": kept_block,
    }


def _same_types(kept: Any, read: Any) -> bool:
    if type(kept) is not type(read):
        return False
    if isinstance(kept, dict):
        return all(_same_types(k, r) for k, r in zip(kept.items(), read.items(), strict=True))
    if isinstance(kept, list | tuple):
        return all(_same_types(k, r) for k, r in zip(kept, read, strict=True))
    return True


def standing(found: Any, template: TemplateAt, written_ns: int) -> KeptJudge | None:
    """The questionnaire as `found` (the index's entry) has it, when every file it was
    read from is as indexed and well before the run that indexed it; else None."""
    if type(found) is not dict or found.get("template") != template.data():
        return None
    files, judged_by, block = found.get("files"), found.get("judged_by"), found.get("block")
    if type(files) is not list or type(block) is not dict:
        return None
    if judged_by is not None and type(judged_by) is not str:  # None: the block's alone
        return None
    settled = written_ns - site_index.RACY_NS
    for item in files:
        if type(item) is not list or len(item) != 2 or type(item[0]) is not str:
            return None
        relpath, was = item
        if relpath.startswith("/") or ".." in relpath.split("/"):
            return None
        now = status(os.path.join(template.folder, relpath))
        if now != was or now == UNKNOWN:
            return None
        if now is not None and len(now) == 5 and not (now[2] < settled and now[3] < settled):
            return None
    try:
        return KeptJudge(judged_by, read_block({BLOCK: block}))
    except InvalidInput:
        return None
