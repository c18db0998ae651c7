"""A Ctrl-C in the instant a prompt starts or ends is not lost (cli/prompts.py's Asker).

In a terminal, Ctrl-C is a key while a prompt reads keys (the terminal is raw) and a
SIGINT otherwise: between prompts, and in the instants a prompt sets the terminal raw or
gives it back. The pseudo-terminal tests (test_interactive.py) send Ctrl-C at moments
chosen by what the screen shows, so they reach those instants only by chance: one such
Ctrl-C was dropped and the wizard waited at its next prompt. Here the SIGINT is raised
in each instant itself, in this process, with prompt_toolkit reading a pipe: an Enter is
waiting in it, so a dropped Ctrl-C shows as an answer rather than as a hang. (While the
terminal is raw, Ctrl-C is a key, which the prompt's own binding ends it with.)
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import questionary
from prompt_toolkit.application import Application, create_app_session
from prompt_toolkit.input import PipeInput, create_pipe_input
from prompt_toolkit.output import DummyOutput
from support import stop_handlers_kept

from guidewright.cli.prompts import Asker, SiteHints

CHOICES = [("Create the page", "create"), ("Cancel", "cancel")]


@pytest.fixture
def keys() -> Iterator[PipeInput]:
    """What the prompts read: a pipe, with an Enter in it."""
    with (
        stop_handlers_kept(),
        create_pipe_input() as pipe,
        create_app_session(input=pipe, output=DummyOutput()),
    ):
        pipe.send_text("\r")
        yield pipe


def _ctrl_c() -> None:
    os.kill(os.getpid(), signal.SIGINT)


def _select_with(monkeypatch: pytest.MonkeyPatch, hook: Callable[[Application[Any]], None]) -> None:
    """questionary.select, as the asker calls it, with `hook` given each prompt it makes."""
    select = questionary.select

    def made(*args: Any, **kwargs: Any) -> questionary.Question:
        question = select(*args, **kwargs)
        hook(question.application)
        return question

    monkeypatch.setattr(questionary, "select", made)


def test_a_ctrl_c_as_the_prompt_starts_stops_the_asker(
    keys: PipeInput, monkeypatch: pytest.MonkeyPatch
) -> None:
    # pre_run: the prompt's event loop is up, the terminal is not raw yet.
    _select_with(monkeypatch, lambda application: application.pre_run_callables.append(_ctrl_c))
    with Asker(SiteHints.none()) as asker, pytest.raises(KeyboardInterrupt):
        asker.choose("Next", CHOICES)


def test_a_ctrl_c_as_the_prompt_ends_stops_the_asker(
    keys: PipeInput, monkeypatch: pytest.MonkeyPatch
) -> None:
    def as_it_ends(application: Application[Any]) -> None:
        raw_mode = application.input.raw_mode

        @contextlib.contextmanager
        def then_a_ctrl_c() -> Iterator[None]:
            with raw_mode():
                yield
            # The Enter has been read, the answer is set and the terminal given back: the
            # prompt has not returned yet.
            _ctrl_c()

        monkeypatch.setattr(application.input, "raw_mode", then_a_ctrl_c)

    _select_with(monkeypatch, as_it_ends)
    with Asker(SiteHints.none()) as asker, pytest.raises(KeyboardInterrupt):
        asker.choose("Next", CHOICES)


def test_without_a_ctrl_c_the_answer_is_read(
    keys: PipeInput, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The two tests above, without the Ctrl-C: the Enter picks the first choice."""
    _select_with(monkeypatch, lambda application: None)
    with Asker(SiteHints.none()) as asker:
        assert asker.choose("Next", CHOICES) == "create"


def test_a_ctrl_c_between_prompts_stops_the_asker_at_once(keys: PipeInput) -> None:
    with Asker(SiteHints.none()), pytest.raises(KeyboardInterrupt):
        _ctrl_c()
