"""Shared fixtures: one real Neo4j per session (never a mock), wiped between the tests that ask for it."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from neo4j import Driver, GraphDatabase

from graph.neo4j_server.launcher import LocalNeo4j, Neo4jConnection, Neo4jSetupError, connection_from_env
from tests.synced_graph import SyncedGraphs

REPO_ROOT = Path(__file__).resolve().parent.parent


def _terminal_progress(config: pytest.Config) -> Callable[[str], None]:
    """Progress lines straight to the terminal: a cold start takes a while and should not look like a hang."""
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    capture = config.pluginmanager.get_plugin("capturemanager")

    def say(message: str) -> None:
        if reporter is None or capture is None:
            return
        with capture.global_and_fixture_disabled():  # fixture set-up output is captured otherwise
            reporter.write_line(f"[neo4j] {message}")

    return say


@pytest.fixture(scope="session")
def stakeholders_test_home() -> Path:
    """STAKEHOLDERS_TEST_HOME, or <repo>/tmp/test-home (git-ignored): where the test server lives."""
    configured = os.environ.get("STAKEHOLDERS_TEST_HOME")
    return Path(configured) if configured else REPO_ROOT / "tmp" / "test-home"


@pytest.fixture(scope="session")
def neo4j_connection(request: pytest.FixtureRequest, stakeholders_test_home: Path) -> Neo4jConnection:
    """NEO4J_URI's server when set, else the local test server, started once and left running for reuse."""
    try:
        connection = connection_from_env(os.environ)
        if connection is None:
            connection = LocalNeo4j(stakeholders_test_home).start(_terminal_progress(request.config))
    except Neo4jSetupError as error:
        pytest.fail(str(error), pytrace=False)
    return connection


@pytest.fixture(scope="session")
def neo4j_session_driver(neo4j_connection: Neo4jConnection) -> Iterator[Driver]:
    """One driver for the session; tests normally want `neo4j_driver`, which also empties the graph."""
    with GraphDatabase.driver(neo4j_connection.uri, auth=neo4j_connection.auth()) as driver:
        yield driver


@pytest.fixture
def neo4j_driver(neo4j_session_driver: Driver, neo4j_connection: Neo4jConnection) -> Driver:
    """A driver on an empty graph: every node and relationship deleted; constraints and indexes kept."""
    with neo4j_session_driver.session(database=neo4j_connection.database) as session:
        # Batched so that a test leaving a large graph behind cannot blow the transaction memory limit.
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
    return neo4j_session_driver


@pytest.fixture
def clean_graph(neo4j_driver: Driver) -> Driver:
    """Alias of `neo4j_driver` for tests that read better as "given a clean graph"."""
    return neo4j_driver


@pytest.fixture(scope="session")
def synced_graphs(tmp_path_factory) -> SyncedGraphs:
    """The graph and home a sync of each manifest left, made once per session (tests.synced_graph): a module
    that starts from a synced manifest asks ``synced_graphs.synced(...)``."""
    return SyncedGraphs(tmp_path_factory.mktemp("synced-templates"))
