"""Which lines Python-Markdown (MkDocs' renderer) makes list items, and under which item.

A model of Python-Markdown's block parser, reduced to what decides lists: the page is cut
into blocks at blank lines and each block goes to the first block processor that takes it,
in the order and with the rules of `markdown.blockprocessors` and of the extensions the
site `init` makes uses (admonition, pymdownx.details, pymdownx.superfences, tables,
md_in_html's raw HTML). Lines keep their number through every cut, dedent and `>` strip,
so each list item is known by the line of its marker. Everything else (inline markup,
paragraph text) is not modelled: nothing there makes or unmakes a list.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property

from guidewright.markdown.code_regions import quote_prefix
from guidewright.markdown.pymarkdown_text import (
    PLACEHOLDER,
    TAB,
    Line,
    normalised,
    without_fences,
    without_raw_html,
)

Block = list[Line]

ADMONITION = re.compile(r'!!! ?[\w\-]+(?: +[\w\-]+)*(?: +"(?:.*?)")? *$')
DETAILS = re.compile(
    r'\?{3}\+? ?(?:(?:[\w\-]+(?: +[\w\-]+)*?)?(?: +"(?:.*?)")|(?:[\w\-]+(?: +[\w\-]+)*?)) *$'
)
ORDERED = re.compile(r"[ ]{0,3}\d+\.[ ]+")
BULLET = re.compile(r"[ ]{0,3}[*+-][ ]+")
CHILD = re.compile(r"[ ]{0,3}(?:\d+\.|[*+-])[ ]+")
INDENTED_ITEM = re.compile(r"[ ]{4,7}(?:\d+\.|[*+-])[ ]+")
SETEXT = re.compile(r"(?:=+|-+)[ ]*$")
RULE = re.compile(
    r"[ ]{0,3}(?=(?P<atomicgroup>(-+[ ]{0,2}){3,}|(_+[ ]{0,2}){3,}|(\*+[ ]{0,2}){3,}))"
    r"(?P=atomicgroup)[ ]*$"
)
QUOTE = re.compile(r"[ ]{0,3}>[ ]?(.*)")
REFERENCE = re.compile(r"[ ]{0,3}\[[^\[\]]*\]:[ ]*\S+[ ]*(?:([\"']).*\1[ ]*|\(.*\)[ ]*)?$")


@dataclass(eq=False)
class Node:
    """An element of Python-Markdown's tree, as far as lists care."""

    kind: str  # root, li, list, p, code, quote, admonition, heading, rule, table
    line: int = -1  # a list item's marker line
    children: list[Node] = field(default_factory=list)
    # An admonition's content as CommonMark would read it: its lines, one indent removed.
    body: list[Line] = field(default_factory=list)

    def add(self, kind: str, line: int = -1) -> Node:
        child = Node(kind, line)
        self.children.append(child)
        return child

    @property
    def last(self) -> Node | None:
        return self.children[-1] if self.children else None


def _blocks(lines: list[Line]) -> list[Block]:
    blocks: list[Block] = []
    current: Block = []
    for line in lines:
        if line[1]:
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _detab(block: Block, length: int = TAB) -> tuple[Block, Block]:
    """(the lines indented by `length`, dedented; the rest from the first that is not)."""
    spaces = " " * length
    taken: Block = []
    for number, text in block:
        if text.startswith(spaces):
            taken.append((number, text[length:]))
        elif not text.strip():
            taken.append((number, ""))
        else:
            break
    return taken, block[len(taken) :]


def _loose_detab(block: Block, level: int = 1) -> Block:
    spaces = " " * (TAB * level)
    return [(n, t[len(spaces) :] if t.startswith(spaces) else t) for n, t in block]


