"""The site index `check` keeps between runs: what it last knew of each page and answers
file, so that a run re-reads only the files that changed and re-judges only the pages
whose findings can have changed (issue 31).

Per page: its size, times and inode, a digest of its bytes, the tags `check PATHS` counts,
the anchors other pages' links asked for, and its verdict, with what the verdict was
made from: which files of the docs folder its rules asked about, whose anchors, which
questionnaire judged it and which answers file it read. Per answers file: what places its
document. A page is judged again when it changed, when a file it asked about came or
went, when a page whose anchors it read offers others, when its judge or its answers
changed; everything is judged again when the site's configuration, its section
metadata, the engine profile or guidewright itself changed (the index's key).

The index is a JSON file in the cache folder (core/cache_dir.py), sealed with this user's
key: a cache folder may be shared or restored from elsewhere, and an index someone else
wrote could hide findings. It is read as untrusted input all the same (bounded, every
value's type judged); anything amiss and it is dropped and built again, never trusted.
No page's text is kept: a verdict's findings and a few facts a page, so 100,000 pages
stay well within memory.
"""

from __future__ import annotations

import array
import binascii
import bisect
import contextlib
import dataclasses
import datetime as dt
import gc
import hashlib
import itertools
import json
import os
import stat
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import guidewright
from guidewright.core.atomic import write_atomic_from
from guidewright.core.bounded_read import read_bounded
from guidewright.core.cache_dir import SEAL_BYTES, cache_root, seal_holds, sealer
from guidewright.markdown import frontmatter
from guidewright.rules.problems import ERROR, WARNING, Problem
from guidewright.rules.tags import pages_using
from guidewright.site.answers_files import RecordedDocument

FORMAT = "guidewright-site-index-5"
INDEX_BYTES = 400_000_000  # 100,000 pages' index is some 60 MB; more is no index of ours
# A file whose times are this close to the run that indexed it may have changed again
# within the file system's clock tick, unseen by its times: its bytes are compared.
RACY_NS = 2_000_000_000
_SEVERITIES = frozenset({ERROR, WARNING})


class Corrupt(ValueError):
    """An index file that is not one this guidewright wrote for this site."""


# ---------------------------------------------------------------- what a file looked like


Signature = tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode


_NOT_INDEXED = (-1, -1, -1, -1)  # a link, a FIFO: what a file's signature is not


@dataclass
class Listing:
    """A folder's files as `site.files_under` lists them (sorted, linked folders not
    entered), and the signature of each named `*suffix`: a regular file's size, mtime,
    ctime and inode, where the index may stand for it (not a link: what a link leads to
    can change with no trace on the link)."""

    files: list[str]
    stated: list[str]  # the files named `*suffix`, in the same order
    flat: list[int]  # four numbers a file of `stated`: its signature, or -1s
    unindexed: int = 0  # how many files of `stated` have no signature

    @property
    def signatures(self) -> list[Signature | None]:
        flat = self.flat
        return [
            None if flat[at] < 0 else (flat[at], flat[at + 1], flat[at + 2], flat[at + 3])
            for at in range(0, len(flat), 4)
        ]

    def packed(self) -> bytes | None:
        """The signatures as the index keeps them; None when one is not indexable."""
        return None if self.unindexed else pack(self.flat)

    def newest_ns(self) -> int:
        """The latest mtime or ctime among the signatures (0: none)."""
        return max(max(self.flat[1::4], default=0), max(self.flat[2::4], default=0))


def scan(
    folder: str, suffix: str, skip_hidden: bool = False, every_file: bool = False, prefix: str = ""
) -> Listing:
    """Every file below `folder` named `*suffix` (`every_file`: every file), and the
    signature of each named `*suffix`, in one pass over the folders: `files_under`'s
    listing and the pages' signatures at once (a run of one page stats every page of the
    site). Each folder is opened by descriptor and each file stat'ed by its name in it,
    not by its whole path; each folder's names are sorted as they are read, so that the
    whole is in `files_under`'s order with no sort of it. Which files are listed is
    `files_under`'s rule exactly: a link to a folder is not entered, a hidden name
    skipped with `skip_hidden`, a folder that cannot be read passed over. Each path is
    relative to `folder`, `prefix` in front (made as the path is: no second list)."""
    listing = Listing([], [], [])
    try:
        top = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return listing
    try:
        _scan_folder(top, prefix, suffix, skip_hidden, every_file, listing)
    finally:
        os.close(top)
    if not every_file:
        listing.files = listing.stated
    return listing


