"""Per-record comparison features for people: folded names, identifiers and sharing flags.

A shared identifier is a mailbox or number used by records of clearly different
people (``security@firm.com``, a switchboard). Agreement on it is weak evidence,
so two colleagues who share one never merge on it alone.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import pandas as pd
from rapidfuzz.distance import JaroWinkler

from .nicknames import are_nicknames, canonical_first_name
from .text import name_key, word_key

ROLE_MAILBOXES = {
    "security", "facilities", "info", "admin", "reception", "office", "enquiries", "enquiry", "contact",
    "hello", "team", "ops", "operations", "helpdesk", "support", "mail", "general", "hr", "accounts",
    "sales", "frontdesk", "concierge", "building", "estates", "management", "control", "controlroom",
    "keyholders", "keyholder", "manager", "events", "press", "media", "comms", "admin.team", "noreply",
}


@dataclass
class PersonFeatures:
    """Column arrays aligned with the mention frame's positional index."""

    first: np.ndarray  # folded letters of the given name ("" when missing)
    first_canonical: np.ndarray  # formal form of a nickname ("bob" -> "robert")
    last: np.ndarray
    email: np.ndarray  # "" when missing
    email_local: np.ndarray
    email_shared: np.ndarray  # bool
    mobile: np.ndarray
    mobile_shared: np.ndarray
    phone: np.ndarray
    phone_shared: np.ndarray
    organisation: np.ndarray  # int organisation cluster named on a contact row, -1 when none
    affiliation: np.ndarray  # organisation cluster of a keyholder's premises occupier, -1 when none
    postcode: np.ndarray
    postcode_district: np.ndarray
    address: np.ndarray  # first address line of a contact row, folded ("" for keyholder rows: theirs is
    # the premises' address, not where the person is)


def _text(series: pd.Series) -> np.ndarray:
    return np.array([v if isinstance(v, str) else "" for v in series], dtype=object)


def names_compatible(first_a: str, last_a: str, first_b: str, last_b: str) -> bool:
    """Could these two names belong to one person (typos, nicknames and initials allowed)?"""
    if last_a and last_b and JaroWinkler.normalized_similarity(last_a, last_b) < 0.88:
        return False
    return first_names_compatible(first_a, first_b)


def first_names_compatible(a: str, b: str) -> bool:
    if not a or not b or a == b:
        return True
    if len(a) == 1 or len(b) == 1:
        return a[0] == b[0]
    return are_nicknames(a, b) or JaroWinkler.normalized_similarity(a, b) >= 0.88


def _shared_values(values: np.ndarray, first: np.ndarray, last: np.ndarray, role_local: np.ndarray | None
                   ) -> np.ndarray:
    shared = np.zeros(len(values), dtype=bool)
    if role_local is not None:
        shared |= role_local
    by_value: dict[str, list[int]] = {}
    for i, value in enumerate(values):
        if value:
            by_value.setdefault(value, []).append(i)
    for members in by_value.values():
        if len(members) < 2:
            continue
        names = {(first[i], last[i]) for i in members}
        if len(names) < 2:
            continue
        listed = list(names)
        clash = any(
            not names_compatible(*listed[a], *listed[b])
            for a in range(len(listed)) for b in range(a + 1, len(listed))
        )
        if clash:
            shared[members] = True
    return shared


def _contact_addresses(mentions: pd.DataFrame) -> np.ndarray:
    if "address_line_1" not in mentions:
        return np.full(len(mentions), "", dtype=object)
    kinds = mentions["kind"] if "kind" in mentions else pd.Series("contacts", index=mentions.index)
    return np.array([word_key(a) if kind == "contacts" else "" for a, kind in
                     zip(mentions["address_line_1"], kinds, strict=True)], dtype=object)


def person_features(mentions: pd.DataFrame) -> PersonFeatures:
    """Build features from a mention frame with first_name, last_name, email, mobile, phone,
    organisation_cluster, affiliation_cluster and postcode columns."""
    first = np.array([name_key(v) for v in mentions["first_name"]], dtype=object)
    last = np.array([name_key(v) for v in mentions["last_name"]], dtype=object)
    email = _text(mentions["email"])
    email_local = np.array([e.split("@", 1)[0] if e else "" for e in email], dtype=object)
    role_local = np.array([local in ROLE_MAILBOXES for local in email_local], dtype=bool)
    mobile = _text(mentions["mobile"])
    phone = _text(mentions["phone"])
    postcode = _text(mentions["postcode"])
    return PersonFeatures(
        first=first,
        first_canonical=np.array([canonical_first_name(f) for f in first], dtype=object),
        last=last,
        email=email,
        email_local=email_local,
        email_shared=_shared_values(email, first, last, role_local),
        mobile=mobile,
        mobile_shared=_shared_values(mobile, first, last, None),
        phone=phone,
        phone_shared=_shared_values(phone, first, last, None),
        organisation=mentions["organisation_cluster"].to_numpy(dtype=np.int64),
        affiliation=mentions["affiliation_cluster"].to_numpy(dtype=np.int64),
        postcode=postcode,
        postcode_district=np.array([p.split(" ")[0] if p else "" for p in postcode], dtype=object),
        address=_contact_addresses(mentions),
    )


def joined(first: PersonFeatures, second: PersonFeatures) -> PersonFeatures:
    """The features of ``first``'s rows followed by ``second``'s, each row's as its own frame gave it
    (sharing flags included: a caller that needs them across both works them out again)."""
    return PersonFeatures(**{f.name: np.concatenate([getattr(first, f.name), getattr(second, f.name)])
                             for f in fields(PersonFeatures)})
