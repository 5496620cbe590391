"""The stakeholder portal's whole journey in the real browser, with the police on the other side: a steward
invites a person of an organisation, who chooses a password on the link, keeps the profile and the staff list,
asks a question a SPOC answers, and reports an event the control room sees (its page reloading itself) and
the organisation sends on to its own staff, through a real SMTP server on loopback. And a link works once."""

from __future__ import annotations

import re
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message as MessageHandler
from playwright.sync_api import Browser, Page, expect

from delivery.settings import DeliverySettings
from delivery.smtp import SmtpSettings
from graph.neo4j_server.launcher import Neo4jConnection
from graph.store import GraphStore
from services.installation import Installation
from web.app import create_app
from web.config import WebConfig

from .conftest import DESKTOP, SAMPLE_MANIFEST, WebApp, screenshot, serving, synced_home
from .test_accessibility import UNLABELLED_FIELDS, UNNAMED_CONTROLS

pytestmark = pytest.mark.neo4j
STAKEHOLDER_PASSWORD = "amber lantern over the river"
SENDER = "alerts@cityoflondon.police.uk"


@dataclass
class Mailbox:
    """A real SMTP server on loopback, keeping every message it is handed."""

    port: int
    received: list[Message] = field(default_factory=list)


@pytest.fixture(scope="module")
def mailbox() -> Iterator[Mailbox]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    box = Mailbox(port)

    class Keep(MessageHandler):
        def handle_message(self, message: Message) -> None:
            box.received.append(message)

    controller = Controller(Keep(), hostname="127.0.0.1", port=port)
    controller.start()
    yield box
    controller.stop()


@pytest.fixture(scope="module")
def web_app(neo4j_session_driver, neo4j_connection: Neo4jConnection, tmp_path_factory, synced_graphs,
            mailbox: Mailbox) -> Iterator[WebApp]:
    """The conftest's app (the sample synced, a user per role), with email going through the loopback SMTP
    server: the delivery service a portal send uses when no Notify service is configured."""
    home = tmp_path_factory.mktemp("portal-home")
    synced_home(neo4j_session_driver, neo4j_connection, synced_graphs, home, SAMPLE_MANIFEST)
    store = GraphStore(neo4j_connection)
    smtp = SmtpSettings(host="127.0.0.1", port=mailbox.port, sender=SENDER, starttls="off", timeout_s=5)
    delivery = DeliverySettings(smtp=smtp, outbox=home / "outbox")
    assert delivery.default_via == "smtp"
    # the control room looks for new reports every second here, not every ten: the journey waits for it
    app = create_app(WebConfig(dagster_url="http://127.0.0.1:3000", control_room_poll_seconds=1),
                     Installation(home=home, connect=lambda: store, manifest=SAMPLE_MANIFEST, delivery=delivery))
    with serving(app) as url:
        yield WebApp(url, home, neo4j_connection, store, SAMPLE_MANIFEST)
    store.close()


def _rows(web_app: WebApp, query: str, **params: object) -> list[dict]:
    with web_app.store.session() as session:
        return session.run(query, params).data()


@pytest.fixture(scope="module")
def organisation(web_app) -> dict:
    """An organisation whose people (``names``: those not restricted; ``restricted``: the others) include two
    or more who agreed to email (``recipients``: their addresses) and some who did not, none of them held back
    for a steward's review, so an email to its own staff reaches exactly ``recipients``; and a postcode the
    graph can place."""
    found = _rows(web_app, """
        MATCH (c:Contact)-[:WORKS_FOR]->(o:Organisation) WHERE NOT coalesce(c.restricted, false)
        WITH o, collect(c) AS people
        WHERE size([c IN people WHERE coalesce(c.email, '') <> '']) >= 2
          AND NONE(c IN people WHERE EXISTS {
                MATCH (r:SourceRecord)-[:DESCRIBES]->(c), (p:ReviewPair) WHERE r.ref IN [p.ref_a, p.ref_b] })
        WITH o, people, [c IN people WHERE coalesce(c.email, '') <> '' AND c.consent_email | c.email] AS recipients
        WHERE size(recipients) >= 2
        RETURN o.id AS id, o.name AS name, recipients, [c IN people | c.name] AS names,
               [(r:Contact {restricted: true})-[:WORKS_FOR]->(o) | r.name] AS restricted
        ORDER BY size(people) - size(recipients) DESC, size(recipients) DESC, o.name, recipients LIMIT 1""")
    assert found, "the sample has an organisation with two people or more who agreed to email"
    postcode = _rows(web_app, "MATCH (p:Postcode) WHERE p.latitude IS NOT NULL RETURN p.code AS code "
                              "ORDER BY p.code LIMIT 1")[0]["code"]
    return {**found[0], "postcode": postcode}


