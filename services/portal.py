"""The stakeholder portal's use cases: a priority stakeholder keeps its organisation's own records.

Everything here acts for one ``Stakeholder`` — a user bound to one organisation — and reads or writes that
organisation only: an ID of another organisation's person, entry, question or report is not found. The
staff list and profile are kept in the home (portal.store) and reach the graph at the next sync as the
``self_service`` source; questions and event reports are kept there too and go to the SPOCs and the
control room at once (services.portal_desk). Every write is audited with IDs only.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from accounts.users import User
from delivery.channel import Channel
from graph.store import GraphStore
from kernel.errors import StakeholdersError
from messages import workflow
from messages.model import Message
from portal import forms
from portal.self_service import SOURCE_NAME, self_service_batch
from portal.store import EventReport, NotFound, Question, StaffEntry
from sources.model import SourceBatch

from . import messages as message_use_cases
from .installation import Installation

SELF_SERVICE_PREFIX = f"{SOURCE_NAME}:"
_NOBODY = "None of your staff on the police's records agreed to be sent messages that way"
__all__ = ["NotFound", "Stakeholder", "add_people", "ask", "change_person", "organisation_view", "remove_person",
           "report_event", "save_details", "self_service_sources", "send_report"]


class NotOnYourList(StakeholdersError, ValueError):
    """A change the staff list cannot make, in one sentence."""


@dataclass(frozen=True)
class Stakeholder:
    username: str
    organisation_id: str

    @classmethod
    def of(cls, user: User) -> Stakeholder:
        if not user.is_stakeholder or not user.organisation_id:
            raise NotFound("The portal is for the priority stakeholders the force invites.")
        return cls(user.username, user.organisation_id)


PER_PAGE = 100  # people on a page of the staff list


def organisation_view(installation: Installation, who: Stakeholder, page: int = 1, text: str = "") -> dict:
    """The organisation as its staff see it: its details, premises and sectors, its own profile, and a page
    of its people by name (``text``: those whose name or email holds it) — those the police hold (never a
    restricted one) and, on the first page, those added here since the last sync."""
    store = installation.store
    found = store.portal_organisation(who.organisation_id)
    if found is None:
        raise NotFound("Your organisation's record is being updated. Try again tomorrow, or call your police "
                       "contact.")
    entries = {e.entry_id: e for e in installation.portal.staff(who.organisation_id)}
    made_from = sorted({e.contact_id for e in entries.values() if e.contact_id})
    held = store.people_of_entries(who.organisation_id, made_from, [SELF_SERVICE_PREFIX + e for e in entries])
    seen = {entry.entry_id for person in held if (entry := _entry_of(person, entries))}
    page = max(page, 1)
    listed = store.portal_people(who.organisation_id, text, (page - 1) * PER_PAGE, PER_PAGE)
    people = [{**person, "key": person["id"], "entry": _entry_of(person, entries)} for person in listed["people"]]
    # added (or made from someone since merged away) after the last sync: in the police's records after the next
    waiting = [{"key": e.entry_id, "entry": e, "id": "", "name": e.cells.get("full_name"), **_channels(e.cells)}
               for e in entries.values() if e.entry_id not in seen
               and (not text or text.lower() in f"{e.cells.get('full_name')} {e.cells.get('email')}".lower())]
    return {"organisation": found["organisation"], "premises": found["premises"], "sectors": found["sectors"],
            "people_count": found["people"], "people": people, "matching": listed["total"], "page": page,
            "pages": max(1, -(-listed["total"] // PER_PAGE)), "text": text,
            "waiting": waiting if page == 1 else [], "waiting_count": len(waiting),
            "details": installation.portal.details(who.organisation_id) or {}, "last_sync": _synced_at(installation)}


def person(installation: Installation, who: Stakeholder, key: str) -> dict:
    """One person of the list, by contact ID (C-…) or staff entry (SS-…), with the form's values."""
    if key.startswith("SS-"):
        entry = installation.portal.entry(who.organisation_id, key)
        return {"key": key, "name": entry.cells.get("full_name"), "cells": entry.cells, "entry": entry,
                "known_ref": entry.known_ref}
    found = installation.store.portal_person(who.organisation_id, key)
    if found is None:
        raise NotFound("There is no such person on your staff list.")
    entry = _entry_of(found, {e.entry_id: e for e in installation.portal.staff(who.organisation_id)})
    cells = entry.cells if entry else {
        "full_name": found["name"] or "", "job_title": found["job_title"] or "", "email": found["email"] or "",
        "mobile": found["mobile"] or "", "phone": found["phone"] or "",
        "consent_email": "yes" if found["consent_email"] else "", "consent_sms": "yes" if found["consent_sms"] else ""}
    # a row of the police's own about them: a new entry made from this person is joined to it
    known = next((r for r in sorted(found["refs"]) if not r.startswith(SELF_SERVICE_PREFIX)), "")
    return {"key": key, "name": found["name"], "cells": cells, "entry": entry, "known_ref": known}


