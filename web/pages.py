"""What every page handler shares: the signed-in session, role checks, CSRF and rendering."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from accounts.users import Session

from .permissions import can, can_see_restricted, navigation

SESSION_COOKIE = "sg_session"
LOGIN_CSRF_COOKIE = "sg_login_csrf"
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}

templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))


class SignInRequired(Exception):
    """Raised for a page that needs a session; the app answers with a redirect to the sign-in page."""

    def __init__(self, next_path: str) -> None:
        self.next_path = next_path


def current_session(request: Request) -> Session | None:
    if not hasattr(request.state, "session"):
        request.state.session = request.app.state.accounts.session(request.cookies.get(SESSION_COOKIE))
    return request.state.session


def signed_in(request: Request) -> Session:
    session = current_session(request)
    if session is None:
        raise SignInRequired(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
    return session


def require(capability: str):
    """A dependency: the session of a user whose role has ``capability``; 403 for any other role."""

    def check(session: Annotated[Session, Depends(signed_in)]) -> Session:
        if not can(session.user.role, capability):
            raise HTTPException(status_code=403, detail="Your role does not give access to this page.")
        return session

    return check


SignedIn = Annotated[Session, Depends(signed_in)]
Reviewer = Annotated[Session, Depends(require("review"))]
AudienceBuilder = Annotated[Session, Depends(require("audience"))]
ProfileReader = Annotated[Session, Depends(require("profiles"))]
SyncWatcher = Annotated[Session, Depends(require("sync_status"))]
UserAdmin = Annotated[Session, Depends(require("users"))]
AuditReader = Annotated[Session, Depends(require("audit"))]


async def csrf_protect(request: Request) -> None:
    """Every state-changing request carries the session's CSRF token (or, before sign-in, the
    sign-in form's double-submit token); anything else is refused with 403."""
    if request.method not in UNSAFE_METHODS:
        return
    form = await request.form()
    sent = form.get("csrf_token") or request.headers.get("x-csrf-token") or ""
    session = current_session(request)
    expected = session.csrf_token if session else request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not (isinstance(sent, str) and expected and secrets.compare_digest(sent, expected)):
        raise HTTPException(status_code=403, detail="This form has expired or did not come from this site. "
                                                    "Go back, reload the page and try again.")


def restricted_visible(session: Session) -> bool:
    return can_see_restricted(session.user.role)


def render(request: Request, template: str, status_code: int = 200, **context: object) -> HTMLResponse:
    session = current_session(request)
    base = {
        "session": session,
        "user": session.user if session else None,
        "csrf_token": session.csrf_token if session else "",
        "nav": navigation(session.user.role) if session else [],
        "path": request.url.path,
        "flash": request.query_params.get("done", ""),
    }
    return templates.TemplateResponse(request, template, {**base, **context}, status_code=status_code)


def redirect(path: str, done: str = "") -> RedirectResponse:
    """After a successful form: see-other to ``path``, with a message shown once at the top."""
    target = path + ((("&" if "?" in path else "?") + "done=" + quote(done)) if done else "")
    return RedirectResponse(target, status_code=303)
