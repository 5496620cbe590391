"""What the app takes from a request: only its own host names, only its own status messages, and a
sign-in only from its own sign-in form."""

from __future__ import annotations

import pytest

from .web_client import PASSWORD, form_token, home_with_users, sign_in, web_client


@pytest.fixture
def home(tmp_path):
    return home_with_users(tmp_path)


def test_a_request_for_a_host_name_the_app_was_not_given_is_refused(home):
    browser = web_client(home)
    assert browser.get("/login").status_code == 200
    assert browser.get("/login", headers={"host": "localhost:8000"}).status_code == 200
    rebound = browser.get("/login", headers={"host": "attacker.example"})  # DNS rebinding, or a forged Host
    assert rebound.status_code == 400 and "sign in" not in rebound.text.lower()

    named = web_client(home, allowed_hosts=("stakeholders.city.police.uk",))
    assert named.get("/login", headers={"host": "stakeholders.city.police.uk"}).status_code == 200
    assert named.get("/login").status_code == 400


def test_the_status_banner_shows_only_messages_the_app_set(home):
    admin = web_client(home)
    assert sign_in(admin, "admin-user").status_code == 303
    spoofed = admin.get("/admin/users", params={"done": "Your account is suspended: call 0800 000 000"})
    assert "suspended" not in spoofed.text and 'class="flash"' not in spoofed.text

    added = admin.post("/admin/users", data={"csrf_token": form_token(spoofed.text), "username": "newcomer",
                                             "role": "steward", "password": "plum orchard at dusk"})
    assert added.status_code == 303
    shown = admin.get(added.headers["location"])
    assert 'class="flash"' in shown.text and "Added newcomer (steward)." in shown.text
    altered = added.headers["location"].replace("Added%20newcomer", "Removed%20newcomer")
    assert "Removed newcomer" not in admin.get(altered).text


def test_a_sign_in_with_a_planted_pre_session_cookie_is_refused(home):
    # Another site (or a sibling subdomain) can set a cookie and post a form, but cannot read ours.
    victim = web_client(home)
    victim.cookies.set("sg_login_csrf", "chosen-by-the-attacker")
    forged = victim.post("/login", data={"username": "steward-user", "password": PASSWORD,
                                         "csrf_token": "chosen-by-the-attacker", "next": "/"})
    assert forged.status_code == 403 and "sg_session" not in forged.cookies
    assert "did not come from this site" in forged.text


def test_a_sign_in_posted_from_another_site_is_refused(home):
    browser = web_client(home)
    token = form_token(browser.get("/login").text)
    form = {"username": "steward-user", "password": PASSWORD, "csrf_token": token, "next": "/"}
    for browser_says in ({"origin": "https://attacker.example"}, {"sec-fetch-site": "cross-site", "origin": "null"},
                         {"sec-fetch-site": "same-site"}):  # a sibling subdomain
        cross_site = browser.post("/login", data=form, headers=browser_says)
        assert cross_site.status_code == 403 and "sg_session" not in cross_site.cookies, browser_says
    same_site = browser.post("/login", data=form, headers={"origin": "http://127.0.0.1:8000"})
    assert same_site.status_code == 303 and "sg_session" in same_site.cookies
