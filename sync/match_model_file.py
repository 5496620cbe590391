"""The learned contact weights, kept in the home as ``match-model.json`` (resolution.match_model).

A sync reuses them while they fit its data and are younger than ``MAX_AGE_DAYS``; `stakeholders sync
--retrain` learns them again on request. The file holds weights, thresholds, counts and filled shares,
never a value from a row. A damaged file is set aside: the weights are learned again, with a message.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

from resolution.match_model import DamagedModel, MatchModel, model_document, model_from_document

from .home_files import write_json

FILE_NAME = "match-model.json"
MAX_AGE_DAYS = 30


class MatchModelFile:
    def __init__(self, home: Path) -> None:
        self.path = home / FILE_NAME

    def kept(self) -> tuple[MatchModel | None, str]:
        """The kept model, whatever its age (None when there is none or it cannot be read, and why)."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None, ""
        except OSError as error:
            return None, f"{self.path}: cannot be read ({error.strerror}); the contact weights are learned again"
        try:
            model = model_from_document(json.loads(text))
            dt.date.fromisoformat(model.learned_on)
        except (ValueError, DamagedModel) as error:
            return None, f"{self.path}: is damaged ({error}); the contact weights are learned again"
        return model, ""

    def load(self, today: dt.date) -> tuple[MatchModel | None, str]:
        """The kept model when a sync may use it today, else None; and what to tell the user ("" for nothing)."""
        model, why_not = self.kept()
        if model is None:
            return None, why_not
        age = (today - dt.date.fromisoformat(model.learned_on)).days
        if age > MAX_AGE_DAYS:
            return None, (f"the contact weights were learned {age} days ago (they are learned again after "
                          f"{MAX_AGE_DAYS})")
        return model, ""

    def keep(self, model: MatchModel, today: dt.date) -> MatchModel:
        """Keep a model learned today (one reused keeps its day); the model as kept."""
        if not model.learned_on:
            model = MatchModel(model.settings, model.shape, model.code, today.isoformat())
        write_json(self.path, model_document(model))
        return model


def model_key(model: MatchModel | None) -> str:
    """A hash of the weights a resolution used, for the resolution memo ("" for none)."""
    if model is None:
        return ""
    return hashlib.sha256(json.dumps(model_document(model), sort_keys=True).encode()).hexdigest()
