"""What the portal accepts: each field checked as a sync would read it, lists all or nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.forms import FormProblems, check_details, check_person, check_question, check_report, parse_staff_list

NOW = dt.datetime(2026, 12, 2, 12, 0, tzinfo=dt.UTC)


def test_a_person_is_checked_field_by_field():
    with pytest.raises(FormProblems) as refused:
        check_person({"full_name": "", "email": "jane@", "mobile": "12345", "consent_sms": "yes"})
    assert set(refused.value.problems) == {"full_name", "email", "mobile"}
    kept = check_person({"full_name": "Jane Smith", "email": "Jane@Example.org", "consent_email": "YES"})
    assert kept["consent_email"] == "yes" and kept["consent_sms"] == ""


def test_consent_to_a_channel_needs_its_address():
    with pytest.raises(FormProblems) as refused:
        check_person({"full_name": "Jane Smith", "consent_sms": "yes"})
    assert "mobile" in refused.value.problems


def test_a_pasted_list_is_kept_whole_or_not_at_all():
    people = parse_staff_list("Name, Job title, Email\nAnn Lee, Manager, ann@example.org\n\nBob Ray,, bob@example.org")
    assert [p["full_name"] for p in people] == ["Ann Lee", "Bob Ray"]
    with pytest.raises(FormProblems) as refused:
        parse_staff_list("Ann Lee, Manager, ann@example.org\nBob Ray,, bob@\nCy Ho,,,0123")
    assert sorted(refused.value.lines) == [2, 3]


def test_a_directory_pasted_by_mistake_is_refused_with_its_size():
    pasted = "\n".join(f"Person {n}, Clerk, p{n}@example.org" for n in range(5000))
    with pytest.raises(FormProblems, match="5,000 people"):
        parse_staff_list(pasted)


@pytest.mark.parametrize(("params", "field"), [
    ({"what": "A march", "postcode": "75008"}, "postcode"),
    ({"what": "A march", "postcode": "10115 Berlin"}, "postcode"),
    ({"what": "A march", "latitude": "48.8566", "longitude": "2.3522"}, "where"),
    ({"what": "A march"}, "where"),
    ({"what": "", "postcode": "EC2V 7HH"}, "what"),
    ({"what": "A march", "postcode": "EC2V 7HH", "when": "2027-01-01T10:00"}, "when"),
])
def test_an_event_report_needs_what_and_a_place_in_the_uk(params, field):
    with pytest.raises(FormProblems) as refused:
        check_report(params, NOW)
    assert field in refused.value.problems


def test_an_event_report_in_the_uk_is_kept_with_its_time():
    kept = check_report({"what": "A march", "postcode": "ec2v7hh", "when": "2026-12-02T11:30"}, NOW)
    assert kept["postcode"] == "EC2V 7HH" and kept["occurred_at"] == "2026-12-02T11:30:00+00:00"
    point = check_report({"what": "A march", "latitude": "51.515", "longitude": "-0.092"}, NOW)
    assert (point["latitude"], point["longitude"]) == (51.515, -0.092)


def test_the_profile_and_questions_keep_to_the_known_choices():
    with pytest.raises(FormProblems) as refused:
        check_details({"sector": "Space", "issues": ["weather"], "out_of_hours": "12"}, ["Finance"])
    assert set(refused.value.problems) == {"sector", "issues", "out_of_hours"}
    kept = check_details({"sector": "Finance", "issues": ["protest"], "out_of_hours": "020 7946 0000"}, ["Finance"])
    assert kept["out_of_hours"] == "+442079460000"
    with pytest.raises(FormProblems) as question:
        check_question({"subject": "", "text": "", "directorate": "Nowhere"}, ["Economic Crime"])
    assert set(question.value.problems) == {"subject", "text", "directorate"}
