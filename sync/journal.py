"""The load in flight, kept in the home until the graph holds all of it.

A load is many transactions (one per batch, then the sweep, then the identity lineage), so a sync or a
Neo4j server killed half-way leaves the graph part old, part new. Resolving again against that graph
would hand out IDs from a state no clean run ever saw. So the plan, with its lineage rows already
numbered, is written here before the first batch and removed once the run is marked synced; the next
sync finds it and applies it again first (every statement is idempotent), then syncs as usual.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from graph.load_plan import LoadStep

from .home_files import DamagedFile, read_lines, remove_partial_writes, write_lines

log = logging.getLogger(__name__)

FORMAT = "stakeholders load journal"
VERSION = 1


@dataclass(frozen=True)
class PendingLoad:
    run: str  # the plan's fingerprint, the stamp of everything it writes
    plan: list[LoadStep]  # empty when only lineage is to be written
    lineage: list[dict]  # GraphStore.lineage_rows, numbered before the load
    at: str  # when the sync ran (ISO datetime)


class LoadJournal:
    """`staging/pending-load.jsonl`: a header line (run, at, the number of steps), one line per load step,
    then one line with the lineage rows."""

    def __init__(self, home: Path) -> None:
        self.path = home / "staging" / "pending-load.jsonl"
        self.damaged = self.path.with_suffix(".damaged")
        self._legacy = self.path.with_suffix(".pickle")  # older versions; never read: unpickling runs code

    def begin(self, pending: PendingLoad) -> None:
        header = {"format": FORMAT, "version": VERSION, "run": pending.run, "at": pending.at,
                  "steps": len(pending.plan)}
        lines = [*([step.name, step.statement, step.rows] for step in pending.plan), pending.lineage]
        write_lines(self.path, header, lines)

    def pending(self) -> PendingLoad | None:
        """The load an interrupted sync left to finish, if any. Called first thing in every sync, under
        the sync lock, so it also clears what an interrupted write left behind."""
        if self.path.parent.is_dir():
            remove_partial_writes(self.path.parent)
        for legacy in sorted(self.path.parent.glob("*.pickle")):
            legacy.unlink()
            log.warning("%s: written by an older version in a format that is never read (it could run code); "
                        "removed, and %s", legacy, "this sync loads every source in full" if legacy == self._legacy
                        else "the next good sync of its source stages it again")
        try:
            return self._read()
        except FileNotFoundError:
            return None
        except (DamagedFile, OSError) as error:
            os.replace(self.path, self.damaged)
            log.warning("%s; set aside as %s. The load it held cannot be finished: this sync loads every "
                        "source in full instead, and removes %s once it has", error, self.damaged.name,
                        self.damaged.name)
            return None

    def done(self) -> None:
        self.path.unlink(missing_ok=True)
        self.damaged.unlink(missing_ok=True)  # the full load that replaced it is complete

    def _read(self) -> PendingLoad:
        header, lines = read_lines(self.path, FORMAT, VERSION)
        try:
            found = list(lines)
            steps, lineage = found[:-1], found[-1]
            if len(steps) != header["steps"] or not isinstance(lineage, list):
                raise ValueError("incomplete")
            plan = [LoadStep(name, statement, rows) for name, statement, rows in steps]
            return PendingLoad(run=header["run"], plan=plan, lineage=lineage, at=header["at"])
        except DamagedFile:
            raise
        except (IndexError, KeyError, TypeError, ValueError):
            raise DamagedFile(f"{self.path}: does not hold a complete load") from None
