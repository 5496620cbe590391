"""Browser tests: the real web app on loopback, over the real Neo4j holding the synced sample, driven
in Debian's Chromium through Playwright. Screenshots of each page go to tmp/screenshots (git-ignored)."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, sync_playwright

from accounts.users import ROLES
from delivery.settings import DeliverySettings
from graph.neo4j_server.launcher import Neo4jConnection
from graph.store import GraphStore
from services.installation import Installation
from tests.integration.cli_helpers import run_command
from web.app import create_app
from web.config import WebConfig

REPO_ROOT = Path(__file__).resolve().parents[2]
SAMPLE_MANIFEST = REPO_ROOT / "sample" / "manifest.yaml"
SCREENSHOTS = REPO_ROOT / "tmp" / "screenshots"
PASSWORD = "correct horse battery staple"
DESKTOP = {"width": 1366, "height": 900}


def chromium_path() -> str:
    configured = os.environ.get("STAKEHOLDERS_CHROMIUM")
    found = configured or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        pytest.fail("browser tests need Chromium: `apt-get install chromium` (Debian's package), "
                    "or set STAKEHOLDERS_CHROMIUM to its path", pytrace=False)
    return found


def run_cli(connection: Neo4jConnection, home: Path, *args: str, user: str = "e2e-tests") -> int:
    """The real `stakeholders` command, in-process, against the test server and ``home``, as ``user`` (once
    the home has accounts, commands that need a role need one of them)."""
    return run_command(connection, home, *args, user=user)


class WebApp:
    """A running app: its URL, its home, and a way to sync its manifest again (as "apply now" does)."""

    def __init__(self, url: str, home: Path, connection: Neo4jConnection, store: GraphStore,
                 manifest: Path = SAMPLE_MANIFEST) -> None:
        self.url, self.home, self.connection, self.store, self.manifest = url, home, connection, store, manifest

    def sync(self) -> int:
        return run_cli(self.connection, self.home, "sync", "--manifest", str(self.manifest))

    def cli(self, *args: str, user: str = "messaging-user") -> int:
        return run_cli(self.connection, self.home, *args, user=user)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def web_manifest() -> Path:
    """The manifest the module's app syncs: the sample; a module may override this fixture."""
    return SAMPLE_MANIFEST


def synced_home(driver, connection: Neo4jConnection, synced_graphs, home: Path, manifest: Path) -> None:
    """An emptied graph and ``home`` as a sync of ``manifest`` leaves them, with a ``<role>-user`` of every role
    (made once per session: tests.synced_graph)."""
    synced_graphs.synced(driver, connection.database, manifest, home,
                         lambda files, into: run_cli(connection, into, "sync", "--manifest", str(files)),
                         users=tuple((f"{role}-user", role, PASSWORD) for role in ROLES))


@pytest.fixture(scope="module")
def web_app(neo4j_session_driver, neo4j_connection: Neo4jConnection, tmp_path_factory, synced_graphs,
            web_manifest: Path) -> Iterator[WebApp]:
    """Per test module: the sample (``web_manifest``) synced into an emptied graph, a user per role, the app
    serving."""
    home = tmp_path_factory.mktemp("web-home")
    synced_home(neo4j_session_driver, neo4j_connection, synced_graphs, home, web_manifest)
    store = GraphStore(neo4j_connection)
    app = create_app(WebConfig(dagster_url="http://127.0.0.1:3000"),
                     Installation(home=home, connect=lambda: store, manifest=web_manifest,
                                  delivery=DeliverySettings(outbox=home / "outbox")))
    with serving(app) as url:
        yield WebApp(url, home, neo4j_connection, store, web_manifest)
    store.close()


@contextmanager
def serving(app) -> Iterator[str]:
    """Serve ``app`` on a free loopback port until the block ends; yields its URL."""
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the web app did not start", pytrace=False)
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def sign_in(browser: Browser, web_app: WebApp) -> Iterator[Callable[[str], Page]]:
    """``sign_in(role)``: a fresh browser context signed in as that role's user, on the start page."""
    contexts = []

    def open_as(role: str) -> Page:
        page = signed_in_page(browser, web_app.url, role)
        contexts.append(page.context)
        return page

    yield open_as
    for context in contexts:
        context.close()


def signed_in_page(browser: Browser, url: str, role: str) -> Page:
    """A page of a fresh browser context on the app at ``url``, signed in as ``role``'s user, on the start
    page (the caller closes ``page.context``)."""
    context = browser.new_context(viewport=DESKTOP, base_url=url, accept_downloads=True)
    page = context.new_page()
    page.goto("/login")
    page.get_by_label("Username").fill(f"{role}-user")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{url}/")
    return page


def screenshot(page: Page, name: str) -> Path:
    """Save what the user sees, whole page at desktop width, as tmp/screenshots/NAME.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
