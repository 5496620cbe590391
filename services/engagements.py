"""Logging an engagement from a profile (contract section 8): a meeting, call or briefing with a contact or
an organisation, checked field by field, kept in the graph as ``web:E-<n>`` (never swept by a sync:
graph.engagements) and recorded in the audit log with IDs only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from kernel.errors import StakeholdersError, UsageError
from sources.normalise.dates import parse_date
from sources.normalise.engagement import ENGAGEMENT_TYPES
from sources.normalise.issues import ISSUES

from .installation import Installation

TYPES = ENGAGEMENT_TYPES  # the form's choices: the vocabulary the diaries are read with
__all__ = ["FIELDS", "ISSUES", "TYPES", "EngagementForm", "EngagementProblems", "LoggedEngagement", "NotFound",
           "check", "log_engagement"]
MAX_SUBJECT = 200
MAX_NOTES = 4000
# The form's fields in the order a reader meets them: where each problem is shown.
FIELDS = ("type", "date", "subject", "issues", "directorate", "notes")


@dataclass(frozen=True)
class EngagementForm:
    """What the user typed and chose, as text: to check, and to fill the form in again after a problem."""

    type: str = "meeting"
    date: str = ""  # ISO (the browser's date field); the UK's day-first order is read too
    subject: str = ""
    issues: tuple[str, ...] = ()
    directorate: str = ""
    notes: str = ""

    @classmethod
    def from_params(cls, params) -> EngagementForm:
        """From form data (anything with ``get`` and ``getlist``)."""
        return cls(type=str(params.get("type") or "").strip(), date=str(params.get("date") or "").strip(),
                   subject=str(params.get("subject") or "").strip(),
                   issues=tuple(v.strip() for v in params.getlist("issues") if v.strip()),
                   directorate=str(params.get("directorate") or "").strip(),
                   notes=str(params.get("notes") or "").strip())


class EngagementProblems(UsageError, ValueError):
    """Every problem with the form, per field: ``problems`` maps a field of ``FIELDS`` to one sentence."""

    def __init__(self, problems: Mapping[str, str]) -> None:
        self.problems = {name: problems[name] for name in FIELDS if name in problems}
        super().__init__("; ".join(f"{name}: {text}" for name, text in self.problems.items()))


class NotFound(StakeholdersError, LookupError):
    """No such contact or organisation, or one the role may not see."""

    http_status = 404


@dataclass(frozen=True)
class LoggedEngagement:
    ref: str  # web:E-<n>
    contact_id: str
    organisation_id: str
    date: str  # ISO


def check(form: EngagementForm, directorates: list[str], today: dt.date) -> dict:
    """The engagement's fields as the graph keeps them, or EngagementProblems naming every field in error."""
    problems: dict[str, str] = {}
    if form.type not in ENGAGEMENT_TYPES:
        problems["type"] = f"Choose the kind of engagement: one of {', '.join(ENGAGEMENT_TYPES)}."
    date = _date(form.date, today, problems)
    if not form.subject:
        problems["subject"] = "Say in a few words what it was about."
    elif len(form.subject) > MAX_SUBJECT:
        problems["subject"] = f"Keep the subject to {MAX_SUBJECT} characters (it has {len(form.subject)})."
    unknown = [i for i in form.issues if i not in ISSUES]
    if unknown:
        problems["issues"] = f"Not issues of the taxonomy: {', '.join(unknown)}."
    if form.directorate and form.directorate not in directorates:
        problems["directorate"] = (f"{form.directorate!r} is not a directorate the graph knows; choose one of the "
                                   "list or leave it empty.")
    if len(form.notes) > MAX_NOTES:
        problems["notes"] = f"Keep the notes to {MAX_NOTES} characters (they have {len(form.notes)})."
    if problems:
        raise EngagementProblems(problems)
    return {"type": form.type, "date": date.isoformat(), "subject": form.subject,
            "issues": list(dict.fromkeys(form.issues)), "directorate": form.directorate, "notes": form.notes}


def _date(text: str, today: dt.date, problems: dict[str, str]) -> dt.date:
    if not text:
        problems["date"] = "Give the date it happened (today or earlier)."
        return today
    try:
        value = dt.date.fromisoformat(text)
    except ValueError:
        value, problem = parse_date(text, today)
        if value is None and "future" in (problem or ""):  # a year after next: not read as a date at all
            problems["date"] = f"{text} is in the future: log an engagement once it has happened{_today(today)}."
            return today
        if value is None:
            problems["date"] = f"{text!r} is not a date: give it as DD/MM/YYYY or pick it from the calendar."
            return today
    if value > today:
        problems["date"] = (f"{value.strftime('%d/%m/%Y')} is in the future: log an engagement once it has "
                            f"happened{_today(today)}.")
    return value


def _today(today: dt.date) -> str:
    return f" (today is {today.strftime('%d/%m/%Y')})"


def log_engagement(installation: Installation, who: str, can_see_restricted: bool, form: EngagementForm, *,
                   contact_id: str = "", organisation_id: str = "", today: dt.date | None = None,
                   request: str | None = None) -> LoggedEngagement:
    """Log ``form`` as an engagement of ``who`` (the officer and author) with a contact or an organisation.

    NotFound when there is none by that ID, or the contact is restricted and the role may not see it;
    EngagementProblems (every field in error) when the form does not hold; ``request``: the caller's key,
    so that a form sent twice (a retried request) is logged once."""
    if bool(contact_id) == bool(organisation_id):
        raise UsageError("an engagement is with one contact or one organisation")
    store = installation.store
    if contact_id and not store.contact_visible(contact_id, can_see_restricted):
        raise NotFound(f"There is no contact {contact_id}, or your role may not see it.")
    if organisation_id and store.organisation(organisation_id) is None:
        raise NotFound(f"There is no organisation {organisation_id}.")
    fields = check(form, store.directorates(), today or dt.date.today())
    props = {**fields, "officer": who, "author": who, "origin": "web", "contact_id": contact_id,
             "organisation_id": organisation_id, "logged_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    # the coverage report reads figures worked out from the engagements: count this one in now, not at the
    # next sync; under the sync lock, so a load's own refresh never runs beside it (while a sync runs, the
    # form is refused as busy and nothing is logged)
    with installation.sync_lock():
        stored = store.log_engagement(props, request)
        store.refresh_report_fields()
    about = {"contact_id": contact_id} if contact_id else {"organisation_id": organisation_id}
    installation.audit.append(who, "engagement logged", {"ref": stored["ref"], **about})
    return LoggedEngagement(stored["ref"], contact_id, organisation_id, fields["date"])
