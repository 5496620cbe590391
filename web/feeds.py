"""The public feeds, for the force's App and its social media team: public issued messages only, with no
one's name in them (delivery.feeds). No sign-in: they are public by definition."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from delivery.feeds import app_feed, social_feed

router = APIRouter(prefix="/feeds")


@router.get("/app.json")
def app(request: Request):
    return JSONResponse(app_feed(request.app.state.installation.store.messages()),
                        media_type="application/feed+json")


@router.get("/social.atom")
def social(request: Request):
    link = str(request.base_url).rstrip("/") + "/feeds/social.atom"
    return Response(social_feed(request.app.state.installation.store.messages(), link),
                    media_type="application/atom+xml")
