"""Answers given on the command line to `new` and `adopt`: the template's own `--name
value` flags and `-d NAME=VALUE` pairs, read before any question is asked."""

from __future__ import annotations

from typing import Any

from guidewright.core.errors import InvalidInput

# The options every `new` command has besides the template's: suggested for a typo too.
FIXED_OPTIONS = (
    "--dest",
    "--template",
    "--data-file",
    "--data",
    "--defaults",
    "--pretend",
    "--help",
)


def parse_extra(args: list[str], known_flags: list[str]) -> dict[str, Any]:
    """`--name value`, `--name=value`, repeated for lists, into {flag: value or [values]};
    a flag that is no option is refused first, whatever follows it."""
    found: dict[str, list[str]] = {}
    index = 0
    while index < len(args):
        token = args[index]
        if not token.startswith("--") or token == "--":
            raise InvalidInput(f"{token}: unexpected argument (answers are --name VALUE)")
        flag, has_value, value = token.partition("=")
        if flag not in known_flags:
            raise InvalidInput(no_such_option(flag, [*known_flags, *FIXED_OPTIONS]))
        if not has_value:
            if index + 1 >= len(args):
                raise InvalidInput(f"{flag}: needs a value")
            index += 1
            value = args[index]
        found.setdefault(flag, []).append(value)
        index += 1
    return found


def no_such_option(
    flag: str, options: list[str], see: str = "see: guidewright new TYPE --help"
) -> str:
    """The usage error for an unknown option, with the closest real one."""
    import difflib

    close = difflib.get_close_matches(flag, options, n=1, cutoff=0.6)
    hint = f"did you mean {close[0]}?" if close else see
    return f"{flag}: no such option ({hint})"


def data_values(pairs: list[str]) -> dict[str, str]:
    """`-d NAME=VALUE` pairs, by name."""
    values = {}
    for pair in pairs:
        name, has_value, value = pair.partition("=")
        if not has_value or not name:
            raise InvalidInput(f"-d: {pair!r} must be NAME=VALUE")
        values[name] = value
    return values
