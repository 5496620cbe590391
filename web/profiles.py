"""Contact and organisation pages: everything we know, with where each value came from, and the timeline
of what happened with them (engagements logged here: web.engagements)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from fastapi import APIRouter, HTTPException, Request

from accounts.users import Session
from services.engagements import ISSUES, TYPES, EngagementForm
from services.subject_access import subject_export

from . import profile_view
from .pages import ProfileReader, render, restricted_visible
from .permissions import can

router = APIRouter()
NOT_FOUND = "There is no contact with that ID, or your role may not see it."


@router.get("/contacts")
def contacts(request: Request, session: ProfileReader, q: str = ""):
    found = request.app.state.store.search_contacts(q, restricted_visible(session))
    return render(request, "contacts.html", q=q, contacts=found)


@router.get("/contacts/{contact_id}")
def contact(request: Request, contact_id: str, session: ProfileReader, page: str = "1"):
    return contact_page(request, session, contact_id, _page_number(page))


def contact_page(request: Request, session: Session, contact_id: str, page: int = 1,
                 form: EngagementForm | None = None, problems: Mapping[str, str] | None = None,
                 status_code: int = 200):
    """The contact's profile; ``form`` and ``problems``: an engagement form sent back with what is wrong."""
    store = request.app.state.store
    # The role check is in the query: a restricted contact does not exist for a role that may not see it.
    if not store.contact_visible(contact_id, restricted_visible(session)):
        raise HTTPException(status_code=404, detail=NOT_FOUND)
    installation = request.app.state.installation
    export = subject_export(store, installation.home, contact_id)
    if export["contact"].get("restricted"):  # who read a restricted person's profile, and when
        installation.audit.append(session.user.username, "restricted profile viewed", {"contact_id": contact_id})
    items = profile_view.timeline(export, session.user.username, can(session.user.role, "review"))
    return render(request, "contact.html", status_code=status_code, export=export, contact=export["contact"],
                  fields=profile_view.field_rows(export["field_provenance"]),
                  consents=profile_view.consent_rows(export["consents"]),
                  consent_history=profile_view.consent_history(export["consents"]),
                  timeline=profile_view.timeline_page(items, page), shown=profile_view.on_profile,
                  can_review=can(session.user.role, "review"),
                  **_engagement_form(request, session, f"/contacts/{contact_id}/engagements", form, problems))


@router.get("/organisations")
def organisations(request: Request, session: ProfileReader, q: str = ""):
    found = request.app.state.store.search_organisations(q, restricted_visible(session))
    return render(request, "organisations.html", q=q, organisations=found)


@router.get("/organisations/{organisation_id}")
def organisation(request: Request, organisation_id: str, session: ProfileReader, page: str = "1"):
    return organisation_page(request, session, organisation_id, _page_number(page))


def organisation_page(request: Request, session: Session, organisation_id: str, page: int = 1,
                      form: EngagementForm | None = None, problems: Mapping[str, str] | None = None,
                      status_code: int = 200):
    store = request.app.state.store
    found = store.organisation_profile(organisation_id, restricted_visible(session))
    if found is None:
        raise HTTPException(status_code=404, detail="There is no organisation with that ID.")
    record = store.organisation_engagement_record(organisation_id, restricted_visible(session)) or {}
    items = profile_view.timeline({}, session.user.username, can(session.user.role, "review"),
                                  engagements=record.get("engagements", []))
    portal = request.app.state.installation.portal
    return render(request, "organisation.html", status_code=status_code, org=found["organisation"], found=found,
                  record=record, timeline=profile_view.timeline_page(items, page),
                  own_profile=portal.details(organisation_id) if portal.exists else None,
                  own_staff=portal.staff(organisation_id) if portal.exists else [],
                  can_invite=can(session.user.role, "invite"),
                  **_engagement_form(request, session, f"/organisations/{organisation_id}/engagements", form,
                                     problems))


def _engagement_form(request: Request, session: Session, action: str, form: EngagementForm | None,
                     problems: Mapping[str, str] | None) -> dict:
    """What the "Log an engagement" form needs: its values (today's date to start with), choices and errors."""
    return {"can_log": can(session.user.role, "engagements"), "engagement_action": action,
            "engagement": form or EngagementForm(date=dt.date.today().isoformat()),
            "engagement_problems": dict(problems or {}), "engagement_types": TYPES, "issue_choices": ISSUES,
            "directorates": request.app.state.store.directorates(), "today": dt.date.today().isoformat()}


def _page_number(text: str) -> int:
    """The timeline page asked for; anything but a number is the first (timeline_page keeps it in range)."""
    return int(text) if text.strip().isdigit() else 1