@pytest.fixture
def new_page(browser: Browser, web_app: WebApp) -> Iterator[Callable[[], Page]]:
    """``new_page()``: a page of a fresh browser context, signed in as no one (a person outside the force)."""
    contexts = []

    def opened() -> Page:
        context = browser.new_context(viewport=DESKTOP, base_url=web_app.url)
        contexts.append(context)
        return context.new_page()

    yield opened
    for context in contexts:
        context.close()


def _invite(steward: Page, organisation: dict, username: str) -> str:
    """The steward opens the organisation, follows its portal link and makes an invitation: its link."""
    steward.goto(f"/organisations/{organisation['id']}")
    steward.get_by_role("link", name=f"Invite someone of {organisation['name']} to the portal").click()
    expect(steward.get_by_role("heading", level=1)).to_have_text(
        f"Invite {organisation['name']} to the stakeholder portal")
    steward.get_by_label("Their username").fill(username)
    steward.get_by_label("The link works for (hours)").fill("48")
    steward.get_by_role("button", name="Make the invitation").click()
    expect(steward.locator("#invite-made")).to_contain_text(f"Invitation for {username}")
    link = steward.locator("#invite-link").input_value()
    assert re.fullmatch(r"/portal/invite/[A-Za-z0-9_-]{20,}", link), link
    return link


def _accept(page: Page, link: str, username: str) -> None:
    page.goto(link)
    expect(page.locator("#invited-username")).to_have_text(username)
    page.get_by_label("Password (at least 12 characters").fill(STAKEHOLDER_PASSWORD)
    page.get_by_label("The same password again").fill(STAKEHOLDER_PASSWORD)
    page.get_by_role("button", name="Set my password and sign in").click()


