"""Inviting priority stakeholders to the portal: a steward names a person of one organisation; the person
redeems a single-use link that expires by choosing a password. Each step is in the audit log (IDs only: the
username and organisation, never the link)."""

from __future__ import annotations

from dataclasses import dataclass

from accounts.invites import DEFAULT_HOURS, Invite, InviteError, Invites
from accounts.users import AccountError, User
from kernel.errors import StakeholdersError

from .installation import Installation

INVITE_PATH = "/portal/invite/"


class NoSuchOrganisation(StakeholdersError, LookupError):
    http_status = 404


@dataclass(frozen=True)
class Invitation:
    invite: Invite
    organisation_name: str
    link: str  # the whole link when the installation knows its public address, else the path


def invite(installation: Installation, steward: str, organisation_id: str, username: str,
           hours: float = DEFAULT_HOURS) -> Invitation:
    """Invite ``username`` to keep ``organisation_id``'s records. The link is shown once, here."""
    found = installation.store.organisation(organisation_id)
    if found is None:
        raise NoSuchOrganisation(f"There is no organisation {organisation_id}.")
    token, made = Invites(installation.accounts).create(username.strip().lower(), organisation_id, steward, hours)
    installation.audit.append(steward, "portal invitation made", {
        "organisation_id": organisation_id, "username": made.username, "expires_at": made.expires_at})
    base = installation.delivery.public_url.rstrip("/")
    return Invitation(made, _name(found), f"{base}{INVITE_PATH}{token}")


def pending(installation: Installation, token: str) -> Invitation:
    """The invitation a link opens, while it can be used (InviteError saying why not)."""
    found = Invites(installation.accounts).pending(token)
    organisation = installation.store.organisation(found.organisation_id)
    return Invitation(found, _name(organisation) if organisation else found.organisation_id, "")


def accept(installation: Installation, token: str, password: str, confirm: str) -> User:
    """Make the account, or AccountError (a refused password: the link still works) / InviteError."""
    if password != confirm:
        raise AccountError("The two passwords are not the same.")
    try:
        user = Invites(installation.accounts).redeem(token, password)
    except InviteError as refused:
        installation.audit.append("unknown user", "portal invitation refused", {"why": refused.why})
        raise
    installation.audit.append(user.username, "portal invitation used",
                              {"organisation_id": user.organisation_id, "username": user.username})
    return user


def invitations(installation: Installation, organisation_id: str) -> list[Invite]:
    return Invites(installation.accounts).of_organisation(organisation_id)


def _name(organisation: dict) -> str:
    return organisation.get("name") or organisation.get("id") or ""
