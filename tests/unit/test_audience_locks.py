"""The audience's locks, pure parts: who a possible duplicate holds back, keyholder call lists, the filter
values the vocabularies know, the audit log's head and the command-line user."""

from __future__ import annotations

import json

import pytest

from accounts.audit import AuditLog
from accounts.users import AccountStore
from graph.audience import (
    KEYHOLDER_COLUMNS,
    AudienceFilter,
    audience_count_query,
    audience_query,
    held_contacts,
    left_out_reasons,
    pair_holds,
    shape_recipient,
    twin_holds,
)
from services.audience import UnknownFilterValues, known_filter
from services.command_line_user import NotAllowed, command_line_user
from web.review_logic import order_pairs

YES_2024 = {"consent_email": True, "consent_email_source": "a:1", "consent_email_at": "2024-01-10",
            "consent_sms": True, "consent_sms_source": "a:1", "consent_sms_at": "2024-01-10"}


def person(contact_id: str, **values: object) -> dict:
    base = {"id": contact_id, "restricted": False, "consent_email": False, "consent_email_source": "",
            "consent_email_at": "", "consent_sms": False, "consent_sms_source": "", "consent_sms_at": ""}
    return {**base, **values}


@pytest.mark.parametrize(("twin", "channels", "holds"), [
    (person("C-2", restricted=True), ("email",), True),  # a restricted twin holds on every channel
    (person("C-2", restricted=True), (), True),  # and for a keyholder call list too
    (person("C-2", consent_sms=False, consent_sms_source="b:1", consent_sms_at="2024-05-01"), ("sms",), True),
    (person("C-2", consent_sms=False, consent_sms_source="b:1", consent_sms_at="2024-05-01"), ("email",), False),
    (person("C-2", consent_sms=False, consent_sms_source="b:1", consent_sms_at="2024-05-01"), ("email", "sms"), True),
    (person("C-2", consent_sms=False, consent_sms_source="b:1", consent_sms_at="2023-05-01"), ("sms",), False),
    (person("C-2", consent_sms=False, consent_sms_source="b:1", consent_sms_at="2024-01-10"), ("sms",), True),  # a tie
    (person("C-2", consent_sms=False, consent_sms_source="", consent_sms_at=""), ("sms",), False),  # never asked
    (person("C-2", consent_sms=False, consent_sms_source="b:1", consent_sms_at="2024-05-01"), (), False),  # calls
])
def test_a_twin_holds_a_recipient_when_restricted_or_with_a_newer_no_on_the_channel(twin, channels, holds):
    assert twin_holds(person("C-1", **YES_2024), twin, channels) is holds


def test_an_undated_yes_is_older_than_any_no():
    undated = person("C-1", consent_sms=True, consent_sms_source="a:1", consent_sms_at="")
    assert twin_holds(undated, person("C-2", consent_sms=False, consent_sms_source="b:1", consent_sms_at=""),
                      ("sms",))


TWINS = [{"ref_a": "a:1", "ref_b": "b:1", "a": person("C-1", **YES_2024), "b": person("C-2", restricted=True)},
         {"ref_a": "a:3", "ref_b": "b:3", "a": person("C-3", **YES_2024), "b": person("C-4", **YES_2024)}]


@pytest.mark.parametrize(("f", "decided", "held"), [
    (AudienceFilter(), set(), ("C-1",)),
    (AudienceFilter(role="spoc"), set(), ()),  # a SPOC sees both and decides for themselves
    (AudienceFilter(), {frozenset(("b:1", "a:1"))}, ()),  # a steward's decision lifts the hold
    (AudienceFilter(keyholders=True), set(), ("C-1",)),
])
def test_held_contacts_are_those_a_pending_pair_holds(f, decided, held):
    assert held_contacts(TWINS, decided, f) == held


def test_pairs_that_hold_someone_are_known_for_the_review_queue():
    assert [pair_holds(row) for row in TWINS] == [True, False]


