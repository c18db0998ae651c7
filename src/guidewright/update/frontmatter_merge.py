"""Conflicts that Copier's merge leaves inside the frontmatter, settled key by key.

Once the frontmatter is the answer (rules/page_answers.py), both sides of such a conflict
hold the page's current values: the new render was made with them. So nothing there is in
conflict, and markers would only break the YAML. This is the one place where `update`
deliberately differs from `copier update`; the merge itself stays Copier's, and a conflict
in the body keeps its markers.

Per key: the value is the author's text where the author changed the value and it still is
the current answer, else the template's (the new render holds the current answers, after
any migration); the line's trailing comment is the template's new one unless the author
changed that comment. Keys no question owns and the author's own comment lines are kept
where the author put them. A key the recorded version wrote and the new one does not goes
when a migration renamed or removed it (its answer went where the migrations say, or the
page failed naming it); when its question stays (a `when` that stops applying, a partial
that stops writing the key) and the author changed its line, the author's line stays, as a
key of the author's own, and the report says so (`stopped_key_notes`): never dropped in
silence. "Changed" compares the page with the base (the
recorded version rendered with the recorded answers), over the whole frontmatter, so a hunk
that starts or ends inside a block list, or crosses the closing `---`, is settled the same
way. A result whose frontmatter would not parse, or would not hold every current answer and
every key of the author's, is not used: Copier's markers stay.

Line ends: the new render's lines end in LF whatever the page uses, so a line taken from
it gets the line end the author's page has at that place (CRLF, LF, or a lone CR, which
YAML reads as a line break too): the author's line at the same place in the same key, a
new line the one of the line before it. Only the text is ever taken from the template.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from guidewright.copier_compat.questions import plain_value
from guidewright.copier_compat.update_merge import (
    Merged,
    MergeInput,
    MergeResult,
    conflict_lines,
    merge_all,
)
from guidewright.core.errors import FrontmatterError
from guidewright.rules.page_answers import read_frontmatter

_KEY = re.compile(rb"([A-Za-z0-9_][A-Za-z0-9_.-]*):(?=[ \t\r\n]|\Z)")
# A YAML line with its line break: CRLF, LF or a lone CR (none at the end of the text).
_YAML_LINE = re.compile(rb"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")
_START, _SEPARATOR, _END = b"<<<<<<< ", b"=======", b">>>>>>> "


def _lines(content: bytes) -> list[bytes]:
    """Lines with their b"\\n" (a lone CR is no line break here, as for git)."""
    parts = content.split(b"\n")
    lines = [part + b"\n" for part in parts[:-1]]
    return [*lines, parts[-1]] if parts[-1] else lines


def _yaml_lines(lines: Iterable[bytes]) -> list[bytes]:
    """Git's lines split where YAML also breaks them: at a lone CR."""
    return [part for line in lines for part in _YAML_LINE.findall(line)]


def _keys_on(line: bytes) -> list[str]:
    """The keys a git line starts, in order (more than one where a lone CR breaks it)."""
    return [key.group(1).decode() for part in _yaml_lines([line]) if (key := _KEY.match(part))]


def _bare(line: bytes) -> bytes:
    return line.rstrip(b"\n").removesuffix(b"\r")


def _ending(line: bytes) -> bytes:
    return line[len(_bare(line)) :]


def _with_authors_endings(lines: Sequence[bytes], authors: Sequence[bytes]) -> list[bytes]:
    """`lines` (one entry's) each ending as the author's line at the same place in the
    author's entry; the last as the author's last, since it ends the entry."""
    last = len(lines) - 1
    return [
        _bare(line) + _ending(authors[-1 if index == last else min(index, len(authors) - 1)])
        for index, line in enumerate(lines)
    ]


def _is_delimiter(line: bytes) -> bool:
    return _bare(line).rstrip(b" \t") in (b"---", b"...")


def _split_comment(rest: bytes) -> tuple[bytes, bytes]:
    """(value text, trailing comment with the blanks before it) of a key line's rest."""
    quote = 0
    index = 0
    while index < len(rest):
        char = rest[index]
        if quote == ord('"') and char == ord("\\"):
            index += 2
            continue
        if quote:
            if char == quote:
                quote = 0
        elif char in b"\"'" and (index == 0 or rest[index - 1] in b" \t[{,"):
            quote = char
        elif char == ord("#") and (index == 0 or rest[index - 1] in b" \t"):
            start = len(rest[:index].rstrip(b" \t"))
            return rest[:start], rest[start:]
        index += 1
    return rest, b""


