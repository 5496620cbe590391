"""Flatten accepted source batches into the records resolution works on.

A *person mention* is a contact row or a keyholder row (the keyholder is a
person). An *organisation mention* is the organisation named on a contact row
or the occupier named on a keyholder row.
"""

from __future__ import annotations

import pandas as pd

from sources.model import SELF_SERVICE, SourceBatch

PERSON_COLUMNS = (
    "ref", "source", "record_id", "kind", "directorate", "title", "first_name", "last_name", "full_name",
    "job_title", "organisation", "email", "phone", "mobile", "postcode", "category", "priority", "issues",
    "consent_email", "consent_sms", "restricted", "date", "premises_key", "keyholder_order",
    "premises_ref", "premises_name", "address_line_1", "address_line_2",
    "record_kind",  # the source kind of the row: a self_service row is resolved as a contact row
)
# read as contact rows: a stakeholder's own staff list is a contact list kept by the people themselves
CONTACT_KINDS = ("contacts", SELF_SERVICE)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value) or value == ""


def person_mentions(batches: list[SourceBatch]) -> pd.DataFrame:
    """Every contact and keyholder row as one person mention, contacts first, in file order."""
    frames = []
    for batch in sorted(batches, key=lambda b: (b.spec.kind not in CONTACT_KINDS, b.spec.name)):
        if batch.spec.kind not in (*CONTACT_KINDS, "keyholders") or batch.rows.empty:
            continue
        rows = batch.rows.copy()
        rows["record_kind"] = batch.spec.kind
        rows["kind"] = "contacts" if batch.spec.kind in CONTACT_KINDS else batch.spec.kind
        if batch.spec.kind in CONTACT_KINDS:
            rows["date"] = rows["last_contacted"]
            rows["premises_key"] = ""
            rows["keyholder_order"] = None
        else:
            rows["date"] = rows["last_verified"]
            rows["directorate"] = ""
            rows["organisation"] = rows["occupier"]
            rows["premises_key"] = [premises_key(r) for r in rows.itertuples(index=False)]
            for column in ("job_title", "category", "priority", "consent_email", "consent_sms",
                           "restricted"):
                rows[column] = None
            rows["issues"] = [[] for _ in range(len(rows))]
        frames.append(rows.reindex(columns=list(PERSON_COLUMNS)))
    if not frames:
        return pd.DataFrame(columns=list(PERSON_COLUMNS))
    mentions = pd.concat(frames, ignore_index=True).astype(object)
    for column in ("first_name", "last_name", "full_name", "email", "phone", "mobile", "postcode",
                   "organisation", "title", "job_title", "directorate", "category", "priority"):
        mentions[column] = [None if _blank(v) else v for v in mentions[column]]
    return mentions


def premises_key(row: object) -> str:
    """The premises a keyholder row is about: its reference, else its name/address and postcode."""
    ref = getattr(row, "premises_ref", None)
    if not _blank(ref):
        return f"ref:{str(ref).strip().upper()}"
    parts = [getattr(row, f, None) for f in ("premises_name", "address_line_1", "postcode")]
    text = "|".join(str(p).strip().lower() for p in parts if not _blank(p))
    return f"addr:{text}"
