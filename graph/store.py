"""The graph store: the only module that talks to Neo4j. Every value goes in as a parameter."""

from __future__ import annotations

import json
import logging
import secrets
import threading
import time
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar

import pandas as pd
from neo4j import Driver, GraphDatabase, NotificationMinimumSeverity, RoutingControl
from neo4j.exceptions import (
    AuthError,
    ConnectionPoolError,
    DatabaseUnavailable,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
)

from kernel.errors import StakeholdersError, UnavailableError
from kernel.progress import no_checkpoint, quiet
from resolution.decisions import Decision, decision_order, pair_verdicts
from resolution.resolve import PreviousIdentities

from . import data_subject as subject
from . import profiles
from . import stewardship as steward
from .audience import (
    CHANNELS,
    POSTCODES_IN_BOX,
    POSTCODES_NEAR,
    REVIEW_TWINS,
    AudienceFilter,
    audience_count_query,
    audience_query,
    bounding_box,
    great_circle_m,
    held_contacts,
    pair_holds,
    point_in_polygon,
    shape_recipient,
)
from .cascade import cascade_query
from .engagements import EngagementQueries
from .load_plan import MANAGED_LABELS, MANAGED_RELATIONSHIPS, LoadStep
from .map_data import MapQueries
from .messages import MessageQueries
from .neo4j_server.launcher import Neo4jConnection
from .portal import PortalQueries
from .reports import ReportQueries
from .schema import NODE_KEYS, SCHEMA_STATEMENTS

BATCH_SIZE = 20000  # rows per load transaction: fewer, larger commits load faster (10k-50k)
KEPT_PER_SYNC = 64  # answers kept until the next sync (GraphStore._kept_per_sync)
log = logging.getLogger("stakeholders.graph")
# The driver logs every query's parameters at DEBUG, and those are rows of names, emails and numbers: its
# DEBUG records never leave it, whatever level the application's root logger is set to.
logging.getLogger("neo4j").setLevel(logging.INFO)
# Wall-clock properties, left out of canonical_dump: two runs on the same data differ only in these.
VOLATILE_PROPERTIES: dict[str, tuple[str, ...]] = {
    "SyncState": ("synced_at",), "EntityId": ("minted_at", "ended_at"), "IdentityEvent": ("at",)}


# The audience form's choices, each a subquery returning one list.
_CHOICES = {
    "issues": "MATCH (i:Issue) RETURN collect(DISTINCT i.name)",
    "wards": "MATCH (w:Ward) RETURN collect([w.key, w.name])",
    "categories": "MATCH (c:Contact) UNWIND coalesce(c.categories, []) AS x RETURN collect(DISTINCT x)",
    "groups": "MATCH (g:Group) RETURN collect([g.key, g.name])",
    "sectors": "MATCH (s:Sector) RETURN collect([s.key, s.name])",
    # acronyms a list wrote a group's or sector's name as ("CoLCPA"): accepted as filter values too
    "group_aliases": "MATCH (g:Group) UNWIND coalesce(g.aliases, []) AS a RETURN collect([g.key, a])",
    "sector_aliases": "MATCH (s:Sector) UNWIND coalesce(s.aliases, []) AS a RETURN collect([s.key, a])",
    "mosaic_types": "MATCH (t:MosaicType) RETURN collect(DISTINCT t.code)",
    "mosaic_groups": "MATCH (g:MosaicGroup) RETURN collect(DISTINCT g.code)",
}
AUDIENCE_CHOICES = tuple(_CHOICES)


class GraphUnavailable(UnavailableError, RuntimeError):
    """The graph server cannot be reached or refused our credentials."""


# What the driver raises when the server is down, restarting or unreachable, as opposed to a bad query.
# A query the server refused (a bug, or a limit reached): what a shell reports by its code alone.
QUERY_REFUSED = Neo4jError
UNAVAILABLE = (ServiceUnavailable, SessionExpired, ConnectionPoolError, DatabaseUnavailable, OSError)
T = TypeVar("T")


