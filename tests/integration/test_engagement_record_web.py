"""The engagement record in the web app, through its pages over the real graph: the profile timeline,
engagements logged from a profile (and kept by every sync after, to the contact an ID is merged into),
priority stakeholders marked, the audience builder's new filters, and the cascade view."""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest

from accounts.audit import AuditLog
from accounts.users import ROLES, AccountStore
from graph.neo4j_server.launcher import Neo4jConnection
from graph.store import GraphStore
from services import review
from tests.data.engagement_record import manifest_in

from .cli_helpers import run_command
from .web_client import PASSWORD, form_token, sign_in, web_client

pytestmark = pytest.mark.neo4j
LAURA = "laura.chen@mitchelltaylor.com"
SANDRA = "sandra.alcombe@btp.police.uk"  # restricted, the lead of Transport


@dataclass
class World:
    home: Path
    manifest: Path
    connection: Neo4jConnection
    store: GraphStore

    def sync(self) -> int:
        return run_command(self.connection, self.home, "sync", "--manifest", str(self.manifest))

    def one(self, query: str, **params: object) -> dict:
        with self.store.session() as session:
            return session.run(query, params).data()[0]

    def rows(self, query: str, **params: object) -> list[dict]:
        with self.store.session() as session:
            return session.run(query, params).data()

    def contact_by_email(self, email: str) -> str:
        return self.one("MATCH (c:Contact) WHERE $email IN c.emails RETURN c.id AS id", email=email)["id"]

    def browser(self, role: str):
        client = web_client(self.home, store=self.store)
        assert sign_in(client, f"{role}-user").status_code == 303
        return client


@pytest.fixture(scope="module")
def world(neo4j_session_driver, neo4j_connection: Neo4jConnection, tmp_path_factory) -> World:
    with neo4j_session_driver.session(database=neo4j_connection.database) as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
    folder = tmp_path_factory.mktemp("engagement-record")
    home = folder / "home"
    home.mkdir()
    found = World(home, manifest_in(folder / "files"), neo4j_connection, GraphStore(neo4j_connection))
    assert found.sync() == 0
    accounts = AccountStore(home)
    for role in ROLES:
        accounts.add_user(f"{role}-user", role, PASSWORD)
    yield found
    found.store.close()


class _Table(HTMLParser):
    """The body rows of the table with ``id``, as lists of cell texts."""

    def __init__(self, table_id: str) -> None:
        super().__init__()
        self.table_id, self.depth, self.rows, self.cell = table_id, 0, [], None
        self.in_body = False

    def handle_starttag(self, tag, attrs):
        if tag == "table" and (self.depth or dict(attrs).get("id") == self.table_id):
            self.depth += 1
        elif self.depth and tag == "tbody":
            self.in_body = True
        elif self.depth and self.in_body and tag == "tr":
            self.rows.append([])
        elif self.depth and self.in_body and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "table" and self.depth:
            self.depth -= 1
        elif tag == "tbody":
            self.in_body = False
        elif tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data + " ")


def table_rows(page: str, table_id: str) -> list[list[str]]:
    parser = _Table(table_id)
    parser.feed(page)
    return parser.rows


def timeline(page: str) -> list[dict]:
    """The timeline's rows: when, kind, what, details, source."""
    return [dict(zip(("when", "kind", "what", "details", "source"), row, strict=True))
            for row in table_rows(page, "timeline-table") if len(row) == 5]


def log(client, path: str, **fields: object):
    token = form_token(client.get(path).text)
    data = {"csrf_token": token, "type": "meeting", "date": dt.date.today().isoformat(), "subject": "",
            "directorate": "", "notes": "", **fields}
    return client.post(f"{path}/engagements", data=data)


def count(client, query: str) -> int:
    answer = client.get(f"/audience/count?{query}")
    assert answer.status_code == 200, answer.text
    found = re.search(r'id="audience-count" data-count="(\d+)"', answer.text)
    assert found, html.unescape(answer.text)[:2000]
    return int(found[1])


def test_the_timeline_lists_engagements_survey_answers_and_decisions_newest_first(world):
    laura = world.contact_by_email(LAURA)
    decision = review.decide_override(world.store, laura, "job_title", "IT Director", "steward-user",
                                      "confirmed on the phone")
    steward = world.browser("steward")
    page = steward.get(f"/contacts/{laura}").text
    rows = timeline(page)
    kinds = [r["kind"] for r in rows]
    decided = kinds.index("Steward decision")
    engaged = next(i for i, r in enumerate(rows) if r["kind"] == "Engagement" and "Fraud briefing" in r["what"])
    answered = next(i for i, r in enumerate(rows) if r["kind"] == "Survey response")
    assert decided < engaged < answered, kinds
    assert decision.decision_id in rows[decided]["what"]
    assert rows[engaged]["when"] == "2026-03-12" and "Officer PC Smith" in rows[engaged]["details"]
    assert "Directorate Counter Terrorism" in rows[engaged]["details"]
    assert rows[answered]["what"] == "score 5 of 5" and "Comment Great" in rows[answered]["details"]
    dated = [r["when"] for r in rows if r["when"] != "undated"]
    assert dated == sorted(dated, reverse=True)
    assert "Notes Went well" in rows[engaged]["details"], "a steward reads the notes"
    other = timeline(world.browser("messaging").get(f"/contacts/{laura}").text)
    assert not any("Went well" in r["details"] for r in other), "notes are for stewards and their author"


