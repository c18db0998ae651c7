"""A finding of `check`: where, which key or rule, what is wrong, and how bad it is."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One finding of `check`. Made by its rule (`Rule.problem`), which gives the code and
    the severity: no detector chooses either."""

    path: str
    line: int
    field: str
    message: str
    severity: str
    code: str
    column: int = 0  # 1-based; 0 where only the line is known

    def as_dict(self) -> dict[str, Any]:
        """The finding as JSON-ready data."""
        return asdict(self)
