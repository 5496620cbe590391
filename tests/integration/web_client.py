"""The real web app in-process for the tests of its doors (sign-in, hosts, forms), over a real home;
these pages never read the graph, so no Neo4j is needed. Given a store, the pages over the graph too."""

from __future__ import annotations

import re
from pathlib import Path

from starlette.testclient import TestClient

from accounts.users import AccountStore
from graph.store import GraphStore
from services.installation import Installation
from web.app import create_app
from web.config import WebConfig

PASSWORD = "violet kettle under the stairs"
BASE_URL = "http://127.0.0.1:8000"


def home_with_users(home: Path) -> Path:
    """``home`` with a steward and an admin, both with ``PASSWORD``."""
    accounts = AccountStore(home)
    accounts.add_user("steward-user", "steward", PASSWORD)
    accounts.add_user("admin-user", "admin", PASSWORD)
    return home


def web_client(home: Path, address: str = "10.0.0.1", store: GraphStore | None = None, **config: object
               ) -> TestClient:
    """A browser at ``address`` talking to a new app (a new worker, or the app after a restart) on ``home``,
    over the graph of ``store`` when given."""
    app = create_app(WebConfig(**config), Installation(home=home, connect=lambda: store))
    return TestClient(app, base_url=BASE_URL, client=(address, 50000), follow_redirects=False)


def form_token(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]*)"', page).group(1)


def sign_in(client: TestClient, username: str, password: str = PASSWORD):
    """Open the sign-in page and send its form, as a browser does; the response to the form."""
    token = form_token(client.get("/login").text)
    return client.post("/login", data={"username": username, "password": password, "csrf_token": token,
                                       "next": "/"})
