"""The normalised shape every source takes after reading, before resolution.

A ``SourceBatch`` is what `sources.load_source` returns for one manifest entry.
Its ``rows`` DataFrame holds only usable rows, already normalised; unusable rows
are in ``quarantine`` with a reason. ``len(rows) + len(quarantine)`` always
equals the number of data rows in the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

KINDS = ("contacts", "keyholders", "mosaic", "postcodes", "wards", "engagements", "groups", "sectors", "surveys")
# The kinds whose rows are evidence about people and organisations the contact lists already hold
# (data contract section 8): matched to them by the resolver, never making a contact of their own.
EVIDENCE_KINDS = ("engagements", "groups", "sectors", "surveys")
# Kept by the system itself, never named in a manifest: ``self_service`` is the staff lists priority
# stakeholders keep in the portal (portal.self_service), read like a contact list at every sync.
SELF_SERVICE = "self_service"

# Columns of SourceBatch.rows, by kind. Every kind also carries REF_COLUMNS.
#   ref         "<source>:<record_id>" (contract section 2)
#   source      the manifest source name
#   record_id   the record_id value, or "row-<n>"
#   row_number  1-based row number as Excel shows it (header is row 1)
#   flags       list[str] of "field: problem" for values dropped as invalid
REF_COLUMNS = ("ref", "source", "record_id", "row_number", "flags")

# Person names are parsed into title/first/middle/last; `full_name` is the
# display form "First Last" (title excluded). Emails are lower-cased and valid
# or None; phones are E.164 strings or None; postcodes "EC2V 7HH" or None;
# dates are datetime.date or None; booleans are True/False/None (None = blank).
CONTACT_COLUMNS = (
    "directorate", "title", "first_name", "middle_name", "last_name", "full_name",
    "job_title", "organisation", "email", "phone", "mobile",
    "address_line_1", "address_line_2", "town", "postcode",
    "category",        # business|resident|partner_agency|police|voluntary_group|other|None
    "priority",        # high|medium|low|None
    "issues",          # list[str] from the issue taxonomy
    "consent_email", "consent_sms", "restricted",
    "last_contacted",  # datetime.date | None
    "notes",
)
KEYHOLDER_COLUMNS = (
    "premises_ref", "premises_name", "address_line_1", "address_line_2", "postcode",
    "occupier",
    # the keyholder as a person, parsed like a contact's name
    "title", "first_name", "middle_name", "last_name", "full_name",
    "phone", "mobile", "email",  # from keyholder_phone / keyholder_mobile / keyholder_email
    "keyholder_order",  # int | None
    "last_verified",    # datetime.date | None
)
MOSAIC_COLUMNS = ("postcode", "mosaic_type", "mosaic_group", "households")
POSTCODE_COLUMNS = ("postcode", "latitude", "longitude", "ward", "district")
# Who an evidence row names: a person (parsed like a contact's name), an organisation, or both.
PERSON_EVIDENCE = ("title", "first_name", "middle_name", "last_name", "full_name", "organisation",
                   "email", "phone", "mobile")
ENGAGEMENT_COLUMNS = ("directorate", "date", "engagement_type", "officer", *PERSON_EVIDENCE, "subject",
                      "issues", "notes")
GROUP_COLUMNS = ("group", *PERSON_EVIDENCE, "priority_stakeholder")
SECTOR_COLUMNS = ("sector", "hub", "sector_lead", *PERSON_EVIDENCE)
SURVEY_COLUMNS = ("date", "score", "question", "comment", "message_id", *PERSON_EVIDENCE)

COLUMNS_BY_KIND = {
    "contacts": REF_COLUMNS + CONTACT_COLUMNS,
    "keyholders": REF_COLUMNS + KEYHOLDER_COLUMNS,
    "mosaic": REF_COLUMNS + MOSAIC_COLUMNS,
    "postcodes": REF_COLUMNS + POSTCODE_COLUMNS,
    "engagements": REF_COLUMNS + ENGAGEMENT_COLUMNS,
    "groups": REF_COLUMNS + GROUP_COLUMNS,
    "sectors": REF_COLUMNS + SECTOR_COLUMNS,
    "surveys": REF_COLUMNS + SURVEY_COLUMNS,
    "wards": REF_COLUMNS + ("ward", "boundary"),  # sources.geojson: a GeoJSON file, one row per feature
    # a contact row as the stakeholder declared it, with who changed it last and when (its provenance), and
    # a row of the graph contact it was made from ("" for a person the organisation added)
    SELF_SERVICE: REF_COLUMNS + CONTACT_COLUMNS + ("changed_by", "changed_at", "known_ref"),
}
QUARANTINE_COLUMNS = ("source", "record_id", "row_number", "reason", "code")  # code: kernel.reasons.RowReason


_FLOAT_COLUMNS = ("latitude", "longitude")


def batch_frame(records: list[dict[str, object]], columns: tuple[str, ...]) -> pd.DataFrame:
    """The rows or quarantine of a batch: missing values stay None (object columns, not pandas' str dtype),
    row numbers are integers, coordinates floats."""
    frame = pd.DataFrame({c: pd.Series([r.get(c) for r in records], dtype=object) for c in columns})
    frame["row_number"] = frame["row_number"].astype("int64")
    for column in _FLOAT_COLUMNS:
        if column in frame:
            frame[column] = frame[column].astype("float64")
    return frame


@dataclass(frozen=True)
class SourceSpec:
    """One entry of the manifest, with its path resolved against the manifest folder."""

    name: str
    kind: str
    path: Path
    directorate: str | None = None
    sheet: str | None = None
    columns: dict[str, str] = field(default_factory=dict)
    # How messages name the file: its path relative to the manifest folder ("" = the full path).
    label: str = field(default="", compare=False)
    # Why the manifest entry cannot be used (an unknown kind, a path outside the folder...):
    # loading it fails the source with this reason, without touching the file.
    problem: str | None = None

    @property
    def shown_path(self) -> str:
        return self.label or str(self.path)


@dataclass
class SourceBatch:
    """One source as read and normalised in this run."""

    spec: SourceSpec
    rows: pd.DataFrame  # COLUMNS_BY_KIND[spec.kind]
    quarantine: pd.DataFrame  # QUARANTINE_COLUMNS
    rows_read: int = 0
    content_hash: str = ""
    unknown_headers: list[str] = field(default_factory=list)
    header_map: dict[str, str] = field(default_factory=dict)  # canonical field -> header found
    # Header notes for the run report: a second header for the same field (first one wins),
    # or a manifest `columns` entry naming a header that is not in the file.
    header_warnings: list[str] = field(default_factory=list)
    # What reading the file worked around: a workbook named .csv, a ";" delimiter, a hidden first
    # sheet, merged cells, control characters removed. Never a cell value.
    read_warnings: list[str] = field(default_factory=list)
    failure: str | None = None  # set when the whole source could not be used this run
    # what the batch was read from (sync.read_cache.read_key): its staged copy stands for the file while equal
    read_key: str = ""

    @property
    def ok(self) -> bool:
        return self.failure is None
