"""Run guidewright's entry point, each process it forks writing its process id and a
newline to the file descriptor $GW_FORKS_FD: a test waits for the workers by reading it,
not by watching the clock. (subprocess's children, git for one, run no at-fork handler.)"""

from __future__ import annotations

import os
import sys

_FORKS = int(os.environ.pop("GW_FORKS_FD"))
os.register_at_fork(after_in_child=lambda: os.write(_FORKS, f"{os.getpid()}\n".encode()))

from guidewright.entry import main  # noqa: E402 - the hook first, as for every fork

sys.argv[0] = "guidewright"
main()
