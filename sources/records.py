"""Turning one mapped row into normalised values, flags and (maybe) a quarantine reason.

One builder per kind. Builders never raise for bad data: an invalid value in a
usable row is dropped and flagged as "field: problem"; a row that cannot be used
at all (contract section 5) gets a reason instead.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from kernel.reasons import RowReason
from sources.normalise.booleans import parse_bool
from sources.normalise.category import parse_category
from sources.normalise.dates import parse_date
from sources.normalise.email import parse_email
from sources.normalise.engagement import parse_engagement_type, parse_past_date, parse_score
from sources.normalise.issues import parse_issues
from sources.normalise.mosaic import parse_mosaic_group, parse_mosaic_type
from sources.normalise.names import PersonName, parse_full_name, parse_name_parts, parse_title
from sources.normalise.numbers import parse_count, parse_latitude, parse_longitude, parse_order
from sources.normalise.phone import is_mobile, parse_phone
from sources.normalise.postcode import parse_postcode
from sources.normalise.priority import parse_priority
from sources.normalise.text import Cell, Parsed, clean_id, clean_notes, clean_text, is_blank

Cells = Mapping[str, Cell]  # canonical field -> raw cell; absent columns are simply missing


@dataclass
class RowOutcome:
    cells: Cells
    values: dict[str, object] = field(default_factory=dict)  # output column -> normalised value
    flags: list[str] = field(default_factory=list)  # "field: problem" for dropped values
    reasons: list[tuple[RowReason, str]] = field(default_factory=list)  # why the row is unusable; empty if usable

    def take(self, name: str, parse: Callable[[Cell], Parsed[object]]) -> object:
        """The field parsed, recording its problem (if any) as a flag on ``name``."""
        value, problem = parse(self.cells.get(name))
        if problem:
            self.flags.append(f"{name}: {problem}")
        return value

    def require(self, name: str, parse: Callable[[Cell], Parsed[object]]) -> object:
        """Like ``take``, but a blank or invalid value makes the row unusable."""
        value, problem = parse(self.cells.get(name))
        if problem:
            self.reasons.append((RowReason.INVALID_FIELD, f"{name}: {problem}"))
        elif value is None:
            self.reasons.append((RowReason.MISSING_FIELD, f"no {name}"))
        return value


def contact_row(cells: Cells) -> RowOutcome:
    """A directorate contact; ``directorate`` is added by the loader from the manifest."""
    out = RowOutcome(cells)
    _person(out, "full_name")
    out.values.update(
        job_title=clean_text(cells.get("job_title")),
        organisation=clean_text(cells.get("organisation")),
        address_line_1=clean_text(cells.get("address_line_1")),
        address_line_2=clean_text(cells.get("address_line_2")),
        town=clean_text(cells.get("town")),
        postcode=out.take("postcode", parse_postcode),
        category=out.take("category", parse_category),
        priority=out.take("priority", parse_priority),
        consent_email=out.take("consent_email", parse_bool),
        consent_sms=out.take("consent_sms", parse_bool),
        restricted=out.take("restricted", parse_bool),
        last_contacted=out.take("last_contacted", parse_date),
        notes=clean_notes(cells.get("notes")),
    )
    issues, problems = parse_issues(cells.get("issues"))
    out.values["issues"] = issues
    out.flags += [f"issues: {p}" for p in problems]
    _channels(out, email="email", phone="phone", mobile="mobile")
    return out


def keyholder_row(cells: Cells) -> RowOutcome:
    """A keyholder record: the premises, its occupier and the keyholder as a person."""
    out = RowOutcome(cells)
    _person(out, "keyholder_name")
    out.values.update(
        premises_ref=clean_id(cells.get("premises_ref")),
        premises_name=clean_text(cells.get("premises_name")),
        address_line_1=clean_text(cells.get("address_line_1")),
        address_line_2=clean_text(cells.get("address_line_2")),
        postcode=out.take("postcode", parse_postcode),
        occupier=clean_text(cells.get("occupier")),
        keyholder_order=out.take("keyholder_order", parse_order),
        last_verified=out.take("last_verified", parse_date),
    )
    _channels(out, email="keyholder_email", phone="keyholder_phone", mobile="keyholder_mobile")
    return out


def mosaic_row(cells: Cells) -> RowOutcome:
    """A postcode's Mosaic classification; the group defaults to the type's letter."""
    out = RowOutcome(cells)
    postcode = out.require("postcode", parse_postcode)
    mosaic_type = out.require("mosaic_type", parse_mosaic_type)
    households = out.take("households", parse_count)  # a bad count is dropped; the classification stands
    group = out.take("mosaic_group", parse_mosaic_group)
    if mosaic_type and group and group != mosaic_type[0]:
        out.flags.append(
            f"mosaic_group: {group!r} does not match type {mosaic_type!r}; using {mosaic_type[0]!r}"
        )
    out.values.update(
        postcode=postcode,
        mosaic_type=mosaic_type,
        mosaic_group=mosaic_type[0] if mosaic_type else group,
        households=households,
    )
    return out


def postcode_row(cells: Cells) -> RowOutcome:
    """A postcode centroid with its ward."""
    out = RowOutcome(cells)
    out.values.update(
        postcode=out.require("postcode", parse_postcode),
        latitude=out.require("latitude", parse_latitude),
        longitude=out.require("longitude", parse_longitude),
        ward=clean_text(cells.get("ward")),
        district=clean_text(cells.get("district")),
    )
    return out


def engagement_row(cells: Cells) -> RowOutcome:
    """A diary entry: who was engaged, when, how and about what."""
    out = RowOutcome(cells)
    out.values.update(
        date=out.require("date", parse_past_date),
        engagement_type=out.take("engagement_type", parse_engagement_type),
        officer=clean_text(cells.get("officer")),
        subject=clean_text(cells.get("subject")),
        notes=clean_notes(cells.get("notes")),
        directorate=clean_text(cells.get("directorate")),
    )
    issues, problems = parse_issues(cells.get("issues"))
    out.values["issues"] = issues
    out.flags += [f"issues: {p}" for p in problems]
    _named(out, "an engagement needs the person or organisation engaged")
    return out


def group_row(cells: Cells) -> RowOutcome:
    """One member of a named group: an organisation (all its people) or a person."""
    out = RowOutcome(cells)
    out.values.update(group=out.require("group", _text),
                      priority_stakeholder=out.take("priority_stakeholder", parse_bool) or False)
    _named(out, "a group member row needs the organisation or person who is the member")
    return out


def sector_row(cells: Cells) -> RowOutcome:
    """An organisation's industry sector and hub; with sector_lead, the person on the row leads it."""
    out = RowOutcome(cells)
    lead = out.take("sector_lead", parse_bool) or False
    sector = clean_text(cells.get("sector"))
    if sector is None:
        why = "no sector: a sector lead row needs the sector led" if lead else "no sector"
        out.reasons.append((RowReason.MISSING_FIELD, why))
    out.values.update(sector=sector, hub=clean_text(cells.get("hub")), sector_lead=lead)
    _named(out, "a sector row needs the organisation in the sector")
    if out.values.get("organisation") is None and not out.reasons:
        out.reasons.append((RowReason.MISSING_FIELD, "no organisation: a sector row places an organisation "
                                                     "in its sector"))
    if lead and out.values.get("full_name") is None and not out.values.get("email") and not out.reasons:
        out.reasons.append((RowReason.MISSING_FIELD, "sector_lead: yes, but the row names no person to lead"))
    return out