def test_a_logged_engagement_is_kept_by_every_sync_after(world):
    laura = world.contact_by_email(LAURA)
    messaging = world.browser("messaging")
    today = dt.date.today().isoformat()
    answer = log(messaging, f"/contacts/{laura}", type="call", subject="Alarm contract renewal",
                 issues=["security", "crime"], directorate="Cyber", notes="Prefers calls after four")
    assert answer.status_code == 303, html.unescape(answer.text)[:3000]
    assert unquote(answer.headers["location"]).startswith(f"/contacts/{laura}?done=Logged the call")

    def logged_row(client) -> dict:
        rows = [r for r in timeline(client.get(f"/contacts/{laura}").text) if "Alarm contract renewal" in r["what"]]
        assert len(rows) == 1
        return rows[0]

    row = logged_row(messaging)
    assert row["kind"] == "Engagement" and row["when"] == today and row["what"] == "call: Alarm contract renewal"
    assert "Officer messaging-user" in row["details"] and "Issues security, crime" in row["details"]
    assert "Notes Prefers calls after four" in row["details"], "its author reads its notes"
    assert "logged in the web app by messaging-user" in row["source"]
    assert "Prefers calls" not in logged_row(world.browser("inspector"))["details"]
    assert "Prefers calls" in logged_row(world.browser("steward"))["details"]

    stored = world.one("""
        MATCH (e:Engagement {subject: 'Alarm contract renewal'})
        RETURN e {.*} AS e, [(e)-[r]->(n) | [type(r), r.sync, coalesce(n.id, n.name)]] AS links""")
    assert stored["e"]["ref"].startswith("web:E-") and stored["e"]["origin"] == "web"
    assert "sync" not in stored["e"] and stored["e"]["author"] == "messaging-user"
    assert sorted(stored["links"]) == [["ABOUT", None, "crime"], ["ABOUT", None, "security"],
                                       ["BY_DIRECTORATE", None, "Cyber"], ["ENGAGED", None, laura]]
    entry = [e for e in AuditLog(world.home).entries() if e.action == "engagement logged"][-1]
    assert entry.who == "messaging-user" and entry.details == {"ref": stored["e"]["ref"], "contact_id": laura}

    assert world.sync() == 0  # nothing changed
    logged_row(messaging)
    roads = world.manifest.parent / "directorates" / "roads-policing.csv"
    lines = roads.read_text(encoding="utf-8").splitlines(keepends=True)
    roads.write_text("".join(lines[:-1]), encoding="utf-8")  # a row gone from a source
    assert world.sync() == 0
    logged_row(messaging)
    after = world.one("MATCH (e:Engagement {ref: $ref}) RETURN count { (e)-->() } AS links, e.sync AS sync",
                      ref=stored["e"]["ref"])
    assert after == {"links": 4, "sync": None}


def test_a_future_date_is_refused_next_to_the_date(world):
    laura = world.contact_by_email(LAURA)
    before = world.one("MATCH (e:Engagement {origin: 'web'}) RETURN count(e) AS n")["n"]
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    answer = log(world.browser("steward"), f"/contacts/{laura}", subject="Planned visit", date=tomorrow.isoformat())
    assert answer.status_code == 400
    page = html.unescape(answer.text)
    error = re.search(r'<p class="field-error" id="engagement-date-error">(.*?)</p>', page, re.S)
    assert error and f"{tomorrow:%d/%m/%Y} is in the future" in error[1]
    date_field = re.search(r'<input type="date" id="engagement-date"[^>]*>', page)[0]
    assert 'aria-invalid="true"' in date_field and "engagement-date-error" in date_field
    assert page.index("engagement-date-error") < page.index('id="engagement-date"'), "the message is by the field"
    assert 'value="Planned visit"' in page, "what was typed is kept"
    assert world.one("MATCH (e:Engagement {origin: 'web'}) RETURN count(e) AS n")["n"] == before