class _Parser:
    """Python-Markdown's BlockParser: the processors in their priority order."""

    def __init__(self, fences: dict[int, int], page: list[Line]) -> None:
        self.state: list[str] = []
        self.fences, self.page = fences, page  # to put a fence back, as superfences does

    def chunk(self, parent: Node, lines: Block) -> None:
        self.blocks(parent, _blocks(lines))

    def blocks(self, parent: Node, blocks: list[Block]) -> None:
        while blocks:
            block = blocks[0]
            if self._admonition(parent, blocks):
                continue
            if self._indented(parent, block):
                self._list_indent(parent, blocks)
            elif block[0][1].startswith(" " * TAB):
                self._code(parent, blocks)
            elif _is_table(block):
                blocks.pop(0)
                parent.add("table")
            elif not self._split(parent, blocks):
                self._rest(parent, blocks)

    # admonition and pymdownx.details (priority 105)
    def _admonition(self, parent: Node, blocks: list[Block]) -> bool:
        block = blocks[0]
        for index, (_, text) in enumerate(block):
            if text[:3] in ("!!!", "???") and (ADMONITION.match(text) or DETAILS.match(text)):
                blocks.pop(0)
                if index:
                    self.blocks(parent, [block[:index]])
                body, rest = _detab(block[index + 1 :])
                node = parent.add("admonition")
                node.body.extend(body)
                self.chunk(node, body)
                if rest:
                    blocks.insert(0, rest)
                return True
        sibling = parent.last
        if sibling is None or sibling.kind != "admonition":
            return False
        # A later block indented under the admonition continues it (parse_content).
        target: Node | None = sibling
        first, indent = block[0][1], 0
        inner = sibling.last
        while inner is not None:
            if first.startswith(" " * TAB * 2) and inner.kind == "list" and target is not None:
                target = inner.last
                inner = target.last if target is not None else None
                first, indent = first[TAB:], indent + TAB
            else:
                inner = None
        if target is None or not first.startswith(" " * TAB):
            return False
        blocks.pop(0)
        body, rest = _detab(block, indent + TAB)
        # The blank lines before the block, as one blank line known by the last of them:
        # numbered as the block's first line, an item ending on it would take that line
        # in (and a fix would re-indent it). None where the block is the rest of one.
        blank = block[0][0] - 1
        if not sibling.body or blank > sibling.body[-1][0]:
            sibling.body.append((blank, ""))
        sibling.body.extend(_detab(block[: len(body)])[0])
        self.chunk(target, body)
        if rest:
            blocks.insert(0, rest)
        return True

    # ListIndentProcessor (90)
    def _indented(self, parent: Node, block: Block) -> bool:
        if not block[0][1].startswith(" " * TAB) or (self.state and self.state[-1] == "detabbed"):
            return False
        return parent.kind == "li" or (parent.last is not None and parent.last.kind == "list")

    def _list_indent(self, parent: Node, blocks: list[Block]) -> None:
        block = blocks.pop(0)
        level, sibling = self._level(parent, block)
        block = _loose_detab(block, level)
        self.state.append("detabbed")
        if parent.kind == "li":
            last = parent.last
            self.blocks(last if last is not None and last.kind == "list" else parent, [block])
        elif sibling.kind == "li":
            self.blocks(sibling, [block])
        elif sibling.children and sibling.children[-1].kind == "li":
            self.blocks(sibling.children[-1], [block])
        else:
            self.blocks(sibling.add("li", block[0][0]), [block])
        self.state.pop()

    def _level(self, parent: Node, block: Block) -> tuple[int, Node]:
        text = block[0][1]
        indent_level = (len(text) - len(text.lstrip(" "))) // TAB
        level = 1 if self.state and self.state[-1] == "list" else 0
        while indent_level > level:
            child = parent.last
            if child is not None and child.kind in ("list", "li"):
                if child.kind == "list":
                    level += 1
                parent = child
            else:
                break
        return level, parent

    # CodeBlockProcessor (80), superfences' version
    def _code(self, parent: Node, blocks: list[Block]) -> None:
        # Superfences puts back as text every fence of a block that starts as indented
        # code ("revert_greedy_fences"), the lines after the code included: a fence there
        # is no code block, its lines text (a `  - a` of YAML in it a list item).
        block = unfenced(blocks.pop(0), self.fences, self.page)
        if parent.last is None or parent.last.kind != "code":
            parent.add("code")
        _, rest = _detab(block)
        if rest:
            blocks.insert(0, rest)

    # HashHeader (70), SetextHeader (60), HR (50): they cut a block mid-way
    def _split(self, parent: Node, blocks: list[Block]) -> bool:
        block = blocks[0]
        for index, (_, text) in enumerate(block):
            if text.startswith("#"):
                blocks.pop(0)
                if index:
                    self.blocks(parent, [block[:index]])
                parent.add("heading")
                after = block[index + 1 :]
                if after:
                    looselist = bool(self.state) and self.state[-1] == "looselist"
                    blocks.insert(0, _loose_detab(after) if looselist else after)
                return True
        if len(block) > 1 and SETEXT.match(block[1][1]):
            blocks.pop(0)
            parent.add("heading")
            if block[2:]:
                blocks.insert(0, block[2:])
            return True
        for index, (_, text) in enumerate(block):
            if text[:4].lstrip(" ")[:1] in "-_*" and RULE.match(text):  # RULE: 0-3 spaces
                blocks.pop(0)
                if index:
                    self.blocks(parent, [block[:index]])
                parent.add("rule")
                if block[index + 1 :]:
                    blocks.insert(0, block[index + 1 :])
                return True
        return False

    # OList (40), UList (30), BlockQuote (20), Reference (15), Paragraph (10)
    def _rest(self, parent: Node, blocks: list[Block]) -> None:
        block = blocks[0]
        first = block[0][1]
        if ORDERED.match(first) or BULLET.match(first):
            self._list(parent, blocks)
            return
        for index, (_, text) in enumerate(block):
            if ">" in text[:4] and QUOTE.match(text):
                blocks.pop(0)
                if index:
                    self.blocks(parent, [block[:index]])
                quote = parent.last
                if quote is None or quote.kind != "quote":
                    quote = parent.add("quote")
                self.state.append("blockquote")
                self.chunk(quote, [(n, _unquoted(t)) for n, t in block[index:]])
                self.state.pop()
                return
        for index, (_, text) in enumerate(block):
            if "]:" in text and REFERENCE.match(text):
                blocks.pop(0)
                if block[index + 1 :]:
                    blocks.insert(0, block[index + 1 :])
                if index:
                    blocks.insert(0, block[:index])
                return
        blocks.pop(0)
        parent.add("p")

    def _list(self, parent: Node, blocks: list[Block]) -> None:
        items = _items(blocks.pop(0))
        sibling = parent.last
        if sibling is not None and sibling.kind == "list":
            lst = sibling
            first = items.pop(0)
            self.state.append("looselist")
            self.blocks(lst.add("li", first[0][0]), [first])
            self.state.pop()
        elif parent.kind == "list":
            lst = parent
        else:
            lst = parent.add("list")
        self.state.append("list")
        for item in items:
            if item[0][1].startswith(" " * TAB) and lst.children:
                self.blocks(lst.children[-1], [item])
            else:
                self.blocks(lst.add("li", item[0][0]), [item])
        self.state.pop()


