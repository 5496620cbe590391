"""Find or start the Neo4j 5.26 Community server behind every stakeholders command.

`ensure_graph` is the entry point: an external server when NEO4J_URI is set, otherwise a local server
run from Maven Central jars under `<home>/neo4j` (no Docker, no Neo4j install).
"""

from __future__ import annotations

import json
import os
import re
import stat
import sys
import time
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from neo4j import GraphDatabase
from neo4j.exceptions import AuthError, DriverError, Neo4jError

from graph.neo4j_server.credentials import (
    PRIVATE_UMASK,
    USER,
    lock_down,
    password_path,
    read_password,
    set_initial_password,
    write_private,
)
from graph.neo4j_server.jar_cache import ensure_jars, jar_dir, neo4j_version
from graph.neo4j_server.process import (
    exclusive_lock,
    exit_code,
    free_loopback_port,
    is_running,
    launch_detached,
    terminate,
)
from graph.neo4j_server.toolchain import Neo4jSetupError, find_java

__all__ = [
    "LocalNeo4j",
    "Neo4jConnection",
    "Neo4jSetupError",
    "connection_from_env",
    "ensure_graph",
    "stakeholders_home",
]

Progress = Callable[[str], None]

READY_TIMEOUT_S = 180.0
STOP_TIMEOUT_S = 60.0
ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
SERVER_SUBDIRS = ("conf", "data", "logs", "run", "plugins", "import")
# Launching the entry point directly bypasses the bootloader, so server.jvm.additional and
# server.memory.heap.* in neo4j.conf are ignored: the 5.26 shipped JVM settings go on the java line instead.
JVM_FLAGS = (
    "-XX:+UseG1GC", "-XX:-OmitStackTraceInFastThrow", "-XX:+ExitOnOutOfMemoryError",
    "-XX:+UnlockExperimentalVMOptions", "-XX:+TrustFinalNonStaticFields", "-XX:+DisableExplicitGC",
    "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED",
    "-Dio.netty.tryReflectionSetAccessible=true", "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dlog4j2.disable.jmx=true", "-Dfile.encoding=UTF-8",
)  # fmt: skip
PORT_TAKEN_SIGNS = ("Address already in use", "BindException")
# Sized for a nightly load of a few hundred thousand contacts: a page cache that holds the store's hot part
# and a heap with room for 10k-50k-row load transactions. NEO4J_HEAP and NEO4J_PAGECACHE (e.g. 4g, 512m)
# size them for a bigger or a smaller machine.
DEFAULT_HEAP, DEFAULT_PAGECACHE = "2g", "1g"
_SIZE = re.compile(r"^([1-9][0-9]*)([mg])$")


@dataclass(frozen=True)
class ServerMemory:
    heap_mb: int
    pagecache_mb: int

    def jvm_flags(self) -> tuple[str, ...]:
        return f"-Xms{min(512, self.heap_mb)}m", f"-Xmx{self.heap_mb}m"


def server_memory(environ: Mapping[str, str]) -> ServerMemory:
    """The heap and page cache sizes NEO4J_HEAP and NEO4J_PAGECACHE ask for (defaults above)."""
    sizes = []
    for name, default in (("NEO4J_HEAP", DEFAULT_HEAP), ("NEO4J_PAGECACHE", DEFAULT_PAGECACHE)):
        given = (environ.get(name) or default).strip().lower()
        found = _SIZE.match(given)
        if found is None:
            raise Neo4jSetupError(f"{name}={given!r}: give a size in megabytes or gigabytes, such as 512m or 2g")
        sizes.append(int(found[1]) * (1024 if found[2] == "g" else 1))
    if sizes[0] < 256:
        raise Neo4jSetupError(f"NEO4J_HEAP: {sizes[0]} MB is too small for Neo4j to start (256m at least)")
    return ServerMemory(*sizes)
_LOGS = ("console.out", "neo4j.log", "debug.log")


