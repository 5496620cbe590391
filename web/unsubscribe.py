"""The unsubscribe link of a message's email: open it and confirm, or let the mail client post it in one
click (RFC 8058). Either way a dated explicit "no" to email at that address, kept from the next sync on.
No sign-in: the link carries its own proof (services.messages.unsubscribe_token)."""

from __future__ import annotations

import hmac

from fastapi import APIRouter, HTTPException, Request

from services import messages

from .pages import render

router = APIRouter(prefix="/unsubscribe")


@router.get("/{message_id}/{contact_id}/{token}")
def confirm(request: Request, message_id: str, contact_id: str, token: str):
    expected = messages.unsubscribe_token(request.app.state.installation, message_id, contact_id)
    if not hmac.compare_digest(token.encode(), expected.encode()):
        raise HTTPException(status_code=404, detail="This link is not one of ours, or it has been mistyped.")
    return render(request, "unsubscribe.html", title="Stop these emails", done=False,
                  action=f"/unsubscribe/{message_id}/{contact_id}/{token}")


@router.post("/{message_id}/{contact_id}/{token}")
def unsubscribe(request: Request, message_id: str, contact_id: str, token: str):
    if not messages.unsubscribe(request.app.state.installation, message_id, contact_id, token):
        raise HTTPException(status_code=404, detail="This link is not one of ours, or it has been mistyped.")
    return render(request, "unsubscribe.html", title="Stop these emails", done=True, action="")