def _scan_folder(
    descriptor: int, prefix: str, suffix: str, skip_hidden: bool, every_file: bool, into: Listing
) -> None:
    files: list[str] = []
    folders: list[str] = []
    try:
        entries = os.scandir(descriptor)
    except OSError:
        return
    with entries:
        for entry in entries:
            name = entry.name
            if skip_hidden and name[0] == ".":
                continue
            try:
                is_folder = entry.is_dir()  # as os.walk tells folders: through a link
            except OSError:
                is_folder = False
            if not is_folder:
                if every_file or name.endswith(suffix):
                    files.append(name)
                continue
            try:
                linked = entry.is_symlink()
            except OSError:
                linked = False
            if not linked:  # os.walk lists a linked folder, enters none
                folders.append(name + "/")
    # Sorted by name, a folder's as `name/`: its files then fall where the sort of their
    # paths puts them (no file name holds a `/`). Plain names, no tuples: most folders
    # hold thousands of files and no folder.
    names = files + folders if folders else files
    names.sort()
    lstat, regular, flat = os.lstat, stat.S_ISREG, into.flat
    listed, stated = into.files, into.stated
    for name in names:
        if name[-1] == "/":
            try:
                flags = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW
                inner = os.open(name[:-1], flags, dir_fd=descriptor)
            except OSError:
                continue
            try:
                _scan_folder(inner, prefix + name, suffix, skip_hidden, every_file, into)
            finally:
                os.close(inner)
            continue
        relpath = prefix + name
        if every_file:
            listed.append(relpath)
            if not name.endswith(suffix):
                continue
        stated.append(relpath)
        try:
            status = lstat(name, dir_fd=descriptor)
        except OSError:
            status = None
        if status is not None and regular(status.st_mode):
            flat += (status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino)
        else:
            flat += _NOT_INDEXED
            into.unindexed += 1


def pack(flat: list[int]) -> bytes:
    """Signatures' numbers as the index keeps them: 8 bytes each, little-endian, one
    comparison of bytes telling whether every file is as indexed."""
    numbers = array.array("q", flat)
    if sys.byteorder != "little":
        numbers.byteswap()
    return numbers.tobytes()


def unpack(packed: bytes) -> list[int]:
    numbers = array.array("q")
    numbers.frombytes(packed)
    if sys.byteorder != "little":
        numbers.byteswap()
    return numbers.tolist()


def digest(content: bytes) -> str:
    return hashlib.blake2b(content, digest_size=16).hexdigest()


# ---------------------------------------------------------------- frontmatter values


def encode_value(value: Any) -> Any:
    """A frontmatter value as JSON keeps it exactly (a date stays a date); ValueError for
    one it cannot keep (the page is then judged on every run)."""
    if value is None or type(value) in (bool, int, str):
        return value
    if type(value) is float:
        return {"f": repr(value)}
    if type(value) is list:
        return {"l": [encode_value(v) for v in value]}
    if type(value) is dict:
        return {"m": [[encode_value(k), encode_value(v)] for k, v in value.items()]}
    if type(value) is dt.datetime:
        return {"datetime": value.isoformat()}
    if type(value) is dt.date:
        return {"date": value.isoformat()}
    raise ValueError(f"no index form for {type(value).__name__}")


def decode_value(value: Any) -> Any:
    if value is None or type(value) in (bool, int, str):
        return value
    if type(value) is not dict or len(value) != 1:
        raise Corrupt("a value")
    ((tag, held),) = value.items()
    if tag == "f" and type(held) is str:
        try:
            return float(held)
        except ValueError as error:
            raise Corrupt("a number") from error
    if tag == "l" and type(held) is list:
        if all(type(v) is str for v in held):
            return held  # most lists (tags): texts, as JSON gives them
        return [decode_value(v) for v in held]
    if tag == "m" and type(held) is list:
        pairs = [_pair(p) for p in held]
        return {decode_value(k): decode_value(v) for k, v in pairs}
    if tag in ("date", "datetime") and type(held) is str:
        try:
            return (
                dt.datetime.fromisoformat(held)
                if tag == "datetime"
                else dt.date.fromisoformat(held)
            )
        except ValueError as error:
            raise Corrupt("a date") from error
    raise Corrupt("a value")


def _pair(value: Any) -> tuple[Any, Any]:
    if type(value) is not list or len(value) != 2:
        raise Corrupt("a mapping entry")
    return value[0], value[1]


def encode_facts(facts: frontmatter.Frontmatter) -> list[Any]:
    data = encode_value(facts.data)
    return [data, facts.key_lines, facts.body_line, facts.end_line]


def decode_facts(value: Any) -> frontmatter.Frontmatter:
    if type(value) is not list or len(value) != 4:
        raise Corrupt("a page's facts")
    data = decode_value(value[0])
    key_lines, body_line, end_line = value[1], value[2], value[3]
    if type(data) is not dict or not _str_int_map(key_lines):
        raise Corrupt("a page's facts")
    _int(body_line), _int(end_line)
    return frontmatter.Frontmatter(data, key_lines, "", body_line, end_line)


# ---------------------------------------------------------------- rows


@dataclass(slots=True)
class Verdict:
    """A page's verdict as `check` keeps it."""

    problems: list[Problem]
    facts: frontmatter.Frontmatter | None  # site_facts of our page; None: not ours
    plain: bool
    read_by_python_markdown: bool
    judged_without: tuple[str, ...]