@dataclass(frozen=True)
class Neo4jConnection:
    """How to reach a Neo4j database."""

    uri: str
    user: str | None
    password: str | None = field(default=None, repr=False)  # never in a repr, a log line or a traceback
    database: str = "neo4j"

    def auth(self) -> tuple[str, str] | None:
        """The driver's `auth=` argument: None for an auth-disabled server."""
        return None if self.user is None else (self.user, self.password or "")

    @property
    def shown_uri(self) -> str:
        """The URI for messages: any user:password@ written into it left out."""
        return shown_uri(self.uri)


def shown_uri(uri: str) -> str:
    scheme, separator, rest = uri.partition("://")
    authority, slash, path = rest.partition("/")
    if not separator or "@" not in authority:
        return uri
    return f"{scheme}://{authority.rsplit('@', 1)[1]}{slash}{path}"


def password_from_file(path: Path) -> str:
    """The password in NEO4J_PASSWORD_FILE (its first line), a file only its owner may read."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            raise Neo4jSetupError(f"NEO4J_PASSWORD_FILE {path} is open to other users (mode {mode:04o}): "
                                  f"run `chmod 600 {path}`")
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "not UTF-8 text"
        raise Neo4jSetupError(f"NEO4J_PASSWORD_FILE {path}: cannot read it ({reason})") from None
    return text.splitlines()[0] if text else ""


def connection_from_env(environ: Mapping[str, str]) -> Neo4jConnection | None:
    """The server named by NEO4J_URI (+ NEO4J_USER, NEO4J_PASSWORD or NEO4J_PASSWORD_FILE, NEO4J_DATABASE),
    or None if unset. Credentials come only from there: never from the command line or the URI."""
    uri = environ.get("NEO4J_URI")
    if not uri:
        return None
    if shown_uri(uri) != uri:
        raise Neo4jSetupError("NEO4J_URI holds credentials (user:password@): give the user in NEO4J_USER and the "
                              "password in NEO4J_PASSWORD or NEO4J_PASSWORD_FILE")
    user = environ.get("NEO4J_USER") or None
    password = environ.get("NEO4J_PASSWORD")
    password_file = environ.get("NEO4J_PASSWORD_FILE")
    if password_file:
        if password is not None:
            raise Neo4jSetupError("NEO4J_PASSWORD and NEO4J_PASSWORD_FILE are both set: keep one")
        password = password_from_file(Path(password_file).expanduser())
    if user and password is None:
        raise Neo4jSetupError("NEO4J_USER is set but NEO4J_PASSWORD is not: set both (or NEO4J_PASSWORD_FILE), "
                              "or neither for no auth")
    if password is not None and user is None:
        user = "neo4j"  # Neo4j's built-in admin user, the one a password-only setup means
    return Neo4jConnection(uri, user, password, environ.get("NEO4J_DATABASE") or "neo4j")


def stakeholders_home(environ: Mapping[str, str]) -> Path:
    """STAKEHOLDERS_HOME, or ~/.stakeholders."""
    configured = environ.get("STAKEHOLDERS_HOME")
    if configured:
        return Path(configured).expanduser().resolve()
    return Path(environ.get("HOME") or Path.home()) / ".stakeholders"


def print_progress(message: str) -> None:
    """Default progress sink: stderr, so progress never mixes with a command's real output."""
    print(f"[neo4j] {message}", file=sys.stderr, flush=True)


def ensure_graph(
    home: Path, environ: Mapping[str, str] = os.environ, progress: Progress = print_progress
) -> Neo4jConnection:
    """The graph every command uses: NEO4J_URI if set, else the local server in `home`, started if need be."""
    return connection_from_env(environ) or LocalNeo4j(home, environ).start(progress)


@dataclass(frozen=True)
class _ServerRecord:
    """What run/server.json remembers about a launched server."""

    pid: int
    bolt_port: int
    neo4j_version: str
    started_at: float
    auth: bool = False  # records of older versions, whose servers ran without authentication, lack it

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt_port}"


class _PortTaken(Exception):
    """Another program grabbed the chosen port between picking and binding it."""


