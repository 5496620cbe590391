"""The staff lists of the portal as a source: kind ``self_service``, read at every sync like a contact list.

Each current staff entry is one row, ``self-service:SS-<n>``, built by the builder that reads a directorate's
contact list (sources.records.contact_row), so it is resolved like every other row: a person the organisation
adds who already exists merges with them. Its date is the day it was last changed, so the person's own
channels and consent beat older directorate rows under the contract's "most recent explicit value" rule; a
steward's override still wins (it applies after survivorship). An entry that was ended has no row: only
the self-service row goes, never the police's own rows about the person.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from pathlib import Path

from sources.model import COLUMNS_BY_KIND, QUARANTINE_COLUMNS, SELF_SERVICE, SourceBatch, SourceSpec, batch_frame
from sources.records import contact_row

from .store import StaffEntry

SOURCE_NAME = "self-service"


def self_service_spec(path: Path) -> SourceSpec:
    return SourceSpec(name=SOURCE_NAME, kind=SELF_SERVICE, path=path, label="the stakeholder portal")


def self_service_batch(path: Path, entries: Sequence[StaffEntry], organisation_names: Mapping[str, str],
                       issues_of: Mapping[str, Sequence[str]]) -> SourceBatch:
    """The batch of ``entries`` (current ones), each placed in its organisation by the name the graph gives
    it (``organisation_names``: organisation ID -> name) and carrying the issues the organisation says affect
    it (``issues_of``). An entry whose organisation the graph no longer holds is quarantined, not dropped."""
    rows, quarantine = [], []
    for number, entry in enumerate(entries, start=1):
        name = organisation_names.get(entry.organisation_id)
        if not name:
            quarantine.append({"source": SOURCE_NAME, "record_id": entry.entry_id, "row_number": number,
                               "reason": f"organisation {entry.organisation_id} is no longer in the graph",
                               "code": "not_known"})
            continue
        changed = dt.datetime.fromisoformat(entry.changed_at)
        cells = {**entry.cells, "organisation": name, "issues": ";".join(issues_of.get(entry.organisation_id, ())),
                 "last_contacted": changed.date().isoformat()}
        outcome = contact_row(cells)
        if outcome.reasons:  # checked when typed (portal.forms); a rule tightened since is said, not ignored
            quarantine.append({"source": SOURCE_NAME, "record_id": entry.entry_id, "row_number": number,
                               "reason": "; ".join(text for _, text in outcome.reasons),
                               "code": outcome.reasons[0][0].value})
            continue
        rows.append({"ref": f"{SOURCE_NAME}:{entry.entry_id}", "source": SOURCE_NAME, "record_id": entry.entry_id,
                     "row_number": number, "flags": outcome.flags, **outcome.values, "directorate": None,
                     "changed_by": entry.changed_by, "changed_at": entry.changed_at, "known_ref": entry.known_ref})
    return SourceBatch(spec=self_service_spec(path), rows=batch_frame(rows, COLUMNS_BY_KIND[SELF_SERVICE]),
                       quarantine=batch_frame(quarantine, QUARANTINE_COLUMNS), rows_read=len(entries),
                       content_hash=_content_hash(entries, organisation_names, issues_of))


def _content_hash(entries: Sequence[StaffEntry], names: Mapping[str, str], issues: Mapping[str, Sequence[str]]
                  ) -> str:
    digest = hashlib.sha256()
    for entry in entries:
        digest.update(json.dumps([entry.entry_id, entry.cells, entry.changed_at, entry.known_ref,
                                  names.get(entry.organisation_id), list(issues.get(entry.organisation_id, ()))],
                                 sort_keys=True).encode())
    return digest.hexdigest()
