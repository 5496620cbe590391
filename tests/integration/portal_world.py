"""The stakeholder portal's world for its integration tests: the sample synced into a real Neo4j, a user of
every role, and stakeholders invited by the steward and signed in by redeeming their link, all through the
real web app in-process (tests/integration/test_portal.py, test_portal_isolation.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from starlette.testclient import TestClient

from accounts.users import ROLES
from delivery.settings import DeliverySettings
from graph.neo4j_server.launcher import Neo4jConnection
from graph.store import GraphStore
from services.installation import Installation
from web.app import create_app
from web.config import WebConfig

from .cli_helpers import run_command
from .web_client import BASE_URL, PASSWORD, form_token, sign_in

SAMPLE = Path(__file__).resolve().parents[2] / "sample" / "manifest.yaml"
STAKEHOLDER_PASSWORD = "amber lantern over the river"


@dataclass
class World:
    home: Path
    connection: Neo4jConnection
    store: GraphStore
    app: object

    @property
    def installation(self) -> Installation:
        return self.app.state.installation

    def sync(self) -> int:
        return run_command(self.connection, self.home, "sync", "--manifest", str(SAMPLE))

    def rows(self, query: str, **params: object) -> list[dict]:
        with self.store.session() as session:
            return session.run(query, params).data()

    def client(self) -> TestClient:
        return TestClient(self.app, base_url=BASE_URL, follow_redirects=False)

    def staff(self, role: str) -> TestClient:
        client = self.client()
        assert sign_in(client, f"{role}-user").status_code == 303
        return client

    def invite(self, organisation_id: str, username: str) -> str:
        steward = self.staff("steward")
        page = steward.get(f"/organisations/{organisation_id}/invite")
        assert page.status_code == 200
        made = steward.post(f"/organisations/{organisation_id}/invite",
                            data={"csrf_token": form_token(page.text), "username": username, "hours": "24"})
        assert made.status_code == 200, made.text
        return re.search(r'id="invite-link" readonly value="([^"]+)"', made.text)[1]

    def stakeholder(self, organisation_id: str, username: str) -> TestClient:
        """A stakeholder of the organisation, invited by the steward and signed in by redeeming the link."""
        return self.redeem(self.invite(organisation_id, username), username)

    def redeem(self, link: str, username: str) -> TestClient:
        client = self.client()
        page = client.get(link)
        assert page.status_code == 200 and username in page.text
        done = client.post(link, data={"csrf_token": form_token(page.text), "password": STAKEHOLDER_PASSWORD,
                                       "confirm": STAKEHOLDER_PASSWORD})
        assert done.status_code == 303 and done.headers["location"] == "/portal"
        return client


def organisations_with_people(world: World, how_many: int = 2) -> list[dict]:
    """The organisations with the most reachable people (two at least each), most first."""
    return world.rows("""
        MATCH (c:Contact)-[:WORKS_FOR]->(o:Organisation)
        WHERE NOT coalesce(c.restricted, false) AND c.email IS NOT NULL AND c.email <> ''
        WITH o, collect(c {.id, .name, .email, .refs}) AS people WHERE size(people) >= 2
        RETURN o.id AS id, o.name AS name, people
        ORDER BY size(people) DESC, o.name, [p IN people | p.refs] LIMIT $limit""", limit=how_many)


def synced_world(driver, connection: Neo4jConnection, home: Path, synced_graphs) -> Iterator[World]:
    """The sample synced into an emptied graph over ``home`` (once per session: tests.synced_graph), with a
    ``<role>-user`` of every role."""
    store = GraphStore(connection)
    synced_graphs.synced(driver, connection.database, SAMPLE, home,
                         lambda manifest, into: World(into, connection, store, None).sync(),
                         users=tuple((f"{role}-user", role, PASSWORD) for role in ROLES))
    installation = Installation(home=home, connect=lambda: store, manifest=SAMPLE,
                                delivery=DeliverySettings(outbox=home / "outbox"))
    found = World(home, connection, store, create_app(WebConfig(), installation))
    yield found
    store.close()
