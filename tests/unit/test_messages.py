"""The message rules, pure: who may take which step, placeholders, SMS segments, durations, and how
what comes back from messages weighs on consent."""

from __future__ import annotations

import datetime as dt

import pytest

from kernel.errors import UsageError
from messages.model import Message
from messages.text import TemplateError, check_sms, parse_duration, personalise, placeholders, sms_segments
from messages.workflow import SINGLE_USER, TransitionError, check
from resolution.channel_events import (
    OPT_OUT,
    UNDELIVERABLE,
    ChannelEvent,
    by_address,
    consent_rows,
    without_undeliverable,
)
from resolution.survivorship import decide_consent


def _message(state: str = "submitted", grade: int = 3, author: str = "ann") -> Message:
    return Message("M-1", "spontaneous", grade, "T", "B", ("email",), {}, author, state=state)


@pytest.mark.parametrize(("state", "grade", "action", "user", "role", "allowed"), [
    ("draft", 3, "submit", "ann", "messaging", True),
    ("draft", 3, "authorise", "ivan", "inspector", False),  # not submitted yet
    ("submitted", 2, "authorise", "ivan", "inspector", True),
    ("submitted", 2, "authorise", "sam", "spoc", False),  # grades 1-2 need an inspector
    ("submitted", 3, "authorise", "sam", "spoc", True),
    ("submitted", 3, "authorise", "ann", "spoc", False),  # never the author
    ("submitted", 1, "authorise", "ann", "inspector", False),
    ("submitted", 3, "authorise", "bea", "messaging", False),
    ("submitted", 3, "reject", "ivan", "inspector", True),
    ("authorised", 3, "issue", "ann", "messaging", True),
    ("authorised", 3, "issue", "sue", "steward", False),
    ("issued", 3, "issue", "ann", "messaging", False),  # issued twice
    ("issued", 3, "update", "ann", "messaging", True),
    ("closed", 3, "update", "ann", "messaging", False),
    ("issued", 3, "withdraw", "ann", "messaging", False),
    ("submitted", 1, "authorise", "ann", SINGLE_USER, True),  # a home without accounts: its one operator
])
def test_who_may_take_which_step(state, grade, action, user, role, allowed):
    message = _message(state, grade)
    why = "a reason" if action in ("reject", "withdraw") else ""
    if allowed:
        assert check(message, action, user, role, why).action == action
    else:
        with pytest.raises(TransitionError):
            check(message, action, user, role, why)


def test_a_rejection_needs_a_reason():
    with pytest.raises(TransitionError, match="--why"):
        check(_message(), "reject", "ivan", "inspector", "  ")


def test_placeholders_are_known_names_only():
    assert placeholders("Dear {first_name}, see {reference}") == ["first_name", "reference"]
    with pytest.raises(TemplateError, match=r"\{firstname\}"):
        placeholders("Dear {firstname}")
    with pytest.raises(TemplateError, match="stray brace"):
        placeholders("Dear {first_name")
    assert personalise("Dear {first_name}{name}.", {"first_name": "Ann"}) == "Dear Ann."


@pytest.mark.parametrize(("text", "expected"), [
    ("a" * 160, (160, 1, "GSM-7")),
    ("a" * 161, (161, 2, "GSM-7")),
    ("a" * 306, (306, 2, "GSM-7")),
    ("a" * 307, (307, 3, "GSM-7")),
    ("€" * 80, (160, 1, "GSM-7")),  # the euro sign takes two septets
    ("ü" * 160, (160, 1, "GSM-7")),
    ("ł" * 70, (70, 1, "UCS-2")),
    ("ł" * 71, (71, 2, "UCS-2")),
])
def test_sms_segments(text, expected):
    assert sms_segments(text) == expected


def test_an_sms_over_the_forces_limit_is_refused():
    check_sms("a" * 459, 3)
    with pytest.raises(TemplateError, match="4 segments"):
        check_sms("a" * 460, 3)


