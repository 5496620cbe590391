"""The stakeholder portal: a deliberately small surface for people outside the force.

Every page is under /portal, signed in with the portal's own cookie (sent to /portal only) and for a
stakeholder account only; each reads and writes the signed-in person's own organisation through
services.portal, so another organisation's IDs are simply not found (404). Forms carry the session's CSRF
token like every form of the app; the portal takes no files (web.pages.csrf_protect refuses them).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request

from accounts.invites import InviteError
from accounts.users import AccountError, Session
from kernel.errors import StakeholdersError
from portal import forms
from portal.store import EventReport, Question
from services import portal as portal_use_cases
from services import portal_invites
from services.portal import Stakeholder
from sources.normalise.issues import ISSUES

from .pages import LOGIN_CSRF_COOKIE, PORTAL_PATH, login_csrf_pair, redirect, render, signed_in
from .signin import signed_in_response

router = APIRouter(prefix=PORTAL_PATH)
NAVIGATION = (("/portal", "Your organisation"), ("/portal/staff", "Staff list"),
              ("/portal/questions", "Questions"), ("/portal/reports", "Event reports"))


def stakeholder(session: Annotated[Session, Depends(signed_in)]) -> Stakeholder:
    """The signed-in stakeholder (web.pages keeps police sessions off these pages: 403)."""
    try:
        return Stakeholder.of(session.user)
    except StakeholdersError as error:
        raise HTTPException(status_code=403, detail=str(error)) from None


Member = Annotated[Stakeholder, Depends(stakeholder)]


def _page(request: Request, template: str, status_code: int = 200, **context: object):
    return render(request, f"portal/{template}", status_code=status_code, portal_nav=NAVIGATION, **context)


def _refused(error: StakeholdersError) -> HTTPException:
    return HTTPException(status_code=error.http_status, detail=str(error))


@router.get("")
def overview(request: Request, who: Member):
    view = _view(request, who)
    return _page(request, "overview.html", view=view, sectors=request.app.state.store.sector_names(),
                 issues=ISSUES, details=view["details"], problems={})


@router.post("/profile")
async def save_profile(request: Request, who: Member):
    params = await request.form()
    values = {**{k: params.get(k) for k in ("about", "premises", "sector", "opening_hours", "out_of_hours")},
              "issues": params.getlist("issues")}
    try:
        portal_use_cases.save_details(request.app.state.installation, who, values)
    except forms.FormProblems as problems:
        return _page(request, "overview.html", 400, view=_view(request, who), details=values,
                     sectors=request.app.state.store.sector_names(), issues=ISSUES, problems=problems.problems)
    except StakeholdersError as error:
        raise _refused(error) from None
    return redirect("/portal", "Your organisation's profile is saved.")


@router.get("/staff")
def staff(request: Request, who: Member, page: str = "1", q: str = ""):
    return _staff_page(request, who, page=int(page) if page.isdigit() else 1, text=q.strip()[:100])


def _staff_page(request: Request, who: Stakeholder, status_code: int = 200, page: int = 1, text: str = "",
                **context: object):
    base = {"view": _view(request, who, page, text), "person": forms.person_cells({}), "problems": {}, "pasted": "",
            "paste_problems": None, "labels": forms.LABELS, "max_pasted": forms.MAX_PASTED}
    return _page(request, "staff.html", status_code, **{**base, **context})


@router.post("/staff")
async def add_person(request: Request, who: Member):
    cells = forms.person_cells(await request.form())
    try:
        added = portal_use_cases.add_people(request.app.state.installation, who, [cells])
    except forms.FormProblems as problems:
        return _staff_page(request, who, 400, person=cells, problems=problems.problems)
    except StakeholdersError as error:
        return _staff_page(request, who, error.http_status, person=cells, problems={"full_name": str(error)})
    return redirect("/portal/staff", f"Added {added[0].cells['full_name']} to your staff list.")


@router.post("/staff/paste")
async def paste_people(request: Request, who: Member, staff_list: Annotated[str, Form()] = ""):
    try:
        people = forms.parse_staff_list(staff_list)
        added = portal_use_cases.add_people(request.app.state.installation, who, people)
    except forms.FormProblems as problems:
        return _staff_page(request, who, 400, pasted=staff_list, paste_problems=problems)
    except StakeholdersError as error:
        return _staff_page(request, who, error.http_status, pasted=staff_list,
                           paste_problems=forms.FormProblems({"staff_list": str(error)}))
    return redirect("/portal/staff", f"Added {len(added)} people to your staff list.")


@router.get("/staff/{key}")
def person_page(request: Request, who: Member, key: str):
    found = _person(request, who, key)
    return _page(request, "person.html", found=found, person=found["cells"], problems={}, labels=forms.LABELS)


@router.post("/staff/{key}")
async def change_person(request: Request, who: Member, key: str):
    found = _person(request, who, key)
    cells = forms.person_cells(await request.form())
    try:
        portal_use_cases.change_person(request.app.state.installation, who, key, cells)
    except forms.FormProblems as problems:
        return _page(request, "person.html", 400, found=found, person=cells, problems=problems.problems,
                     labels=forms.LABELS)
    except StakeholdersError as error:
        raise _refused(error) from None
    return redirect("/portal/staff", f"Saved the changes to {cells['full_name']}.")


@router.post("/staff/{key}/remove")
def remove_person(request: Request, who: Member, key: str):
    try:
        ended = portal_use_cases.remove_person(request.app.state.installation, who, key)
    except portal_use_cases.NotOnYourList as error:
        found = _person(request, who, key)
        return _page(request, "person.html", 400, found=found, labels=forms.LABELS, person=found["cells"],
                     problems={"remove": str(error)})
    except StakeholdersError as error:
        raise _refused(error) from None
    return redirect("/portal/staff", f"Removed {ended.cells.get('full_name')} from your staff list.")


@router.get("/questions")
def questions(request: Request, who: Member):
    return _questions_page(request, who)


def _questions_page(request: Request, who: Stakeholder, status_code: int = 200, **context: object):
    installation = request.app.state.installation
    base = {"questions": portal_use_cases.questions(installation, who), "form": {}, "problems": {},
            "issues": ISSUES, "directorates": installation.store.directorates()}
    return _page(request, "questions.html", status_code, **{**base, **context})


@router.post("/questions")
async def ask(request: Request, who: Member):
    asked = await _posted(request, who, portal_use_cases.ask, _questions_page, "text")
    if not isinstance(asked, Question):
        return asked
    return redirect("/portal/questions", f"Your question {asked.question_id} has gone to the force's SPOCs.")


async def _posted(request: Request, who: Stakeholder, act: Callable, page: Callable, shown_at: str):
    """What ``act`` made of the posted form; else ``page`` again with the form and its problems (a refusal
    that is no field's, such as a rate limit, shown at the field ``shown_at``)."""
    params = dict(await request.form())
    try:
        return act(request.app.state.installation, who, params)
    except forms.FormProblems as problems:
        return page(request, who, 400, form=params, problems=problems.problems)
    except StakeholdersError as error:
        return page(request, who, error.http_status, form=params, problems={shown_at: str(error)})


@router.get("/reports")
def reports(request: Request, who: Member):
    return _reports_page(request, who)


def _reports_page(request: Request, who: Stakeholder, status_code: int = 200, **context: object):
    base = {"reports": portal_use_cases.event_reports(request.app.state.installation, who), "form": {},
            "problems": {}, "map_tiles": request.app.state.config.map_tiles,
            "map_attribution": request.app.state.config.map_attribution}
    return _page(request, "reports.html", status_code, **{**base, **context})


@router.post("/reports")
async def report(request: Request, who: Member):
    made = await _posted(request, who, portal_use_cases.report_event, _reports_page, "what")
    if not isinstance(made, EventReport):
        return made
    return redirect("/portal/reports", f"Report {made.report_id} is with the control room.")


@router.post("/reports/{report_id}/send")
async def send(request: Request, who: Member, report_id: str):
    params = await request.form()
    installation = request.app.state.installation
    try:
        channel = installation.delivery.default_channel(f"{report_id}-staff")
        sent = portal_use_cases.send_report(installation, who, report_id, channel,
                                            tuple(params.getlist("channels")))
    except StakeholdersError as error:
        raise _refused(error) from None
    people = sum(n for status, n in sent.counts.items() if status in ("sent", "delivered"))
    return redirect("/portal/reports",
                    f"Report {report_id} went to {people} of your staff ({sent.message.message_id}).")


# the invitation: the one page of the portal a person reaches before they have an account


@router.get("/invite/{token}")
def invitation(request: Request, token: str):
    return _invite_page(request, token)


def _invite_page(request: Request, token: str, error: str = "", status_code: int = 200):
    try:
        found = portal_invites.pending(request.app.state.installation, token)
    except AccountError as refused:
        return _page(request, "invite.html", 410, invitation=None, error=str(refused), login_csrf="")
    # sent before there is any session: protected as the sign-in form is
    kept = request.cookies.get(LOGIN_CSRF_COOKIE) if request.method == "POST" else None
    nonce, csrf = login_csrf_pair(request, kept)
    response = _page(request, "invite.html", status_code, invitation=found, error=error, login_csrf=csrf)
    response.set_cookie(LOGIN_CSRF_COOKIE, nonce, httponly=True, samesite="strict", path=PORTAL_PATH,
                        secure=request.app.state.config.secure_cookies)
    return response


@router.post("/invite/{token}")
def accept(request: Request, token: str, password: Annotated[str, Form()] = "",
           confirm: Annotated[str, Form()] = ""):
    try:
        user = portal_invites.accept(request.app.state.installation, token, password, confirm)
    except InviteError as refused:
        return _page(request, "invite.html", 410, invitation=None, error=str(refused), login_csrf="")
    except AccountError as refused:  # the password: the invitation is still open
        return _invite_page(request, token, str(refused), 400)
    return signed_in_response(request, user, PORTAL_PATH)


def _view(request: Request, who: Stakeholder, page: int = 1, text: str = "") -> dict:
    try:
        return portal_use_cases.organisation_view(request.app.state.installation, who, page, text)
    except StakeholdersError as error:
        raise _refused(error) from None


def _person(request: Request, who: Stakeholder, key: str) -> dict:
    try:
        return portal_use_cases.person(request.app.state.installation, who, key)
    except StakeholdersError as error:
        raise _refused(error) from None