@dataclass
class _Entry:
    """A top-level key with its continuation lines, or one other line (comment, blank)."""

    name: str | None
    lines: list[bytes]

    @property
    def identity(self) -> tuple[str, bytes]:
        return ("key", self.name.encode()) if self.name is not None else ("line", self.text)

    @property
    def text(self) -> bytes:
        return _bare(self.lines[0])

    def parts(self) -> tuple[bytes, bytes, list[bytes]]:
        """(value text, comment, continuation lines) of a key entry."""
        rest = self.text[len(self.name or "") + 1 :]
        value, comment = _split_comment(rest)
        return value, comment, self.lines[1:]


def _entries(lines: Iterable[bytes], continued: str | None = None) -> list[_Entry]:
    """YAML lines grouped into entries; leading continuation lines belong to `continued`."""
    entries: list[_Entry] = []
    for line in _yaml_lines(lines):
        key = _KEY.match(line)
        if key is not None:
            entries.append(_Entry(key.group(1).decode(), [line]))
        elif line[:1] in (b" ", b"\t", b"-") and _bare(line).strip():
            if entries and entries[-1].name is not None:
                entries[-1].lines.append(line)
            else:  # a hunk that starts inside a value: that value's tail
                entries.append(_Entry(f"\0{continued}", [line]))
        else:
            entries.append(_Entry(None, [line]))
    return entries


@dataclass(frozen=True)
class _Sides:
    """What the author changed, from the whole frontmatter of the base and the page."""

    base: dict[str, _Entry]
    base_lines: set[bytes]
    base_data: dict[str, object]
    page: dict[str, _Entry]
    page_data: dict[str, object]
    new_data: dict[str, object]  # the new render's: the current answers, migrated
    # Keys the recorded version wrote and the new one does not, whose question stays, and
    # whose line the author changed: the author's to keep.
    stopped: frozenset[str] = frozenset()

    def value_is_authors(self, name: str) -> bool:
        """Whether the author's text is the value: the author changed it, and it still is
        the current answer (or no answer of the template at all)."""
        if name not in self.page_data:
            return False
        value = self.page_data[name]
        changed = name not in self.base_data or value != self.base_data[name]
        return changed and (name not in self.new_data or self.new_data[name] == value)

    def comment_is_authors(self, name: str) -> bool:
        if name not in self.page or name not in self.base:
            return name in self.page
        return self.page[name].parts()[1] != self.base[name].parts()[1]


def _frontmatter_lines(content: bytes) -> list[bytes]:
    """The lines (as `_lines` gives them) between the first line and the closing
    delimiter; none when it never closes. Only the frontmatter is split: a page's body is
    many times its length."""
    lines: list[bytes] = []
    start = content.find(b"\n") + 1
    while 0 < start < len(content):
        end = content.find(b"\n", start) + 1 or len(content)
        line = content[start:end]
        if _is_delimiter(line):
            return lines
        lines.append(line)
        start = end
    return []


def _keyed(entries: Iterable[_Entry]) -> dict[str, _Entry]:
    return {e.name: e for e in entries if e.name is not None and not e.name.startswith("\0")}


def _settle_entry(entry: _Entry, theirs: _Entry, sides: _Sides) -> _Entry:
    """A key both sides hold: value and comment each from the side that changed them,
    every line ending as the author's (a block list's items too)."""
    assert entry.name is not None
    name = entry.name.removeprefix("\0")
    value_side = entry if sides.value_is_authors(name) else theirs
    comment_side = entry if sides.comment_is_authors(name) else theirs
    if entry.name.startswith("\0"):  # a value's tail: all of it from one side
        lines = value_side.lines
    else:
        value, _, continuation = value_side.parts()
        comment = comment_side.parts()[1]
        lines = [entry.name.encode() + b":" + value + comment, *continuation]
    return _Entry(entry.name, _with_authors_endings(lines, entry.lines))


