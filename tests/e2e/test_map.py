"""The City map in the real browser: Leaflet (served by the app itself) with the wards, drawing an area,
the chosen wards, tiles only from a tile server the installation names, and no trace of restricted people."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from delivery.settings import DeliverySettings
from graph.audience import AudienceFilter, parse_polygon, point_in_polygon
from pipelines.settings import Settings
from services.installation import Installation
from tests.loopback import serving as serving_fake
from web import map_data
from web.app import create_app
from web.config import WebConfig

from .conftest import SAMPLE_MANIFEST, screenshot, serving, signed_in_page
from .test_audience import _csv_rows, _download

pytestmark = pytest.mark.neo4j
# A 1x1 transparent PNG: what the loopback tile server answers for every tile.
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082")


def _read(web_app, query: str, **params) -> list[dict]:
    with web_app.store.session() as session:
        return [record.data() for record in session.run(query, params)]


class Watch:
    """Every request the page makes and every error it logs (a blocked resource, a script error)."""

    def __init__(self, page: Page) -> None:
        self.requests: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("console", lambda message: self.errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def hosts(self) -> set[str]:
        return {urlsplit(url).hostname for url in self.requests if not url.startswith("data:")}


def _open_map(page: Page, path: str = "/audience", selector: str = "#city-map") -> None:
    page.goto(path)
    expect(page.locator(f"{selector}[data-ready='true']")).to_have_count(1)


def _wards(web_app) -> list[str]:
    return [r["key"] for r in _read(web_app, "MATCH (w:Ward) RETURN w.key AS key ORDER BY key")]


def test_the_audience_page_shows_a_leaflet_map_of_the_wards_and_asks_nothing_of_another_host(sign_in, web_app):
    page = sign_in("messaging")
    watch = Watch(page)
    _open_map(page)
    expect(page.locator("#city-map.leaflet-container")).to_have_count(1)
    drawn = page.locator("#city-map path[data-ward]")
    expect(drawn).to_have_count(len(_wards(web_app)))
    assert sorted(drawn.evaluate_all("paths => paths.map(p => p.dataset.ward)")) == _wards(web_app)
    expect(page.locator("#city-map path[data-postcode]").first).to_be_attached()
    expect(page.locator("#city-map path[data-premises]").first).to_be_attached()
    # the sample's boundaries file draws every ward it names, so no outline is approximate
    expect(page.locator("#city-map-legend")).to_be_visible()
    expect(page.locator("#city-map-legend .approximate-wards")).not_to_contain_text("Approximate outlines: ")
    page.locator("#city-map path[data-ward='cheap']").hover(force=True)
    expect(page.locator(".leaflet-tooltip")).to_contain_text("Cheap")
    expect(page.locator(".leaflet-tooltip")).not_to_contain_text("approximate outline")
    expect(page.locator("#city-map img.leaflet-tile")).to_have_count(0)  # no tile layer is configured
    screenshot(page, "audience-map")
    assert watch.hosts() == {"127.0.0.1"}, watch.requests
    assert any("/static/vendor/leaflet/leaflet.js" in url for url in watch.requests)
    assert any("/map/data.json" in url for url in watch.requests)
    assert watch.errors == []


def _pixel(page: Page, code: str) -> tuple[float, float]:
    box = page.locator(f"#city-map path[data-postcode='{code}']").bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def test_a_polygon_drawn_with_the_mouse_fills_the_polygon_field_and_the_count_follows(sign_in, web_app, tmp_path):
    page = sign_in("messaging")
    _open_map(page)
    cheap = [p for p in web_app.store.map_postcodes(False) if p["ward"] == "Cheap"]
    page.locator("#city-map .leaflet-pm-icon-polygon").click()  # scrolls the map into view: pixels after it
    points = [_pixel(page, p["code"]) for p in cheap]
    pad = 22
    left, right = min(x for x, _ in points) - pad, max(x for x, _ in points) + pad
    top, bottom = min(y for _, y in points) - pad, max(y for _, y in points) + pad
    corners = [(left, top), (right, top), (right, bottom), (left, bottom)]
    for x, y in corners:
        page.mouse.click(x, y)
    page.mouse.click(*corners[0])  # back on the first corner: the polygon is finished
    expect(page.locator("#city-map #drawn-polygon")).to_have_count(1)
    drawn = parse_polygon(page.get_by_label(re.compile("^Polygon")).input_value())
    assert len(drawn) == 4

    inside = {p["code"] for p in web_app.store.postcode_map() if point_in_polygon(p["latitude"], p["longitude"], drawn)}
    assert {p["code"] for p in cheap} <= inside
    located = {row["id"] for row in _read(web_app, "MATCH (c:Contact)-[:LOCATED_IN]->(p:Postcode) "
                                                   "WHERE p.code IN $codes RETURN DISTINCT c.id AS id",
                                          codes=sorted(inside))}
    expected = located & {r["contact_id"] for r in web_app.store.audience(AudienceFilter())}
    expect(page.locator("#audience-count")).to_have_text(str(len(expected)))
    screenshot(page, "audience-polygon")
    rows = _csv_rows(_download(page, "Download CSV", tmp_path))
    assert {r["contact_id"] for r in rows} == expected

    # typed, it is drawn again; cleared, it is gone and the count is everyone's again
    page.get_by_label(re.compile("^Polygon")).fill("; ".join(f"{lat},{lon}" for lat, lon in drawn[:3]))
    expect(page.locator("#city-map #drawn-polygon")).to_have_count(1)
    page.get_by_role("button", name="Clear the drawn area").click()
    expect(page.get_by_label(re.compile("^Polygon"))).to_have_value("")
    expect(page.locator("#city-map #drawn-polygon")).to_have_count(0)
    everyone = len(web_app.store.audience(AudienceFilter()))
    expect(page.locator("#audience-count")).to_have_text(str(everyone))


def test_a_circle_drawn_fills_near_and_radius(sign_in, web_app):
    page = sign_in("messaging")
    _open_map(page)
    code = min(p["code"] for p in web_app.store.map_postcodes(False) if p["ward"] == "Cheap")
    page.locator("#city-map .leaflet-pm-icon-circle").click()
    x, y = _pixel(page, code)
    page.mouse.click(x, y)
    page.mouse.click(x + 60, y)
    expect(page.locator("#city-map #drawn-circle")).to_have_count(1)
    near = page.get_by_label("Near (a postcode or LAT,LON)").input_value()
    lat, lon = (float(v) for v in near.split(","))
    location = next(p for p in web_app.store.map_postcodes(False) if p["code"] == code)
    assert abs(lat - location["latitude"]) < 0.0003 and abs(lon - location["longitude"]) < 0.0005
    radius = float(page.get_by_label("Radius in metres").input_value())
    assert radius > 20
    count = len(web_app.store.audience(AudienceFilter(near=(lat, lon), radius_m=radius)))
    expect(page.locator("#audience-count")).to_have_text(str(count))


def test_the_chosen_ward_is_highlighted_and_a_click_on_a_ward_chooses_it(sign_in, web_app):
    page = sign_in("messaging")
    _open_map(page)
    cheap = page.locator("#city-map path[data-ward='cheap']")
    expect(page.locator("#city-map path.ward-chosen")).to_have_count(0)
    page.get_by_label("Cheap", exact=True).check()
    expect(cheap).to_have_class(re.compile(r"\bward-chosen\b"))
    expect(page.locator("#city-map path.ward-chosen")).to_have_count(1)
    assert cheap.get_attribute("stroke") == "#b07800"
    screenshot(page, "audience-ward-chosen")
    page.get_by_label("Cheap", exact=True).uncheck()
    expect(page.locator("#city-map path.ward-chosen")).to_have_count(0)

    page.locator("#city-map path[data-ward='tower']").dispatch_event("click")
    expect(page.get_by_label("Tower", exact=True)).to_be_checked()
    expect(page.locator("#city-map path[data-ward='tower']")).to_have_class(re.compile(r"\bward-chosen\b"))
    tower = len(web_app.store.audience(AudienceFilter(wards=("tower",))))
    expect(page.locator("#audience-count")).to_have_text(str(tower))


def test_the_map_data_holds_places_not_people_and_nothing_restricted_for_a_non_spoc(sign_in, web_app):
    restricted = _read(web_app, "MATCH (c:Contact) WHERE c.restricted RETURN c.id AS id, c.name AS name, "
                                "c.email AS email, c.mobile AS mobile")
    assert restricted
    for role in ("messaging", "steward", "spoc"):
        answer = sign_in(role).request.get("/map/data.json")
        assert answer.ok and answer.headers["content-type"] == "application/json"
        text = answer.text()
        data = json.loads(text)
        assert {f["properties"]["layer"] for f in data["features"]} == {"ward", "postcode", "premises"}
        assert not any(key in f["properties"] for f in data["features"] for key in ("count", "contacts", "people"))
        if role != "spoc":
            for person in restricted:
                assert not any(value and value in text for value in person.values()), role
    assert sign_in("admin").request.get("/map/data.json").status == 403


def test_names_from_the_files_are_shown_as_text_never_as_markup(sign_in, web_app):
    hostile = "<img src=x id=injected onerror=\"document.body.dataset.pwned=1\">"
    premises = _read(web_app, "MATCH (pr:Premises)-[:IN_POSTCODE]->(p:Postcode) WHERE p.latitude IS NOT NULL "
                              "RETURN pr.id AS id, pr.name AS name, p.code AS code ORDER BY id LIMIT 1")[0]
    ward = _read(web_app, "MATCH (w:Ward {key: 'cheap'}) RETURN w.name AS name")[0]["name"]
    _read(web_app, "MATCH (w:Ward {key: 'cheap'}) SET w.name = $name", name=hostile + " ward")
    _read(web_app, "MATCH (pr:Premises {id: $id}) SET pr.name = $name", id=premises["id"], name=hostile)
    map_data._KEPT.clear()  # the map is kept per sync; this test changed the graph behind the sync's back
    try:
        page = sign_in("messaging")
        _open_map(page)
        page.locator("#city-map path[data-ward='cheap']").hover(force=True)
        expect(page.locator(".leaflet-tooltip")).to_contain_text(hostile + " ward")
        page.locator(f"#city-map path[data-premises='{premises['code']}']").dispatch_event("click")
        expect(page.locator(".leaflet-popup-content")).to_contain_text(hostile)
        expect(page.locator("#injected")).to_have_count(0)
        assert page.evaluate("() => document.body.dataset.pwned") is None
    finally:
        _read(web_app, "MATCH (w:Ward {key: 'cheap'}) SET w.name = $name", name=ward)
        _read(web_app, "MATCH (pr:Premises {id: $id}) SET pr.name = $name", id=premises["id"], name=premises["name"])
        map_data._KEPT.clear()


def test_a_profile_marks_its_postcodes_on_the_small_map(sign_in, web_app):
    row = _read(web_app, "MATCH (c:Contact)-[:LOCATED_IN]->(p:Postcode) WHERE NOT c.restricted "
                         "AND p.latitude IS NOT NULL "
                         "RETURN c.id AS id, c.refs AS refs, collect(DISTINCT p.code) AS codes "
                         "ORDER BY size(codes) DESC, refs LIMIT 1")[0]
    page = sign_in("steward")
    _open_map(page, f"/contacts/{row['id']}", "#place-map")
    marked = page.locator("#place-map path[data-postcode][fill='#a4001d']")
    expect(marked).to_have_count(len(row["codes"]))
    assert sorted(marked.evaluate_all("paths => paths.map(p => p.dataset.postcode)")) == sorted(row["codes"])
    screenshot(page, "contact-map")


class _Tiles(BaseHTTPRequestHandler):
    asked: list[str] = []
    referers: set[str | None] = set()
    lock = threading.Lock()

    def do_GET(self) -> None:  # noqa: N802 (the http.server name)
        with self.lock:
            self.asked.append(self.path)
            self.referers.add(self.headers.get("Referer"))
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(PNG)))
        self.end_headers()
        self.wfile.write(PNG)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def app_with_tiles(web_app) -> Iterator[tuple[str, str]]:
    """The app again, with STAKEHOLDERS_MAP_TILES naming a tile server on loopback: (app URL, tiles URL)."""
    _Tiles.asked, _Tiles.referers = [], set()
    with serving_fake(_Tiles) as tiles:
        settings = Settings.from_env({"HOME": str(web_app.home),
                                      "STAKEHOLDERS_MAP_TILES": f"{tiles}/t/{{z}}/{{x}}/{{y}}.png",
                                      "STAKEHOLDERS_MAP_ATTRIBUTION": "© Test Tiles <b>"})
        app = create_app(WebConfig(map_tiles=settings.map_tiles, map_attribution=settings.map_attribution),
                         Installation(home=web_app.home, connect=lambda: web_app.store, manifest=SAMPLE_MANIFEST,
                                      delivery=DeliverySettings(outbox=web_app.home / "outbox")))
        with serving(app) as url:
            yield url, tiles


def test_with_a_tile_server_set_the_map_asks_it_for_tiles(browser, app_with_tiles):
    url, tiles = app_with_tiles
    page = signed_in_page(browser, url, "messaging")
    try:
        watch = Watch(page)
        response = page.goto("/audience")
        assert f"img-src 'self' data: {tiles};" in response.headers["content-security-policy"]
        expect(page.locator("#city-map[data-ready='true']")).to_have_count(1)
        expect(page.locator("#city-map img.leaflet-tile-loaded").first).to_be_attached()
        assert _Tiles.asked and all(re.fullmatch(r"/t/\d+/\d+/\d+\.png", path) for path in _Tiles.asked)
        assert _Tiles.referers == {f"{url}/"}  # the app's origin, never the page's address
        assert any(u.startswith(f"{tiles}/t/") for u in watch.requests)
        expect(page.locator("#city-map .leaflet-control-attribution")).to_contain_text("© Test Tiles <b>")
        assert watch.hosts() == {"127.0.0.1"} and watch.errors == []
        screenshot(page, "audience-map-tiles")
    finally:
        page.context.close()


def test_without_a_tile_server_the_policy_allows_no_other_image_host(sign_in):
    page = sign_in("messaging")
    response = page.goto("/audience")
    assert "img-src 'self' data:;" in response.headers["content-security-policy"]
