"""Sign in, sign out and the start page.

A sign-in is refused before its password is checked when the account or the client address is locked
out (too many wrong passwords, counted in accounts.sqlite) and when the server is already checking as
many passwords as it may at once; wrong passwords and lockouts go to the audit log (usernames only when
they name an account: a password typed into the username box must not end up in the log).
"""

from __future__ import annotations

import datetime as dt
import time

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from accounts.sign_in_throttle import ACCOUNT, Lockout

from .pages import (
    LOGIN_CSRF_COOKIE,
    PORTAL_COOKIE,
    PORTAL_PATH,
    SESSION_COOKIE,
    SignedIn,
    current_session,
    login_csrf_pair,
    on_portal,
    redirect,
    render,
)

router = APIRouter()
SLOT_WAIT_S = 0.5  # how long a sign-in waits for a free slot before "busy": quick, not a queue
FAILED = "That username and password do not match an active account."
BUSY = "Many people are signing in at this moment. Wait a few seconds and try again."
OTHER_SIDE = {True: "This is the sign-in of the stakeholder portal; police staff sign in at /login.",
              False: "This account is for the stakeholder portal: sign in at /portal/login."}


def _safe_next(next_path: str, portal: bool = False) -> str:
    # Only paths on this site: "//evil.example" or "https://…" would make the form an open redirect; and on
    # the side signed in to (a stakeholder sent on to a police page would only be refused there).
    home = PORTAL_PATH if portal else "/"
    if not next_path.startswith("/") or next_path.startswith("//"):
        return home
    inside = next_path == PORTAL_PATH or next_path.startswith(PORTAL_PATH + "/")
    return next_path if inside == portal else home


def _client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _login_form(request: Request, next_path: str, error: str = "", status_code: int = 200,
                retry_after: float | None = None) -> HTMLResponse:
    # a form shown again after a refused sign-in keeps its pre-session; the page itself starts one
    kept = request.cookies.get(LOGIN_CSRF_COOKIE) if request.method == "POST" else None
    nonce, token = login_csrf_pair(request, kept)
    portal = on_portal(request)
    response = render(request, "portal/login.html" if portal else "login.html", status_code=status_code,
                      login_csrf=token, next=_safe_next(next_path, portal), error=error)
    response.set_cookie(LOGIN_CSRF_COOKIE, nonce, httponly=True, samesite="strict",
                        secure=request.app.state.config.secure_cookies, path=PORTAL_PATH if portal else "/")
    if retry_after is not None:
        response.headers["Retry-After"] = str(max(1, round(retry_after)))
    return response


def _locked_message(lockout: Lockout) -> str:
    until = dt.datetime.fromtimestamp(lockout.until, dt.UTC).strftime("%H:%M UTC")
    whose = "this account" if lockout.scope == ACCOUNT else "your address"
    return (f"Too many wrong passwords for {whose}: sign-in is locked until {until}. "
            "An administrator can unlock it sooner.")


@router.get("/login")
@router.get(PORTAL_PATH + "/login")
def login_page(request: Request, next: str = ""):
    if current_session(request):
        return RedirectResponse(_safe_next(next, on_portal(request)), status_code=303)
    return _login_form(request, next)


@router.post("/login")
@router.post(PORTAL_PATH + "/login")
def login(request: Request, username: str = Form(""), password: str = Form(""), next: str = Form("")):
    """The same checks on both sides; each side signs in its own accounts only, into its own cookie."""
    state, portal = request.app.state, on_portal(request)
    username, address = username.strip().lower(), _client_address(request)
    lockout = state.sign_in_throttle.locked(username, address)
    if lockout is not None:
        return _login_form(request, next, _locked_message(lockout), 429, lockout.until - time.time())
    if not state.sign_in_slots.acquire(timeout=SLOT_WAIT_S):
        return _login_form(request, next, BUSY, 503, retry_after=5)
    try:
        user = state.accounts.authenticate(username, password)
    finally:
        state.sign_in_slots.release()
    if user is None:
        return _refuse(request, username, address, next)
    state.sign_in_throttle.succeeded(username)
    if user.is_stakeholder != portal:
        return _login_form(request, next, OTHER_SIDE[portal], 403)
    return signed_in_response(request, user, _safe_next(next, portal))


def signed_in_response(request: Request, user, target: str) -> RedirectResponse:
    """Start ``user``'s session and go to ``target``: a stakeholder's cookie is sent to the portal only."""
    state = request.app.state
    cookie, _session = state.accounts.start_session(user)
    response = RedirectResponse(target, status_code=303)
    name, path = (PORTAL_COOKIE, PORTAL_PATH) if user.is_stakeholder else (SESSION_COOKIE, "/")
    response.set_cookie(name, cookie, httponly=True, samesite="strict", secure=state.config.secure_cookies, path=path)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path=path)
    return response


def _refuse(request: Request, username: str, address: str, next_path: str) -> HTMLResponse:
    state = request.app.state
    known = state.accounts.user(username) is not None
    audit = state.installation.audit
    who = username if known else "unknown user"
    audit.append(who, "sign-in failed", {"username": username if known else None, "address": address})
    lockout = state.sign_in_throttle.failed(username, address)
    if lockout is None:
        return _login_form(request, next_path, FAILED, 401)
    until = dt.datetime.fromtimestamp(lockout.until, dt.UTC).isoformat(timespec="seconds")
    audit.append(who, "sign-in locked", {"scope": lockout.scope, "username": username if known else None,
                                         "address": address, "until": until})
    return _login_form(request, next_path, _locked_message(lockout), 429, lockout.until - time.time())


@router.post("/logout")
@router.post(PORTAL_PATH + "/logout")
def logout(request: Request):
    portal = on_portal(request)
    name, path = (PORTAL_COOKIE, PORTAL_PATH) if portal else (SESSION_COOKIE, "/")
    request.app.state.accounts.end_session(request.cookies.get(name))
    response = redirect(path + "/login" if portal else "/login")
    response.delete_cookie(name, path=path)
    return response


@router.get("/")
def home(request: Request, session: SignedIn):
    return render(request, "home.html")
