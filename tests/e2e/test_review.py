"""The data stewards' pages in the real browser: the review queue, a pair side by side, decisions one at
a time, with the keyboard and in bulk, merge conflicts with overrides, splits and undo, and "apply now".

The tests run in file order on one synced sample (the module's `web_app`): later ones build on the
decisions of earlier ones, and each picks pairs and contacts that the others leave alone.
"""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from accounts.audit import AuditLog
from resolution.decisions import OVERRIDE_FIELDS
from resolution.resolve import explain_records
from services import explanations
from services import review as stewardship
from web.review import pair_url
from web.review_logic import DEFAULT_REASON, conflicts, pair_key

from .conftest import screenshot

pytestmark = pytest.mark.neo4j
SYNC_TIMEOUT_MS = 300_000  # a sample sync on a busy machine



def _refs_of(url: str) -> tuple[str, str]:
    """The two records a pair page's URL names."""
    query = parse_qs(urlsplit(url).query)
    return query["a"][0], query["b"][0]

def _queue(web_app, spoc: bool = False) -> list[dict]:
    return stewardship.review_queue(web_app.store, spoc)


def _contacts_of(pair: dict) -> set[str]:
    return {c["id"] for c in (pair["contact_a"], pair["contact_b"]) if c}


def _disjoint_pairs(web_app, count: int, avoid: set[str] = frozenset()) -> list[dict]:
    """Waiting pairs none of whose contacts another chosen pair (or ``avoid``) touches."""
    chosen, used = [], set(avoid)
    for pair in _queue(web_app):
        contacts = _contacts_of(pair)
        if len(contacts) == 2 and not contacts & used:
            chosen.append(pair)
            used |= contacts
        if len(chosen) == count:
            return chosen
    pytest.fail(f"the sample has fewer than {count} independent pairs waiting", pytrace=False)


def _queue_contacts(web_app) -> set[str]:
    visible = web_app.store.review_queue(True)
    return {c for p in visible for c in _contacts_of(p)}


def _merged_contacts(web_app) -> list[dict]:
    """Merged contacts nobody may not see, that no review pair touches, with their conflicts."""
    with web_app.store.session() as session:
        rows = session.run("MATCH (c:Contact) WHERE size(c.refs) > 1 AND NOT coalesce(c.restricted, false) "
                           "RETURN c.id AS id, c.refs AS refs, c.field_provenance AS fp ORDER BY c.refs").data()
    busy = _queue_contacts(web_app)
    return [{"id": r["id"], "refs": r["refs"], "conflicts": conflicts(json.loads(r["fp"] or "{}"))}
            for r in rows if r["id"] not in busy]


def _restricted_contact(web_app) -> str:
    with web_app.store.session() as session:
        return session.run("MATCH (c:Contact) WHERE c.restricted RETURN c.id AS id ORDER BY size(c.refs) DESC, "
                           "c.refs LIMIT 1").single()["id"]


def _apply_now(page: Page) -> None:
    page.get_by_role("button", name="Apply now").click()
    expect(page.get_by_role("status")).to_contain_text("Synced:", timeout=SYNC_TIMEOUT_MS)


def _holding_first(rows) -> list[int]:
    """The rows marked as holding someone out of audiences, which must all come before the others."""
    numbers = rows.locator("td:nth-child(2)").all_inner_texts()
    marked = [i for i, text in enumerate(numbers) if "holds an audience" in text]
    assert marked == list(range(len(marked))), "pairs holding an audience come first"
    return marked


