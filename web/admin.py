"""Admin pages: the users, the message templates and the audit log."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Form, Request

from accounts.sign_in_throttle import ACCOUNT, ADDRESS
from accounts.users import ROLES, AccountError
from kernel.errors import StakeholdersError
from messages.templates import KINDS, Template
from services import sign_in_locks, templates
from services.messages import Actor

from .pages import AuditReader, UserAdmin, redirect, render

router = APIRouter(prefix="/admin")


def _users_page(request: Request, error: str = "", status_code: int = 200):
    def until(seconds: float) -> str:
        return dt.datetime.fromtimestamp(seconds, dt.UTC).strftime("%H:%M UTC")

    lockouts = request.app.state.sign_in_throttle.lockouts()
    return render(request, "admin_users.html", status_code=status_code,
                  users=request.app.state.accounts.users(), roles=ROLES, error=error,
                  locked_users={lock.key: until(lock.until) for lock in lockouts if lock.scope == ACCOUNT},
                  locked_addresses=[(lock.key, until(lock.until)) for lock in lockouts if lock.scope == ADDRESS])


@router.get("/users")
def users(request: Request, session: UserAdmin):
    return _users_page(request)


@router.post("/users")
def add_user(request: Request, session: UserAdmin, username: str = Form(""), role: str = Form(""),
             password: str = Form("")):
    try:
        request.app.state.accounts.add_user(username.strip().lower(), role, password)
    except AccountError as error:
        return _users_page(request, str(error), status_code=400)
    request.app.state.installation.audit.append(session.user.username, "user added",
                                                   {"username": username.strip().lower(), "role": role})
    return redirect("/admin/users", f"Added {username.strip().lower()} ({role}).")


@router.post("/users/{username}/disable")
def disable_user(request: Request, username: str, session: UserAdmin):
    if username == session.user.username:
        return _users_page(request, "You cannot disable your own account.", status_code=400)
    try:
        request.app.state.accounts.set_disabled(username, True)
    except AccountError as error:
        return _users_page(request, str(error), status_code=404)
    request.app.state.installation.audit.append(session.user.username, "user disabled", {"username": username})
    return redirect("/admin/users", f"Disabled {username}.")


@router.post("/users/{username}/unlock")
def unlock_user(request: Request, username: str, session: UserAdmin):
    sign_in_locks.unlock(request.app.state.installation, ACCOUNT, username, session.user.username)
    return redirect("/admin/users", f"Unlocked {username}: they can sign in again.")


@router.post("/addresses/unlock")
def unlock_address(request: Request, session: UserAdmin, address: str = Form("")):
    sign_in_locks.unlock(request.app.state.installation, ADDRESS, address, session.user.username)
    return redirect("/admin/users", f"Unlocked sign-ins from {address}.")


@router.get("/audit")
def audit(request: Request, session: AuditReader):
    log = request.app.state.installation.audit
    entries = list(reversed(log.entries()))
    return render(request, "admin_audit.html", entries=entries, broken=log.verify())


@router.get("/templates")
def message_templates(request: Request, session: UserAdmin):
    return _templates_page(request)


def _templates_page(request: Request, error: str = "", status_code: int = 200):
    return render(request, "admin_templates.html", status_code=status_code, error=error, kinds=KINDS,
                  templates=templates.templates(request.app.state.installation))


@router.post("/templates")
def save_message_template(request: Request, session: UserAdmin, name: str = Form(""), kind: str = Form(""),
                          body: str = Form("")):
    actor = Actor(session.user.username, session.user.role)
    try:
        saved = templates.save_template(request.app.state.installation, actor, Template(name.strip(), kind, body))
    except StakeholdersError as error:
        return _templates_page(request, str(error), status_code=400)
    return redirect("/admin/templates", f"Saved the template {saved.name}.")
