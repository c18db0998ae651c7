"""`check`'s findings as GitHub Actions workflow commands: `::error file=…,line=…::text`
shows each on the pull request's line.

Escaped as the runner unescapes them (actions/toolkit, command.ts): `%`, CR and LF in the
message, and also `:` and `,` in a property. A finding's text (a YAML key, a file name,
both anyone can commit) then never ends its command and starts one of its own: a key
holding `\\r::add-mask::x` stays inside its annotation."""

from __future__ import annotations

from guidewright.rules.problems import ERROR, Problem


def escape_data(text: str) -> str:
    """A workflow command's message, escaped."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value, escaped."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(problem: Problem, strict: bool) -> str:
    """The workflow command of one finding (an error, or a warning unless `strict`)."""
    level = "error" if problem.severity == ERROR or strict else "warning"
    properties = {"file": problem.path, "line": str(problem.line)}
    if problem.column:
        properties["col"] = str(problem.column)
    properties["title"] = problem.code
    listed = ",".join(f"{name}={escape_property(value)}" for name, value in properties.items())
    return f"::{level} {listed}::{escape_data(f'{problem.field}: {problem.message}')}"


def failure_annotation(reason: str) -> str:
    """The workflow command saying that the site could not be checked at all."""
    return f"::error title=guidewright::{escape_data(f'could not check the site: {reason}')}"
