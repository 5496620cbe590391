"""Which audit entries a subject access export lists as the person's audiences."""

from __future__ import annotations

from accounts.audit import AuditLog
from services.subject_access import audiences


def test_an_audience_lists_its_recipients_not_the_people_its_filters_left_out(tmp_path):
    log = AuditLog(tmp_path)
    log.append("ops", "audience downloaded", {"filters": {"exclude_contacts": ["C-3"]}, "count": 2,
                                              "contact_ids": ["C-1", "C-2"]})
    log.append("ops", "review decision", {"decision_id": "D-1", "contact_id": "C-3"})

    recipient = audiences(tmp_path, {"C-1"})
    assert [e["action"] for e in recipient] == ["audience downloaded"]
    assert recipient[0]["details"]["contact_ids"] == ["C-1"]  # other recipients' IDs are not disclosed

    excluded = audiences(tmp_path, {"C-3"})
    assert [e["action"] for e in excluded] == ["review decision"]
