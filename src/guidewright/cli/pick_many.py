"""A multi-select over known values (a site's tags) with fuzzy filtering and free entry.

questionary's checkbox neither filters fuzzily nor takes a value that is not listed, so
this is a small prompt_toolkit application of its own: type to filter (the letters in
order: `rlm` finds `rate-limiting`), Tab (or Space on an empty line) to select the
highlighted value, Enter to add exactly what was typed (normalised) unless the highlighted
value is a known one that starts with it (then Enter selects that one), Ctrl-U to clear
the line, Enter on an empty line to finish.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from prompt_toolkit.application import Application
from prompt_toolkit.formatted_text import StyleAndTextTuples
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
from prompt_toolkit.keys import Keys
from prompt_toolkit.layout import FormattedTextControl, Layout, Window
from prompt_toolkit.styles import Style

from guidewright.core.fuzzy import fuzzy

SHOWN = 8  # values listed at once
STYLE = Style.from_dict(
    {
        "qmark": "fg:#5f87ff bold",
        "label": "bold",
        "query": "",
        "hint": "fg:ansibrightblack",
        "pointer": "fg:#5f87ff bold",
        "selected": "fg:#00af87",
        "error": "fg:ansired",
    }
)


@dataclass
class _State:
    values: list[str]
    selected: list[str]
    query: str = ""
    cursor: int = 0
    error: str = ""
    matches: list[str] = field(default_factory=list)

    def refresh(self) -> None:
        self.matches = fuzzy(self.query, self.values)
        self.cursor = min(self.cursor, max(len(self.matches) - 1, 0))

    def toggle(self, value: str) -> None:
        if value in self.selected:
            self.selected.remove(value)
        else:
            self.selected.append(value)
            if value not in self.values:
                self.values.append(value)


def pick_many(
    label: str,
    values: list[str],
    default: list[str],
    check: Callable[[list[str]], str | None],
    normalise: Callable[[str], str] = str.strip,
    note: Callable[[str], str | None] = lambda value: None,
) -> Application[list[str]]:
    """The prompt; `check` says what is wrong with a selection (None: it is fine), a
    typed new value is added as `normalise` makes it (`Rate Limiting` → `rate-limiting`),
    and `note` says what to know about a new value before it is added (a likely typo)."""
    state = _State(list(dict.fromkeys([*values, *default])), list(default))
    state.refresh()
    keys = KeyBindings()

    def render() -> StyleAndTextTuples:
        chosen = ", ".join(state.selected) or "(none yet)"
        # The hint on lines of its own, what is typed from the left margin (80 columns).
        lines: StyleAndTextTuples = [
            ("class:qmark", "? "),
            ("class:label", f"{label}:\n"),
            (
                "class:hint",
                "  (type to filter; Tab selects the highlighted tag; Enter adds "
                "what you typed,\n   or the highlighted tag that starts with it; "
                "Enter on an empty line finishes)\n",
            ),
            ("class:selected", f"  selected: {chosen}\n"),
            ("class:query", state.query),
            ("[SetCursorPosition]", ""),
            ("", "\n"),
        ]
        start = max(0, state.cursor - SHOWN + 1)
        for number, value in enumerate(state.matches[start : start + SHOWN], start):
            here = number == state.cursor
            mark = "[x]" if value in state.selected else "[ ]"
            lines.append(("class:pointer" if here else "", f"  {'»' if here else ' '} {mark} "))
            lines.append(("class:selected" if value in state.selected else "", f"{value}\n"))
        if state.query:
            lines.extend(_enter_preview(state, normalise, note))
        if state.error:
            lines.append(("class:error", f"  {state.error}\n"))
        return lines

    def changed() -> None:
        state.error = ""
        state.refresh()

    @keys.add(Keys.Any)
    def _type(event: KeyPressEvent) -> None:
        if event.data.isprintable():
            state.query += event.data
            state.cursor = 0
            changed()

    @keys.add(" ")
    def _space(event: KeyPressEvent) -> None:
        if state.query:
            state.query += " "  # part of what is typed ("Rate Limiting" is normalised)
        elif state.matches:
            state.toggle(state.matches[state.cursor])
        changed()

    @keys.add(Keys.Tab)
    def _tab(event: KeyPressEvent) -> None:
        if state.matches:
            state.toggle(state.matches[state.cursor])
            state.query = ""  # ready for the next one
        changed()

    @keys.add(Keys.Backspace)
    def _back(event: KeyPressEvent) -> None:
        state.query = state.query[:-1]
        changed()

    @keys.add(Keys.Up)
    def _up(event: KeyPressEvent) -> None:
        state.cursor = max(state.cursor - 1, 0)

    @keys.add(Keys.Down)
    def _down(event: KeyPressEvent) -> None:
        state.cursor = min(state.cursor + 1, max(len(state.matches) - 1, 0))

    @keys.add(Keys.ControlU)
    def _clear(event: KeyPressEvent) -> None:
        state.query = ""
        changed()

    @keys.add(Keys.Enter)
    def _enter(event: KeyPressEvent) -> None:
        if state.query:
            state.toggle(enter_value(state, normalise))
            state.query = ""
            changed()
            return
        problem = check(state.selected)
        if problem:
            state.error = problem
            return
        event.app.exit(result=list(state.selected))

    @keys.add(Keys.ControlC)
    def _interrupt(event: KeyPressEvent) -> None:
        event.app.exit(exception=KeyboardInterrupt, style="class:aborting")

    window = Window(FormattedTextControl(render, show_cursor=True), wrap_lines=True)
    return Application(layout=Layout(window), key_bindings=keys, style=STYLE, erase_when_done=True)


def _highlighted_start(state: _State) -> str | None:
    """The highlighted value, when it starts with what was typed (Enter then selects it)."""
    if not state.matches:
        return None
    highlighted = state.matches[state.cursor]
    return highlighted if highlighted.lower().startswith(state.query.strip().lower()) else None


def enter_value(state: _State, normalise: Callable[[str], str]) -> str:
    """What Enter takes: the highlighted value that starts with the typed text, else exactly
    what was typed, normalised (`ds` adds `ds` although `ds` also finds `system-design`)."""
    return _highlighted_start(state) or normalise(state.query)


def _enter_preview(
    state: _State, normalise: Callable[[str], str], note: Callable[[str], str | None]
) -> StyleAndTextTuples:
    value = enter_value(state, normalise)
    if value == _highlighted_start(state):
        return [("class:hint", f"  Enter selects '{value}'\n")]
    lines: StyleAndTextTuples = [("class:hint", f"  Enter adds '{value}'\n")]
    if value not in state.values:
        about = note(value)
        if about:
            lines.append(("class:error", f"  {about}\n"))
    return lines
