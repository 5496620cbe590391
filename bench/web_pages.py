"""Web page timings: the app on the synced sample, each main page fetched N times by a signed-in user.

    .venv/bin/python -m bench.web_pages [--requests 20] [--home bench/out/web-pages] [--no-sync]

Pages are discovered from the app's own routes at run time: every GET route without a path parameter
(sign-in, static files and the stakeholder portal aside: bench.portal_pages times the portal), then
each route with parameters filled in from the first link to it found on a page already fetched (a
contact, an organisation, a pair in the review queue...). Each page is fetched as a SPOC (who may see
the most), or as the first of an admin, an inspector and a steward it is for. Prints the median and
95th percentile in milliseconds against the 300 ms target.
"""

from __future__ import annotations

import argparse
import html
import os
import re
import socket
import statistics
import sys
import threading
import time
from pathlib import Path

import requests
import uvicorn

from accounts.users import AccountError, AccountStore
from graph.neo4j_server.launcher import ensure_graph
from graph.store import GraphStore
from pipelines.cli import main as stakeholders
from services.installation import Installation
from web.app import create_app
from web.config import WebConfig

REPO_ROOT = Path(__file__).resolve().parents[1]
SAMPLE_MANIFEST = REPO_ROOT / "sample" / "manifest.yaml"
TARGET_MS = 300.0
PASSWORD = "bench web pages password"
SKIPPED = ("/login", "/logout", "/static")
ROLES = ("spoc", "admin", "inspector", "steward")  # who fetches a page: the first of them it is for
# the stakeholder portal refuses police sessions: its pages have their own benchmark (bench.portal_pages)
PORTAL = "/portal"
# Routes answering a query string: an example of the question a page asks them.
EXAMPLE_QUERIES = {"/audience/count": "?wards=cheap&channel=any&min_priority=low"}
# Routes whose question comes from a link on another page (a review pair is named in its query string).
LINKED_QUERIES = ("/review/pair",)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve(home: Path, store: GraphStore) -> tuple[str, uvicorn.Server, threading.Thread]:
    app = create_app(WebConfig(dagster_url="http://127.0.0.1:3000"),
                     Installation(home=home, connect=lambda: store, manifest=SAMPLE_MANIFEST))
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise SystemExit("the web app did not start")
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}", server, thread


def _signed_in(url: str, username: str, side: str = "") -> requests.Session:
    """A browser signed in as ``username``: at /login, or at the portal's sign-in (``side="/portal"``)."""
    session = requests.Session()
    # the sign-in form's token is signed from its pre-session cookie: read from the form, as a browser sends it
    token = re.search(r'name="csrf_token" value="([^"]*)"', session.get(f"{url}{side}/login").text)
    answer = session.post(f"{url}{side}/login", data={"username": username, "password": PASSWORD,
                                                      "csrf_token": token[1] if token else ""})
    if answer.url.rstrip("/") != url + side:
        raise SystemExit(f"could not sign in as {username}")
    return session


def _get_paths(routes, prefix: str = "") -> list[str]:
    """GET paths of ``routes``, into included routers (which newer FastAPI keeps as their own objects)."""
    paths = []
    for route in routes:
        if hasattr(route, "original_router"):
            paths += _get_paths(route.original_router.routes, prefix + route.include_context.prefix)
        elif "GET" in (getattr(route, "methods", None) or ()):
            paths.append(prefix + route.path)
    return paths


def _routes(app) -> list[str]:
    return sorted({p for p in _get_paths(app.routes) if not p.startswith(SKIPPED) and p != PORTAL
                   and not p.startswith(PORTAL + "/")}, key=lambda p: ("{" in p, p))


def _pattern(path: str) -> re.Pattern:
    parts = re.split(r"\{[^}]+\}", path)
    return re.compile('href="(' + "[^\"/?#]+".join(re.escape(part) for part in parts) + ')"')


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--home", type=Path, default=REPO_ROOT / "bench" / "out" / "web-pages",
                        help="the stakeholders home (its own Neo4j unless NEO4J_URI is set)")
    parser.add_argument("--no-sync", action="store_true", help="reuse the graph of an earlier run")
    args = parser.parse_args(argv)
    home = args.home.resolve()
    home.mkdir(parents=True, exist_ok=True)
    os.environ["STAKEHOLDERS_HOME"] = str(home)
    if not args.no_sync and stakeholders(["--quiet", "sync", "--manifest", str(SAMPLE_MANIFEST)]) != 0:
        raise SystemExit("the sample did not sync")
    accounts = AccountStore(home)
    for role in ROLES:
        try:
            accounts.add_user(f"bench-{role}", role, PASSWORD)
        except AccountError:
            pass  # there from an earlier run
    store = GraphStore(ensure_graph(home, os.environ))
    url, server, thread = _serve(home, store)
    try:
        sessions = {role: _signed_in(url, f"bench-{role}") for role in ROLES}
        fetched: dict[str, str] = {}
        rows = []
        for route in _routes(server.config.app):
            path = route
            if route in LINKED_QUERIES:
                linked = re.compile(f'href="({re.escape(route)}\\?[^"]+)"')
                found = next((html.unescape(m[1]) for page in fetched.values() for m in linked.finditer(page)), None)
                if found is None:
                    rows.append((route, None, None, "no link to it on the pages fetched"))
                    continue
                path = found
            elif "{" in route:
                found = next((m[1] for html in fetched.values() for m in _pattern(route).finditer(html)), None)
                if found is None:
                    rows.append((route, None, None, "no link to it on the pages fetched"))
                    continue
                path = found
            path += EXAMPLE_QUERIES.get(route, "")
            # the first role the page is for (the control room is an inspector's, an invitation a steward's)
            session = next((s for s in sessions.values()
                            if s.get(url + path, allow_redirects=False).status_code != 403), sessions["spoc"])
            times, status = [], 0
            for _ in range(args.requests):
                started = time.perf_counter()
                answer = session.get(url + path, allow_redirects=False)
                times.append((time.perf_counter() - started) * 1000)
                status = answer.status_code
            fetched[route] = answer.text
            median = statistics.median(times)
            p95 = statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]
            rows.append((path, median, p95, f"HTTP {status}"))
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        store.close()
    print(f"{'page':48} {'median ms':>10} {'p95 ms':>8}  target {TARGET_MS:.0f} ms")
    for path, median, p95, note in rows:
        if median is None:
            print(f"{path:48} {'':>10} {'':>8}  skipped: {note}")
        else:
            verdict = "ok" if p95 <= TARGET_MS else "SLOW"
            print(f"{path[:48]:48} {median:10.1f} {p95:8.1f}  {verdict} ({note}, {args.requests} requests)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
