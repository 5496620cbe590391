"""The last sync's resolution, remembered by what it was worked out from.

Resolution is a function of the accepted batches, the graph it resolves against (its sync fingerprint:
the load plan it holds, IDs included), the steward decisions, the channel events, the erasures, the
postcodes looked up, each source's gate outcome and the code. When all of these but the graph are what
the last loaded resolution was worked out from, and the graph still holds that load (the state resolving
the same inputs again starts from and comes back to), resolving again gives the same plan, which the
graph holds already: the sync says so and skips resolution and load. Only hashes
and counts are kept (``resolution-memo.json`` in the home), never a value from a row.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kernel.code_version import code_fingerprint
from resolution.suppression import Suppression
from sources.model import SELF_SERVICE, SourceBatch

from .home_files import write_json
from .report import SourceOutcome

FILE_NAME = "resolution-memo.json"
VERSION = 1
RESOLUTION_CODE = ("sources", "resolution", "graph", "sync", "kernel", "quality", "portal", "services")


@dataclass(frozen=True)
class Remembered:
    inputs: str
    graph: str  # the graph's sync fingerprint once the resolution was loaded
    counts: dict[str, int]
    notes: dict[str, dict]  # source -> what resolution added to its outcome (sync.steps.world_notes)


def inputs_key(batches: Sequence[SourceBatch], outcomes: Sequence[SourceOutcome], held_back: pd.DataFrame | None,
               looked_up: pd.DataFrame, decisions: Sequence, channel_events: Sequence, suppression: Suppression,
               model: str = "") -> str:
    """The hash of everything resolution reads but the graph's IDs; "" when a batch cannot be told apart by a
    key of its own. ``model``: the key of the contact weights it uses (sync.match_model_file.model_key). The
    graph is not in it: a resolution loaded leaves the graph in the state resolving the
    same inputs again starts from and comes back to (``ResolutionMemo.recall`` checks the graph holds it)."""
    pieces = []
    for batch in batches:
        key = batch.read_key or (batch.content_hash if batch.spec.kind == SELF_SERVICE else "")
        if not key:
            return ""
        pieces.append([batch.spec.name, batch.spec.kind, key, batch.rows_read, len(batch.rows),
                       len(batch.quarantine), batch.failure])
    digest = hashlib.sha256()
    for part in (VERSION, code_fingerprint(*RESOLUTION_CODE), pieces,
                 [dataclasses.asdict(o) for o in outcomes],
                 [dataclasses.asdict(d) for d in decisions], [dataclasses.asdict(e) for e in channel_events],
                 [suppression.key.hex(), sorted(suppression.refs), sorted(suppression.identifiers)], model):
        digest.update(json.dumps(part, sort_keys=True, default=str).encode())
    for frame in (looked_up, held_back if held_back is not None else pd.DataFrame()):
        digest.update(frame.to_json(orient="split", date_format="iso").encode())
    return digest.hexdigest()


class ResolutionMemo:
    def __init__(self, home: Path) -> None:
        self.path = home / FILE_NAME

    def recall(self, inputs: str, graph_state: str | None) -> Remembered | None:
        """The remembered resolution of ``inputs`` when the graph still holds its load."""
        if not inputs or not graph_state:
            return None
        try:
            found = json.loads(self.path.read_text())
            remembered = Remembered(found["inputs"], found["graph"], dict(found["counts"]), dict(found["notes"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return remembered if (remembered.inputs, remembered.graph) == (inputs, graph_state) else None

    def keep(self, remembered: Remembered) -> None:
        write_json(self.path, dataclasses.asdict(remembered))
