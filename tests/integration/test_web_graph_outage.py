"""The real `stakeholders web` while its local Neo4j stops and starts again on another port: pages say
"not available" within seconds (no hang, no 500, no traceback in the log) and work again once it is back.
It answers only to the names it was given with --allowed-host."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from accounts.users import AccountStore
from graph.neo4j_server.launcher import LocalNeo4j

pytestmark = pytest.mark.neo4j
REPO_ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery staple"
FAST_S = 5.0  # "within a few seconds": the driver's timeouts for the web are 2-3 s


def _quiet(message: str) -> None:
    pass


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def local_server(tmp_path: Path) -> Iterator[LocalNeo4j]:
    """The home's own local Neo4j, started (the shared test server is left alone)."""
    server = LocalNeo4j(tmp_path / "home")
    server.start(progress=_quiet)
    try:
        yield server
    finally:
        server.stop(progress=_quiet)


@pytest.fixture
def web(local_server: LocalNeo4j, tmp_path: Path) -> Iterator[tuple[httpx.Client, Path]]:
    """`stakeholders web` on the home of ``local_server`` as a process of its own; a client signed in as a
    steward; the file its log (stderr) goes to."""
    home = local_server.home
    AccountStore(home).add_user("steward-user", "steward", PASSWORD)
    environ = {name: value for name, value in os.environ.items() if not name.startswith("NEO4J_")}
    environ |= {"STAKEHOLDERS_HOME": str(home), "PYTHONUNBUFFERED": "1"}
    port = _free_port()
    log_path = tmp_path / "web.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "pipelines.cli", "web", "--port", str(port),
                                    "--allowed-host", "127.0.0.1", "--allowed-host", "stakeholders.example"],
                                   cwd=REPO_ROOT, env=environ, stdout=log, stderr=subprocess.STDOUT)
    client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                login = client.get("/login")
                break
            except httpx.TransportError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"the web app did not start:\n{log_path.read_text()}", pytrace=False)
                time.sleep(0.2)
        token = re.search(r'name="csrf_token" value="([^"]+)"', login.text).group(1)
        signed_in = client.post("/login", data={"username": "steward-user", "password": PASSWORD,
                                                "csrf_token": token, "next": "/"})
        assert signed_in.status_code == 303, signed_in.text
        yield client, log_path
    finally:
        client.close()
        process.terminate()
        process.wait(timeout=30)


def _timed_get(client: httpx.Client, path: str) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = client.get(path)
    return response, time.monotonic() - started


def test_pages_say_the_graph_is_unavailable_within_seconds_and_work_again_after_a_restart_on_a_new_port(
        local_server, web):
    client, log_path = web
    assert client.get("/contacts?q=smith").status_code == 200
    # the names given with --allowed-host, and no other
    assert client.get("/login", headers={"host": "stakeholders.example"}).status_code == 303  # signed in
    assert client.get("/login", headers={"host": "localhost"}).status_code == 400
    old_port = urlsplit(local_server.status()["uri"]).port

    local_server.stop(progress=_quiet)
    for attempt in range(2):
        response, took = _timed_get(client, "/contacts?q=smith")
        assert response.status_code == 503, (attempt, response.status_code)
        assert "The graph is not available" in response.text
        assert took < FAST_S, f"attempt {attempt}: 503 after {took:.1f} s"

    with socket.socket() as squatter:  # the old port is taken, so the server starts on another one
        squatter.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # its closed connections linger
        squatter.bind(("127.0.0.1", old_port))
        squatter.listen()
        local_server.start(progress=_quiet)
    assert urlsplit(local_server.status()["uri"]).port != old_port
    response, took = _timed_get(client, "/contacts?q=smith")
    assert response.status_code == 200, response.text
    assert took < FAST_S

    log = log_path.read_text()
    assert "Traceback" not in log and "Exception in ASGI application" not in log, log
