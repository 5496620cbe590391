"""The stakeholder portal over the real graph and the real web app: an invitation redeemed, the staff list and
profile kept, their changes resolved by the next sync with their provenance (and a steward's override winning
over them), questions answered onto the timeline, event reports seen by the control room and sent to the
organisation's own staff; and every door of the portal and the police pages shut to another organisation."""

from __future__ import annotations

import csv
import re

import pytest

from accounts.audit import AuditLog
from accounts.users import AccountStore
from graph.neo4j_server.launcher import Neo4jConnection
from services import review
from services.subject_access import subject_export

from .portal_world import STAKEHOLDER_PASSWORD, World, organisations_with_people, synced_world
from .web_client import form_token

pytestmark = pytest.mark.neo4j


@pytest.fixture(scope="module")
def world(neo4j_session_driver, neo4j_connection: Neo4jConnection, tmp_path_factory, synced_graphs) -> World:
    yield from synced_world(neo4j_session_driver, neo4j_connection, tmp_path_factory.mktemp("portal-home"),
                            synced_graphs)


@pytest.fixture(scope="module")
def orgs(world: World) -> tuple[dict, dict]:
    found = organisations_with_people(world)
    assert len(found) == 2, "the sample has two organisations with two reachable people or more"
    return found[0], found[1]


def test_a_stakeholder_sees_their_own_organisation_and_people_and_nothing_restricted(world, orgs):
    own, other = orgs
    client = world.stakeholder(own["id"], "first.keeper")
    page = client.get("/portal/staff")
    assert page.status_code == 200
    for person in own["people"]:
        assert person["name"] in page.text
    for person in other["people"]:
        assert person["email"] not in page.text
    restricted = world.rows("MATCH (c:Contact {restricted: true})-[:WORKS_FOR]->(:Organisation {id: $id}) "
                            "RETURN c.email AS email", id=own["id"])
    assert all(r["email"] not in page.text for r in restricted if r["email"])


def test_an_invitation_works_once_and_not_after_it_expires(world, orgs):
    own, _ = orgs
    link = world.invite(own["id"], "one.time")
    client = world.client()
    page = client.get(link)
    data = {"csrf_token": form_token(page.text), "password": STAKEHOLDER_PASSWORD, "confirm": STAKEHOLDER_PASSWORD}
    assert client.post(link, data=data).status_code == 303
    again = world.client()
    reused = again.get(link)
    assert reused.status_code == 410 and "used already" in reused.text
    expired_link = world.invite(own["id"], "too.late")
    with AccountStore(world.home)._db() as db:
        db.execute("UPDATE invites SET expires_at = '2000-01-01T00:00:00+00:00' WHERE username = 'too.late'")
    late = world.client().get(expired_link)
    assert late.status_code == 410 and "expired" in late.text
    assert AccountStore(world.home).user("too.late") is None
    actions = [e.action for e in AuditLog(world.home).entries()]
    assert "portal invitation made" in actions and "portal invitation used" in actions


def test_changes_in_the_portal_reach_the_graph_with_their_provenance_and_an_override_beats_them(world, orgs):
    own, _ = orgs
    client = world.stakeholder(own["id"], "list.keeper")
    person = own["people"][0]
    page = client.get(f"/portal/staff/{person['id']}")
    assert page.status_code == 200
    new_email = "own.address@portal-example.org"
    changed = client.post(f"/portal/staff/{person['id']}", data={
        "csrf_token": form_token(page.text), "full_name": person["name"], "email": new_email,
        "mobile": "07700 900461", "consent_email": "yes", "consent_sms": "no"})
    assert changed.status_code == 303, changed.text
    assert world.sync() == 0
    contact = world.rows("MATCH (r:SourceRecord)-[:DESCRIBES]->(c:Contact) WHERE r.source = 'self-service' "
                         "AND c.id = $id RETURN c.email AS email, c.consent_email AS consent, r.ref AS ref, "
                         "r.kind AS kind", id=person["id"])
    assert contact and contact[0]["email"] == new_email and contact[0]["consent"] is True
    assert contact[0]["kind"] == "self_service"
    export = subject_export(world.store, world.home, person["id"])
    row = next(r for r in export["source_rows"] if r["ref"] == contact[0]["ref"])
    assert row["values"]["changed_by"] == "list.keeper" and row["values"]["changed_at"]
    assert export["field_provenance"]["email"]["source"] == contact[0]["ref"]
    steward = world.staff("steward")
    profile = steward.get(f"/contacts/{person['id']}").text
    assert "details given by list.keeper" in profile and contact[0]["ref"] in profile
    assert "last changed by list.keeper" in steward.get(f"/organisations/{own['id']}").text

    review.decide_override(world.store, person["id"], "email", person["email"], "steward-user",
                           "the address the force was given in writing")
    assert world.sync() == 0
    after = world.rows("MATCH (c:Contact {id: $id}) RETURN c.email AS email", id=person["id"])
    assert after[0]["email"] == person["email"]


