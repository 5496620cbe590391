"""Why a row is quarantined or a source held back: codes that programs compare, each with the human
text beside it that the reports show. Nothing compares the texts."""

from __future__ import annotations

from enum import StrEnum


class RowReason(StrEnum):
    """Why a row is unusable (data contract section 5); a quarantined row carries the first one as its code."""

    NO_NAME = "no_name"
    NO_CONTACT_DETAILS = "no_contact_details"  # no email, phone or mobile
    MISSING_FIELD = "missing_field"  # a field its kind requires is blank
    INVALID_FIELD = "invalid_field"  # a field its kind requires does not parse
    DUPLICATE_RECORD_ID = "duplicate_record_id"
    SUPPRESSED = "suppressed"  # the row of an erased person (stakeholders forget)
    # Evidence rows (engagements, groups, sectors, surveys: data contract section 8)
    NAMES_NOBODY = "names_nobody"  # names no person and no organisation at all
    NOT_KNOWN = "not_known"  # names someone no contact list or keyholder record holds
    AMBIGUOUS = "ambiguous"  # fits two or more contacts equally well


class HoldBack(StrEnum):
    """Why a source was held back this run (its last good batch used instead)."""

    UNREADABLE = "unreadable"  # missing, unreadable, or lacking the columns its kind needs
    QUALITY_GATE = "quality_gate"  # a blocking Great Expectations check failed
    SHRANK = "shrank"  # its usable rows fell by more than the shrink limit
    REMOVED = "removed"  # the manifest no longer names it, and its removal is not yet accepted


SUPPRESSED_TEXT = "suppressed (erasure request)"
