"""What a template's expressions read beyond the answers they are given: the clock,
randomness, files, the environment.
"""

from __future__ import annotations

import time
from typing import Any

from jinja2_ansible_filters import core_filters


def clock() -> float:
    """Now, in seconds since the epoch: what `strftime` reads (tests replace it)."""
    return time.time()


def strftime(string_format: Any, second: Any = None) -> str:
    """jinja2_ansible_filters' `strftime`, which Copier's environment has, reading
    `clock` rather than the C library's clock: the same text, a clock tests can set."""
    return str(core_filters.strftime(string_format, clock() if second is None else second))


# Filters of Copier's environment that read more than their arguments: the clock
# (`strftime` without a time), randomness, the file system, the process's environment.
# Every other filter of Jinja, of jinja2_ansible_filters and guidewright's
# `transliterate` and `to_nice_yaml` is a function of its arguments.
_CLOCK_FILTER = "strftime"
IMPURE_FILTERS = frozenset(
    {
        _CLOCK_FILTER,
        "random",
        "ans_random",
        "shuffle",
        "random_mac",
        "fileglob",
        "expanduser",
        "expandvars",
        "realpath",
        "relpath",
    }
)
# Filters that apply another filter or test named by their argument (at that position).
NAMING_FILTERS = {"map": 0, "select": 0, "reject": 0, "selectattr": 1, "rejectattr": 1}
