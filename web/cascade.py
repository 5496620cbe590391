"""The cascade view: sector leads as a tree of hub, sector and lead, with what each reaches, and a link
that opens the same audience in the builder (services.cascade)."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request

from graph.audience import CHANNELS
from kernel.errors import UsageError
from services.cascade import cascade

from .pages import AudienceBuilder, render, restricted_visible

router = APIRouter()


@router.get("/cascade")
def cascade_view(request: Request, session: AudienceBuilder):
    store = request.app.state.store
    chosen = [v.strip() for v in request.query_params.getlist("sectors") if v.strip()]
    channel = request.query_params.get("channel") or "any"
    choices = store.audience_choices(["sectors"])
    try:
        found = cascade(store, chosen, channel, restricted_visible(session))
    except UsageError as error:
        return render(request, "cascade.html", status_code=400, title="Cascade", problems=[str(error)],
                      choices=choices, chosen=chosen, channel=channel, channels=CHANNELS, cascade=None)
    return render(request, "cascade.html", title="Cascade", problems=[], choices=choices, chosen=found.sectors,
                  channel=channel, channels=CHANNELS, cascade=found,
                  audience_link="/audience?" + urlencode(found.audience_params()))
