"""The local server's password and the owner-only files around it.

The local Neo4j runs with authentication on. Its password is generated once, kept in
`<home>/neo4j/password` (mode 0600, never printed) and given to the server with
`neo4j-admin dbms set-initial-password` before the start that first needs it: before the very first
start, or, for a home whose server ran without authentication (older versions), before the next one
(the built-in `neo4j` user still has its default password then, which the command replaces).
"""

from __future__ import annotations

import os
import secrets
import stat
import string
import subprocess
from collections.abc import Mapping
from pathlib import Path

from graph.neo4j_server.toolchain import Neo4jSetupError

USER = "neo4j"  # the built-in admin user, the only one Community has without running Cypher
ADMIN_TOOL = "org.neo4j.cli.AdminTool"
PASSWORD_FILE = "password"
_ALPHABET = string.ascii_letters + string.digits  # no shell, quote or option characters
_LENGTH = 32
PRIVATE_UMASK = 0o077


def password_path(server_dir: Path) -> Path:
    return server_dir / PASSWORD_FILE


def read_password(server_dir: Path) -> str | None:
    """The home's password, or None when none was generated yet."""
    try:
        return password_path(server_dir).read_text(encoding="ascii").strip() or None
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError):
        raise Neo4jSetupError(f"{password_path(server_dir)}: cannot be read; restore it from a backup of the "
                              "home, or start over with an empty STAKEHOLDERS_HOME") from None


def set_initial_password(server_dir: Path, java: Path, lib: Path, environ: Mapping[str, str]) -> str:
    """Generate the password, keep it owner-only and hand it to the server before it starts."""
    password = "".join(secrets.choice(_ALPHABET) for _ in range(_LENGTH))
    path = password_path(server_dir)
    partial = path.with_suffix(".partial")
    write_private(partial, password + "\n")
    # "@file" makes the admin tool read its argument from the file: the password never sits on a command
    # line, where any local account could read it in /proc.
    command = [str(java), "-cp", f"{lib}/*", ADMIN_TOOL, "dbms", "set-initial-password", f"@{partial}"]
    env = dict(environ, NEO4J_HOME=str(server_dir), NEO4J_CONF=str(server_dir / "conf"))
    log = server_dir / "logs" / "set-initial-password.log"
    try:
        with os.fdopen(os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as out:
            code = subprocess.run(command, stdout=out, stderr=subprocess.STDOUT, env=env, umask=PRIVATE_UMASK,
                                  timeout=300).returncode
    except (OSError, subprocess.TimeoutExpired) as error:
        partial.unlink(missing_ok=True)
        raise Neo4jSetupError(f"neo4j-admin set-initial-password could not run ({error}); read {log}") from None
    if code != 0:
        partial.unlink(missing_ok=True)
        raise Neo4jSetupError(f"neo4j-admin set-initial-password failed (exit {code}); read {log}")
    os.replace(partial, path)
    return password


def write_private(path: Path, text: str) -> None:
    """Write `text` to `path`, created owner-only (0600) and truncated, never readable by others meanwhile."""
    path.unlink(missing_ok=True)  # an existing file would keep its old mode
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w", encoding="utf-8") as out:
        out.write(text)


def lock_down(folder: Path) -> None:
    """Make `folder` and everything under it owner-only (0700 folders, files without group/other bits)."""
    _owner_only(folder)
    for root, folders, files in os.walk(folder):
        for name in folders + files:
            _owner_only(Path(root) / name)


def _owner_only(path: Path) -> None:
    try:
        info = path.lstat()
    except FileNotFoundError:
        return  # removed meanwhile (a rotated log)
    if stat.S_ISLNK(info.st_mode):
        return  # chmod would follow it out of the home
    mode = stat.S_IMODE(info.st_mode)
    wanted = 0o700 if stat.S_ISDIR(info.st_mode) else mode & 0o700
    if mode != wanted:
        path.chmod(wanted)
