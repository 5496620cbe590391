"""Graph dumps of independent homes, compared up to the names of the IDs each minted.

Contact and organisation IDs are random, so two homes synced from the same files hold the same graph
under different IDs, and the stamps derived from them differ too: the run fingerprint (a hash of the load
plan, IDs included) and the identity events' IDs (a hash of the run and the ID). `dump_up_to_ids`
renames each of them after what it stands for: an ID after the smallest record it was first given to, a
run as the graph's current one or the one before, an event after its run, kind and ID. Everything else
(properties, relationships, ID numbers, order of minting, duplicates) is compared as it is.
"""

from __future__ import annotations

import re

from graph.neo4j_server.launcher import Neo4jConnection
from graph.store import GraphStore

_ID = re.compile(r"\b[CO]-[0-9A-F]{16}\b")
_HASH = re.compile(r"\b[0-9a-f]{20}(?:[0-9a-f]{44})?\b")
FIRST_EVENTS = ("registered", "minted", "split", "restored")


def id_names(events: list[dict]) -> dict[str, str]:
    """ID -> a name that depends on the records only: its prefix and the smallest ref of its first event."""
    names: dict[str, str] = {}
    for event in sorted(events, key=lambda e: FIRST_EVENTS.index(e["kind"]) if e["kind"] in FIRST_EVENTS else 9):
        if event["kind"] in FIRST_EVENTS and event["entity"] not in names:
            names[event["entity"]] = f"{event['entity'][0]}#{min(event['refs'])}"
    assert len(set(names.values())) == len(names), "two IDs would get one name"
    return names


def dump_up_to_ids(connection: Neo4jConnection, shared_history: bool = False) -> list[str]:
    """``GraphStore.canonical_dump`` with IDs, run stamps and event IDs renamed (module docstring).
    ``shared_history``: the graphs compared grew from one graph, so the runs before the current one are the
    same in both and keep their own stamps (however many there were)."""
    with GraphStore(connection) as store, store.session() as session:
        lines = store.canonical_dump()
        events = session.run("MATCH (ev:IdentityEvent) RETURN ev.id AS id, ev.kind AS kind, "
                             "ev.entity_id AS entity, ev.refs AS refs, ev.run AS run").data()
        current = session.run("MATCH (s:SyncState {name: 'graph'}) RETURN s.fingerprint AS run").data()
    names = id_names(events)
    runs = {row["run"]: "RUN#current" for row in current}
    earlier = {e["run"] for e in events} - set(runs)
    if not shared_history:
        assert len(earlier) <= 1, "more than two runs: their order cannot be told from the graph"
        runs |= {run: "RUN#earlier" for run in earlier}
    hashes = {**runs, **{e["id"]: f"EVENT({runs.get(e['run'], e['run'])}|{e['kind']}|"
                                  f"{names.get(e['entity'], e['entity'])})" for e in events}}
    renamed = (_HASH.sub(lambda m: hashes.get(m[0], m[0]), _ID.sub(lambda m: names.get(m[0], m[0]), line))
               for line in lines)
    return sorted(renamed)
