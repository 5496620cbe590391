"""What a stakeholder may type into the portal, checked field by field (pure: no I/O).

A person on the staff list is checked by the very builder that reads a directorate's contact list
(sources.records.contact_row): what the portal accepts is exactly what a sync will read back, and a value
the builder would drop is refused here with the builder's own reason, so nothing is half-saved.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Mapping, Sequence

from kernel.errors import UsageError
from sources.normalise.issues import ISSUES
from sources.normalise.numbers import parse_latitude, parse_longitude
from sources.normalise.phone import parse_phone
from sources.normalise.postcode import parse_postcode
from sources.records import contact_row

# the staff list's fields, in the order of the form and of a pasted line
PERSON_FIELDS = ("full_name", "job_title", "email", "mobile", "phone", "consent_email", "consent_sms")
LABELS = {"full_name": "Name", "job_title": "Job title", "email": "Email", "mobile": "Mobile", "phone": "Phone",
          "consent_email": "Agrees to email", "consent_sms": "Agrees to text messages"}
MAX_PASTED = 200  # people added at once: a whole staff directory pasted by mistake is refused, not half-kept
MAX_TEXT = 200
MAX_LONG_TEXT = 4000
REPORT_PAST = dt.timedelta(days=7)  # an event report is about what is happening, or has just happened
REPORT_AHEAD = dt.timedelta(minutes=15)  # clocks differ a little


class FormProblems(UsageError, ValueError):
    """Every problem with a form, per field (``problems``: field -> one sentence); for a pasted list, per
    line (``lines``: line number -> its problems)."""

    def __init__(self, problems: Mapping[str, str], lines: Mapping[int, str] | None = None) -> None:
        self.problems = dict(problems)
        self.lines = dict(lines or {})
        parts = [f"{LABELS.get(k, k)}: {v}" for k, v in self.problems.items()]
        parts += [f"line {n}: {text}" for n, text in sorted(self.lines.items())]
        super().__init__("; ".join(parts))


def _yes_no(value: object) -> str:
    """A form's consent choice: "yes", "no" or "" (not asked)."""
    text = str(value or "").strip().lower()
    return text if text in ("yes", "no") else ""


def person_cells(params: Mapping[str, object]) -> dict[str, str]:
    """The staff form's fields as text (what is kept, and shown again after a problem)."""
    cells = {name: str(params.get(name) or "").strip() for name in PERSON_FIELDS}
    cells["consent_email"], cells["consent_sms"] = _yes_no(cells["consent_email"]), _yes_no(cells["consent_sms"])
    return cells


def check_person(cells: Mapping[str, str]) -> dict[str, str]:
    """The person's cells as the portal keeps them, or FormProblems naming every field in error."""
    cells = person_cells(cells)
    problems: dict[str, str] = {}
    for name, value in cells.items():
        if len(value) > MAX_TEXT:
            problems[name] = f"Keep it to {MAX_TEXT} characters (it has {len(value)})."
    outcome = contact_row(cells)
    for _code, text in outcome.reasons:
        field, _, why = text.partition(": ")
        problems.setdefault(field if field in PERSON_FIELDS else "full_name",
                            _sentence(why if why else "Give the person's name."))
    for flag in outcome.flags:
        field, _, why = flag.partition(": ")
        problems.setdefault(field if field in PERSON_FIELDS else "full_name", _sentence(why))
    for channel, address in (("consent_email", "email"), ("consent_sms", "mobile")):
        if cells[channel] == "yes" and not cells[address]:
            problems.setdefault(address, f"Give the {LABELS[address].lower()} they agreed to be sent messages on.")
    if problems:
        raise FormProblems(problems)
    return cells


def parse_staff_list(text: str) -> list[dict[str, str]]:
    """People pasted as lines of "name, job title, email, mobile, phone, email yes/no, texts yes/no" (a
    header line of those labels is skipped): every line checked, all or nothing."""
    rows = [row for row in csv.reader(io.StringIO(text.strip())) if any(cell.strip() for cell in row)]
    if rows and [c.strip().lower() for c in rows[0]][:1] in (["name"], ["full name"], ["full_name"]):
        rows = rows[1:]
    if not rows:
        raise FormProblems({"staff_list": "Paste at least one line: name, job title, email, mobile."})
    if len(rows) > MAX_PASTED:
        raise FormProblems({"staff_list": f"That is {len(rows):,} people: add at most {MAX_PASTED} at a time, so "
                                          "that a list pasted by mistake is not kept. Nothing was added."})
    people, lines = [], {}
    for number, row in enumerate(rows, start=1):
        if len(row) > len(PERSON_FIELDS):
            lines[number] = f"{len(row)} values; a line has at most {len(PERSON_FIELDS)}"
            continue
        try:
            people.append(check_person(dict(zip(PERSON_FIELDS, (cell.strip() for cell in row), strict=False))))
        except FormProblems as problems:
            lines[number] = "; ".join(f"{LABELS[k].lower()}: {v}" for k, v in problems.problems.items())
    if lines:
        raise FormProblems({"staff_list": "Nothing was added: correct the lines below and paste them again."},
                           lines)
    return people