def _settle_frontmatter(
    ours: Sequence[bytes],
    theirs: Sequence[bytes],
    continued: str | None,
    sides: _Sides,
    elsewhere: set[str],
    before: bytes,
) -> list[bytes]:
    """One conflict's frontmatter lines, settled: the template's layout, with the author's
    keys and comment lines placed after what preceded them on the author's side. `before`
    is the line before the conflict, whose line end a first new line takes."""
    our_entries, their_entries = _entries(ours, continued), _entries(theirs, continued)
    # A line both sides repeat (a blank line) pairs in order, the author's last again for
    # any more of the template's: each keeps its own bytes, line end included.
    repeats: dict[tuple[str, bytes], list[_Entry]] = {}
    for entry in our_entries:
        repeats.setdefault(entry.identity, []).append(entry)
    # (the author's entry it settles, or None for the template's alone; the entry)
    result: list[tuple[_Entry | None, _Entry]] = []
    for entry in their_entries:
        same = repeats.get(entry.identity)
        if same:
            mine = same.pop(0) if len(same) > 1 else same[0]
            result.append((mine, _settle_entry(mine, entry, sides) if entry.name else mine))
        elif entry.name is None:
            if entry.text not in sides.base_lines:  # the template's new line
                result.append((None, entry))
        elif entry.name.startswith("\0"):  # a tail the author's side does not continue
            if not sides.value_is_authors(entry.name[1:]):
                result.append((None, entry))
        elif entry.name not in sides.page_data or entry.name in elsewhere:
            if entry.name not in sides.base and entry.name not in elsewhere:
                result.append((None, entry))  # a key the template added
        else:
            result.append((None, entry))
    their_identities = {e.identity for e in their_entries}
    position = -1
    for entry in our_entries:
        placed = [i for i, (mine, _) in enumerate(result) if mine is entry]
        if placed:
            position = placed[0]
            continue
        if entry.identity in their_identities:
            continue
        if entry.name is None:
            keep = entry.text not in sides.base_lines  # the author's own line
        elif entry.name.startswith("\0"):  # a value's tail the template's side lacks
            keep = sides.value_is_authors(entry.name[1:])
        else:
            # A key of the author's own stays, and one the new version stopped writing that
            # the author changed; another the recorded version wrote and the new one does
            # not was renamed or removed by the template, and its answer went where the
            # migrations say (or the page failed, naming it).
            keep = entry.name not in elsewhere and (
                entry.name not in sides.base or entry.name in sides.stopped
            )
        if keep:
            position += 1
            result.insert(position, (entry, entry))
    return _ended(result, before, ours)


def _ended(
    result: Sequence[tuple[_Entry | None, _Entry]], before: bytes, ours: Sequence[bytes]
) -> list[bytes]:
    """The settled entries' lines; the template's alone end as the line before them."""
    lines: list[bytes] = []
    ending = _ending(before)
    for mine, entry in result:
        lines += entry.lines if mine else [_bare(line) + ending for line in entry.lines]
        ending = _ending(lines[-1])
    if lines and not lines[-1].endswith(b"\n"):
        # A lone CR last: the line after the conflict (the closing `---`, a key) would not
        # start a line for the frontmatter's reader; end it as the author's side ends.
        lines[-1] = _bare(lines[-1]) + _ending(ours[-1] if ours else before)
    return lines


def _block(lines: Sequence[bytes], start: int) -> tuple[int, int] | None:
    """(separator, end) of the conflict opened at `start`, or None if it never closes."""
    separator = None
    for index in range(start + 1, len(lines)):
        bare = _bare(lines[index])
        if separator is None and bare == _SEPARATOR:
            separator = index
        elif separator is not None and bare.startswith(_END):
            return separator, index
    return None


def _closing(lines: Sequence[bytes]) -> int | None:
    return next((i for i, line in enumerate(lines) if _is_delimiter(line)), None)


def _keys_outside(lines: Sequence[bytes]) -> set[str]:
    """The keys on frontmatter lines outside any conflict."""
    keys: set[str] = set()
    index = 1
    while index < len(lines) and not _is_delimiter(lines[index]):
        if _bare(lines[index]).startswith(_START):
            found = _block(lines, index)
            if found is None:
                break
            index = found[1] + 1
            continue
        keys.update(_keys_on(lines[index]))
        index += 1
    return keys


def _plain_data(content: bytes) -> dict[str, object] | None:
    """The frontmatter's data, dates as their ISO text; None when it does not parse."""
    try:
        parsed = read_frontmatter(content)
    except FrontmatterError:
        return None
    return None if parsed is None else {k: plain_value(v) for k, v in parsed.data.items()}


def _sides(old: bytes, current: bytes, new: bytes, questions: Collection[str]) -> _Sides | None:
    base_data, page_data, new_data = _plain_data(old), _plain_data(current), _plain_data(new)
    if base_data is None or page_data is None or new_data is None:
        return None
    base_entries = _entries(_frontmatter_lines(old))
    base, page = _keyed(base_entries), _keyed(_entries(_frontmatter_lines(current)))
    changed = _changed_question_keys(base, page, questions)
    stopped = frozenset(name for name in changed if name not in new_data)
    return _Sides(
        base,
        {e.text for e in base_entries if e.name is None},
        base_data,
        page,
        page_data,
        new_data,
        stopped,
    )


def _changed_question_keys(
    base: Mapping[str, _Entry], page: Mapping[str, _Entry], questions: Collection[str]
) -> list[str]:
    """The keys of `questions` that both the base and the page write, on lines the author
    changed: those that may be the author's to keep when the new version stops writing
    them (`_Sides.stopped`)."""
    return [
        name
        for name, entry in page.items()
        if name in base
        and name in questions
        and [_bare(line) for line in entry.lines] != [_bare(line) for line in base[name].lines]
    ]


