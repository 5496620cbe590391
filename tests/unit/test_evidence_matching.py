"""Evidence rows (engagements, groups, sectors, surveys) matched by the resolver to the contacts it already
knows: never making a contact, never joining two, and refusing to guess between two who fit equally."""

from __future__ import annotations

from pathlib import Path

from resolution.resolve import resolve
from sources.load import load_source
from sources.model import SourceSpec
from sync.accounting import unaccounted_rows

CONTACTS = """Name,Organisation,Email,Mobile
John Smith,Acme Insurance Ltd,john.smith@acme-insurance.co.uk,07700900201
John Smith,Acme Insurance Ltd,jsmith.claims@acme-insurance.co.uk,07700900202
Ada Obi,Bishopsgate Trust,ada.obi@bishopsgatetrust.co.uk,07700900203
"""


def _batch(folder: Path, name: str, kind: str, text: str):
    path = folder / f"{name}.csv"
    path.write_text(text, encoding="utf-8")
    return load_source(SourceSpec(name=name, kind=kind, path=path, directorate="Cyber", label=path.name))


def _world(tmp_path: Path, diary: str):
    batches = [_batch(tmp_path, "contacts", "contacts", CONTACTS), _batch(tmp_path, "diary", "engagements", diary)]
    return batches, resolve(batches)


def test_each_row_takes_the_contact_it_names_and_every_row_is_accounted_for(tmp_path):
    batches, world = _world(tmp_path, "ID,Date,Name,Organisation,Email\n"
                                      "E1,01/02/2025,John Smith,Acme Insurance,john.smith@acme-insurance.co.uk\n"
                                      "E2,01/02/2025,,,ada.obi@bishopsgatetrust.co.uk\n"
                                      "E3,01/02/2025,,Bishopsgate Trust Ltd,\n")
    by_name = dict(zip(world.contacts["email"], world.contacts["contact_id"], strict=True))
    links = world.evidence_links.set_index("record_id")
    assert links.loc["E1", "contact_id"] == by_name["john.smith@acme-insurance.co.uk"]
    assert links.loc["E2", "contact_id"] == by_name["ada.obi@bishopsgatetrust.co.uk"]
    # an organisation named as the resolver would spell it ("Ltd" or not) is the known one
    trust = world.organisations.set_index("name").loc["Bishopsgate Trust", "organisation_id"]
    assert (links.loc["E3", "contact_id"], links.loc["E3", "organisation_id"]) == ("", trust)
    assert len(world.contacts) == 3
    assert unaccounted_rows(batches, world) == []


def test_a_row_that_fits_two_contacts_equally_is_quarantined_not_guessed(tmp_path):
    # two John Smiths at Acme Insurance (the resolver keeps them apart: their mailboxes and mobiles differ); a
    # group row's member is the person it names, so it cannot fall back on the organisation
    batches = [_batch(tmp_path, "contacts", "contacts", CONTACTS),
               _batch(tmp_path, "groups", "groups", "Group,Name,Organisation\nCoLCPA,John Smith,Acme Insurance\n")]
    world = resolve(batches)
    assert world.evidence_links.empty
    assert len(world.contacts) == 3
    reason = world.quarantine.set_index("record_id").loc["row-2", "reason"]
    assert reason.startswith("fits more than one contact equally well")


def test_evidence_never_joins_two_contacts_nor_makes_one(tmp_path):
    # the e-mail of one John Smith and the mobile of the other: the row goes to one, the two stay apart
    _, world = _world(tmp_path, "ID,Date,Name,Email,Mobile\n"
                                "E1,01/02/2025,John Smith,john.smith@acme-insurance.co.uk,07700900202\n"
                                "E2,01/02/2025,Nobody Known,nobody@example.org,\n")
    assert len(world.contacts) == 3
    assert set(world.evidence_links["record_id"]) <= {"E1"}
    assert world.quarantine.set_index("record_id").loc["E2", "code"] == "not_known"
