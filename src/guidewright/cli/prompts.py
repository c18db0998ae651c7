"""questionary prompts, one per schema field, chosen by the field's kind."""

from __future__ import annotations

import signal
from collections.abc import Callable
from dataclasses import dataclass
from types import FrameType
from typing import Any

import questionary
from prompt_toolkit.application.current import get_app_or_none
from questionary import Choice

from guidewright.schema import Field, Kind, item_problem
from guidewright.template.answering import Validator

NEW_SECTION = "(type a new section)"
STYLE = questionary.Style([("qmark", "fg:#5f87ff bold"), ("answer", "fg:#00af87 bold")])


@dataclass(frozen=True)
class SiteHints:
    sections: list[str]
    tags: list[str]
    documents: list[str]


def _as_questionary(validate: Validator) -> Callable[[Any], bool | str]:
    def check(value: Any) -> bool | str:
        found = validate(value)
        return True if found is None else found

    return check


def _label(field: Field) -> str:
    return f"{field.help}:"


class Asker:
    """The interactive `Ask` of `answers.collect_answers`.

    Ctrl-C pressed between two prompts arrives while prompt_toolkit tears down its
    event loop, where Python may swallow the KeyboardInterrupt; the asker therefore
    latches SIGINT and re-raises it after every prompt. Use it as a context manager.
    """

    def __init__(self, hints: SiteHints) -> None:
        self.hints = hints
        self._interrupted = False
        self._previous_handler: Any = None

    def __enter__(self) -> Asker:
        self._previous_handler = signal.signal(signal.SIGINT, self._on_interrupt)
        return self

    def __exit__(self, *exc_info: object) -> None:
        signal.signal(signal.SIGINT, self._previous_handler)

    def _on_interrupt(self, signum: int, frame: FrameType | None) -> None:
        self._interrupted = True
        app = get_app_or_none()
        if app is not None and app.is_running and app.future is not None and not app.future.done():
            # A prompt is up: end it the way its own Ctrl-C key binding does.
            app.exit(exception=KeyboardInterrupt, style="class:aborting")
            return
        raise KeyboardInterrupt

    def _run(self, question: questionary.Question) -> Any:
        def end_if_interrupted() -> None:
            if self._interrupted:  # Ctrl-C came while the prompt was being built
                question.application.exit(exception=KeyboardInterrupt, style="class:aborting")

        return question.application.run(pre_run=end_if_interrupted)

    def _raise_if_interrupted(self) -> None:
        if self._interrupted:
            raise KeyboardInterrupt

    def __call__(self, field: Field, default: Any, validate: Validator) -> Any:
        self._raise_if_interrupted()
        answer = self._ask(field, default, validate)
        self._raise_if_interrupted()
        return answer

    def confirm(self, question: str) -> bool:
        self._raise_if_interrupted()
        answer: bool = self._run(questionary.confirm(question, default=True, style=STYLE))
        self._raise_if_interrupted()
        return answer

    def _ask(self, field: Field, default: Any, validate: Validator) -> Any:
        kind = field.kind
        if kind is Kind.CHOICE:
            return self._run(
                questionary.select(
                    _label(field), choices=list(field.choices), default=default, style=STYLE
                )
            )
        if kind is Kind.CHOICES:
            return self._run(
                questionary.checkbox(
                    _label(field),
                    choices=[Choice(c, checked=c in (default or [])) for c in field.choices],
                    validate=_as_questionary(validate),
                    style=STYLE,
                )
            )
        if kind is Kind.SECTION:
            return self._section(field, default, validate)
        if kind is Kind.TAG_LIST:
            return self._items(field, default or [], validate, self.hints.tags)
        if kind is Kind.TEXT_LIST:
            return self._items(field, default or [], validate, None)
        if kind is Kind.DOC_LIST:
            return self._documents(field, default or [], validate)
        return self._text(_label(field), default, validate)

    def _text(self, label: str, default: Any, validate: Validator) -> str:
        answer: str = self._run(
            questionary.text(
                label,
                default="" if default is None else str(default),
                validate=_as_questionary(validate),
                style=STYLE,
            )
        )
        return answer.strip()

    def _section(self, field: Field, default: Any, validate: Validator) -> str:
        if not self.hints.sections:
            return self._text(_label(field), default, validate)
        while True:
            picked: str = self._run(
                questionary.select(
                    _label(field),
                    choices=[*self.hints.sections, NEW_SECTION],
                    default=default if default in self.hints.sections else None,
                    style=STYLE,
                )
            )
            if picked == NEW_SECTION:
                return self._text("New section folder:", None, validate)
            found = validate(picked)
            if found is None:
                return picked
            questionary.print(f"  {found}", style="fg:ansired")

    def _items(
        self, field: Field, default: list[str], validate: Validator, completions: list[str] | None
    ) -> list[str]:
        """Ask items one at a time; a blank answer ends the list once it is long enough."""
        items: list[str] = []
        singular = field.help.rstrip("s") if field.kind is not Kind.TAG_LIST else "Tag"
        while field.max_items is None or len(items) < field.max_items:
            number = len(items) + 1
            optional = number > field.min_items
            label = f"{singular} {number}" + (" (blank to finish)" if optional else "") + ":"

            def check(text: str, optional: bool = optional) -> bool | str:
                value = text.strip()
                if not value:
                    return True if optional else f"{field.key}: {field.rule}"
                if field.kind is Kind.TAG_LIST and value in items:
                    return f"{field.key}: '{value}' is already in the list"
                found = item_problem(field, value)
                return True if found is None else found

            item_default = default[len(items)] if len(items) < len(default) else ""
            remaining = [c for c in completions or [] if c not in items]
            if remaining:
                answer: str = self._run(
                    questionary.autocomplete(
                        label, choices=remaining, default=item_default, validate=check, style=STYLE
                    )
                )
            else:  # questionary's autocomplete refuses an empty list of choices
                answer = self._run(
                    questionary.text(label, default=item_default, validate=check, style=STYLE)
                )
            if not answer.strip():
                break
            items.append(answer.strip())
        found = validate(items)
        if found:  # the loop enforces counts and items, so this is a schema/prompt mismatch
            raise AssertionError(found)
        return items

    def _documents(self, field: Field, default: list[str], validate: Validator) -> list[str]:
        if not self.hints.documents:
            return default
        picked: list[str] = self._run(
            questionary.checkbox(
                _label(field) + " (space to select, enter to confirm)",
                choices=[Choice(d, checked=d in default) for d in self.hints.documents],
                validate=_as_questionary(validate),
                style=STYLE,
            )
        )
        return picked
