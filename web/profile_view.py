"""What the contact page shows, built from a subject export (pure: no I/O).

The page is the subject access export (`services.subject_access.subject_export`) laid out for a person:
the same facts with the same sources, so what a steward sees is what a subject request returns.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from kernel.display import shown

# Fields shown in "where each value came from", in the order a reader scans a record.
FIELD_ORDER = ("name", "title", "first_name", "last_name", "job_title", "organisation", "email", "mobile", "phone",
               "priority", "categories", "issues", "restricted", "consent_email", "consent_sms", "postcodes",
               "directorates", "last_contacted")
CHANNEL_LABELS = {"email": "Email", "sms": "SMS"}


@dataclass(frozen=True)
class TimelineItem:
    date: str
    what: str
    source: str




# a value as a profile shows it: an empty one as a dash, lists joined by commas
on_profile = functools.partial(shown, blank="—", separator=", ")

def field_rows(provenance: dict) -> list[dict]:
    known = [f for f in FIELD_ORDER if f in provenance] + sorted(set(provenance) - set(FIELD_ORDER))
    return [{"field": f.replace("_", " "), "key": f, "value": on_profile(provenance[f].get("value")),
             "rule": provenance[f].get("rule", ""), "source": provenance[f].get("source", ""),
             "alternatives": [{"value": on_profile(a.get("value")), "refs": ", ".join(a.get("refs", []))}
                              for a in provenance[f].get("alternatives", [])]}
            for f in known]


def consent_rows(consents: list[dict]) -> list[dict]:
    return [{"channel": CHANNEL_LABELS.get(c["channel"], c["channel"]),
             "value": "no consent recorded" if c["value"] is None else ("consented" if c["value"] else "declined"),
             "date": c.get("date") or "undated", "source": c.get("source") or "—", "rule": c.get("rule", "")}
            for c in consents]


def consent_history(consents: list[dict]) -> list[dict]:
    """Every explicit value per channel, newest first: what the source rows said and what came back from
    messages (a STOP, an unsubscribe, an address that failed for good), each with its source and date."""
    said = {True: "yes", False: "no"}
    rows = []
    for c in consents:
        channel = CHANNEL_LABELS.get(c["channel"], c["channel"])
        rows += [{"channel": channel, "value": said.get(r["value"], str(r["value"])),
                  "date": r.get("date") or "undated", "source": r["ref"]} for r in c.get("stated_on_rows", [])]
        rows += [{"channel": channel, "value": "no" if e["kind"] == "opt_out" else "address undeliverable",
                  "date": e["date"], "source": e["source"]} for e in c.get("came_back", [])]
    return sorted(rows, key=lambda r: (r["date"] != "undated", r["date"]), reverse=True)  # undated last


def timeline(export: dict) -> list[TimelineItem]:
    """Newest first: contacts recorded on its rows, audiences it was in, steward decisions, ID changes."""
    items = []
    for row in export["source_rows"]:
        values = row.get("values") or {}
        if values.get("last_contacted"):
            items.append(TimelineItem(str(values["last_contacted"]), "last contacted", row["ref"]))
        if values.get("last_verified"):
            items.append(TimelineItem(str(values["last_verified"]), "details verified", row["ref"]))
    for entry in export["audiences"]:
        count = entry["details"].get("count")
        what = entry["action"] + (f" ({count} recipients)" if count is not None else "")
        items.append(TimelineItem(entry["at"], what, f"{entry['who']}, audit #{entry['seq']}"))
    for decision in export["decisions"]:
        items.append(TimelineItem(decision["at"], f"{decision['decision_id']}: {decision['text']}", decision["who"]))
    for event in export["lineage"]["events"]:
        items.append(TimelineItem(event["at"], event["text"], "sync"))
    return sorted(items, key=lambda item: item.date, reverse=True)
