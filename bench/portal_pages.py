"""Portal page timings at scale: each stakeholder portal page, and the police pages fed by it, over a graph of
1,000 organisations and 100,000 contacts.

    .venv/bin/python -m bench.portal_pages [--contacts 100000] [--organisations 1000] [--requests 30]
                                           [--home bench/out/portal-pages] [--no-seed]

Seeds a throwaway home's graph directly in Neo4j as bench.cascade does (its own local server unless NEO4J_URI
is set, whose graph is replaced): the contacts spread evenly over the organisations (100 each at the default
sizes), plus a premises per organisation and the directorates. Then the portal store of the home: one
organisation's stakeholder keeps a staff list (``--entries``, half of them corrections of people the graph
holds), asks questions and reports events; ``--others`` other organisations ask a question and report an
event each, for the SPOCs' queue and the control room. The stakeholder is invited and redeems the link as
in the app. Serves the web app on loopback and times, after three untimed requests (Neo4j plans each query
the first time it meets it), the portal's pages as that stakeholder, the SPOCs' question queue as a SPOC and
the control room as an inspector. Prints the median (held to the 300 ms budget) and the 95th percentile.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

from accounts.users import AccountError, AccountStore
from graph.neo4j_server.launcher import ensure_graph
from graph.store import GraphStore
from portal import forms
from portal.store import FILE_NAME, PortalStore, RateLimits
from services import portal_invites
from services.installation import Installation

from .cascade import _write, seed, timed
from .web_pages import PASSWORD, TARGET_MS, _serve, _signed_in

REPO_ROOT = Path(__file__).resolve().parents[1]
STAKEHOLDER = "portal-bench"
POLICE = {"spoc": "spoc-bench", "inspector": "inspector-bench"}
PREMISES = """
UNWIND $rows AS row
MATCH (o:Organisation {id: row.organisation})
CREATE (p:Premises {id: row.id, name: row.name, address_line_1: row.address, postcode: row.postcode})
CREATE (o)-[:OCCUPIES]->(p)
"""
DIRECTORATES = "UNWIND $rows AS row MERGE (:Directorate {name: row.name})"
UNLIMITED = RateLimits(changes_per_hour=10**9, posts_per_hour=10**9)


def organisation_id(number: int) -> str:
    return f"O-{number:016X}"  # as bench.cascade.seed names them


def seed_graph(store: GraphStore, contacts: int, organisations: int) -> None:
    seed(store, contacts, organisations, sectors=15)
    _write(store, PREMISES, [{"organisation": organisation_id(o), "id": f"P-{o:016X}", "name": f"Building {o}",
                              "address": f"{o} Cheapside", "postcode": "EC2V 6DN"} for o in range(organisations)])
    _write(store, DIRECTORATES, [{"name": name} for name in ("Economic Crime", "Counter Terrorism", "Roads")])


def seed_portal(home: Path, contacts: int, organisations: int, entries: int, questions: int, reports: int,
                others: int) -> PortalStore:
    """A fresh portal store: the first organisation's list, questions and reports, and one question and one
    report of each of ``others`` more organisations."""
    (home / FILE_NAME).unlink(missing_ok=True)
    portal = PortalStore(home, UNLIMITED)
    own = organisation_id(0)
    # the first organisation's people are contacts 0, organisations, 2 * organisations... (bench.cascade.seed)
    people = list(range(0, contacts, organisations))
    for n in range(entries):
        cells = forms.check_person({"full_name": f"Staff Member {n}", "job_title": "Clerk",
                                    "email": f"staff{n}@portal-bench.example", "consent_email": "yes"})
        if n % 2 and n // 2 < len(people):  # a correction of a person the graph holds
            c = people[n // 2]
            portal.add_staff(own, STAKEHOLDER, [cells], contact_id=f"C-{c:016X}", known_ref=f"bench:{c}")
        else:
            portal.add_staff(own, STAKEHOLDER, [cells])
    now = dt.datetime.now(dt.UTC)
    asking = [own] * questions + [organisation_id(o) for o in range(1, min(others + 1, organisations))]
    for n, organisation in enumerate(asking):
        portal.ask(organisation, STAKEHOLDER, {"subject": f"Question {n}", "text": f"What about {n}?",
                                               "issue": "", "directorate": ""})
    reporting = [own] * reports + [organisation_id(o) for o in range(1, min(others + 1, organisations))]
    for n, organisation in enumerate(reporting):
        portal.report(organisation, STAKEHOLDER, {
            "what": f"Event {n} at the front entrance", "postcode": "", "latitude": 51.515 + n * 1e-5,
            "longitude": -0.09, "occurred_at": (now - dt.timedelta(minutes=n)).isoformat()})
    return portal


def add_users(installation: Installation) -> None:
    accounts = AccountStore(installation.home)
    for role, username in POLICE.items():
        try:
            accounts.add_user(username, role, PASSWORD)
        except AccountError:
            pass  # there from an earlier run
    if accounts.user(STAKEHOLDER) is None:
        made = portal_invites.invite(installation, "steward-bench", organisation_id(0), STAKEHOLDER)
        portal_invites.accept(installation, made.link.rsplit("/", 1)[1], PASSWORD, PASSWORD)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--organisations", type=int, default=1_000)
    parser.add_argument("--entries", type=int, default=60, help="the stakeholder's staff entries")
    parser.add_argument("--questions", type=int, default=20, help="the stakeholder's questions")
    parser.add_argument("--reports", type=int, default=20, help="the stakeholder's event reports")
    parser.add_argument("--others", type=int, default=300, help="organisations with a question and a report each")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--home", type=Path, default=REPO_ROOT / "bench" / "out" / "portal-pages",
                        help="a throwaway stakeholders home (its own Neo4j unless NEO4J_URI is set)")
    parser.add_argument("--no-seed", action="store_true", help="reuse the graph and portal store of an earlier run")
    args = parser.parse_args(argv)
    home = args.home.resolve()
    home.mkdir(parents=True, exist_ok=True)
    store = GraphStore(ensure_graph(home, os.environ))
    started = time.perf_counter()
    if not args.no_seed:
        seed_graph(store, args.contacts, args.organisations)
        seed_portal(home, args.contacts, args.organisations, args.entries, args.questions, args.reports, args.others)
    seeded = time.perf_counter() - started
    add_users(Installation(home=home, connect=lambda: store))
    portal = PortalStore(home)
    own = organisation_id(0)
    entry = portal.staff(own)[0].entry_id
    # who, page, and what it must show (else the timing is of the wrong page)
    pages = [("stakeholder", "/portal", "Organisation 0"), ("stakeholder", "/portal/staff", "Staff Member 0"),
             ("stakeholder", f"/portal/staff/C-{0:016X}", "Person 0"),
             ("stakeholder", f"/portal/staff/{entry}", "Staff Member 0"),
             ("stakeholder", "/portal/questions", "Question 0"), ("stakeholder", "/portal/reports", "Event 0 "),
             ("spoc", "/questions", "Organisation 1<"), ("inspector", "/control-room", "at the front entrance"),
             ("inspector", "/control-room/latest", "R-")]
    url, server, thread = _serve(home, store)
    rows = []
    try:
        sessions = {"stakeholder": _signed_in(url, STAKEHOLDER, "/portal"),
                    **{role: _signed_in(url, username) for role, username in POLICE.items()}}
        for who, path, shown in pages:
            session = sessions[who]
            median, p95, answer = timed(lambda p=path, s=session: s.get(url + p, allow_redirects=False),
                                        args.requests)
            if shown not in answer.text:
                raise SystemExit(f"{path}: the page does not show {shown!r} (HTTP {answer.status_code})")
            rows.append((f"{path} ({who})", median, p95, answer.status_code))
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        store.close()
    people = args.contacts // args.organisations
    print(f"{args.contacts:,} contacts, {args.organisations:,} organisations ({people} people each; seeded in "
          f"{seeded:.0f} s); "
          f"{own}: {len(portal.staff(own))} staff entries, {len(portal.questions(own))} questions, "
          f"{len(portal.event_reports(own))} event reports; {len(portal.questions())} questions and "
          f"{len(portal.event_reports(limit=10**6))} reports in all")
    print(f"{'page':48} {'median ms':>10} {'p95 ms':>8}  target {TARGET_MS:.0f} ms")
    for what, median, p95, status in rows:
        verdict = "ok" if median <= TARGET_MS else "SLOW"  # the budget is the median's; p95 shows the noise
        print(f"{what[:48]:48} {median:10.1f} {p95:8.1f}  {verdict} (HTTP {status}, {args.requests} requests)")
    return 0 if all(status == 200 for *_, status in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
