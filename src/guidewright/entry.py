"""The `guidewright` executable: Ctrl-C while the program is still loading, or once it is
done, is an interrupt like any other (one line, exit 130) or nothing, never a traceback."""

from __future__ import annotations

import sys
from typing import NoReturn

INTERRUPTED = 130


def main() -> None:
    """Load the command line and run it."""
    try:
        from guidewright.core import signals

        signals.interrupts_in_finalizers_delivered()  # before the command's imports,
        from guidewright.cli import main as run  # whose lock clean-ups are finalizers too

        try:
            run()
        finally:
            # A Ctrl-C a finalizer took that no step of the command raised since (it came
            # as the command ended, its objects freed): an interrupt, in place of its exit.
            signals.finalizer_interrupt_raised()
    except KeyboardInterrupt:
        _interrupted()
    except RuntimeError as error:
        # Python 3.11 wraps what a descriptor's __set_name__ raises while a class is made
        # ("Error calling __set_name__"): a Ctrl-C landing in a dataclass's fields while
        # a command imports a module on first need (seen under load) is this error's cause.
        if not isinstance(error.__cause__, KeyboardInterrupt):
            raise
        _interrupted()
    finally:
        # Imported here, not at the top of this module: a Ctrl-C while the module loads,
        # before the `try`, would be a traceback (seen under load). By now the command
        # has imported it: this is a lookup.
        import signal

        # The command is over: an interrupt now would only break the interpreter's own
        # shutdown (worker pools, temporary folders) with a traceback.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)


def _interrupted() -> NoReturn:
    sys.stderr.write("error: interrupted; nothing was written\n")
    raise SystemExit(INTERRUPTED) from None