def test_restricted_contacts_are_not_even_candidates_of_a_count_for_messaging():
    query, params = audience_count_query(AudienceFilter(include_contacts=("C-1",), held_contacts=("C-9",)))
    assert "WHERE ($spoc OR NOT coalesce(c.restricted, false)) AND" in query
    assert "restricted" not in query.split("RETURN", 1)[1]
    assert params["held_contacts"] == ["C-9"]


def test_the_audience_leaves_out_whom_the_store_found_held_and_the_count_says_why():
    query, params = audience_query(AudienceFilter(held_contacts=("C-9",)))
    assert "NOT c.id IN $held_contacts" in query and params["held_contacts"] == ["C-9"]
    counts = {"held": 1, "candidates": 2, "selected": 1}
    assert left_out_reasons(counts, AudienceFilter()) == [("held until a steward reviews a possible duplicate", 1)]


KEYHOLDER_ROW = {"contact_id": "C-1", "name": "Robert Okafor", "email": "robert@acme.example",
                 "mobile": "+447700900123",
                 "phone": "+442076012222", "organisation": "Acme", "priority": "high", "consent_email": False,
                 "consent_sms": None, "source_records": ["k:1"],
                 "premises": [{"name": "Acme House", "address": ["1 Cornhill", "Floor 2"], "postcode": "EC2R 8AH",
                               "keyholder_order": 1},
                              {"name": "Acme Annexe", "address": [], "postcode": "EC2R 8AJ", "keyholder_order": -1}]}


def test_a_keyholder_line_rings_phone_and_mobile_and_names_the_premises_but_keeps_unconsented_channels_out():
    line = shape_recipient(KEYHOLDER_ROW, AudienceFilter(keyholders=True))
    assert set(line) == set(KEYHOLDER_COLUMNS)
    assert (line["email"], line["mobile"]) == ("", "")  # no to email, never asked about SMS
    assert (line["call_phone"], line["call_mobile"], line["phone"]) == ("+442076012222", "+447700900123",
                                                                         "+442076012222")
    assert line["premises_name"] == "Acme House; Acme Annexe"
    assert line["premises_address"] == "1 Cornhill, Floor 2; "
    assert line["premises_postcode"] == "EC2R 8AH; EC2R 8AJ"
    assert line["keyholder_order"] == "1; "
    consented = shape_recipient({**KEYHOLDER_ROW, "consent_email": True, "consent_sms": True},
                                AudienceFilter(keyholders=True))
    assert (consented["email"], consented["mobile"]) == ("robert@acme.example", "+447700900123")


class Wards:
    def audience_choices(self, kinds=("wards",)) -> dict:
        return {"wards": [["cornhill", "Cornhill"], ["farringdon within", "Farringdon Within"]]}


@pytest.mark.parametrize(("typed", "read"), [
    ({"issues": ("Protest",)}, {"issues": ("protest",)}),
    ({"issues": ("asb", "ASB", "anti-social behaviour")}, {"issues": ("anti_social_behaviour",)}),
    ({"issues": ("counter terrorism",)}, {"issues": ("terrorism",)}),
    ({"categories": ("Business", "partner agency", "Charity")},
     {"categories": ("business", "partner_agency", "voluntary_group")}),
    ({"wards": ("CORNHILL", "farringdon  within", "FarringdonWithin")}, {"wards": ("cornhill", "farringdon within")}),
])
def test_filter_values_are_read_in_any_case_and_as_synonyms(typed, read):
    f = known_filter(AudienceFilter(**typed), Wards())
    assert {name: getattr(f, name) for name in read} == read


@pytest.mark.parametrize(("typed", "said"), [
    ({"issues": ("proteset",)}, "unknown issue 'proteset'; the known issues are: anti_social_behaviour, crime"),
    ({"wards": ("Cornhil",)}, "unknown ward 'Cornhil'; the known wards are: Cornhill, Farringdon Within"),
    ({"categories": ("shop",)}, "unknown category 'shop'; the known categories are: business, resident"),
])
def test_unknown_filter_values_are_refused_with_the_known_ones(typed, said):
    with pytest.raises(UnknownFilterValues) as refused:
        known_filter(AudienceFilter(**typed), Wards())
    assert said in str(refused.value) and refused.value.exit_code == 2


