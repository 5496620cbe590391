"""The cascade audience at scale: `--sector X --sector-leads` and the cascade view over a seeded graph.

    .venv/bin/python -m bench.cascade [--contacts 100000] [--organisations 5000] [--sectors 15] [--requests 30]
                                      [--home bench/out/engagement-record] [--no-seed]

Seeds a throwaway home's graph directly in Neo4j (its own local server unless NEO4J_URI is set, whose graph
is replaced): contacts each working for one of the organisations, the organisations spread over the sectors,
the sectors over three hubs, two leads per sector but for every fifth sector (none), 2% of contacts
restricted, consent to email or SMS at random, a source record per contact, a review pair per 100
contacts (the precautionary holds every non-SPOC audience computes) and a sync fingerprint, as a sync
leaves the graph. Then times, as a messaging user:
the audience as `stakeholders audience --sector X --sector-leads` draws it (checking the filter values, then
the query), its live count, the cascade view's query for one sector and for all as the first view after a
sync runs it, and through the web app the builder's live count, the builder opened from the cascade's "use
as audience" link, and the cascade view for one sector and for all (kept until the next sync once shown:
graph.store ``_kept_per_sync``). Prints the median (held to the 300 ms budget) and 95th percentile of each.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

from accounts.users import AccountError, AccountStore
from graph.audience import AudienceFilter
from graph.cascade import cascade_query
from graph.neo4j_server.launcher import ensure_graph
from graph.store import GraphStore
from services.audience import known_filter

from .web_pages import PASSWORD, TARGET_MS, _serve, _signed_in

REPO_ROOT = Path(__file__).resolve().parents[1]
BATCH = 10_000

SECTORS = """
UNWIND $rows AS row
MERGE (h:Hub {key: row.hub_key}) SET h.name = row.hub
CREATE (s:Sector {key: row.key, name: row.name})
CREATE (s)-[:IN_HUB]->(h)
"""
ORGANISATIONS = """
UNWIND $rows AS row
MATCH (s:Sector {key: row.sector})
CREATE (o:Organisation {id: row.id, name: row.name, names: [row.name], priority_stakeholder: false})
CREATE (o)-[:IN_SECTOR]->(s)
"""
CONTACTS = """
UNWIND $rows AS row
MATCH (o:Organisation {id: row.organisation})
CREATE (c:Contact {id: row.id, name: row.name, email: row.email, emails: [row.email], mobile: row.mobile,
                   mobiles: [row.mobile], consent_email: row.consent_email, consent_sms: row.consent_sms,
                   restricted: row.restricted, priority: 'low', priority_rank: 1, issues: [], categories: ['business'],
                   organisation: o.name, refs: [row.ref], priority_stakeholder: false})
