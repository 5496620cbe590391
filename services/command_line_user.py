"""Who acts on the command line, and what they may do (data contract section 10).

With accounts in the home, the command line acts as the account named by ``STAKEHOLDERS_USER`` (else the
OS user), with that account's role: a missing or disabled account may do nothing. A home with no accounts
at all is a single-user installation whose operator may do everything.
"""

from __future__ import annotations

from dataclasses import dataclass

from accounts.roles import can
from accounts.users import AccountStore
from kernel.errors import StakeholdersError


class NotAllowed(StakeholdersError):
    """The command-line user may not do this: said in one line (exit 1)."""


@dataclass(frozen=True)
class CommandLineUser:
    name: str
    role: str | None = None  # None: a home without accounts, whose operator may do everything

    def may(self, capability: str) -> bool:
        return self.role is None or can(self.role, capability)

    def require(self, capability: str, doing: str) -> None:
        """Refuse, in one line, what the user's role does not allow."""
        if not self.may(capability):
            raise NotAllowed(f"{self.name} ({self.role}) may not {doing}")


def command_line_user(accounts: AccountStore, name: str) -> CommandLineUser:
    """The user the command line acts as: the account ``name`` when the home has accounts."""
    if not accounts.path.exists():  # not even the file: asking would create it
        return CommandLineUser(name)
    users = {user.username: user for user in accounts.users()}
    if not users:
        return CommandLineUser(name)
    user = users.get(name)
    if user is None:
        raise NotAllowed(f"this home has accounts and none is named {name!r}: set STAKEHOLDERS_USER to your "
                         "account's name")
    if user.disabled:
        raise NotAllowed(f"the account {name} is disabled")
    return CommandLineUser(name, user.role)
