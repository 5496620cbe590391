"""Erased people stay erased: which source rows a suppression list keeps out of a sync.

A row is suppressed when its reference (``source:record_id``) was one of an erased contact's rows, or
when it carries one of the erased person's identifiers (normalised email, mobile or phone) — the same
person typed again into another row or file. Identifiers are kept only as keyed SHA-256 digests
(HMAC with the installation's secret key): a plain hash of a UK phone number can be reversed by trying
every number, a keyed one cannot without the key. One key for the whole list, not one per entry, so a
row is hashed once and looked up in a set instead of being hashed again for every entry.

Pure: ``sync.suppression_list`` keeps the list on disk.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import pandas as pd

from kernel.reasons import SUPPRESSED_TEXT, RowReason
from sources.model import SourceBatch

from .features import ROLE_MAILBOXES

SUPPRESSED_REASON = SUPPRESSED_TEXT  # the text beside the code RowReason.SUPPRESSED
# the kinds of source whose rows describe a person (evidence rows too: an erased person stays out of diaries)
PERSON_KINDS = ("contacts", "keyholders", "engagements", "groups", "sectors", "surveys", "self_service")
_IDENTIFIER_COLUMNS = {"email": "email", "phone": "phone", "mobile": "phone"}


@dataclass(frozen=True)
class Suppression:
    """What to keep out: row references and identifier digests, all under one key."""

    key: bytes = b""
    refs: frozenset[str] = field(default_factory=frozenset)
    identifiers: frozenset[str] = field(default_factory=frozenset)

    def __bool__(self) -> bool:
        return bool(self.refs or self.identifiers)


def identifier_digest(key: bytes, kind: str, value: str) -> str:
    """The keyed digest of one normalised identifier. ``kind`` is ``email`` or ``phone``: a mobile is a
    phone number, so one typed into the landline column still matches."""
    return hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def is_role_mailbox(email: str) -> bool:
    """info@, reception@…: a shared mailbox names a desk, not a person, so it never suppresses."""
    return email.split("@", 1)[0] in ROLE_MAILBOXES


def person_identifiers(emails: Iterable[str], phones: Iterable[str]) -> set[tuple[str, str]]:
    """(kind, value) of a person's normalised identifiers, less shared mailboxes and blanks."""
    found = {("email", e) for e in emails if e and not is_role_mailbox(e)}
    return found | {("phone", p) for p in phones if p}


def row_digests(key: bytes, row: dict) -> set[str]:
    """The digests of a row's email, phone and mobile (already normalised by the source loader)."""
    out = set()
    for column, kind in _IDENTIFIER_COLUMNS.items():
        value = row.get(column)
        if isinstance(value, str) and value:
            out.add(identifier_digest(key, kind, value))
    return out


def suppressed_mask(batch: SourceBatch, suppression: Suppression) -> pd.Series:
    """True for each row of ``batch.rows`` that the list keeps out."""
    rows = batch.rows
    if not suppression or batch.spec.kind not in PERSON_KINDS or rows.empty:
        return pd.Series(False, index=rows.index, dtype=bool)
    by_ref = rows["ref"].isin(suppression.refs)
    columns = [c for c in _IDENTIFIER_COLUMNS if c in rows.columns]
    by_identifier = [bool(row_digests(suppression.key, dict(zip(columns, values, strict=True)))
                          & suppression.identifiers)
                     for values in rows[columns].itertuples(index=False, name=None)]
    return by_ref | pd.Series(by_identifier, index=rows.index, dtype=bool)


def apply_suppression(batch: SourceBatch, suppression: Suppression) -> tuple[SourceBatch, int]:
    """The batch with suppressed rows moved to its quarantine (every row stays accounted for, contract
    section 5, without any of its values), and how many were moved."""
    mask = suppressed_mask(batch, suppression)
    count = int(mask.sum())
    if not count:
        return batch, 0
    gone = batch.rows[mask]
    moved = pd.DataFrame({"source": gone["source"].astype(object), "record_id": gone["record_id"].astype(object),
                          "row_number": gone["row_number"].astype("int64"),
                          "reason": pd.Series(SUPPRESSED_REASON, index=gone.index, dtype=object),
                          "code": pd.Series(RowReason.SUPPRESSED.value, index=gone.index, dtype=object)})
    quarantine = (pd.concat([batch.quarantine, moved], ignore_index=True) if len(batch.quarantine)
                  else moved.reset_index(drop=True))
    # a copy, so the caller's batch stays as it was read
    return replace(batch, rows=batch.rows[~mask].reset_index(drop=True), quarantine=quarantine), count
