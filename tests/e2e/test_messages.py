"""A message's life in the browser, with two people: a messaging officer writes and issues it, the control
room's inspector authorises it; an overdue update is flagged on every page; the closure closes it."""

from __future__ import annotations

import csv
import re

from playwright.sync_api import expect

from .conftest import screenshot


def test_compose_authorise_issue_and_close_in_the_browser(sign_in, web_app):
    author = sign_in("messaging")
    author.get_by_role("navigation", name="Main").get_by_role("link", name="Messages").click()
    author.get_by_role("link", name="New message").click()
    author.get_by_label("Title").fill("Protest at the Bank junction")
    author.get_by_label("Type").select_option("spontaneous")
    author.get_by_label("Grade").select_option("2")
    author.get_by_label("Words").fill("Dear {first_name}, a protest is expected near the Bank. Ref {reference}")
    expect(author.locator("#sms-count")).to_contain_text("characters")
    author.get_by_label("Issues").select_option(["protest"])
    composing = author.locator("#compose-audience #audience-count")  # counted while the message is written
    expect(composing).to_be_visible()
    expect(author.locator("#compose-audience")).to_have_attribute("data-updated", re.compile(r"^([2-9]|\d\d+)$"))
    counted_while_composing = int(composing.inner_text())
    screenshot(author, "message-compose")
    author.get_by_role("button", name="Save draft").click()
    expect(author.locator("#state")).to_have_text("draft")
    message_url = author.url
    author.get_by_role("button", name="Submit").click()
    expect(author.locator("#state")).to_have_text("submitted")
    expect(author.get_by_role("button", name="Authorise")).to_have_count(0)  # never by its author

    inspector = sign_in("inspector")
    inspector.goto(message_url)
    expect(inspector.locator("#body")).to_contain_text("a protest is expected near the Bank")
    size = int(inspector.locator("#audience-size").inner_text().split(";")[0])
    assert size == counted_while_composing > 0
    screenshot(inspector, "message-authorise")
    inspector.get_by_role("button", name="Authorise").click()
    expect(inspector.locator("#state")).to_have_text("authorised")

    author.goto(message_url)
    author.get_by_label("Send through").select_option("file")
    author.get_by_label("Next update in (e.g. 30m)").fill("30m")
    author.get_by_role("button", name="Issue").click()
    expect(author.locator(".flash")).to_contain_text("version 1:")
    expect(author.locator("#state")).to_contain_text("issued")
    sent = int(author.locator("#delivery-report tbody tr").first.locator("td").first.inner_text())
    with (web_app.home / "outbox" / "M-1-v1-email.csv").open(newline="", encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    assert sent == len(rows) == size and all(r["body"].startswith("Dear ") for r in rows)
    screenshot(author, "message-issued")

    with web_app.store.session() as session:  # half an hour on: the update is overdue
        session.run("MATCH (m:Message {id: 'M-1'}) SET m.next_update_due = '2000-01-01T00:00:00+00:00'").consume()
    inspector.goto("/")
    expect(inspector.locator("#due-banner")).to_contain_text("M-1")
    inspector.get_by_role("navigation", name="Main").get_by_role("link", name="Messages").click()
    expect(inspector.locator("tr.overdue")).to_contain_text("update overdue")

    author.goto(message_url)
    author.get_by_label("or a template").select_option("closure")
    author.get_by_label("the closing message (closes it)").check()
    author.get_by_role("button", name="Send update").click()
    expect(author.locator("#state")).to_have_text("closed")
    expect(author.locator("#history-list li")).to_have_count(5)  # drafted, submitted, authorised, issued, closed


def test_an_admin_keeps_the_templates_and_a_bad_placeholder_is_refused(sign_in):
    admin = sign_in("admin")
    admin.get_by_role("navigation", name="Main").get_by_role("link", name="Message templates").click()
    expect(admin.locator("#templates")).to_contain_text("holding")
    admin.get_by_label("Name").fill("road-closure")
    admin.get_by_label("Kind").select_option("advice")
    admin.get_by_label("Words").fill("Roads near {area} close at {nextupdate}")
    admin.get_by_role("button", name="Save template").click()
    expect(admin.get_by_role("alert")).to_contain_text("{nextupdate}")
    admin.get_by_label("Name").fill("road-closure")
    admin.get_by_label("Words").fill("Roads near {area} close at {next_update}")
    admin.get_by_role("button", name="Save template").click()
    expect(admin.locator(".flash")).to_contain_text("Saved the template road-closure")
    expect(admin.locator("#templates")).to_contain_text("Roads near {area} close at {next_update}")
    author = sign_in("messaging")
    author.goto("/messages/new?template=road-closure")
    expect(author.get_by_label("Words")).to_have_value("Roads near {area} close at {next_update}")
