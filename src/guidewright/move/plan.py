"""What a move changes, computed before anything is written: every file that moves or
changes, with its bytes before and after, as plain data for `mv` to write (run.py), to
show as a diff (`--pretend`), or for the language server to offer as a workspace edit.

- the moved pages (and, moving a folder, every file in it), their links to other pages
  and files recomputed from their new place;
- every page of the site whose links reach a moved page (inline links, reference
  definitions; the anchor kept, so each reaches the same heading), and whose `site-documents`
  frontmatter lists (prerequisites, related content) name one;
- each moved page's answers file, moved where the template's `_answers_file` puts it
  (`.guidewright/answers/<section>/<slug>.yml`) with its `section` and `slug` answers, and
  every answers file whose recorded lists name a moved page;
- the engine's configuration: `nav`, and redirects where the site has them
  (engine_config.py).
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field

from guidewright.core.atomic import ABSENT, LinkRefused, Seen, read_seen
from guidewright.core.bounded_read import PAGE_BYTES, YAML_BYTES
from guidewright.core.errors import FrontmatterError, InvalidInput, OperationFailed
from guidewright.core.yaml_edit import NoTextEdit, Path, UnreadableYaml, changed_values
from guidewright.markdown import frontmatter
from guidewright.move.engine_config import config_after
from guidewright.move.links import retarget_links
from guidewright.move.request import AnyMove, is_utf8
from guidewright.site.answers_files import RecordedDocument, read_all_recorded
from guidewright.site.pages import page_bytes
from guidewright.site.profile import read_for_edit
from guidewright.site.site import CONFIG_RELPATH, Site, files_under
from guidewright.site.write_session import Group, Target
from guidewright.template.questionnaire import Questionnaire

# What a page's text is when the caller knows better than the disk (an editor's unsaved
# buffer): its path in the docs folder to its text, or None to read the disk.
OpenText = Callable[[str], str | None]


@dataclass(frozen=True)
class FileChange:
    """One file the move writes: where it is, where it goes (the same place: changed in
    place), what it was when read and its bytes before and after."""

    relpath: str  # relative to the site's root
    new_relpath: str
    seen: Seen
    before: bytes
    after: bytes
    said: tuple[str, ...] = ()  # what changed in it, for the author

    @property
    def moves(self) -> bool:
        return self.new_relpath != self.relpath


@dataclass(frozen=True)
class MovePlan:
    """Everything one move changes; `by_hand`: links that should follow it and are
    written so that they cannot be changed in place (`page:line: target`)."""

    move: AnyMove
    changes: list[FileChange]
    by_hand: list[str] = field(default_factory=list)

    def group(self) -> Group:
        """The changes as one write-session group: written whole or not at all (a moved
        file created at its new place and removed from its old one)."""
        targets = []
        for change in self.changes:
            if change.moves:
                targets.append(Target(change.new_relpath, ABSENT, change.after))
                targets.append(Target(change.relpath, change.seen, None))
            else:
                targets.append(Target(change.relpath, change.seen, change.after))
        return targets

    @property
    def pages_moved(self) -> int:
        return sum(1 for change in self.changes if change.moves and change.relpath.endswith(".md"))


def document_keys(questionnaire: Questionnaire) -> frozenset[str]:
    """The questions whose answers are lists of the site's documents (`site-documents`):
    prerequisites and related content in the bundled template."""
    suggestions = questionnaire.block.suggestions
    return frozenset(key for key, source in suggestions.items() if source == "site-documents")


def plan_move(
    site: Site, move: AnyMove, questionnaire: Questionnaire, open_text: OpenText | None = None
) -> MovePlan:
    """What the move changes in the site (nothing written). Raises InvalidInput when an
    answers file would land on another, OperationFailed when a file that must change
    cannot be read or edited in place."""
    keys = document_keys(questionnaire)
    moved_files = _moved_files(site, move)
    pages = [path for path in moved_files if path.endswith(".md")]
    changes: list[FileChange] = []
    by_hand: list[str] = []
    documents = site.documents()
    known = set(documents)
    for path in moved_files:
        if path not in known:  # an image, a hidden file of a moved folder: its bytes as they are
            content, seen = _read(site, path, PAGE_BYTES)
            changes.append(_change(site, path, move.after(path), seen, content, content))
    for page in documents:
        change = _page_change(site, page, move, keys, open_text, by_hand)
        if change is not None:
            changes.append(change)
    changes += _answers_changes(site, move, questionnaire)
    changes += _config_changes(site, move, pages)
    site_config = _site_config_change(site, move)
    if site_config is not None:
        changes.append(site_config)
    return MovePlan(move, changes, by_hand)


def _moved_files(site: Site, move: AnyMove) -> list[str]:
    """The files the move carries, as paths in the docs folder."""
    found = []
    for one in move.each:
        if not one.folder:
            found.append(one.old)
            continue
        folder = site.docs_path / one.old
        for current, folders, _ in os.walk(folder):  # files_under skips a linked folder
            for name in folders:
                if os.path.islink(os.path.join(current, name)):
                    linked = os.path.relpath(os.path.join(current, name), site.docs_path)
                    raise InvalidInput(
                        f"OLD: {site.docs_dir}/{linked}: a symbolic link; mv moves no link"
                    )
        found += [f"{one.old}/{path}" for path in files_under(folder, "")]
    for path in found:
        if not is_utf8(path):
            raise InvalidInput(
                f"OLD: {site.docs_dir}/{path}: a name that is not UTF-8; mv writes only "
                "UTF-8 names (links and the engine's configuration hold them): rename it first"
            )
    return found


def _read(site: Site, in_docs: str, limit: int) -> tuple[bytes, Seen]:
    try:
        return read_seen(site.docs_path / in_docs, limit)
    except LinkRefused:
        raise InvalidInput(
            f"{site.docs_dir}/{in_docs}: a symbolic link; mv writes nothing through one"
        ) from None
    except OSError as error:
        raise OperationFailed(
            f"{site.docs_dir}/{in_docs}: cannot read ({error.strerror or error})"
        ) from error


def _change(
    site: Site,
    old: str,
    new: str,
    seen: Seen,
    before: bytes,
    after: bytes,
    said: Iterable[str] = (),
) -> FileChange:
    docs = site.docs_dir
    return FileChange(f"{docs}/{old}", f"{docs}/{new}", seen, before, after, tuple(said))


def _mentions(move: AnyMove, text: str) -> bool:
    """Whether a page that stays may name a moved one: its links and lists must hold the
    moved path's last name, or write it hidden (a `%`-escape, a backslash escape or an
    entity: such a link is listed for the author, so it must be read)."""
    hidden = "%" in text or "\\" in text or "&" in text
    return hidden or any(posixpath.basename(one.old) in text for one in move.each)


def _page_change(
    site: Site,
    page: str,
    move: AnyMove,
    keys: Collection[str],
    open_text: OpenText | None,
    by_hand: list[str],
) -> FileChange | None:
    """A page after the move, None when the move changes nothing in it."""
    new_page = move.after(page)
    moves = new_page != page
    given = open_text(page) if open_text is not None else None
    if given is None:
        try:
            before, seen = read_seen(site.docs_path / page, PAGE_BYTES)
        except LinkRefused:
            if moves:
                raise InvalidInput(
                    f"OLD: {site.docs_dir}/{page} is a symbolic link; mv moves no link"
                ) from None
            try:
                before, seen = page_bytes(site.docs_path / page, site.root), ABSENT
            except OSError:  # a link out of the site, to a device: check reports it
                return None
        except OSError as error:
            if moves:
                raise OperationFailed(
                    f"{site.docs_dir}/{page}: cannot read ({error.strerror or error})"
                ) from error
            return None  # check reports it
    else:
        before = given.encode("utf-8")
        seen = _read(site, page, PAGE_BYTES)[1]
    try:
        text = before.decode("utf-8")
    except UnicodeDecodeError:
        return _change(site, page, new_page, seen, before, before) if moves else None
    if not moves and not _mentions(move, text):
        return None
    head, body = _split(text)
    said: list[str] = []
    retargeted = retarget_links(body, page, new_page, move, site.profile)
    first_line = head.count("\n") + 1
    by_hand += [
        f"{site.docs_dir}/{page}:{u.line + first_line - 1}: {u.target}"
        for u in retargeted.unchanged
    ]
    if retargeted.changed:
        said.append(f"{_count(retargeted.changed, 'link')}")
    head, listed = _frontmatter_lists(head, move, keys, f"{site.docs_dir}/{page}")
    if listed:
        said.append(f"{_count(listed, 'listed document')}")
    after = (head + retargeted.text).encode("utf-8")
    if not moves and after == before:
        return None
    if seen is ABSENT:
        raise InvalidInput(
            f"{site.docs_dir}/{page}: a symbolic link; mv writes nothing through one"
        )
    return _change(site, page, new_page, seen, before, after, said)


def _split(text: str) -> tuple[str, str]:
    """A page's frontmatter (with its delimiters) and its body; all body without one."""
    try:
        parts = frontmatter.split(text.removeprefix("\ufeff"))
    except FrontmatterError:
        return "", text
    if parts is None:
        return "", text
    body = parts[1]
    return text[: len(text) - len(body)], body


