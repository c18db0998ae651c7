"""A finding of `check`: where, which key or rule, what is wrong, and how bad it is."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One finding of `check`."""

    path: str
    line: int
    field: str
    message: str
    severity: str = ERROR

    def as_dict(self) -> dict[str, Any]:
        """The finding as JSON-ready data."""
        return asdict(self)
