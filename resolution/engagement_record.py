"""The engagement record as the graph loads it: diary entries, group memberships, the CSSC sectors and
hubs, and survey responses, each a frame built from the evidence rows matched to contacts and
organisations (resolution.evidence). Pure."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pandas as pd

from sources.normalise.engagement import name_key

from .evidence import EvidenceMatches
from .organisations import abbreviates

ENGAGEMENT_COLUMNS = ["ref", "date", "engagement_type", "officer", "directorate", "subject", "issues", "notes",
                      "contact_id", "organisation_id"]
MEMBER_COLUMNS = ["ref", "group", "group_key", "alias", "priority_stakeholder", "contact_id", "organisation_id"]
SECTOR_COLUMNS = ["ref", "sector", "sector_key", "alias", "hub", "hub_key", "organisation_id", "lead_contact_id"]
SURVEY_COLUMNS = ["ref", "date", "score", "question", "comment", "message_id", "contact_id", "organisation_id"]


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(columns=columns)


@dataclass
class EngagementRecord:
    """engagements: ENGAGEMENT_COLUMNS (date ISO text; contact_id/organisation_id "" when not named);
    members: MEMBER_COLUMNS (``alias``: the acronym the row wrote the group's name as, else ""; a person
    member has contact_id and no organisation_id; an organisation member
    the reverse); sectors: SECTOR_COLUMNS (names shown as most often spelt; lead_contact_id "" unless the
    row's person leads the sector); surveys: SURVEY_COLUMNS (contact_id "" when anonymous)."""

    engagements: pd.DataFrame = field(default_factory=lambda: _empty(ENGAGEMENT_COLUMNS))
    members: pd.DataFrame = field(default_factory=lambda: _empty(MEMBER_COLUMNS))
    sectors: pd.DataFrame = field(default_factory=lambda: _empty(SECTOR_COLUMNS))
    surveys: pd.DataFrame = field(default_factory=lambda: _empty(SURVEY_COLUMNS))


def engagement_record(matches: EvidenceMatches) -> EngagementRecord:
    rows = matches.rows.assign(contact_id=matches.links["contact_id"].to_numpy(),
                               organisation_id=matches.links["organisation_id"].to_numpy())
    by_kind = {kind: rows[rows["kind"] == kind] for kind in ("engagements", "groups", "sectors", "surveys")}
    return EngagementRecord(
        engagements=_engagements(by_kind["engagements"]),
        members=_members(by_kind["groups"]),
        sectors=_sectors(by_kind["sectors"]),
        surveys=_surveys(by_kind["surveys"]),
    )


def _iso(value: object) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else ""


def _engagements(rows: pd.DataFrame) -> pd.DataFrame:
    if rows.empty:
        return _empty(ENGAGEMENT_COLUMNS)
    return pd.DataFrame({
        "ref": rows["ref"], "date": [_iso(d) for d in rows["date"]], "engagement_type": rows["engagement_type"],
        "officer": rows["officer"].fillna(""), "directorate": rows["directorate"].fillna(""),
        "subject": rows["subject"].fillna(""), "issues": rows["issues"], "notes": rows["notes"].fillna(""),
        "contact_id": rows["contact_id"], "organisation_id": rows["organisation_id"],
    }).reset_index(drop=True)


def _members(rows: pd.DataFrame) -> pd.DataFrame:
    if rows.empty:
        return _empty(MEMBER_COLUMNS)
    aliases = acronym_aliases(rows["group"])
    keys = [aliases.get(name_key(g), name_key(g)) for g in rows["group"]]
    names = _shown_names(rows["group"], aliases)
    # the member is the person the row names, else its organisation (data contract section 8)
    organisation = [org if not person else "" for org, person in zip(rows["organisation_id"], rows["contact_id"],
                                                                     strict=True)]
    return pd.DataFrame({"ref": rows["ref"].to_numpy(), "group": [names[k] for k in keys], "group_key": keys,
                         "alias": _aliases_used(rows["group"], aliases),
                         "priority_stakeholder": rows["priority_stakeholder"].fillna(False).astype(bool).to_numpy(),
                         "contact_id": rows["contact_id"].to_numpy(), "organisation_id": organisation})


def _sectors(rows: pd.DataFrame) -> pd.DataFrame:
    if rows.empty:
        return _empty(SECTOR_COLUMNS)
    aliases = acronym_aliases(rows["sector"])
    sector_names, hub_names = _shown_names(rows["sector"], aliases), _shown_names(rows["hub"])
    sector_keys = [aliases.get(name_key(s), name_key(s)) for s in rows["sector"]]
    hub_keys = [name_key(h) for h in rows["hub"]]
    leads = [person if lead else "" for person, lead in zip(rows["contact_id"], rows["sector_lead"], strict=True)]
    return pd.DataFrame({"ref": rows["ref"].to_numpy(), "sector": [sector_names[k] for k in sector_keys],
                         "sector_key": sector_keys, "alias": _aliases_used(rows["sector"], aliases),
                         "hub": [hub_names.get(k, "") for k in hub_keys],
                         "hub_key": hub_keys, "organisation_id": rows["organisation_id"].to_numpy(),
                         "lead_contact_id": leads})


def _surveys(rows: pd.DataFrame) -> pd.DataFrame:
    if rows.empty:
        return _empty(SURVEY_COLUMNS)
    return pd.DataFrame({
        "ref": rows["ref"], "date": [_iso(d) for d in rows["date"]], "score": rows["score"].astype(int),
        "question": rows["question"].fillna(""), "comment": rows["comment"].fillna(""),
        "message_id": rows["message_id"].fillna(""), "contact_id": rows["contact_id"],
        "organisation_id": rows["organisation_id"],
    }).reset_index(drop=True)


def _aliases_used(names: pd.Series, aliases: dict[str, str]) -> list[str]:
    """Each row's name as an acronym key when it was written as one, else ""."""
    return [name_key(n) if name_key(n) in aliases else "" for n in names]


def acronym_aliases(names: pd.Series) -> dict[str, str]:
    """key of an acronym -> key of the one name it abbreviates ("colcpa" -> "city of london crime prevention
    association"): one list writes the acronym, another the name, and both mean one group or sector. An
    acronym that could stand for two names is left alone."""
    keys = {name_key(n) for n in names if isinstance(n, str) and n.strip()}
    aliases = {}
    for short in (k for k in keys if " " not in k):
        expansions = [k for k in keys if k != short and abbreviates(short, k)]
        if len(expansions) == 1:
            aliases[short] = expansions[0]
    return aliases


def _shown_names(spellings: pd.Series, aliases: dict[str, str] | None = None) -> dict[str, str]:
    """key -> the spelling to show: the name an acronym stands for, then a carefully cased spelling, then the
    most used ("Finance" over "FINANCE" or "finance ")."""
    aliases = aliases or {}
    counts: dict[str, Counter] = {}
    for spelling in spellings:
        if isinstance(spelling, str) and spelling.strip():
            text = " ".join(spelling.split())
            key = name_key(text)
            counts.setdefault(aliases.get(key, key), Counter())[text] += 1
    return {key: max(c, key=lambda s: (name_key(s) == key, _written_with_care(s), c[s], s))
            for key, c in counts.items()}


def _written_with_care(name: str) -> bool:
    """Starts with a capital and shouts no word: "Emergency services", not "emergency SERVICES" or "FINANCE"
    (an acronym of two or three letters, "CCTV owners", is not shouting)."""
    return name[:1].isupper() and not any(w.isupper() and len(w) > 4 for w in name.split())
