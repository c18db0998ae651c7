"""Where guidewright keeps what it can make again: template versions, compiled Jinja."""

from __future__ import annotations

import os
from pathlib import Path

CACHE_VARIABLE = "GUIDEWRIGHT_CACHE_DIR"


def cache_root() -> Path:
    """$GUIDEWRIGHT_CACHE_DIR, else $XDG_CACHE_HOME/guidewright, else ~/.cache/guidewright."""
    explicit = os.environ.get(CACHE_VARIABLE)
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "guidewright"
