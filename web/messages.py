"""Messages in the web app: the list (open first, updates due and overdue flagged), composing a message
with its audience's size and left-out reasons in view, the inspector's authorise and reject screen, issue,
update and close, and each message's delivery report. Everything goes through services.messages, as the
command line does; the role of the signed-in user is the role the workflow checks.
"""

from __future__ import annotations

from collections import Counter
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request

from accounts.users import Session
from graph.audience import left_out_reasons
from kernel.errors import StakeholdersError
from messages import workflow
from messages.model import CHANNELS, DELIVERY_STATUSES, GRADES, PERSONAL_CHANNELS, TYPES, Message
from messages.text import parse_duration, sms_segments
from resolution.survivorship import PRIORITY_RANK
from services import messages, templates
from services.messages import Actor

from .pages import redirect, render, require

router = APIRouter(prefix="/messages")
MessageUser = Annotated[Session, Depends(require("messages"))]
ACTIONS = ("submit", "authorise", "reject", "withdraw", "close")
REPORTED = ("sent", "delivered", "permanent-failure", "temporary-failure", "technical-failure", "opted-out",
            "pending")


def _actor(session: Session) -> Actor:
    return Actor(session.user.username, session.user.role)


def _failed(error: StakeholdersError) -> HTTPException:
    return HTTPException(status_code=error.http_status, detail=str(error))


@router.get("")
def message_list(request: Request, session: MessageUser):
    installation = request.app.state.installation
    rows = messages.listing(installation, installation.delivery.close_after)
    return render(request, "messages.html", title="Messages", rows=rows)


@router.get("/new")
def compose(request: Request, session: MessageUser, template: str = ""):
    installation = request.app.state.installation
    found = {t.name: t for t in templates.templates(installation)}
    chosen = found.get(template)
    choices = installation.store.audience_choices()
    saved = sorted(s["name"] for s in installation.store.saved_audiences())
    return render(request, "message_compose.html", title="New message", types=TYPES, grades=GRADES,
                  channels=CHANNELS, templates=list(found.values()), chosen=chosen,
                  body=chosen.body if chosen else "", issues=choices["issues"], wards=choices["wards"],
                  priorities=tuple(PRIORITY_RANK), saved=saved,
                  max_segments=installation.delivery.sms_max_segments)


@router.post("")
def create(request: Request, session: MessageUser, title: Annotated[str, Form()] = "",
           body: Annotated[str, Form()] = "", type_: Annotated[str, Form(alias="type")] = "",
           grade: Annotated[int, Form()] = 4, channel: Annotated[list[str], Form()] = (),
           public: Annotated[str, Form()] = "", issue: Annotated[list[str], Form()] = (),
           ward: Annotated[list[str], Form()] = (), min_priority: Annotated[str, Form()] = "",
           saved: Annotated[str, Form()] = ""):
    installation = request.app.state.installation
    audience = {k: v for k, v in {"issues": list(issue), "wards": list(ward), "min_priority": min_priority or None,
                                  "include": [f"saved:{saved}"] if saved else []}.items() if v}
    try:
        message = messages.draft(installation, _actor(session), title=title, body=body, type_=type_, grade=grade,
                                 channels=tuple(dict.fromkeys(channel)), audience=audience, public=bool(public),
                                 max_sms_segments=installation.delivery.sms_max_segments)
    except StakeholdersError as error:
        raise _failed(error) from None
    return redirect(f"/messages/{message.message_id}", f"Drafted {message.message_id}.")


@router.get("/{message_id}")
def message_page(request: Request, session: MessageUser, message_id: str):
    installation = request.app.state.installation
    try:
        shown = messages.show(installation, message_id)
    except StakeholdersError:
        raise HTTPException(status_code=404, detail=f"There is no message {message_id}.") from None
    message = messages.get(installation, message_id)
    deliveries = shown["deliveries"]
    report = {channel: Counter(d["status"] for d in deliveries if d["channel"] == channel)
              for channel in PERSONAL_CHANNELS if channel in message.channels}
    return render(request, "message.html", title=f"{message.message_id} {message.title}", message=message,
                  versions=shown["versions"], report=report, reported=REPORTED, statuses=DELIVERY_STATUSES,
                  chart=_chart(report), audience=_audience_now(installation, session, message),
                  segments=sms_segments(message.body) if "sms" in message.channels else None,
                  actions=_allowed(message, session), vias=("file", "notify", "smtp"),
                  templates=templates.templates(installation),
                  due=messages.due(message, messages.now(), installation.delivery.close_after))


