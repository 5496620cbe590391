"""The local Neo4j launcher against a real server: start, reuse, side-by-side homes, stop, setup errors."""

from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from neo4j import Driver, GraphDatabase
from neo4j.exceptions import AuthError

from graph.neo4j_server import launcher
from graph.neo4j_server.jar_cache import ensure_jars, marker_path
from graph.neo4j_server.launcher import (
    LocalNeo4j,
    Neo4jConnection,
    Neo4jSetupError,
    connection_from_env,
    ensure_graph,
)


def _count(connection: Neo4jConnection, query: str) -> int:
    with GraphDatabase.driver(connection.uri, auth=connection.auth()) as driver:
        return driver.execute_query(query, database_=connection.database).records[0][0]


def _java_only_path(directory: Path) -> str:
    """A PATH holding `java` and nothing else, so any attempt to run Maven would fail."""
    directory.mkdir(parents=True, exist_ok=True)
    java = shutil.which("java")
    assert java is not None, "these tests need the machine's java on PATH"
    (directory / "java").symlink_to(Path(java).resolve())
    return str(directory)


@pytest.mark.neo4j
def test_constraint_unwind_merge_and_distance_query(neo4j_driver: Driver) -> None:
    neo4j_driver.execute_query(
        "CREATE CONSTRAINT premises_id IF NOT EXISTS FOR (p:Premises) REQUIRE p.id IS UNIQUE",
        database_="neo4j",
    )
    rows = [
        {"id": "bank", "lat": 51.5142, "lon": -0.0885},  # about 300 m from the query point
        {"id": "bank", "lat": 51.5142, "lon": -0.0885},  # a duplicate row must not create a second node
        {"id": "far", "lat": 51.4545, "lon": -2.5879},
    ]
    merge = """
        UNWIND $rows AS row
        MERGE (p:Premises {id: row.id})
        SET p.location = point({latitude: row.lat, longitude: row.lon})
    """
    neo4j_driver.execute_query(merge, rows=rows, database_="neo4j")
    near = neo4j_driver.execute_query(
        """
        MATCH (p:Premises)
        WITH p, point.distance(p.location, point({latitude: $lat, longitude: $lon})) AS metres
        WHERE metres <= $radius
        RETURN p.id AS id, metres
        """,
        lat=51.5138,
        lon=-0.0844,
        radius=500,
        database_="neo4j",
    ).records
    assert [record["id"] for record in near] == ["bank"]
    assert 200 < near[0]["metres"] < 400
    total = neo4j_driver.execute_query("MATCH (p:Premises) RETURN count(p)", database_="neo4j").records[0][0]
    assert total == 2


@dataclass
class SecondHome:
    server: LocalNeo4j
    connection: Neo4jConnection
    fake_path: str
    messages: list[str]
    marker_mtime: float


@pytest.fixture(scope="module")
def second_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SecondHome]:
    """A second server in its own home, started with a PATH that has java but no Maven."""
    ensure_jars(os.environ, progress=lambda message: None)  # a no-op unless the session used NEO4J_URI
    marker_mtime = marker_path(os.environ).stat().st_mtime
    base = tmp_path_factory.mktemp("second")
    environ = {key: value for key, value in os.environ.items() if key != "JAVA_HOME"}
    environ["PATH"] = _java_only_path(base / "bin")
    server = LocalNeo4j(base / "home", environ)
    messages: list[str] = []
    connection = server.start(messages.append)
    yield SecondHome(server, connection, environ["PATH"], messages, marker_mtime)
    server.stop(progress=lambda message: None)


@pytest.mark.neo4j
def test_start_is_idempotent(second_home: SecondHome) -> None:
    before = second_home.server.status()
    messages: list[str] = []
    started = time.monotonic()
    again = second_home.server.start(messages.append)
    assert time.monotonic() - started < 10
    assert again == second_home.connection
    assert second_home.server.status()["pid"] == before["pid"]
    assert any("already running" in message for message in messages)


@pytest.mark.neo4j
def test_second_home_runs_side_by_side(
    neo4j_connection: Neo4jConnection, neo4j_driver: Driver, second_home: SecondHome
) -> None:
    assert second_home.connection.uri != neo4j_connection.uri
    with GraphDatabase.driver(second_home.connection.uri, auth=second_home.connection.auth()) as driver:
        driver.execute_query("MERGE (:Probe {home: 'second'})", database_="neo4j")
    assert _count(second_home.connection, "MATCH (p:Probe) RETURN count(p)") == 1
    assert _count(neo4j_connection, "MATCH (p:Probe) RETURN count(p)") == 0
    assert (second_home.server.server_dir / "data" / "databases" / "neo4j").is_dir()


def _modes_open_to_others(folder: Path) -> list[str]:
    found = []
    for path in [folder, *folder.rglob("*")]:
        if not path.is_symlink() and stat.S_IMODE(path.stat().st_mode) & 0o077:
            found.append(f"{path.relative_to(folder)} {stat.S_IMODE(path.stat().st_mode):04o}")
    return found


def _refuses_no_auth(uri: str) -> bool:
    with GraphDatabase.driver(uri) as driver:
        try:
            driver.verify_connectivity()
        except AuthError:
            return True
    return False


@pytest.mark.neo4j
def test_the_local_server_needs_its_password_and_keeps_its_files_owner_only(second_home: SecondHome) -> None:
    connection = second_home.connection
    assert _refuses_no_auth(connection.uri)
    assert connection.user == "neo4j" and connection.password
    assert _count(connection, "RETURN 1") == 1
    password_file = second_home.server.password_file
    assert password_file.read_text().strip() == connection.password
    assert _modes_open_to_others(second_home.server.home) == []
    assert stat.S_IMODE(second_home.server.home.stat().st_mode) == 0o700
    shown = json.dumps(second_home.server.status())
    assert connection.password not in shown and str(password_file) in shown
    assert not any(connection.password in message for message in second_home.messages)