def test_the_queue_puts_pairs_holding_an_audience_then_the_most_uncertain_first_and_hides_restricted_pairs(
        sign_in, web_app):
    waiting = _queue(web_app)
    every = _queue(web_app, spoc=True)
    assert len(every) > len(waiting), "the sample has pairs touching a restricted contact"

    page = sign_in("steward")
    page.goto("/review")
    expect(page.get_by_role("heading", level=1)).to_have_text("Review queue")
    rows = page.locator("#bulk tbody tr")
    expect(rows).to_have_count(len(waiting))
    assert "restricted" not in page.content()  # not even how many pairs a SPOC has to review
    holding = _holding_first(rows)
    assert holding, "the sample has pairs that hold someone out of audiences"
    assert len(holding) == sum(1 for p in waiting if p["holding"])
    probabilities = [float(p) for p in rows.locator("td:nth-child(5)").all_inner_texts()]
    for group in (probabilities[:len(holding)], probabilities[len(holding):]):
        assert group == sorted(group, key=lambda p: abs(p - 0.5))
    expect(page.locator("#sort-rule")).to_contain_text("probability closest to 0.5")
    restricted = {p["ref_a"] for p in every} - {p["ref_a"] for p in waiting}
    assert not any(ref in page.content() for ref in restricted)
    screenshot(page, "review-queue")

    page.get_by_label("Order").select_option("consequence")
    page.get_by_role("button", name="Sort").click()
    expect(page).to_have_url(re.compile(r"sort=consequence"))
    expect(page.locator("#sort-rule")).to_contain_text("highest priority of either contact")
    stakes = [re.findall(r"\w+", t) for t in rows.locator("td:nth-child(7)").all_inner_texts()]
    rank = {"high": 3, "medium": 2, "low": 1}
    keys = [(max(rank.get(w, 0) for w in s[:2]), int(s[2]), int(s[3])) for s in stakes]
    assert _holding_first(rows) == holding
    for group in (keys[:len(holding)], keys[len(holding):]):
        assert group == sorted(group, reverse=True)
    screenshot(page, "review-queue-consequential")

    spoc = sign_in("spoc")
    spoc.goto("/review")
    expect(spoc.locator("#bulk tbody tr")).to_have_count(len(every))