def test_a_person_added_who_is_known_already_merges_and_a_removal_ends_only_the_self_service_row(world, orgs):
    own, _ = orgs
    client = world.stakeholder(own["id"], "adder")
    known = own["people"][1]
    page = client.get("/portal/staff")
    added = client.post("/portal/staff", data={"csrf_token": form_token(page.text), "full_name": known["name"],
                                                "email": known["email"], "consent_email": "yes"})
    assert added.status_code == 303, added.text
    assert world.sync() == 0
    refs = world.rows("MATCH (c:Contact) WHERE $email IN c.emails RETURN c.id AS id, c.refs AS refs",
                      email=known["email"])
    assert len(refs) == 1, "the person the organisation added is the person the police held"
    entry = next(r for r in refs[0]["refs"] if r.startswith("self-service:"))
    page = client.get(f"/portal/staff/{refs[0]['id']}")
    removed = client.post(f"/portal/staff/{refs[0]['id']}/remove", data={"csrf_token": form_token(page.text)})
    assert removed.status_code == 303, removed.text
    assert world.sync() == 0
    after = world.rows("MATCH (c:Contact) WHERE $email IN c.emails RETURN c.refs AS refs", email=known["email"])
    assert len(after) == 1 and entry not in after[0]["refs"]
    assert set(after[0]["refs"]) == set(refs[0]["refs"]) - {entry}


def test_a_question_goes_to_the_spocs_and_both_sides_are_on_the_organisation_timeline(world, orgs):
    own, other = orgs
    client = world.stakeholder(own["id"], "asker")
    page = client.get("/portal/questions")
    asked = client.post("/portal/questions", data={"csrf_token": form_token(page.text),
                                                    "subject": "Road closure on Friday",
                                                    "text": "Will the street be closed for the march?",
                                                    "issue": "road_closures", "directorate": ""})
    assert asked.status_code == 303, asked.text
    spoc = world.staff("spoc")
    queue = spoc.get("/questions")
    assert "Road closure on Friday" in queue.text and own["name"] in queue.text
    question_id = re.search(r'action="/questions/(Q-\d+)/answer"', queue.text)[1]
    answered = spoc.post(f"/questions/{question_id}/answer", data={"csrf_token": form_token(queue.text),
                                                                   "answer": "Yes, from 10:00 to 16:00."})
    assert answered.status_code == 303
    assert "Yes, from 10:00 to 16:00." in client.get("/portal/questions").text
    timeline = spoc.get(f"/organisations/{own['id']}").text
    assert "Question: Road closure on Friday" in timeline and "Answer: Road closure on Friday" in timeline
    theirs = world.stakeholder(other["id"], "other.asker")
    assert "Road closure on Friday" not in theirs.get("/portal/questions").text


