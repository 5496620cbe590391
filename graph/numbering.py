"""Nodes numbered in order (decisions D-1, D-2…; messages M-1, M-2…), safe under the driver's retries."""

from __future__ import annotations


def numbered_create(label: str, counter: str, prefix: str, key: str = "id", then: str = "") -> str:
    """Cypher that creates a ``label`` node with ``$props``, numbered by ``(:<counter> {name})`` into its
    ``key`` property, and returns it as ``node``. The caller's ``$request`` key finds the node an earlier
    attempt stored: a transaction run again after a lost commit answer numbers nothing new. ``then``: more
    clauses on the node ``n`` before it is returned (idempotent ones, e.g. MERGEs of its links)."""
    state, name = counter.split(":")
    return f"""
MERGE (s:{state} {{name: '{name}'}})
SET s.locked = true
WITH s
OPTIONAL MATCH (stored:{label} {{request: $request}})
FOREACH (_ IN CASE WHEN stored IS NULL THEN [1] ELSE [] END |
  SET s.last = coalesce(s.last, 0) + 1
  CREATE (n:{label} {{request: $request}})
  SET n += $props, n.{key} = '{prefix}' + toString(s.last))
REMOVE s.locked
WITH s
MATCH (n:{label} {{request: $request}})
{then}
RETURN n {{.*}} AS node
"""
