"""`stakeholders web` and `stakeholders users`: serve the web app and manage who may sign in."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from accounts.sign_in_throttle import ACCOUNT, ADDRESS, SignInThrottle
from accounts.staff_contacts import StaffContacts
from accounts.users import ROLES, AccountError, AccountStore
from graph.neo4j_server.launcher import LocalNeo4j, ensure_graph
from graph.store import INTERACTIVE, GraphStore
from services import sign_in_locks
from services.installation import Installation

from .settings import Settings


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    if not sys.stdin.isatty():
        raise AccountError("no terminal to ask for the password: pipe it in with --password-stdin")
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Again: "):
        raise AccountError("the two passwords differ")
    return first


def cmd_users(args: argparse.Namespace, settings: Settings, installation: Installation) -> int:
    accounts = AccountStore(settings.home)
    audit = installation.audit
    if args.action == "list":
        locked = {lock.key for lock in SignInThrottle(settings.home).lockouts() if lock.scope == ACCOUNT}
        print("username,role,status,created_at")
        for user in accounts.users():
            status = "disabled" if user.disabled else "locked" if user.username in locked else "active"
            print(f"{user.username},{user.role},{status},{user.created_at}")
        return 0
    if args.action == "unlock":
        return _unlock(args, settings, installation)
    if args.action == "contact":
        found = StaffContacts(settings.home).set(args.username.lower(), args.email or "", args.mobile or "")
        audit.append(settings.steward, "user contact details set", {"username": found.username})
        _say(f"{found.username} is prompted at: {found.email or 'no email'}, {found.mobile or 'no mobile'}")
        return 0
    if args.action == "add":
        user = accounts.add_user(args.username.lower(), args.role, _read_password(args))
        audit.append(settings.steward, "user added", {"username": user.username, "role": user.role})
        _say(f"added {user.username} ({user.role})")
        return 0
    user = accounts.set_disabled(args.username.lower(), args.action == "disable")
    audit.append(settings.steward, f"user {args.action}d", {"username": user.username})
    _say(f"{args.action}d {user.username}")
    return 0


def _unlock(args: argparse.Namespace, settings: Settings, installation: Installation) -> int:
    if (args.username is None) == (args.address is None):
        raise AccountError("name a user or give --address (one of the two)")
    scope, key = (ACCOUNT, args.username.lower()) if args.username else (ADDRESS, args.address)
    lifted = sign_in_locks.unlock(installation, scope, key, settings.steward)
    _say(f"unlocked {key}" if lifted else f"{key} was not locked out (its failed sign-ins are forgotten)")
    return 0


def _web_store(settings: Settings) -> GraphStore:
    """The graph as the web app wants it: a page says "not available" within a few seconds while Neo4j is
    down, and the app finds the server again when it is back: the user's own at the same URI, the local
    one at the port its launcher recorded when it started again (it changes on every start)."""
    connection = ensure_graph(settings.home, settings.environ)
    local = None if settings.own_neo4j else LocalNeo4j(settings.home, settings.environ).running_connection
    return GraphStore(connection, timeouts=INTERACTIVE, locate=local)


def cmd_web(args: argparse.Namespace, settings: Settings, installation: Installation) -> int:
    import uvicorn

    from web.app import create_app
    from web.config import LOOPBACK_NAMES, WebConfig

    manifest = Path(args.manifest) if args.manifest else None
    if manifest is not None and not manifest.is_file():
        raise AccountError(f"manifest not found: {manifest}")
    if not AccountStore(settings.home).users():
        _say("no users yet: add one with `stakeholders users add NAME --role admin`")
    installation.manifest = manifest
    installation.connect = lambda: _web_store(settings)
    _ = installation.store  # connect (starting the local server) before serving, not on the first request
    hosts = tuple(dict.fromkeys(args.allowed_host or (*LOOPBACK_NAMES, args.host)))
    config = WebConfig(dagster_url=args.dagster_url, secure_cookies=args.secure_cookies, allowed_hosts=hosts,
                       map_tiles=settings.map_tiles, map_attribution=settings.map_attribution)
    _say(f"serving on http://{args.host}:{args.port}/ (Ctrl-C to stop)")
    uvicorn.run(create_app(config, installation), host=args.host, port=args.port, log_level="warning")
    return 0


def add_parsers(commands: argparse._SubParsersAction) -> None:
    web = commands.add_parser("web", help="serve the web app for stewards and messaging teams",
                              description="Server-rendered pages on HOST:PORT; users sign in with accounts made "
                                          "by `stakeholders users add`.")
    web.add_argument("--host", default="127.0.0.1", help="address to listen on (default: loopback only)")
    web.add_argument("--port", type=int, default=8000)
    web.add_argument("--manifest", help="the manifest that \"apply now\" syncs with (omit to hide the button)")
    web.add_argument("--dagster-url", help="link the sync status page to this Dagster UI")
    web.add_argument("--allowed-host", action="append", metavar="NAME",
                     help="a name the app answers to in the Host header (repeatable; default: the loopback "
                          "names and the --host address); any other is refused with 400")
    web.add_argument("--secure-cookies", action="store_true", help="mark cookies Secure (serving behind HTTPS)")
    web.set_defaults(handler=cmd_web)

    users = commands.add_parser("users", help="who may sign in to the web app, with which role",
                                description=f"Roles: {', '.join(ROLES)}. Only spoc sees restricted contacts.")
    actions = users.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="add a user (asks for the password, or reads it from stdin)")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    actions.add_parser("list", help="users as CSV on stdout")
    contact = actions.add_parser("contact", help="where a user is prompted (an inspector: overdue messages)")
    contact.add_argument("username")
    contact.add_argument("--email", help="their own work email ('' clears it)")
    contact.add_argument("--mobile", help="their own work mobile ('' clears it)")
    for action in ("disable", "enable"):
        effect = "ends their sessions at once" if action == "disable" else "lets them sign in again"
        parser = actions.add_parser(action, help=f"{action} a user ({effect})")
        parser.add_argument("username")
    unlock = actions.add_parser("unlock", help="lift a sign-in lockout (too many wrong passwords) of a user, "
                                               "or of a client address with --address")
    unlock.add_argument("username", nargs="?")
    unlock.add_argument("--address", help="the client address to unlock instead of a user")
    users.set_defaults(handler=cmd_users)
