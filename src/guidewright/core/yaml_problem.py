"""What YAML that does not read says to the author: one line, one place, in the file's own
line numbers, whichever reader found it (a page's frontmatter, a section's `.meta.yml`, an
answers file, `--data-file`, mkdocs.yml, copier.yml, the site's configuration).

PyYAML's own text spans four lines and names `"<byte string>"`, not the file. When it names
two places (an unclosed list or quote, and where it noticed), the place is where the broken
construct opened, where the author looks; where the parser noticed, often a line or more
later, is in the text. `safe_yaml`'s refusals (too large, a key twice) know their line only.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from guidewright.core.errors import UnsafeYaml, place

__all__ = ["YamlProblem", "yaml_problem"]


@dataclass(frozen=True)
class YamlProblem:
    """Where YAML does not read (1-based, in the file; column 0 when unknown), and why."""

    line: int
    column: int
    text: str

    @property
    def place(self) -> str:
        """`line 4, column 7`, or `line 4` when the column is unknown."""
        return place(self.line, self.column)

    @property
    def message(self) -> str:
        """What is wrong, for a report that gives the line and column itself (`check`)."""
        return f"invalid YAML: {self.text}"

    def __str__(self) -> str:
        """What is wrong and where, for a one-line error that names the file before it."""
        return f"invalid YAML: {self.place}: {self.text}"


def yaml_problem(
    error: yaml.YAMLError | UnsafeYaml, first_line: int = 1, text: str | bytes | None = None
) -> YamlProblem:
    """The problem a YAML error stands for. `first_line` is the file's line the YAML
    starts on (2 for frontmatter, after its `---`); `text`, the YAML itself, places an
    unreadable character, which PyYAML knows by its offset only."""
    if isinstance(error, UnsafeYaml):
        return YamlProblem(error.line + first_line - 1, 0, str(error))
    if isinstance(error, yaml.MarkedYAMLError) and error.problem_mark is not None:
        return _marked(error, error.problem_mark, first_line)
    said = str(error).splitlines()[0] if str(error) else type(error).__name__
    position = getattr(error, "position", None)  # a ReaderError's: characters or bytes
    if text is None or not isinstance(position, int):
        return YamlProblem(first_line, 0, said)
    before = text[:position]
    newlines = before.count(b"\n") if isinstance(before, bytes) else before.count("\n")
    return YamlProblem(first_line + newlines, 0, said)


def _marked(error: yaml.MarkedYAMLError, noticed: yaml.Mark, first_line: int) -> YamlProblem:
    problem = error.problem or str(error).splitlines()[0]
    opened = error.context_mark
    if (
        error.context is None
        or opened is None
        or (opened.line, opened.column) == (noticed.line, noticed.column)
    ):
        return YamlProblem(noticed.line + first_line, noticed.column + 1, problem)
    text = (
        f"{error.context} here: {problem} "
        f"at line {noticed.line + first_line}, column {noticed.column + 1}"
    )
    return YamlProblem(opened.line + first_line, opened.column + 1, text)
