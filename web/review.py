"""The review queue: pairs of records the resolver was unsure about, for a data steward to decide.

Decisions go through services.review (as `stakeholders review` does) and take effect at the
next sync, or at once with "apply now", which runs the same sync as `stakeholders sync`.
"""

from __future__ import annotations

import threading
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, HTTPException, Query, Request

from accounts.users import Session
from kernel.errors import StakeholdersError
from resolution.decisions import Decision, pair_verdicts
from services import review as stewardship
from services.explanations import StagedView, StagedViewCache
from services.sync import run_sync
from sync.report import SyncReport

from .pages import Reviewer, redirect, render, restricted_visible
from .review_logic import (
    CONSEQUENCE_RULE,
    DEFAULT_REASON,
    SORTS,
    UNCERTAIN_RULE,
    compare_rows,
    next_key,
    order_pairs,
    pair_key,
    split_pair_key,
)

router = APIRouter()
_cache_lock = threading.Lock()


# --- shared with the conflicts page -------------------------------------------------------------
def staged_view(request: Request) -> StagedView:
    """The last sync's staged rows and explanations (cached on the app per sync fingerprint)."""
    state = request.app.state
    with _cache_lock:
        cache = getattr(state, "staged_view_cache", None)
        if cache is None:
            cache = state.staged_view_cache = StagedViewCache()
    return cache.get(state.store, state.installation.home)


def reason_of(text: str) -> str:
    return text.strip() or DEFAULT_REASON


def audit_decision(request: Request, session: Session, decision: Decision, action: str = "review decision") -> None:
    """The audit trail of a decision: IDs only (a reason or an override's value may hold personal data)."""
    details = {"decision_id": decision.decision_id, "kind": decision.kind, "refs": list(decision.refs)}
    if decision.contact_id:
        details["contact_id"] = decision.contact_id
    if decision.field:
        details["field"] = decision.field
    request.app.state.installation.audit.append(session.user.username, action, details)


def can_apply_now(request: Request) -> bool:
    return request.app.state.installation.manifest is not None


def _safe_back(path: str) -> str:
    # back to a steward page on this site only
    return path if path.startswith(("/review", "/contacts/")) and "//" not in path else "/review"


def _sync_now(request: Request) -> SyncReport:
    """The sync `stakeholders sync` runs, with the manifest the app was started with."""
    installation = request.app.state.installation
    return run_sync(installation, installation.manifest, trigger="web app")


@router.post("/review/apply")
def apply_now(request: Request, session: Reviewer, back: str = Form("/review")):
    if not can_apply_now(request):
        raise HTTPException(status_code=404, detail="This app has no manifest to sync with: decisions take "
                                                    "effect at the next scheduled sync.")
    try:
        report = _sync_now(request)
    except StakeholdersError as error:
        raise HTTPException(status_code=error.http_status, detail=f"The sync did not run: {error}") from None
    store = request.app.state.store
    request.app.state.installation.audit.append(
        session.user.username, "sync applied", {"exit_code": report.exit_code, "changed": report.changed,
                                                "decisions_applied": report.decisions_applied,
                                                "fingerprint": store.fingerprint()})
    staged_view(request)  # explain the new queue now rather than on the next page
    done = (f"Synced: {report.decisions_applied} decision(s) applied; {report.contacts} contacts, "
            f"{report.review_pairs} pairs for review.")
    if report.held_back:
        done += " Held back: " + ", ".join(o.name for o in report.held_back) + " (see Sync status)."
    return redirect(_safe_back(back), done)


# --- the queue ----------------------------------------------------------------------------------
def _sort(value: str) -> str:
    return value if value in SORTS else "uncertain"


def _queue(request: Request, session: Session, sort: str) -> tuple[list[dict], StagedView]:
    """The pending pairs this role may see, in the chosen order, each with its probability."""
    pairs = stewardship.review_queue(request.app.state.store, restricted_visible(session))
    view = staged_view(request)
    probabilities = {pair_key(p["ref_a"], p["ref_b"]): view.probability(p["ref_a"], p["ref_b"]) for p in pairs}
    ordered = [{**p, "key": pair_key(p["ref_a"], p["ref_b"]), "url": pair_url(p["ref_a"], p["ref_b"], sort),
                "probability": probabilities[pair_key(p["ref_a"], p["ref_b"])]}
               for p in order_pairs(pairs, probabilities, sort)]
    return ordered, view


def pair_url(ref_a: str, ref_b: str, sort: str = "uncertain") -> str:
    # Query parameters, not path segments: a record ID may hold "/" (e.g. "2024/15").
    url = f"/review/pair?a={quote(ref_a, safe=':')}&b={quote(ref_b, safe=':')}"
    return url + (f"&sort={sort}" if sort != "uncertain" else "")


def _queue_page(request: Request, session: Session, sort: str, error: str = "", status_code: int = 200):
    pairs, _ = _queue(request, session, sort)
    return render(request, "review.html", status_code=status_code, pairs=pairs, sort=sort,
                  sorts=SORTS, rule=CONSEQUENCE_RULE if sort == "consequence" else UNCERTAIN_RULE,
                  error=error, apply_now=can_apply_now(request), default_reason=DEFAULT_REASON)


@router.get("/review")
def queue(request: Request, session: Reviewer, sort: str = "uncertain"):
    return _queue_page(request, session, _sort(sort))