def _frontmatter_lists(
    head: str, move: AnyMove, keys: Collection[str], shown: str
) -> tuple[str, int]:
    """The frontmatter (`---` lines included) with its document lists following the move."""
    if not head or not keys:
        return head, 0
    opening = head.find("\n") + 1
    closing = head.rstrip("\r\n").rfind("\n") + 1
    source = head[opening:closing]
    try:
        edited, count = changed_values(source, _listed(move, keys))
    except UnreadableYaml:
        return head, 0  # no list in it is read by anything (check reports the page)
    except NoTextEdit as error:
        raise OperationFailed(f"{shown}: frontmatter: {error}; nothing was moved") from None
    return head[:opening] + edited + head[closing:], count


def _listed(move: AnyMove, keys: Collection[str]) -> Callable[[Path, str], str | None]:
    """A change of the documents a `site-documents` list names."""

    def change(path: Path, value: str) -> str | None:
        if len(path) == 2 and path[0] in keys and isinstance(path[1], int):
            return move.moved(value)
        return None

    return change


def _answers_changes(site: Site, move: AnyMove, questionnaire: Questionnaire) -> list[FileChange]:
    """Each answers file the move concerns: moved with its page (its section and slug
    answers following), or its recorded lists changed."""
    recorded, _ = read_all_recorded(site, placing_only=True)  # unusable: check reports them
    taken = set(site.answers_files())
    changes = [_answers_change(site, a, move, questionnaire, taken) for a in recorded]
    return [change for change in changes if change is not None]


