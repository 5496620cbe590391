"""Matching spreadsheet headers to canonical fields (contract sections 1 and 3)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

_ADDRESS = {
    "address_line_1": ("address", "address 1", "address line 1", "street"),
    "address_line_2": ("address 2", "address line 2"),
    "postcode": ("postcode", "post code", "postal code"),
}
# Who an evidence row (data contract section 8) names, under the contact list's headers.
_PERSON = ("title", "first_name", "last_name", "full_name", "organisation", "email", "phone", "mobile")
_NAMED_BY = {"full_name": ("name", "full name", "contact name", "contact", "person", "stakeholder",
                           "attendee", "respondent")}


def _person_synonyms(*fields: str) -> dict[str, tuple[str, ...]]:
    return {f: _NAMED_BY.get(f, SYNONYMS["contacts"][f]) for f in fields}


# Contract section 3, plus a few obvious extras for the mosaic and postcode files
# (ONS Postcode Directory headers such as "pcds", "lat", "long").
SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "contacts": {
        "record_id": ("record id", "id", "ref", "reference", "contact id"),
        "title": ("title", "salutation"),
        "first_name": ("first name", "forename", "given name", "firstname"),
        "last_name": ("last name", "surname", "family name", "lastname"),
        "full_name": ("name", "full name", "contact name", "contact"),
        "job_title": ("job title", "position", "role"),
        "organisation": ("organisation", "organization", "company", "business", "employer", "firm"),
        "email": ("email", "e-mail", "email address"),
        "phone": ("phone", "telephone", "tel", "landline", "work phone"),
        "mobile": ("mobile", "mobile phone", "mobile number", "cell"),
        "address_line_1": _ADDRESS["address_line_1"],
        "address_line_2": _ADDRESS["address_line_2"],
        "town": ("town", "city"),
        "postcode": _ADDRESS["postcode"],
        "category": ("category", "type", "stakeholder type"),
        "priority": ("priority", "priority level"),
        "issues": ("issues", "interests", "concerns", "topics"),
        "consent_email": ("email consent", "consent email", "email opt in", "ok to email"),
        "consent_sms": ("sms consent", "consent sms", "text consent", "sms opt in", "ok to text"),
        "restricted": ("restricted", "restricted record", "sensitive"),
        "last_contacted": ("last contacted", "last contact", "date last contacted", "last updated"),
        "notes": ("notes", "comments"),
    },
    "keyholders": {
        "record_id": ("keyholder id", "record id"),
        "premises_ref": ("premises ref", "uprn", "premises id", "property ref"),
        "premises_name": ("premises name", "building", "building name"),
        **_ADDRESS,
        "occupier": ("occupier", "occupant", "business name"),
        "keyholder_name": ("keyholder", "keyholder name"),
        "keyholder_phone": ("keyholder phone", "keyholder telephone"),
        "keyholder_mobile": ("keyholder mobile",),
        "keyholder_email": ("keyholder email",),
        "keyholder_order": ("order", "keyholder number", "sequence"),
        "last_verified": ("last verified", "date verified", "verified"),
    },
    "mosaic": {
        "postcode": ("postcode", "post code", "postal code", "pcd", "pcds", "pcd2"),
        "mosaic_type": ("mosaic type", "mosaic", "mosaic code", "type"),
        "mosaic_group": ("mosaic group", "group"),
        "households": ("households", "household count", "number of households"),
    },
    "postcodes": {
        "postcode": ("postcode", "post code", "postal code", "pcd", "pcds", "pcd2"),
        "latitude": ("latitude", "lat"),
        "longitude": ("longitude", "long", "lon", "lng"),
        "ward": ("ward", "ward name"),
        "district": ("district", "district name", "local authority", "borough"),
    },
}
SYNONYMS["engagements"] = {
    "record_id": ("engagement id", "record id", "id", "ref"),
    "date": ("date", "engagement date", "meeting date", "when"),
    "engagement_type": ("type", "engagement type", "activity", "contact type"),
    "officer": ("officer", "staff member", "owner", "logged by"),
    **_person_synonyms(*_PERSON),
    "subject": ("subject", "title", "topic"),
    "issues": ("issues", "concerns"),
    "notes": ("notes", "summary", "outcome"),
    "directorate": ("directorate",),
}
# "Title" is the engagement's subject here (contract section 8), not a person's salutation
del SYNONYMS["engagements"]["title"]
SYNONYMS["groups"] = {
    "group": ("group", "group name", "network", "list"),
    **_person_synonyms(*_PERSON),
    "priority_stakeholder": ("priority stakeholder", "key stakeholder", "high priority"),
}
SYNONYMS["sectors"] = {
    "sector": ("sector", "industry sector", "industry"),
    "hub": ("hub", "regional hub", "region"),
    "sector_lead": ("sector lead", "industry sector lead", "isl"),
    **_person_synonyms(*_PERSON),
}
SYNONYMS["surveys"] = {
    "record_id": ("response id", "record id", "id"),
    "date": ("date", "submitted", "response date"),
    "score": ("score", "rating", "satisfaction"),
    "question": ("question", "survey"),
    "comment": ("comment", "comments", "feedback"),
    "message_id": ("message id", "alert id"),
    **_person_synonyms(*_PERSON),
}
FIELDS: dict[str, tuple[str, ...]] = {kind: tuple(fields) for kind, fields in SYNONYMS.items()}

_IGNORED = re.compile(r"[\s_\-.:]+")


def normalise_header(text: str) -> str:
    """Case-insensitive key ignoring spaces, "_", "-", "." and ":" ("E-mail:" -> "email")."""
    return _IGNORED.sub("", str(text)).lower()


def _lookup(kind: str) -> dict[str, str]:
    """Normalised header -> field; a field's own name ("mosaic_type") always matches."""
    table: dict[str, str] = {}
    for name, synonyms in SYNONYMS[kind].items():
        for text in (name, *synonyms):
            table.setdefault(normalise_header(text), name)
    return table