def _items(block: Block) -> list[Block]:
    """OListProcessor.get_items: each item's lines, an indented item's kept indented."""
    items: list[Block] = []
    for number, text in block:
        marker = CHILD.match(text)
        if marker:
            items.append([(number, text[marker.end() :])])
        elif INDENTED_ITEM.match(text) and items:
            if items[-1][0][1].startswith(" " * TAB):
                items[-1].append((number, text))
            else:
                items.append([(number, text)])
        elif items:
            items[-1].append((number, text))
    return items


def _unquoted(text: str) -> str:
    if text.strip() == ">":
        return ""
    match = QUOTE.match(text)
    return match.group(1) if match else text


def _quotes_off(text: str, levels: int) -> str:
    """`text` without its first `levels` block quote markers, as block quotes take them."""
    for _ in range(levels):
        text = _unquoted(text)
    return text


def _is_table(block: Block) -> bool:
    """TableProcessor.test: a header row of cells and a separator row of as many."""
    if len(block) < 2 or "|" not in block[0][1]:
        return False
    header = block[0][1].strip(" ")
    cells = _cells(header)
    if len(cells) < 2 and not (header.startswith("|") or header.endswith("|")):
        return False
    separator = _cells(block[1][1].strip(" "))
    return len(separator) == len(cells) and set("".join(separator)) <= set("|:- ")


def _cells(row: str) -> list[str]:
    row = row[1:] if row.startswith("|") else row
    row = row[:-1] if row.endswith("|") and not row.endswith("\\|") else row
    return re.split(r"(?<!\\)\|", row)


