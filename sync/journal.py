"""The load in flight, kept in the home until the graph holds all of it.

A load is many transactions (one per batch, then the sweep, then the identity lineage), so a sync or a
Neo4j server killed half-way leaves the graph part old, part new. Resolving again against that graph
would hand out IDs from a state no clean run ever saw. So the plan, with its lineage rows already
numbered, is written here before the first batch and removed once the run is marked synced; the next
sync finds it and applies it again first (every statement is idempotent), then syncs as usual.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from dataclasses import dataclass
from pathlib import Path

from graph.load_plan import LoadStep


@dataclass(frozen=True)
class PendingLoad:
    run: str  # the plan's fingerprint, the stamp of everything it writes
    plan: list[LoadStep]  # empty when only lineage is to be written
    lineage: list[dict]  # GraphStore.lineage_rows, numbered before the load
    at: str  # when the sync ran (ISO datetime)


class LoadJournal:
    def __init__(self, home: Path) -> None:
        self.path = home / "staging" / "pending-load.pickle"

    def begin(self, pending: PendingLoad) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            pickle.dump(pending, out, protocol=pickle.HIGHEST_PROTOCOL)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, self.path)

    def pending(self) -> PendingLoad | None:
        try:
            with self.path.open("rb") as stream:
                return pickle.load(stream)  # written only by this project, in the user's own home
        except FileNotFoundError:
            return None
        except (pickle.UnpicklingError, EOFError, AttributeError, TypeError):
            return None  # unreadable (written by another version): nothing to finish

    def done(self) -> None:
        self.path.unlink(missing_ok=True)