def test_a_logged_engagement_follows_its_contact_into_a_merge(world):
    pair = world.one("""
        MATCH (p:ReviewPair)
        MATCH (:SourceRecord {ref: p.ref_a})-[:DESCRIBES]->(a:Contact)
        MATCH (:SourceRecord {ref: p.ref_b})-[:DESCRIBES]->(b:Contact)
        WHERE a <> b AND NOT a.restricted AND NOT b.restricted
        RETURN p.ref_a AS ref_a, p.ref_b AS ref_b, a.id AS a, b.id AS b ORDER BY p.score DESC, p.key LIMIT 1""")
    steward = world.browser("steward")
    for side in ("a", "b"):
        answer = log(steward, f"/contacts/{pair[side]}", type="visit", subject=f"Visit to contact {side}")
        assert answer.status_code == 303
    review.decide_match(world.store, pair["ref_a"], pair["ref_b"], "steward-user", "one person, two spellings")
    assert world.sync() == 0
    ids = world.rows("MATCH (e:EntityId) WHERE e.id IN $ids RETURN e.id AS id, e.status AS status, "
                     "e.merged_into AS merged_into", ids=[pair["a"], pair["b"]])
    merged = next(i for i in ids if i["status"] == "merged")
    survivor = merged["merged_into"]
    assert survivor in (pair["a"], pair["b"])
    rows = timeline(steward.get(f"/contacts/{survivor}").text)
    assert {r["what"] for r in rows if r["kind"] == "Engagement"} >= {"visit: Visit to contact a",
                                                                     "visit: Visit to contact b"}
    links = world.rows("""
        MATCH (e:Engagement {origin: 'web'}) WHERE e.subject STARTS WITH 'Visit to contact'
        RETURN e.contact_id AS contact_id, [(e)-[:ENGAGED]->(c:Contact) | c.id] AS engaged""")
    assert links == [{"contact_id": survivor, "engaged": [survivor]}] * 2
    assert steward.get(f"/contacts/{merged['id']}").status_code == 404


def test_a_role_that_may_not_see_a_restricted_contact_cannot_log_against_it(world):
    sandra = world.contact_by_email(SANDRA)
    messaging = world.browser("messaging")
    token = form_token(messaging.get("/contacts").text)
    answer = messaging.post(f"/contacts/{sandra}/engagements", data={
        "csrf_token": token, "type": "call", "date": dt.date.today().isoformat(), "subject": "Restricted call"})
    assert answer.status_code == 404 and "Sandra" not in answer.text
    assert world.rows("MATCH (e:Engagement {subject: 'Restricted call'}) RETURN e.ref AS ref") == []
    admin = world.browser("admin")
    assert admin.post(f"/contacts/{sandra}/engagements", data={"csrf_token": form_token(admin.get("/").text)}
                      ).status_code == 403


def test_an_organisation_logs_and_lists_its_engagements(world):
    brigade = world.one("MATCH (o:Organisation {name: 'London Fire Brigade'}) RETURN o.id AS id")["id"]
    spoc = world.browser("spoc")
    answer = log(spoc, f"/organisations/{brigade}", type="briefing", subject="Evacuation drill",
                 directorate="Counter Terrorism")
    assert answer.status_code == 303
    rows = timeline(spoc.get(f"/organisations/{brigade}").text)
    whats = [r["what"] for r in rows]
    assert "briefing: Evacuation drill" in whats and "briefing: Joint exercise" in whats
    assert whats.index("briefing: Evacuation drill") < whats.index("briefing: Joint exercise")


def test_an_engagement_naming_a_restricted_contact_is_only_on_pages_that_may_show_them(world):
    police = world.one("MATCH (o:Organisation {name: 'British Transport Police'}) RETURN o.id AS id")["id"]
    assert world.rows("MATCH (e:Engagement {subject: 'Station security review'}) RETURN e.contact_id AS c") == [
        {"c": world.contact_by_email(SANDRA)}]
    for role, shown in (("messaging", False), ("steward", False), ("spoc", True)):
        rows = timeline(world.browser(role).get(f"/organisations/{police}").text)
        assert any("Station security review" in r["what"] for r in rows) is shown, role


def test_priority_stakeholders_are_marked_in_lists_profiles_and_audiences(world):
    mark = "Priority stakeholder"
    laura = world.contact_by_email(LAURA)
    messaging = world.browser("messaging")
    page = messaging.get("/contacts?q=laura chen").text
    row = next(r for r in re.findall(r"<tr>.*?</tr>", page, re.S) if laura in r)
    assert mark in row
    page = messaging.get("/organisations?q=london fire").text
    assert mark in next(r for r in re.findall(r"<tr>.*?</tr>", page, re.S) if "London Fire Brigade" in r)
    page = messaging.get(f"/contacts/{laura}").text
    assert re.search(r"<h1>.*?Priority stakeholder.*?</h1>", page, re.S)
    memberships = re.search(r'<ul id="group-memberships">(.*?)</ul>', page, re.S)[1]
    assert "CoLCPA" in memberships and "priority membership" in memberships
    preview = messaging.get("/audience/count?groups=colcpa&channel=any").text
    row = next(r for r in re.findall(r"<tr>.*?</tr>", preview, re.S) if laura in r)
    assert mark in row


