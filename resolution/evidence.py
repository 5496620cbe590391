"""Evidence rows (data contract section 8: engagements, groups, sectors, surveys) matched to the contacts
and organisations the contact lists and keyholder records already hold.

The same resolver decides: an evidence row is compared with every person mention by CONTACT_SPEC's
blocking rules and weights (those learned from this run's contact rows), and takes the contact of the
mention it fits best at or above ``attach_threshold``. It never makes a contact of its own, and never
joins two contacts: it is compared only with mentions, never with other evidence rows. The organisation
it names is the known organisation of the same name (the resolver's organisation key, or a spelling as
close as the resolver's own organisation clustering allows).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from kernel.reasons import RowReason
from sources.model import EVIDENCE_KINDS, SourceBatch

from .comparisons import MatchSettings
from .features import PersonFeatures, joined, person_features
from .organisations import SAME_NAME_RATIO, organisation_key
from .scoring import contact_columns, contact_pairs, score_pairs

EVIDENCE_LINK_COLUMNS = ["ref", "source", "record_id", "kind", "contact_id", "organisation_id"]
# Two contacts whose best scores are this close (in the weights' log2 units) fit a row equally well.
AMBIGUITY_MARGIN = 2.0
_FEATURE_COLUMNS = ["first_name", "last_name", "email", "mobile", "phone", "postcode", "address_line_1", "kind",
                    "organisation_cluster", "affiliation_cluster"]


@dataclass(frozen=True)
class EvidenceMatches:
    """Each usable evidence row linked (``links``: EVIDENCE_LINK_COLUMNS, "" where none), or quarantined
    (``quarantine``: sources.model QUARANTINE_COLUMNS)."""

    links: pd.DataFrame
    quarantine: pd.DataFrame
    rows: pd.DataFrame  # every usable evidence row as read, with its kind, indexed like ``links``


def evidence_rows(batches: list[SourceBatch]) -> pd.DataFrame:
    """The usable rows of every evidence batch, one frame, with a ``kind`` column."""
    frames = [b.rows.assign(kind=b.spec.kind) for b in batches
              if b.spec.kind in EVIDENCE_KINDS and not b.rows.empty]
    if not frames:
        return pd.DataFrame(columns=["ref", "source", "record_id", "row_number", "kind", "flags"])
    return pd.concat(frames, ignore_index=True).astype(object)


def match_evidence(batches: list[SourceBatch], mentions: pd.DataFrame, organisations: pd.DataFrame,
                   settings: MatchSettings, features: PersonFeatures | None = None) -> EvidenceMatches:
    """``mentions``: the resolved person mentions (with contact_id and organisation_cluster);
    ``organisations``: the resolved organisations with their ``cluster`` and ``names``; ``features``: the
    mentions' comparison features when the caller has them (they are worked out otherwise)."""
    rows = evidence_rows(batches)
    if rows.empty:
        empty = pd.DataFrame(columns=EVIDENCE_LINK_COLUMNS)
        return EvidenceMatches(empty, pd.DataFrame(columns=["source", "record_id", "row_number", "reason", "code"]),
                               rows)
    org_id, org_cluster = _organisations_named(rows["organisation"], organisations)
    contact_id, why = _people_named(rows, org_cluster, mentions, settings, features)
    links, quarantined = [], []
    for i, row in enumerate(rows.itertuples(index=False)):
        person, organisation = contact_id[i], org_id[i]
        reason = _unusable(row.kind, _names_a_person(row), bool(person), bool(organisation), why[i])
        if reason is not None:
            code, text = reason
            quarantined.append({"source": row.source, "record_id": row.record_id, "row_number": row.row_number,
                                "reason": text, "code": code.value})
            continue
        links.append({"ref": row.ref, "source": row.source, "record_id": row.record_id, "kind": row.kind,
                      "contact_id": person or "", "organisation_id": organisation or "", "position": i})
    linked = pd.DataFrame(links, columns=[*EVIDENCE_LINK_COLUMNS, "position"])
    kept = rows.iloc[linked["position"].to_numpy(dtype=np.int64)].reset_index(drop=True)
    return EvidenceMatches(linked.drop(columns=["position"]),
                           pd.DataFrame(quarantined, columns=["source", "record_id", "row_number", "reason", "code"]),
                           kept)


def _unusable(kind: str, names_person: bool, person_known: bool, organisation_known: bool,
              person_problem: tuple[RowReason, str] | None) -> tuple[RowReason, str] | None:
    """Why an evidence row cannot be used, or None. A survey response is always kept (anonymous when it
    identifies nobody known); a sector row places an organisation, so needs it known; a group row's
    member is the person it names, else its organisation; an engagement needs either known."""
    unknown_organisation = (RowReason.NOT_KNOWN, "names nobody the graph knows: no contact list names this "
                                                 "organisation")
    if kind == "surveys":
        return None
    if kind == "sectors":
        return None if organisation_known else unknown_organisation
    if kind == "groups":
        if names_person:
            return None if person_known else person_problem
        return None if organisation_known else unknown_organisation
    if person_known or organisation_known:
        return None
    return person_problem if names_person and person_problem else unknown_organisation