_LOOKUPS = {kind: _lookup(kind) for kind in SYNONYMS}


@dataclass
class HeaderMapping:
    """How a file's header row maps onto a kind's canonical fields."""

    columns: dict[str, int] = field(default_factory=dict)  # field -> 0-based column index
    header_map: dict[str, str] = field(default_factory=dict)  # field -> header text as found
    unknown: list[str] = field(default_factory=list)  # headers ignored as unrecognised
    warnings: list[str] = field(default_factory=list)  # duplicates, manifest names not found


def map_headers(
    headers: Sequence[str], kind: str, explicit: Mapping[str, str] | None = None
) -> HeaderMapping:
    """Map headers to fields: explicit manifest ``columns`` first, then synonyms; first match wins."""
    mapping = HeaderMapping()
    keys = [normalise_header(h) for h in headers]
    claimed: set[int] = set()
    for name, wanted in (explicit or {}).items():
        index = next((i for i, k in enumerate(keys) if k and k == normalise_header(wanted)), None)
        if index is None:
            mapping.warnings.append(f"manifest maps {name} to header {wanted!r}, which is not in the file")
            continue
        mapping.columns[name] = index
        mapping.header_map[name] = headers[index]
        claimed.add(index)
    lookup = _LOOKUPS[kind]
    for index, (header, key) in enumerate(zip(headers, keys, strict=True)):
        if index in claimed or not key:
            continue
        name = lookup.get(key)
        if name is None:
            mapping.unknown.append(header)
        elif name in mapping.columns:
            mapping.warnings.append(
                f"header {header!r} also matches {name}; using {mapping.header_map[name]!r} and ignoring it"
            )
        else:
            mapping.columns[name] = index
            mapping.header_map[name] = header
    return mapping


def missing_required(kind: str, fields: Mapping[str, object] | set[str]) -> list[str]:
    """Descriptions of the required fields (or field groups) a mapping lacks."""
    have = set(fields)
    missing: list[str] = []
    if kind == "contacts":
        if "full_name" not in have and not {"first_name", "last_name"} <= have:
            missing.append("full_name (or first_name and last_name)")
        if not have & {"email", "phone", "mobile"}:
            missing.append("one of email, phone, mobile")
    elif kind == "keyholders":
        if "keyholder_name" not in have:
            missing.append("keyholder_name")
        if not have & {"keyholder_phone", "keyholder_mobile", "keyholder_email"}:
            missing.append("one of keyholder_phone, keyholder_mobile, keyholder_email")
    elif kind == "mosaic":
        missing += [f for f in ("postcode", "mosaic_type") if f not in have]
    elif kind == "postcodes":
        missing += [f for f in ("postcode", "latitude", "longitude", "ward") if f not in have]
    elif kind in ("engagements", "surveys"):
        missing += [f for f in ("date", *(("score",) if kind == "surveys" else ())) if f not in have]
        if kind == "engagements" and not have & {"full_name", "first_name", "last_name", "organisation", "email",
                                                  "mobile", "phone"}:
            missing.append("who was engaged: full_name, organisation, email or mobile")
    elif kind == "groups":
        missing += ["group"] if "group" not in have else []
        if not have & {"full_name", "first_name", "last_name", "organisation", "email", "mobile"}:
            missing.append("the member: organisation, full_name, email or mobile")
    elif kind == "sectors":
        missing += [f for f in ("organisation", "sector") if f not in have]
    return missing