def survey_row(cells: Cells) -> RowOutcome:
    """A satisfaction survey response; naming nobody makes it anonymous, not unusable."""
    out = RowOutcome(cells)
    out.values.update(
        date=out.require("date", parse_past_date),
        score=out.require("score", parse_score),
        question=clean_text(cells.get("question")),
        comment=clean_notes(cells.get("comment")),
        message_id=clean_id(cells.get("message_id")),
    )
    _named(out, None)
    return out


BUILDERS: dict[str, Callable[[Cells], RowOutcome]] = {
    "contacts": contact_row,
    "keyholders": keyholder_row,
    "mosaic": mosaic_row,
    "postcodes": postcode_row,
    "engagements": engagement_row,
    "groups": group_row,
    "sectors": sector_row,
    "surveys": survey_row,
}


def _text(raw: Cell) -> Parsed[str]:
    return clean_text(raw), None


def _named(out: RowOutcome, nobody: str | None) -> None:
    """Who an evidence row names (data contract section 8): a person, an organisation, or both.
    ``nobody``: why a row naming no one is unusable (None: it is kept, as an anonymous survey is)."""
    cells = out.cells
    name, problems = parse_name_parts(cells.get("title"), cells.get("first_name"), cells.get("last_name"))
    out.flags += problems
    if name is None:
        name = out.take("full_name", parse_full_name) or PersonName(None, None, None, None)
    out.values.update(title=name.title, first_name=name.first_name, middle_name=name.middle_name,
                      last_name=name.last_name, full_name=name.full_name or None,
                      organisation=clean_text(cells.get("organisation")))
    _channels(out, email="email", phone="phone", mobile="mobile", required=False)
    named = any(out.values.get(f) for f in ("full_name", "organisation", "email", "mobile", "phone"))
    if not named and nobody is not None:
        out.reasons.append((RowReason.NAMES_NOBODY, f"names nobody: {nobody}"))



def _person(out: RowOutcome, full_name_field: str) -> None:
    """Name columns: separate first/last cells win; otherwise the one-cell name is parsed."""
    cells = out.cells
    name, problems = parse_name_parts(cells.get("title"), cells.get("first_name"), cells.get("last_name"))
    out.flags += problems
    if name is None:
        name = out.take(full_name_field, parse_full_name)
        title = parse_title(cells.get("title"))
        if name is not None and title:
            name = dataclasses.replace(name, title=title)
    if name is None:
        out.reasons.append((RowReason.NO_NAME, "no name"))
        name = PersonName(None, None, None, None)
    out.values.update(
        title=name.title,
        first_name=name.first_name,
        middle_name=name.middle_name,
        last_name=name.last_name,
        full_name=name.full_name or None,
    )


def _channels(out: RowOutcome, email: str, phone: str, mobile: str, required: bool = True) -> None:
    """Email, phone and mobile; mobiles and landlines end up in the right column.

    A mobile number in the phone column also fills an empty mobile column (so SMS can
    reach it); a landline in the mobile column moves to an empty phone column.
    """
    fields = (email, phone, mobile)
    email_value = out.take(email, parse_email)
    phone_value = out.take(phone, parse_phone)
    mobile_value = out.take(mobile, parse_phone)
    if mobile_value and not is_mobile(mobile_value):
        kept = "" if phone_value else "; kept as phone"
        out.flags.append(f"{mobile}: {mobile_value!r} is not a mobile number{kept}")
        phone_value, mobile_value = phone_value or mobile_value, None
    if phone_value and not mobile_value and is_mobile(phone_value):
        mobile_value = phone_value
    out.values.update(email=email_value, phone=phone_value, mobile=mobile_value)
    # Usable means some way to reach the person was written down, even if it did not parse.
    if required and all(is_blank(out.cells.get(f)) for f in fields):
        out.reasons.append((RowReason.NO_CONTACT_DETAILS, "no email, phone or mobile"))
