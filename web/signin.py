"""Sign in, sign out and the start page."""

from __future__ import annotations

import secrets

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from .pages import LOGIN_CSRF_COOKIE, SESSION_COOKIE, SignedIn, current_session, redirect, render

router = APIRouter()


def _safe_next(next_path: str) -> str:
    # Only paths on this site: "//evil.example" or "https://…" would make the form an open redirect.
    return next_path if next_path.startswith("/") and not next_path.startswith("//") else "/"


@router.get("/login")
def login_page(request: Request, next: str = "/"):
    if current_session(request):
        return RedirectResponse(_safe_next(next), status_code=303)
    token = secrets.token_urlsafe(32)
    response = render(request, "login.html", login_csrf=token, next=_safe_next(next), error="")
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict",
                        secure=request.app.state.config.secure_cookies)
    return response


@router.post("/login")
def login(request: Request, username: str = Form(""), password: str = Form(""), next: str = Form("/")):
    user = request.app.state.accounts.authenticate(username.strip().lower(), password)
    if user is None:
        token = request.cookies.get(LOGIN_CSRF_COOKIE, "")
        return render(request, "login.html", status_code=401, login_csrf=token, next=_safe_next(next),
                      error="That username and password do not match an active account.")
    cookie, _session = request.app.state.accounts.start_session(user)
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(SESSION_COOKIE, cookie, httponly=True, samesite="strict",
                        secure=request.app.state.config.secure_cookies)
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


@router.post("/logout")
def logout(request: Request):
    request.app.state.accounts.end_session(request.cookies.get(SESSION_COOKIE))
    response = redirect("/login")
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/")
def home(request: Request, session: SignedIn):
    return render(request, "home.html")
