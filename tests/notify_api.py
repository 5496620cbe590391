"""A real HTTP server on loopback that speaks GOV.UK Notify's v2 API, for tests.

It checks the bearer JWT as Notify does (HS256 over the key's secret, ``iss`` the service ID, ``iat``
recent), records every notification it accepts, answers by reference, and misbehaves on request:
``plan`` holds one action per send, consumed in order (``"ok"``, an HTTP status such as 429 or 500, or
``"permanent"`` for a 400 ValidationError), then ``default`` for every later send.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlparse

from notifications_python_client.authentication import decode_jwt_token

from .loopback import serving

SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"
API_KEY = f"test_key-{SERVICE_ID}-{SECRET}"
EMAIL_TEMPLATE = "f33517ff-2a88-4f6e-b855-c550268ce08a"
SMS_TEMPLATE = "b43b8e25-aa42-4b1a-a2a3-1a7c4c8b7d3a"


@dataclass
class FakeNotify:
    base_url: str = ""
    plan: list = field(default_factory=list)
    default: object = "ok"
    notifications: list[dict] = field(default_factory=list)  # every one accepted, in order
    refused: int = 0  # sends answered with an error
    received_texts: list[dict] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def accepted(self, kind: str | None = None) -> list[dict]:
        return [n for n in self.notifications if kind is None or n["type"] == kind]

    def _next(self) -> object:
        with self.lock:
            return self.plan.pop(0) if self.plan else self.default


def _handler_for(api: FakeNotify) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as the real service
        disable_nagle_algorithm = True  # headers and body leave at once, not 40 ms apart

        def do_POST(self) -> None:
            if not self._authorised():
                return
            kind = {"/v2/notifications/email": "email", "/v2/notifications/sms": "sms"}.get(self.path)
            if kind is None:
                self._reply(404, _error(404, "BadRequestError", "no such endpoint"))
                return
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
            action = api._next()
            if action == "permanent":
                api.refused += 1
                self._reply(400, _error(400, "ValidationError", "Not a valid address"))
                return
            if action != "ok":
                api.refused += 1
                self._reply(int(action), _error(int(action), "RateLimitError" if action == 429 else "Exception",
                                                "try later"))
                return
            notification = {"id": str(uuid.uuid4()), "type": kind, "reference": body.get("reference"),
                            "template_id": body.get("template_id"), "personalisation": body.get("personalisation"),
                            "to": body.get("email_address") or body.get("phone_number"), "status": "sending",
                            "one_click_unsubscribe_url": body.get("one_click_unsubscribe_url")}
            with api.lock:
                api.notifications.append(notification)
            self._reply(201, {"id": notification["id"], "reference": notification["reference"],
                              "content": {}, "template": {"id": notification["template_id"], "version": 1}})

        def do_GET(self) -> None:
            if not self._authorised():
                return
            url = urlparse(self.path)
            query = parse_qs(url.query)
            if url.path == "/v2/notifications":
                wanted = query.get("reference", [None])[0]
                found = [_public(n) for n in api.notifications if wanted is None or n["reference"] == wanted]
                self._reply(200, {"notifications": found, "links": {}})
            elif url.path.startswith("/v2/notifications/"):
                found = [n for n in api.notifications if n["id"] == url.path.rsplit("/", 1)[1]]
                self._reply(200, _public(found[0])) if found else self._reply(404, _error(404, "NoResultFound", "-"))
            elif url.path == "/v2/received-text-messages":
                self._reply(200, {"received_text_messages": api.received_texts, "links": {}})
            else:
                self._reply(404, _error(404, "BadRequestError", "no such endpoint"))

        def _authorised(self) -> bool:
            header = self.headers.get("Authorization", "")
            try:
                if not header.startswith("Bearer ") or not decode_jwt_token(header[7:], SECRET):
                    raise ValueError
            except Exception:  # any token error: Notify answers 403 AuthError
                self._reply(403, _error(403, "AuthError", "Invalid token"))
                return False
            return True

        def _reply(self, status: int, body: dict) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    return Handler


def _public(n: dict) -> dict:
    address = {"email_address": n["to"]} if n["type"] == "email" else {"phone_number": n["to"]}
    return {"id": n["id"], "reference": n["reference"], "type": n["type"], "status": n["status"], **address}


def _error(status: int, error: str, message: str) -> dict:
    return {"status_code": status, "errors": [{"error": error, "message": message}]}



@contextmanager
def running_notify() -> Iterator[FakeNotify]:
    state = FakeNotify()
    with serving(_handler_for(state)) as base_url:
        state.base_url = base_url
        yield state


def notify_environ(api: FakeNotify) -> dict[str, str]:
    """What points `stakeholders` at this server."""
    return {"STAKEHOLDERS_NOTIFY_API_KEY": API_KEY, "STAKEHOLDERS_NOTIFY_URL": api.base_url,
            "STAKEHOLDERS_NOTIFY_EMAIL_TEMPLATE": EMAIL_TEMPLATE, "STAKEHOLDERS_NOTIFY_SMS_TEMPLATE": SMS_TEMPLATE}
