"""The injection corpus sent through every form and URL of the web app, over real HTTP with a real
session: each request ends in a page (never a server error), nothing is reflected as markup, and the
graph is exactly as it was."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

pytestmark = pytest.mark.neo4j

INJECTIONS = (
    "' OR 1=1 //",
    "}) DETACH DELETE n //",
    '"; MATCH (n) DETACH DELETE n; //',
    "') WITH 1 AS x MATCH (n) SET n.pwned = true //",
    "$id",
    "`Contact` {id: 'x'}",
    "x\u0000y",
    "../../etc/passwd",
    '=HYPERLINK("http://x.example","y")',
    "<script>alert('x')</script>",
    "C-' OR '1'='1",
    "A" * 10_000,
)
AUDIENCE_FIELDS = ("issues", "wards", "near", "categories", "min_priority", "channel", "polygon",
                   "include_contacts", "include_organisations", "include_saved", "exclude_contacts",
                   "exclude_organisations", "exclude_saved")


def _csrf(page) -> str:
    return page.locator("input[name=csrf_token]").first.get_attribute("value")


def _no_error(response, what: str) -> None:
    assert response.status < 500, f"{what}: {response.status}"
    body = response.text()
    assert "Traceback" not in body, what
    assert "<script>alert" not in body, f"{what}: reflected as markup"


def _requests(value: str) -> list[tuple[str, str, dict | None]]:
    """(method, path, form) for every place a typed value reaches the graph."""
    v = quote(value, safe="")
    audience = {name: value for name in AUDIENCE_FIELDS}
    return [
        ("GET", f"/contacts?q={v}", None),
        ("GET", f"/contacts/{v}", None),
        ("GET", f"/organisations?q={v}", None),
        ("GET", f"/organisations/{v}", None),
        ("GET", f"/contacts/{v}/conflicts", None),
        ("GET", f"/review/pair?a={v}&b={v}", None),
        ("GET", f"/review?sort={v}", None),
        ("GET", f"/audience?load={v}", None),
        ("GET", "/audience/count?" + "&".join(f"{k}={v}" for k in AUDIENCE_FIELDS) + "&radius_m=500", None),
        ("POST", "/audience", {**audience, "radius_m": "500"}),
        ("POST", "/audience/download", {**audience, "format": "csv"}),
        ("POST", "/audience/save", {**audience, "save_name": value}),
        ("POST", f"/review/pair?a={v}&b={v}", {"action": "accept", "reason": value}),
        ("POST", "/review/bulk", {"pairs": value, "action": "accept", "reason": value}),
        ("POST", f"/contacts/{v}/override", {"field": value, "choice": value, "other": value, "reason": value}),
        ("POST", f"/contacts/{v}/split", {"ref": value, "reason": value}),
        ("POST", f"/contacts/{v}/undo", {"decision_id": value, "reason": value}),
        ("GET", f"/sync/quarantine.csv?source={v}", None),
    ]


def test_the_injection_corpus_changes_nothing_in_the_graph(sign_in, web_app):
    before = web_app.store.canonical_dump()
    page = sign_in("spoc")  # the role with the most forms
    page.goto("/review")
    token = _csrf(page)
    for value in INJECTIONS:
        for method, path, form in _requests(value):
            what = f"{method} {path[:60]} with {value[:30]!r}"
            if method == "GET":
                response = page.request.get(path)
            else:
                response = page.request.post(path, form={**form, "csrf_token": token})
            _no_error(response, what)
    assert web_app.store.canonical_dump() == before


def test_sign_in_and_user_forms_refuse_the_corpus_cleanly(browser, sign_in, web_app):
    admin = sign_in("admin")
    admin.goto("/admin/users")
    token = _csrf(admin)
    stranger = browser.new_page(base_url=web_app.url)
    stranger.goto("/login")
    login_token = _csrf(stranger)
    for value in INJECTIONS:
        response = stranger.request.post("/login", form={"username": value, "password": value,
                                                         "csrf_token": login_token, "next": value})
        assert response.status == 401, value[:30]
        _no_error(response, f"sign in as {value[:30]!r}")
        added = admin.request.post("/admin/users", form={"username": value, "role": value,
                                                         "password": value, "csrf_token": token})
        assert added.status == 400, value[:30]
        _no_error(added, f"add user {value[:30]!r}")
        disabled = admin.request.post(f"/admin/users/{quote(value, safe='')}/disable", form={"csrf_token": token})
        _no_error(disabled, f"disable {value[:30]!r}")
        assert re.search(r"no user|not found|Not found", disabled.text(), re.IGNORECASE), value[:30]
    stranger.close()