def test_each_new_builder_filter_changes_the_live_count(world):
    laura = world.contact_by_email(LAURA)
    mosaic = world.one("""
        MATCH (:Contact {id: $id})-[:HAS_ADDRESS_IN]->(:Postcode)-[:CLASSIFIED_AS]->(t:MosaicType)-[:IN_GROUP]->(g)
        RETURN t.code AS type, g.code AS group LIMIT 1""", id=laura)
    messaging = world.browser("messaging")
    everyone = count(messaging, "channel=any")
    filters = {
        "groups=colcpa": 1,
        "groups=sister+banks": None,  # the brigade's people
        "priority_stakeholder=on": None,
        "sectors=emergency+services": None,
        "sectors=emergency+services&sector_leads=on": 1,
        "sector_leads=on": 1,  # every sector's reachable, visible leads: Sandra is restricted
        f"mosaic_groups={mosaic['group']}": None,
        f"mosaic_types={mosaic['type']}": None,
    }
    for query, expected in filters.items():
        found = count(messaging, f"channel=any&{query}")
        assert 0 < found < everyone, query
        if expected is not None:
            assert found == expected, query
    assert count(world.browser("spoc"), "channel=any&sector_leads=on") == 2
    page = messaging.get("/audience/count?channel=any&sectors=community").text
    assert "Left out:" in page and "no consent to email or SMS" in page
    assert "Unknown sector" in messaging.get("/audience/count?sectors=nowhere").text

    token = form_token(messaging.get("/audience").text)
    saved = messaging.post("/audience/save", data={"csrf_token": token, "save_name": "emergency leads",
                                                   "channel": "any", "sectors": "emergency services",
                                                   "sector_leads": "on", "priority_stakeholder": "on",
                                                   "groups": "colcpa", "mosaic_types": mosaic["type"]})
    assert saved.status_code == 303
    page = messaging.get("/audience?load=emergency+leads").text
    assert re.search(r'<option value="emergency services"\s+selected', page)
    assert re.search(r'<option value="colcpa"\s+selected', page)
    assert re.search(rf'<option value="{mosaic["type"]}"\s+selected', page)
    assert re.search(r'id="sector_leads" name="sector_leads" value="on"\s+checked', page)
    assert re.search(r'id="priority_stakeholder" name="priority_stakeholder" value="on"\s+checked', page)
    assert re.search(r'id="audience-count" data-count="1"', page)


def cascade_tree(page: str) -> str:
    """The text of the cascade's tree."""
    tree = re.search(r'<ul aria-label="Cascade: hub, sector, lead">(.*)</ul>\s*</section>', page, re.S)[1]
    return " ".join(re.sub(r"<[^>]+>", " ", html.unescape(tree)).split())


def test_the_cascade_shows_hub_sector_and_lead_and_opens_as_an_audience(world):
    messaging = world.browser("messaging")
    page = messaging.get("/cascade").text
    text = cascade_tree(page)
    assert "Hub: London Sector: Emergency services — 2 organisations" in text
    assert "Lead: Laura Chen , Mitchell Taylor LLP Priority stakeholder — reaches 2 organisations" in text
    assert "Sector: Transport — 1 organisation, 4 people reachable by email or SMS No lead: the cascade stops here" \
        in text, "a restricted lead and a restricted person do not exist for a messaging user"
    assert "Hub: Neighbourhoods Sector: Community" in text and "Sandra" not in page
    spoc = cascade_tree(world.browser("spoc").get("/cascade?sectors=transport").text)
    assert spoc == ("Hub: London Sector: Transport — 1 organisation, 5 people reachable by email or SMS "
                    "Lead: Sandra Alcombe , British Transport Police — reaches 1 organisation and 5 people")
    page = html.unescape(messaging.get("/cascade?sectors=emergency+services&channel=email").text)
    link = re.search(r'<a id="use-as-audience" href="([^"]+)"', page)[1]
    assert link == "/audience?sectors=emergency+services&sector_leads=on&channel=email"
    builder = messaging.get(link).text
    assert re.search(r'<option value="emergency services"\s+selected', builder)
    assert re.search(r'id="sector_leads" name="sector_leads" value="on"\s+checked', builder)
    assert re.search(r'id="audience-count" data-count="1"', builder)
    assert messaging.get("/cascade?sectors=nowhere").status_code == 400