def _decide(request: Request, session: Session, action: str, ref_a: str, ref_b: str, why: str) -> Decision:
    store, who = request.app.state.store, session.user.username
    try:
        if action == "accept":
            decision, _ = stewardship.decide_match(store, ref_a, ref_b, who, why)
        else:
            decision, _ = stewardship.decide_no_match(store, [ref_a, ref_b], who, why)
    except stewardship.StewardError as error:
        raise HTTPException(status_code=400, detail=f"{error}.") from None
    audit_decision(request, session, decision)
    return decision


@router.post("/review/bulk")
def bulk(request: Request, session: Reviewer, action: str = Form(""),
         pair: Annotated[list[str] | None, Form()] = None, reason: str = Form(""), sort: str = Form("uncertain")):
    sort = _sort(sort)
    if action not in ("accept", "reject"):
        raise HTTPException(status_code=400, detail="Choose accept selected or reject selected.")
    if not pair:
        return _queue_page(request, session, sort, "Select at least one pair first.", status_code=400)
    pending = {p["key"] for p in _queue(request, session, sort)[0]}
    chosen = [split_pair_key(k) for k in dict.fromkeys(pair) if k in pending]  # no forged or stale pairs
    if not chosen:
        return _queue_page(request, session, sort, "None of the selected pairs is waiting any more: nothing was "
                                                   "recorded.", status_code=400)
    decided = [_decide(request, session, action, a, b, reason_of(reason)) for a, b in chosen]
    verb = "Accepted" if action == "accept" else "Rejected"
    done = f"{verb} {len(decided)} pair(s) ({', '.join(d.decision_id for d in decided)}); they take effect at the " \
           "next sync."
    if len(decided) < len(pair):
        done += f" {len(pair) - len(decided)} selected pair(s) were no longer waiting and were left alone."
    return redirect("/review" + (f"?sort={sort}" if sort != "uncertain" else ""), done)


# --- one pair -----------------------------------------------------------------------------------
def _decision_on(decisions: list[Decision], ref_a: str, ref_b: str) -> Decision | None:
    """The latest active decision that settles this pair, if any."""
    wanted = frozenset((ref_a, ref_b))
    if wanted not in pair_verdicts(decisions):
        return None
    return next(d for d in reversed(decisions) if d.active and wanted in {frozenset(p) for p in d.pairs()})


def _visible_pair(request: Request, session: Session, ref_a: str, ref_b: str) -> dict:
    """The review pair as this role may see it (decided or not); 404 as if absent otherwise."""
    visible = request.app.state.store.review_queue(restricted_visible(session))
    found = next((p for p in visible if (p["ref_a"], p["ref_b"]) == (ref_a, ref_b)), None)
    if found is None:
        raise HTTPException(status_code=404, detail=f"No pair {ref_a} and {ref_b} in the review queue.")
    return found


@router.get("/review/pair")
def pair_page(request: Request, session: Reviewer, ref_a: Annotated[str, Query(alias="a")] = "",
              ref_b: Annotated[str, Query(alias="b")] = "", sort: str = "uncertain"):
    sort = _sort(sort)
    pairs, view = _queue(request, session, sort)
    key = pair_key(ref_a, ref_b)
    position = next((i for i, p in enumerate(pairs) if p["key"] == key), None)
    pair = pairs[position] if position is not None else _visible_pair(request, session, ref_a, ref_b)
    decided = None if position is not None else _decision_on(request.app.state.store.decisions(), ref_a, ref_b)
    row_a, row_b = view.rows.get(ref_a), view.rows.get(ref_b)
    return render(
        request, "review_pair.html", pair=pair, ref_a=ref_a, ref_b=ref_b, sort=sort, position=position,
        total=len(pairs), decided=decided, row_a=row_a, row_b=row_b,
        fields=compare_rows(row_a or {}, row_b or {}), explanation=view.explanations.get(key),
        action_url=pair_url(ref_a, ref_b), apply_now=can_apply_now(request), default_reason=DEFAULT_REASON,
        back=pair_url(ref_a, ref_b, sort))


@router.post("/review/pair")
def decide_pair(request: Request, session: Reviewer, ref_a: Annotated[str, Query(alias="a")] = "",
                ref_b: Annotated[str, Query(alias="b")] = "", action: str = Form(""), reason: str = Form(""),
                sort: str = Form("uncertain")):
    sort = _sort(sort)
    if action not in ("accept", "reject", "skip"):
        raise HTTPException(status_code=400, detail="Choose accept, reject or skip.")
    pairs, _ = _queue(request, session, sort)
    ordered = [p["key"] for p in pairs]
    key = pair_key(ref_a, ref_b)
    if key not in ordered:
        _visible_pair(request, session, ref_a, ref_b)  # 404 unless this role may see the pair
        return redirect("/review", f"The pair {ref_a} and {ref_b} was already decided.")
    done = ""
    if action != "skip":
        decision = _decide(request, session, action, ref_a, ref_b, reason_of(reason))
        verb = "Accepted" if action == "accept" else "Rejected"
        done = f"{verb} {ref_a} and {ref_b} ({decision.decision_id}); it takes effect at the next sync."
    remaining = ordered if action == "skip" else [k for k in ordered if k != key]
    following = next_key(ordered, key, remaining)
    if following is None:
        return redirect("/review" + (f"?sort={sort}" if sort != "uncertain" else ""),
                        (done + " " if done else "") + "No more pairs are waiting.")
    next_a, next_b = split_pair_key(following)
    return redirect(pair_url(next_a, next_b, sort), done)