def _names_a_person(row: object) -> bool:
    return any(_text(getattr(row, f, None)) for f in ("full_name", "email", "mobile", "phone"))


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _organisations_named(names: pd.Series, organisations: pd.DataFrame) -> tuple[list[str], list[int]]:
    """The known organisation (ID and resolver cluster) each row names, "" / -1 when none is."""
    by_key: dict[str, tuple[str, int]] = {}
    for org, cluster, spellings in zip(organisations["organisation_id"], organisations["cluster"],
                                       organisations["names"], strict=True):
        for spelling in spellings:
            by_key.setdefault(organisation_key(spelling), (org, int(cluster)))
    known = sorted(k for k in by_key if k)
    ids, clusters = [], []
    for name in names:
        key = organisation_key(name)
        found = by_key.get(key) if key else None
        if found is None and key and known:
            close = process.extractOne(key, known, scorer=fuzz.ratio, score_cutoff=SAME_NAME_RATIO)
            found = by_key[close[0]] if close else None
        ids.append(found[0] if found else "")
        clusters.append(found[1] if found else -1)
    return ids, clusters


def _people_named(rows: pd.DataFrame, org_cluster: list[int], mentions: pd.DataFrame, settings: MatchSettings,
                  known_features: PersonFeatures | None = None) -> tuple[list[str], list[tuple[RowReason, str] | None]]:
    """The contact each row's person is, by the resolver's own comparison with every person mention."""
    n_rows = len(rows)
    contact = [""] * n_rows
    why: list[tuple[RowReason, str] | None] = [None] * n_rows
    person = [_names_a_person(r) for r in rows.itertuples(index=False)]
    if not any(person) or mentions.empty:
        return contact, [(RowReason.NOT_KNOWN, "names nobody the graph knows") if p else None for p in person]
    asked = [i for i in range(n_rows) if person[i]]
    evidence = rows.iloc[asked].reindex(columns=_FEATURE_COLUMNS).assign(
        kind="evidence", postcode=None, address_line_1=None,
        organisation_cluster=[org_cluster[i] for i in asked], affiliation_cluster=-1)
    for column in ("organisation_cluster", "affiliation_cluster"):
        evidence[column] = evidence[column].fillna(-1).astype(np.int64)
    if known_features is None:
        known_features = person_features(mentions.reindex(columns=_FEATURE_COLUMNS).assign(
            organisation_cluster=mentions["organisation_cluster"].fillna(-1).astype(np.int64),
            affiliation_cluster=mentions["affiliation_cluster"].fillna(-1).astype(np.int64)))
    first = len(mentions)
    # each row's features are its own; only the sharing flags look across rows, and those are the lists'
    combined = joined(known_features, person_features(evidence))
    columns = contact_columns(_shared_as_the_lists_say(combined, known_features, first))
    pairs = contact_pairs(columns)
    # a mention and an evidence row, mention first: evidence never vouches for evidence
    lo, hi = pairs.min(axis=1), pairs.max(axis=1)
    keep = (lo < first) & (hi >= first)
    pairs = np.column_stack([lo[keep], hi[keep]])
    scored = score_pairs(columns, pairs, settings) if len(pairs) else pd.DataFrame(columns=["i", "j", "score"])
    contact_of_mention = mentions["contact_id"].to_numpy()
    best: dict[int, dict[str, float]] = {}
    threshold = attach_threshold(settings)
    for i, j, score in zip(scored["i"], scored["j"], scored["score"], strict=True):
        if score < threshold:
            continue
        scores = best.setdefault(int(j) - first, {})
        candidate = contact_of_mention[int(i)]
        scores[candidate] = max(score, scores.get(candidate, -np.inf))
    for position, row_index in enumerate(asked):
        found = best.get(position)
        if not found:
            why[row_index] = (RowReason.NOT_KNOWN, "names nobody the graph knows: no contact fits the person "
                                                   "this row names")
            continue
        ranked = sorted(found.items(), key=lambda item: -item[1])
        if len(ranked) > 1 and ranked[0][1] - ranked[1][1] < AMBIGUITY_MARGIN:
            why[row_index] = (RowReason.AMBIGUOUS, f"fits more than one contact equally well "
                                                   f"({ranked[0][0]}, {ranked[1][0]}); name them more fully")
            continue
        contact[row_index] = ranked[0][0]
    return contact, why


def _shared_as_the_lists_say(combined: PersonFeatures, known: PersonFeatures, first: int) -> PersonFeatures:
    """Whether a mailbox or number is shared (weak evidence) as the contact rows alone say: an evidence row
    with a typo-free name must not make a contact's own address look shared by someone else."""
    flags = {}
    for name in ("email", "mobile", "phone"):
        values, shared = getattr(known, name), getattr(known, f"{name}_shared")
        by_value = {v: bool(f) for v, f in zip(values, shared, strict=True) if v}
        evidence = np.array([by_value.get(v, False) for v in getattr(combined, name)[first:]], dtype=bool)
        flags[f"{name}_shared"] = np.concatenate([shared, evidence])
    return dataclasses.replace(combined, **flags)


def attach_threshold(settings: MatchSettings) -> float:
    """The score an evidence row needs to be taken as a contact: halfway between the review and the merge
    thresholds. Lower than a merge, because attaching a diary entry joins no two contacts and a row that
    gives only an e-mail address (a survey response) must still find its contact; higher than the review
    band's floor, so a surname and an initial alone are not enough."""
    return (settings.merge_threshold + settings.review_threshold) / 2