@dataclass(frozen=True)
class Rendered:
    """Python-Markdown's list items: marker line -> the line of the item it is nested in
    (None: a list of its own container: the page, a block quote or an admonition)."""

    items: dict[int, int | None]
    admonitions: list[list[Line]]  # each admonition's content, for a CommonMark reading
    fences: dict[int, int]  # the first line of each fenced code block -> its last line
    lines: list[Line]  # the page's lines, tabs expanded and blank lines emptied
    prepared: list[Line]  # as the block parser got them: fenced code and raw HTML stashed

    def unfenced(self, lines: list[Line]) -> list[Line]:
        """Lines with each fence placeholder put back as the fence's lines."""
        return unfenced(lines, self.fences, self.lines)


def unfenced(lines: list[Line], fences: dict[int, int], page: list[Line]) -> list[Line]:
    """Lines with each fence placeholder put back as the fence's lines (`fences`: first
    line -> last, of `page`), dedented as the placeholder's line is."""
    out: list[Line] = []
    for number, text in lines:
        if not text.endswith(PLACEHOLDER) or number not in fences:
            out.append((number, text))
            continue
        # What the containers took off the opening line: block quote markers, then
        # indentation; each line of the fence loses the same.
        left = text[: len(text) - len(PLACEHOLDER)]
        quotes = quote_prefix(page[number][1]).count(">") - left.count(">")
        opening = _quotes_off(page[number][1], quotes)
        cut = len(opening) - len(opening.lstrip(" ")) - len(left)
        for later in range(number, fences[number] + 1):
            original = _quotes_off(page[later][1], quotes)
            out.append((later, original[cut:] if original[:cut].strip() == "" else original))
    return out


def _prepared(lines: list[str]) -> tuple[list[Line], list[Line], dict[int, int]]:
    """The page's lines normalised; as the block parser gets them (fenced code and raw
    HTML stashed); each fence's first line -> its last."""
    page, fences = normalised(lines), dict[int, int]()
    return page, without_raw_html(without_fences(page, fences)), fences


def python_markdown_lists(lines: list[str]) -> Rendered:
    """The list items Python-Markdown makes of these lines (a page's body)."""
    root = Node("root")
    page, prepared, fences = _prepared(lines)
    _Parser(fences, page).chunk(root, prepared)
    items: dict[int, int | None] = {}
    admonitions: list[list[Line]] = []
    stack: list[tuple[Node, int | None]] = [(root, None)]
    while stack:
        node, parent_item = stack.pop()
        for child in node.children:
            if child.kind == "li":
                items.setdefault(child.line, parent_item)
                stack.append((child, child.line))
            elif child.kind in ("quote", "admonition"):
                if child.kind == "admonition":
                    admonitions.append(child.body)
                stack.append((child, None))
            else:
                stack.append((child, parent_item))
    return Rendered(items, admonitions, fences, page, prepared)


def _reads_alone(prepared: list[Line], index: int) -> bool:
    """Whether the blocks from `prepared[index]` on are read alike whatever blocks come
    before them (index 0 and the end: trivially).

    So where a blank line ends the block before and the next starts at the margin with
    neither a list marker, a `>` nor a reference: `_Parser.blocks` looks back at the
    page's last element (`parent.last`) only for a block that continues it (an indented
    one: an admonition's, a list item's or code's content; a list after a list; a quote
    after a quote), a block's first line makes an element of its own unless it is a
    reference (which leaves the lines after it to continue the element before), and the
    parser's `state` is empty between the page's blocks."""
    if index in (0, len(prepared)):
        return True
    text = prepared[index][1]
    return (
        not prepared[index - 1][1]
        and text[:1] not in ("", " ")
        and not (ORDERED.match(text) or BULLET.match(text) or QUOTE.match(text))
        and not ("]:" in text and REFERENCE.match(text))
    )


# A page line's leading characters that can open a container (indentation, `>`, list
# markers): each nesting level takes at least one, and a few Python frames. A page whose
# lines nest no deeper than this is read without reaching Python's recursion limit.
DEEP = re.compile(r"^[ >\-*+.)0-9]{65}", re.MULTILINE)

Segment = tuple[int, int, int, int]  # prepared lines [first, end), page lines [first, end)