@dataclass(slots=True)
class PageRow:
    """What the index knows of one page of the docs folder: the page, and its verdict with
    what the verdict was made from. What the file holds of a verdict is decoded (and
    judged) only when a run uses it: a run of one page uses one."""

    signature: Signature
    digest: str
    tags: tuple[str, ...] | None  # its own frontmatter's tags, as `check PATHS` counts them
    anchors: frozenset[str] | None  # valid when `has_anchors`
    has_anchors: bool
    judge: str = ""  # the fingerprint of the questionnaire that judged it
    answers: str = ""  # the version of its answers file ("" without one)
    # The docs folder paths its rules asked about, the pages whose anchors they read, and
    # those whose place in the prerequisite graph they read.
    asked: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]] | None = None
    held: Verdict | None = None
    raw: str | None = None  # the verdict and what it asked, as read (JSON), not yet decoded
    # Where the index file holds its verdict, not yet read: a run of 100,000 pages holds
    # their verdicts' bytes once, not their texts too.
    stored: tuple[PageTable, int] | None = None

    @property
    def judged(self) -> bool:
        return self.held is not None or self.raw is not None or self.stored is not None

    def forget(self) -> None:
        """The verdict dropped: the page is to be judged again."""
        self.held = self.raw = self.asked = self.stored = None

    def text(self) -> str | None:
        """The verdict and what it asked as the file holds them (JSON), None without."""
        if self.raw is not None or self.stored is None:
            return self.raw
        table, number = self.stored
        return table.verdict(number)

    def _decoded(self) -> None:
        text = self.text()
        self.raw = self.stored = None
        if text is None:
            return
        try:
            verdict, *asked = _held(json.loads(text))
            self.held, self.asked = verdict, (asked[0], asked[1], asked[2])
        except (Corrupt, ValueError, RecursionError):
            self.held = self.asked = None

    def verdict(self) -> Verdict | None:
        """The verdict, decoded and let go (a run of 100,000 pages holds their texts, not
        their findings); None when there is none, or when what the file held is no
        verdict (then the page is judged again)."""
        if self.held is not None:
            return self.held
        text = self.text()
        if text is None:
            return None
        try:
            return _held(json.loads(text))[0]
        except (Corrupt, ValueError, RecursionError):
            return None

    def stale(self, changes: Changes, judge: str, answers: str) -> bool:
        """Whether its verdict can differ from the page's verdict now."""
        if self.judge != judge or self.answers != answers:
            return True
        if not changes:
            return False
        self._decoded()
        if self.asked is None:
            return True
        files, anchors, listings = self.asked
        return not (
            changes.came_or_went.isdisjoint(files)
            and changes.anchors.isdisjoint(anchors)
            and changes.pages.isdisjoint(listings)
        )


@dataclass
class Changes:
    """What changed in the docs folder since the index was written."""

    came_or_went: set[str] = field(default_factory=set)  # files, pages or not
    anchors: set[str] = field(default_factory=set)  # pages offering other anchors (or unknown)
    pages: set[str] = field(default_factory=set)  # pages whose bytes changed, came or went

    def __bool__(self) -> bool:
        return bool(self.came_or_went or self.anchors or self.pages)


@dataclass(slots=True)
class AnswersRow:
    signature: Signature
    digest: str
    # What the file places, as read for placing only (its document, version and source:
    # the run's own record of it, made once as the index is read), or why it cannot be used.
    placed: RecordedDocument | str


@dataclass
class SiteIndexFile:
    """The index of one site, as read (empty: none, or none worth trusting)."""

    key: str
    written_ns: int = 0
    files: frozenset[str] = frozenset()  # what a run saves; a loaded index's: `file_list`
    pages: MutableMapping[str, PageRow] = field(default_factory=dict)
    answers: Mapping[str, AnswersRow] = field(default_factory=dict)
    tags_key: str | None = None  # the question the pages' tags were read under
    # As the file held them: the docs folder's files, the pages' rows, and the answers
    # files' statuses packed; a run whose listing and statuses are these knows at once
    # that nothing changed.
    file_list: list[str] | None = None
    table: PageTable | None = None
    answers_status: bytes | None = None
    # What stands for the current questionnaire (check/kept_questionnaire.py), as read:
    # judged there, entry by entry, before anything of it is used.
    judge: Any = None

    def fresh(self, row_signature: Signature, now_signature: Signature) -> bool:
        """Whether a row's file is as indexed, told from its status alone: its status
        unchanged, and both its times well before the run that indexed it (a change
        within the same clock tick leaves them as they were; its ctime no one can set)."""
        settled = self.written_ns - RACY_NS
        return (
            row_signature == now_signature
            and row_signature[1] < settled
            and row_signature[2] < settled
        )


def now_ns() -> int:
    """The time a run starts, which its index is written as of."""
    return time.time_ns()


