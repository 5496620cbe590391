"""Invitations to the portal: single use, expiry, and an account bound to one organisation."""

from __future__ import annotations

import pytest

from accounts.invites import EXPIRED, UNKNOWN, USED, InviteError, Invites
from accounts.users import AccountError, AccountStore

PASSWORD = "amber lantern over the river"


def test_an_invitation_makes_a_stakeholder_of_its_organisation_once(tmp_path):
    accounts = AccountStore(tmp_path)
    invites = Invites(accounts)
    token, made = invites.create("jane.keeper", "O-1", "steward-user")
    assert invites.pending(token).organisation_id == "O-1"
    user = invites.redeem(token, PASSWORD)
    assert (user.role, user.organisation_id) == ("stakeholder", "O-1")
    assert accounts.authenticate("jane.keeper", PASSWORD).organisation_id == "O-1"
    with pytest.raises(InviteError) as reused:
        invites.redeem(token, PASSWORD)
    assert str(reused.value) == USED
    assert made.expires_at > made.created_at


def test_an_expired_or_unknown_invitation_makes_nothing(tmp_path):
    accounts = AccountStore(tmp_path)
    invites = Invites(accounts)
    token, _ = invites.create("late.keeper", "O-1", "steward-user")
    with accounts._db() as db:
        db.execute("UPDATE invites SET expires_at = '2000-01-01T00:00:00+00:00'")
    with pytest.raises(InviteError) as expired:
        invites.redeem(token, PASSWORD)
    assert str(expired.value) == EXPIRED
    with pytest.raises(InviteError) as unknown:
        invites.redeem("not-a-token", PASSWORD)
    assert str(unknown.value) == UNKNOWN
    assert accounts.user("late.keeper") is None


def test_a_refused_password_leaves_the_invitation_open(tmp_path):
    invites = Invites(AccountStore(tmp_path))
    token, _ = invites.create("short.password", "O-1", "steward-user")
    with pytest.raises(AccountError):
        invites.redeem(token, "short")
    assert invites.redeem(token, PASSWORD).username == "short.password"


def test_an_invitation_needs_a_free_username_and_a_sensible_lifetime(tmp_path):
    accounts = AccountStore(tmp_path)
    accounts.add_user("steward-user", "steward", PASSWORD)
    invites = Invites(accounts)
    with pytest.raises(InviteError, match="exists already"):
        invites.create("steward-user", "O-1", "steward-user")
    with pytest.raises(InviteError, match="between"):
        invites.create("someone", "O-1", "steward-user", hours=0)
    invites.create("someone", "O-1", "steward-user")
    with pytest.raises(InviteError, match="still open"):
        invites.create("someone", "O-2", "steward-user")


def test_staff_accounts_cannot_be_made_stakeholders_by_the_user_commands(tmp_path):
    with pytest.raises(AccountError, match="unknown role"):
        AccountStore(tmp_path).add_user("outsider", "stakeholder", PASSWORD)