@router.post("/{message_id}/step")
def take_step(request: Request, session: MessageUser, message_id: str, action: Annotated[str, Form()],
              why: Annotated[str, Form()] = ""):
    if action not in ACTIONS:
        raise HTTPException(status_code=400, detail=f"Unknown step {action!r}.")
    try:
        message = messages.step(request.app.state.installation, _actor(session), message_id, action, why)
    except StakeholdersError as error:
        raise _failed(error) from None
    return redirect(f"/messages/{message.message_id}", f"{message.message_id} is {message.state}.")


@router.post("/{message_id}/issue")
def issue(request: Request, session: MessageUser, message_id: str, via: Annotated[str, Form()] = "file",
          next_update_in: Annotated[str, Form()] = ""):
    installation = request.app.state.installation
    try:
        channel = installation.delivery.channel(via, None, f"{message_id.upper()}-v1")
        after = parse_duration(next_update_in) if next_update_in.strip() else None
        report = messages.issue(installation, _actor(session), message_id, channel, after)
    except StakeholdersError as error:
        raise _failed(error) from None
    return redirect(f"/messages/{report.message.message_id}", _said(report))


@router.post("/{message_id}/update")
def update(request: Request, session: MessageUser, message_id: str, body: Annotated[str, Form()] = "",
           template: Annotated[str, Form()] = "", next_update_in: Annotated[str, Form()] = "",
           final: Annotated[str, Form()] = ""):
    installation = request.app.state.installation
    try:
        current = messages.get(installation, message_id)
        words = body if body.strip() else templates.template(installation, template).body if template else ""
        channel = installation.delivery.channel(current.issued_via or "file", None,
                                                f"{current.message_id}-v{current.versions + 1}")
        after = parse_duration(next_update_in) if next_update_in.strip() and not final else None
        report = messages.update(installation, _actor(session), message_id, words, channel, final=bool(final),
                                 next_update_in=after, max_sms_segments=installation.delivery.sms_max_segments)
    except StakeholdersError as error:
        raise _failed(error) from None
    return redirect(f"/messages/{report.message.message_id}", _said(report))


def _said(report: messages.SendReport) -> str:
    sent = sum(n for status, n in report.counts.items() if status == "sent")
    text = f"{report.message.message_id} version {report.version}: {sent} sent"
    return text + (f"; {report.pending} not sent yet — try again to send the rest" if report.pending else ".")


def _allowed(message: Message, session: Session) -> list[str]:
    """The steps this user may take now (the workflow decides; the page only offers them)."""
    allowed = []
    for action in (*ACTIONS, "issue", "update"):
        try:
            workflow.check(message, action, session.user.username, session.user.role, why="checking")
        except workflow.TransitionError:
            continue
        allowed.append(action)
    return allowed


def _audience_now(installation, session: Session, message: Message) -> dict:
    """The size of the message's audience for this user now, and why the others it names are left out."""
    personal = [c for c in message.channels if c in PERSONAL_CHANNELS]
    if not personal or message.state in ("issued", "closed"):
        return {}
    chosen = messages.message_audience(installation, message, session.user.role)
    counts = installation.store.audience_counts(chosen)
    return {"count": counts.get("selected", 0), "left_out": left_out_reasons(counts, chosen)}


def _chart(report: dict[str, Counter]) -> list[dict]:
    """Bars for the delivery report (an SVG drawn on the server: no script, no library)."""
    total = max((n for counts in report.values() for n in counts.values()), default=0) or 1
    bars, y = [], 0
    for channel, counts in report.items():
        for status in REPORTED:
            if counts.get(status):
                bars.append({"label": f"{channel} {status}", "n": counts[status], "y": y,
                             "width": round(360 * counts[status] / total), "status": status})
                y += 26
    return bars