def add_people(installation: Installation, who: Stakeholder, people: list[Mapping[str, str]]) -> list[StaffEntry]:
    """Add people (each checked; all or none). A pasted list: ``forms.parse_staff_list`` first."""
    checked = [forms.check_person(cells) for cells in people]
    made = installation.portal.add_staff(who.organisation_id, who.username, checked)
    _audit(installation, who, "portal staff added", entries=[e.entry_id for e in made])
    return made


def change_person(installation: Installation, who: Stakeholder, key: str, cells: Mapping[str, str]) -> StaffEntry:
    """Correct a person: their entry when they have one, else a new entry that is that graph contact."""
    checked = forms.check_person(cells)
    found = person(installation, who, key)
    if found["entry"] is not None:
        entry = installation.portal.change_staff(who.organisation_id, found["entry"].entry_id, who.username, checked)
    else:
        entry = installation.portal.add_staff(who.organisation_id, who.username, [checked], contact_id=key,
                                              known_ref=found["known_ref"])[0]
    _audit(installation, who, "portal staff changed", entries=[entry.entry_id], contact_id=entry.contact_id or None)
    return entry


def remove_person(installation: Installation, who: Stakeholder, key: str) -> StaffEntry:
    """End the person's entry on the list. The police's own records about them are not touched."""
    found = person(installation, who, key)
    if found["entry"] is None:
        raise NotOnYourList(f"{found['name']} is on the police's own records, not on the list your organisation "
                            "keeps here, so there is nothing to remove. If they have left, ask your police contact "
                            "(Questions) to update their records.")
    ended = installation.portal.end_staff(who.organisation_id, found["entry"].entry_id, who.username)
    _audit(installation, who, "portal staff removed", entries=[ended.entry_id])
    return ended


def save_details(installation: Installation, who: Stakeholder, params: Mapping[str, object]) -> dict:
    details = forms.check_details(params, installation.store.sector_names())
    installation.portal.save_details(who.organisation_id, who.username, details)
    _audit(installation, who, "portal profile changed", fields=sorted(k for k, v in details.items() if v))
    return details


def ask(installation: Installation, who: Stakeholder, params: Mapping[str, object]) -> Question:
    """A question to the SPOCs of the directorate chosen (any SPOC when none), on the organisation's timeline."""
    question = forms.check_question(params, installation.store.directorates())
    asked = installation.portal.ask(who.organisation_id, who.username, question)
    log_on_timeline(installation.store, who.organisation_id, f"Question from {who.username} (portal)",
                    f"Question: {asked.subject}", asked.text, asked.directorate, asked.issue, who.username)
    _audit(installation, who, "portal question asked", question_id=asked.question_id,
           directorate=asked.directorate or None)
    return asked


def questions(installation: Installation, who: Stakeholder) -> list[Question]:
    return installation.portal.questions(who.organisation_id)


def report_event(installation: Installation, who: Stakeholder, params: Mapping[str, object],
                 now: dt.datetime | None = None) -> EventReport:
    """An event report for the control room; a postcode gives the map its point when the graph knows it."""
    report = forms.check_report(params, now or dt.datetime.now(dt.UTC))
    if report["latitude"] is None and report["postcode"]:
        point = installation.store.postcode_point(report["postcode"])
        if point:
            report["latitude"], report["longitude"] = point
    made = installation.portal.report(who.organisation_id, who.username, report)
    _audit(installation, who, "portal event reported", report_id=made.report_id)
    return made


def event_reports(installation: Installation, who: Stakeholder) -> list[EventReport]:
    return installation.portal.event_reports(who.organisation_id)


