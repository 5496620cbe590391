"""Logging an engagement from a contact's or an organisation's page: the form posts here, is checked by
services.engagements, and comes back with its problems next to their fields, or goes to the timeline."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request

from accounts.users import Session
from services.engagements import EngagementForm, EngagementProblems, NotFound, log_engagement

from .pages import redirect, require, restricted_visible
from .profiles import contact_page, organisation_page

router = APIRouter()
EngagementLogger = Annotated[Session, Depends(require("engagements"))]


@router.post("/contacts/{contact_id}/engagements")
async def log_with_contact(request: Request, contact_id: str, session: EngagementLogger):
    form = EngagementForm.from_params(await request.form())
    try:
        logged = log_engagement(request.app.state.installation, session.user.username, restricted_visible(session),
                                form, contact_id=contact_id)
    except NotFound as error:
        raise HTTPException(status_code=404, detail=str(error)) from None
    except EngagementProblems as error:
        return contact_page(request, session, contact_id, form=form, problems=error.problems, status_code=400)
    return redirect(f"/contacts/{contact_id}#timeline", f"Logged the {form.type} of {logged.date} as {logged.ref}.")


@router.post("/organisations/{organisation_id}/engagements")
async def log_with_organisation(request: Request, organisation_id: str, session: EngagementLogger):
    form = EngagementForm.from_params(await request.form())
    try:
        logged = log_engagement(request.app.state.installation, session.user.username, restricted_visible(session),
                                form, organisation_id=organisation_id)
    except NotFound as error:
        raise HTTPException(status_code=404, detail=str(error)) from None
    except EngagementProblems as error:
        return organisation_page(request, session, organisation_id, form=form, problems=error.problems,
                                 status_code=400)
    return redirect(f"/organisations/{organisation_id}#timeline",
                    f"Logged the {form.type} of {logged.date} as {logged.ref}.")
