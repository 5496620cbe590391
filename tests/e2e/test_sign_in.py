"""Signing in, roles and CSRF, in the real browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from accounts.audit import AuditLog
from accounts.users import AccountStore

from .conftest import PASSWORD, screenshot

pytestmark = pytest.mark.neo4j

EXPECTED_NAV = {
    "steward": {"Review queue", "Contacts", "Organisations", "Satisfaction", "Engagement", "Sync status"},
    "messaging": {"Audience builder", "Cascade", "Messages", "Contacts", "Organisations", "Satisfaction",
                  "Engagement", "Sync status"},
    "spoc": {"Review queue", "Audience builder", "Cascade", "Messages", "Contacts", "Organisations", "Satisfaction",
             "Engagement", "Stakeholder questions", "Sync status"},
    "inspector": {"Audience builder", "Cascade", "Messages", "Contacts", "Organisations", "Satisfaction",
                  "Engagement", "Control room", "Sync status"},
    "admin": {"Users", "Message templates", "Audit log", "Sync status"},
}


@pytest.mark.parametrize("role", sorted(EXPECTED_NAV))
def test_each_role_signs_in_and_sees_only_its_pages(sign_in, role):
    page = sign_in(role)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Welcome, {role}-user")
    links = set(page.get_by_role("navigation", name="Main").get_by_role("link").all_inner_texts())
    assert links == EXPECTED_NAV[role]
    screenshot(page, f"home-{role}")


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(browser, web_app):
    page = browser.new_page(base_url=web_app.url)
    page.goto("/login")
    screenshot(page, "login")
    page.get_by_label("Username").fill("steward-user")
    page.get_by_label("Password").fill("not the password at all")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("do not match an active account")
    page.goto("/admin/audit")
    assert "/login" in page.url
    page.close()


def test_pages_ask_for_sign_in_and_return_to_where_the_user_was_going(browser, web_app):
    page = browser.new_page(base_url=web_app.url)
    page.goto("/admin/users")
    expect(page).to_have_url(re.compile(r"/login\?next="))
    page.get_by_label("Username").fill("admin-user")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{web_app.url}/admin/users")
    page.close()


def test_sign_in_never_redirects_off_site(browser, web_app):
    page = browser.new_page(base_url=web_app.url)
    page.goto("/login?next=//example.org/steal")
    page.get_by_label("Username").fill("steward-user")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{web_app.url}/")
    page.close()


def test_a_role_without_access_gets_a_clear_refusal(sign_in):
    page = sign_in("messaging")
    response = page.goto("/admin/users")
    assert response.status == 403
    expect(page.get_by_role("alert")).to_contain_text("does not give access")


def test_a_form_without_its_csrf_token_is_refused_and_changes_nothing(sign_in, web_app):
    page = sign_in("admin")
    page.goto("/admin/users")
    page.get_by_label("Username").fill("intruder")
    page.get_by_label("Password (at least 12 characters)").fill(PASSWORD)
    # The form as a forged page would send it: everything but the token.
    page.locator("form[action='/admin/users'] input[name=csrf_token]").evaluate("e => e.remove()")
    page.get_by_role("button", name="Add user").click()
    expect(page.get_by_role("alert")).to_contain_text("did not come from this site")
    assert AccountStore(web_app.home).user("intruder") is None
    forged = page.request.post("/admin/users", form={"username": "intruder", "role": "admin",
                                                     "password": PASSWORD, "csrf_token": "guessed"})
    assert forged.status == 403
    assert AccountStore(web_app.home).user("intruder") is None


def test_admin_adds_and_disables_a_user_and_the_log_says_so(sign_in, browser, web_app):
    page = sign_in("admin")
    page.goto("/admin/users")
    page.get_by_label("Username").fill("new-steward")
    page.get_by_label("Role").select_option("steward")
    page.get_by_label("Password (at least 12 characters)").fill(PASSWORD)
    page.get_by_role("button", name="Add user").click()
    expect(page.get_by_role("status")).to_contain_text("Added new-steward")
    screenshot(page, "admin-users")

    newcomer = browser.new_page(base_url=web_app.url)
    newcomer.goto("/login")
    newcomer.get_by_label("Username").fill("new-steward")
    newcomer.get_by_label("Password").fill(PASSWORD)
    newcomer.get_by_role("button", name="Sign in").click()
    expect(newcomer.get_by_role("navigation", name="Main").get_by_role("link", name="Review queue")).to_be_visible()

    page.get_by_role("button", name="Disable new-steward").click()
    expect(page.get_by_role("status")).to_contain_text("Disabled new-steward")
    newcomer.goto("/")
    assert "/login" in newcomer.url  # the session ended with the account
    newcomer.close()

    actions = [(e.action, e.details.get("username")) for e in AuditLog(web_app.home).entries()]
    assert ("user added", "new-steward") in actions and ("user disabled", "new-steward") in actions
    page.goto("/admin/audit")
    expect(page.get_by_text("the hash chain is intact")).to_be_visible()
    screenshot(page, "admin-audit")


def test_pages_send_headers_that_stop_framing_and_inline_script(sign_in, web_app):
    page = sign_in("steward")
    response = page.goto("/")
    headers = response.headers
    assert "default-src 'self'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"
    assert headers["cache-control"] == "no-store"