class LocalNeo4j:
    """A Neo4j server whose files live in `home/neo4j`; several homes can run side by side."""

    def __init__(self, home: Path, environ: Mapping[str, str] | None = None) -> None:
        self.home = Path(home).expanduser().resolve()  # the JVM is matched by its absolute home
        self.server_dir = self.home / "neo4j"
        self.logs_dir = self.server_dir / "logs"
        self.record_file = self.server_dir / "run" / "server.json"
        self.password_file = password_path(self.server_dir)
        self._environ = os.environ if environ is None else environ
        # Identifies our JVM in /proc/<pid>/cmdline, so a recycled pid is not mistaken for the server.
        self._command_marker = f"--home-dir={self.server_dir}"

    def start(self, progress: Progress = print_progress, timeout: float = READY_TIMEOUT_S) -> Neo4jConnection:
        """Return a connection to this home's server, launching it and waiting until it answers if needed.

        The home is made owner-only first (its folders 0700, its files 0600), whatever an older version
        or a umask left; the server then runs with umask 077, so what it writes is owner-only too."""
        self.home.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.home.chmod(0o700)
        for name in SERVER_SUBDIRS:
            (self.server_dir / name).mkdir(mode=0o700, parents=True, exist_ok=True)
        lock_down(self.server_dir)
        with self._lock(progress):
            record = self._live_record(progress)
            if record is not None and not record.auth:
                progress(f"Neo4j (pid {record.pid}) runs without authentication (an older version started it); "
                         "restarting it with a password")
                terminate(record.pid, self._command_marker, STOP_TIMEOUT_S)
                self.record_file.unlink(missing_ok=True)
                record = None
            if record is not None:
                connection = self._connection(record)
                if _probe(connection) is None:
                    progress(f"Neo4j already running at {connection.uri} (pid {record.pid})")
                    return connection
                progress(f"Neo4j (pid {record.pid}) is running but not answering yet; waiting")
                self._wait_ready(record, progress, timeout, _log_offsets(self.logs_dir))
                return connection
            java = find_java(self._environ)
            lib = ensure_jars(self._environ, progress)
            if read_password(self.server_dir) is None:
                progress("Setting the local Neo4j's password (kept in the home, readable by you only)")
                set_initial_password(self.server_dir, java, lib, self._environ)
            for _attempt in range(3):
                try:
                    return self._launch(java, lib, progress, timeout)
                except _PortTaken:
                    progress("The chosen port was taken meanwhile; trying another")
            log = self.logs_dir / "neo4j.log"
            raise Neo4jSetupError(f"Neo4j could not bind a free loopback port; read {log}")

    def stop(self, progress: Progress = print_progress, timeout: float = STOP_TIMEOUT_S) -> bool:
        """Stop this home's server (SIGTERM, then SIGKILL after `timeout` s); False if none was running."""
        if not self.server_dir.is_dir():
            progress(f"Neo4j is not running (no server in {self.home})")
            return False
        with self._lock(progress):
            record = self._live_record(progress)
            if record is None:
                progress(f"Neo4j is not running (home {self.home})")
                return False
            progress(f"Stopping Neo4j (pid {record.pid})")
            if terminate(record.pid, self._command_marker, timeout):
                progress(f"Neo4j did not stop within {timeout:.0f} s and was killed")
            self.record_file.unlink(missing_ok=True)
            return True

    def status(self) -> dict[str, object]:
        """Keys running, pid, uri, user, password_file, home, neo4j_version, jar_cache, logs; read-only
        (stale = stopped). Never the password itself."""
        record = self._read_record()
        running = record is not None and is_running(record.pid, self._command_marker)
        return {
            "running": running,
            "pid": record.pid if running else None,
            "uri": record.uri if running else None,
            "user": USER if running and record.auth else None,
            "password_file": str(self.password_file),
            "home": str(self.home),
            "neo4j_version": record.neo4j_version if running else neo4j_version(),
            "jar_cache": str(jar_dir(self._environ)),
            "logs": str(self.logs_dir),
        }

    def running_connection(self) -> Neo4jConnection | None:
        """The connection to this home's server as its record says now (its port changes on every start),
        or None when it is not running; never starts it."""
        record = self._read_record()
        if record is None or not is_running(record.pid, self._command_marker):
            return None
        return self._connection(record)

    def _launch(self, java: Path, lib: Path, progress: Progress, timeout: float) -> Neo4jConnection:
        port = free_loopback_port()
        memory = server_memory(self._environ)
        write_private(self.server_dir / "conf" / "neo4j.conf", _conf_text(port, memory))
        offsets = _log_offsets(self.logs_dir)
        classpath = ":".join(str(self.server_dir / name / "*") for name in ("plugins", "conf")) + f":{lib}/*"
        command = [str(java), *memory.jvm_flags(), *JVM_FLAGS, "-cp", classpath, ENTRY_POINT, self._command_marker]
        command.append(f"--config-dir={self.server_dir / 'conf'}")
        child = launch_detached(command, self.logs_dir / "console.out", self._environ, umask=PRIVATE_UMASK)
        record = _ServerRecord(child.pid, port, neo4j_version(), time.time(), auth=True)
        self._write_record(record)
        progress(f"Starting Neo4j {record.neo4j_version} at {record.uri} (pid {child.pid})")
        self._wait_ready(record, progress, timeout, offsets)
        return self._connection(record)

    def _connection(self, record: _ServerRecord) -> Neo4jConnection:
        password = read_password(self.server_dir)
        if password is None:
            raise Neo4jSetupError(f"{self.password_file} is missing, so the running local Neo4j cannot be "
                                  "reached: run `stakeholders neo4j stop`, then start it again")
        return Neo4jConnection(record.uri, USER, password)

    def _wait_ready(
        self, record: _ServerRecord, progress: Progress, timeout: float, offsets: dict[str, int]
    ) -> None:
        started = time.monotonic()
        next_note = started + 10.0
        connection = self._connection(record)
        while True:
            problem = _probe(connection)
            elapsed = time.monotonic() - started
            if problem is None:
                progress(f"Neo4j ready after {elapsed:.1f} s")
                return
            if problem == AuthError.__name__:
                # Retrying would only lock the user out (Neo4j counts failed attempts).
                raise Neo4jSetupError(
                    f"the local Neo4j of {self.home} refused the password in {self.password_file}: it was set "
                    f"by hand or the file was replaced. Stop the server (stakeholders neo4j stop), restore the "
                    f"file from a backup of the home, or start over with an empty STAKEHOLDERS_HOME")
            if not is_running(record.pid, self._command_marker):
                self.record_file.unlink(missing_ok=True)
                self._raise_exited(record.pid, offsets)
            if elapsed > timeout:
                terminate(record.pid, self._command_marker, STOP_TIMEOUT_S)
                self.record_file.unlink(missing_ok=True)
                raise Neo4jSetupError(
                    f"Neo4j did not become ready within {timeout:.0f} s ({problem}); read "
                    f"{self.logs_dir / 'neo4j.log'} and debug.log. Recent log lines:\n"
                    + _log_excerpt(self.logs_dir, offsets)
                )
            if time.monotonic() >= next_note:
                progress(f"Still waiting for Neo4j ({elapsed:.0f} s)")
                next_note += 10.0
            time.sleep(0.5)

    def _raise_exited(self, pid: int, offsets: dict[str, int]) -> None:
        excerpt = _log_excerpt(self.logs_dir, offsets)
        if any(sign in excerpt for sign in PORT_TAKEN_SIGNS):
            raise _PortTaken
        raise Neo4jSetupError(
            f"Neo4j exited during start-up with code {exit_code(pid)}; read {self.logs_dir / 'neo4j.log'} "
            f"and console.out. Recent log lines:\n{excerpt}"
        )

    def _live_record(self, progress: Progress) -> _ServerRecord | None:
        """The record of a running server; a record whose pid is gone (crash, reboot) is removed."""
        record = self._read_record()
        if record is None or is_running(record.pid, self._command_marker):
            return record
        progress(f"Found a stale {self.record_file.name} (pid {record.pid} is gone); starting afresh")
        self.record_file.unlink(missing_ok=True)
        return None

    def _read_record(self) -> _ServerRecord | None:
        try:
            return _ServerRecord(**json.loads(self.record_file.read_text()))
        except FileNotFoundError:
            return None
        except (ValueError, TypeError):
            return None  # unreadable (written by another version, or truncated): treat as no server

    def _write_record(self, record: _ServerRecord) -> None:
        partial = self.record_file.with_suffix(".tmp")
        write_private(partial, json.dumps(asdict(record), indent=2) + "\n")
        os.replace(partial, self.record_file)

    def _lock(self, progress: Progress) -> AbstractContextManager[None]:
        note = f"Another process is starting or stopping Neo4j in {self.home}; waiting"
        return exclusive_lock(self.server_dir / "run" / "launcher.lock", on_wait=lambda: progress(note))


