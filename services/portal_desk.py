"""The police side of the portal: the SPOCs' queue of stakeholders' questions and the control room's list
of event reports, each with the organisation it came from."""

from __future__ import annotations

from portal import forms
from portal.store import EventReport, Question

from .installation import Installation
from .portal import log_on_timeline


def question_queue(installation: Installation, directorate: str = "", open_only: bool = True) -> list[dict]:
    """Questions, newest first, of one directorate ("" : all; a question that names none is in every queue)."""
    found = [q for q in installation.portal.questions(open_only=open_only) if not directorate
             or q.directorate in (directorate, "")] if installation.portal.exists else []
    return _with_organisations(installation, found, "question")


def answer(installation: Installation, spoc: str, question_id: str, text: str) -> Question:
    """Answer a question: kept with it, shown to the stakeholder, and on the organisation's timeline."""
    checked = forms.check_answer(text)
    answered = installation.portal.answer(question_id, spoc, checked)
    log_on_timeline(installation.store, answered.organisation_id, spoc, f"Answer: {answered.subject}", checked,
                    answered.directorate, answered.issue, spoc)
    installation.audit.append(spoc, "portal question answered",
                              {"question_id": question_id, "organisation_id": answered.organisation_id})
    return answered


def control_room(installation: Installation, limit: int = 200) -> list[dict]:
    """Event reports, newest first, with the organisation's name and whether it is a priority stakeholder."""
    found = installation.portal.event_reports(limit=limit) if installation.portal.exists else []
    return _with_organisations(installation, found, "report")


def _with_organisations(installation: Installation, items: list[Question] | list[EventReport], key: str
                        ) -> list[dict]:
    named = {o["id"]: o for o in installation.store.organisations_named(sorted({i.organisation_id for i in items}))}
    return [{key: item, "organisation": named.get(item.organisation_id, {"id": item.organisation_id,
                                                                         "name": item.organisation_id})}
            for item in items]
