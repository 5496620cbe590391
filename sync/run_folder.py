"""A sync run in steps (one Dagster asset each): what one step hands the next is kept here, owner-only
in the home and in the home's own formats, rather than in the run storage of Dagster, which would
keep every row of it (names, emails, numbers) where `stakeholders forget` never reaches.

`staging/runs/<run>/`: `read/` the batches as read, `accepted/` the batches the gates accepted, and
`prepared-load.jsonl` the load of the resolved world. Removed when the run publishes, and every run
folder is removed by an erasure (a run in flight then fails at its next step and is run again).
"""

from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path

from graph.load_plan import LoadStep
from kernel.errors import StakeholdersError

from .home_files import DamagedFile, private_folder, read_lines, write_lines
from .report import SourceOutcome
from .staging import Staging
from .steps import PreparedLoad

FORMAT = "stakeholders prepared load"
VERSION = 1
_SAFE = re.compile(r"[^A-Za-z0-9_-]")


class RunFolderGone(StakeholdersError):
    """The step's input is not in the home (removed by an erasure, or the run was never started here)."""


class RunFolder:
    def __init__(self, home: Path, run: str) -> None:
        self.home = home
        self.folder = runs_folder(home) / (_SAFE.sub("_", run) or "run")
        self.read = Staging.in_folder(self.folder / "read")
        self.accepted = Staging.in_folder(self.folder / "accepted")
        self._prepared = self.folder / "prepared-load.jsonl"

    def create(self) -> RunFolder:
        private_folder(runs_folder(self.home))
        private_folder(self.folder)
        return self

    def batches(self, staged: Staging, names: list[str]) -> list:
        """The named batches of this run's ``read`` or ``accepted`` step."""
        found = [staged.last_good(name) for name in names]
        if any(batch is None for batch in found):
            raise RunFolderGone(f"{self.folder}: the batches of this sync run are gone (an erasure since it "
                                "started?); run the sync again")
        return found

    def save_prepared(self, prepared: PreparedLoad) -> None:
        header = {"format": FORMAT, "version": VERSION, "graph_state": prepared.graph_state,
                  "outcomes": [dataclasses.asdict(o) for o in prepared.outcomes], "counts": prepared.counts,
                  "identity_events": prepared.identity_events, "steps": len(prepared.plan),
                  "inputs_key": prepared.inputs_key, "fingerprint": prepared.fingerprint, "notes": prepared.notes}
        write_lines(self._prepared, header,
                    [*([step.name, step.statement, step.rows] for step in prepared.plan), prepared.lineage])

    def prepared(self) -> PreparedLoad:
        try:
            header, lines = read_lines(self._prepared, FORMAT, VERSION)
            found = list(lines)
        except FileNotFoundError:
            raise RunFolderGone(f"{self._prepared}: the resolved world of this sync run is gone (an erasure "
                                "since it started?); run the sync again") from None
        except DamagedFile as damaged:
            raise RunFolderGone(f"{damaged}; run the sync again") from None
        steps, lineage = found[:-1], found[-1] if found else None
        if len(steps) != header.get("steps") or not isinstance(lineage, list):
            raise RunFolderGone(f"{self._prepared}: does not hold a complete load; run the sync again")
        return PreparedLoad(graph_state=header["graph_state"],
                            outcomes=[SourceOutcome(**o) for o in header["outcomes"]],
                            plan=[LoadStep(name, statement, rows) for name, statement, rows in steps],
                            lineage=lineage, counts=header["counts"], identity_events=header["identity_events"],
                            inputs_key=header.get("inputs_key", ""), fingerprint=header.get("fingerprint"),
                            notes=header.get("notes") or {})

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def runs_folder(home: Path) -> Path:
    return home / "staging" / "runs"


def remove_every_run(home: Path) -> int:
    """Remove the folders of every sync run in flight (for an erasure); how many there were."""
    folders = [p for p in runs_folder(home).glob("*") if p.is_dir()] if runs_folder(home).is_dir() else []
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)
    return len(folders)
