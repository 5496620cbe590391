"""Resolution end to end: accepted source batches in, one ResolvedWorld out. No I/O."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sources.model import SourceBatch

from .blocking import candidate_pairs
from .clustering import cluster_people
from .comparisons import MatchSettings
from .features import ROLE_MAILBOXES, person_features
from .geography import postcode_table
from .identity import assign_ids
from .mentions import person_mentions
from .model import ResolvedWorld
from .organisations import cluster_organisation_keys, email_domain, organisation_key
from .scoring import score_pairs
from .survivorship import (
    decide_consent,
    display_name,
    distinct,
    highest_priority,
    most_recent_value,
    row_date,
    union_of_lists,
)


@dataclass
class PreviousIdentities:
    """ref -> ID as the graph held them after the last sync."""

    contacts: Mapping[str, str] = field(default_factory=dict)
    organisations: Mapping[str, str] = field(default_factory=dict)


def _progress_noop(message: str) -> None:
    pass


def resolve(batches: list[SourceBatch], previous: PreviousIdentities | None = None,
            settings: MatchSettings | None = None, extra_postcodes: pd.DataFrame | None = None,
            progress: Callable[[str], None] = _progress_noop) -> ResolvedWorld:
    previous = previous or PreviousIdentities()
    settings = settings or MatchSettings()
    mentions = person_mentions(batches)
    progress(f"resolving {len(mentions)} person records")

    organisations, org_of_mention = _resolve_organisations(mentions, previous.organisations)
    is_contact_row = (mentions["kind"] == "contacts").to_numpy()
    cluster_of_org = org_of_mention.fillna(-1).astype(np.int64).to_numpy()
    mentions["organisation_cluster"] = np.where(is_contact_row, cluster_of_org, -1)
    mentions["affiliation_cluster"] = np.where(is_contact_row, -1, cluster_of_org)

    features = person_features(mentions)
    pairs = candidate_pairs(features)
    scored = score_pairs(features, pairs, settings)
    progress(f"scored {len(scored)} candidate pairs")
    labels = cluster_people(features, scored, settings.merge_threshold)

    clusters = pd.Series(range(len(mentions))).groupby(labels).agg(list)
    all_refs = mentions["ref"].to_numpy()
    contact_refs = [sorted(all_refs[m]) for m in clusters]
    contact_ids = assign_ids(contact_refs, previous.contacts, "C")
    contact_of_mention = np.empty(len(mentions), dtype=object)
    for members, contact_id in zip(clusters, contact_ids, strict=True):
        contact_of_mention[members] = contact_id
    mentions["contact_id"] = contact_of_mention
    org_id_of_cluster = dict(zip(organisations["cluster"], organisations["organisation_id"], strict=True))
    mentions["organisation_id"] = [org_id_of_cluster.get(c, "") if c >= 0 else "" for c in cluster_of_org]

    contacts = _survive_contacts(mentions, organisations)
    premises, keyholders = _premises_and_keyholders(mentions)
    links = mentions[["ref", "source", "record_id", "kind", "contact_id", "organisation_id"]].copy()
    review = _review_pairs(scored, mentions, labels, settings)
    progress(f"{len(contacts)} contacts, {len(organisations)} organisations, {len(premises)} premises")
    return ResolvedWorld(
        contacts=contacts,
        organisations=organisations.drop(columns=["cluster"]),
        premises=premises,
        keyholders=keyholders,
        record_links=links,
        postcodes=postcode_table(batches, extra_postcodes),
        quarantine=_quarantine(batches),
        review_pairs=review,
    )


def _resolve_organisations(mentions: pd.DataFrame, previous: Mapping[str, str]
                           ) -> tuple[pd.DataFrame, pd.Series]:
    keys = [organisation_key(v) for v in mentions["organisation"]]
    domains: dict[str, set[str]] = {}
    # only contact rows: a keyholder often writes from a keyholding firm's domain, not the occupier's
    for key, email, kind in zip(keys, mentions["email"], mentions["kind"], strict=True):
        domain = email_domain(email)
        if key and domain and kind == "contacts":
            domains.setdefault(key, set()).add(domain)
    cluster_of_key = cluster_organisation_keys(keys, domains)
    cluster = pd.Series([cluster_of_key.get(k) if k else None for k in keys], dtype=object)
    members: dict[int, list[tuple[str, str]]] = {}
    for number, ref, spelling in zip(cluster, mentions["ref"], mentions["organisation"], strict=True):
        if number is not None:
            members.setdefault(number, []).append((ref, spelling))
    numbers = sorted(members)
    refs = [sorted(ref for ref, _ in members[n]) for n in numbers]
    ids = assign_ids(refs, previous, "O")
    rows = []
    for number, org_id, group_refs in zip(numbers, ids, refs, strict=True):
        spellings = Counter(spelling for _, spelling in members[number])
        # the most used spelling, the longer one on a tie ("Acme Ltd" over "Acme")
        best = max(spellings, key=lambda s: (spellings[s], len(s), s))
        rows.append({"organisation_id": org_id, "name": best, "names": sorted(spellings),
                     "refs": group_refs, "cluster": number})
    columns = ["organisation_id", "name", "names", "refs", "cluster"]
    return pd.DataFrame(rows, columns=columns), cluster


def _survive_contacts(mentions: pd.DataFrame, organisations: pd.DataFrame) -> pd.DataFrame:
    org_name = dict(zip(organisations["organisation_id"], organisations["name"], strict=True))
    by_contact: dict[str, list[dict]] = {}
    for row in mentions.to_dict("records"):
        by_contact.setdefault(row["contact_id"], []).append(row)
    rows = []
    for contact_id in sorted(by_contact):
        group = by_contact[contact_id]
        contact_rows = [r for r in group if r["kind"] == "contacts"]
        name, title, first, last = display_name(group)
        consent_email, email_source = decide_consent(contact_rows, "consent_email")
        consent_sms, sms_source = decide_consent(contact_rows, "consent_sms")
        employers = [r["organisation_id"] for r in sorted(contact_rows, key=row_date, reverse=True)
                     if r["organisation_id"]]
        dates = [row_date(r) for r in group if row_date(r) != dt.date.min]
        rows.append({
            "contact_id": contact_id, "name": name, "title": title, "first_name": first, "last_name": last,
            "job_title": most_recent_value(contact_rows, "job_title"),
            "email": most_recent_value(group, "email", prefer=_personal_mailbox),
            "mobile": most_recent_value(group, "mobile"),
            "phone": most_recent_value(group, "phone"),
            "emails": distinct(group, "email"), "mobiles": distinct(group, "mobile"),
            "phones": distinct(group, "phone"),
            "categories": distinct(contact_rows, "category"),
            "priority": highest_priority(contact_rows),
            "issues": union_of_lists(contact_rows, "issues"),
            "consent_email": consent_email, "consent_email_source": email_source,
            "consent_sms": consent_sms, "consent_sms_source": sms_source,
            "restricted": any(r.get("restricted") is True for r in contact_rows),
            "postcodes": distinct(contact_rows, "postcode"),
            "organisation_ids": sorted(set(employers)),
            "organisation": org_name.get(employers[0], "") if employers else "",
            "directorates": distinct(contact_rows, "directorate"),
            "refs": sorted(r["ref"] for r in group),
            "last_contacted": max(dates).isoformat() if dates else "",
        })
    return pd.DataFrame(rows)


def _personal_mailbox(email: str) -> bool:
    return email.split("@", 1)[0] not in ROLE_MAILBOXES


def _premises_and_keyholders(mentions: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = mentions[mentions["kind"] == "keyholders"]
    if rows.empty:
        return (pd.DataFrame(columns=["premises_id", "premises_ref", "name", "address_line_1",
                                      "address_line_2", "postcode", "occupier_id", "refs"]),
                pd.DataFrame(columns=["contact_id", "premises_id", "keyholder_order", "ref"]))
    from .premises import premises_frames

    return premises_frames(rows)


def _review_pairs(scored: pd.DataFrame, mentions: pd.DataFrame, labels: np.ndarray,
                  settings: MatchSettings) -> pd.DataFrame:
    band = scored[(scored["score"] >= settings.review_threshold)]
    apart = labels[band["i"].to_numpy()] != labels[band["j"].to_numpy()]
    band = band[apart]
    refs = mentions["ref"].to_numpy()
    return pd.DataFrame({"ref_a": refs[band["i"].to_numpy()], "ref_b": refs[band["j"].to_numpy()],
                         "score": band["score"].to_numpy()})


def _quarantine(batches: list[SourceBatch]) -> pd.DataFrame:
    frames = [b.quarantine for b in batches if not b.quarantine.empty]
    columns = ["source", "record_id", "row_number", "reason"]
    return pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)
