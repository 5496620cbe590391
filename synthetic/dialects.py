"""The house style of each synthetic list: file format, headers and how values are written.

Every header is one of the contract's synonyms (section 3) or is mapped by the
manifest's ``columns``; a few headers the pipeline should ignore are mixed in.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from synthetic.reference import ISSUE_SPELLINGS

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


@dataclass(frozen=True)
class Dialect:
    """How one source writes its rows. ``headers`` pairs header text with a canonical field
    ("" for a column the pipeline should ignore)."""

    source: str  # manifest source name
    kind: str  # contacts | keyholders | engagements | groups | sectors | surveys
    path: str  # relative to the output folder
    headers: tuple[tuple[str, str], ...]
    directorate: str | None = None
    encoding: str = "utf-8"  # for .csv: utf-8, utf-8-sig or cp1252
    sheet: str | None = None  # for .xlsx: the data sheet's name
    preceding_sheets: tuple[str, ...] = ()  # sheets before the data sheet
    columns: tuple[tuple[str, str], ...] = ()  # manifest `columns`: field -> header
    record_ids: str | None = None  # "ECD-{:05d}", "int" or "yearly"; None: rows are numbered
    blank_row_rate: float = 0.0  # .xlsx only
    name_forms: tuple[tuple[str, int], ...] = (("first_last", 1),)
    yes: tuple[object, ...] = ("Yes",)
    no: tuple[object, ...] = ("No",)
    priorities: tuple[object, object, object] = ("High", "Medium", "Low")
    issue_separator: str = "; "
    date_form: str = "dmy"  # cell | mixed | dmy | iso | long
    categories: dict[str, tuple[str, ...]] = field(default_factory=dict)
    affinity: dict[str, float] = field(default_factory=dict)  # category -> how often they are on this list
    keep_accents: bool = False
    notes: tuple[str, ...] = ()
    extras: dict[str, tuple[str, ...]] = field(default_factory=dict)  # ignored header -> values
    # canonical value -> how this file writes it: engagement types ("meeting" -> "Meeting"), scores ("5" -> 5)
    spellings: dict[str, tuple[object, ...]] = field(default_factory=dict)

    @property
    def fields(self) -> frozenset[str]:
        return frozenset(f for _, f in self.headers if f)

    @property
    def is_xlsx(self) -> bool:
        return self.path.endswith(".xlsx")

    def yes_no(self, rng: random.Random, value: bool | None) -> object:
        if value is None:
            return None
        return rng.choice(self.yes if value else self.no)

    def priority(self, value: str | None) -> object:
        return None if value is None else self.priorities[("high", "medium", "low").index(value)]

    def issues(self, rng: random.Random, issues: tuple[str, ...]) -> str | None:
        if not issues:
            return None
        return self.issue_separator.join(rng.choice(ISSUE_SPELLINGS[i]) for i in issues)

    def spell(self, rng: random.Random, value: str) -> object:
        """``value`` as this file writes it; the value itself when the file has no habit for it."""
        return rng.choice(self.spellings[value]) if value in self.spellings else value

    def category(self, rng: random.Random, category: str | None) -> str | None:
        return None if category is None else rng.choice(self.categories[category])

    def day(self, rng: random.Random, day: date | None) -> object:
        if day is None:
            return None
        form = self.date_form
        if form == "mixed":
            form = "cell" if rng.random() < 0.6 else "short"
        if form == "cell":
            return day
        if form == "iso":
            return day.isoformat()
        if form == "dmy":
            return f"{day:%d/%m/%Y}" if rng.random() < 0.8 else f"{day.day}/{day.month}/{day.year}"
        month = _MONTHS[day.month - 1]
        if form == "short" or rng.random() < 0.3:
            month = month[:3]
        return f"{day.day} {month} {day.year}"


_TITLE_CASE = {
    "business": ("Business",), "resident": ("Resident",), "partner_agency": ("Partner Agency",),
    "police": ("Police",), "voluntary_group": ("Charity",), "other": ("Other",),
}
_LOOSE = {
    "business": ("business", "Business", "BUSINESS"), "resident": ("resident", "Resident"),
    "partner_agency": ("partner", "Partner", "agency", "Partner agency"),
    "police": ("police", "Police force", "Law enforcement"),
    "voluntary_group": ("voluntary", "Community group", "charity"), "other": ("other", "Other"),
}
_GENERAL_NOTES = (
    "Met at ward briefing", "Prefers a phone call", "Attended Project Servator briefing",
    "Key contact for the building", "Part of the business crime reduction partnership",
    "Asked for CT awareness session", "Do not call before 9am", "Covers weekends", "New in post",
    "Chairs the local forum", "Sent welcome pack",
)


def contact_dialects() -> list[Dialect]:
    """The six directorate lists, each in its own house style."""
    return [
        Dialect(
            source="ecd-contacts", kind="contacts", directorate="Economic Crime",
            path="directorates/economic-crime.xlsx", sheet="Contacts", preceding_sheets=("Read Me",),
            record_ids="ECD-{:05d}", blank_row_rate=0.01,
            headers=(("Ref", "record_id"), ("Title", "title"), ("Forename", "first_name"),
                     ("Surname", "last_name"), ("Job Title", "job_title"), ("Company", "organisation"),
                     ("E-mail", "email"), ("Tel", "phone"), ("Mobile Number", "mobile"),
                     ("Address", "address_line_1"), ("Town", "town"), ("Post Code", "postcode"),
                     ("Stakeholder Type", "category"), ("Priority Level", "priority"), ("Interests", "issues"),
                     ("OK to email", "consent_email"), ("Text consent", "consent_sms"),
                     ("Sensitive", "restricted"), ("Last Contacted", "last_contacted"), ("Notes", "notes"),
                     ("Added By", "")),
            yes=("y", "Y", "x"), no=("n", "N"), priorities=("H", "M", "L"), issue_separator="; ",
            date_form="cell", categories=_TITLE_CASE,
            affinity={"business": 3, "resident": 0.3, "partner_agency": 1, "police": 2,
                      "voluntary_group": 0.3, "other": 1},
            notes=_GENERAL_NOTES + ("Victim of invoice fraud 2023", "Referred to Action Fraud"),
            extras={"Added By": ("DC Hughes", "DS Amin", "PC 4471", "Analyst team")},
        ),
        Dialect(
            source="ct-contacts", kind="contacts", directorate="Counter Terrorism",
            path="directorates/counter-terrorism.csv", encoding="cp1252",
            headers=(("Contact Name", "full_name"), ("Position", "job_title"), ("Organisation", "organisation"),
                     ("Email Address", "email"), ("Telephone", "phone"), ("Mobile", "mobile"),
                     ("Postcode", "postcode"), ("Category", "category"), ("Priority", "priority"),
                     ("Concerns", "issues"), ("Email Opt In", "consent_email"), ("SMS Opt In", "consent_sms"),
                     ("Restricted", "restricted"), ("Last Contact", "last_contacted"), ("Comments", "notes")),
            name_forms=(("last_first", 75), ("first_last", 25)),
            yes=("Yes", "Y"), no=("No", "N"), priorities=("1", "2", "3"), issue_separator=" / ",
            date_form="dmy", categories=_LOOSE, keep_accents=True,
            affinity={"business": 3, "resident": 0.5, "partner_agency": 2, "police": 3,
                      "voluntary_group": 0.5, "other": 1},
            notes=_GENERAL_NOTES + ("Reported £2,500 till theft", "Invoice fraud attempt (£48,000)",
                                    "Event budget £5k \u2013 wants hostile-vehicle advice",
                                    "ACT training booked for the team\u2019s new starters",
                                    "Met at Guildhall.\nFollow up on CCTV coverage"),
        ),
        Dialect(
            source="np-contacts", kind="contacts", directorate="Neighbourhood Policing",
            path="directorates/neighbourhood.xlsx", sheet="NPT Contacts", blank_row_rate=0.02,
            headers=(("Name", "full_name"), ("Role", "job_title"), ("Business", "organisation"),
                     ("Email", "email"), ("Phone", "phone"), ("Mobile", "mobile"),
                     ("Address Line 1", "address_line_1"), ("Address Line 2", "address_line_2"),
                     ("Postcode", "postcode"), ("Type", "category"), ("Priority", "priority"),
                     ("Issues", "issues"), ("Email Consent", "consent_email"), ("SMS Consent", "consent_sms"),
                     ("Restricted Record", "restricted"), ("Date Last Contacted", "last_contacted"),
                     ("Notes", "notes"), ("Ward Officer", "")),
            name_forms=(("title_first_last", 80), ("first_last", 20)),
            yes=("Yes", "yes", "YES"), no=("No", "no"), priorities=("High", "Medium", "Low"),
            issue_separator=", ", date_form="mixed", categories=_TITLE_CASE,
            affinity={"business": 2, "resident": 5, "partner_agency": 2, "police": 1,
                      "voluntary_group": 3, "other": 1},
            notes=_GENERAL_NOTES + ("Rough sleeping near the entrance", "Noise complaints from the bar"),
            extras={"Ward Officer": ("PC Adams", "PC Okoro", "PCSO Lewis", "PS Grant")},
        ),
        Dialect(
            source="roads-contacts", kind="contacts", directorate="Roads Policing",
            path="directorates/roads-policing.csv", encoding="utf-8-sig", record_ids="int",
            headers=(("Contact ID", "record_id"), ("First Name", "first_name"), ("Last Name", "last_name"),
                     ("Employer", "organisation"), ("Job Title", "job_title"), ("E-mail", "email"),
                     ("Work Phone", "phone"), ("Mobile Phone", "mobile"), ("Post Code", "postcode"),
                     ("Category", "category"), ("Priority", "priority"), ("Topics", "issues"),
                     ("Consent Email", "consent_email"), ("Consent SMS", "consent_sms"),
                     ("Last Updated", "last_contacted")),
            yes=("1", "TRUE"), no=("0", "FALSE"), priorities=("high", "medium", "low"), issue_separator=" | ",
            date_form="iso", categories=_LOOSE,
            affinity={"business": 1.5, "resident": 1, "partner_agency": 3, "police": 1,
                      "voluntary_group": 0.5, "other": 0.5},
        ),
        Dialect(
            source="cyber-contacts", kind="contacts", directorate="Cyber",
            path="directorates/cyber.xlsx", sheet="Contacts", record_ids="int", columns=(("full_name", "Person"),),
            headers=(("ID", "record_id"), ("Person", "full_name"), ("Firm", "organisation"), ("Role", "job_title"),
                     ("Email", "email"), ("Landline", "phone"), ("Cell", "mobile"), ("Postal Code", "postcode"),
                     ("Type", "category"), ("Priority", "priority"), ("Topics", "issues"),
                     ("OK to email", "consent_email"), ("Sensitive", "restricted"),
                     ("Last contacted", "last_contacted")),
            name_forms=(("first_last", 70), ("first_middle_last", 30)),
            yes=("Y", "x", "y"), no=("N", "n"), priorities=(1, 2, 3), issue_separator="/",
            date_form="cell", categories=_TITLE_CASE,
            affinity={"business": 2.5, "resident": 0.2, "partner_agency": 0.5, "police": 1,
                      "voluntary_group": 0.2, "other": 1},
        ),
        Dialect(
            source="partnerships-contacts", kind="contacts", directorate="Partnerships",
            path="directorates/partnerships.csv", record_ids="yearly",
            headers=(("Reference", "record_id"), ("Salutation", "title"), ("Given Name", "first_name"),
                     ("Family Name", "last_name"), ("Organization", "organisation"), ("Position", "job_title"),
                     ("Email", "email"), ("Phone", "phone"), ("Mobile", "mobile"), ("Street", "address_line_1"),
                     ("City", "town"), ("Postcode", "postcode"), ("Category", "category"),
                     ("Priority", "priority"), ("Issues", "issues"), ("Email Opt In", "consent_email"),
                     ("SMS Opt In", "consent_sms"), ("Restricted", "restricted"),
                     ("Last Contacted", "last_contacted"), ("Notes", "notes")),
            yes=("yes", "true", "Yes"), no=("no", "false", "No"), priorities=("High", "Medium", "Low"),
            issue_separator=";", date_form="long", categories=_LOOSE,
            affinity={"business": 0.7, "resident": 1, "partner_agency": 4, "police": 2,
                      "voluntary_group": 4, "other": 1},
            notes=_GENERAL_NOTES + ("Safer City Partnership member", "Hosts the quarterly forum"),
        ),
    ]


def keyholder_dialect() -> Dialect:
    """The City's keyholder database export: one row per keyholder of a premises."""
    return Dialect(
        source="city-keyholders", kind="keyholders", path="reference/keyholders.csv", record_ids="int",
        headers=(("Keyholder ID", "record_id"), ("UPRN", "premises_ref"), ("Premises Name", "premises_name"),
                 ("Address", "address_line_1"), ("Address 2", "address_line_2"), ("Postcode", "postcode"),
                 ("Occupier", "occupier"), ("Keyholder Name", "keyholder_name"),
                 ("Keyholder Telephone", "keyholder_phone"), ("Keyholder Mobile", "keyholder_mobile"),
                 ("Keyholder Email", "keyholder_email"), ("Order", "keyholder_order"),
                 ("Last Verified", "last_verified"), ("Alarm Company", "")),
        name_forms=(("title_first_last", 35), ("first_last", 33), ("initial", 14), ("last_first", 18)),
        date_form="dmy",
        extras={"Alarm Company": ("", "", "Redcare", "ADT", "Chubb", "Banham")},
    )
