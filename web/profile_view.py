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


TIMELINE_PAGE = 100  # entries per page of a profile's timeline


@dataclass(frozen=True)
class TimelineItem:
    """One dated entry of a profile's timeline. ``date``: ISO date or date and time ("" when undated), what
    the list is sorted by; ``details``: (label, text) lines shown under ``what``."""

    date: str
    kind: str
    what: str
    source: str
    details: tuple[tuple[str, str], ...] = ()

    @property
    def when(self) -> str:
        """The date as a reader scans it: "2026-03-12", or "2026-03-12 10:15" (UTC) for a moment."""
        return self.date[:16].replace("T", " ") if self.date else "undated"


@dataclass(frozen=True)
class TimelinePage:
    items: list[TimelineItem]
    number: int  # 1 is the newest
    pages: int
    total: int
    first: int  # the position of the first entry on this page, from 1 (0 when there is none)
    last: int


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


def engagement_item(engagement: dict, notes_shown: bool) -> TimelineItem:
    """An engagement as the timeline shows it: type, date, officer, directorate, subject, issues, and its
    notes only when ``notes_shown`` (stewards, and the engagement's author)."""
    details = [("Officer", engagement.get("officer") or "—"), ("Directorate", engagement.get("directorate") or "—")]
    if engagement.get("issues"):
        details.append(("Issues", ", ".join(i.replace("_", " ") for i in engagement["issues"])))
    if notes_shown and engagement.get("notes"):
        details.append(("Notes", engagement["notes"]))
    subject = engagement.get("subject") or "no subject recorded"
    logged = f" (logged in the web app by {engagement['author']})" if engagement.get("origin") == "web" else ""
    return TimelineItem(engagement.get("date") or "", "Engagement", f"{engagement.get('type') or 'other'}: {subject}",
                        engagement["ref"] + logged, tuple(details))


def message_item(delivery: dict) -> TimelineItem:
    """A message the contact was sent, on one channel, with where its delivery stands."""
    channel = CHANNEL_LABELS.get(delivery["channel"], delivery["channel"])
    version = f", version {delivery['version']}" if delivery.get("version") else ""
    return TimelineItem(delivery.get("at") or "", "Message",
                        f"“{delivery.get('title') or delivery['message_id']}” by {channel}: "
                        f"{delivery.get('status') or 'pending'}", f"message {delivery['message_id']}{version}")


def timeline(export: dict, viewer: str = "", sees_all_notes: bool = False,
             engagements: list[dict] | None = None) -> list[TimelineItem]:
    """Newest first, in one list: engagements, messages received, survey responses, steward decisions about
    its records, ID events, the audiences it was in and the contacts recorded on its rows (undated last).
    ``viewer``: who reads, to show the notes of their own engagements; ``sees_all_notes``: a steward's view.
    ``engagements``: instead of the export's (an organisation's page has no export)."""
    items = [engagement_item(e, sees_all_notes or (bool(viewer) and e.get("author") == viewer))
             for e in (export.get("engagements", []) if engagements is None else engagements)]
    items += [message_item(delivery) for delivery in export.get("messages", [])]
    for response in export.get("survey_responses", []):
        score = response.get("score")
        details = [("Question", response.get("question") or "—")]
        if response.get("comment"):
            details.append(("Comment", response["comment"]))
        items.append(TimelineItem(response.get("date") or "", "Survey response",
                                  f"score {score} of 5" if score is not None else "no score given", response["ref"],
                                  tuple(details)))
    for row in export.get("source_rows", []):
        values = row.get("values") or {}
        if values.get("changed_at"):  # a row of the portal's staff lists: who of the organisation said so
            items.append(TimelineItem(str(values["changed_at"]), "Stakeholder portal",
                                      f"details given by {values.get('changed_by') or 'their organisation'}",
                                      row["ref"]))
            continue
        if values.get("last_contacted"):
            items.append(TimelineItem(str(values["last_contacted"]), "Source row", "last contacted", row["ref"]))
        if values.get("last_verified"):
            items.append(TimelineItem(str(values["last_verified"]), "Source row", "details verified", row["ref"]))
    for entry in export.get("audiences", []):
        count = entry["details"].get("count")
        what = entry["action"] + (f" ({count} recipients)" if count is not None else "")
        items.append(TimelineItem(entry["at"], "Audience", what, f"{entry['who']}, audit #{entry['seq']}"))
    for decision in export.get("decisions", []):
        items.append(TimelineItem(decision["at"], "Steward decision", f"{decision['decision_id']}: {decision['text']}",
                                  decision["who"]))
    for event in export.get("lineage", {}).get("events", []):
        items.append(TimelineItem(event["at"], "ID event", event["text"], "sync"))
    dated = sorted((i for i in items if i.date), key=lambda item: item.date, reverse=True)
    return dated + [i for i in items if not i.date]


def timeline_page(items: list[TimelineItem], number: int, size: int = TIMELINE_PAGE) -> TimelinePage:
    """Page ``number`` (from 1, the newest; out of range: the nearest page) of ``items``."""
    pages = max(1, -(-len(items) // size))
    number = min(max(number, 1), pages)
    shown = items[(number - 1) * size:number * size]
    first = (number - 1) * size + 1 if shown else 0
    return TimelinePage(shown, number, pages, len(items), first, first + len(shown) - 1 if shown else 0)
