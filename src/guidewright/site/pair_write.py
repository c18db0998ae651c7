"""A document and its answers file change together or not at all.

Both new contents go to temporary files beside their targets first (a full disk or a
read-only folder fails here, before anything changed); then both are renamed. Ctrl-C and
SIGTERM are held back meanwhile, so an interruption lands before or after the pair, never
inside it.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from guidewright.core.atomic import write_temporary
from guidewright.core.errors import PairNotWritten
from guidewright.core.signals import signals_held

# (target, its current content, its new content)
Change = tuple[Path, bytes, bytes]


def write_pair(first: Change, second: Change) -> None:
    """Replace both targets with their new contents, or neither (PairNotWritten)."""
    temporaries: list[Path] = []
    with signals_held():  # no interruption may leave a temporary file or half a pair
        try:
            for path, _, new in (first, second):
                temporaries.append(write_temporary(path, new))
            os.replace(temporaries[0], first[0])
            try:
                os.replace(temporaries[1], second[0])
            except OSError:
                # Put the first back as it was: the pair must not disagree.
                os.replace(write_temporary(first[0], first[1]), first[0])
                raise
        except OSError as error:
            raise PairNotWritten(f"could not write: {error.strerror or error}") from error
        finally:
            for temporary in temporaries:
                with contextlib.suppress(OSError):
                    temporary.unlink()