@dataclass(frozen=True)
class DriverTimeouts:
    """How long (seconds) the driver tries before it gives up on an unreachable server. The driver's
    defaults (30 s to connect, 60 s for a pooled connection, 30 s of retries) suit a nightly sync; a page
    wants to say "not available" within a few seconds instead."""

    connection: float = 30.0  # opening a connection
    acquisition: float = 60.0  # waiting for a connection from the pool (opening one included)
    retry: float = 30.0  # retrying a transaction after a transient failure


# The web app's: a page answers 503 within a few seconds while Neo4j is down.
INTERACTIVE = DriverTimeouts(connection=2.0, acquisition=3.0, retry=1.0)
Locate = Callable[[], Neo4jConnection | None]


class GraphStore(MessageQueries, MapQueries, EngagementQueries, ReportQueries, PortalQueries):
    """``timeouts``: how long to try an unreachable server; ``locate``: where the server is now (None when
    it is not running), asked after the connection is lost, so that a local server restarted on another
    port is found again. By default the same connection."""

    def __init__(self, connection: Neo4jConnection, timeouts: DriverTimeouts = DriverTimeouts(),
                 locate: Locate | None = None) -> None:
        self.connection = connection
        self.database = connection.database
        self._timeouts = timeouts
        self._locate = locate or (lambda: self.connection)
        self._reconnecting = threading.Lock()
        self._lost = False  # the last call found the server unreachable: locate it again before the next
        self._keeping = threading.Lock()
        self._kept: dict[tuple, object] = {}  # what _kept_per_sync keeps for the fingerprint _kept_for
        self._kept_for: str | None = None
        self._driver = self._open(connection)
        try:
            self._driver.verify_connectivity()
        except (ServiceUnavailable, AuthError, OSError, ValueError) as error:
            self._driver.close()
            reason = "authentication failed" if isinstance(error, AuthError) else "not reachable"
            raise GraphUnavailable(f"Neo4j at {connection.uri}: {reason} (check NEO4J_URI, NEO4J_USER, "
                                   "NEO4J_PASSWORD, or unset NEO4J_URI to use the local server)") from None

    def _open(self, connection: Neo4jConnection) -> Driver:
        # notifications off: "label does not exist yet" warnings on a new graph are noise to users
        return GraphDatabase.driver(connection.uri, auth=connection.auth(),
                                    notifications_min_severity=NotificationMinimumSeverity.OFF,
                                    connection_timeout=self._timeouts.connection,
                                    connection_acquisition_timeout=self._timeouts.acquisition,
                                    max_transaction_retry_time=self._timeouts.retry)

    @property
    def driver(self) -> Driver:
        """The driver of the server as last located; after a lost connection, located again first."""
        if self._lost:
            self._relocate()
        return self._driver

    def _relocate(self) -> bool:
        """Look for the server again; True when it is now elsewhere (and the driver points there).
        Raises GraphUnavailable at once when it is known not to be running."""
        with self._reconnecting:
            try:
                found = self._locate()
            except (OSError, ValueError, StakeholdersError) as error:  # e.g. the home's password file gone
                log.info("locating Neo4j failed: %s", type(error).__name__)
                found = None
            if found is None:
                self._lost = True
                raise self._unreachable()
            moved = found != self.connection
            if moved:
                stale, self._driver, self.connection = self._driver, self._open(found), found
                stale.close()
            self._lost = False
            return moved

    def _unreachable(self) -> GraphUnavailable:
        return GraphUnavailable(f"Neo4j at {self.connection.shown_uri} is not reachable just now")

    def _run(self, work: Callable[[Driver], T]) -> T:
        """``work`` on the driver; when the server is unreachable, once more if it has moved (a restart on
        a new port), else GraphUnavailable, quickly, and the next call locates the server again."""
        try:
            return work(self.driver)
        except UNAVAILABLE:
            self._lost = True
        if self._relocate():
            try:
                return work(self._driver)
            except UNAVAILABLE:
                self._lost = True
        raise self._unreachable() from None

    def close(self) -> None:
        self._driver.close()

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _read(self, query: str, **params: object) -> list[dict]:
        result = self._run(lambda driver: driver.execute_query(query, params, database_=self.database,
                                                               routing_=RoutingControl.READ))
        return [record.data() for record in result.records]

    def _write(self, query: str, **params: object) -> list:
        return self._run(lambda driver: driver.execute_query(query, params, database_=self.database)).records

    def ensure_schema(self) -> None:
        for statement in SCHEMA_STATEMENTS:
            self._write(statement)
        self._write("CALL db.awaitIndexes(300)")

    # --- sync -------------------------------------------------------------------------------
    def fingerprint(self) -> str | None:
        rows = self._read("MATCH (s:SyncState {name: $name}) RETURN s.fingerprint AS fp", name="graph")
        return rows[0]["fp"] if rows else None

    def previous_identities(self) -> PreviousIdentities:
        # each as one record of lists: a record per row costs the driver several times as much
        def described(label: str) -> dict[str, str]:
            found = self._read(f"MATCH (r:SourceRecord)-[:DESCRIBES]->(n:{label}) "
                               "RETURN collect(r.ref) AS refs, collect(n.id) AS ids")[0]
            return dict(zip(found["refs"], found["ids"], strict=True))

        known = self._read(steward.KNOWN_IDS)[0]["rows"]
        return PreviousIdentities(contacts=described("Contact"), organisations=described("Organisation"),
                                  known={row[0]: steward.known_id(dict(zip(steward.KNOWN_ID_FIELDS, row, strict=True)))
                                         for row in known})

    def apply(self, plan: list[LoadStep], run: str, progress: Callable[[str], None] = quiet,
              checkpoint: Callable[[], None] = no_checkpoint) -> None:
        """Write every step in batches, then remove what this run did not touch.

        Each batch is its own transaction, so a crash leaves part of the plan written: every statement
        MERGEs on a constrained key and stamps ``sync = run``, so applying the same plan again completes
        it without duplicates, and its sweep then removes what the plan does not hold. The run is not
        recorded as synced here (``mark_synced``): a fingerprint written before the whole load is done
        would make the next sync skip the rest. ``checkpoint`` is called after every committed batch.
        """
        try:
            for step in plan:
                began = time.perf_counter()
                for start in range(0, len(step.rows), BATCH_SIZE):
                    batch = step.rows[start:start + BATCH_SIZE]
                    with self.driver.session(database=self.database) as session:
                        session.execute_write(
                            lambda tx, q=step.statement, b=batch: tx.run(q, rows=b, run=run).consume())
                    checkpoint()
                progress(f"loaded {step.name}: {len(step.rows)} ({time.perf_counter() - began:.1f} s)")
            began = time.perf_counter()
            self._sweep(run)
            progress(f"removed what this sync no longer holds ({time.perf_counter() - began:.1f} s)")
            began = time.perf_counter()
            self.refresh_report_fields()
            progress(f"worked out the reports' figures ({time.perf_counter() - began:.1f} s)")
            checkpoint()
        except (*UNAVAILABLE, GraphUnavailable) as error:
            raise self._load_lost(error) from None

    def _load_lost(self, error: Exception) -> GraphUnavailable:
        return GraphUnavailable(f"Neo4j at {self.connection.uri} stopped answering during the load "
                                f"({type(error).__name__}); sync again once it is back: the next sync "
                                "finishes the interrupted load first")

    def mark_synced(self, run: str) -> None:
        """Record ``run`` as what the graph holds: only once its load and lineage are fully written."""
        self._write("MERGE (s:SyncState {name: $name}) SET s.fingerprint = $run, s.synced_at = datetime()",
                    name="graph", run=run)

    def _sweep(self, run: str) -> None:
        with self.driver.session(database=self.database) as session:
            session.run(
                "MATCH ()-[r]->() WHERE type(r) IN $types AND r.sync <> $run "
                "CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS",
                types=list(MANAGED_RELATIONSHIPS), run=run).consume()
            session.run(
                "MATCH (n) WHERE any(l IN labels(n) WHERE l IN $labels) AND n.sync <> $run "
                "CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS",
                labels=list(MANAGED_LABELS), run=run).consume()

    def lineage_rows(self, lineage: pd.DataFrame, run: str, at: str) -> list[dict]:
        """The registry rows of a sync's identity events, numbered after the IDs the graph holds. Numbered
        once, before the load, so that finishing an interrupted load gives the same numbers."""
        if lineage.empty:
            return []
        last = self._read(steward.LAST_SEQ)[0]["seq"]
        return steward.lineage_rows(lineage, run, at, (last or 0) + 1)

    def write_lineage(self, rows: list[dict], run: str, at: str,
                      checkpoint: Callable[[], None] = no_checkpoint) -> None:
        """Write identity lineage rows (idempotent: an ID keeps the number it was first written with)."""
        try:
            for start in range(0, len(rows), BATCH_SIZE):
                self._write(steward.LINEAGE, rows=rows[start:start + BATCH_SIZE], run=run, at=at)
                checkpoint()
        except (*UNAVAILABLE, GraphUnavailable) as error:
            raise self._load_lost(error) from None

    def canonical_dump(self, ignore: Sequence[str] = ()) -> list[str]:
        """The whole graph as sorted text lines, equal for equal graphs whatever order they were written in.

        One line per node (sorted labels, then its properties) and one per relationship (type, its
        properties, and each end as its label and key property from ``schema.NODE_KEYS``). Volatile
        properties, which differ between two runs on the same data, are left out: ``SyncState.synced_at``,
        ``EntityId.minted_at`` and ``EntityId.ended_at``, and ``IdentityEvent.at`` (wall-clock times).
        The run stamp ``sync`` is kept: it is the load plan's fingerprint, so it is the same for the
        same data. ``ignore``: more property names to leave out everywhere (e.g. ``sync``, to compare the
        content of graphs loaded by different runs). Duplicates show as repeated lines. For tests and
        checks on small graphs: it reads everything at once.
        """
        def text(value: object) -> str:
            return json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)

        def props(labels: list[str], values: dict) -> str:
            volatile = {name for label in labels for name in VOLATILE_PROPERTIES.get(label, ())} | set(ignore)
            return text({k: v for k, v in values.items() if k not in volatile})

        def end(labels: list[str], values: dict) -> str:
            keyed = [f"{label}.{NODE_KEYS[label]}={text(values.get(NODE_KEYS[label]))}"
                     for label in sorted(labels) if label in NODE_KEYS]
            return ",".join(keyed) or f"{':'.join(sorted(labels))}{props(labels, values)}"

        nodes = self._read("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props")
        rels = self._read("MATCH (a)-[r]->(b) RETURN type(r) AS type, properties(r) AS props, "
                          "labels(a) AS a_labels, properties(a) AS a, labels(b) AS b_labels, properties(b) AS b")
        lines = [f"({':'.join(sorted(n['labels']))} {props(n['labels'], n['props'])})" for n in nodes]
        lines += [f"({end(r['a_labels'], r['a'])})-[{r['type']} {props([], r['props'])}]->"
                  f"({end(r['b_labels'], r['b'])})" for r in rels]
        return sorted(lines)

    def counts(self) -> dict[str, int]:
        nodes = self._read("MATCH (n) RETURN count(n) AS n")[0]["n"]
        rels = self._read("MATCH ()-[r]->() RETURN count(r) AS n")[0]["n"]
        by_label = self._read("MATCH (n) UNWIND labels(n) AS label RETURN label, count(*) AS n ORDER BY label")
        return {"nodes": nodes, "relationships": rels, **{r["label"]: r["n"] for r in by_label}}

    # --- exports ----------------------------------------------------------------------------
    def clusters(self) -> Iterator[dict]:
        rows = self._read("""
            MATCH (r:SourceRecord)-[:DESCRIBES]->(n)
            WHERE n:Contact OR n:Organisation
            RETURN CASE WHEN n:Contact THEN 'contact' ELSE 'organisation' END AS entity_type,
                   n.id AS entity_id, r.source AS source, r.record_id AS record_id
            ORDER BY entity_type, entity_id, source, record_id""")
        yield from rows

    def quarantine(self) -> list[dict]:
        return self._read("""
            MATCH (q:QuarantinedRecord)
            RETURN q.source AS source, q.record_id AS record_id, q.reason AS reason
            ORDER BY source, q.row_number, record_id""")

    def sources(self) -> list[dict]:
        return self._read("MATCH (s:Source) RETURN s {.*} AS source ORDER BY s.name")

    # --- stewardship ------------------------------------------------------------------------
    def decisions(self) -> list[Decision]:
        """Every steward decision, revoked ones included, oldest first."""
        found = [steward.decision_from_properties(r["decision"]) for r in self._read(steward.DECISIONS)]
        return sorted(found, key=decision_order)

    def record_decision(self, decision: Decision, request: str | None = None) -> Decision:
        """Store a new decision; returns it with the ID the store gave it. ``request``: the caller's key for
        this one decision (default: a new random one); recording again with the same key stores nothing new
        and returns the decision already stored, as the driver's retry of a lost commit does."""
        params = {"props": steward.decision_properties(decision), "request": request or secrets.token_hex(16)}
        rows = self._write(steward.NEW_DECISION, **params)
        return steward.decision_from_properties(rows[0]["node"])

    def revoke_decision(self, decision_id: str, who: str, at: str, why: str) -> Decision | None:
        """Mark a decision revoked; None when there is no such active decision."""
        rows = self._write(steward.REVOKE_DECISION, id=decision_id, who=who, at=at, why=why)
        return steward.decision_from_properties(rows[0]["decision"]) if rows else None

    def contacts_of_records(self, refs: Sequence[str]) -> dict[str, dict | None]:
        """ref -> {contact_id, refs} of the contact it describes, or None for a ref not in the graph."""
        rows = self._read(steward.RECORDS_CONTACTS, refs=list(refs))
        return {r["ref"]: ({"contact_id": r["contact_id"], "refs": r["refs"]} if r["contact_id"] else None)
                for r in rows}

    def contact(self, contact_id: str) -> dict | None:
        rows = self._read(steward.CONTACT, id=contact_id)
        return rows[0]["contact"] if rows else None

    def organisation(self, organisation_id: str) -> dict | None:
        rows = self._read(steward.ORGANISATION, id=organisation_id)
        return rows[0] if rows else None

    def identity(self, entity_id: str) -> dict | None:
        """The registry entry of an ID (EntityId properties), or None."""
        rows = self._read(steward.IDENTITY, id=entity_id)
        return rows[0]["entity"] if rows else None

    def identity_events(self, entity_id: str) -> list[dict]:
        """Every identity event about the ID or naming it as related, oldest first."""
        return [r["event"] for r in self._read(steward.IDENTITY_EVENTS, id=entity_id)]

    def review_pairs(self) -> list[dict]:
        """The review queue of the last sync, highest score first."""
        return [r["pair"] for r in self._read(steward.REVIEW_PAIRS)]

    def review_queue(self, can_see_restricted: bool) -> list[dict]:
        """The review pairs of the last sync as a role sees them, each with the current contacts of its
        records (id, name, records, issues, priority): for a role that may not see restricted contacts,
        a pair touching one does not exist."""
        return [r["pair"] for r in self._read(steward.REVIEW_QUEUE, spoc=can_see_restricted)]

    def steward_contact(self, contact_id: str, can_see_restricted: bool) -> dict | None:
        """A contact with its field provenance and source records (ref, source, record_id, kind); None
        when there is none, or it is restricted and the role may not see it."""
        rows = self._read(steward.STEWARD_CONTACT, id=contact_id, spoc=can_see_restricted)
        return {**rows[0]["contact"], "records": rows[0]["records"]} if rows else None

    # --- data subjects ----------------------------------------------------------------------
    def subject(self, contact_id: str) -> dict | None:
        """Everything the graph holds about one contact (graph.data_subject.SUBJECT), with its review
        pairs; None when there is no such contact."""
        rows = self._read(subject.SUBJECT, id=contact_id)
        if not rows:
            return None
        found = rows[0]
        refs = [r["ref"] for r in found["records"]]
        found["review_pairs"] = [r["pair"] for r in self._read(subject.SUBJECT_REVIEW_PAIRS, id=contact_id,
                                                                refs=refs)]
        return found

    def shared_identifiers(self, contact_id: str, values: Sequence[str]) -> set[str]:
        """Those of ``values`` (emails, phone numbers) that another contact also holds."""
        return {r["value"] for r in self._read(subject.SHARED_IDENTIFIERS, id=contact_id, values=list(values))}

    def erase_contact(self, contact_id: str, refs: Sequence[str], who: str, at: str) -> dict[str, int]:
        """Remove a contact and what the graph holds of its rows, in one transaction (graph.data_subject).
        Returns counts: records, review_pairs, orphans (organisations and premises), engagement_record
        (engagements and survey answers), decisions."""
        params = {"id": contact_id, "refs": list(refs), "who": who, "at": at}

        def erase(tx) -> dict[str, int]:
            def count(query: str, **extra: object) -> int:
                return tx.run(query, {**params, **extra}).single()["n"]

            places = tx.run(subject.DESCRIBED_PLACES, params).single()["ids"]
            tx.run(subject.ERASE_REPORT_FIGURES, params).consume()
            done = {"review_pairs": count(subject.ERASE_REVIEW_PAIRS), "records": count(subject.ERASE_RECORDS),
                    "orphans": count(subject.ERASE_ORPHANS, ids=places),
                    "engagement_record": count(subject.ERASE_ENGAGEMENT_RECORD),
                    "contact": count(subject.ERASE_CONTACT),
                    "decisions": count(subject.REDACT_DECISIONS, reason="erasure request", blank="(erased)")}
            tx.run(subject.MARK_ERASED, {**params, "event_id": f"erased|{contact_id}"}).consume()
            tx.run(subject.FORGET_FINGERPRINT, name="graph").consume()
            return done

        def in_session(driver: Driver) -> dict[str, int]:
            with driver.session(database=self.database) as session:
                return session.execute_write(erase)

        done = self._run(in_session)
        self.count_for_reports()  # without them, at once: not in a count until the next sync
        return done

    # --- audiences --------------------------------------------------------------------------
    def postcode_location(self, code: str) -> tuple[float, float] | None:
        rows = self._read("MATCH (p:Postcode {code: $code}) WHERE p.latitude IS NOT NULL "
                          "RETURN p.latitude AS lat, p.longitude AS lon", code=code)
        return (rows[0]["lat"], rows[0]["lon"]) if rows else None

    def postcode_area_centre(self, prefix: str) -> tuple[tuple[float, float], int] | None:
        """The mean centroid of the known postcodes starting with ``prefix`` (a sector such as
        "EC2R 8", or a district such as "EC2R "), and how many there are."""
        rows = self._read("MATCH (p:Postcode) WHERE p.code STARTS WITH $prefix AND p.latitude IS NOT NULL "
                          "RETURN avg(p.latitude) AS lat, avg(p.longitude) AS lon, count(p) AS n", prefix=prefix)
        return ((rows[0]["lat"], rows[0]["lon"]), rows[0]["n"]) if rows and rows[0]["n"] else None

    def audience(self, f: AudienceFilter, limit: int | None = None) -> list[dict]:
        """The recipients for ``f`` (the first ``limit``); restricted contacts only when ``f.role`` may see them."""
        f = self._prepared(f)
        query, params = audience_query(f, limit)
        return [shape_recipient(row, f) for row in self._read(query, **params)]

    def audience_counts(self, f: AudienceFilter) -> dict[str, int]:
        """How many recipients ``f`` has and how many of the others it chose are left out, per reason
        (counts only, see ``audience.left_out_reasons``)."""
        query, params = audience_count_query(self._prepared(f))
        return self._read(query, **params)[0]

    def holding_pairs(self) -> set[frozenset[str]]:
        """The review pairs (as frozensets of their two refs) that hold a contact out of some non-SPOC
        audience (``audience.pair_holds``), decided ones included."""
        return {frozenset((r["ref_a"], r["ref_b"])) for r in self._review_twins() if pair_holds(r)}

    def _review_twins(self) -> list[dict]:
        """REVIEW_TWINS' rows: the review pairs and the consents and restrictions they compare are written by
        syncs alone. Steward decisions are not among them: a decision lifts a hold at once."""
        return self._kept_per_sync(("review twins",), lambda: self._read(REVIEW_TWINS))

    def _kept_per_sync(self, key: tuple, read: Callable[[], T]) -> T:
        """``read()``, kept under ``key`` until the graph's sync fingerprint changes: for what only a sync
        writes. Nothing is kept while the graph has no fingerprint (an erasure clears it)."""
        fingerprint = self.fingerprint()
        with self._keeping:
            if fingerprint is None or fingerprint != self._kept_for:
                self._kept, self._kept_for = {}, fingerprint
            if key in self._kept:
                return self._kept[key]
        value = read()
        with self._keeping:
            if fingerprint is not None and self._kept_for == fingerprint and len(self._kept) < KEPT_PER_SYNC:
                self._kept[key] = value
        return value

    def _prepared(self, f: AudienceFilter) -> AudienceFilter:
        """``f`` with the postcodes inside its radius and its polygon filled in, and the contacts it holds
        back for a steward's review (``audience.held_contacts``)."""
        if f.role != "spoc":
            decided = set(pair_verdicts(self.decisions()))
            f = AudienceFilter(**{**f.__dict__, "held_contacts": held_contacts(self._review_twins(), decided, f)})
        if f.near is not None:
            lat, lon = f.near
            candidates = self._read(POSTCODES_NEAR, lat=lat, lon=lon, radius=float(f.radius_m or 0))
            inside = tuple(sorted(c["code"] for c in candidates
                                  if great_circle_m(lat, lon, c["latitude"], c["longitude"]) <= f.radius_m))
            f = AudienceFilter(**{**f.__dict__, "postcodes_in_radius": inside})
        if f.polygon:
            candidates = self._read(POSTCODES_IN_BOX, **bounding_box(f.polygon))
            inside = tuple(sorted(c["code"] for c in candidates
                                  if point_in_polygon(c["latitude"], c["longitude"], f.polygon)))
            f = AudienceFilter(**{**f.__dict__, "postcodes_in_polygon": inside})
        return f

    def audience_choices(self, kinds: Collection[str] = AUDIENCE_CHOICES) -> dict[str, list]:
        """The issues, wards, groups and sectors (key and name), categories and Mosaic codes the graph holds:
        the audience form's choices. ``kinds``: only these of them (checking a filter's values needs one or two,
        and categories are read from every contact)."""
        wanted = [kind for kind in AUDIENCE_CHOICES if kind in kinds]
        if not wanted:
            return {}
        row = self._read("\n".join(f"CALL () {{ {_CHOICES[kind]} AS {kind} }}" for kind in wanted)
                         + "\nRETURN " + ", ".join(wanted))[0]
        by_name = {"key": lambda pair: pair[1] or pair[0]}
        return {kind: sorted(row[kind], **(by_name if kind in ("wards", "groups", "sectors") else {}))
                for kind in wanted}

    def cascade(self, sectors: Sequence[str], channel: str, can_see_restricted: bool) -> list[dict]:
        """The cascade through ``sectors`` (every sector when empty) on ``channel``: graph.cascade's rows."""
        if channel not in CHANNELS:
            raise ValueError(f"channel {channel!r}: one of {', '.join(CHANNELS)}")
        chosen = sorted(set(sectors))
        # sectors, leads, organisations, people and their consents: all written by syncs
        return self._kept_per_sync(("cascade", tuple(chosen), channel, can_see_restricted),
                                   lambda: self._read(cascade_query(channel), sectors=chosen, spoc=can_see_restricted))

    def postcode_map(self) -> list[dict]:
        """Every postcode with a centroid: code, latitude, longitude and ward name (or "")."""
        return self._read("""
            MATCH (p:Postcode) WHERE p.latitude IS NOT NULL
            OPTIONAL MATCH (p)-[:IN_WARD]->(w:Ward)
            WITH p, min(w.name) AS ward
            RETURN p.code AS code, p.latitude AS latitude, p.longitude AS longitude, coalesce(ward, '') AS ward
            ORDER BY code""")

    def save_audience(self, name: str, filters: str, who: str, at: str) -> str:
        """Keep an audience's filters (JSON) under ``name``, replacing an earlier one of that name only when
        ``who`` saved it: a saved audience belongs to its author. Returns the author of the audience now
        under ``name`` (not ``who`` when someone else's was kept). Saved audiences are not sync-managed,
        so a sync leaves them alone."""
        rows = self.driver.execute_query("""
            MERGE (s:SavedAudience {name: $name})
            ON CREATE SET s.who = $who
            WITH s
            CALL (s) { WITH s WHERE s.who = $who SET s.filters = $filters, s.at = $at }
            RETURN s.who AS who""", {"name": name, "filters": filters, "who": who, "at": at},
            database_=self.database).records
        return rows[0]["who"]

    def saved_audiences(self) -> list[dict]:
        return self._read("MATCH (s:SavedAudience) RETURN s.name AS name, s.filters AS filters, s.who AS who, "
                          "s.at AS at ORDER BY name")

    # --- pages of the web app: restricted contacts are filtered in the query -------------------
    def contact_visible(self, contact_id: str, can_see_restricted: bool) -> bool:
        return bool(self._read(profiles.CONTACT_VISIBLE, id=contact_id, restricted_ok=can_see_restricted))

    def search_contacts(self, text: str, can_see_restricted: bool, limit: int = 100) -> list[dict]:
        return [r["contact"] for r in self._read(profiles.CONTACT_SEARCH, text=text.strip().lower(),
                                                  restricted_ok=can_see_restricted, limit=limit)]

    def search_organisations(self, text: str, can_see_restricted: bool, limit: int = 100) -> list[dict]:
        """Organisations by name or ID, each with how many of its people the role may see."""
        return [r["organisation"] for r in self._read(profiles.ORGANISATION_SEARCH, text=text.strip().lower(),
                                                       restricted_ok=can_see_restricted, limit=limit)]

    def visible_contact_ids(self, ids: Sequence[str], can_see_restricted: bool) -> list[str]:
        """Those of ``ids`` that are contacts the role may see, in the order given."""
        found = {r["id"] for r in self._read(profiles.CONTACTS_VISIBLE, ids=list(ids),
                                             restricted_ok=can_see_restricted)}
        return [i for i in ids if i in found]

    def organisation_profile(self, organisation_id: str, can_see_restricted: bool) -> dict | None:
        rows = self._read(profiles.ORGANISATION, id=organisation_id, restricted_ok=can_see_restricted)
        return rows[0] if rows else None

    def merged_rows_per_source(self) -> dict[str, int]:
        return {r["source"]: r["merged"] for r in self._read(profiles.MERGED_ROWS_PER_SOURCE)}

    def quarantined_rows(self, source: str = "") -> list[dict]:
        """Quarantined rows (ids, row numbers and reasons only) of one source, or of all with ``""``."""
        return self._read(profiles.QUARANTINED_ROWS, source=source)

    @contextmanager
    def session(self):  # for tests and tools that need raw access
        with self.driver.session(database=self.database) as session:
            yield session
