"""`stakeholders portal invite`: invite the first priority stakeholders to the portal from the command line
(the same use case as the "Invite … to the portal" link of an organisation's page)."""

from __future__ import annotations

import argparse
import sys

from accounts.invites import DEFAULT_HOURS
from services import portal_invites
from services.installation import Installation

from .settings import Settings


def cmd_portal(args: argparse.Namespace, settings: Settings, installation: Installation) -> int:
    user = args.command_line_user  # a steward: pipelines.cli.NEEDS
    made = portal_invites.invite(installation, user.name, args.organisation, args.username, args.hours)
    print(made.link)  # stdout: the link alone, to paste into a message to the person
    print(f"invited {made.invite.username} of {made.organisation_name} ({args.organisation}) until "
          f"{made.invite.expires_at}; the link works once", file=sys.stderr)
    return 0


def add_parsers(commands: argparse._SubParsersAction) -> None:
    portal = commands.add_parser("portal", help="the stakeholder portal: invite a priority stakeholder",
                                 description="A stakeholder account belongs to one organisation and signs in at "
                                             "/portal; it is made by redeeming an invitation, never by "
                                             "`stakeholders users add`.")
    actions = portal.add_subparsers(dest="action", required=True, metavar="ACTION")
    invite = actions.add_parser("invite", help="print a single-use invitation link (stdout) for one person",
                                description="The link expires (24 hours unless --hours says otherwise) and "
                                            "works once; set STAKEHOLDERS_PUBLIC_URL for a whole link.")
    invite.add_argument("organisation", metavar="O-ID", help="the organisation they will keep (an ID as O-…)")
    invite.add_argument("--username", required=True, help="their username: lower-case letters, digits, . _ -")
    invite.add_argument("--hours", type=float, default=DEFAULT_HOURS, help="how long the link works (default 24)")
    portal.set_defaults(handler=cmd_portal)