def test_an_event_report_reaches_the_control_room_and_only_the_organisations_own_staff(world, orgs):
    own, _ = orgs
    client = world.stakeholder(own["id"], "reporter")
    page = client.get("/portal/reports")
    postcode = world.rows("MATCH (p:Postcode) WHERE p.latitude IS NOT NULL RETURN p.code AS code LIMIT 1")[0]["code"]
    made = client.post("/portal/reports", data={"csrf_token": form_token(page.text),
                                                 "what": "A crowd is gathering at the front entrance",
                                                 "postcode": postcode})
    assert made.status_code == 303, made.text
    room = world.staff("inspector").get("/control-room")
    assert "A crowd is gathering at the front entrance" in room.text and own["name"] in room.text
    page = client.get("/portal/reports")
    report_id = re.search(r'action="/portal/reports/(R-\d+)/send"', page.text)[1]
    sent = client.post(f"/portal/reports/{report_id}/send", data={"csrf_token": form_token(page.text),
                                                                  "channels": "email"})
    assert sent.status_code == 303, sent.text
    files = list((world.home / "outbox").rglob("*.csv"))
    assert files
    with files[0].open(newline="", encoding="utf-8") as handle:
        recipients = list(csv.DictReader(handle))
    allowed = {r["email"] for r in world.rows(
        "MATCH (c:Contact)-[:WORKS_FOR]->(:Organisation {id: $id}) WHERE NOT coalesce(c.restricted, false) "
        "AND c.consent_email RETURN c.email AS email", id=own["id"])}
    addresses = {value for row in recipients for value in row.values() if "@" in (value or "")}
    assert addresses and addresses <= allowed


@pytest.mark.parametrize(("path", "field", "value", "said"), [
    ("/portal/staff", "email", "not-an-address@", "email"),
    ("/portal/staff", "mobile", "12345", "phone"),
    ("/portal/reports", "postcode", "75008", "not a UK postcode"),
])
def test_bad_input_is_refused_with_a_clear_message_and_nothing_saved(world, orgs, path, field, value, said):
    own, _ = orgs
    client = world.stakeholder(own["id"], f"careful.{field}")
    page = client.get(path)
    before = client.get(path).text.count("data-key=") if path.endswith("staff") else None
    data = {"csrf_token": form_token(page.text), "full_name": "Pat Example", "what": "Something", field: value}
    refused = client.post(path, data=data)
    assert refused.status_code == 400 and said in refused.text.lower() or said in refused.text
    if before is not None:
        assert client.get(path).text.count("data-key=") == before


def test_a_staff_list_of_five_thousand_lines_is_refused_whole(world, orgs):
    own, _ = orgs
    client = world.stakeholder(own["id"], "paster")
    page = client.get("/portal/staff")
    before = page.text.count("data-key=")
    pasted = "\n".join(f"Person {n} Example, Clerk, person{n}@example.org" for n in range(5000))
    refused = client.post("/portal/staff/paste", data={"csrf_token": form_token(page.text), "staff_list": pasted})
    assert refused.status_code == 400 and "5,000 people" in refused.text
    assert client.get("/portal/staff").text.count("data-key=") == before


def test_files_are_refused_and_a_police_session_is_no_portal_session(world, orgs):
    own, _ = orgs
    client = world.stakeholder(own["id"], "uploader")
    token = form_token(client.get("/portal/staff").text)
    upload = client.post("/portal/staff/paste", data={"csrf_token": token},
                         files={"staff_list": ("staff.csv", b"Ann Lee, boss, ann@example.org")})
    assert upload.status_code == 415
    spoc = world.staff("spoc")
    assert spoc.get("/portal", cookies={"sg_portal": spoc.cookies.get("sg_session")}).status_code == 403


HOSTILE = "<script>alert('portal')</script><img src=x onerror=alert(1)>"


