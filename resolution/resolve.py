"""Resolution end to end: accepted source batches in, one ResolvedWorld out. No I/O."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from kernel.code_version import code_fingerprint
from kernel.progress import quiet
from sources.model import QUARANTINE_COLUMNS, SELF_SERVICE, SourceBatch

from .channel_events import ChannelEvent, by_address, consent_rows, without_undeliverable
from .clustering import cluster_people
from .comparisons import MatchSettings
from .decisions import Decision, active_constraints, latest_overrides, override_value, undecided_pairs
from .engagement_record import engagement_record
from .evidence import match_evidence
from .explain import PairExplanation, explain_pairs
from .features import ROLE_MAILBOXES, PersonFeatures, person_features
from .geography import postcode_table
from .identity import Assignment, KnownId, assign_ids
from .levels import Columns
from .match_model import MatchModel, shape_of
from .mentions import person_mentions
from .model import LINEAGE_COLUMNS, ResolvedWorld
from .organisations import cluster_organisation_keys, email_domain, organisation_key
from .provenance import provenance
from .scoring import contact_columns, contact_pairs, pair_levels, weigh_pairs
from .survivorship import (
    RULE_NONE,
    Choice,
    decide_consent,
    decide_restricted,
    display_name,
    distinct,
    highest_priority,
    latest_date,
    most_recent_value,
    name_part,
    row_date,
    union_of_lists,
)
from .training import learn_settings
from .wards import ward_boundaries

# The fields a person row can fill: how complete a row is, for survivorship's third tie-break.
_COMPLETENESS_COLUMNS = ["title", "first_name", "last_name", "job_title", "organisation", "email", "phone", "mobile",
                         "postcode", "category", "priority", "consent_email", "consent_sms", "date"]
_SURVIVORSHIP_COLUMNS = ["ref", "kind", "contact_id", "organisation_id", "full_name", "first_name", "last_name",
                         "title", "job_title", "email", "mobile", "phone", "category", "priority", "issues",
                         "consent_email", "consent_sms", "restricted", "postcode", "directorate", "date",
                         "filled_fields"]


@dataclass
class PreviousIdentities:
    """ref -> ID as the graph held them after the last sync, and the registry of every ID ever
    minted (contacts and organisations: ID -> its age and, once out of use, its last records)."""

    contacts: Mapping[str, str] = field(default_factory=dict)
    organisations: Mapping[str, str] = field(default_factory=dict)
    known: Mapping[str, KnownId] = field(default_factory=dict)



def resolve(batches: list[SourceBatch], previous: PreviousIdentities | None = None,
            settings: MatchSettings | None = None, extra_postcodes: pd.DataFrame | None = None,
            progress: Callable[[str], None] = quiet,
            decisions: Sequence[Decision] = (), channel_events: Sequence[ChannelEvent] = (),
            model: MatchModel | None = None) -> ResolvedWorld:
    """Deduplicate contacts and organisations. ``decisions``: steward decisions (revoked ones are
    ignored): matches and no-matches bind clustering; overrides win over survivorship. ``model``: weights
    learned before, used while they fit the data (resolution.match_model); the world says which it used."""
    previous = previous or PreviousIdentities()
    settings = settings or MatchSettings()
    mentions, organisations, org_lineage, features = _people(batches, previous)
    progress(f"resolving {len(mentions)} person records")
    cluster_of_org = np.maximum(mentions["organisation_cluster"].to_numpy(),
                                mentions["affiliation_cluster"].to_numpy())

    scored, settings, model = _score(features, settings, model=model, progress=progress)
    progress(f"scored {len(scored)} candidate pairs")
    all_refs = mentions["ref"].to_numpy()
    constraints = active_constraints(decisions, {ref: i for i, ref in enumerate(all_refs)} if decisions else {})
    if decisions:
        progress(f"{len(constraints.applied)} steward decision(s) apply")
    labels = cluster_people(features, scored, settings.merge_threshold, constraints.must_link,
                            constraints.cannot_link, fenced=(mentions["record_kind"] == SELF_SERVICE).to_numpy())

    clusters = pd.Series(range(len(mentions))).groupby(labels).agg(list)
    contact_refs = [sorted(all_refs[m]) for m in clusters]
    contact_assignment = assign_ids(contact_refs, previous.contacts, "C", previous.known, constraints.detached)
    contact_of_mention = np.empty(len(mentions), dtype=object)
    for members, contact_id in zip(clusters, contact_assignment.ids, strict=True):
        contact_of_mention[members] = contact_id
    mentions["contact_id"] = contact_of_mention
    org_id_of_cluster = dict(zip(organisations["cluster"], organisations["organisation_id"], strict=True))
    mentions["organisation_id"] = [org_id_of_cluster.get(c, "") if c >= 0 else "" for c in cluster_of_org]

    overrides = latest_overrides(constraints.overrides, dict(zip(all_refs, contact_of_mention, strict=True)))
    contacts = _survive_contacts(mentions, organisations, overrides, by_address(channel_events))
    premises, keyholders = _premises_and_keyholders(mentions)
    links = mentions[["ref", "source", "record_id", "record_kind", "contact_id", "organisation_id"]].rename(
        columns={"record_kind": "kind"})
    review = _review_pairs(scored, mentions, labels, settings, decisions)
    progress(f"{len(contacts)} contacts, {len(organisations)} organisations, {len(premises)} premises")
    evidence = match_evidence(batches, mentions, organisations, settings, features)
    record = engagement_record(evidence)
    if len(evidence.links) or len(evidence.quarantine):
        progress(f"{len(evidence.links)} engagement-record rows matched, {len(evidence.quarantine)} quarantined")
    return ResolvedWorld(
        contacts=contacts,
        organisations=organisations.drop(columns=["cluster"]),
        premises=premises,
        keyholders=keyholders,
        record_links=links,
        postcodes=postcode_table(batches, extra_postcodes),
        quarantine=_quarantine(batches, evidence.quarantine),
        review_pairs=review,
        lineage=_lineage({"contact": contact_assignment, "organisation": org_lineage}),
        decisions_applied=constraints.applied,
        evidence_links=evidence.links,
        engagement_record=record,
        provenance=provenance(batches, record),
        ward_boundaries=ward_boundaries(batches),
        match_model=model,
    )


def _people(batches: list[SourceBatch], previous: PreviousIdentities
            ) -> tuple[pd.DataFrame, pd.DataFrame, Assignment, PersonFeatures]:
    """Person mentions with their organisations resolved, and their comparison features."""
    mentions = person_mentions(batches)
    organisations, org_of_mention, org_lineage = _resolve_organisations(mentions, previous.organisations,
                                                                         previous.known)
    is_contact_row = (mentions["kind"] == "contacts").to_numpy()
    cluster_of_org = org_of_mention.fillna(-1).astype(np.int64).to_numpy()
    mentions["organisation_cluster"] = np.where(is_contact_row, cluster_of_org, -1)
    mentions["affiliation_cluster"] = np.where(is_contact_row, -1, cluster_of_org)
    mentions["filled_fields"] = mentions[_COMPLETENESS_COLUMNS].notna().sum(axis=1)
    return mentions, organisations, org_lineage, person_features(mentions)


def _score(features: PersonFeatures, settings: MatchSettings, columns: Columns | None = None,
           model: MatchModel | None = None, progress: Callable[[str], None] = quiet
           ) -> tuple[pd.DataFrame, MatchSettings, MatchModel | None]:
    """Candidate pairs scored with ``model``'s weights while they fit this data, else with weights learned
    from it (the defaults when it is too small to learn from); the settings that scored them, and the
    model they came from (None for the defaults)."""
    columns = contact_columns(features) if columns is None else columns
    pairs = contact_pairs(columns)
    levels = pair_levels(columns, pairs)
    if not settings.learned:
        settings, model = _weights(features, columns, pairs, levels, settings, model, progress)
    return weigh_pairs(columns, pairs, levels, settings), settings, model


def _weights(features: PersonFeatures, columns: Columns, pairs: np.ndarray, levels: list[np.ndarray],
             settings: MatchSettings, model: MatchModel | None, progress: Callable[[str], None]
             ) -> tuple[MatchSettings, MatchModel | None]:
    shape, code = shape_of(features), code_fingerprint("resolution")
    unfit = model.unfit_for(shape, code) if model is not None else "none were kept"
    if model is not None and unfit is None:
        progress(f"contact weights learned on {model.learned_on or 'an earlier sync'} reused")
        return model.settings, model
    learned = learn_settings(columns, pairs, levels, settings)
    if learned is None:
        return settings, None
    progress(f"contact weights learned from this data ({unfit})")
    return learned, MatchModel(learned, shape, code)


def explain_records(batches: list[SourceBatch], ref_a: str, ref_b: str,
                    settings: MatchSettings | None = None, model: MatchModel | None = None) -> PairExplanation:
    """Why two source records are, or are not, one contact. Raises KeyError naming an unknown ref."""
    explanation = explain_record_pairs(batches, [(ref_a, ref_b)], settings, model)[0]
    if explanation is None:
        known = set(person_mentions(batches)["ref"])
        raise KeyError(next(ref for ref in (ref_a, ref_b) if ref not in known))
    return explanation


def explain_record_pairs(batches: list[SourceBatch], pairs: Sequence[tuple[str, str]],
                         settings: MatchSettings | None = None, model: MatchModel | None = None
                         ) -> list[PairExplanation | None]:
    """``explain_records`` for many pairs at once: features and weights are computed once, not per
    pair (``model``: the weights the sync kept, used as the sync would). None for a pair naming a record
    that is not in the batches."""
    mentions, _, _, features = _people(batches, PreviousIdentities())
    position = {ref: i for i, ref in enumerate(mentions["ref"])}
    columns = contact_columns(features)
    _, settings, _ = _score(features, settings or MatchSettings(), columns, model)
    known = [(a, b) for a, b in pairs if a in position and b in position]
    explained = iter(explain_pairs(columns, [(position[a], position[b]) for a, b in known], known, settings))
    return [next(explained) if a in position and b in position else None for a, b in pairs]


def _lineage(assignments: Mapping[str, Assignment]) -> pd.DataFrame:
    rows = [(e.kind, entity_type, e.entity_id, list(e.related_ids), list(e.refs))
            for entity_type, assignment in assignments.items() for e in assignment.events]
    return pd.DataFrame(rows, columns=LINEAGE_COLUMNS)


def _resolve_organisations(mentions: pd.DataFrame, previous: Mapping[str, str], known: Mapping[str, KnownId]
                           ) -> tuple[pd.DataFrame, pd.Series, Assignment]:
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
    assignment = assign_ids(refs, previous, "O", known)
    rows = []
    for number, org_id, group_refs in zip(numbers, assignment.ids, refs, strict=True):
        spellings = Counter(spelling for _, spelling in members[number])
        # a carefully cased spelling first, then the most used, then the longer ("Acme Ltd" over "Acme")
        best = max(spellings, key=lambda s: (_written_with_care(s), spellings[s], len(s), s))
        rows.append({"organisation_id": org_id, "name": best, "names": sorted(spellings),
                     "refs": group_refs, "cluster": number})
    columns = ["organisation_id", "name", "names", "refs", "cluster"]
    return pd.DataFrame(rows, columns=columns), cluster, assignment


def _written_with_care(name: str) -> bool:
    # "Port of London Authority" over "port of london authority" or "PORT OF LONDON AUTHORITY"
    return name != name.lower() and name != name.upper()


def _survive_contacts(mentions: pd.DataFrame, organisations: pd.DataFrame,
                      overrides: Mapping[str, Mapping[str, Decision]],
                      events: Mapping[tuple[str, str], list[ChannelEvent]] | None = None) -> pd.DataFrame:
    org_name = dict(zip(organisations["organisation_id"], organisations["name"], strict=True))
    by_contact: dict[str, list[dict]] = {}
    # plain lists, not DataFrame.to_dict: several times faster on 60k rows
    values = zip(*(mentions[c].tolist() for c in _SURVIVORSHIP_COLUMNS), strict=True)
    for row in (dict(zip(_SURVIVORSHIP_COLUMNS, v, strict=True)) for v in values):
        by_contact.setdefault(row["contact_id"], []).append(row)
    rows = []
    for contact_id in sorted(by_contact):
        group = by_contact[contact_id]
        contact_rows = [r for r in group if r["kind"] == "contacts"]
        # what came back from messages (resolution.channel_events): opt-outs weigh as dated "no"s, and an
        # undeliverable address is not offered for its channel
        said = consent_rows(group, events) if events else []
        offered = without_undeliverable(group, events) if events else group
        name, name_row = display_name(group)
        choices = {
            "name": name,
            "title": most_recent_value(group, "title"),
            "first_name": name_part(group, name_row, "first_name"),
            "last_name": name_part(group, name_row, "last_name"),
            "job_title": most_recent_value(contact_rows, "job_title"),
            "email": most_recent_value(offered, "email", prefer=_personal_mailbox),
            "mobile": most_recent_value(offered, "mobile"),
            "phone": most_recent_value(group, "phone"),
            "organisation": _employer(contact_rows, org_name),
            "priority": highest_priority(contact_rows),
            "categories": distinct(contact_rows, "category"),
            "issues": union_of_lists(contact_rows, "issues"),
            "consent_email": decide_consent(contact_rows + said, "consent_email"),
            "consent_sms": decide_consent(contact_rows + said, "consent_sms"),
            "restricted": decide_restricted(contact_rows),
            "postcodes": distinct(contact_rows, "postcode"),
            "directorates": distinct(contact_rows, "directorate"),
            "last_contacted": latest_date(group),
        }
        for name_of_field, decision in overrides.get(contact_id, {}).items():
            choices[name_of_field] = _overridden(choices[name_of_field], decision)
        rows.append({
            "contact_id": contact_id, **{f: choice.value for f, choice in choices.items()},
            "emails": distinct(group, "email").value, "mobiles": distinct(group, "mobile").value,
            "phones": distinct(group, "phone").value,
            "consent_email_source": choices["consent_email"].source,
            "consent_sms_source": choices["consent_sms"].source,
            "consent_email_at": _decided_on(choices["consent_email"], group, overrides.get(contact_id, {})),
            "consent_sms_at": _decided_on(choices["consent_sms"], group, overrides.get(contact_id, {})),
            "organisation_ids": sorted({r["organisation_id"] for r in contact_rows if r["organisation_id"]}),
            "refs": sorted(r["ref"] for r in group),
            # fields no row has a value for are left out
            "field_provenance": json.dumps({f: choice.as_dict() for f, choice in choices.items()
                                            if choice.rule != RULE_NONE},
                                           sort_keys=True, ensure_ascii=False, default=str),
        })
    return pd.DataFrame(rows)


def _decided_on(choice: Choice, group: Sequence[dict], overrides: Mapping[str, Decision]) -> str:
    """The date (ISO) of the row or steward decision that chose ``choice``; "" when undated or none did."""
    decision = next((d for d in overrides.values() if d.decision_id == choice.source), None)
    if decision is not None:
        return decision.at[:10]
    dates = [row_date(r) for r in group if r["ref"] == choice.source]
    return dates[0].isoformat() if dates and dates[0] != dt.date.min else ""


def _employer(contact_rows: list[dict], org_name: Mapping[str, str]) -> Choice:
    """The organisation named on the most recent contact row that names one (by its best spelling)."""
    chosen = most_recent_value(contact_rows, "organisation_id")
    others = [{"value": org_name.get(a["value"], a["value"]), "refs": a["refs"]} for a in chosen.alternatives]
    return Choice(org_name.get(chosen.value, ""), chosen.rule, chosen.source, others)


def _overridden(chosen: Choice, decision: Decision) -> Choice:
    """A steward's value wins; what the rules chose is kept as the first alternative."""
    by_rules = {"value": chosen.value, "refs": [chosen.source] if chosen.source else [],
                "rule": f"chosen by the rules: {chosen.rule}"}
    rule = (f"steward override by {decision.who} on {decision.at[:10]}: {decision.why} "
            f"({decision.decision_id})")
    return Choice(override_value(decision.field or "", decision.value or ""), rule, decision.decision_id,
                  [by_rules, *chosen.alternatives])


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
                  settings: MatchSettings, decisions: Sequence[Decision]) -> pd.DataFrame:
    band = scored[(scored["score"] >= settings.review_threshold)]
    apart = labels[band["i"].to_numpy()] != labels[band["j"].to_numpy()]
    band = band[apart]
    i, j = band["i"].to_numpy(), band["j"].to_numpy()
    refs, names, contacts = (mentions[c].to_numpy() for c in ("ref", "full_name", "contact_id"))
    review = pd.DataFrame({"ref_a": refs[i], "ref_b": refs[j], "score": band["score"].to_numpy(),
                           "contact_a": contacts[i], "contact_b": contacts[j],
                           "name_a": [n or "" for n in names[i]], "name_b": [n or "" for n in names[j]]})
    if decisions:
        waiting = undecided_pairs(zip(review["ref_a"], review["ref_b"], strict=True), decisions)
        review = review[np.array(waiting, dtype=bool)]
    return review.reset_index(drop=True)


def _quarantine(batches: list[SourceBatch], unmatched: pd.DataFrame) -> pd.DataFrame:
    frames = [b.quarantine for b in batches if not b.quarantine.empty]
    frames += [unmatched] if not unmatched.empty else []
    columns = list(QUARANTINE_COLUMNS)
    return pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)
