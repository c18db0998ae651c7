"""Every failure guidewright raises on purpose, in one hierarchy (as Copier's `errors.py`).

The command line prints a `GuidewrightError`'s message on one line and exits with its
class's exit code: 2 for bad input (`InvalidInput`), 1 for a well-formed request that
could not be carried out (`OperationFailed`). Anything else is a bug and keeps its
traceback, which is why none of these derives from `ValueError` or `OSError`: a broad
`except ValueError` elsewhere must not turn a bug into a failed row, nor one of these
into a silent skip.

The two `...Interrupted` classes are Ctrl-C (or SIGTERM) carrying what was already done;
they stay `KeyboardInterrupt`s so that every layer lets them through.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = [
    "AdoptInterrupted",
    "AnswerError",
    "CommandRefused",
    "FrontmatterError",
    "GitFailed",
    "GuidewrightError",
    "InvalidInput",
    "MigrationConflict",
    "OperationFailed",
    "TemplateConfigError",
    "TemplateRefused",
    "UnanswerableDocument",
    "UnsafeYaml",
    "UnusableAnswers",
    "UpdateInterrupted",
    "place",
]


class GuidewrightError(Exception):
    """A failure written for the author (exit 1 unless a subclass says otherwise)."""

    exit_code = 1

    @property
    def message(self) -> str:
        """The one-line message the command line prints."""
        return str(self)


# Bad input: what the author, the template or the site's files hold is not allowed (exit 2).


class InvalidInput(GuidewrightError):
    """The author asked for something that is not allowed (exit 2)."""

    exit_code = 2


class TemplateConfigError(InvalidInput):
    """The template's copier.yml cannot be used (the template is the input)."""


class TemplateRefused(InvalidInput):
    """The template holds something a template may not: it is data, not a file system."""


class CommandRefused(InvalidInput):
    """Not one document's failure but the command's (an unknown --vcs-ref): stop."""


class AnswerError(InvalidInput):
    """An answer a question refuses; the message is for the author."""


class UnsafeYaml(InvalidInput):
    """The YAML is well-formed but refused: too large, too many aliases, a key twice."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line  # 1-based, in the text given


class FrontmatterError(InvalidInput):
    """Frontmatter that cannot be read, with the line (and, when the YAML parser says
    it, the 1-based column; 0 when unknown) to look at."""

    def __init__(self, line: int, message: str, column: int = 0) -> None:
        super().__init__(message)
        self.line = line
        self.column = column

    @property
    def place(self) -> str:
        """Where, for a one-line error: `line 4, column 7`."""
        return place(self.line, self.column)


class UnusableAnswers(InvalidInput):
    """The answers file cannot be used; the message says why, naming the file."""


def place(line: int, column: int = 0) -> str:
    """`line 4, column 7`, or `line 4` when the column is unknown (0): a place in a file,
    as one-line errors name it."""
    return f"line {line}, column {column}" if column else f"line {line}"


# Failed operations: a well-formed request that could not be carried out (exit 1).


class OperationFailed(GuidewrightError):
    """A well-formed request that could not be carried out (exit 1)."""

    exit_code = 1


class GitFailed(OperationFailed):
    """git exited with a status the caller did not allow."""

    def __init__(self, args: Sequence[str], returncode: int, stderr: bytes) -> None:
        self.returncode = returncode
        self.stderr = stderr.decode("utf-8", "replace")
        lines = self.stderr.strip().splitlines()
        reason = lines[-1] if lines else f"exit status {returncode}"
        super().__init__(f"git {' '.join(args[:1])} failed: {reason}")


class UnanswerableDocument(OperationFailed):
    """The document cannot be given answers for the new version (the reason is the text)."""


class MigrationConflict(OperationFailed):
    """A rename onto a question the page already answers: which value wins is not ours."""


# Interrupts that carry what was done before them.


class UpdateInterrupted(KeyboardInterrupt):
    """Ctrl-C or SIGTERM during an update: which documents were already written."""

    def __init__(self, outcomes: list[Any]) -> None:  # update.plan.Outcome, a layer above
        super().__init__()
        self.outcomes = outcomes


class AdoptInterrupted(KeyboardInterrupt):
    """Ctrl-C during the writes: the pages written until then (each with its answers)."""

    def __init__(self, written: list[str]) -> None:
        super().__init__()
        self.written = written