def _conf_text(bolt_port: int, memory: ServerMemory) -> str:
    # Strict validation (the default) rejects unknown or repeated keys, so keep this list exact.
    return f"""\
# Written by graph/neo4j_server/launcher.py on every start; edits here are overwritten.
server.default_listen_address=127.0.0.1
server.bolt.enabled=true
server.bolt.listen_address=127.0.0.1:{bolt_port}
server.bolt.tls_level=DISABLED
# The pipeline speaks Bolt only; no HTTP means one port per home and nothing else exposed.
server.http.enabled=false
server.https.enabled=false
# Loopback only, and every other local account kept out: the password is in <home>/neo4j/password (0600).
dbms.security.auth_enabled=true
server.memory.pagecache.size={memory.pagecache_mb}m
dbms.memory.transaction.total.max={max(512, memory.heap_mb // 2)}m
dbms.usage_report.enabled=false
db.tx_log.rotation.retention_policy=100M size
# Bolt otherwise waits 2 x 5 s for idle thread pools on every shutdown (internal 5.26 settings).
internal.server.bolt.thread_pool_shutdown_wait_time=1s
internal.server.bolt.connection_shutdown_wait_time=1s
"""


def _probe(connection: Neo4jConnection) -> str | None:
    """None when the server answers `RETURN 1` on its database, else a short reason."""
    try:
        # No retries and a short connect timeout: the caller polls, and must notice a dead JVM quickly.
        with GraphDatabase.driver(
            connection.uri, auth=connection.auth(), connection_timeout=2.0, max_transaction_retry_time=0.0
        ) as driver:
            driver.verify_connectivity()
            driver.execute_query("RETURN 1", database_=connection.database)
    except (DriverError, Neo4jError, OSError) as error:
        return type(error).__name__
    return None


