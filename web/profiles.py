"""Contact and organisation pages: everything we know, with where each value came from."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request

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
def contact(request: Request, contact_id: str, session: ProfileReader):
    store = request.app.state.store
    # The role check is in the query: a restricted contact does not exist for a role that may not see it.
    if not store.contact_visible(contact_id, restricted_visible(session)):
        raise HTTPException(status_code=404, detail=NOT_FOUND)
    installation = request.app.state.installation
    export = subject_export(store, installation.home, contact_id)
    if export["contact"].get("restricted"):  # who read a restricted person's profile, and when
        installation.audit.append(session.user.username, "restricted profile viewed", {"contact_id": contact_id})
    return render(request, "contact.html", export=export, contact=export["contact"],
                  fields=profile_view.field_rows(export["field_provenance"]),
                  consents=profile_view.consent_rows(export["consents"]),
                  consent_history=profile_view.consent_history(export["consents"]),
                  timeline=profile_view.timeline(export), shown=profile_view.on_profile,
                  can_review=can(session.user.role, "review"))


@router.get("/organisations")
def organisations(request: Request, session: ProfileReader, q: str = ""):
    found = request.app.state.store.search_organisations(q, restricted_visible(session))
    return render(request, "organisations.html", q=q, organisations=found)


@router.get("/organisations/{organisation_id}")
def organisation(request: Request, organisation_id: str, session: ProfileReader):
    found = request.app.state.store.organisation_profile(organisation_id, restricted_visible(session))
    if found is None:
        raise HTTPException(status_code=404, detail="There is no organisation with that ID.")
    return render(request, "organisation.html", org=found["organisation"], found=found)
