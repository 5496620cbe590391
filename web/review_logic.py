"""What the review and conflicts pages compute, without I/O: the queue's order, two records compared
field by field, and a contact's conflicting fields with the values a steward may pick instead."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from graph.load_plan import pair_key
from kernel.display import shown
from resolution.decisions import BOOLEAN_FIELDS, LIST_FIELDS, OVERRIDE_FIELDS

SORTS = {
    "uncertain": "most uncertain first",
    "consequence": "most consequential first",
}
UNCERTAIN_RULE = "probability closest to 0.5 first (the model is least sure of these)"
CONSEQUENCE_RULE = ("the highest priority of either contact first (high, medium, low), then the most source "
                    "records across both contacts, then the most issues across both contacts")
DEFAULT_REASON = "reviewed in the web app"

# Bookkeeping columns of a staged row: shown as its source and ID, not compared.
_NOT_COMPARED = {"ref", "source", "record_id", "row_number", "flags"}
# Compared fields in the order a person reads a record; any other column follows alphabetically.
FIELD_ORDER = ("title", "first_name", "middle_name", "last_name", "full_name", "job_title", "organisation",
               "email", "mobile", "phone", "address_line_1", "address_line_2", "town", "postcode", "premises_ref",
               "premises_name", "occupier", "keyholder_order", "directorate", "category", "priority", "issues",
               "consent_email", "consent_sms", "restricted", "last_contacted", "last_verified", "notes")
# A contact's fields in the order the conflicts page lists them.
CONTACT_FIELD_ORDER = ("name", "title", "first_name", "last_name", "job_title", "organisation", "email", "mobile",
                       "phone", "priority", "categories", "issues", "consent_email", "consent_sms", "restricted",
                       "postcodes", "directorates", "last_contacted")


def split_pair_key(key: str) -> tuple[str, str] | None:
    parts = key.split("|")
    return (parts[0], parts[1]) if len(parts) == 2 and all(parts) else None


def uncertainty(probability: float | None) -> float:
    """Distance from 0.5: smaller is less certain. A pair with no probability goes last."""
    return abs(probability - 0.5) if probability is not None else math.inf


def consequence(pair: Mapping) -> tuple[int, int, int]:
    """How much a wrong decision on this pair would matter (higher first): see ``CONSEQUENCE_RULE``."""
    contacts = [c for c in (pair.get("contact_a"), pair.get("contact_b")) if c]
    return (max((c.get("priority_rank") or 0 for c in contacts), default=0),
            sum(c.get("records") or 0 for c in contacts),
            sum(c.get("issues") or 0 for c in contacts))


def order_pairs(pairs: Sequence[Mapping], probabilities: Mapping[str, float | None], sort: str) -> list[Mapping]:
    """The queue in the chosen order, after the pairs that hold someone out of audiences until a steward
    decides them (``holding``) whatever the order; ties by score (highest first), then by the pair's refs."""
    def key_of(pair: Mapping) -> str:
        return pair_key(pair["ref_a"], pair["ref_b"])

    if sort == "consequence":
        ranked = sorted(pairs, key=lambda p: (not p.get("holding"), tuple(-n for n in consequence(p)),
                                              -(p.get("score") or 0), key_of(p)))
    else:
        ranked = sorted(pairs, key=lambda p: (not p.get("holding"), uncertainty(probabilities.get(key_of(p))),
                                              -(p.get("score") or 0), key_of(p)))
    return ranked


def next_key(ordered: Sequence[str], current: str, remaining: Sequence[str]) -> str | None:
    """The pair to show after ``current``: the first of ``remaining`` that came after it in ``ordered``
    (the queue as the steward saw it), else the first remaining one before it; None when none is left."""
    left = [k for k in remaining if k != current]
    if not left:
        return None
    position = {k: i for i, k in enumerate(ordered)}
    here = position.get(current, -1)
    later = [k for k in left if position.get(k, math.inf) > here]
    return min(later, key=lambda k: position.get(k, math.inf)) if later else left[0]




def _comparable(value: object) -> str:
    return " ".join(shown(value).casefold().split())


@dataclass(frozen=True)
class FieldComparison:
    field: str
    a: str
    b: str
    differs: bool  # both records have a value and the values differ
    one_sided: bool  # only one record has a value


def compare_rows(row_a: Mapping, row_b: Mapping) -> list[FieldComparison]:
    """Two staged rows field by field; fields blank on both are left out. Case and spacing do not count
    as a difference (the resolver ignores them too)."""
    names = [n for n in {*row_a, *row_b} if n not in _NOT_COMPARED]
    rank = {name: i for i, name in enumerate(FIELD_ORDER)}
    names.sort(key=lambda n: (rank.get(n, len(FIELD_ORDER)), n))
    out = []
    for name in names:
        a, b = shown(row_a.get(name)), shown(row_b.get(name))
        if not a and not b:
            continue
        both = bool(a) and bool(b)
        out.append(FieldComparison(name, a, b, both and _comparable(a) != _comparable(b), not both))
    return out


def override_text(field: str, value: object) -> str:
    """A value as ``stakeholders review override`` takes it: lists as a;b, booleans yes/no."""
    if field in BOOLEAN_FIELDS:
        return "yes" if value else "no"
    if field in LIST_FIELDS and isinstance(value, list | tuple):
        return ";".join(str(v) for v in value)
    return shown(value)


def conflicts(provenance: Mapping[str, Mapping]) -> list[dict]:
    """The fields of a merged contact whose rows disagree: the surviving value with its rule and deciding
    row or decision, and each other value with the rows holding it and what to send to choose it."""
    rank = {name: i for i, name in enumerate(CONTACT_FIELD_ORDER)}
    out = []
    for field in sorted(provenance, key=lambda f: (rank.get(f, len(rank)), f)):
        entry = provenance[field]
        alternatives = entry.get("alternatives") or []
        if not alternatives:
            continue
        overridable = field in OVERRIDE_FIELDS
        current = override_text(field, entry.get("value")) if overridable else None
        # what the steward may pick instead: each other value once (an overridden field lists its own value
        # among the alternatives, with the rows holding it)
        options: dict[str, str] = {}
        for a in alternatives if overridable else ():
            options.setdefault(override_text(field, a.get("value")), shown(a.get("value")))
        out.append({
            "field": field, "value": shown(entry.get("value")), "rule": entry.get("rule", ""),
            "source": entry.get("source", ""), "overridden": str(entry.get("source", "")).startswith("D-"),
            "overridable": overridable,
            "choice": current,
            "options": [{"choice": c, "value": v} for c, v in options.items() if c != current],
            "alternatives": [{"value": shown(a.get("value")), "refs": list(a.get("refs") or ()),
                              "rule": a.get("rule", ""),
                              "choice": override_text(field, a.get("value")) if overridable else None}
                             for a in alternatives],
        })
    return out
