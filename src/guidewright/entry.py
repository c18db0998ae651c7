"""The `guidewright` executable: Ctrl-C while the program is still loading, or once it is
done, is an interrupt like any other (one line, exit 130) or nothing, never a traceback."""

from __future__ import annotations

import signal
import sys

INTERRUPTED = 130


def main() -> None:
    """Load the command line and run it."""
    try:
        from guidewright.cli import main as run

        run()
    except KeyboardInterrupt:
        sys.stderr.write("error: interrupted; nothing was written\n")
        raise SystemExit(INTERRUPTED) from None
    finally:
        # The command is over: an interrupt now would only break the interpreter's own
        # shutdown (worker pools, temporary folders) with a traceback.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
