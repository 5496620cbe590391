"""A real HTTP server on loopback that speaks the postcodes.io bulk endpoint, for tests."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler

from .loopback import serving


@dataclass
class FakePostcodesApi:
    """State of the fake service: what it knows, what it was asked, and how it misbehaves.

    plan: one action per call, consumed in order, then `default` for every later call.
    An action is "ok", an HTTP status to answer with, or ("sleep", seconds) before answering ok.
    """

    known: dict[str, dict]
    base_url: str = ""
    plan: list = field(default_factory=list)
    default: object = "ok"
    retry_after: str | None = None
    calls: list[list[str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next_action(self, postcodes: list[str]) -> object:
        with self.lock:
            self.calls.append(postcodes)
            return self.plan.pop(0) if self.plan else self.default


def _handler_for(api: FakePostcodesApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            if self.path != "/postcodes":
                self._reply(404, {"status": 404, "error": "Resource not found"})
                return
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            postcodes = body.get("postcodes")
            action = api.next_action(postcodes)
            if isinstance(action, tuple) and action[0] == "sleep":
                time.sleep(action[1])
                action = "ok"
            if action != "ok":
                headers = {"Retry-After": api.retry_after} if action == 429 and api.retry_after else {}
                self._reply(action, {"status": action, "error": "failing on purpose"}, headers)
            elif not isinstance(postcodes, list) or len(postcodes) > 100:
                self._reply(400, {"status": 400, "error": "No more than 100 postcodes per request"})
            else:
                result = [{"query": p, "result": api.known.get(_canonical(p))} for p in postcodes]
                self._reply(200, {"status": 200, "result": result})

        def _reply(self, status: int, payload: dict, headers: dict | None = None) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            try:
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting; that is what the timeout test wants

        def log_message(self, *args: object) -> None:
            pass  # keep the test output clean

    return Handler


def _canonical(postcode: str) -> str:
    compact = postcode.replace(" ", "").upper()
    return f"{compact[:-3]} {compact[-3:]}"



@contextmanager
def running_postcodes_api(known: dict[str, dict]) -> Iterator[FakePostcodesApi]:
    state = FakePostcodesApi(known=dict(known))
    with serving(_handler_for(state)) as base_url:
        state.base_url = base_url
        yield state
