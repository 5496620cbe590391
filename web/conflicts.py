"""A merged contact's conflicting fields: the surviving value and why it won, the values it won over
and their rows; the steward may choose another value (an override), split a record out, or undo a
decision from the contact's history. Everything goes through services.review, as the CLI does."""

from __future__ import annotations

import json

from fastapi import APIRouter, Form, HTTPException, Request

from accounts.users import Session
from services import review as stewardship

from .pages import Reviewer, redirect, render, restricted_visible
from .review import audit_decision, can_apply_now, reason_of, staged_view
from .review_logic import DEFAULT_REASON, conflicts, override_text, shown

router = APIRouter()
OTHER = "__other__"  # the radio button for a value typed in
_SUMMARY = ("full_name", "email", "mobile", "phone", "organisation", "job_title", "postcode", "last_contacted",
            "last_verified")


def _contact(request: Request, session: Session, contact_id: str) -> dict:
    """The contact as this role may see it; 404 as if absent for a restricted contact and a non-SPOC."""
    found = request.app.state.store.steward_contact(contact_id, restricted_visible(session))
    if found is None:
        raise HTTPException(status_code=404, detail=f"No contact {contact_id}.")
    return found


def _page_url(contact_id: str) -> str:
    return f"/contacts/{contact_id}/conflicts"


def _page(request: Request, session: Session, contact_id: str, error: str = "", status_code: int = 200,
          contact: dict | None = None):
    contact = contact or _contact(request, session, contact_id)
    provenance = json.loads(contact.get("field_provenance") or "{}")
    history = stewardship.history(request.app.state.store, contact_id)
    rows = staged_view(request).rows
    records = [{**r, "summary": [(name, shown(rows.get(r["ref"], {}).get(name))) for name in _SUMMARY
                                 if shown(rows.get(r["ref"], {}).get(name))]}
               for r in contact["records"]]
    return render(request, "conflicts.html", status_code=status_code, contact=contact, records=records,
                  fields=conflicts(provenance), decisions=list(reversed(history["decisions"])),
                  events=history["events"], error=error, other=OTHER, apply_now=can_apply_now(request),
                  default_reason=DEFAULT_REASON, back=_page_url(contact_id))


@router.get("/contacts/{contact_id}/conflicts")
def conflicts_page(request: Request, contact_id: str, session: Reviewer):
    store = request.app.state.store
    contact = store.steward_contact(contact_id, restricted_visible(session))
    if contact is None:
        entry = store.identity(contact_id)
        if entry and entry.get("status") == "merged":  # a bookmark from before a merge: go to the survivor
            now = stewardship.history(store, contact_id)["now"]
            if now and store.steward_contact(now, restricted_visible(session)) is not None:
                return redirect(_page_url(now), f"{contact_id} was merged into {now}.")
    return _page(request, session, contact_id, contact=contact)


@router.post("/contacts/{contact_id}/override")
def override(request: Request, contact_id: str, session: Reviewer, field: str = Form(""),
             choice: str = Form(""), other: str = Form(""), reason: str = Form("")):
    contact = _contact(request, session, contact_id)
    value = other if choice == OTHER else choice
    provenance = json.loads(contact.get("field_provenance") or "{}")
    if choice != OTHER and field in provenance and value == override_text(field, provenance[field].get("value")):
        return _page(request, session, contact_id, f"That is already the surviving {field}: choose another value.",
                     status_code=400)
    try:
        decision = stewardship.decide_override(request.app.state.store, contact_id, field, value,
                                               session.user.username, reason_of(reason))
    except stewardship.StewardError as error:
        return _page(request, session, contact_id, f"Not recorded: {error}.", status_code=400)
    audit_decision(request, session, decision)
    return redirect(_page_url(contact_id), f"Recorded {decision.decision_id}: {field} of {contact_id} is "
                                           "overridden from the next sync.")


@router.post("/contacts/{contact_id}/split")
def split(request: Request, contact_id: str, session: Reviewer, ref: str = Form(""), reason: str = Form("")):
    contact = _contact(request, session, contact_id)
    if ref not in {r["ref"] for r in contact["records"]}:
        return _page(request, session, contact_id, f"{ref or 'That record'} is not a record of {contact_id}.",
                     status_code=400)
    try:
        decision, _ = stewardship.decide_no_match(request.app.state.store, [ref], session.user.username,
                                                  reason_of(reason))
    except stewardship.StewardError as error:
        return _page(request, session, contact_id, f"Not recorded: {error}.", status_code=400)
    audit_decision(request, session, decision)
    return redirect(_page_url(contact_id), f"Recorded {decision.decision_id}: {ref} leaves {contact_id} at the "
                                           "next sync.")


@router.post("/contacts/{contact_id}/undo")
def undo(request: Request, contact_id: str, session: Reviewer, decision_id: str = Form(""),
         reason: str = Form("")):
    _contact(request, session, contact_id)
    store = request.app.state.store
    theirs = {d["decision_id"] for d in stewardship.history(store, contact_id)["decisions"]}
    if decision_id not in theirs:  # only decisions shown on this contact's page
        return _page(request, session, contact_id, f"{decision_id or 'That decision'} is not in the history of "
                                                   f"{contact_id}.", status_code=400)
    try:
        decision = stewardship.undo(store, decision_id, session.user.username, reason_of(reason))
    except stewardship.StewardError as error:
        return _page(request, session, contact_id, f"Not undone: {error}.", status_code=400)
    audit_decision(request, session, decision, action="decision undone")
    return redirect(_page_url(contact_id), f"Undid {decision.decision_id}; the change takes effect at the next "
                                           "sync.")
