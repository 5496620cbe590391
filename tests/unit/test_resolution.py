"""Behaviour of the resolver that a data steward would notice."""

from __future__ import annotations

import datetime as dt

from resolution.resolve import PreviousIdentities, resolve

from .resolution_helpers import batch


def contact_of(world, ref: str) -> str:
    links = world.record_links
    return links.loc[links["ref"] == ref, "contact_id"].item()


def test_nickname_and_typo_merge_across_directorates():
    ecd = batch("ecd", "contacts", [
        {"first_name": "Robert", "last_name": "Okafor", "organisation": "Acme Insurance Ltd",
         "email": "robert.okafor@acme.co.uk", "mobile": "+447700900123"}])
    ct = batch("ct", "contacts", [
        {"first_name": "Bob", "last_name": "Okafro", "organisation": "ACME Insurance Limited",
         "mobile": "+447700900123"}], directorate="Counter Terrorism")
    world = resolve([ecd, ct])
    assert contact_of(world, "ecd:row-2") == contact_of(world, "ct:row-2")
    assert len(world.contacts) == 1
    assert len(world.organisations) == 1


def test_namesakes_at_different_organisations_stay_apart():
    ecd = batch("ecd", "contacts", [
        {"first_name": "John", "last_name": "Smith", "organisation": "Barclays",
         "email": "john.smith@barclays.com"},
        {"first_name": "John", "last_name": "Smith", "organisation": "Lloyd's of London",
         "email": "john.smith@lloyds.com"}])
    world = resolve([ecd])
    assert contact_of(world, "ecd:row-2") != contact_of(world, "ecd:row-3")


def test_a_staff_list_row_joins_only_people_of_its_own_organisation_whatever_its_address():
    ecd = batch("ecd", "contacts", [
        {"first_name": "Dana", "last_name": "Wren", "organisation": "Barclays", "email": "dana.wren@barclays.com",
         "mobile": "+447700900321"}])
    typed = {"first_name": "Dana", "last_name": "Wren", "email": "dana.wren@barclays.com", "mobile": "+447700900321",
             "issues": []}
    theirs = batch("self-service", "self_service", [{**typed, "organisation": "Barclays", "record_id": "SS-1"}])
    other = batch("self-service", "self_service", [{**typed, "organisation": "Lloyd's of London",
                                                    "record_id": "SS-2"}])
    world = resolve([ecd, theirs])
    assert contact_of(world, "ecd:row-2") == contact_of(world, "self-service:SS-1")
    world = resolve([ecd, other])  # another organisation's list: its own person, not the police's record
    assert contact_of(world, "ecd:row-2") != contact_of(world, "self-service:SS-2")
    assert len(world.contacts) == 2


def test_shared_mailbox_does_not_merge_two_people():
    ecd = batch("ecd", "contacts", [
        {"first_name": "Priya", "last_name": "Shah", "organisation": "Guildhall Hotel",
         "email": "security@guildhall-hotel.co.uk"},
        {"first_name": "Tom", "last_name": "Baker", "organisation": "Guildhall Hotel",
         "email": "security@guildhall-hotel.co.uk"}])
    world = resolve([ecd])
    assert contact_of(world, "ecd:row-2") != contact_of(world, "ecd:row-3")


def test_consent_most_recent_explicit_value_wins_and_no_wins_a_tie():
    rows = [
        {"first_name": "Ada", "last_name": "Quist", "email": "ada@q.org", "consent_email": True,
         "consent_sms": True, "last_contacted": dt.date(2024, 1, 5)},
        {"first_name": "Ada", "last_name": "Quist", "email": "ada@q.org", "consent_email": False,
         "consent_sms": False, "last_contacted": dt.date(2023, 1, 5)},
        {"first_name": "Ada", "last_name": "Quist", "email": "ada@q.org", "consent_sms": False,
         "last_contacted": dt.date(2024, 1, 5)},
        {"first_name": "Ada", "last_name": "Quist", "email": "ada@q.org", "consent_email": False},
    ]
    world = resolve([batch("ecd", "contacts", rows)])
    contact = world.contacts.iloc[0]
    assert bool(contact["consent_email"]) is True  # the 2024 yes beats an older no and an undated no
    assert bool(contact["consent_sms"]) is False  # a yes and a no on the same date: no


def test_no_explicit_consent_means_no_consent_and_any_restricted_row_restricts():
    rows = [
        {"first_name": "Ada", "last_name": "Quist", "email": "ada@q.org", "restricted": False},
        {"first_name": "Ada", "last_name": "Quist", "email": "ada@q.org", "restricted": True},
    ]
    contact = resolve([batch("ecd", "contacts", rows)]).contacts.iloc[0]
    assert not contact["consent_email"] and not contact["consent_sms"]
    assert bool(contact["restricted"]) is True


def test_issues_union_and_highest_priority():
    rows = [
        {"first_name": "Ada", "last_name": "Quist", "email": "ada@q.org", "issues": ["protest"],
         "priority": "low"},
        {"first_name": "Ada", "last_name": "Quist", "email": "ada@q.org", "issues": ["fraud", "protest"],
         "priority": "high"},
    ]
    contact = resolve([batch("ecd", "contacts", rows)]).contacts.iloc[0]
    assert contact["issues"] == ["fraud", "protest"]
    assert contact["priority"] == "high"


def test_ids_are_stable_and_a_merge_keeps_the_oldest_id():
    first = batch("ecd", "contacts", [
        {"first_name": "Ada", "last_name": "Quist", "email": "ada@q.org"},
        {"first_name": "Ada", "last_name": "Quist", "mobile": "+447700900999"}])
    world = resolve([first])
    assert len(world.contacts) == 2
    previous = PreviousIdentities(contacts=dict(zip(world.record_links["ref"], world.record_links["contact_id"],
                                                    strict=True)))
    again = resolve([first], previous=previous)
    assert set(again.contacts["contact_id"]) == set(world.contacts["contact_id"])
    bridged = batch("ecd", "contacts", [
        {"first_name": "Ada", "last_name": "Quist", "email": "ada@q.org"},
        {"first_name": "Ada", "last_name": "Quist", "mobile": "+447700900999"},
        {"first_name": "Ada", "last_name": "Quist", "email": "ada@q.org", "mobile": "+447700900999"}])
    merged = resolve([bridged], previous=previous)
    assert len(merged.contacts) == 1
    assert merged.contacts["contact_id"].item() in set(world.contacts["contact_id"])


def test_keyholder_row_names_its_keyholder_and_occupier():
    ecd = batch("ecd", "contacts", [
        {"first_name": "Grace", "last_name": "Adeyemi", "organisation": "Cheapside Books Ltd",
         "mobile": "+447700900555", "postcode": "EC2V 6AA"}])
    keys = batch("keys", "keyholders", [
        {"premises_ref": "100023", "premises_name": "Cheapside Books", "postcode": "EC2V 6BB",
         "occupier": "Cheapside Books", "first_name": "Grace", "last_name": "Adeyemi",
         "mobile": "+447700900555", "keyholder_order": 1}])
    world = resolve([ecd, keys])
    assert contact_of(world, "ecd:row-2") == contact_of(world, "keys:row-2")
    links = world.record_links.set_index("ref")
    assert links.loc["keys:row-2", "organisation_id"] == links.loc["ecd:row-2", "organisation_id"]
    assert world.premises["occupier_id"].item() == links.loc["ecd:row-2", "organisation_id"]