def test_every_unknown_value_is_named_at_once():
    with pytest.raises(UnknownFilterValues) as refused:
        known_filter(AudienceFilter(issues=("protest", "proteset"), wards=("Cornhil",)), Wards())
    assert len(refused.value.problems) == 2 and "'protest'" not in str(refused.value)


def test_a_log_cut_short_is_reported_even_when_the_last_entry_is_deleted(tmp_path):
    log = AuditLog(tmp_path)
    for n in range(3):
        log.append("alice", "audience drawn", {"count": n})
    assert log.verify() is None
    assert oct(log.head_path.stat().st_mode & 0o777) == "0o600"
    lines = log.path.read_text().splitlines(keepends=True)
    log.path.write_text("".join(lines[:-1]))
    assert log.verify() == "the audit log ends at seq 2 but its head records seq 3: entries were removed from its end"
    log.path.write_text("")
    assert "is empty but its head records seq 3" in log.verify()


def test_an_entry_written_just_before_a_crash_left_the_head_behind_is_no_alarm(tmp_path):
    log = AuditLog(tmp_path)
    log.append("alice", "audience drawn", {})
    head = log.head_path.read_text()
    log.append("alice", "audience drawn", {})
    log.head_path.write_text(head)
    assert log.verify() is None
    assert json.loads(head)["seq"] == 1


@pytest.fixture
def accounts(tmp_path) -> AccountStore:
    store = AccountStore(tmp_path)
    store.add_user("priya", "messaging", "a long enough password")
    store.add_user("sam", "spoc", "a long enough password")
    store.set_disabled(store.add_user("old", "admin", "a long enough password").username)
    return store


def test_a_home_without_accounts_is_a_single_user_installation(tmp_path):
    user = command_line_user(AccountStore(tmp_path), "anyone")
    assert user.role is None and user.may("restricted") and user.may("users")
    assert not (tmp_path / "accounts.sqlite").exists(), "asking creates no accounts file"


def test_with_accounts_the_command_line_acts_with_the_accounts_role(accounts):
    priya = command_line_user(accounts, "priya")
    assert priya.may("audience") and not priya.may("restricted") and not priya.may("review")
    with pytest.raises(NotAllowed, match=r"priya \(messaging\) may not use --role spoc"):
        priya.require("restricted", "use --role spoc")
    assert command_line_user(accounts, "sam").may("restricted")


@pytest.mark.parametrize(("name", "said"), [
    ("nobody", "this home has accounts and none is named 'nobody'"),
    ("old", "the account old is disabled"),
])
def test_a_missing_or_disabled_account_may_do_nothing(accounts, name, said):
    with pytest.raises(NotAllowed, match=said) as refused:
        command_line_user(accounts, name)
    assert refused.value.exit_code == 1


@pytest.mark.parametrize("sort", ["uncertain", "consequence"])
def test_pairs_holding_someone_out_of_audiences_lead_the_review_queue_in_either_order(sort):
    pairs = [{"ref_a": f"s:{n}", "ref_b": f"t:{n}", "score": score, "holding": holding,
              "contact_a": {"priority_rank": rank, "records": 1, "issues": 0}, "contact_b": None}
             for n, (score, holding, rank) in enumerate([(9.0, False, 3), (5.0, True, 1), (7.0, False, 2),
                                                         (6.0, True, 2)])]
    probabilities = {"s:0|t:0": 0.5, "s:1|t:1": 0.99, "s:2|t:2": 0.6, "s:3|t:3": 0.9}
    ordered = [p["ref_a"] for p in order_pairs(pairs, probabilities, sort)]
    assert ordered == ["s:3", "s:1", "s:0", "s:2"]  # the holding pairs first, each part in the chosen order
