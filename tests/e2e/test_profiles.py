"""Contact and organisation pages in the real browser: sources of every value, and restricted records."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import screenshot

pytestmark = pytest.mark.neo4j


def _one(web_app, query: str) -> dict:
    with web_app.store.session() as session:
        return session.run(query).data()[0]


@pytest.fixture(scope="module")
def merged_contact(web_app) -> dict:
    """An unrestricted contact merged from rows of several sources, working for an organisation."""
    return _one(web_app, """
        MATCH (c:Contact)-[:WORKS_FOR]->(o:Organisation)
        WHERE NOT c.restricted AND size(c.refs) >= 3
        RETURN c.id AS id, c.name AS name, c.refs AS refs, o.id AS organisation
        ORDER BY size(c.refs) DESC, c.refs LIMIT 1""")


@pytest.fixture(scope="module")
def restricted_contact(web_app) -> dict:
    return _one(web_app, """
        MATCH (c:Contact {restricted: true})-[:WORKS_FOR]->(o:Organisation)
        RETURN c.id AS id, c.name AS name, o.id AS organisation,
               [(r:SourceRecord)-[:DESCRIBES]->(c) WHERE (r)-[:DESCRIBES]->(o) | r.ref] AS refs
        ORDER BY c.refs LIMIT 1""")


def test_a_steward_sees_every_value_of_a_merged_contact_with_its_source(sign_in, web_app, merged_contact):
    page = sign_in("steward")
    page.goto("/contacts?q=" + merged_contact["name"].split()[-1])
    page.get_by_role("link", name=merged_contact["id"]).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(merged_contact["name"])
    fields = page.get_by_role("table", name="The surviving value of each field")
    expect(fields.get_by_role("rowheader", name="name", exact=True)).to_be_visible()
    sources = set(fields.locator("tbody tr td:nth-child(4)").all_inner_texts())
    assert sources & set(merged_contact["refs"]), "each value names the row it came from"
    expect(page.get_by_role("heading", name=f"Source rows ({len(merged_contact['refs'])})")).to_be_visible()
    for ref in merged_contact["refs"]:
        expect(page.get_by_text(ref, exact=True).first).to_be_attached()
    consent = page.get_by_role("table", name="Per channel, with the row that decided it")
    expect(consent.get_by_role("row", name="Email")).to_be_visible()
    expect(consent.get_by_role("row", name="SMS")).to_be_visible()
    expect(page.get_by_role("table", name="Engagements, messages, survey responses, steward decisions")).to_be_visible()
    located = page.locator("dt:text-is('Located in') + dd").inner_text().split(", ")
    place_map = page.get_by_role("region", name=f"Map of the City with this record's postcodes marked: {len(located)} "
                                                f"marked ({', '.join(sorted(located))})")
    expect(place_map).to_have_attribute("data-ready", "true")
    on_the_map = {p["code"] for p in web_app.store.map_postcodes(False)}
    expect(place_map.locator("path[data-postcode][fill='#a4001d']")).to_have_count(len(set(located) & on_the_map))
    screenshot(page, "contact-profile")


def test_the_organisation_page_lists_its_people_and_premises(sign_in, merged_contact):
    page = sign_in("messaging")
    page.goto(f"/organisations/{merged_contact['organisation']}")
    expect(page.get_by_role("heading", name="People who work for it")).to_be_visible()
    expect(page.get_by_role("link", name=merged_contact["name"])).to_be_visible()
    screenshot(page, "organisation-profile")
    page.goto("/organisations?q=" + page.locator("h1").inner_text().split()[0])
    expect(page.get_by_role("link", name=merged_contact["organisation"])).to_be_visible()
    page.goto("/organisations")
    expect(page.get_by_role("table", name="67 organisations")).to_be_visible()
    screenshot(page, "organisations")


def test_a_messaging_user_never_meets_a_restricted_contact(sign_in, restricted_contact):
    page = sign_in("messaging")
    response = page.goto(f"/contacts/{restricted_contact['id']}")
    assert response.status == 404
    assert restricted_contact["name"] not in page.content()
    page.goto("/contacts?q=" + restricted_contact["name"].split()[-1])
    expect(page.get_by_role("link", name=restricted_contact["id"])).to_have_count(0)
    page.goto("/contacts")
    assert restricted_contact["id"] not in page.content()
    page.goto(f"/organisations/{restricted_contact['organisation']}")
    assert restricted_contact["name"] not in page.content()
    assert "restricted" not in page.content()  # not even "1 more on restricted records"
    assert not any(f"<li>{ref} " in page.content() for ref in restricted_contact["refs"])
    screenshot(page, "contacts-messaging")


def test_a_spoc_sees_the_restricted_contact_marked_as_such(sign_in, restricted_contact):
    page = sign_in("spoc")
    page.goto(f"/contacts/{restricted_contact['id']}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(restricted_contact["name"])
    expect(page.locator("h1 .badge.restricted")).to_have_text("restricted")
    page.goto(f"/organisations/{restricted_contact['organisation']}")
    expect(page.get_by_role("link", name=restricted_contact["name"])).to_be_visible()
    screenshot(page, "contact-profile-restricted-spoc")
