"""A `guidewright` command on PATH whose runs are forked from forked_command.py's launcher.

The docs' shell sessions run in bash, a command at a time, as a reader types them: dozens
of `guidewright` runs a page, each of which, through the installed entry point, first pays
a fresh interpreter and guidewright's imports (most of what a short command costs). Here
`guidewright` is a small executable in a folder put first on the session's PATH: a bare
interpreter (`-IS`: no site, no imports but the standard library's socket) that hands
its arguments, working folder, environment and its three standard streams to this
process over a Unix socket, and exits with the status of the run. This process starts the
run as forked_command.py starts every forked run (a process of its own with those
streams, running the entry point's `main`), waits for it and answers its status. The shell
still runs a real command, with its own process, streams, status and output order. The
folder stands for the installation's bin folder (its `python` links to this one's): the
run finds itself on PATH, as the installed command does, and shows `guidewright` in the
commands it suggests.

What this does not reproduce (a fresh interpreter's start-up and imports, the installed
entry point) is tested by running `GUIDEWRIGHT` itself."""

from __future__ import annotations

import contextlib
import functools
import json
import os
import signal
import socket
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

from forked_command import ForkedCommand, installed_in
from support import HANG

# The command on PATH. It reads until the end of the request's one line is known by its
# length, so that the arguments and environment may hold any character.
_CLIENT = """\
import json, os, signal, socket, sys
request = json.dumps(
    {"args": sys.argv[1:], "cwd": os.getcwd(), "environment": dict(os.environ)}
).encode()
with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as relay:
    relay.connect(%(address)r)
    socket.send_fds(relay, [len(request).to_bytes(8, "big") + request], [0, 1, 2])
    answer = b""
    while chunk := relay.recv(64):
        answer += chunk
status = int(answer)
if status < 0:  # killed by a signal: so is this command, as its shell would see it
    signal.signal(-status, signal.SIG_DFL)
    os.kill(os.getpid(), -status)
sys.exit(status)
"""


@contextlib.contextmanager
def guidewright_on_path(folder: Path) -> Iterator[Path]:
    """A folder holding the forwarding `guidewright`, to put first on PATH, served by a
    thread of this process while the context lasts."""
    folder.mkdir(parents=True, exist_ok=True)
    address = str(folder / "relay.socket")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(address)
    server.listen()
    command = folder / "guidewright"
    command.write_text(f"#!{sys.executable} -IS\n" + _CLIENT % {"address": address})
    command.chmod(0o755)
    (folder / "python").symlink_to(sys.executable)
    serving = threading.Thread(target=_serve, args=(server, folder), daemon=True)
    serving.start()
    try:
        yield folder
    finally:
        server.shutdown(socket.SHUT_RDWR)
        server.close()
        serving.join(HANG)


def _serve(server: socket.socket, folder: Path) -> None:
    """One run at a time, as the shell waits for each command."""
    while True:
        try:
            connection, _ = server.accept()
        except OSError:  # closed: the context ended
            return
        with connection:
            _run(connection, folder)


def _run(connection: socket.socket, folder: Path) -> None:
    message, descriptors, _, _ = socket.recv_fds(connection, 1 << 20, 3)
    try:
        length = int.from_bytes(message[:8], "big")
        while len(message) < 8 + length:
            chunk = connection.recv(1 << 20)
            assert chunk, "the command's request ended early"
            message += chunk
        request = json.loads(message[8 : 8 + length])
        stdin, stdout, stderr = descriptors
        run = ForkedCommand(
            tuple(request["args"]),
            Path(request["cwd"]),
            request["environment"],
            stdio=(stdin, stdout, stderr),
            prepare=functools.partial(installed_in, str(folder)),
        )
    finally:
        for descriptor in descriptors:
            os.close(descriptor)
    status = run.wait(HANG)
    if status is None:  # hung: stopped, so that the session ends and says so
        os.killpg(run.pid, signal.SIGKILL)
        status = run.wait(HANG)
    connection.sendall(str(status).encode())
