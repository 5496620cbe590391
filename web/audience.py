"""The audience builder: the command line's audience filters plus a map area, include and exclude
lists and saved audiences; a live count with the reasons people were left out, a preview, and
spreadsheet-safe downloads recorded in the audit log.

The role is never a form field: restricted contacts are visible only to a role that may see them,
and that is decided in the graph query (``AudienceFilter.role``), for counts, previews and files alike;
a saved audience loaded by such a role shows none of their IDs. Saved audiences belong to their author:
others may load and use them, not change them. Issues, categories and wards are checked as on the command
line (``services.audience.known_filter``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections.abc import Sequence
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import Response

from exports.audience_files import FORMATS, audience_file
from graph.audience import CHANNELS, audience_columns, left_out_reasons
from graph.store import GraphStore
from resolution.survivorship import PRIORITY_RANK
from services.audience import record
from services.saved_audiences import AudienceForm, FormProblems, as_seen_by, build_filter, saved_forms

from .pages import AudienceBuilder, redirect, render, restricted_visible

router = APIRouter(prefix="/audience")

PREVIEW_ROWS = 50
_SAVED_NAME = re.compile(r"^[\w .'()-]{1,80}$")


def role_of(session) -> str:
    return "spoc" if restricted_visible(session) else "messaging"


def _result(request: Request, session, form: AudienceForm, audited: bool = False) -> dict:
    """The count, the reasons people were left out and the first rows for ``form``, or its problems.
    ``audited``: the audience is recorded in the audit log as drawn (a preview the user asked for)."""
    store: GraphStore = request.app.state.store
    try:
        f = build_filter(form, role_of(session), store, saved_forms(store))
    except FormProblems as error:
        return {"problems": error.problems}
    counts = store.audience_counts(f)
    rows = store.audience(f, limit=PREVIEW_ROWS)
    marked = store.priority_stakeholders([r["contact_id"] for r in rows])
    preview = [{**r, "channels": _channels(r), "priority_stakeholder": r["contact_id"] in marked} for r in rows]
    if audited:
        record(request.app.state.installation.audit, session.user.username, "audience drawn", f,
               store.audience(f), form.purpose, "web", saved=_saved_names(form))
    return {"problems": [], "count": counts["selected"], "candidates": counts["candidates"],
            "reasons": left_out_reasons(counts, f), "preview": preview, "preview_limit": PREVIEW_ROWS}


def _channels(recipient: dict) -> list[str]:
    return [label for key, label in (("email", "email"), ("mobile", "SMS"), ("phone", "phone")) if recipient[key]]


_CHOICES: dict[str, tuple[str | None, dict]] = {}


def _choices(store: GraphStore) -> dict:
    """The form's choices change only with a sync: kept per graph fingerprint (the map is web/map_data.py)."""
    fingerprint = store.fingerprint()
    kept = _CHOICES.get("current")
    if kept is None or kept[0] != fingerprint or fingerprint is None:
        kept = (fingerprint, store.audience_choices())
        _CHOICES["current"] = kept
    return kept[1]


def _saved_names(form: AudienceForm) -> dict:
    return {"include_saved": list(form.include_saved), "exclude_saved": list(form.exclude_saved),
            "within_saved": list(form.within_saved)}


def _page(request: Request, session, form: AudienceForm, status_code: int = 200,
          problems: Sequence[str] = (), audited: bool = False):
    store: GraphStore = request.app.state.store
    result = _result(request, session, form, audited and not problems)
    failed = bool(problems or result["problems"])
    return render(request, "audience.html", status_code=400 if failed and status_code == 200 else status_code,
                  title="Audience builder", form=form, choices=_choices(store), saved=store.saved_audiences(),
                  priorities=tuple(PRIORITY_RANK), channels=CHANNELS, result=result, problems=list(problems),
                  sees_restricted=restricted_visible(session))


@router.get("")
def builder(request: Request, session: AudienceBuilder, load: str = ""):
    if load:
        saved = saved_forms(request.app.state.store)
        if load not in saved:
            return _page(request, session, AudienceForm(), 404, [f"There is no saved audience named {load!r}."])
        return _page(request, session, as_seen_by(AudienceForm.from_json(saved[load]), role_of(session),
                                                  request.app.state.store))
    return _page(request, session, AudienceForm.from_params(request.query_params))


@router.post("")
async def preview(request: Request, session: AudienceBuilder):
    return _page(request, session, AudienceForm.from_params(await request.form()), audited=True)


@router.get("/count")
def live_count(request: Request, session: AudienceBuilder):
    """The count, the reasons and the preview, as an HTML fragment for the page's script to put in place."""
    return render(request, "audience_result.html", result=_result(request, session,
                                                                   AudienceForm.from_params(request.query_params)))


@router.post("/download")
async def download(request: Request, session: AudienceBuilder):
    data = await request.form()
    form = AudienceForm.from_params(data)
    form_type = data.get("format", "")
    if form_type not in FORMATS:
        return _page(request, session, form, 400, ["Download: choose CSV or Excel (.xlsx)."])
    store: GraphStore = request.app.state.store
    try:
        f = build_filter(form, role_of(session), store, saved_forms(store))
    except FormProblems as error:
        return _page(request, session, form, 400, error.problems)
    recipients = store.audience(f)
    body = audience_file(recipients, form_type, audience_columns(f))
    record(request.app.state.installation.audit, session.user.username, "audience downloaded", f, recipients,
           form.purpose, "web", saved=_saved_names(form), format=form_type)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    return Response(body, media_type=FORMATS[form_type],
                    headers={"Content-Disposition": f'attachment; filename="audience-{stamp}.{form_type}"'})


@router.post("/save")
async def save(request: Request, session: AudienceBuilder):
    data = await request.form()
    form = AudienceForm.from_params(data)
    name = str(data.get("save_name", "")).strip()
    if not _SAVED_NAME.match(name):
        return _page(request, session, form, 400, ["Save as: give a name of up to 80 letters, digits, spaces "
                                                   "or . ' ( ) - characters."])
    store: GraphStore = request.app.state.store
    try:
        build_filter(form, role_of(session), store, {**saved_forms(store), name: form.to_json()}, frozenset({name}))
    except FormProblems as error:
        return _page(request, session, form, 400, error.problems)
    at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    owner = store.save_audience(name, dataclasses.replace(form, purpose="").to_json(), session.user.username, at)
    if owner != session.user.username:
        return _page(request, session, form, 409, [
            f"Save as: the saved audience {name!r} belongs to {owner}; you may use it, not change it. "
            "Save under another name."])
    request.app.state.installation.audit.append(session.user.username, "audience saved",
                                                   {"name": name, "filters": json.loads(form.to_json())})
    return redirect(f"/audience?load={quote(name)}", f"Saved the audience {name!r}.")
