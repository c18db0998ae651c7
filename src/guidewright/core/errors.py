"""Failures written for the author. The CLI prints the message on one line and exits
with the class's exit code; anything else is a bug and keeps its traceback."""

from __future__ import annotations


class GuidewrightError(Exception):
    """A failure written for the author (exit 1 unless a subclass says otherwise)."""

    exit_code = 1

    @property
    def message(self) -> str:
        """The one-line message the command line prints."""
        return str(self)


class InvalidInput(GuidewrightError):
    """The author asked for something that is not allowed (exit 2)."""

    exit_code = 2


class OperationFailed(GuidewrightError):
    """A well-formed request that could not be carried out (exit 1)."""

    exit_code = 1


def describe_yaml_error(error: Exception) -> str:
    """A YAML error in one line: where it is and what is wrong."""
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    if mark is not None:
        return f"line {mark.line + 1}, column {mark.column + 1}: {problem}"
    line = getattr(error, "line", None)  # safe_yaml's refusals know their line only
    return f"line {line}: {problem}" if isinstance(line, int) else problem
