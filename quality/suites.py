"""Great Expectations suites for each source kind, with each check marked blocking or warning.

A blocking check that fails holds the whole source back for the run (contract
section 5); a warning is reported but the source still loads. The checks read
the normalised ``SourceBatch.rows`` columns (sources/model.py), so they test
what the readers produced, not the raw spreadsheets.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from quality._gx import import_gx
from sources.model import COLUMNS_BY_KIND, KINDS
from sources.normalise.engagement import ENGAGEMENT_TYPES

if TYPE_CHECKING:
    from great_expectations import ExpectationSuite
    from great_expectations.expectations import Expectation

EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
UK_POSTCODE_PATTERN = r"^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$"
E164_PATTERN = r"^\+[1-9][0-9]{7,14}$"
# non-capturing: GX runs pandas str.contains, which warns about capture groups
MOSAIC_TYPE_PATTERN = r"^[A-O](?:0[1-9]|[1-5][0-9]|6[0-6])$"
MOSAIC_GROUPS = tuple("ABCDEFGHIJKLMNO")
CATEGORIES = ("business", "resident", "partner_agency", "police", "voluntary_group", "other")
PRIORITIES = ("high", "medium", "low")
# Great Britain and Northern Ireland with a margin; the Channel Islands fall outside.
UK_LATITUDE = (49.0, 61.0)
UK_LONGITUDE = (-8.7, 2.0)

LIST_COLUMNS = ("flags", "issues")  # lists of str: GX cannot compare them, so they are dropped
DATE_COLUMNS = ("last_contacted", "last_verified", "date")
# Columns derived from the rows before validation, because GX has no "any of these is set" rule.
HAS_CHANNEL = "has_channel"  # email, mobile or phone present
MOSAIC_TYPE_GROUP = "mosaic_type_group"  # the group letter that mosaic_type implies


@dataclass(frozen=True)
class Check:
    """One expectation with what it means for the run."""

    name: str  # stable key, also stored in the expectation's meta["check"]
    blocking: bool
    description: str  # what is expected, in a data steward's words
    expectation: Expectation


def expected_columns(kind: str) -> list[str]:
    """The columns of a normalised batch of this kind that the suite can see."""
    return [c for c in COLUMNS_BY_KIND[kind] if c not in LIST_COLUMNS]


def checks_for(kind: str, *, today: dt.date | None = None) -> list[Check]:
    """Fresh checks (new expectation objects) for one source kind.

    today: the date after which a contact or verification date counts as in the future.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown source kind {kind!r}; expected one of {', '.join(KINDS)}")
    gxe = import_gx().expectations

    def check(name: str, blocking: bool, description: str, expectation_type: type, **kwargs) -> Check:
        return Check(name, blocking, description, expectation_type(meta={"check": name}, **kwargs))

    latest = pd.Timestamp(today or dt.date.today())
    checks = [
        check("columns_present", True, "the reader produced every column this kind of source needs",
              gxe.ExpectTableColumnsToMatchSet, column_set=expected_columns(kind), exact_match=False),
        check("ref_not_null", True, "every row has a record reference",
              gxe.ExpectColumnValuesToNotBeNull, column="ref"),
        check("ref_unique", True, "no record reference (record id) is used twice",
              gxe.ExpectColumnValuesToBeUnique, column="ref"),
    ]
    if kind in ("contacts", "keyholders"):
        who = "contact" if kind == "contacts" else "keyholder"
        date_column = "last_contacted" if kind == "contacts" else "last_verified"
        checks += [
            check("full_name_not_null", True, f"every row names the {who}",
                  gxe.ExpectColumnValuesToNotBeNull, column="full_name"),
            check("email_format", False, "at least 95% of emails look like name@domain.tld",
                  gxe.ExpectColumnValuesToMatchRegex, column="email", regex=EMAIL_PATTERN, mostly=0.95),
            check("phone_format", False, "at least 95% of phone numbers are in international (E.164) form",
                  gxe.ExpectColumnValuesToMatchRegex, column="phone", regex=E164_PATTERN, mostly=0.95),
            check("mobile_format", False, "at least 95% of mobile numbers are in international (E.164) form",
                  gxe.ExpectColumnValuesToMatchRegex, column="mobile", regex=E164_PATTERN, mostly=0.95),
            check("postcode_format", False, "at least 95% of postcodes are UK postcodes like EC2V 7HH",
                  gxe.ExpectColumnValuesToMatchRegex, column="postcode", regex=UK_POSTCODE_PATTERN,
                  mostly=0.95),
            check("reachable", False, f"every {who} has an email, mobile or phone number",
                  gxe.ExpectColumnValuesToBeInSet, column=HAS_CHANNEL, value_set=[True]),
            check(f"{date_column}_not_future", False,
                  f"no {date_column.replace('_', ' ')} date is in the future (a sign of month/day mix-ups)",
                  gxe.ExpectColumnValuesToBeBetween, column=date_column, max_value=latest),
        ]
    if kind == "contacts":
        checks += [
            check("priority_vocabulary", False, "priority is high, medium or low (or blank)",
                  gxe.ExpectColumnValuesToBeInSet, column="priority", value_set=list(PRIORITIES)),
            check("category_vocabulary", False, f"category is one of {', '.join(CATEGORIES)} (or blank)",
                  gxe.ExpectColumnValuesToBeInSet, column="category", value_set=list(CATEGORIES)),
        ]
    if kind == "keyholders":
        checks += [
            check("postcode_present", False, "at least 95% of premises have a postcode, to place them",
                  gxe.ExpectColumnValuesToNotBeNull, column="postcode", mostly=0.95),
            check("keyholder_order_positive", False, "keyholder order numbers start at 1",
                  gxe.ExpectColumnValuesToBeBetween, column="keyholder_order", min_value=1),
        ]
    if kind in ("mosaic", "postcodes"):
        checks += [
            check("postcode_not_null", True, "every row has a postcode",
                  gxe.ExpectColumnValuesToNotBeNull, column="postcode"),
            check("postcode_format", False, "every postcode is a UK postcode like EC2V 7HH",
                  gxe.ExpectColumnValuesToMatchRegex, column="postcode", regex=UK_POSTCODE_PATTERN),
            check("postcode_unique", False, "each postcode appears only once",
                  gxe.ExpectColumnValuesToBeUnique, column="postcode"),
        ]
    if kind == "mosaic":
        checks += [
            check("mosaic_type_format", True, "every Mosaic type is one of the 66 types A01 to O66",
                  gxe.ExpectColumnValuesToMatchRegex, column="mosaic_type", regex=MOSAIC_TYPE_PATTERN),
            check("households_non_negative", True, "household counts are not negative",
                  gxe.ExpectColumnValuesToBeBetween, column="households", min_value=0),
            check("mosaic_group_vocabulary", False, "every Mosaic group is a letter A to O",
                  gxe.ExpectColumnValuesToBeInSet, column="mosaic_group", value_set=list(MOSAIC_GROUPS)),
            check("mosaic_group_matches_type", False, "each Mosaic group is the first letter of its type",
                  gxe.ExpectColumnPairValuesToBeEqual, column_A="mosaic_group", column_B=MOSAIC_TYPE_GROUP,
                  ignore_row_if="either_value_is_missing"),
            check("households_present", False, "at least 95% of rows give a household count",
                  gxe.ExpectColumnValuesToNotBeNull, column="households", mostly=0.95),
        ]
    if kind == "postcodes":
        checks += [
            check("latitude_in_uk", True, "at least 99% of latitudes lie within the UK (49 to 61)",
                  gxe.ExpectColumnValuesToBeBetween, column="latitude",
                  min_value=UK_LATITUDE[0], max_value=UK_LATITUDE[1], mostly=0.99),
            check("longitude_in_uk", True, "at least 99% of longitudes lie within the UK (-8.7 to 2)",
                  gxe.ExpectColumnValuesToBeBetween, column="longitude",
                  min_value=UK_LONGITUDE[0], max_value=UK_LONGITUDE[1], mostly=0.99),
            check("coordinates_present", False, "at least 99% of postcodes have a latitude and longitude",
                  gxe.ExpectColumnValuesToNotBeNull, column="latitude", mostly=0.99),
            check("ward_present", False, "at least 95% of postcodes name their ward",
                  gxe.ExpectColumnValuesToNotBeNull, column="ward", mostly=0.95),
        ]
    if kind == "wards":  # sources.geojson has quarantined features without a name or a valid polygon
        checks += [
            check("ward_not_null", True, "every feature names its ward",
                  gxe.ExpectColumnValuesToNotBeNull, column="ward"),
            check("boundary_not_null", True, "every ward has its boundary",
                  gxe.ExpectColumnValuesToNotBeNull, column="boundary"),
        ]
    return checks + _engagement_record_checks(kind, check, gxe, latest)


