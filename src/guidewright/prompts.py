"""questionary prompts, one per schema field, chosen by the field's kind."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import questionary
from questionary import Choice

from .answers import Validator
from .schema import Field, Kind, item_problem

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
    """The interactive `Ask` of `answers.collect_answers`."""

    def __init__(self, hints: SiteHints) -> None:
        self.hints = hints

    def __call__(self, field: Field, default: Any, validate: Validator) -> Any:
        kind = field.kind
        if kind is Kind.CHOICE:
            return questionary.select(
                _label(field), choices=list(field.choices), default=default, style=STYLE
            ).unsafe_ask()
        if kind is Kind.CHOICES:
            return questionary.checkbox(
                _label(field),
                choices=[Choice(c, checked=c in (default or [])) for c in field.choices],
                validate=_as_questionary(validate),
                style=STYLE,
            ).unsafe_ask()
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
        answer: str = questionary.text(
            label,
            default="" if default is None else str(default),
            validate=_as_questionary(validate),
            style=STYLE,
        ).unsafe_ask()
        return answer.strip()

    def _section(self, field: Field, default: Any, validate: Validator) -> str:
        if not self.hints.sections:
            return self._text(_label(field), default, validate)
        while True:
            picked: str = questionary.select(
                _label(field),
                choices=[*self.hints.sections, NEW_SECTION],
                default=default if default in self.hints.sections else None,
                style=STYLE,
            ).unsafe_ask()
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
            if completions is not None:
                answer: str = questionary.autocomplete(
                    label,
                    choices=[c for c in completions if c not in items],
                    default=item_default,
                    validate=check,
                    style=STYLE,
                ).unsafe_ask()
            else:
                answer = questionary.text(
                    label, default=item_default, validate=check, style=STYLE
                ).unsafe_ask()
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
        picked: list[str] = questionary.checkbox(
            _label(field) + " (space to select, enter to confirm)",
            choices=[Choice(d, checked=d in default) for d in self.hints.documents],
            validate=_as_questionary(validate),
            style=STYLE,
        ).unsafe_ask()
        return picked


def confirm(question: str) -> bool:
    answer: bool = questionary.confirm(question, default=True, style=STYLE).unsafe_ask()
    return answer
