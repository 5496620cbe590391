"""The portal's own records: per-organisation rate limits that save nothing past the limit, and a staff
list that becomes the self_service source a sync reads."""

from __future__ import annotations

import pytest

from portal.self_service import self_service_batch
from portal.store import NotFound, PortalStore, RateLimited, RateLimits
from resolution.self_service import known_person_links

ANN = {"full_name": "Ann Lee", "job_title": "Manager", "email": "ann@example.org", "mobile": "", "phone": "",
       "consent_email": "yes", "consent_sms": ""}


def test_an_organisation_over_its_hourly_limit_saves_nothing_and_others_are_not_limited(tmp_path):
    store = PortalStore(tmp_path, RateLimits(changes_per_hour=3, posts_per_hour=1))
    store.add_staff("O-1", "keeper", [ANN, ANN])
    with pytest.raises(RateLimited, match="Nothing was saved"):
        store.add_staff("O-1", "keeper", [ANN, ANN])
    assert len(store.staff("O-1")) == 2
    store.add_staff("O-2", "other", [ANN, ANN, ANN])
    question = {"subject": "s", "text": "t", "issue": "", "directorate": ""}
    store.ask("O-1", "keeper", question)
    with pytest.raises(RateLimited):
        store.ask("O-1", "keeper", question)
    assert len(store.questions("O-1")) == 1


def test_another_organisations_entry_is_not_found(tmp_path):
    store = PortalStore(tmp_path)
    entry = store.add_staff("O-1", "keeper", [ANN])[0]
    with pytest.raises(NotFound):
        store.change_staff("O-2", entry.entry_id, "intruder", ANN)
    with pytest.raises(NotFound):
        store.end_staff("O-2", entry.entry_id, "intruder")
    assert store.entry("O-1", entry.entry_id).cells == ANN


def test_the_staff_list_is_a_source_of_contact_rows_with_their_provenance(tmp_path):
    store = PortalStore(tmp_path)
    added = store.add_staff("O-1", "keeper", [ANN])[0]
    known = store.add_staff("O-1", "keeper", [{**ANN, "full_name": "Bo Ray", "email": "bo@example.org"}],
                            contact_id="C-9", known_ref="ecd:17")[0]
    gone = store.add_staff("O-2", "other", [{**ANN, "full_name": "Cy Ho"}])[0]
    store.end_staff("O-2", gone.entry_id, "other")
    batch = self_service_batch(store.path, store.staff(), {"O-1": "Acme Ltd"}, {"O-1": ["protest"]})
    rows = batch.rows.set_index("record_id")
    assert list(rows.index) == [added.entry_id, known.entry_id]
    assert rows.loc[added.entry_id, "organisation"] == "Acme Ltd"
    assert rows.loc[added.entry_id, "consent_email"] is True
    assert rows.loc[added.entry_id, "issues"] == ["protest"]
    assert rows.loc[added.entry_id, "changed_by"] == "keeper"
    links = known_person_links([batch])
    assert [d.refs for d in links] == [(f"self-service:{known.entry_id}", "ecd:17")]


def test_an_entry_whose_organisation_left_the_graph_is_quarantined_not_dropped(tmp_path):
    store = PortalStore(tmp_path)
    store.add_staff("O-gone", "keeper", [ANN])
    batch = self_service_batch(store.path, store.staff(), {}, {})
    assert batch.rows.empty and len(batch.quarantine) == 1
    assert "no longer in the graph" in batch.quarantine.iloc[0]["reason"]


def test_the_sensors_stamp_moves_with_every_staff_or_profile_change(tmp_path):
    store = PortalStore(tmp_path)
    assert store.change_stamp() == ""
    entry = store.add_staff("O-1", "keeper", [ANN])[0]
    stamps = [store.change_stamp()]
    store.save_details("O-1", "keeper", {"about": "A bank"})
    stamps.append(store.change_stamp())
    store.end_staff("O-1", entry.entry_id, "keeper")
    stamps.append(store.change_stamp())
    assert len(set(stamps)) == 3
    store.ask("O-1", "keeper", {"subject": "s", "text": "t", "issue": "", "directorate": ""})
    assert store.change_stamp() == stamps[-1]  # a question is not a source: no sync for it