def _answers_change(
    site: Site,
    answers: RecordedDocument,
    move: AnyMove,
    questionnaire: Questionnaire,
    taken: set[str],
) -> FileChange | None:
    in_docs = posixpath.relpath(answers.document, site.docs_dir.strip("/"))
    new_page = move.after(in_docs)
    moves = new_page != in_docs
    section, slug = posixpath.dirname(new_page) or ".", posixpath.basename(new_page)[:-3]
    listed = _listed(move, document_keys(questionnaire))
    if moves:
        _require_valid_place(questionnaire, {"section": section, "slug": slug}, new_page)

    def change(path: Path, value: str) -> str | None:
        if moves and path == ("section",):
            return section
        if moves and path == ("slug",):
            return slug
        return listed(path, value)

    relpath = answers.answers_relpath
    try:
        before, seen = read_seen(site.root / relpath, YAML_BYTES)
        if not moves and not _mentions(move, before.decode("utf-8")):
            return None  # most answers files: read, not parsed
        edited, count = changed_values(before.decode("utf-8"), change)
    except (OSError, UnicodeDecodeError) as error:
        raise OperationFailed(f"{relpath}: cannot read ({error})") from error
    except NoTextEdit as error:
        raise OperationFailed(f"{relpath}: {error}; nothing was moved") from None
    if not moves:
        if not count:
            return None
        said = (_count(count, "listed document"),)
        return FileChange(relpath, relpath, seen, before, edited.encode("utf-8"), said)
    new_relpath = site.answers_relpath(section, slug)
    if new_relpath in taken:
        raise InvalidInput(
            f"NEW: {new_relpath} exists already (the answers of another page); move or "
            "remove it first"
        )
    said = ("section and slug",)
    return FileChange(relpath, new_relpath, seen, before, edited.encode("utf-8"), said)


def _require_valid_place(
    questionnaire: Questionnaire, place: dict[str, str], new_page: str
) -> None:
    """InvalidInput when the template's own validators refuse the section or slug a page
    with answers gets at NEW (`update` and `check` would then refuse its answers)."""
    for name, value in place.items():
        question = questionnaire.questions.get(name)
        problem = question.problem(value, place)[1] if question is not None else None
        if problem:
            raise InvalidInput(
                f"NEW: {new_page} makes its {name} {value!r}, which the template refuses: {problem}"
            )


def _config_changes(site: Site, move: AnyMove, pages: list[str]) -> list[FileChange]:
    """The engine's configuration files after the move (the site's own and each it
    `INHERIT`s: `nav` may be in any), those the move changes. New redirects go to the one
    whose `plugins` the engine uses: the first that has the setting."""
    files = read_for_edit(site.root, site.profile)
    plugins = next((file.relpath for file in files if "plugins" in file.keys), None)
    changes = []
    for file in files:
        try:
            adds = file.relpath == plugins
            edited, said = config_after(file.text, site.profile, move, pages, adds)
        except NoTextEdit as error:
            raise OperationFailed(f"{file.relpath}: {error}; nothing was moved") from None
        if edited != file.text:
            before, after = file.text.encode("utf-8"), edited.encode("utf-8")
            changes.append(
                FileChange(file.relpath, file.relpath, file.seen, before, after, tuple(said))
            )
    return changes


def _site_config_change(site: Site, move: AnyMove) -> FileChange | None:
    """`.guidewright/config.yml` after the move: its `sections` (a moved folder) and the
    `not_content` paths that name a moved page (a glob is left as written)."""
    try:
        before, seen = read_seen(site.root / CONFIG_RELPATH, YAML_BYTES)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise OperationFailed(
            f"{CONFIG_RELPATH}: cannot read ({error.strerror or error})"
        ) from error

    def change(path: Path, value: str) -> str | None:
        listed = len(path) == 2 and path[0] in ("sections", "not_content")
        return move.moved(value.strip("/")) if listed else None

    try:
        edited, count = changed_values(before.decode("utf-8"), change)
    except (NoTextEdit, UnicodeDecodeError) as error:
        raise OperationFailed(f"{CONFIG_RELPATH}: {error}; nothing was moved") from None
    if not count:
        return None
    said = (_count(count, "section or page"),)
    return FileChange(CONFIG_RELPATH, CONFIG_RELPATH, seen, before, edited.encode("utf-8"), said)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")