@dataclass(frozen=True)
class Admonitions:
    """A page's admonitions (`Rendered.admonitions`, `unfenced`) and the page they are
    read from, cut where its parts are read alone: what `moved_admonitions` tells
    another page's admonitions from."""

    bodies: list[list[Line]]
    lines: list[str]  # the page's lines
    prepared: list[Line]  # `Rendered.prepared`
    fences: dict[int, int]  # `Rendered.fences`

    @classmethod
    def of(cls, lines: list[str], rendered: Rendered) -> Admonitions:
        """The admonitions of the page `lines`, as the model `rendered` them."""
        bodies = [rendered.unfenced(body) for body in rendered.admonitions]
        return cls(bodies, lines, rendered.prepared, rendered.fences)

    @cached_property
    def parts(self) -> list[Segment]:
        """The page's parts that could hold an admonition (`_holding_admonitions`): cut
        only where a fix asks (`check` reads a page once)."""
        return _holding_admonitions(self.lines, self.prepared)


def _holding_admonitions(lines: list[str], prepared: list[Line]) -> list[Segment]:
    """The parts of the page (`lines`, as the parser gets them: `prepared`) that could
    hold an admonition: those holding a line with `!!!` or `???`, each cut where blocks
    are read alone (`_reads_alone`), so that what the parser makes of a part depends on
    that part only, and the page's tree is its parts' in turn. Cut around those lines
    only: most of a page is no such part."""
    marked = [n for n, text in enumerate(lines) if "!!!" in text or "???" in text]
    if not marked:
        return []
    numbers = [number for number, _ in prepared]
    parts: list[Segment] = []
    for number in marked:
        at = bisect_right(numbers, number) - 1  # its line, or its fence's placeholder
        if parts and at < parts[-1][1]:
            continue  # in the part before
        first, end = at, at + 1
        while not _reads_alone(prepared, first):
            first -= 1
        while not _reads_alone(prepared, end):
            end += 1
        parts.append(
            (first, end, numbers[first], numbers[end] if end < len(numbers) else len(lines))
        )
    return parts


def moved_admonitions(before: Admonitions, after: list[str]) -> Admonitions | None:
    """The admonitions of the page `after` known from `before`'s without reading it;
    None where they cannot be told so: read `after`.

    Both pages are cut into parts read alone (`_holding_admonitions`). Where the parts
    that could hold an admonition are the same in both, in the same order, each the same
    lines and fences moved by some lines, the rest differing only in parts that hold
    none, `after`'s tree is `before`'s with other admonition-free parts: the same
    admonitions, moved. `check --fix` asks it of each candidate fix, blank lines and
    indentation in lists (rules/list_rules.py): most pages keep their admonitions apart
    from their lists, and reading the candidate would cost most of the fix."""
    if DEEP.search("\n".join(after).expandtabs(TAB)):
        return None  # see DEEP: reading it could fail where `before`'s did not
    _, new, new_fences = _prepared(after)
    olds, news = before.parts, _holding_admonitions(after, new)
    old, old_fences = before.prepared, before.fences
    if len(olds) != len(news):
        return None
    for (first, end, line, end_line), (first2, end2, line2, end_line2) in zip(
        olds, news, strict=True
    ):
        moved = line2 - line
        if (
            end - first != end2 - first2
            or before.lines[line:end_line] != after[line2:end_line2]
            or any(
                n + moved != n2 or text != text2
                for (n, text), (n2, text2) in zip(old[first:end], new[first2:end2], strict=True)
            )
            or {n + moved: e + moved for n, e in old_fences.items() if line <= n < end_line}
            != {n: e for n, e in new_fences.items() if line2 <= n < end_line2}
        ):
            return None
    starts = [part[2] for part in olds]
    bodies = []
    for body in before.bodies:
        if not body:
            return None  # no line to place it by: read `after`
        at = bisect_right(starts, body[0][0]) - 1
        if at < 0 or not all(olds[at][2] <= n < olds[at][3] for n, _ in body):
            return None  # not so by `_reads_alone`: read `after` rather than trust it
        moved = news[at][2] - olds[at][2]
        bodies.append([(n + moved, text) for n, text in body])
    return Admonitions(bodies, after, new, new_fences)