@pytest.mark.neo4j
def test_a_home_whose_server_ran_without_auth_gets_a_password_on_the_next_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = LocalNeo4j(tmp_path / "home")
    # As an older version left it: started without authentication, no password, its files open to all.
    conf_text = launcher._conf_text
    with monkeypatch.context() as old:
        old.setattr(launcher, "_conf_text", lambda port, memory: conf_text(port, memory).replace(
            "auth_enabled=true", "auth_enabled=false"))
        old.setattr(launcher, "read_password", lambda server_dir: "ignored-by-a-server-without-auth")
        before = server.start(progress=lambda message: None)
    record = json.loads(server.record_file.read_text())
    del record["auth"]
    server.record_file.write_text(json.dumps(record))
    with GraphDatabase.driver(before.uri) as driver:
        driver.execute_query("CREATE (:Probe {kept: true})", database_="neo4j")
    for path in [server.home, *server.home.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    messages: list[str] = []
    try:
        after = server.start(messages.append)

        assert any("without authentication" in message for message in messages)
        assert server.status()["pid"] != record["pid"]
        assert _refuses_no_auth(after.uri)
        assert _count(after, "MATCH (p:Probe {kept: true}) RETURN count(p)") == 1
        assert _modes_open_to_others(server.home) == []
    finally:
        server.stop(progress=lambda message: None)


@pytest.mark.neo4j
def test_second_home_reuses_the_jar_cache(second_home: SecondHome) -> None:
    assert shutil.which("mvn", path=second_home.fake_path) is None  # so a download could not even run
    assert marker_path(os.environ).stat().st_mtime == second_home.marker_mtime
    assert not any("Downloading" in message for message in second_home.messages)


@pytest.mark.neo4j
def test_stale_record_after_a_crash_is_recovered(second_home: SecondHome) -> None:
    crashed_pid = second_home.server.status()["pid"]
    assert isinstance(crashed_pid, int)
    os.kill(crashed_pid, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while second_home.server.status()["running"]:
        assert time.monotonic() < deadline, "the killed server still looks alive"
        time.sleep(0.2)
    assert second_home.server.record_file.exists()  # status() only reports; it does not clean up

    messages: list[str] = []
    connection = second_home.server.start(messages.append)

    assert any("stale" in message for message in messages)
    assert second_home.server.status()["pid"] != crashed_pid
    assert _count(connection, "MATCH (p:Probe) RETURN count(p)") == 1  # same data dir, data survived


@pytest.mark.neo4j
def test_stop_then_status_reports_not_running(second_home: SecondHome) -> None:
    pid = second_home.server.status()["pid"]
    messages: list[str] = []

    assert second_home.server.stop(messages.append) is True

    status = second_home.server.status()
    assert status["running"] is False and status["pid"] is None and status["uri"] is None
    assert not second_home.server.record_file.exists()
    assert not Path(f"/proc/{pid}").exists()
    assert second_home.server.stop(messages.append) is False
    assert "not running" in messages[-1]


@pytest.mark.parametrize("java_home", [None, "empty"], ids=["no-java-on-path", "java-home-without-java"])
def test_missing_java_is_a_one_line_setup_error(tmp_path: Path, java_home: str | None) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    environ = {"PATH": str(empty), "HOME": str(tmp_path)}
    if java_home is not None:
        environ["JAVA_HOME"] = str(empty)
    server = LocalNeo4j(tmp_path / "home", environ)

    with pytest.raises(Neo4jSetupError) as raised:
        server.start(progress=lambda message: None)

    message = str(raised.value)
    assert "\n" not in message and "Traceback" not in message
    assert "JDK 17 or 21" in message and "JAVA_HOME" in message
    assert not server.record_file.exists()


def test_missing_maven_with_an_empty_cache_is_a_one_line_setup_error(tmp_path: Path) -> None:
    environ = {"PATH": _java_only_path(tmp_path / "bin"), "STAKEHOLDERS_NEO4J_CACHE": str(tmp_path / "cache")}
    with pytest.raises(Neo4jSetupError, match=r"^Maven not found: [^\n]*$"):
        LocalNeo4j(tmp_path / "home", environ).start(progress=lambda message: None)


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, None),
        ({"NEO4J_URI": "bolt://db:7687"}, Neo4jConnection("bolt://db:7687", None, None)),
        (
            {"NEO4J_URI": "neo4j://db", "NEO4J_USER": "u", "NEO4J_PASSWORD": "p", "NEO4J_DATABASE": "g"},
            Neo4jConnection("neo4j://db", "u", "p", "g"),
        ),
        ({"NEO4J_URI": "bolt://db", "NEO4J_PASSWORD": "p"}, Neo4jConnection("bolt://db", "neo4j", "p")),
    ],
)
def test_connection_from_env(environ: dict[str, str], expected: Neo4jConnection | None) -> None:
    assert connection_from_env(environ) == expected


def test_user_without_password_is_a_setup_error() -> None:
    with pytest.raises(Neo4jSetupError, match="NEO4J_PASSWORD"):
        connection_from_env({"NEO4J_URI": "bolt://db", "NEO4J_USER": "u"})


def test_ensure_graph_prefers_neo4j_uri_and_starts_nothing(tmp_path: Path) -> None:
    connection = ensure_graph(tmp_path / "home", {"NEO4J_URI": "bolt://db:7687"})
    assert connection.uri == "bolt://db:7687" and connection.auth() is None
    assert not (tmp_path / "home").exists()
