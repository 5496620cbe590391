"""Run the Neo4j JVM as a detached background process, recognise it later by pid, and serialise launches."""

from __future__ import annotations

import fcntl
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

# Servers started by this Python process. Keeping the Popen lets us reap the child when it exits (a zombie
# would otherwise look alive to os.kill(pid, 0)) and stops Popen.__del__ warning about a running child.
_CHILDREN: dict[int, subprocess.Popen[bytes]] = {}


def free_loopback_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now (the server binds it a few seconds later)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def launch_detached(command: list[str], log: Path, env: Mapping[str, str],
                    umask: int = -1) -> subprocess.Popen[bytes]:
    """Start `command` in its own session with stdout/stderr appended to `log`, so it outlives the caller.
    ``umask``: the child's (-1 keeps the caller's)."""
    handle = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(handle, "ab") as out:
        child = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=dict(env),
            # A new session: Ctrl-C in the terminal that ran `stakeholders ...` must not kill the server.
            start_new_session=True,
            umask=umask,
        )
    _CHILDREN[child.pid] = child
    return child


def is_running(pid: int, command_marker: str) -> bool:
    """True when `pid` is alive and (where /proc exists) its command line contains `command_marker`.

    The marker check guards against pid reuse after a crash or a reboot left a stale pid file behind.
    """
    child = _CHILDREN.get(pid)
    if child is not None:
        return child.poll() is None
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, PermissionError):
        return False  # gone, or owned by another user and so not a server we started
    cmdline = Path(f"/proc/{pid}/cmdline")
    if not cmdline.parent.parent.is_dir():
        return True  # no procfs (macOS): trust the pid
    try:
        # A zombie has an empty command line, so it correctly counts as not running.
        return command_marker in cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return False


def exit_code(pid: int) -> int | None:
    """The exit code of a server this process launched and that has exited; None otherwise."""
    child = _CHILDREN.get(pid)
    return None if child is None else child.poll()


def terminate(pid: int, command_marker: str, timeout: float) -> bool:
    """SIGTERM `pid` and wait up to `timeout` s, then SIGKILL. Returns True when it had to be killed."""
    _signal(pid, signal.SIGTERM)
    if _wait_gone(pid, command_marker, timeout):
        return False
    _signal(pid, signal.SIGKILL)
    _wait_gone(pid, command_marker, 10.0)
    return True


@contextmanager
def exclusive_lock(path: Path, on_wait: Callable[[], None]) -> Iterator[None]:
    """Hold an fcntl lock on `path`; call `on_wait` once if another process holds it first."""
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600), "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            on_wait()
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _signal(pid: int, signum: signal.Signals) -> None:
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        pass


def _wait_gone(pid: int, command_marker: str, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while is_running(pid, command_marker):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True
