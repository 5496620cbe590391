"""The house style of each engagement-record file: diaries, groups, CSSC sectors and surveys.

Every header is one of the contract's section 8 synonyms for its kind, and no two files of a kind
use quite the same ones, as the directorate lists do (synthetic/dialects.py).
"""

from __future__ import annotations

from synthetic.dialects import Dialect
from synthetic.record_reference import ENGAGEMENT_TYPES, SCORE_WORDS

_TYPES = [name for name, _ in ENGAGEMENT_TYPES]
_TITLE_TYPES = {t: (t.capitalize(),) for t in _TYPES}
_LOWER_TYPES = {t: (t,) for t in _TYPES}
_MIXED_TYPES = {t: (t.capitalize(), t, t.upper()) for t in _TYPES}
_DIGIT_SCORES = {str(n): (str(n),) for n in range(1, 6)}
# Mostly the words, as the form's drop-down writes them; a few typed in as numbers.
_WORD_SCORES = {str(n): (word.capitalize(), word.capitalize(), word, n) for n, word in enumerate(SCORE_WORDS, 1)}

# Directorates that keep a diary of their own; the others log to one shared file with a directorate column.
_OWN_DIARIES = ("Economic Crime", "Neighbourhood Policing")


def engagement_dialects(directorates: list[str]) -> list[Dialect]:
    """The diaries for the directorates the dataset has: two of their own, and the shared log."""
    dialects = []
    if "Economic Crime" in directorates:
        dialects.append(Dialect(
            source="ecd-engagements", kind="engagements", directorate="Economic Crime",
            path="engagements/economic-crime-diary.xlsx", sheet="Diary", record_ids="ECD-E{:05d}",
            blank_row_rate=0.01,
            headers=(("Engagement ID", "record_id"), ("Date", "date"), ("Type", "engagement_type"),
                     ("Officer", "officer"), ("Contact Name", "full_name"), ("Company", "organisation"),
                     ("Email", "email"), ("Mobile", "mobile"), ("Subject", "subject"), ("Issues", "issues"),
                     ("Notes", "notes")),
            name_forms=(("first_last", 70), ("title_first_last", 30)), date_form="cell", issue_separator="; ",
            spellings=_TITLE_TYPES,
        ))
    if "Neighbourhood Policing" in directorates:
        dialects.append(Dialect(
            source="np-engagements", kind="engagements", directorate="Neighbourhood Policing",
            path="engagements/neighbourhood-diary.csv",
            headers=(("Meeting Date", "date"), ("Activity", "engagement_type"), ("Staff Member", "officer"),
                     ("First Name", "first_name"), ("Last Name", "last_name"), ("Mobile Number", "mobile"),
                     ("E-mail", "email"), ("Business", "organisation"), ("Topic", "subject"),
                     ("Concerns", "issues"), ("Outcome", "notes")),
            date_form="dmy", issue_separator=", ", spellings=_LOWER_TYPES,
        ))
    if any(d not in _OWN_DIARIES for d in directorates):
        dialects.append(Dialect(
            source="engagement-log", kind="engagements", path="engagements/engagement-log.csv",
            encoding="utf-8-sig", record_ids="int",
            headers=(("Record ID", "record_id"), ("When", "date"), ("Engagement Type", "engagement_type"),
                     ("Logged By", "officer"), ("Directorate", "directorate"), ("Name", "full_name"),
                     ("Email Address", "email"), ("Telephone", "phone"), ("Organization", "organisation"),
                     ("Title", "subject"), ("Issues", "issues"), ("Summary", "notes")),
            name_forms=(("first_last", 60), ("last_first", 40)), date_form="long", issue_separator=" / ",
            spellings=_MIXED_TYPES,
        ))
    return dialects


def shared_log_directorates(directorates: list[str]) -> list[str]:
    """The directorates that write to the shared engagement log rather than a diary of their own."""
    return [d for d in directorates if d not in _OWN_DIARIES]


def group_dialects() -> tuple[Dialect, Dialect]:
    """The priority groups' workbook, and the forums' membership list."""
    return (
        Dialect(
            source="stakeholder-groups", kind="groups", path="groups/stakeholder-groups.xlsx", sheet="Groups",
            headers=(("Group Name", "group"), ("Organisation", "organisation"), ("Contact Name", "full_name"),
                     ("Email", "email"), ("Mobile", "mobile"), ("Priority Stakeholder", "priority_stakeholder")),
            yes=("Yes", "Y"), no=("No",),
        ),
        Dialect(
            source="forum-members", kind="groups", path="groups/forum-members.csv",
            headers=(("Network", "group"), ("Company", "organisation"), ("First Name", "first_name"),
                     ("Surname", "last_name"), ("E-mail", "email"), ("Mobile Phone", "mobile"),
                     ("Key Stakeholder", "priority_stakeholder")),
            yes=("yes", "TRUE"), no=("no", "FALSE"),
        ),
    )


def sector_dialects() -> tuple[Dialect, Dialect]:
    """CSSC's member organisations by sector and hub, and the industry sector leads (ISLs) with deputies."""
    return (
        Dialect(
            source="cssc-sectors", kind="sectors", path="sectors/cssc-members.xlsx", sheet="Members",
            headers=(("Organisation", "organisation"), ("Industry Sector", "sector"), ("Regional Hub", "hub")),
        ),
        Dialect(
            source="sector-leads", kind="sectors", path="sectors/sector-leads.csv",
            headers=(("Sector", "sector"), ("Hub", "hub"), ("Company", "organisation"), ("Name", "full_name"),
                     ("Email", "email"), ("Mobile", "mobile"), ("ISL", "sector_lead")),
            name_forms=(("first_last", 80), ("title_first_last", 20)), yes=("Yes", "Y"), no=("No", "N"),
        ),
    )


def survey_dialects() -> tuple[Dialect, Dialect]:
    """The web satisfaction survey's export, and the alert-feedback form's workbook."""
    return (
        Dialect(
            source="satisfaction-survey", kind="surveys", path="surveys/satisfaction-survey.csv",
            record_ids="SR-{:05d}",
            headers=(("Response ID", "record_id"), ("Submitted", "date"), ("Rating", "score"),
                     ("Question", "question"), ("Comments", "comment"), ("Message ID", "message_id"),
                     ("Full Name", "full_name"), ("Email", "email"), ("Organisation", "organisation")),
            date_form="dmy", spellings=_DIGIT_SCORES,
        ),
        Dialect(
            source="alert-feedback", kind="surveys", path="surveys/alert-feedback.xlsx", sheet="Responses",
            record_ids="int",
            headers=(("ID", "record_id"), ("Response Date", "date"), ("Satisfaction", "score"),
                     ("Survey", "question"), ("Feedback", "comment"), ("Name", "full_name"), ("E-mail", "email"),
                     ("Mobile", "mobile")),
            date_form="cell", spellings=_WORD_SCORES,
        ),
    )
