"""questionary prompts, one per question, chosen from what the question model says."""

from __future__ import annotations

import contextlib
import json
import signal
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import FrameType
from typing import Any

import questionary
import yaml
from prompt_toolkit import PromptSession
from prompt_toolkit.application import Application
from prompt_toolkit.completion import FuzzyWordCompleter
from prompt_toolkit.document import Document
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
from prompt_toolkit.keys import Keys
from prompt_toolkit.lexers import SimpleLexer
from questionary import Choice
from questionary.prompts.common import build_validator
from questionary.styles import merge_styles_default

from guidewright.cli.pick_many import pick_many
from guidewright.copier_compat.questions import MISSING
from guidewright.site.pages import content_index
from guidewright.site.site import Site
from guidewright.template.answering import Prompt, section_at
from guidewright.template.normalise import likely_meant, new_value_note

NEW_SECTION = "(type a new section)"
STYLE = questionary.Style([("qmark", "fg:#5f87ff bold"), ("answer", "fg:#00af87 bold")])


class SiteHints:
    """What the site offers the prompts: its sections, tags and content documents.

    Tags and documents mean reading every document: that starts in the background, so
    that the first question appears at once on a site of thousands of documents."""

    def __init__(self, site: Site | None, tags_key: str | None, type_key: str) -> None:
        self.sections = site.sections() if site else []
        self.here = section_at(site, Path.cwd()) if site else None
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="guidewright-hints")
        self._index = self._pool.submit(_index_of, site, tags_key, type_key)

    @classmethod
    def none(cls) -> SiteHints:
        """No suggestions at all."""
        return cls(None, None, "")

    @property
    def tags(self) -> list[str]:
        """The tags the site's documents and configuration use."""
        return self._index.result()[0]

    @property
    def documents(self) -> list[tuple[str, str]]:
        """(path relative to the docs folder, title) of each content document."""
        return self._index.result()[1]

    def close(self) -> None:
        """Stop reading (an interrupted wizard need not wait for it)."""
        self._pool.shutdown(wait=False, cancel_futures=True)


def _index_of(
    site: Site | None, tags_key: str | None, type_key: str
) -> tuple[list[str], list[tuple[str, str]]]:
    return content_index(site, tags_key, type_key) if site else ([], [])


def _end_interrupted(application: Application[Any]) -> None:
    """End a running prompt as its own Ctrl-C key binding does (unless it has ended)."""
    if application.future is not None and not application.future.done():
        application.exit(exception=KeyboardInterrupt, style="class:aborting")


def _as_questionary(prompt: Prompt) -> Callable[[Any], bool | str]:
    def check(value: Any) -> bool | str:
        raw = _from_text(value, prompt.type_name) if isinstance(value, str) else value
        _, found = prompt.check(raw)
        return True if found is None else found

    return check