CREATE (c)-[:WORKS_FOR]->(o)
CREATE (:SourceRecord {ref: row.ref, source: 'bench', record_id: row.id, kind: 'contacts'})-[:DESCRIBES]->(c)
"""
LEADS = "UNWIND $rows AS row MATCH (c:Contact {id: row.id}), (s:Sector {key: row.sector}) CREATE (c)-[:LEADS]->(s)"
# as a sync leaves it: what the web app keeps its form's choices and the review twins by
SYNCED = "UNWIND $rows AS row MERGE (s:SyncState {name: 'graph'}) SET s.fingerprint = row.fingerprint"
REVIEW_PAIRS = """
UNWIND $rows AS row
CREATE (:ReviewPair {key: row.ref_a + '|' + row.ref_b, ref_a: row.ref_a, ref_b: row.ref_b, score: 0.8})
"""


def _write(store: GraphStore, query: str, rows: list[dict]) -> None:
    for start in range(0, len(rows), BATCH):
        with store.session() as session:
            session.run(query, rows=rows[start:start + BATCH]).consume()


def seed(store: GraphStore, contacts: int, organisations: int, sectors: int, seed_value: int = 15) -> list[str]:
    """Replace the graph with the cascade's world; the sector keys."""
    rng = random.Random(seed_value)
    with store.session() as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
    store.ensure_schema()
    keys = [f"sector {s}" for s in range(sectors)]
    _write(store, SECTORS, [{"key": key, "name": key.title(), "hub_key": f"hub {s % 3}", "hub": f"Hub {s % 3}"}
                            for s, key in enumerate(keys)])
    _write(store, ORGANISATIONS, [{"id": f"O-{o:016X}", "name": f"Organisation {o}", "sector": keys[o % sectors]}
                                  for o in range(organisations)])
    _write(store, CONTACTS, [
        {"id": f"C-{c:016X}", "name": f"Person {c}", "email": f"person{c}@example.org",
         "mobile": f"+447700{c:06d}", "consent_email": rng.random() < 0.6, "consent_sms": rng.random() < 0.3,
         "restricted": rng.random() < 0.02, "organisation": f"O-{c % organisations:016X}", "ref": f"bench:{c}"}
        for c in range(contacts)])
    # leads: two people of each sector's organisations, but for every fifth sector, which has none
    _write(store, LEADS, [{"id": f"C-{s + k * sectors:016X}", "sector": key} for s, key in enumerate(keys)
                          if s % 5 != 4 for k in (1, 2)])
    _write(store, REVIEW_PAIRS, [{"ref_a": f"bench:{2 * p}", "ref_b": f"bench:{2 * p + 1}"}
                                 for p in range(contacts // 100)])
    _write(store, SYNCED, [{"fingerprint": f"bench-{seed_value}-{contacts}"}])
    return keys


def timed(work: Callable[[], object], requests: int, warm_up: int = 3) -> tuple[float, float, object]:
    """Median and 95th percentile (ms) of ``requests`` calls, after ``warm_up`` untimed ones (query plans)."""
    for _ in range(warm_up):
        work()
    times, result = [], None
    for _ in range(requests):
        started = time.perf_counter()
        result = work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), statistics.quantiles(times, n=20)[-1], result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--organisations", type=int, default=5_000)
    parser.add_argument("--sectors", type=int, default=15)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--home", type=Path, default=REPO_ROOT / "bench" / "out" / "engagement-record",
                        help="a throwaway stakeholders home (its own Neo4j unless NEO4J_URI is set)")
    parser.add_argument("--no-seed", action="store_true", help="reuse the graph of an earlier run")
    args = parser.parse_args(argv)
    home = args.home.resolve()
    home.mkdir(parents=True, exist_ok=True)
    try:
        AccountStore(home).add_user("messaging-bench", "messaging", PASSWORD)
    except AccountError:
        pass  # there from an earlier run
    store = GraphStore(ensure_graph(home, os.environ))
    started = time.perf_counter()
    keys = ([f"sector {s}" for s in range(args.sectors)] if args.no_seed
            else seed(store, args.contacts, args.organisations, args.sectors))
    seeded = time.perf_counter() - started
    sector = keys[0]
    asked = AudienceFilter(sectors=(sector,), sector_leads=True, role="messaging")

    def draw() -> list[dict]:  # what `stakeholders audience --sector X --sector-leads` runs
        return store.audience(known_filter(asked, store))

    def cascade_uncached(sectors: list[str]) -> list[dict]:  # the cascade view's query, before any is kept
        with store.session() as session:
            return session.run(cascade_query("any"), sectors=sectors, spoc=False).data()

    rows = [("audience --sector X --sector-leads", *timed(draw, args.requests)),
            ("its live count (GraphStore.audience_counts)",
             *timed(lambda: store.audience_counts(known_filter(asked, store)), args.requests)),
            ("cascade query, one sector, first after a sync", *timed(lambda: cascade_uncached([sector]),
                                                                      args.requests)),
            ("cascade query, all sectors, first after a sync", *timed(lambda: cascade_uncached([]), args.requests))]
    url, server, thread = _serve(home, store)
    try:
        session = _signed_in(url, "messaging-bench")
        query = urlencode({"sectors": sector, "sector_leads": "on", "channel": "any"})
        for path in (f"/audience/count?{query}", f"/audience?{query}", f"/cascade?{urlencode({'sectors': sector})}",
                     "/cascade"):
            median, p95, answer = timed(lambda p=path: session.get(url + p, allow_redirects=False), args.requests)
            rows.append((f"GET {path}", median, p95, answer))
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        store.close()
    leads = len(rows[0][3])
    print(f"{args.contacts:,} contacts, {args.organisations:,} organisations, {args.sectors} sectors "
          f"(seeded in {seeded:.0f} s); {sector!r} has {leads} reachable lead(s)")
    print(f"{'what':60} {'median ms':>10} {'p95 ms':>8}  target {TARGET_MS:.0f} ms")
    for what, median, p95, result in rows:
        status = f"HTTP {result.status_code}, " if hasattr(result, "status_code") else ""
        verdict = "ok" if median <= TARGET_MS else "SLOW"
        print(f"{what[:60]:60} {median:10.1f} {p95:8.1f}  {verdict} ({status}{args.requests} requests)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