def send_report(installation: Installation, who: Stakeholder, report_id: str, channel: Channel,
                channels: tuple[str, ...] = ("email", "sms")) -> message_use_cases.SendReport:
    """Send an event report on to the organisation's own staff, as a ``spontaneous`` message from the
    organisation: no police authorisation, since it reaches their own people only (those who agreed to
    each channel), through the installation's delivery service."""
    report = installation.portal.event_report(report_id, who.organisation_id)
    # claimed first, in one UPDATE: the button pressed twice sends it once
    if not installation.portal.claim_report(report_id, who.organisation_id):
        raise NotOnYourList(f"This report was sent to your staff already ({report.message_id or 'just now'}).")
    channels = tuple(c for c in channels if c in ("email", "sms")) or ("email",)
    organisation = installation.store.portal_organisation(who.organisation_id) or {"organisation": {}}
    name = organisation["organisation"].get("name") or who.organisation_id
    at = message_use_cases.now().isoformat()
    why = f"sent by {name} to its own staff from the portal: no police authorisation needed"
    body = f"{report.what}\n\nWhere: {_where(report)}\nWhen: {report.occurred_at[:16].replace('T', ' ')} UTC"
    draft = Message("", "spontaneous", 3, f"{name}: event report", body, channels,
                    {"include": [who.organisation_id]}, who.username, state="authorised", created_at=at,
                    authorised_by=workflow.PORTAL, authorised_at=at, from_organisation=who.organisation_id,
                    history=({"state": "draft", "who": who.username, "at": at, "why": ""},
                             {"state": "authorised", "who": who.username, "at": at, "why": why}))
    try:
        stored = installation.store.new_message(draft)
    except StakeholdersError:
        installation.portal.report_sent(report_id, "")  # nothing made: it may be sent again
        raise
    installation.portal.report_sent(report_id, stored.message_id)
    actor = message_use_cases.Actor(who.username, workflow.PORTAL)
    try:
        sent = message_use_cases.issue(installation, actor, stored.message_id, channel)
    except message_use_cases.MessageError:  # nobody to send it to on the channels chosen
        installation.store.save_message(dataclasses.replace(stored, state="withdrawn", reason=_NOBODY))
        installation.portal.report_sent(report_id, "")
        raise NotOnYourList(f"{_NOBODY}: nothing was sent. Choose another channel, or add their details and "
                            "consent on your staff list (the police's records take them at the next update).") from None
    _audit(installation, who, "portal event report sent", report_id=report_id, message_id=stored.message_id)
    return sent


def self_service_sources(installation: Installation) -> list[SourceBatch]:
    """The portal's staff lists as the sync reads them: one batch once the portal has been used at all."""
    portal = installation.portal
    if not portal.exists:
        return []
    entries = portal.staff()
    names = installation.store.organisation_names(sorted({e.organisation_id for e in entries}))
    issues = {organisation: details.get("issues", []) for organisation, details in portal.all_details().items()}
    return [self_service_batch(portal.path, entries, names, issues)]


def log_on_timeline(store: GraphStore, organisation_id: str, officer: str, subject: str, notes: str,
                    directorate: str, issue: str, author: str) -> None:
    """An engagement on the organisation's timeline (kept like one logged in the web app: never swept)."""
    store.log_engagement({"type": "other", "date": dt.date.today().isoformat(), "subject": subject[:200],
                          "issues": [issue] if issue else [], "directorate": directorate, "notes": notes,
                          "officer": officer, "author": author, "origin": "web", "contact_id": "",
                          "organisation_id": organisation_id,
                          "logged_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")})


def _entry_of(person: Mapping, entries: Mapping[str, StaffEntry]) -> StaffEntry | None:
    """The current staff entry of the organisation that is this graph contact, if any."""
    for ref in person.get("refs") or ():
        if ref.startswith(SELF_SERVICE_PREFIX) and ref[len(SELF_SERVICE_PREFIX):] in entries:
            return entries[ref[len(SELF_SERVICE_PREFIX):]]
    return next((e for e in entries.values() if e.contact_id and e.contact_id == person.get("id")), None)


def _channels(cells: Mapping[str, str]) -> dict:
    return {"job_title": cells.get("job_title"), "email": cells.get("email"), "mobile": cells.get("mobile"),
            "phone": cells.get("phone"), "consent_email": cells.get("consent_email") == "yes",
            "consent_sms": cells.get("consent_sms") == "yes"}


def _synced_at(installation: Installation) -> str:
    """When the last sync ran ("" before the first)."""
    recent = installation.runs.recent(1)
    return str(recent[0].get("finished_at") or "") if recent else ""


def _where(report: EventReport) -> str:
    if report.postcode:
        return report.postcode
    return f"{report.latitude:.5f}, {report.longitude:.5f}"


def _audit(installation: Installation, who: Stakeholder, action: str, **details: object) -> None:
    installation.audit.append(who.username, action, {"organisation_id": who.organisation_id,
                                                     **{k: v for k, v in details.items() if v is not None}})