def _engagement_record_checks(kind: str, check, gxe, latest: pd.Timestamp) -> list[Check]:
    """The evidence kinds of data contract section 8: each row names who and when (the readers quarantine
    rows without); these checks hold back a source whose reader produced something else."""
    checks = []
    if kind in ("engagements", "surveys"):
        checks += [
            check("date_not_null", True, "every row is dated", gxe.ExpectColumnValuesToNotBeNull, column="date"),
            check("date_not_future", True, "no row is dated in the future",
                  gxe.ExpectColumnValuesToBeBetween, column="date", max_value=latest),
        ]
    if kind == "engagements":
        checks.append(check("engagement_type_vocabulary", False, f"type is one of {', '.join(ENGAGEMENT_TYPES)}",
                            gxe.ExpectColumnValuesToBeInSet, column="engagement_type",
                            value_set=list(ENGAGEMENT_TYPES)))
    if kind == "surveys":
        checks.append(check("score_in_range", True, "every score is 1 to 5",
                            gxe.ExpectColumnValuesToBeBetween, column="score", min_value=1, max_value=5))
    if kind == "groups":
        checks.append(check("group_not_null", True, "every row names its group",
                            gxe.ExpectColumnValuesToNotBeNull, column="group"))
    if kind == "sectors":
        checks += [check("sector_not_null", True, "every row names its sector",
                         gxe.ExpectColumnValuesToNotBeNull, column="sector"),
                   check("organisation_not_null", True, "every row names an organisation",
                         gxe.ExpectColumnValuesToNotBeNull, column="organisation")]
    return checks


def build_suite(name: str, checks: list[Check]) -> ExpectationSuite:
    """An ExpectationSuite holding the checks' expectations (not yet added to a context)."""
    suite = import_gx().ExpectationSuite(name=name)
    for item in checks:
        suite.add_expectation(item.expectation)
    return suite


def frame_for_validation(kind: str, rows: pd.DataFrame) -> pd.DataFrame:
    """The rows as GX can check them: list columns dropped, dates as datetime64, derived columns added."""
    frame = rows.drop(columns=[c for c in LIST_COLUMNS if c in rows.columns])
    for column in DATE_COLUMNS:
        if column in frame.columns:
            # python date objects and None in an object column; GX compares datetime64 reliably
            frame[column] = pd.to_datetime(frame[column], errors="coerce")
    if kind in ("contacts", "keyholders") and {"email", "mobile", "phone"} <= set(frame.columns):
        frame[HAS_CHANNEL] = frame[["email", "mobile", "phone"]].notna().any(axis=1)
    if kind == "mosaic" and "mosaic_type" in frame.columns:
        frame[MOSAIC_TYPE_GROUP] = frame["mosaic_type"].map(_first_letter)
    return frame


def _first_letter(value: object) -> str | None:
    return value[0] if isinstance(value, str) and value else None
