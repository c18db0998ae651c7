"""The list items of Python-Markdown's HTML, each known by the line it comes from.

markdown/line_tokens.py puts a token at the start of line n's text before rendering; here
the HTML says which `<li>` each token starts, and under which `<li>` its list is.
"""

from __future__ import annotations

from html.parser import HTMLParser

from guidewright.markdown.line_tokens import TOKEN, TOKEN_OPEN, UNKNOWN

# Where an item's own text ends: a token inside one of these is not the item's.
_STOPS = frozenset({"ul", "ol", "li", "blockquote", "details", "div", "table"})
_VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "wbr", "col", "area", "source"})


class _Element:
    """An open element: its tag; for an `<li>`, the line its own first token names (None:
    none yet); for a list, the `<li>` it is directly in (None: none)."""

    __slots__ = ("line", "owner", "tag")

    def __init__(self, tag: str, owner: _Element | None = None) -> None:
        self.tag, self.owner = tag, owner
        self.line: int | None = None


class ItemReader(HTMLParser):
    """Each `<li>` of the HTML known by the first token of its own text (text inside it
    but not inside a list, another item or a container of its own), and the `<li>` its
    list is directly in. `items` (marker line -> parent's line, None: none, UNKNOWN: a
    parent item that holds no token) is complete once `close()` is called."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[_Element] = []
        self.seen: set[int] = set()
        self.items: dict[int, int | None] = {}
        self._placed: list[tuple[_Element, _Element | None]] = []  # each li, its parent

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        top = self.stack[-1] if self.stack else None
        if tag in ("ul", "ol"):
            self.stack.append(_Element(tag, top if top is not None and top.tag == "li" else None))
        elif tag == "li":
            element = _Element(tag)
            in_list = top is not None and top.tag in ("ul", "ol")
            self._placed.append((element, top.owner if in_list and top is not None else None))
            self.stack.append(element)
        else:
            self.stack.append(_Element(tag))

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or not any(element.tag == tag for element in self.stack):
            return
        while self.stack and self.stack.pop().tag != tag:
            pass

    def handle_data(self, data: str) -> None:
        if TOKEN_OPEN not in data:
            return
        tokens = [int(found.group(1)) for found in TOKEN.finditer(data)]
        self.seen.update(tokens)
        for element in reversed(self.stack):
            if element.tag == "li":
                if element.line is None:
                    element.line = tokens[0]
                return
            if element.tag in _STOPS:
                return

    def close(self) -> None:
        super().close()
        for element, parent in self._placed:
            if element.line is None:
                continue
            if parent is None:
                self.items[element.line] = None
            else:
                self.items[element.line] = UNKNOWN if parent.line is None else parent.line