class Asker:
    """The interactive `Ask` of `answers.collect_answers`.

    Ctrl-C is latched: the asker's own SIGINT handler records it before anything else, and
    the asker raises KeyboardInterrupt before and after every prompt, so that a Ctrl-C is
    never lost, whenever it comes. Between prompts the handler raises it at once. While a
    prompt runs, the handler ends the prompt from its event loop, as the prompt's own Ctrl-C
    key binding does. prompt_toolkit's own SIGINT handling is off: it turns the signal into
    a `<sigint>` key that most prompts ignore, so a Ctrl-C in the instant the terminal is
    not yet (or no longer) raw, as a prompt starts or ends, was dropped and the wizard went
    on. Use the asker as a context manager.
    """

    def __init__(self, hints: SiteHints) -> None:
        self.hints = hints
        self._interrupted = False
        self._previous_handler: Any = None
        self._running: Application[Any] | None = None  # the prompt `_run` has started

    def __enter__(self) -> Asker:
        self._previous_handler = signal.signal(signal.SIGINT, self._on_interrupt)
        return self

    def __exit__(self, *exc_info: object) -> None:
        signal.signal(signal.SIGINT, self._previous_handler)

    def _on_interrupt(self, signum: int, frame: FrameType | None) -> None:
        self._interrupted = True
        application = self._running
        if application is None:
            raise KeyboardInterrupt  # between prompts
        # A prompt is starting, running or ending: raising here could land anywhere in its
        # event loop. Its loop ends it instead, and the latch raises once it has returned
        # (or before it reads a key, in `_run`'s pre_run, if its loop is not up yet).
        loop = application.loop
        if loop is None:
            return
        with contextlib.suppress(RuntimeError):  # the loop is closed: the latch is enough
            loop.call_soon_threadsafe(_end_interrupted, application)

    def _run(self, question: questionary.Question | Application[Any]) -> Any:
        application = question if isinstance(question, Application) else question.application

        def end_if_interrupted() -> None:
            if self._interrupted:  # Ctrl-C came while the prompt was being built
                _end_interrupted(application)

        self._running = application
        try:
            return application.run(pre_run=end_if_interrupted, handle_sigint=False)
        finally:
            self._running = None

    def _raise_if_interrupted(self) -> None:
        if self._interrupted:
            raise KeyboardInterrupt

    def __call__(self, prompt: Prompt) -> Any:
        self._raise_if_interrupted()
        answer = self._ask(prompt)
        self._raise_if_interrupted()
        return answer

    def choose(self, label: str, choices: list[tuple[str, str]]) -> str:
        """Pick one of (shown, value) choices; the first is the default."""
        self._raise_if_interrupted()
        picked: str = self._run(
            questionary.select(
                label, choices=[Choice(shown, value) for shown, value in choices], style=STYLE
            )
        )
        self._raise_if_interrupted()
        return picked

    def confirm(self, question: str) -> bool:
        """Ask a yes/no question (default yes)."""
        self._raise_if_interrupted()
        answer: bool = self._run(questionary.confirm(question, default=True, style=STYLE))
        self._raise_if_interrupted()
        return answer

    def _ask(self, prompt: Prompt) -> Any:
        label = f"{prompt.label}:"
        if prompt.why:
            questionary.print(f"  {prompt.why}", style="fg:ansiyellow")
        validate = _as_questionary(prompt)
        default = None if prompt.default is MISSING else prompt.default
        if prompt.choices and prompt.question.multiselect:
            checkbox = questionary.checkbox(
                label,
                choices=[
                    Choice(
                        c.label,
                        c.value,
                        checked=c.value in (default or []),
                        disabled=c.disabled or None,
                    )
                    for c in prompt.choices
                ],
                validate=validate,
                style=STYLE,
            )
            # questionary's own echo is "done (2 selections)": the author sees the values.
            checkbox.application.erase_when_done = True
            values: list[Any] = self._run(checkbox)
            shown = ", ".join(str(v) for v in values) or "(none)"
            questionary.print(f"? {prompt.label}: {shown}", style="bold")
            return values
        if prompt.choices:
            choices = [
                Choice(c.label, c.value, disabled=c.disabled or None) for c in prompt.choices
            ]
            picked = next((c for c in choices if c.value == default), None)
            return self._run(
                questionary.select(label, choices=choices, default=picked, style=STYLE)
            )
        if prompt.type_name == "bool":
            return self._run(questionary.confirm(label, default=bool(default), style=STYLE))
        if prompt.source == "site-sections" and self.hints.sections:
            return self._section(prompt, label, default)
        if prompt.source == "site-documents":
            return self._documents(prompt, label, default or [])
        if prompt.is_list and prompt.source == "site-tags":
            return self._tags(prompt, default or [])
        if prompt.is_list:
            return self._lines(prompt, label, default or [])
        return self._text(prompt, label, default)

    def _text(self, prompt: Prompt, label: str, default: Any) -> Any:
        if prompt.question.secret:
            question = questionary.password(label, validate=_as_questionary(prompt), style=STYLE)
            return self._run(question)
        shown = "" if default is None else _as_text(default, prompt.type_name)
        answer: str = self._run(
            questionary.text(label, default=shown, validate=_as_questionary(prompt), style=STYLE)
        )
        return _from_text(answer, prompt.type_name)

    def _section(self, prompt: Prompt, label: str, default: Any) -> Any:
        """The site's content sections, highlighting the given one, else the one the author
        runs guidewright in, else the first."""
        sections = self.hints.sections
        highlighted = default if default in sections else self.hints.here
        while True:
            picked: str = self._run(
                questionary.select(
                    label, choices=[*sections, NEW_SECTION], default=highlighted, style=STYLE
                )
            )
            if picked == NEW_SECTION:
                return self._text(prompt, "New section folder:", None)
            _, found = prompt.check(picked)
            if found is None:
                return picked
            questionary.print(f"  {found}", style="fg:ansired")

    def _lines(self, prompt: Prompt, label: str, default: list[Any]) -> list[str]:
        """A list as one answer, one item per line."""
        return self._completed_lines(prompt, label, default, {}, {})

    def _tags(self, prompt: Prompt, default: list[Any]) -> list[str]:
        """The site's tags to pick from, fuzzy-filtered, and new ones typed in."""

        def problem(items: list[str]) -> str | None:
            return prompt.check(items)[1]

        def normalised(text: str) -> str:
            value = prompt.check([text.strip()])[0]
            return str(value[0]) if isinstance(value, list) and value else text.strip()

        known = self.hints.tags

        def typo(value: str) -> str | None:
            return new_value_note(value, known) if likely_meant(value, known) else None

        picked: list[str] = self._run(
            pick_many(prompt.label, known, [str(d) for d in default], problem, normalised, typo)
        )
        questionary.print(f"? {prompt.label}: {', '.join(picked)}", style="bold")
        return picked

    def _documents(self, prompt: Prompt, label: str, default: list[str]) -> list[str]:
        """Documents by title, completed as one types (fuzzy), each with its path in grey;
        a line may also be a path."""
        by_title: dict[str, str] = {}
        for path, title in self.hints.documents:
            by_title[title if title not in by_title else f"{title} ({path})"] = path
        titles = {path: title for title, path in by_title.items()}
        shown = [titles.get(path, path) for path in default]
        return self._completed_lines(prompt, label, shown, by_title, by_title)

    def _completed_lines(
        self,
        prompt: Prompt,
        label: str,
        default: list[Any],
        values: dict[str, str],
        meta: dict[str, str],
    ) -> list[str]:
        """One item per line; `values` maps what completes (a title) to the item (a path)."""
        completer = FuzzyWordCompleter(list(values), meta_dict=meta) if values else None

        def items_of(text: str) -> list[str]:
            return [values.get(item, item) for item in _items(text)]

        def check(text: str) -> bool | str:
            _, found = prompt.check(items_of(text))
            return True if found is None else found

        completed = ", completed as you type" if completer else ""
        hint = f"(one per line{completed}; Enter on an empty line finishes)"
        session: PromptSession[str] = PromptSession(
            # The hint on a line of its own and the input from the left margin: at 80
            # columns an objective of 60 characters stays on one line.
            [
                ("class:qmark", "?"),
                ("class:question", f" {label}\n"),
                ("class:instruction", f"  {hint}\n"),
            ],
            multiline=True,
            validator=build_validator(check),
            validate_while_typing=False,  # half a line is no mistake yet
            completer=completer,
            style=merge_styles_default([STYLE]),
            lexer=SimpleLexer("class:answer"),
            key_bindings=_FINISH_ON_EMPTY_LINE,
        )
        # A list being changed ends at its last item, the cursor there: Enter starts the
        # next item, and only Enter on an empty line finishes.
        session.default_buffer.reset(Document("\n".join(str(item) for item in default)))
        answer: str = self._run(session.app)
        items = items_of(answer)
        value, _ = prompt.check(items)
        if value != items or meta:
            # Normalised, or titles standing for paths: the author sees what is written.
            shown = ", ".join(map(str, value)) or "(none)"
            questionary.print(f"  → {shown}", style="fg:ansigreen")
        return items


def _finishing_keys() -> KeyBindings:
    """Enter on an empty line finishes a list, as in the tag picker (Esc Enter does too);
    anywhere else it starts the next item."""
    keys = KeyBindings()

    @keys.add(Keys.Enter)
    def _enter(event: KeyPressEvent) -> None:
        buffer = event.current_buffer
        if buffer.complete_state is not None and buffer.complete_state.current_completion:
            buffer.apply_completion(buffer.complete_state.current_completion)
            return
        if not buffer.document.current_line.strip() and buffer.document.is_cursor_at_the_end:
            buffer.validate_and_handle()
        else:
            buffer.newline(copy_margin=False)

    return keys


_FINISH_ON_EMPTY_LINE = _finishing_keys()


def _items(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _as_text(value: Any, type_name: str) -> str:
    if type_name == "json":
        return json.dumps(value, ensure_ascii=False)
    if type_name == "yaml" and not isinstance(value, str):
        return yaml.safe_dump(value, default_flow_style=True, allow_unicode=True).strip()
    return str(value)


def _from_text(text: str, type_name: str) -> Any:
    # The question casts text (int, float, yaml ...); surrounding blanks are never meant.
    return text.strip() if type_name in {"str", "path"} else text