def _log_offsets(logs_dir: Path) -> dict[str, int]:
    """Current sizes of the logs, so an error shows only what this start-up wrote."""
    return {name: (logs_dir / name).stat().st_size for name in _LOGS if (logs_dir / name).exists()}


def _log_excerpt(logs_dir: Path, offsets: dict[str, int], tail: int = 20) -> str:
    def new_lines(name: str) -> list[str]:
        try:
            with open(logs_dir / name, "rb") as log:
                log.seek(offsets.get(name, 0))
                text = log.read().decode(errors="replace")
        except OSError:
            return []
        # console.out starts with a control byte that marks daemon mode. Java stack frames only bury the
        # exception message the user needs, so drop them with blank lines.
        lines = (line.rstrip() for line in text.splitlines())
        return [line for line in lines if line.strip(" \t\x06") and not line.lstrip().startswith("at ")]

    console = [f"console.out: {line}" for line in new_lines("console.out")[-tail:]]
    neo4j_log = [f"neo4j.log: {line}" for line in new_lines("neo4j.log")[-tail:]]
    errors = [line for line in new_lines("debug.log") if " ERROR " in line]
    debug_log = [f"debug.log: {line}" for line in errors[-tail:]]
    lines = console + neo4j_log + debug_log
    return "\n".join(f"  {line}" for line in lines) if lines else "  (no log output)"
