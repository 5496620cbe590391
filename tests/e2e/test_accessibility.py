"""Every page is usable with the keyboard alone, and every form field has a label."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .conftest import PASSWORD

pytestmark = pytest.mark.neo4j

# Fields without an accessible name: their id, name or type, for the failure message.
UNLABELLED_FIELDS = """
() => [...document.querySelectorAll('input, select, textarea')]
  .filter(el => el.type !== 'hidden' && !el.closest('[hidden]'))
  .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                && !el.getAttribute('aria-labelledby'))
  .map(el => el.id || el.name || el.type)
"""
UNNAMED_CONTROLS = """
() => [...document.querySelectorAll('button, a[href], summary')]
  .filter(el => !(el.innerText || '').trim() && !el.getAttribute('aria-label') && !el.getAttribute('title'))
  .map(el => el.outerHTML.slice(0, 80))
"""


def _pages_of(page: Page) -> list[str]:
    """The start page and every page linked from the main navigation, plus the first link on each list."""
    links = page.get_by_role("navigation", name="Main").get_by_role("link")
    paths = ["/"] + [href for href in (links.nth(i).get_attribute("href") for i in range(links.count()))]
    extra = []
    for path in paths:
        page.goto(path)
        first = page.locator("main table a[href^='/contacts/'], main table a[href^='/organisations/']").first
        if first.count():
            extra.append(first.get_attribute("href"))
        pair = page.locator("main a[href^='/review/']").first
        if pair.count():
            extra.append(pair.get_attribute("href"))
    return list(dict.fromkeys(paths + extra))


@pytest.mark.parametrize("role", ["steward", "messaging", "spoc", "admin"])
def test_every_field_has_a_label_and_every_control_a_name(sign_in, role):
    page = sign_in(role)
    for path in _pages_of(page):
        page.goto(path)
        assert page.evaluate(UNLABELLED_FIELDS) == [], f"{path}: fields without a label"
        assert page.evaluate(UNNAMED_CONTROLS) == [], f"{path}: buttons or links without a name"
        assert page.locator("h1").count() == 1, f"{path}: one main heading"


def test_signing_in_and_moving_between_pages_needs_no_mouse(browser, web_app):
    page = browser.new_page(base_url=web_app.url)
    page.goto("/login")
    # The username field has focus on arrival; autofocus lands once the page
    # has settled, so wait for it rather than typing into the void.
    expect(page.get_by_label("Username")).to_be_focused()
    page.keyboard.type("steward-user")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    page.keyboard.type(PASSWORD)
    expect(page.get_by_label("Username")).to_have_value("steward-user")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, steward-user")

    page.keyboard.press("Tab")  # the first stop is the skip link, shown when focused
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    _tab_to(page, "document.activeElement.textContent === 'Contacts'")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Contacts")
    _tab_to(page, "document.activeElement.id === 'q'")
    page.keyboard.type("an")
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{web_app.url}/contacts?q=an")
    _tab_to(page, "(document.activeElement.getAttribute('href') || '').startsWith('/contacts/C-')")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/contacts/C-"))
    expect(page.get_by_role("heading", name="Every value and where it came from")).to_be_visible()
    page.close()


def _tab_to(page: Page, condition: str, limit: int = 60) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(condition):
            return
    pytest.fail(f"Tab never reached the element ({condition})")
