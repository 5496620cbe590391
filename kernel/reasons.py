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


class HoldBack(StrEnum):
    """Why a source was held back this run (its last good batch used instead)."""

    UNREADABLE = "unreadable"  # missing, unreadable, or lacking the columns its kind needs
    QUALITY_GATE = "quality_gate"  # a blocking Great Expectations check failed
    SHRANK = "shrank"  # its usable rows fell by more than the shrink limit
    REMOVED = "removed"  # the manifest no longer names it, and its removal is not yet accepted


SUPPRESSED_TEXT = "suppressed (erasure request)"
