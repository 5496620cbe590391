"""The police side of the portal: stewards invite priority stakeholders from an organisation's page, SPOCs
answer their questions, and the control room sees their event reports as they come in."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request

from accounts.users import AccountError, Session
from kernel.errors import StakeholdersError
from portal import forms
from services import portal_desk, portal_invites

from .pages import redirect, render, require

router = APIRouter()
Inviter = Annotated[Session, Depends(require("invite"))]
Spoc = Annotated[Session, Depends(require("questions"))]
ControlRoom = Annotated[Session, Depends(require("control_room"))]


@router.get("/organisations/{organisation_id}/invite")
def invite_form(request: Request, organisation_id: str, session: Inviter):
    return _invite_page(request, organisation_id)


def _invite_page(request: Request, organisation_id: str, status_code: int = 200, **context: object):
    installation = request.app.state.installation
    organisation = installation.store.organisation(organisation_id)
    if organisation is None:
        raise HTTPException(status_code=404, detail="There is no organisation with that ID.")
    base = {"organisation": organisation, "invites": portal_invites.invitations(installation, organisation_id),
            "made": None, "error": "", "username": "", "hours": "24"}
    return render(request, "portal_invite.html", status_code=status_code, **{**base, **context})


@router.post("/organisations/{organisation_id}/invite")
def invite(request: Request, organisation_id: str, session: Inviter, username: Annotated[str, Form()] = "",
           hours: Annotated[str, Form()] = "24"):
    try:
        made = portal_invites.invite(request.app.state.installation, session.user.username, organisation_id,
                                     username, float(hours) if hours.replace(".", "", 1).isdigit() else 0)
    except portal_invites.NoSuchOrganisation as error:
        raise HTTPException(status_code=404, detail=str(error)) from None
    except AccountError as error:
        return _invite_page(request, organisation_id, 400, error=str(error), username=username, hours=hours)
    # the link is shown once, on this page, for the steward to pass on; only its hash is kept
    return _invite_page(request, organisation_id, made=made)


@router.get("/questions")
def question_queue(request: Request, session: Spoc, directorate: str = "", answered: str = ""):
    installation = request.app.state.installation
    return render(request, "portal_questions.html", directorate=directorate, answered=answered == "yes",
                  directorates=installation.store.directorates(),
                  queue=portal_desk.question_queue(installation, directorate, open_only=answered != "yes"))


@router.post("/questions/{question_id}/answer")
def answer(request: Request, session: Spoc, question_id: str, answer: Annotated[str, Form()] = ""):
    try:
        done = portal_desk.answer(request.app.state.installation, session.user.username, question_id, answer)
    except forms.FormProblems as problems:
        raise HTTPException(status_code=400, detail=str(problems)) from None
    except StakeholdersError as error:
        raise HTTPException(status_code=error.http_status, detail=str(error)) from None
    return redirect("/questions", f"Answered {done.question_id}; it is on the organisation's timeline.")


@router.get("/control-room")
def control_room(request: Request, session: ControlRoom):
    return render(request, "control_room.html", reports=portal_desk.control_room(request.app.state.installation),
                  poll_seconds=request.app.state.config.control_room_poll_seconds,
                  map_tiles=request.app.state.config.map_tiles,
                  map_attribution=request.app.state.config.map_attribution)


@router.get("/control-room/latest")
def latest(request: Request, session: ControlRoom):
    """The newest report's ID, for the page to reload itself when one comes in (web/static/control_room.js)."""
    found = portal_desk.control_room(request.app.state.installation, limit=1)
    return {"latest": found[0]["report"].report_id if found else ""}
