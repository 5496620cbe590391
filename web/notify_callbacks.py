"""The delivery service's callbacks: delivery receipts and received text messages, pushed by a GOV.UK
Notify-compatible service to the URLs its settings name, each with the bearer token we gave it
(STAKEHOLDERS_NOTIFY_CALLBACK_TOKEN). JSON in, JSON out; no session, no cookies."""

from __future__ import annotations

import hmac
import json

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from kernel.errors import StakeholdersError
from services import messages

router = APIRouter(prefix="/notify")


async def _payload(request: Request) -> tuple[object, JSONResponse | None]:
    token = request.app.state.installation.delivery.callback_token
    if not token:
        return None, JSONResponse({"error": "callbacks are not configured here"}, status_code=404)
    sent = request.headers.get("authorization", "")
    if not hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
        return None, JSONResponse({"error": "missing or wrong bearer token"}, status_code=401)
    try:
        return json.loads(await request.body()), None
    except (ValueError, UnicodeDecodeError):
        return None, JSONResponse({"error": "the body is not JSON"}, status_code=400)


def _refused(error: StakeholdersError) -> JSONResponse:
    return JSONResponse({"error": str(error)}, status_code=400 if error.exit_code == 2 else 404)


async def _answer(request: Request, record, key: str) -> JSONResponse:
    payload, refused = await _payload(request)
    if refused:
        return refused
    try:
        found = record(request.app.state.installation, payload)
    except StakeholdersError as error:
        return _refused(error)
    return JSONResponse({key: found})


@router.post("/delivery-status")
async def delivery_status(request: Request):
    return await _answer(request, messages.delivery_callback, "recorded")


@router.post("/received-text")
async def received_text(request: Request):
    return await _answer(request, messages.reply_callback, "opted_out")