@pytest.mark.parametrize(("text", "minutes"), [("30m", 30), ("2h", 120), ("1 day", 1440), ("45 minutes", 45)])
def test_durations(text, minutes):
    assert parse_duration(text) == dt.timedelta(minutes=minutes)


@pytest.mark.parametrize("text", ["soon", "0m", "-5m", "1w"])
def test_a_duration_that_is_not_one(text):
    with pytest.raises(UsageError):
        parse_duration(text)


ROWS = [{"ref": "ecd:1", "date": dt.date(2024, 4, 3), "consent_sms": True, "consent_email": True,
         "mobile": "+447700900123", "email": "ann@acme.co.uk"}]


def test_a_stop_is_a_dated_no_that_a_later_yes_overrides():
    events = by_address([ChannelEvent(OPT_OUT, "sms", "+447700900123", dt.date(2024, 5, 1), "SMS reply STOP")])
    said = consent_rows(ROWS, events)
    assert decide_consent(ROWS + said, "consent_sms").value is False
    assert decide_consent(ROWS + said, "consent_email").value is True  # the other channel is untouched
    later = [{**ROWS[0], "ref": "ct:2", "date": dt.date(2024, 6, 1)}]
    assert decide_consent(ROWS + later + said, "consent_sms").value is True  # the newest explicit value wins


def test_an_undeliverable_address_is_not_offered():
    events = by_address([ChannelEvent(UNDELIVERABLE, "email", "ann@acme.co.uk", dt.date(2024, 5, 1), "M-1")])
    assert without_undeliverable(ROWS, events)[0]["email"] == ""
    assert without_undeliverable(ROWS, events)[0]["mobile"] == "+447700900123"


def test_the_feeds_carry_only_public_issued_messages_without_names():
    import json
    import xml.etree.ElementTree as ET

    from delivery.feeds import app_feed, social_feed

    public = Message("M-2", "spontaneous", 2, "Protest", "Avoid {area} ({reference}). Dear {first_name}" + "x" * 300,
                     ("sms", "app", "social"), {"wards": ["cornhill"], "area": ["Cornhill"]}, "ann", state="issued",
                     public=True, issued_at="2026-12-01T10:00:00+00:00")
    private = Message("M-3", "spontaneous", 2, "Secret", "Only for partners", ("email", "app"), {}, "ann",
                      state="issued", issued_at="2026-12-01T11:00:00+00:00")
    draft = Message("M-4", "spontaneous", 2, "Draft", "Not yet", ("app",), {}, "ann", state="draft", public=True)
    items = app_feed([public, private, draft])["items"]
    assert [i["id"] for i in items] == ["M-2"] and items[0]["content_text"].startswith("Avoid Cornhill (M-2). Dear x")
    json.dumps(items)
    entries = ET.fromstring(social_feed([public, private, draft])).findall("{http://www.w3.org/2005/Atom}entry")
    assert len(entries) == 1
    summary = entries[0].find("{http://www.w3.org/2005/Atom}summary").text
    assert len(summary) == 280 and summary.endswith("…")


def test_the_profiles_consent_history_lists_rows_and_replies_newest_first():
    from web.profile_view import consent_history

    history = consent_history([
        {"channel": "sms", "value": False, "stated_on_rows": [{"ref": "ecd:1", "value": True, "date": "2024-04-03"}],
         "came_back": [{"kind": "opt_out", "source": "SMS reply STOP (a1)", "date": "2024-05-01"}]},
        {"channel": "email", "value": True, "stated_on_rows": [{"ref": "ct:2", "value": True, "date": None}],
         "came_back": [{"kind": "undeliverable", "source": "M-1 email permanent failure", "date": "2024-06-01"}]}])
    assert [(h["value"], h["source"]) for h in history] == [
        ("address undeliverable", "M-1 email permanent failure"), ("no", "SMS reply STOP (a1)"), ("yes", "ecd:1"),
        ("yes", "ct:2")]