def test_an_outsiders_words_are_shown_as_text_on_every_police_page_that_shows_them(world, orgs):
    own, _ = orgs
    client = world.stakeholder(own["id"], "hostile.words")
    token = form_token(client.get("/portal").text)
    assert client.post("/portal/profile", data={"csrf_token": token, "about": HOSTILE,
                                                "opening_hours": HOSTILE[:150]}).status_code == 303
    assert client.post("/portal/questions", data={"csrf_token": token, "subject": HOSTILE[:150],
                                                  "text": HOSTILE}).status_code == 303
    assert client.post("/portal/reports", data={"csrf_token": token, "what": HOSTILE,
                                                "latitude": "51.5155", "longitude": "-0.0922"}).status_code == 303
    pages = [world.staff("spoc").get("/questions"), world.staff("inspector").get("/control-room"),
             world.staff("steward").get(f"/organisations/{own['id']}"), client.get("/portal"),
             client.get("/portal/questions"), client.get("/portal/reports")]
    for page in pages:
        assert page.status_code == 200
        assert "<script>alert" not in page.text and "<img src=x" not in page.text, page.url
        assert "&lt;script&gt;alert" in page.text, page.url
        # and were one to slip through, no inline script runs: scripts only from the app's own files
        assert page.headers["content-security-policy"].startswith("default-src 'self';")


def test_a_long_staff_list_comes_a_page_at_a_time_and_can_be_searched(world, orgs, monkeypatch):
    from services import portal as portal_use_cases

    own, _ = orgs
    monkeypatch.setattr(portal_use_cases, "PER_PAGE", 2)
    client = world.stakeholder(own["id"], "pager")
    names = sorted(p["name"] for p in world.rows(
        "MATCH (c:Contact)-[:WORKS_FOR]->(:Organisation {id: $id}) WHERE NOT coalesce(c.restricted, false) "
        "RETURN c.name AS name", id=own["id"]))
    first, second = client.get("/portal/staff"), client.get("/portal/staff?page=2")
    assert f"page 1 of {-(-len(names) // 2)}" in first.text and 'rel="next"' in first.text
    assert all(name in first.text for name in names[:2]) and names[2] not in first.text
    assert names[2] in second.text and 'rel="prev"' in second.text
    wanted = own["people"][0]
    found = client.get("/portal/staff", params={"q": wanted["email"].upper()})
    assert wanted["name"] in found.text and "1 person found" in found.text


def test_a_report_goes_to_the_staff_once_and_a_channel_nobody_agreed_to_sends_nothing(world):
    found = world.rows("""
        MATCH (c:Contact)-[:WORKS_FOR]->(o:Organisation) WHERE NOT coalesce(c.restricted, false)
        WITH o, collect(c) AS people
        WHERE any(c IN people WHERE c.consent_email AND coalesce(c.email, '') <> '')
          AND none(c IN people WHERE c.consent_sms)
        RETURN o.id AS id ORDER BY o.name, [c IN people | c.refs] LIMIT 1""")
    assert found, "the sample has an organisation whose people agreed to email and none to texts"
    client = world.stakeholder(found[0]["id"], "twice.sender")
    token = form_token(client.get("/portal/reports").text)
    assert client.post("/portal/reports", data={"csrf_token": token, "what": "Doors closed early",
                                                "latitude": "51.5155", "longitude": "-0.0922"}).status_code == 303
    report_id = re.search(r'action="/portal/reports/(R-\d+)/send"', client.get("/portal/reports").text)[1]
    by_text = client.post(f"/portal/reports/{report_id}/send", data={"csrf_token": token, "channels": "sms"})
    assert by_text.status_code == 400 and "nothing was sent" in by_text.text
    assert world.rows("MATCH (m:Message {from_organisation: $id}) RETURN m.state AS state",
                      id=found[0]["id"]) == [{"state": "withdrawn"}]
    assert client.post(f"/portal/reports/{report_id}/send", data={"csrf_token": token,
                                                                  "channels": "email"}).status_code == 303
    again = client.post(f"/portal/reports/{report_id}/send", data={"csrf_token": token, "channels": "email"})
    assert again.status_code == 400 and "sent to your staff already" in again.text
    issued = world.rows("MATCH (m:Message {from_organisation: $id, state: 'issued'}) RETURN m.id AS id",
                        id=found[0]["id"])
    assert len(issued) == 1
