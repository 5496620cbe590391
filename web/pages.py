"""What every page handler shares: the signed-in session, role checks, CSRF and rendering."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from pathlib import Path
from typing import Annotated
from urllib.parse import quote, urlsplit

from fastapi import Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from accounts.users import Session
from kernel.errors import StakeholdersError
from services import messages as message_use_cases

from .permissions import can, can_see_restricted, navigation

SESSION_COOKIE = "sg_session"
# The portal's own session: another cookie, sent only to the portal's paths, for accounts of the other side
# (web.portal). A police page never reads it and a portal page never reads the police one.
PORTAL_PATH = "/portal"
PORTAL_COOKIE = "sg_portal"
LOGIN_CSRF_COOKIE = "sg_login_csrf"
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# called by the delivery service, or by a mail client's one-click unsubscribe, with their own proof
MACHINE_PATHS = ("/notify/", "/unsubscribe/")

templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
# Signs the messages the app puts in a redirect, so that a link cannot make a page say anything else. A
# key per process: a message is read back within seconds, by the same process (one per app).
_FLASH_KEY = secrets.token_bytes(32)
REFUSED = "This form has expired or did not come from this site. Go back, reload the page and try again."


class SignInRequired(Exception):
    """Raised for a page that needs a session; the app answers with a redirect to the sign-in page."""

    def __init__(self, next_path: str, login_path: str = "/login") -> None:
        self.next_path = next_path
        self.login_path = login_path


def on_portal(request: Request) -> bool:
    path = request.url.path
    return path == PORTAL_PATH or path.startswith(PORTAL_PATH + "/")


def current_session(request: Request) -> Session | None:
    """The session of this side of the app: a police session on police pages, a stakeholder's on the
    portal's. A session of the other side, wherever its token was put, is none (``request.state.other_side``
    remembers it was there, so that the page can refuse rather than offer a sign-in)."""
    if not hasattr(request.state, "session"):
        portal = on_portal(request)
        session = request.app.state.accounts.session(request.cookies.get(PORTAL_COOKIE if portal else SESSION_COOKIE))
        request.state.other_side = session is not None and session.user.is_stakeholder != portal
        request.state.session = None if request.state.other_side else session
    return request.state.session


def signed_in(request: Request) -> Session:
    session = current_session(request)
    if session is None and request.state.other_side:
        raise HTTPException(status_code=403, detail="This page is not for your account.")
    if session is None:
        raise SignInRequired(request.url.path + (f"?{request.url.query}" if request.url.query else ""),
                             f"{PORTAL_PATH}/login" if on_portal(request) else "/login")
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
ReportReader = Annotated[Session, Depends(require("reports"))]
SyncWatcher = Annotated[Session, Depends(require("sync_status"))]
UserAdmin = Annotated[Session, Depends(require("users"))]
AuditReader = Annotated[Session, Depends(require("audit"))]


async def csrf_protect(request: Request) -> None:
    """Every state-changing request comes from a page of this site (as far as the browser says) and
    carries the session's CSRF token, or before sign-in the token the sign-in form got with its
    pre-session cookie; anything else is refused with 403."""
    if request.method not in UNSAFE_METHODS or request.url.path.startswith(MACHINE_PATHS):
        return  # a service's callbacks prove themselves with a bearer token, not a browser's cookies
    if not _from_this_site(request):
        raise HTTPException(status_code=403, detail=REFUSED)
    if on_portal(request) and "multipart/" in request.headers.get("content-type", "").lower():
        # the portal takes no files: refused before the body is parsed, so nothing is spooled to disk
        raise HTTPException(status_code=415, detail="Files cannot be sent to the portal.")
    form = await request.form()
    sent = form.get("csrf_token") or request.headers.get("x-csrf-token") or ""
    session = current_session(request)
    if session is not None:
        expected = session.csrf_token
    else:
        nonce = request.cookies.get(LOGIN_CSRF_COOKIE, "")
        expected = _login_token(request, nonce) if nonce else ""
    if not (isinstance(sent, str) and expected and hmac.compare_digest(sent.encode(), expected.encode())):
        raise HTTPException(status_code=403, detail=REFUSED)


def _from_this_site(request: Request) -> bool:
    """False for a request a browser says another site made: by Sec-Fetch-Site, or by an Origin of another
    host ("null", which browsers send under our no-referrer policy, says nothing either way)."""
    if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        return False
    origin = request.headers.get("origin", "null")
    return origin == "null" or urlsplit(origin).netloc == request.headers.get("host")


def _login_token(request: Request, nonce: str) -> str:
    key = request.app.state.signing_key
    return hmac.new(key, b"sign-in|" + nonce.encode(), hashlib.sha256).hexdigest()


def login_csrf_pair(request: Request, nonce: str | None = None) -> tuple[str, str]:
    """A pre-session for the sign-in form: the nonce for its cookie (``nonce``, the browser's own, when a
    form sent with it is shown again; else a new one) and the token for the form, which only this app can
    make from the nonce (a cookie planted by another site comes without one)."""
    nonce = nonce or secrets.token_urlsafe(32)
    return nonce, _login_token(request, nonce)


def _flash_signature(text: str) -> str:
    return hmac.new(_FLASH_KEY, text.encode(), hashlib.sha256).hexdigest()[:32]


def _flash(request: Request) -> str:
    """The message of the redirect that led here, when this app signed it; else nothing."""
    text, signature = request.query_params.get("done", ""), request.query_params.get("sig", "")
    return text if text and hmac.compare_digest(signature.encode(), _flash_signature(text).encode()) else ""


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
        "flash": _flash(request),
        "due_messages": _due_messages(request, session),
    }
    return templates.TemplateResponse(request, template, {**base, **context}, status_code=status_code)


def _due_messages(request: Request, session: Session | None) -> list[dict]:
    """The messages whose update or closure is due, for the banner atop every page of those who send them."""
    if session is None or not can(session.user.role, "messages"):
        return []
    installation = request.app.state.installation
    try:
        return message_use_cases.listing(installation, installation.delivery.close_after, due_only=True)
    except StakeholdersError:  # the graph is down: the page says so itself, the banner stays away
        return []


def redirect(path: str, done: str = "") -> RedirectResponse:
    """After a successful form: see-other to ``path``, with a message shown once at the top."""
    path, hash_mark, fragment = path.partition("#")  # a place on the page goes after the message
    query = f"done={quote(done, safe='')}&sig={_flash_signature(done)}"
    target = path + ((("&" if "?" in path else "?") + query) if done else "") + hash_mark + fragment
    return RedirectResponse(target, status_code=303)