def _portal_link(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Portal").get_by_role("link", name=name).click()


def test_the_whole_journey_from_the_invitation_to_a_report_emailed_to_the_organisations_own_staff(
        sign_in, new_page, web_app, mailbox, organisation):
    name, username = organisation["name"], "pat.keeper"

    # a steward invites a person of the organisation
    steward = sign_in("steward")
    link = _invite(steward, organisation, username)
    screenshot(steward, "portal-invitation-made")

    # the first sign-in: a password chosen on the link, and the portal opens on the organisation
    them = new_page()
    _accept(them, link, username)
    expect(them).to_have_url(f"{web_app.url}/portal")
    expect(them.get_by_role("heading", level=1)).to_have_text(name)
    expect(them.locator("header .who")).to_have_text(username)
    screenshot(them, "portal-overview")

    # the profile changed, saved, and seen by the steward on the organisation's page
    profile = them.get_by_role("region", name="Your profile")
    profile.get_by_label("Opening hours").fill("Monday to Friday, 08:00 to 18:30")
    profile.get_by_label("protest", exact=True).check()
    profile.get_by_label("road closures", exact=True).check()
    profile.get_by_role("button", name="Save your profile").click()
    expect(them.get_by_role("status")).to_have_text("Your organisation's profile is saved.")
    profile = them.get_by_role("region", name="Your profile")
    expect(profile.get_by_label("Opening hours")).to_have_value("Monday to Friday, 08:00 to 18:30")
    expect(profile.get_by_label("protest", exact=True)).to_be_checked()
    expect(profile.get_by_label("road closures", exact=True)).to_be_checked()
    expect(profile).to_contain_text(f"Last changed by {username}")
    steward.goto(f"/organisations/{organisation['id']}")
    expect(steward.locator("#own-profile")).to_contain_text("Monday to Friday, 08:00 to 18:30")
    expect(steward.locator("#own-profile")).to_contain_text("protest, road closures")

    # a person added to the staff list, then removed from their change page
    _portal_link(them, "Staff list")
    staff = them.locator("#staff tbody tr")
    expect(staff).to_have_count(len(organisation["names"]))
    for person in organisation["names"]:
        expect(them.locator("#staff")).to_contain_text(person)
    for person in organisation["restricted"]:
        expect(them.locator("#staff")).not_to_contain_text(person)
    added = them.get_by_role("region", name="Add a person")
    added.get_by_label("Name", exact=True).fill("Robin Newstarter")
    added.get_by_label("Job title").fill("Facilities manager")
    added.get_by_label("Email", exact=True).fill("robin.newstarter@portal-example.org")
    added.get_by_role("group", name="Agrees to email").get_by_label("Yes").check()
    added.get_by_role("button", name="Add to the staff list").click()
    expect(them.get_by_role("status")).to_have_text("Added Robin Newstarter to your staff list.")
    row = them.locator("#staff tbody tr").filter(has_text="Robin Newstarter")
    expect(row).to_contain_text("added, in the police's records after the next update")
    expect(row).to_contain_text("robin.newstarter@portal-example.org")
    expect(staff).to_have_count(len(organisation["names"]) + 1)
    screenshot(them, "portal-staff-list")
    row.get_by_role("link", name="Change or remove Robin Newstarter").click()
    expect(them.get_by_role("heading", level=1)).to_have_text("Robin Newstarter")
    them.get_by_role("button", name="Remove Robin Newstarter from your staff list").click()
    expect(them.get_by_role("status")).to_have_text("Removed Robin Newstarter from your staff list.")
    expect(them.locator("#staff")).not_to_contain_text("Robin Newstarter")
    expect(staff).to_have_count(len(organisation["names"]))

    # a question asked, answered by a SPOC, and the answer seen in the portal
    _portal_link(them, "Questions")
    them.get_by_label("Subject").fill("Road closure on Friday")
    them.get_by_label("Your question").fill("Will the street be closed for the march?")
    them.get_by_label("About").select_option("road_closures")
    them.get_by_role("button", name="Send the question").click()
    expect(them.get_by_role("status")).to_contain_text("has gone to the force's SPOCs")
    question = them.locator("article.question").filter(has_text="Road closure on Friday")
    expect(question).to_contain_text("waiting for an answer")
    spoc = sign_in("spoc")
    spoc.get_by_role("navigation", name="Main").get_by_role("link", name="Stakeholder questions").click()
    asked = spoc.locator("article.question").filter(has_text="Road closure on Friday")
    expect(asked).to_contain_text(name)
    expect(asked).to_contain_text(f"({username})")
    asked.get_by_label("Your answer").fill("Yes, from 10:00 to 16:00; the diversion is signed.")
    asked.get_by_role("button", name="Send the answer").click()
    expect(spoc.get_by_role("status")).to_contain_text("it is on the organisation's timeline")
    them.reload()
    expect(question).to_contain_text("Answered by spoc-user")
    expect(question).to_contain_text("Yes, from 10:00 to 16:00; the diversion is signed.")
    expect(question).not_to_contain_text("waiting for an answer")
    screenshot(them, "portal-question-answered")

    # an event report: seen by the control room, whose page was open before it came in and reloads itself
    inspector = sign_in("inspector")
    inspector.get_by_role("navigation", name="Main").get_by_role("link", name="Control room").click()
    expect(inspector.locator("#event-reports")).to_contain_text("No reports.")
    _portal_link(them, "Event reports")
    them.get_by_label("What is happening").fill("A crowd is gathering at the front entrance")
    them.get_by_label("Postcode where it is happening").fill(organisation["postcode"])
    them.get_by_role("button", name="Send to the control room").click()
    expect(them.get_by_role("status")).to_contain_text("is with the control room.")
    report_id = re.search(r"Report (R-\d+) is with", them.get_by_role("status").inner_text())[1]
    in_room = inspector.locator(f"#event-reports tr#{report_id}")
    # the open page looks every second here (control_room_poll_seconds)
    expect(in_room).to_contain_text("A crowd is gathering at the front entrance", timeout=10_000)
    expect(in_room).to_contain_text(name)
    expect(in_room).to_contain_text(organisation["postcode"])
    expect(in_room.locator("td").last).to_have_text("no")
    screenshot(inspector, "control-room")

    # sent on to the organisation's own staff: the emails reach the loopback SMTP server
    assert mailbox.received == []
    report = them.locator(f"article#{report_id}")
    expect(report.get_by_label("by email")).to_be_checked()
    report.get_by_role("button", name="Send it to your own staff").click()
    recipients = sorted(organisation["recipients"])
    expect(them.get_by_role("status")).to_contain_text(f"Report {report_id} went to {len(recipients)} of your staff")
    message_id = re.search(r"\((M-\d+)\)", them.get_by_role("status").inner_text())[1]
    expect(them.locator(f"article#{report_id}")).to_contain_text(f"sent to your staff as {message_id}")
    screenshot(them, "portal-report-sent")
    assert sorted(m["To"] for m in mailbox.received) == recipients
    assert all(m["From"] == SENDER and m["Subject"] == f"{name}: event report"
               and m["X-Stakeholders-Reference"].startswith(f"{message_id}-v1-")
               and "A crowd is gathering at the front entrance" in m.get_payload(decode=True).decode()
               for m in mailbox.received)
    inspector.reload()
    expect(inspector.locator(f"#event-reports tr#{report_id}").get_by_role("link", name=message_id)).to_be_visible()


def test_an_invitation_link_used_twice_says_it_was_used_already(sign_in, new_page, web_app, organisation):
    steward = sign_in("steward")
    link = _invite(steward, organisation, "sam.once")
    first = new_page()
    _accept(first, link, "sam.once")
    expect(first).to_have_url(f"{web_app.url}/portal")
    again = new_page()
    response = again.goto(link)
    assert response.status == 410
    expect(again.get_by_role("heading", level=1)).to_have_text("This invitation cannot be used")
    expect(again.get_by_role("alert")).to_contain_text("used already")
    expect(again.get_by_label("Password")).to_have_count(0)
    screenshot(again, "portal-invitation-used")
    steward.goto(f"/organisations/{organisation['id']}/invite")
    expect(steward.get_by_role("row").filter(has_text="sam.once")).to_contain_text("used ")


def test_every_portal_page_and_its_police_side_has_labelled_fields_and_named_controls(sign_in, new_page,
                                                                                      organisation):
    steward = sign_in("steward")
    link = _invite(steward, organisation, "lee.checks")
    them = new_page()
    them.goto(link)
    pages = [(them, link)]
    _accept(them, link, "lee.checks")
    pages += [(them, path) for path in ("/portal", "/portal/staff", "/portal/questions", "/portal/reports")]
    them.goto("/portal/staff")
    pages.append((them, them.locator("#staff a[href^='/portal/staff/']").first.get_attribute("href")))
    pages += [(steward, f"/organisations/{organisation['id']}/invite"), (sign_in("spoc"), "/questions"),
              (sign_in("inspector"), "/control-room")]
    for page, path in pages:
        page.goto(path)
        assert page.evaluate(UNLABELLED_FIELDS) == [], f"{path}: fields without a label"
        assert page.evaluate(UNNAMED_CONTROLS) == [], f"{path}: buttons or links without a name"
        assert page.locator("h1").count() == 1, f"{path}: one main heading"
