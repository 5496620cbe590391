"""A graph and home as a real sync of a manifest left them, made once per test session and handed to every
module that starts from that manifest.

The first module to ask syncs the manifest for real (the `stakeholders sync` command, in-process) into an
emptied graph and a template home; the graph is then read back, node by node and relationship by
relationship, exactly as stored. Each later module gets the graph written back as it was (same labels,
properties, relationships) and a copy of the template home (its staged batches, run history, audit log):
the state a sync of the same files leaves, without paying for the sync again. Every module still writes to
its own copy of the home and to a graph no other module left anything in.
"""

from __future__ import annotations

import shutil
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from neo4j import Driver

from accounts.users import AccountStore

WIPE = "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
_BATCH = 5000


@dataclass(frozen=True)
class GraphCopy:
    nodes: dict[tuple[str, ...], list[dict]]  # label set -> [{"key": element id, "props": {...}}]
    relationships: dict[str, list[dict]]  # type -> [{"a": element id, "b": element id, "props": {...}}]


def _name(text: str) -> str:
    # labels and types come from the graph itself; quoted all the same
    return "`" + text.replace("`", "``") + "`"


def read_graph(driver: Driver, database: str) -> GraphCopy:
    nodes: dict[tuple[str, ...], list[dict]] = defaultdict(list)
    relationships: dict[str, list[dict]] = defaultdict(list)
    with driver.session(database=database) as session:
        for row in session.run("MATCH (n) RETURN elementId(n) AS key, labels(n) AS labels, properties(n) AS props"):
            nodes[tuple(sorted(row["labels"]))].append({"key": row["key"], "props": row["props"]})
        for row in session.run("MATCH (a)-[r]->(b) RETURN elementId(a) AS a, elementId(b) AS b, type(r) AS type, "
                               "properties(r) AS props"):
            relationships[row["type"]].append({"a": row["a"], "b": row["b"], "props": row["props"]})
    return GraphCopy(dict(nodes), dict(relationships))


def write_graph(driver: Driver, database: str, copy: GraphCopy) -> None:
    """Write ``copy`` into an empty graph (its constraints and indexes are the schema's, left in place)."""
    new_key: dict[str, str] = {}
    with driver.session(database=database) as session:
        for labels, rows in copy.nodes.items():
            label_text = "".join(f":{_name(label)}" for label in labels)
            for start in range(0, len(rows), _BATCH):
                part = rows[start:start + _BATCH]
                created = session.run(f"UNWIND $rows AS row CREATE (n{label_text}) SET n = row.props "
                                      "RETURN row.key AS old, elementId(n) AS new", rows=part)
                new_key.update({r["old"]: r["new"] for r in created})
        for kind, rows in copy.relationships.items():
            for start in range(0, len(rows), _BATCH):
                part = [{"a": new_key[r["a"]], "b": new_key[r["b"]], "props": r["props"]}
                        for r in rows[start:start + _BATCH]]
                session.run(f"UNWIND $rows AS row MATCH (a) WHERE elementId(a) = row.a MATCH (b) WHERE elementId(b) "
                            f"= row.b CREATE (a)-[r:{_name(kind)}]->(b) SET r = row.props", rows=part).consume()


class SyncedGraphs:
    """Per session: for each manifest, the template home and the graph its first sync left."""

    def __init__(self, templates: Path) -> None:
        self.templates = templates
        self.made: dict[tuple, tuple[Path, GraphCopy]] = {}

    def synced(self, driver: Driver, database: str, manifest: Path, home: Path,
               sync: Callable[[Path, Path], int], users: tuple[tuple[str, str, str], ...] = ()) -> None:
        """Leave the graph and ``home`` as ``sync(manifest, home)`` leaves them after an emptied graph, with
        ``users`` (username, role, password) added to the home's accounts after the sync."""
        with driver.session(database=database) as session:
            session.run(WIPE).consume()
        key = (manifest.resolve(), users)
        if key not in self.made:
            template = self.templates / f"home-{len(self.made)}"
            template.mkdir(parents=True)
            assert sync(manifest, template) == 0, f"the sync of {manifest} failed"
            accounts = AccountStore(template)
            for username, role, password in users:  # each an Argon2 hash: worth making once
                accounts.add_user(username, role, password)
            self.made[key] = (template, read_graph(driver, database))
        else:
            write_graph(driver, database, self.made[key][1])
        shutil.copytree(self.made[key][0], home, dirs_exist_ok=True)