def check_details(params: Mapping[str, object], sectors: Sequence[str]) -> dict:
    """The organisation's own profile: what it does, its premises, sector, issues, hours and out-of-hours
    number."""
    issues = [str(v) for v in (params.get("issues") or ()) if str(v)]
    details = {"about": _text(params, "about"), "premises": _text(params, "premises"),
               "sector": _text(params, "sector"), "issues": list(dict.fromkeys(issues)),
               "opening_hours": _text(params, "opening_hours"), "out_of_hours": _text(params, "out_of_hours")}
    problems: dict[str, str] = {}
    for name in ("about", "premises"):
        if len(details[name]) > MAX_LONG_TEXT:
            problems[name] = f"Keep it to {MAX_LONG_TEXT} characters (it has {len(details[name])})."
    if len(details["opening_hours"]) > MAX_TEXT:
        problems["opening_hours"] = f"Keep it to {MAX_TEXT} characters."
    if details["sector"] and details["sector"] not in sectors:
        problems["sector"] = "Choose a sector from the list, or leave it empty."
    unknown = [i for i in details["issues"] if i not in ISSUES]
    if unknown:
        problems["issues"] = f"Not issues the force records: {', '.join(unknown)}."
    if details["out_of_hours"]:
        number, problem = parse_phone(details["out_of_hours"])
        if number is None:
            problems["out_of_hours"] = _sentence(problem or "not a phone number")
        else:
            details["out_of_hours"] = number
    if problems:
        raise FormProblems(problems)
    return details


def check_question(params: Mapping[str, object], directorates: Sequence[str]) -> dict:
    question = {"subject": _text(params, "subject"), "text": _text(params, "text"), "issue": _text(params, "issue"),
                "directorate": _text(params, "directorate")}
    problems: dict[str, str] = {}
    if not question["subject"]:
        problems["subject"] = "Say in a few words what the question is about."
    elif len(question["subject"]) > MAX_TEXT:
        problems["subject"] = f"Keep the subject to {MAX_TEXT} characters."
    if not question["text"]:
        problems["text"] = "Write the question."
    elif len(question["text"]) > MAX_LONG_TEXT:
        problems["text"] = f"Keep the question to {MAX_LONG_TEXT} characters (it has {len(question['text'])})."
    if question["issue"] and question["issue"] not in ISSUES:
        problems["issue"] = "Choose an issue from the list, or leave it empty."
    if question["directorate"] and question["directorate"] not in directorates:
        problems["directorate"] = "Choose a directorate from the list, or leave it empty."
    if problems:
        raise FormProblems(problems)
    return question


def check_answer(text: str) -> str:
    text = text.strip()
    if not text:
        raise FormProblems({"answer": "Write the answer."})
    if len(text) > MAX_LONG_TEXT:
        raise FormProblems({"answer": f"Keep the answer to {MAX_LONG_TEXT} characters (it has {len(text)})."})
    return text


def check_report(params: Mapping[str, object], now: dt.datetime) -> dict:
    """An event report: what, where (a UK postcode, or a point inside the UK) and when (default now, UTC)."""
    what, postcode_text = _text(params, "what"), _text(params, "postcode")
    lat_text, lon_text, when_text = _text(params, "latitude"), _text(params, "longitude"), _text(params, "when")
    problems: dict[str, str] = {}
    if not what:
        problems["what"] = "Say what is happening."
    elif len(what) > MAX_LONG_TEXT:
        problems["what"] = f"Keep it to {MAX_LONG_TEXT} characters (it has {len(what)})."
    postcode, problem = parse_postcode(postcode_text)
    if problem:
        problems["postcode"] = (f"{postcode_text!r} is not a UK postcode. Give the postcode where it is happening "
                                "(e.g. EC2V 7HH), or mark the place on the map.")
    latitude = longitude = None
    if lat_text or lon_text:
        latitude, lat_problem = parse_latitude(lat_text)
        longitude, lon_problem = parse_longitude(lon_text)
        if lat_problem or lon_problem or latitude is None or longitude is None:
            problems["where"] = "The point marked is not inside the UK: mark the place again, or give a postcode."
    if not problems.get("postcode") and not problems.get("where") and postcode is None and latitude is None:
        problems["where"] = "Say where: give a postcode or mark the place on the map."
    when = now
    if when_text:
        try:
            when = dt.datetime.fromisoformat(when_text)
            when = when.replace(tzinfo=dt.UTC) if when.tzinfo is None else when.astimezone(dt.UTC)
        except ValueError:
            problems["when"] = "Give the date and time it started, or leave it empty for now."
        else:
            if when > now + REPORT_AHEAD:
                problems["when"] = "That is in the future: report what is happening or has happened."
            elif when < now - REPORT_PAST:
                problems["when"] = "That is more than a week ago: tell your police contact directly instead."
    if problems:
        raise FormProblems(problems)
    return {"what": what, "postcode": postcode or "", "latitude": latitude, "longitude": longitude,
            "occurred_at": when.replace(microsecond=0).isoformat()}


def _text(params: Mapping[str, object], name: str) -> str:
    return str(params.get(name) or "").strip()


def _sentence(text: str) -> str:
    text = text.strip() or "not a value that can be kept"
    return text[0].upper() + text[1:] + ("" if text.endswith(".") else ".")
