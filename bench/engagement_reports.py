"""The engagement reports at size: 100,000 contacts, 1,000,000 engagements and 50,000 survey responses
written straight into a throwaway graph (no sync), then the report queries timed against the web's 300 ms
page budget.

    .venv/bin/python -m bench.engagement_reports                  # seeds bench/out/engagement-reports
    .venv/bin/python -m bench.engagement_reports --reuse          # the graph of an earlier run
    .venv/bin/python -m bench.engagement_reports --contacts 20000 --engagements 200000 --surveys 10000
    NEO4J_URI=bolt://127.0.0.1:7687 .venv/bin/python -m bench.engagement_reports   # that graph is emptied first

What is timed is the use case the CLI and the pages call (services.reports): the store's query and the
arithmetic over its counts, median of ``--runs`` runs after one warm-up run. The seeded graph is shaped
like a sync's: wards, postcodes, directorates, sectors, organisations, groups (some priority), contacts
with categories, directorates, places, employers and memberships (2% restricted), engagements with
contacts (85%) and organisations over three and a half years, survey responses over the last year (10%
anonymous). Contacts carry the thirty properties a sync writes (their field provenance ~2.5 kB of JSON), as
heavy as the real ones. The data is random with a fixed seed; nothing in it is about anyone.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from graph.neo4j_server.launcher import LocalNeo4j, connection_from_env, ensure_graph
from graph.store import GraphStore
from services import reports

OUT = Path(__file__).resolve().parent / "out" / "engagement-reports"
TARGET_MS = 300.0
BATCH = 10_000
FIRST_DAY = dt.date(2023, 1, 1)
LAST_DAY = dt.date(2026, 6, 30)  # the as-of date of the timed reports: the newest engagement's day
CATEGORIES = ("business", "resident", "partner_agency", "police", "voluntary_group", "other")
DIRECTORATES = ("Economic Crime", "Counter Terrorism", "Neighbourhood Policing", "Roads Policing", "Cyber",
                "Partnerships")
TYPES = ("meeting", "call", "briefing", "visit", "email", "newsletter", "event", "other")


def _batches(rows: list[dict]) -> Iterator[list[dict]]:
    for start in range(0, len(rows), BATCH):
        yield rows[start:start + BATCH]


def _day(rng: random.Random, first: dt.date, last: dt.date) -> str:
    return (first + dt.timedelta(days=rng.randrange((last - first).days + 1))).isoformat()


def _as_synced(i: int) -> dict:
    """The rest of what a sync writes on a contact (30 properties, the field provenance ~2.5 kB of JSON):
    a report reads a few of them, and a node's properties are read along its chain of property records."""
    email, mobile = f"person{i}@example.co.uk", f"+447700{i:06d}"
    provenance = json.dumps({field: {"value": f"value of {field}", "rule": "chosen by the rules: most recent",
                                     "source": f"ecd:E{i}", "alternatives": [{"value": "older", "refs": [f"ct:{i}"]}]}
                             for field in ("name", "first_name", "last_name", "email", "mobile", "phone", "job_title",
                                           "organisation", "priority", "categories", "issues", "consent_email",
                                           "consent_sms", "restricted", "postcodes", "directorates")})
    return {"title": "", "first_name": "Person", "last_name": str(i), "job_title": "Security manager",
            "email": email, "mobile": mobile, "phone": "+442076012222", "emails": [email], "mobiles": [mobile],
            "phones": ["+442076012222"], "priority": "medium", "priority_rank": 2, "issues": ["protest", "fraud"],
            "consent_email": True, "consent_email_source": f"ecd:E{i}", "consent_email_at": "2025-04-01",
            "consent_sms": False, "consent_sms_source": "", "consent_sms_at": "", "refs": [f"ecd:E{i}", f"ct:{i}"],
            "last_contacted": "2025-04-01", "field_provenance": provenance, "sync": "bench"}


