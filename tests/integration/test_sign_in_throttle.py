"""Guessing passwords at the sign-in form: wrong passwords lock the account or the client address out
(kept in accounts.sqlite, so a restart or another worker sees it), an admin lifts a lockout from the
users page or the shell, the audit log records it all without a password, and the server checks only
so many passwords at once."""

from __future__ import annotations

import json
import time

import pytest

from accounts.audit import AuditLog
from accounts.users import AccountStore

from .cli_helpers import Cli
from .web_client import PASSWORD, form_token, home_with_users, sign_in, web_client

ACCOUNT_LIMIT, ADDRESS_LIMIT = 5, 20  # the defaults of accounts.sign_in_throttle.ThrottlePolicy


@pytest.fixture
def home(tmp_path):
    return home_with_users(tmp_path)


def test_wrong_passwords_lock_the_account_until_an_admin_unlocks_it_from_the_shell(home, capsys, monkeypatch):
    browser = web_client(home)
    answers = [sign_in(browser, "steward-user", f"guess number {n}").status_code for n in range(ACCOUNT_LIMIT)]
    assert answers == [401] * (ACCOUNT_LIMIT - 1) + [429]

    right = sign_in(browser, "steward-user")
    assert right.status_code == 429 and "sg_session" not in right.cookies
    assert "Too many wrong passwords for this account" in right.text and "locked until" in right.text
    assert int(right.headers["retry-after"]) > 60
    # the lockout is in the home: another browser, on a restarted app, is refused too
    assert sign_in(web_client(home, address="10.9.9.9"), "steward-user").status_code == 429

    shell = Cli(capsys, monkeypatch, "bolt://127.0.0.1:1", home)  # no graph needed
    monkeypatch.setenv("STAKEHOLDERS_USER", "admin-user")  # managing accounts from the shell is an admin's
    assert {row["username"]: row["status"] for row in shell("users", "list").csv_rows()} == {
        "admin-user": "active", "steward-user": "locked"}
    unlocked = shell("users", "unlock", "steward-user")
    assert unlocked.code == 0 and "unlocked steward-user" in unlocked.err
    assert sign_in(browser, "steward-user").status_code == 303


def test_an_admin_sees_the_lockout_on_the_users_page_and_lifts_it(home):
    for n in range(ACCOUNT_LIMIT):
        sign_in(web_client(home, address="10.0.0.7"), "steward-user", f"guess number {n}")
    admin = web_client(home, address="10.0.0.2")
    assert sign_in(admin, "admin-user").status_code == 303
    page = admin.get("/admin/users").text
    assert "locked until" in page and 'aria-label="Unlock steward-user"' in page
    assert "10.0.0.7" not in page  # five failures lock the account, not the address
    answer = admin.post("/admin/users/steward-user/unlock", data={"csrf_token": form_token(page)})
    assert answer.status_code == 303
    assert sign_in(web_client(home, address="10.0.0.7"), "steward-user").status_code == 303


def test_guessing_many_usernames_from_one_address_locks_that_address_out(home):
    attacker = web_client(home, address="10.6.6.6")
    answers = [sign_in(attacker, f"user-{n}", "some guess or other").status_code for n in range(ADDRESS_LIMIT)]
    assert answers[-2:] == [401, 429]
    refused = sign_in(attacker, "steward-user")  # even a right password, from that address
    assert refused.status_code == 429 and "for your address" in refused.text
    assert sign_in(web_client(home, address="10.0.0.3"), "steward-user").status_code == 303

    admin = web_client(home, address="10.0.0.2")
    sign_in(admin, "admin-user")
    page = admin.get("/admin/users").text
    assert "10.6.6.6" in page
    admin.post("/admin/addresses/unlock", data={"csrf_token": form_token(page), "address": "10.6.6.6"})
    assert sign_in(attacker, "steward-user").status_code == 303


def test_failed_and_locked_sign_ins_are_audited_by_username_and_never_with_a_password(home):
    browser = web_client(home, address="10.0.0.4")
    sign_in(browser, "violet kettle typed in the wrong box", "x")  # a password in the username box
    for n in range(ACCOUNT_LIMIT):
        sign_in(browser, "steward-user", f"secret guess {n}")
    entries = AuditLog(home).entries()
    failed = [e for e in entries if e.action == "sign-in failed"]
    assert [e.details["username"] for e in failed] == [None] + ["steward-user"] * ACCOUNT_LIMIT
    assert {e.details["address"] for e in failed} == {"10.0.0.4"}
    locked = [e for e in entries if e.action == "sign-in locked"]
    assert [(e.details["scope"], e.details["username"]) for e in locked] == [("account", "steward-user")]
    text = json.dumps([e.details for e in entries]) + (home / "audit.jsonl").read_text()
    assert "violet kettle" not in text and "secret guess" not in text


def test_a_sign_in_beyond_the_concurrent_checks_is_answered_busy_at_once(home):
    browser = web_client(home, concurrent_sign_ins=2)
    slots = browser.app.state.sign_in_slots
    token = form_token(browser.get("/login").text)
    for _ in range(2):  # two sign-ins being checked at this moment
        slots.acquire()
    started = time.monotonic()
    busy = browser.post("/login", data={"username": "steward-user", "password": PASSWORD, "csrf_token": token})
    took = time.monotonic() - started
    assert busy.status_code == 503 and "Many people are signing in" in busy.text
    assert took < 1.5 and "retry-after" in busy.headers
    slots.release()  # one check finished: the form the busy page gave signs in
    assert browser.post("/login", data={"username": "steward-user", "password": PASSWORD,
                                        "csrf_token": form_token(busy.text)}).status_code == 303


@pytest.mark.parametrize("password", ["Password1234!", "qwertyuiop123", "P@ssw0rd2024", "liverpoolfc1892",
                                      "aaaaaaaaaaaaaaa", "newcomer-of-2024"])
def test_a_common_password_is_refused_for_a_new_user(home, password):
    admin = web_client(home)
    sign_in(admin, "admin-user")
    page = admin.get("/admin/users").text
    answer = admin.post("/admin/users", data={"csrf_token": form_token(page), "username": "newcomer",
                                              "role": "steward", "password": password})
    assert answer.status_code == 400
    assert any(reason in answer.text for reason in ("commonly used", "repeats", "the username"))
    assert AccountStore(home).user("newcomer") is None
