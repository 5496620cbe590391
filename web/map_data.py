"""``/map/data.json``: the map's wards, postcodes and premises as GeoJSON (services.map_data).

For every role with a page that shows the map (the audience builder, the profiles); restricted people
leave no trace in it for a role that may not see them, which the graph query decides. The answer
changes only with a sync: it is kept per graph fingerprint and role.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse

from services.map_data import TileLayer, map_features

from .pages import SignedIn, restricted_visible
from .permissions import can

router = APIRouter(prefix="/map")
_KEPT: dict[tuple, tuple[str, dict]] = {}


@router.get("/data.json")
def map_data(request: Request, session: SignedIn):
    if not (can(session.user.role, "audience") or can(session.user.role, "profiles")):
        raise HTTPException(status_code=403, detail="Your role does not give access to this page.")
    store, config = request.app.state.store, request.app.state.config
    spoc = restricted_visible(session)
    tiles = TileLayer(config.map_tiles, config.map_attribution) if config.map_tiles else None
    fingerprint, key = store.fingerprint(), (spoc, tiles)
    kept = _KEPT.get(key)
    if kept is None or fingerprint is None or kept[0] != fingerprint:
        kept = (fingerprint, map_features(store, spoc, tiles))
        if fingerprint is not None:
            _KEPT[key] = kept
    return JSONResponse(kept[1])
