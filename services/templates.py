"""The message templates of this installation: `templates.json` in the home (owner-only), over the
built-in set; only admins (or a single-user home's operator) change them."""

from __future__ import annotations

import json
from pathlib import Path

from kernel.errors import StakeholdersError
from messages import workflow
from messages.templates import BUILT_IN, Template
from sync.home_files import write_json

from .installation import Installation
from .messages import Actor


def _path(installation: Installation) -> Path:
    return installation.home / "templates.json"


def templates(installation: Installation) -> list[Template]:
    """Every template, the home's own first in name order, with built-in ones not replaced."""
    path = _path(installation)
    try:
        stored = json.loads(path.read_text(encoding="utf-8")) if path.exists() else []
        own = [Template(t["name"], t["kind"], t["body"]) for t in stored]
    except (OSError, ValueError, KeyError, TypeError):
        raise StakeholdersError(f"{path}: cannot be read as templates; restore it from a backup or remove it to "
                                "use the built-in templates") from None
    names = {t.name for t in own}
    return sorted(own + [t for t in BUILT_IN if t.name not in names], key=lambda t: t.name)


def template(installation: Installation, name: str) -> Template:
    found = {t.name: t for t in templates(installation)}
    if name not in found:
        raise StakeholdersError(f"no template {name!r}: one of {', '.join(sorted(found))}")
    return found[name]


def save_template(installation: Installation, actor: Actor, new: Template) -> Template:
    if actor.role not in ("admin", workflow.SINGLE_USER):
        raise workflow.TransitionError(f"{actor.user} is {actor.role}: templates are kept by admins")
    new.check()
    own = [t for t in templates(installation) if t.name != new.name and t not in BUILT_IN] + [new]
    write_json(_path(installation), [{"name": t.name, "kind": t.kind, "body": t.body} for t in sorted(
        own, key=lambda t: t.name)])
    installation.audit.append(actor.user, "message template saved", {"name": new.name, "kind": new.kind})
    return new
