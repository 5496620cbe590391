"""The web app for data stewards and messaging teams: server-rendered pages over the same library
functions the CLI uses. Everything it serves ships in this package (no CDN); the map draws tiles only from a
tile server the installation names (WebConfig.map_tiles)."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from urllib.parse import quote

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.middleware.trustedhost import TrustedHostMiddleware

from accounts.sign_in_throttle import SignInThrottle
from accounts.users import AccountStore
from graph.store import GraphUnavailable
from services.installation import Installation

from . import (
    admin,
    audience,
    cascade,
    conflicts,
    engagements,
    feeds,
    map_data,
    messages,
    notify_callbacks,
    portal,
    portal_desk,
    profiles,
    reports,
    review,
    signin,
    sync_status,
    unsubscribe,
)
from .config import WebConfig
from .pages import SignInRequired, csrf_protect, on_portal, render

log = logging.getLogger("stakeholders.web")
# With the Content-Security-Policy of WebConfig (no inline script or style: a value that slipped past
# escaping still could not run).
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",  # pages hold personal data: not for shared caches or the back button
}


def create_app(config: WebConfig, installation: Installation) -> FastAPI:
    app = FastAPI(title="stakeholder-graph", docs_url=None, redoc_url=None, openapi_url=None,
                  dependencies=[Depends(csrf_protect)])
    app.state.config = config
    app.state.installation = installation
    app.state.store = installation.store
    app.state.accounts = AccountStore(installation.home)
    app.state.signing_key = app.state.accounts.signing_key()
    app.state.sign_in_throttle = SignInThrottle(installation.home, config.sign_in_throttle)
    app.state.sign_in_slots = threading.BoundedSemaphore(config.concurrent_sign_ins)
    app.mount("/static", StaticFiles(directory=str(Path(__file__).parent / "static")), name="static")
    for module in (signin, review, conflicts, profiles, engagements, audience, cascade, map_data, messages, feeds,
                   notify_callbacks, unsubscribe, reports, sync_status, admin, portal, portal_desk):
        app.include_router(module.router)

    headers = {"Content-Security-Policy": config.content_security_policy, **SECURITY_HEADERS}

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        for name, value in headers.items():
            response.headers.setdefault(name, value)
        return response

    # Outermost: a request for any other name (DNS rebinding, a forged Host) is refused before anything runs.
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(config.allowed_hosts))

    @app.exception_handler(SignInRequired)
    async def to_sign_in(request: Request, error: SignInRequired):
        return RedirectResponse(error.login_path + "?next=" + quote(error.next_path, safe=""), status_code=303)

    @app.exception_handler(HTTPException)
    async def error_page(request: Request, error: HTTPException):
        titles = {403: "Not allowed", 404: "Not found", 400: "Cannot do that", 410: "No longer valid",
                  415: "Cannot do that", 429: "Too many at once"}
        return render(request, "portal/error.html" if on_portal(request) else "error.html",
                      status_code=error.status_code,
                      title=titles.get(error.status_code, "Something went wrong"), message=str(error.detail))

    @app.exception_handler(GraphUnavailable)
    async def graph_down(request: Request, error: GraphUnavailable):
        response = render(request, "error.html", status_code=503, title="The graph is not available",
                          message="The graph database cannot be reached just now. Try again in a minute; if it "
                                  "persists, tell whoever runs the nightly sync.")
        response.headers["Retry-After"] = "30"
        return response

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception):
        # The page says what happened without internals; the log keeps the path and error type only.
        log.error("unexpected %s on %s %s", type(error).__name__, request.method, request.url.path)
        return render(request, "error.html", status_code=500, title="Something went wrong",
                      message="This page could not be shown. The error has been logged; please try again.")

    return app

