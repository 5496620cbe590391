"""The profile's timeline and the engagement form's checks (pure): one list newest first, notes only for
stewards and the author, pages of 100, and every field's problem in words."""

from __future__ import annotations

import datetime as dt

import pytest
from starlette.datastructures import ImmutableMultiDict

from services.engagements import EngagementForm, EngagementProblems, check
from web.profile_view import timeline, timeline_page

TODAY = dt.date(2026, 3, 20)


def _engagement(ref: str, date: str, author: str | None = None, notes: str = "private words") -> dict:
    return {"ref": ref, "type": "call", "date": date, "officer": "PC Smith", "directorate": "Cyber",
            "subject": f"about {ref}", "issues": ["fraud"], "notes": notes, "origin": "web" if author else "source",
            "author": author}


EXPORT = {
    "engagements": [_engagement("diary:E1", "2026-03-12"), _engagement("web:E-1", "2026-03-15", author="alice")],
    "messages": [{"message_id": "M-1", "title": "Road closed", "channel": "sms", "status": "delivered",
                  "at": "2026-03-14T09:30:00+00:00", "version": 1},
                 {"message_id": "M-2", "title": "Pending", "channel": "email", "status": "pending", "at": "",
                  "version": 0}],
    "survey_responses": [{"ref": "surveys:S1", "date": "2026-03-01", "score": 4, "question": "How satisfied",
                          "comment": "Fine"}],
    "decisions": [{"decision_id": "D-1", "text": "match: a and b are one person", "who": "sam",
                   "at": "2026-03-16T10:00:00+00:00"}],
    "lineage": {"events": [{"at": "2026-03-02T02:00:00+00:00", "text": "minted for ecd:E1"}]},
    "source_rows": [], "audiences": [],
}


def test_every_kind_is_in_one_list_newest_first_undated_last():
    items = timeline(EXPORT)
    assert [(i.kind, i.date[:10]) for i in items] == [
        ("Steward decision", "2026-03-16"), ("Engagement", "2026-03-15"), ("Message", "2026-03-14"),
        ("Engagement", "2026-03-12"), ("ID event", "2026-03-02"), ("Survey response", "2026-03-01"),
        ("Message", "")]
    assert items[2].what == "“Road closed” by SMS: delivered" and items[2].when == "2026-03-14 09:30"
    assert items[-1].when == "undated"
    assert dict(items[5].details) == {"Question": "How satisfied", "Comment": "Fine"}


@pytest.mark.parametrize(("viewer", "steward", "shown"), [
    ("alice", False, {"web:E-1"}), ("bob", False, set()), ("bob", True, {"diary:E1", "web:E-1"}),
    ("", False, set())])
def test_notes_are_for_stewards_and_the_engagements_author(viewer, steward, shown):
    items = [i for i in timeline(EXPORT, viewer, steward) if i.kind == "Engagement"]
    assert {i.source.split()[0] for i in items if ("Notes", "private words") in i.details} == shown


def test_a_long_timeline_goes_in_pages_of_a_hundred():
    items = timeline({"engagements": [_engagement(f"diary:E{n}", f"2025-{1 + n % 12:02d}-01") for n in range(250)]})
    first, last = timeline_page(items, 1), timeline_page(items, 3)
    assert (first.number, first.pages, first.total, first.first, first.last, len(first.items)) == (1, 3, 250, 1,
                                                                                                    100, 100)
    assert (last.first, last.last, len(last.items)) == (201, 250, 50)
    assert timeline_page(items, 99).number == 3 and timeline_page(items, -4).number == 1
    assert timeline_page([], 1).first == 0 and timeline_page([], 1).pages == 1


def _form(**fields) -> EngagementForm:
    values = {"type": "meeting", "date": "2026-03-19", "subject": "Briefing", **fields}
    return EngagementForm.from_params(ImmutableMultiDict(
        [(k, v) for k, value in values.items() for v in (value if isinstance(value, list) else [value])]))


def test_a_good_form_becomes_the_engagements_fields():
    fields = check(_form(issues=["fraud", "crime", "fraud"], directorate="Cyber", date="19/03/2026"), ["Cyber"], TODAY)
    assert fields == {"type": "meeting", "date": "2026-03-19", "subject": "Briefing", "issues": ["fraud", "crime"],
                      "directorate": "Cyber", "notes": ""}
    assert check(_form(date=TODAY.isoformat()), [], TODAY)["date"] == "2026-03-20"


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"date": "2026-03-21"}, "date", "21/03/2026 is in the future: log an engagement once it has happened "
                                     "(today is 20/03/2026)."),
    ({"date": "15/03/2099"}, "date", "15/03/2099 is in the future: log an engagement once it has happened"),
    ({"date": ""}, "date", "Give the date it happened"),
    ({"date": "next tuesday"}, "date", "is not a date"),
    ({"type": "lunch"}, "type", "one of meeting, call"),
    ({"subject": ""}, "subject", "Say in a few words"),
    ({"subject": "x" * 201}, "subject", "200 characters"),
    ({"issues": ["parking"]}, "issues", "parking"),
    ({"directorate": "Nowhere"}, "directorate", "not a directorate the graph knows"),
    ({"notes": "n" * 4001}, "notes", "4000 characters"),
])
def test_each_problem_is_named_by_its_field(fields, field, message):
    with pytest.raises(EngagementProblems) as raised:
        check(_form(**fields), ["Cyber"], TODAY)
    assert list(raised.value.problems) == [field]
    assert message in raised.value.problems[field]


def test_every_field_in_error_is_reported_at_once_in_form_order():
    with pytest.raises(EngagementProblems) as raised:
        check(_form(type="lunch", date="2030-01-01", subject=""), [], TODAY)
    assert list(raised.value.problems) == ["type", "date", "subject"]