def test_a_pair_shows_both_records_field_by_field_with_the_explanation_and_sources(sign_in, web_app):
    waiting = _queue(web_app)
    page = sign_in("steward")
    page.goto("/review")
    page.get_by_role("link", name="Review pair 1", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Pair 1 of {len(waiting)}")
    ref_a, ref_b = _refs_of(page.url)
    one_sided = 0
    for row in page.locator("#records tbody tr").all():
        a, b = (" ".join(t.casefold().split()) for t in row.locator("td").all_inner_texts())
        if "differs" in (row.get_attribute("class") or ""):
            assert "—" not in (a, b) and a != b
        else:
            assert a == b or "—" in (a, b)
            one_sided += a != b
    # the resolver was unsure for a reason: a field the records disagree on, or one only one of them has
    assert page.locator("#records tr.differs").count() + one_sided >= 1

    batches = explanations.staged_batches(web_app.store, web_app.home)
    expected = explain_records(batches, ref_a, ref_b)
    explanation = page.locator("#explanation tbody tr")
    expect(explanation).to_have_count(len(expected.fields))
    details = page.get_by_role("region", name="Why the resolver is unsure")
    expect(details).to_contain_text(f"{expected.probability:.4f}")
    expect(details).to_contain_text(f"{expected.score:+.2f}")
    sources = page.get_by_role("region", name="Where the records come from")
    for ref in (ref_a, ref_b):
        source, record_id = ref.split(":", 1)
        expect(sources).to_contain_text(source)
        expect(sources).to_contain_text(record_id)
    for key in "ars":
        expect(page.locator(f"button[data-shortcut='{key}']")).to_be_visible()
        expect(page.locator("kbd", has_text=re.compile(f"^{key}$"))).to_be_visible()
    expect(page.locator("#reason-hint")).to_contain_text(DEFAULT_REASON)
    screenshot(page, "review-pair")


def test_accept_one_pair_and_reject_another_with_a_shortcut_then_a_sync_applies_both(sign_in, web_app):
    accepted, rejected = _disjoint_pairs(web_app, 2)
    page = sign_in("steward")

    page.goto(pair_url(accepted["ref_a"], accepted["ref_b"]))
    page.get_by_label("Reason (optional)").fill("same mobile and employer")
    page.get_by_role("button", name="Accept: one person").click()
    expect(page.get_by_role("status")).to_contain_text(f"Accepted {accepted['ref_a']} and {accepted['ref_b']}")
    assert pair_url(accepted["ref_a"], accepted["ref_b"]) not in page.url  # on to the next pair
    expect(page.get_by_role("heading", level=1)).to_contain_text("Pair ")

    page.goto(pair_url(rejected["ref_a"], rejected["ref_b"]))
    page.get_by_role("heading", level=1).click()  # focus outside the reason field
    page.keyboard.press("r")
    expect(page.get_by_role("status")).to_contain_text(f"Rejected {rejected['ref_a']} and {rejected['ref_b']}")

    decisions = {frozenset(d.refs): d for d in web_app.store.decisions() if d.active}
    match = decisions[frozenset((accepted["ref_a"], accepted["ref_b"]))]
    no_match = decisions[frozenset((rejected["ref_a"], rejected["ref_b"]))]
    assert (match.kind, match.who, match.why) == ("match", "steward-user", "same mobile and employer")
    assert (no_match.kind, no_match.why) == ("no_match", DEFAULT_REASON)
    logged = {e.details["decision_id"]: e for e in AuditLog(web_app.home).entries() if e.action == "review decision"}
    assert logged[match.decision_id].details == {"decision_id": match.decision_id, "kind": "match",
                                                 "refs": list(match.refs)}
    assert logged[no_match.decision_id].who == "steward-user"

    assert web_app.sync() in (0, 3)
    found = web_app.store.contacts_of_records([accepted["ref_a"], accepted["ref_b"], rejected["ref_a"],
                                               rejected["ref_b"]])
    merged = found[accepted["ref_a"]]["contact_id"]
    assert found[accepted["ref_b"]]["contact_id"] == merged
    assert found[rejected["ref_a"]]["contact_id"] != found[rejected["ref_b"]]["contact_id"]

    page.goto(f"/contacts/{merged}/conflicts")
    records = page.locator("#records tbody")
    expect(records).to_contain_text(accepted["ref_a"])
    expect(records).to_contain_text(accepted["ref_b"])
    page.goto("/review")
    expect(page.locator(f"tr[data-pair='{pair_key(accepted['ref_a'], accepted['ref_b'])}']")).to_have_count(0)
    expect(page.locator(f"tr[data-pair='{pair_key(rejected['ref_a'], rejected['ref_b'])}']")).to_have_count(0)
    assert page.goto(pair_url(accepted["ref_a"], accepted["ref_b"])).status == 404  # no longer a review pair


def test_bulk_accept_decides_every_selected_pair_with_one_reason(sign_in, web_app):
    chosen = _disjoint_pairs(web_app, 2)
    page = sign_in("steward")
    page.goto("/review")
    for pair in chosen:
        page.locator(f"tr[data-pair='{pair_key(pair['ref_a'], pair['ref_b'])}'] input[type=checkbox]").check()
    page.get_by_label("Reason (optional)").fill("same person: clear from the e-mail addresses")
    screenshot(page, "review-bulk")
    page.get_by_role("button", name="Accept selected").click()
    expect(page.get_by_role("status")).to_contain_text("Accepted 2 pair(s)")
    for pair in chosen:
        expect(page.locator(f"tr[data-pair='{pair_key(pair['ref_a'], pair['ref_b'])}']")).to_have_count(0)
    decided = [d for d in web_app.store.decisions() if d.active and d.kind == "match"
               and frozenset(d.refs) in {frozenset((p["ref_a"], p["ref_b"])) for p in chosen}]
    assert len(decided) == 2 and {d.why for d in decided} == {"same person: clear from the e-mail addresses"}


def test_override_a_value_split_a_record_out_apply_now_and_undo_from_history(sign_in, web_app):
    merged = _merged_contacts(web_app)
    target = next((c for c in merged for f in c["conflicts"] if f["field"] in OVERRIDE_FIELDS and f["options"]),
                  None)
    assert target is not None, "the sample has a merged contact with a conflicting value"
    conflict = next(f for f in target["conflicts"] if f["field"] in OVERRIDE_FIELDS and f["options"])
    field, wanted = conflict["field"], conflict["options"][0]
    holding = [ref for a in conflict["alternatives"] if a["choice"] == wanted["choice"] for ref in a["refs"]]
    splitting = next(c for c in merged if len(c["refs"]) >= 3 and c["id"] != target["id"])
    leaving = sorted(splitting["refs"])[-1]
    contact_id = target["id"]

    page = sign_in("steward")
    page.goto(f"/contacts/{contact_id}/conflicts")
    section = page.locator(f"#field-{field}")
    expect(section.locator(".surviving")).to_have_text(conflict["value"])
    expect(section).to_contain_text(conflict["rule"])
    for ref in holding:
        expect(section).to_contain_text(ref)
    screenshot(page, "conflicts")
    section.get_by_label(f"Use {wanted['value']}", exact=True).check()
    section.get_by_label("Reason (optional)").fill("confirmed by phone")
    section.get_by_role("button", name=f"Save {field.replace('_', ' ')}").click()
    expect(page.get_by_role("status")).to_contain_text(f"{field} of {contact_id} is overridden")
    override = next(d for d in reversed(web_app.store.decisions()) if d.kind == "override")
    assert (override.contact_id, override.field, override.why) == (contact_id, field, "confirmed by phone")

    page.goto(f"/contacts/{splitting['id']}/conflicts")
    page.get_by_label("Record").select_option(leaving)
    page.get_by_role("button", name="Split out").click()
    expect(page.get_by_role("status")).to_contain_text(f"{leaving} leaves {splitting['id']}")

    page.goto(f"/contacts/{contact_id}/conflicts")
    _apply_now(page)
    expect(page).to_have_url(re.compile(f"/contacts/{contact_id}/conflicts"))
    expect(page.locator(f"#field-{field} .surviving")).to_have_text(wanted["value"])
    expect(page.locator(f"#field-{field}")).to_contain_text("steward override by steward-user")
    now = web_app.store.contacts_of_records([leaving, *sorted(splitting["refs"])[:-1]])
    assert now[leaving]["contact_id"] != splitting["id"]
    assert {now[r]["contact_id"] for r in sorted(splitting["refs"])[:-1]} == {splitting["id"]}
    screenshot(page, "conflicts-after-apply")

    row = page.locator(f"#decisions tr[data-decision='{override.decision_id}']")
    row.get_by_role("button", name=f"Undo {override.decision_id}").click()
    expect(page.get_by_role("status")).to_contain_text(f"Undid {override.decision_id}")
    expect(page.locator(f"#decisions tr[data-decision='{override.decision_id}']")).to_contain_text("undone")
    undone = next(d for d in web_app.store.decisions() if d.decision_id == override.decision_id)
    assert undone.revoked_by == "steward-user" and not undone.active
    actions = [(e.action, e.details.get("decision_id")) for e in AuditLog(web_app.home).entries()]
    assert ("decision undone", override.decision_id) in actions
    assert ("sync applied", None) in actions
    assert web_app.sync() in (0, 3)
    page.goto(f"/contacts/{contact_id}/conflicts")
    expect(page.locator(f"#field-{field} .surviving")).to_have_text(conflict["value"])


def test_a_steward_never_sees_a_restricted_contact_or_its_pairs(sign_in, web_app):
    every = _queue(web_app, spoc=True)
    waiting = _queue(web_app)
    hidden = [p for p in every if pair_key(p["ref_a"], p["ref_b"]) not in
              {pair_key(w["ref_a"], w["ref_b"]) for w in waiting}]
    assert hidden, "the sample has a review pair involving a restricted contact"
    restricted = _restricted_contact(web_app)
    page = sign_in("steward")
    pair = hidden[0]
    response = page.goto(pair_url(pair["ref_a"], pair["ref_b"]))
    assert response.status == 404
    assert pair["name_a"] not in page.content()
    assert page.goto(f"/contacts/{restricted}/conflicts").status == 404
    token = page.locator("form.signout input[name=csrf_token]").input_value()
    forged = page.request.post(pair_url(pair["ref_a"], pair["ref_b"]),
                               form={"csrf_token": token, "action": "accept", "reason": ""})
    assert forged.status == 404
    split = page.request.post(f"/contacts/{restricted}/split", form={"csrf_token": token, "ref": "x"})
    assert split.status == 404
    bulk = page.request.post("/review/bulk", form={"csrf_token": token, "action": "accept",
                                                   "pair": pair_key(pair["ref_a"], pair["ref_b"])})
    assert bulk.status == 400 and "None of the selected pairs" in bulk.text()
    assert not any(frozenset(d.refs) == frozenset((pair["ref_a"], pair["ref_b"])) for d in web_app.store.decisions())

    spoc = sign_in("spoc")
    assert spoc.goto(pair_url(pair["ref_a"], pair["ref_b"])).status == 200
    assert spoc.goto(f"/contacts/{restricted}/conflicts").status == 200
    expect(spoc.locator(".badge.restricted")).to_be_visible()


def _tab_to(page: Page, selector: str, limit: int = 40) -> None:
    target = page.locator(selector).first
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    pytest.fail(f"Tab never reached {selector}", pytrace=False)


def test_the_queue_can_be_worked_through_with_the_keyboard_alone(sign_in, web_app):
    page = sign_in("steward")
    page.goto("/review")
    _tab_to(page, "a[href^='/review/']")  # the first pair's Review link
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Pair 1 of")
    first = page.url

    _tab_to(page, "button[data-shortcut='s']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Pair 2 of")
    second = page.url
    assert second != first

    _tab_to(page, "#reason")
    page.keyboard.type("checked the keyholder list")
    _tab_to(page, "button[data-shortcut='a']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Accepted")
    assert page.url != second
    ref_a, ref_b = _refs_of(second)
    decision = next(d for d in web_app.store.decisions() if frozenset(d.refs) == frozenset((ref_a, ref_b)))
    assert (decision.kind, decision.why) == ("match", "checked the keyholder list")
    screenshot(page, "review-keyboard")