def seed(store: GraphStore, contacts: int, engagements: int, surveys: int, say: Callable[[str], None]) -> float:
    """A graph shaped like a sync's, written in UNWIND batches of ``BATCH`` rows, then what the load works out
    for the reports; returns the seconds that took."""
    rng = random.Random(12)
    organisations = max(contacts // 10, 1)
    run = store._write

    say("reference nodes")
    run("UNWIND range(0, 24) AS i CREATE (:Ward {key: 'ward ' + i, name: 'Ward ' + i})")
    run("UNWIND range(0, 1999) AS i MATCH (w:Ward {key: 'ward ' + (i % 25)}) "
        "CREATE (:Postcode {code: 'EC' + i})-[:IN_WARD]->(w)")
    run("UNWIND $names AS name CREATE (:Directorate {name: name})", names=list(DIRECTORATES))
    run("UNWIND range(0, 2) AS i CREATE (:Hub {key: 'hub ' + i, name: 'Hub ' + i})")
    run("UNWIND range(0, 11) AS i MATCH (h:Hub {key: 'hub ' + (i % 3)}) "
        "CREATE (:Sector {key: 'sector ' + i, name: 'Sector ' + i})-[:IN_HUB]->(h)")
    run("UNWIND range(0, 39) AS i CREATE (:Group {key: 'group ' + i, name: 'Group ' + i, "
        "priority_stakeholder: i < 10})")

    say(f"{organisations:,} organisations")
    rows = [{"id": f"O-{i:016X}", "name": f"Organisation {i}", "sector": f"sector {rng.randrange(12)}",
             "in_sector": rng.random() < 0.7, "group": f"group {rng.randrange(40)}",
             "member": rng.random() < 0.05} for i in range(organisations)]
    for batch in _batches(rows):
        run("""UNWIND $rows AS row
               CREATE (o:Organisation {id: row.id, name: row.name, names: [row.name], priority_stakeholder: false})
               WITH o, row WHERE row.in_sector
               MATCH (s:Sector {key: row.sector}) CREATE (o)-[:IN_SECTOR]->(s)""", rows=batch)
    for batch in _batches([r for r in rows if r["member"]]):
        run("""UNWIND $rows AS row MATCH (o:Organisation {id: row.id}) MATCH (g:Group {key: row.group})
               CREATE (o)-[:MEMBER_OF {priority_stakeholder: g.priority_stakeholder}]->(g)
               SET o.priority_stakeholder = o.priority_stakeholder OR g.priority_stakeholder""", rows=batch)

    say(f"{contacts:,} contacts")
    rows = []
    for i in range(contacts):
        employer = rng.randrange(organisations) if rng.random() < 0.8 else None
        rows.append({
            "id": f"C-{i:016X}", "name": f"Person {i}", "restricted": rng.random() < 0.02, "props": _as_synced(i),
            "categories": rng.sample(CATEGORIES, 2 if rng.random() < 0.1 else 1),
            "directorates": rng.sample(DIRECTORATES, 2 if rng.random() < 0.3 else 1),
            "postcodes": [f"EC{rng.randrange(2000)}" for _ in range(2 if rng.random() < 0.3 else 1)],
            "organisation": f"O-{employer:016X}" if employer is not None else "",
            "group": f"group {rng.randrange(40)}" if rng.random() < 0.05 else ""})
    for batch in _batches(rows):
        run("""UNWIND $rows AS row
               CREATE (c:Contact {id: row.id, name: row.name, restricted: row.restricted,
                                  categories: row.categories, directorates: row.directorates,
                                  priority_stakeholder: false})
               SET c += row.props
               WITH c, row
               CALL (c, row) { UNWIND row.directorates AS name MATCH (d:Directorate {name: name})
                               CREATE (c)-[:KNOWN_TO]->(d) }
               CALL (c, row) { UNWIND row.postcodes AS code MATCH (p:Postcode {code: code})
                               MERGE (c)-[:LOCATED_IN]->(p) }
               CALL (c, row) { WITH c, row WHERE row.organisation <> ''
                               MATCH (o:Organisation {id: row.organisation})
                               CREATE (c)-[:WORKS_FOR]->(o)
                               SET c.organisation = o.name, c.priority_stakeholder = o.priority_stakeholder }
               CALL (c, row) { WITH c, row WHERE row.group <> '' MATCH (g:Group {key: row.group})
                               CREATE (c)-[:MEMBER_OF {priority_stakeholder: g.priority_stakeholder}]->(g)
                               SET c.priority_stakeholder = c.priority_stakeholder OR g.priority_stakeholder }""",
            rows=batch)

    say(f"{engagements:,} engagements")
    # some people are met far more often than others: a skewed pick, like a real diary
    weights = [rng.paretovariate(1.2) for _ in range(contacts)]
    people = rng.choices(range(contacts), weights=weights, k=engagements)
    for start in range(0, engagements, BATCH):
        batch = []
        for n in range(start, min(start + BATCH, engagements)):
            to_contact = rng.random() < 0.85
            batch.append({
                "ref": f"diary:E{n}", "date": _day(rng, FIRST_DAY, LAST_DAY), "type": rng.choice(TYPES),
                "officer": f"PC {rng.randrange(300)}", "directorate": rng.choice(DIRECTORATES),
                "contact_id": f"C-{people[n]:016X}" if to_contact else "",
                "organisation_id": "" if to_contact else f"O-{rng.randrange(organisations):016X}"})
        run("""UNWIND $rows AS row
               CREATE (e:Engagement {ref: row.ref, date: row.date, type: row.type, officer: row.officer,
                                     directorate: row.directorate, subject: '', issues: [], notes: '',
                                     contact_id: row.contact_id, organisation_id: row.organisation_id,
                                     origin: 'source'})
               WITH e, row
               CALL (e, row) { WITH e, row WHERE row.contact_id <> ''
                               MATCH (c:Contact {id: row.contact_id}) CREATE (e)-[:ENGAGED]->(c) }
               CALL (e, row) { WITH e, row WHERE row.organisation_id <> ''
                               MATCH (o:Organisation {id: row.organisation_id}) CREATE (e)-[:ENGAGED]->(o) }
               CALL (e, row) { MATCH (d:Directorate {name: row.directorate}) CREATE (e)-[:BY_DIRECTORATE]->(d) }""",
            rows=batch)
        if (start // BATCH) % 20 == 19:
            say(f"  {start + BATCH:,}")

    say(f"{surveys:,} survey responses")
    rows = []
    for n in range(surveys):
        anonymous = rng.random() < 0.1
        rows.append({"ref": f"surveys:S{n}", "date": _day(rng, LAST_DAY - dt.timedelta(days=364), LAST_DAY),
                     "score": rng.choices((1, 2, 3, 4, 5), weights=(1, 2, 3, 5, 4))[0],
                     "contact_id": "" if anonymous else f"C-{rng.randrange(contacts):016X}"})
    for batch in _batches(rows):
        run("""UNWIND $rows AS row
               CREATE (r:SurveyResponse {ref: row.ref, date: row.date, score: row.score, question: 'How satisfied',
                                         comment: '', message_id: '', contact_id: row.contact_id,
                                         organisation_id: '', anonymous: row.contact_id = ''})
               WITH r, row WHERE row.contact_id <> ''
               MATCH (c:Contact {id: row.contact_id}) CREATE (r)-[:RESPONDED_BY]->(c)""", rows=batch)
    say("what the load works out after its sweep (graph.reports.refresh_report_fields)")
    started = time.perf_counter()
    store.refresh_report_fields()
    return time.perf_counter() - started


def _median_ms(work: Callable[[], object], runs: int) -> tuple[float, float]:
    work()  # warm-up: the plan cached, the pages in memory
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), max(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--engagements", type=int, default=1_000_000)
    parser.add_argument("--surveys", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--home", type=Path, default=OUT / "home")
    parser.add_argument("--reuse", action="store_true", help="time the graph an earlier run seeded")
    args = parser.parse_args(argv)

    def say(message: str) -> None:
        print(f"· {message}", file=sys.stderr, flush=True)

    home, own_server = args.home.resolve(), connection_from_env(os.environ) is not None
    if not args.reuse and home.exists() and not own_server:
        LocalNeo4j(home, os.environ).stop(progress=lambda m: None)  # a throwaway home: started afresh
        shutil.rmtree(home)
    home.mkdir(parents=True, exist_ok=True)
    store = GraphStore(ensure_graph(home, os.environ, progress=say))
    try:
        if not args.reuse and own_server:
            say("NEO4J_URI is set: emptying that graph first")
            with store.session() as session:
                session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
        store.ensure_schema()
        refresh = None
        if not args.reuse:
            started = time.perf_counter()
            refresh = seed(store, args.contacts, args.engagements, args.surveys, say)
            say(f"seeded in {time.perf_counter() - started:.0f} s")
        counts = store._read("CALL () { MATCH (c:Contact) RETURN count(*) AS contacts } "
                             "CALL () { MATCH (e:Engagement) RETURN count(*) AS engagements } "
                             "CALL () { MATCH (r:SurveyResponse) RETURN count(*) AS surveys } "
                             "RETURN contacts, engagements, surveys")[0]
        as_of, past = LAST_DAY, LAST_DAY - dt.timedelta(days=180)
        timed = [
            ("coverage, everyone, as of the newest day",
             lambda: reports.coverage_report(store, reports.CoverageAsked(as_of=as_of), False)),
            ("coverage by ward", lambda: reports.coverage_report(
                store, reports.CoverageAsked(group_by="ward", as_of=as_of), False)),
            ("coverage by directorate", lambda: reports.coverage_report(
                store, reports.CoverageAsked(group_by="directorate", as_of=as_of), False)),
            ("coverage by group", lambda: reports.coverage_report(
                store, reports.CoverageAsked(group_by="group", as_of=as_of), False)),
            ("coverage, as of 180 days earlier", lambda: reports.coverage_report(
                store, reports.CoverageAsked(as_of=past), False)),
            ("neglected priority stakeholders (90 days)", lambda: reports.neglected_priority(
                store, reports.NeglectAsked(as_of=as_of), False)),
            ("satisfaction by month", lambda: reports.satisfaction_report(
                store, reports.SatisfactionAsked(by="month"), False)),
            ("satisfaction by week and directorate", lambda: reports.satisfaction_report(
                store, reports.SatisfactionAsked(by="week", group_by="directorate"), False)),
            ("satisfaction by month and ward", lambda: reports.satisfaction_report(
                store, reports.SatisfactionAsked(by="month", group_by="ward"), False)),
            # what one page asks: the engagement page both of its lists, a grouped satisfaction page the overall
            # figures for its charts too
            ("engagement page: coverage by ward + neglected", lambda: (
                reports.coverage_report(store, reports.CoverageAsked(group_by="ward", as_of=as_of), False),
                reports.neglected_priority(store, reports.NeglectAsked(as_of=as_of), False))),
            ("satisfaction page: by week and ward + overall", lambda: (
                reports.satisfaction_report(store, reports.SatisfactionAsked(by="week", group_by="ward"), False),
                reports.satisfaction_report(store, reports.SatisfactionAsked(by="week"), False))),
        ]
        results = [(name, *_median_ms(work, args.runs)) for name, work in timed]
    finally:
        store.close()
    print(f"graph: {counts['contacts']:,} contacts, {counts['engagements']:,} engagements, "
          f"{counts['surveys']:,} survey responses")
    if refresh is not None:
        print(f"what each load works out for the reports (after its sweep): {refresh:.1f} s")
    print(f"{'report (use case: query and arithmetic)':50} {'median ms':>10} {'max ms':>8}  "
          f"budget {TARGET_MS:.0f} ms")
    for name, median, worst in results:
        verdict = "ok" if median <= TARGET_MS else "SLOW"
        print(f"{name:50} {median:10.1f} {worst:8.1f}  {verdict} ({args.runs} runs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