def stopped_key_notes(item: MergeInput, result: bytes, questions: Collection[str]) -> list[str]:
    """What the report says of each key the new version stopped writing whose line the
    author changed (its question stays, in `questions`): kept as the author's own, or in
    the conflict Copier makes of it."""
    # Asked of every page an update writes, and most authors leave the frontmatter's lines
    # as the template wrote them: told from the lines alone, before three YAML reads.
    base_lines, page_lines = _frontmatter_lines(item.old), _frontmatter_lines(item.current)
    if base_lines == page_lines:
        return []
    base, page = _keyed(_entries(base_lines)), _keyed(_entries(page_lines))
    if not _changed_question_keys(base, page, questions):
        return []
    sides = _sides(item.old, item.current, item.new, questions)
    if sides is None or not sides.stopped:
        return []
    kept = _plain_data(result) or {}
    return [
        f"kept {name} as you wrote it: the new version no longer writes it"
        if name in kept and kept[name] == sides.page_data[name]
        else f"{name}: the new version no longer writes it; your line is in the conflict"
        for name in sorted(sides.stopped)
    ]


def settle_frontmatter_conflicts(
    merged: bytes, old: bytes, current: bytes, new: bytes, questions: Collection[str] = ()
) -> bytes:
    """`merged` (Copier's merge of `old` -> `current` onto `new`) with every conflict inside
    the frontmatter settled; unchanged when there is none, when the page's own frontmatter
    does not parse (its answers were not read from it), or when settling would not give a
    frontmatter holding every current answer and every key of the author's. `questions`:
    the new version's, whose keys the author changed are kept when it stops writing them."""
    lines = _lines(merged)
    sides = _sides(old, current, new, questions) if lines else None
    if sides is None:
        return merged
    elsewhere = _keys_outside(lines)
    out: list[bytes] = []
    index, continued = 0, None
    if not _bare(lines[0]).startswith(_START):
        if not _is_delimiter(lines[0]):
            return merged
        out.append(lines[0])
        index = 1
    while index < len(lines):
        line = lines[index]
        if not _bare(line).startswith(_START):
            out.append(line)
            index += 1
            if _is_delimiter(line):
                break
            continued = next(reversed(_keys_on(line)), continued)
            continue
        found = _block(lines, index)
        if found is None:
            return merged
        start, (separator, end) = index, found
        ours, theirs = list(lines[index + 1 : separator]), list(lines[separator + 1 : end])
        if index == 0:  # the opening delimiter is inside the conflict
            if not (ours and theirs and _is_delimiter(ours[0]) and _is_delimiter(theirs[0])):
                return merged
            out.append(ours.pop(0))
            theirs.pop(0)
        our_close, their_close = _closing(ours), _closing(theirs)
        if (our_close is None) != (their_close is None):
            return merged
        our_head = ours if our_close is None else ours[:our_close]
        their_head = theirs if their_close is None else theirs[:their_close]
        out += _settle_frontmatter(our_head, their_head, continued, sides, elsewhere, out[-1])
        index = end + 1
        if our_close is None or their_close is None:
            continue
        out.append(ours[our_close])
        our_body, their_body = ours[our_close + 1 :], theirs[their_close + 1 :]
        if our_body == their_body:
            out += our_body
        else:  # the body's part of the conflict keeps its markers
            out += [lines[start], *our_body]
            out += [lines[separator], *their_body, lines[end]]
        break
    settled = b"".join(out + list(lines[index:]))
    return settled if _holds_every_value(settled, sides) else merged


def _holds_every_value(settled: bytes, sides: _Sides) -> bool:
    """Whether the settled frontmatter parses, each key holding its current answer (or the
    author's value, for a key the template does not write), and every key of the author's
    own is there."""
    data = _plain_data(settled)
    if data is None:
        return False
    for name, value in data.items():
        if value != sides.new_data.get(name, sides.page_data.get(name, value)):
            return False
    return all(
        name in data
        for name in sides.page_data
        if name not in sides.new_data and (name not in sides.base_data or name in sides.stopped)
    )


def merge_all_settled(
    items: Sequence[MergeInput], scratch: Path, questions: Mapping[str, Collection[str]]
) -> dict[str, Merged]:
    """Copier's merge of every item (copier_compat/update_merge.py), then the one
    deliberate difference from Copier: no conflict markers inside the YAML. `questions`:
    each item's new version's questions, by path."""
    by_path = {item.path: item for item in items}
    return {
        path: _frontmatter_settled(by_path[path], merged, questions.get(path, ()))
        for path, merged in merge_all(items, scratch).items()
    }


def _frontmatter_settled(item: MergeInput, merged: Merged, questions: Collection[str]) -> Merged:
    if not isinstance(merged, MergeResult) or not merged.conflict_lines:
        return merged
    content = settle_frontmatter_conflicts(
        merged.content, item.old, item.current, item.new, questions
    )
    return MergeResult(content, conflict_lines(content))