# ---------------------------------------------------------------- the key


def _source_fingerprint() -> str:
    """guidewright's own code as installed: a changed rule is a changed verdict."""
    package = os.path.dirname(os.path.abspath(guidewright.__file__))
    parts = [guidewright.__version__, sys.version]
    for folder, folders, names in os.walk(package):
        folders[:] = sorted(f for f in folders if f != "__pycache__")
        for name in sorted(names):
            if name.endswith(".py"):
                with contextlib.suppress(OSError):
                    status = os.stat(os.path.join(folder, name))
                    parts.append(f"{folder}/{name}:{status.st_size}:{status.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode("utf-8", "surrogateescape")).hexdigest()


def canonical(value: object) -> str:
    """A value's text, the same in every process: a set's members sorted (its repr's
    order changes with each process's hash seed), a dataclass field by field."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = [  # a field left out of its repr is a cache, not what the value says
            f"{f.name}={canonical(getattr(value, f.name))}"
            for f in dataclasses.fields(value)
            if f.repr
        ]
        return f"{type(value).__qualname__}({', '.join(fields)})"
    if isinstance(value, set | frozenset):
        return "{" + ", ".join(sorted(canonical(v) for v in value)) + "}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{canonical(k)}: {canonical(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return f"{type(value).__name__}[" + ", ".join(canonical(v) for v in value) + "]"
    if type(value).__repr__ is object.__repr__:
        return f"<{type(value).__qualname__}>"  # its address, not what it holds
    return repr(value)


def index_key(*facts: object) -> str:
    """The key every verdict of a run shares: the format, guidewright's code, and the
    `facts` (the site, its configuration and engine profile, its section metadata)."""
    text = "\0".join([FORMAT, _source_fingerprint(), *map(canonical, facts)])
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


def fingerprint(value: object) -> str:
    """A short digest of a value's canonical text (a questionnaire's questions and block)."""
    return hashlib.sha256(canonical(value).encode("utf-8", "surrogateescape")).hexdigest()[:32]


def index_path(root: Path, docs_dir: str) -> Path:
    where = f"{os.path.realpath(root)}\0{docs_dir}".encode("utf-8", "surrogateescape")
    return cache_root() / "site-index" / f"{hashlib.sha256(where).hexdigest()[:32]}.json"


# ---------------------------------------------------------------- reading


# The file: the seal, the pages' verdicts (UTF-8 JSON texts one after another), the rest
# of the index (a JSON document), then the sizes of the verdicts and of that document (8
# bytes each). The seal covers the document and the sizes; the document holds a digest
# of each verdict. So a run reads and checks the document whole, and only the verdicts
# it uses: a run of one page whose site did not change, one.
_SIZES = 16


def load(path: Path, key: str) -> SiteIndexFile:
    """The index at `path` when this user sealed it for `key`; else an empty one."""
    try:
        whole = read_bounded(path, INDEX_BYTES)
    except OSError:
        return SiteIndexFile(key)
    if len(whole) < SEAL_BYTES + _SIZES:
        return SiteIndexFile(key)
    verdicts_size = int.from_bytes(whole[-_SIZES:-8], "little")
    document_size = int.from_bytes(whole[-8:], "little")
    if SEAL_BYTES + verdicts_size + document_size + _SIZES != len(whole):
        return SiteIndexFile(key)
    document_at = SEAL_BYTES + verdicts_size
    view = memoryview(whole)
    payload = view[document_at:]  # the document and the sizes: what the seal covers
    if not seal_holds(view[:SEAL_BYTES], payload):
        return SiteIndexFile(key)
    # The verdicts kept for the run (100,000 pages': some 20 MB), the rest let go.
    verdicts = memoryview(whole[SEAL_BYTES:document_at])
    collecting = gc.isenabled()
    # The index's values hold no cycles, but their hundreds of thousands of lists and
    # rows set off the cycle collector again and again as they are made, each pass
    # through all of them: a third of the time to read 10,000 pages' index.
    gc.disable()
    try:
        text = str(payload[:-_SIZES], "utf-8")
        del payload, view, whole  # the bytes let go before the values are made
        return _parse(json.loads(text), key, verdicts)
    except (Corrupt, ValueError, RecursionError, TypeError, KeyError, AttributeError):
        return SiteIndexFile(key)
    finally:
        if collecting:
            gc.enable()


def _int(value: Any) -> int:
    if type(value) is not int:
        raise Corrupt("a number")
    return value


def _str(value: Any) -> str:
    if type(value) is not str:
        raise Corrupt("a text")
    return value


_ONLY_TEXTS = frozenset({str})


def _strs(value: Any) -> list[str]:
    # Judged by the set of its members' types: no generator a member (a run of one page
    # judges the tags of every page the index holds).
    if type(value) is not list or (value and not _ONLY_TEXTS.issuperset(map(type, value))):
        raise Corrupt("a list of texts")
    return value


def _str_int_map(value: Any) -> bool:
    return type(value) is dict and all(type(v) is int for v in value.values())


def _problem(value: Any) -> Problem:
    if type(value) is not list or len(value) != 7:
        raise Corrupt("a finding")
    path, line, key, message, severity, code, column = value
    if severity not in _SEVERITIES:
        raise Corrupt("a finding's severity")
    return Problem(
        _str(path), _int(line), _str(key), _str(message), severity, _str(code), _int(column)
    )


def _held(
    value: Any,
) -> tuple[Verdict, tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """A verdict and what it asked, from what the index file held."""
    if type(value) is not list or len(value) != 8:
        raise Corrupt("a verdict")
    problems, facts, plain, python_markdown, without, files, anchors, listings = value
    if type(problems) is not list or type(plain) is not bool or type(python_markdown) is not bool:
        raise Corrupt("a verdict")
    verdict = Verdict(
        [_problem(p) for p in problems],
        None if facts is None else decode_facts(facts),
        plain,
        python_markdown,
        tuple(_strs(without)),
    )
    return verdict, tuple(_strs(files)), tuple(_strs(anchors)), tuple(_strs(listings))


def _column(table: Any, name: str, count: int) -> list[Any]:
    column = table[name]
    if type(column) is not list or len(column) != count:
        raise Corrupt(f"a column {name}")
    return column


def _files(table: Any) -> tuple[list[str], bytes, list[str]]:
    """A table's files: their paths, packed statuses (`pack`) and digests (the columns
    every table has)."""
    if type(table) is not dict:
        raise Corrupt("no table")
    paths = _strs(table["path"])
    count = len(paths)
    return paths, _packed(table["status"], 32 * count), _strs(_column(table, "digest", count))


def _signatures(status: bytes) -> list[Signature]:
    values = iter(unpack(status))  # four at a time
    return list(zip(values, values, values, values, strict=True))


@dataclass
class PageTable:
    """The pages' rows as the index file holds them, each value's type judged as it is
    read (a verdict's where a run uses it), a row made only when a run asks for it: a
    run of one page whose site did not change makes one."""

    paths: list[str]
    status: bytes  # every page's signature, packed: one comparison says none changed
    digests: list[str]
    tags: list[list[str] | None]
    anchors: list[Any]  # 0: never asked for; None: not knowable; a list of anchors
    judges: list[str]
    answers: list[str]
    verdicts: memoryview  # every verdict's text, one after another (the file's)
    verdict_at: list[int]  # where each page's verdict begins, and where the last ends
    verdict_digests: bytes  # each page's verdict's digest, 16 bytes (none: zeros)
    # How many pages use each tag (`pages_using` of `tags`): a run of one page counts
    # every page's tags, and takes them counted.
    tag_use: Counter[str] = field(default_factory=Counter)

    def verdict(self, number: int) -> str | None:
        """The page's verdict as the file holds it (a JSON text); None when there is none,
        or when it is not what the index wrote (the page is then judged again)."""
        start, end = self.verdict_at[number], self.verdict_at[number + 1]
        if start == end:
            return None
        text = self.verdicts[start:end]
        expected = self.verdict_digests[16 * number : 16 * number + 16]
        if hashlib.blake2b(text, digest_size=16).digest() != expected:
            return None
        try:
            return str(text, "utf-8", "surrogatepass")
        except UnicodeDecodeError:
            return None

    def row(self, number: int, signature: Signature) -> PageRow:
        tags, anchors = self.tags[number], self.anchors[number]
        return PageRow(
            signature,
            self.digests[number],
            None if tags is None else tuple(map(sys.intern, tags)),
            None if anchors is None or anchors == 0 else frozenset(anchors),
            anchors != 0,
            self.judges[number],
            self.answers[number],
            stored=(self, number)
            if self.verdict_at[number] != self.verdict_at[number + 1]
            else None,
        )

    def rows(self) -> dict[str, PageRow]:
        signatures = _signatures(self.status)
        return {
            sys.intern(path): self.row(number, signatures[number])
            for number, path in enumerate(self.paths)
        }


class LazyRows(MutableMapping[str, PageRow]):
    """The rows of a `PageTable` by path, each made on first use; those set or deleted
    since kept apart from the table."""

    def __init__(self, table: PageTable) -> None:
        self.table = table
        self.made: dict[str, PageRow] = {}
        self.gone: set[str] = set()
        # The table's statuses unpacked, on first need; a run whose listing's statuses are
        # the table's byte for byte hands its own (one list of them, not two).
        self.signatures: list[int] | None = None

    def _number(self, relpath: str) -> int | None:
        paths = self.table.paths  # sorted, each once (judged as read)
        number = bisect.bisect_left(paths, relpath)
        return number if number < len(paths) and paths[number] == relpath else None

    def __getitem__(self, relpath: str) -> PageRow:
        made = self.made.get(relpath)
        if made is not None:
            return made
        number = None if relpath in self.gone else self._number(relpath)
        if number is None:
            raise KeyError(relpath)
        if self.signatures is None:
            self.signatures = unpack(self.table.status)
        flat = self.signatures[4 * number : 4 * number + 4]
        row = self.table.row(number, (flat[0], flat[1], flat[2], flat[3]))
        self.made[relpath] = row
        return row

    def __setitem__(self, relpath: str, row: PageRow) -> None:
        self.made[relpath] = row
        self.gone.discard(relpath)

    def __delitem__(self, relpath: str) -> None:
        self[relpath]  # a KeyError when there is none
        del self.made[relpath]
        self.gone.add(relpath)

    def __iter__(self) -> Iterator[str]:
        gone, made = self.gone, self.made
        for path in self.table.paths:
            if path not in gone:
                yield path
        for path in made:
            if self._number(path) is None:
                yield path

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def tag_lists(self) -> list[Any]:
        """Each row's tags, without making the rows not yet made."""
        gone, made = self.gone, self.made
        lists: list[Any] = [
            made[path].tags if path in made else self.table.tags[number]
            for number, path in enumerate(self.table.paths)
            if path not in gone
        ]
        lists += [row.tags for path, row in made.items() if self._number(path) is None]
        return lists

    def tags_counted(self) -> Counter[str] | None:
        """`pages_using` of `tag_lists`, as the file counted it, while every row made
        since holds the tags the file holds for it and none is gone (None: count them)."""
        if self.gone:
            return None
        tags = self.table.tags
        for path, row in self.made.items():
            number = self._number(path)
            held = None if number is None else tags[number]
            if number is None or (row.tags != (None if held is None else tuple(held))):
                return None
        return self.table.tag_use


def _page_table(table: Any, verdicts: memoryview) -> PageTable:
    """The pages' columns, each value's type judged (a verdict's where a run uses it)."""
    paths, status, digests = _files(table)
    count = len(paths)
    if paths != sorted(paths) or len(frozenset(paths)) != count:  # rows found by bisection
        raise Corrupt("the pages' order")
    tags, anchors = _column(table, "tags", count), _column(table, "anchors", count)
    # Each column's types judged at once (10,000 pages' tags in one pass), not page by page.
    if not _LIST_OR_NONE.issuperset(map(type, tags)):
        raise Corrupt("a page's tags")
    _strs(list(itertools.chain.from_iterable(filter(None, tags))))
    if not _ANCHORS.issuperset(map(type, anchors)) or any(
        a
        for a in anchors
        if type(a) is int  # 0: never asked for
    ):
        raise Corrupt("a page's anchors")
    _strs(list(itertools.chain.from_iterable(a for a in anchors if type(a) is list)))
    verdict_at = unpack(_packed(table["verdict_at"], 8 * (count + 1)))
    # From the start to the end of the verdicts, never back (sorted already: one pass).
    if verdict_at[0] != 0 or verdict_at[-1] != len(verdicts) or verdict_at != sorted(verdict_at):
        raise Corrupt("where the verdicts are")
    return PageTable(
        paths,
        status,
        digests,
        tags,
        anchors,
        _strs(_column(table, "judge", count)),
        _strs(_column(table, "answers", count)),
        verdicts,
        verdict_at,
        _packed(table["verdict_digest"], 16 * count),
        _tag_use(table["tag_use"]),
    )


_LIST_OR_NONE = frozenset({list, type(None)})
_ANCHORS = frozenset({list, type(None), int})


def _tag_use(value: Any) -> Counter[str]:
    """The pages' tags counted, in the order the file holds them (the order of the tags'
    first pages: what GW402 offers as the likely tag among equals depends on it)."""
    if type(value) is not list or not all(
        type(pair) is list
        and len(pair) == 2
        and type(pair[0]) is str
        and type(pair[1]) is int
        and pair[1] > 0
        for pair in value
    ):
        raise Corrupt("the tags counted")
    counted: Counter[str] = Counter(dict(value))
    if len(counted) != len(value):
        raise Corrupt("the tags counted")
    return counted


def _packed(value: Any, size: int) -> bytes:
    """Bytes the index keeps as base64 text, of the size they must have."""
    if type(value) is not str:
        raise Corrupt("packed numbers")
    try:
        found = binascii.a2b_base64(value, strict_mode=True)
    except (binascii.Error, ValueError) as error:
        raise Corrupt("packed numbers") from error
    if len(found) != size:
        raise Corrupt("packed numbers")
    return found


class AnswersRows(Mapping[str, AnswersRow]):
    """The answers files' rows as the index file holds them, by path: what each places
    made once as it is read (every run uses them all), a row only where a run asks for
    one (a run whose answers files are as indexed asks for none)."""

    def __init__(
        self,
        paths: list[str],
        status: bytes,
        digests: list[str],
        placed: list[RecordedDocument | str],
    ) -> None:
        self.paths, self.status, self.digests, self.placed = paths, status, digests, placed
        self._numbers: dict[str, int] | None = None

    def __getitem__(self, relpath: str) -> AnswersRow:
        if self._numbers is None:
            self._numbers = {path: number for number, path in enumerate(self.paths)}
        number = self._numbers[relpath]
        flat = unpack(self.status[32 * number : 32 * number + 32])
        signature = (flat[0], flat[1], flat[2], flat[3])
        return AnswersRow(signature, self.digests[number], self.placed[number])

    def __iter__(self) -> Iterator[str]:
        return iter(self.paths)

    def __len__(self) -> int:
        return len(self.paths)


def placed_of(answers: Mapping[str, AnswersRow]) -> list[RecordedDocument | str]:
    """What each answers file places, in the rows' order, without making the rows."""
    if isinstance(answers, AnswersRows):
        return answers.placed
    return [row.placed for row in answers.values()]


def versions_of(answers: Mapping[str, AnswersRow]) -> dict[str, str]:
    """Each answers file's version (its row's digest) by path, without making the rows."""
    if isinstance(answers, AnswersRows):
        return dict(zip(answers.paths, answers.digests, strict=True))
    return {relpath: row.digest for relpath, row in answers.items()}


_MAYBE_TEXT = frozenset({str, type(None)})


def _answers_rows(table: Any) -> tuple[AnswersRows, bytes]:
    """The answers files' columns, each value's type judged: one check a column."""
    paths, status, digests = _files(table)
    count = len(paths)
    if len(frozenset(paths)) != count:
        raise Corrupt("an answers file twice")
    documents, sources = _column(table, "document", count), _column(table, "src_path", count)
    commits, unusable = _column(table, "commit", count), _column(table, "unusable", count)
    adopted = _column(table, "adopted", count)
    _strs(documents), _strs(sources)
    if not (
        _MAYBE_TEXT.issuperset(map(type, commits))
        and _MAYBE_TEXT.issuperset(map(type, unusable))
        and {bool}.issuperset(map(type, adopted))
    ):
        raise Corrupt("an answers file")
    placed: list[RecordedDocument | str] = [
        RecordedDocument(relpath, document, {}, commit, source, adopted_from)
        if why is None
        else why
        for relpath, document, commit, source, adopted_from, why in zip(
            paths, documents, commits, sources, adopted, unusable, strict=True
        )
    ]
    return AnswersRows(paths, status, digests, placed), status


def _parse(data: Any, key: str, verdicts: memoryview) -> SiteIndexFile:
    if type(data) is not dict or data.get("format") != FORMAT or data.get("key") != key:
        raise Corrupt("not this site's index")
    table = _page_table(data["pages"], verdicts)
    answers, answers_status = _answers_rows(data["answers"])
    file_list = _strs(data["files"])
    return SiteIndexFile(
        key,
        _int(data["written_ns"]),
        frozenset(),  # made from `file_list` where a run asks what came or went
        LazyRows(table),
        answers,
        None if data["tags_key"] is None else _str(data["tags_key"]),
        file_list,
        table,
        answers_status,
        data.get("judge"),
    )


# ---------------------------------------------------------------- writing


def _problem_data(problem: Problem) -> list[Any]:
    return [
        problem.path,
        problem.line,
        problem.field,
        problem.message,
        problem.severity,
        problem.code,
        problem.column,
    ]


def _held_data(row: PageRow) -> str | None:
    """The row's verdict and what it asked, as the file holds them (JSON in a text)."""
    if row.held is None or row.asked is None:
        return row.text()
    return verdict_text(row.held, *row.asked)


def verdict_text(
    verdict: Verdict, files: Iterable[str], anchors: Iterable[str], listings: Iterable[str]
) -> str:
    """A verdict and what its rules asked, as the index keeps them: a JSON text. ValueError
    for a frontmatter value JSON cannot keep (the page is then judged on every run)."""
    return json.dumps(
        [
            [_problem_data(p) for p in verdict.problems],
            None if verdict.facts is None else encode_facts(verdict.facts),
            verdict.plain,
            verdict.read_by_python_markdown,
            list(verdict.judged_without),
            sorted(files),
            sorted(anchors),
            sorted(listings),
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )


def _anchors_data(row: PageRow) -> Any:
    if not row.has_anchors:
        return 0
    return None if row.anchors is None else sorted(row.anchors)


def _packed_text(rows: list[PageRow] | list[AnswersRow]) -> str:
    return _text_of(pack([value for row in rows for value in row.signature]))


def _pages_data(paths: list[str], rows: list[PageRow], at: list[int], digests: bytes) -> Any:
    """The pages' columns (`at`, `digests`: where their verdicts are written, and their
    digests)."""
    return {
        "path": paths,
        "status": _packed_text(rows),
        "digest": [row.digest for row in rows],
        "tags": [None if row.tags is None else list(row.tags) for row in rows],
        "anchors": [_anchors_data(row) for row in rows],
        "judge": [row.judge for row in rows],
        "answers": [row.answers for row in rows],
        "verdict_at": _text_of(pack(at)),
        "verdict_digest": _text_of(digests),
        "tag_use": [[tag, pages] for tag, pages in pages_using(r.tags for r in rows).items()],
    }


def _text_of(packed: bytes) -> str:
    return binascii.b2a_base64(packed, newline=False).decode("ascii")


def _answers_data(answers: Mapping[str, AnswersRow]) -> dict[str, Any]:
    if isinstance(answers, AnswersRows):  # as read: its columns as they were
        paths, status, digests = answers.paths, _text_of(answers.status), answers.digests
    else:
        rows = list(answers.values())
        paths, status, digests = list(answers), _packed_text(rows), [r.digest for r in rows]
    placed = placed_of(answers)
    documents = [p.document if isinstance(p, RecordedDocument) else "" for p in placed]
    return {
        "path": paths,
        "status": status,
        "digest": digests,
        "document": documents,
        "commit": [p.commit if isinstance(p, RecordedDocument) else None for p in placed],
        "src_path": [p.src_path if isinstance(p, RecordedDocument) else "" for p in placed],
        "adopted": [isinstance(p, RecordedDocument) and p.adopted for p in placed],
        "unusable": [None if isinstance(p, RecordedDocument) else p for p in placed],
    }


def save(path: Path, index: SiteIndexFile) -> None:
    """The index sealed into `path`, whole or not at all, written as it is encoded (100,000
    pages' index is never held as one text); nothing without a key or a cache folder that
    takes it (an index only ever saves time)."""
    seal = sealer()
    if seal is None:
        return
    paths = sorted(index.pages)  # in the order a run lists them: compared whole by the next
    rows = [index.pages[relpath] for relpath in paths]
    encoder = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))

    def fill(stream: BinaryIO) -> None:
        stream.write(bytes(SEAL_BYTES))  # the seal's place, filled in once it is known
        written, pending, size = 0, list[bytes](), 0

        def flush(sealed: bool) -> None:
            nonlocal written, size
            data = b"".join(pending)
            pending.clear()
            written, size = written + len(data), 0
            if written > INDEX_BYTES:
                raise OSError("the index would pass its bound")
            if sealed:
                seal.update(data)
            stream.write(data)

        def put(data: bytes, sealed: bool) -> None:  # written a MB at once
            nonlocal size
            pending.append(data)
            size += len(data)
            if size >= 1 << 20:
                flush(sealed)

        at, digests = [0], bytearray()
        for row in rows:
            text = _held_data(row)
            data = b"" if text is None else text.encode("utf-8", "surrogatepass")
            digests += hashlib.blake2b(data, digest_size=16).digest() if data else bytes(16)
            at.append(at[-1] + len(data))
            put(data, sealed=False)
        flush(sealed=False)
        verdicts_size, before = written, written
        document = {
            "format": FORMAT,
            "key": index.key,
            "written_ns": index.written_ns,
            "tags_key": index.tags_key,
            "files": sorted(index.files),
            "pages": _pages_data(paths, rows, at, bytes(digests)),
            "answers": _answers_data(index.answers),
            "judge": index.judge,
        }
        for chunk in encoder.iterencode(document):
            put(chunk.encode("utf-8", "surrogatepass"), sealed=True)
        flush(sealed=True)
        sizes = verdicts_size.to_bytes(8, "little") + (written - before).to_bytes(8, "little")
        seal.update(sizes)
        stream.write(sizes)
        stream.seek(0)
        stream.write(seal.digest())

    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        # Not flushed to the disk (5 to 25 ms of a run's wall time here): a file a crash
        # tore fails its seal or its digests, and is judged afresh, as any corrupt one.
        write_atomic_from(path, fill, durable=False)


# ---------------------------------------------------------------- what a run asked


class AskedFiles(frozenset[str]):
    """The docs folder's files, noting each path a rule asks about while `asked` is a set:
    a page's verdict holds only while each of those paths is or is not there as it was."""

    asked: set[str] | None = None

    def __contains__(self, item: object) -> bool:
        if self.asked is not None and isinstance(item, str):
            self.asked.add(item)
        return frozenset.__contains__(self, item)


def asking_anchors(
    known: Callable[[str], tuple[bool, frozenset[str] | None]],
    from_disk: Callable[[str], frozenset[str] | None],
) -> tuple[Callable[[str], frozenset[str] | None], set[str], dict[str, frozenset[str] | None]]:
    """`anchors_of` for the rules: the index's anchors where it has them, else the page
    read; with the set of pages asked for (to reset per page) and those read (to keep)."""
    asked: set[str] = set()
    read: dict[str, frozenset[str] | None] = {}

    def anchors_of(target: str) -> frozenset[str] | None:
        asked.add(target)
        found, anchors = known(target)
        if found:
            return anchors
        if target not in read:
            read[target] = from_disk(target)
        return read[target]

    return anchors_of, asked, read
