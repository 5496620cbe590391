"""The engagement record in the real browser, over the sample with a diary, groups, sectors and surveys
beside it: the profile timeline, logging an engagement (and a date in the future refused by the field),
the priority stakeholder mark, the audience builder's new filters and the cascade view."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from services import review
from tests.data.engagement_record import manifest_in

from .conftest import screenshot

pytestmark = pytest.mark.neo4j
LAURA = "laura.chen@mitchelltaylor.com"


@pytest.fixture(scope="module")
def web_manifest(tmp_path_factory) -> Path:
    return manifest_in(tmp_path_factory.mktemp("engagement-record"))


def _one(web_app, query: str, **params) -> dict:
    with web_app.store.session() as session:
        return session.run(query, params).data()[0]


@pytest.fixture(scope="module")
def laura(web_app) -> dict:
    """A priority stakeholder with an engagement, a survey answer and, from here, a steward decision."""
    found = _one(web_app, """
        MATCH (c:Contact) WHERE $email IN c.emails
        MATCH (c)-[:HAS_ADDRESS_IN]->(:Postcode)-[:CLASSIFIED_AS]->(t:MosaicType)-[:IN_GROUP]->(g:MosaicGroup)
        RETURN c.id AS id, c.name AS name, t.code AS mosaic_type, g.code AS mosaic_group LIMIT 1""", email=LAURA)
    decision = review.decide_override(web_app.store, found["id"], "job_title", "IT Director", "steward-user",
                                      "confirmed on the phone")
    return {**found, "decision": decision.decision_id}


def _timeline_kinds(page: Page) -> list[str]:
    return page.locator("#timeline-table tbody td:nth-child(2)").all_inner_texts()


def test_the_timeline_shows_an_engagement_a_survey_answer_and_a_decision_newest_first(sign_in, laura):
    page = sign_in("steward")
    page.goto(f"/contacts/{laura['id']}")
    table = page.get_by_role("table", name="Engagements, messages, survey responses, steward decisions")
    expect(table).to_be_visible()
    decision = table.get_by_role("row").filter(has_text=laura["decision"])
    engagement = table.get_by_role("row").filter(has_text="meeting: Fraud briefing")
    survey = table.get_by_role("row").filter(has_text="score 5 of 5")
    for row in (decision, engagement, survey):
        expect(row).to_have_count(1)
    expect(engagement).to_contain_text("PC Smith")
    expect(engagement).to_contain_text("Counter Terrorism")
    expect(engagement).to_contain_text("Went well")  # a steward reads the notes
    rows = table.locator("tbody tr").all_inner_texts()
    position = {name: next(i for i, text in enumerate(rows) if needle in text)
                for name, needle in (("decision", laura["decision"]), ("engagement", "Fraud briefing"),
                                     ("survey", "score 5 of 5"))}
    assert position["decision"] < position["engagement"] < position["survey"], rows
    screenshot(page, "contact-timeline")


def test_logging_an_engagement_and_a_future_date_refused_by_the_field(sign_in, laura):
    page = sign_in("messaging")
    page.goto(f"/contacts/{laura['id']}")
    form = page.get_by_role("region", name="Log an engagement")
    expect(form.get_by_label("Date")).to_have_value(dt.date.today().isoformat())
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    form.get_by_label("Type").select_option("briefing")
    form.get_by_label("Date").fill(tomorrow.isoformat())
    form.get_by_label("Subject").fill("Protest route for Saturday")
    form.get_by_label("protest").check()
    form.get_by_label("Notes").fill("Asked for the map by email")
    form.get_by_role("button", name="Log the engagement").click()
    error = page.locator("#engagement-date-error")
    expect(error).to_contain_text(f"{tomorrow:%d/%m/%Y} is in the future")
    date = page.get_by_role("region", name="Log an engagement").get_by_label("Date")
    expect(date).to_have_attribute("aria-invalid", "true")
    expect(date).to_have_accessible_description(f"Error: {tomorrow:%d/%m/%Y} is in the future: log an engagement "
                                                f"once it has happened (today is {dt.date.today():%d/%m/%Y}). "
                                                "When it happened: today or earlier.")
    expect(page.get_by_role("alert")).to_contain_text("The engagement was not logged")
    screenshot(page, "engagement-future-date")
    date.fill(dt.date.today().isoformat())
    page.get_by_role("button", name="Log the engagement").click()
    expect(page.get_by_role("status")).to_contain_text("Logged the briefing of")
    row = page.locator("#timeline-table tbody tr").filter(has_text="briefing: Protest route for Saturday")
    expect(row).to_contain_text("messaging-user")
    expect(row).to_contain_text("Asked for the map by email")  # its author reads its notes
    expect(row).to_contain_text("protest")


def test_priority_stakeholders_carry_a_mark_in_words(sign_in, laura):
    page = sign_in("messaging")
    page.goto("/contacts?q=" + laura["name"])
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=laura["id"]))
    expect(row).to_contain_text("Priority stakeholder")
    page.get_by_role("link", name=laura["id"]).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Priority stakeholder")
    memberships = page.locator("#group-memberships")
    expect(memberships).to_contain_text("CoLCPA")
    expect(page.locator("#mosaic")).to_contain_text(f"{laura['mosaic_type']} (group {laura['mosaic_group']})")
    page.goto("/organisations?q=london fire")
    expect(page.get_by_role("row").filter(has_text="London Fire Brigade")).to_contain_text("Priority stakeholder")


def _count(page: Page) -> int:
    return int(page.locator("#audience-count").get_attribute("data-count"))


def _changes_the_count(page: Page, act, expected: int | None = None) -> None:
    page.goto("/audience")
    before = _count(page)
    act(page)
    expect(page.locator("#audience-result")).to_have_attribute("data-updated", "1")  # the first live count
    after = _count(page)
    assert after != before
    if expected is not None:
        assert after == expected


def test_each_new_filter_of_the_builder_changes_the_live_count(sign_in, laura):
    page = sign_in("messaging")
    _changes_the_count(page, lambda p: p.get_by_label("Groups (any of)").select_option("colcpa"), 1)
    _changes_the_count(page, lambda p: p.get_by_label("Priority stakeholders only").check())
    _changes_the_count(page, lambda p: p.get_by_label("Sectors (any of").select_option("community"))
    _changes_the_count(page, lambda p: p.get_by_label("Sector leads only").check(), 1)
    _changes_the_count(page, lambda p: p.get_by_label("Mosaic groups").select_option(laura["mosaic_group"]))
    _changes_the_count(page, lambda p: p.get_by_label("Mosaic types").select_option(laura["mosaic_type"]))
    page.goto("/audience")
    page.get_by_label("Sectors (any of").select_option("community")
    expect(page.locator("#audience-result")).to_have_attribute("data-updated", "1")
    left_out = page.get_by_role("table", name="Left out")
    expect(left_out).to_have_accessible_name(re.compile("of the 7 people these filters chose"))  # none restricted
    expect(left_out).to_contain_text("no consent to email or SMS")
    screenshot(page, "audience-engagement-record-filters")


def test_the_cascade_tree_and_its_use_as_audience_link(sign_in):
    page = sign_in("messaging")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Cascade").click()
    tree = page.get_by_role("list", name="Cascade: hub, sector, lead")
    london = tree.get_by_role("listitem").filter(has_text="Hub: London").first
    emergency = london.get_by_role("listitem").filter(has_text="Sector: Emergency services").first
    expect(emergency.get_by_role("listitem").filter(has_text="Lead:")).to_contain_text(
        "Laura Chen, Mitchell Taylor LLP Priority stakeholder — reaches 2 organisations")
    transport = london.get_by_role("listitem").filter(has_text="Sector: Transport").first
    expect(transport).to_contain_text("No lead: the cascade stops here")  # its lead is restricted
    expect(tree).not_to_contain_text("Sandra")
    screenshot(page, "cascade")
    page.get_by_label("Sectors (none chosen: all)").select_option("emergency services")
    page.get_by_role("button", name="Show the cascade").click()
    expect(page.locator("#cascade-summary")).to_contain_text("1 sector lead would receive the message")
    page.get_by_role("link", name="Use as audience").click()
    expect(page).to_have_url(re.compile(r"/audience\?sectors=emergency\+services&sector_leads=on&channel=any$"))
    expect(page.get_by_label("Sector leads only")).to_be_checked()
    expect(page.locator("#audience-count")).to_have_text("1")
    expect(page.get_by_role("table", name="The recipients")).to_contain_text("Laura Chen")
