"""Message templates: the control room's consistent wording, one per purpose (holding, update, closure,
all-clear…), kept in the home and edited by admins. Built-in ones are there until an admin changes them."""

from __future__ import annotations

from dataclasses import dataclass

from kernel.errors import UsageError

from .text import placeholders

KINDS = ("holding", "update", "closure", "all_clear", "advice")


@dataclass(frozen=True)
class Template:
    name: str
    kind: str
    body: str

    def check(self) -> Template:
        if self.kind not in KINDS:
            raise UsageError(f"template kind {self.kind!r}: one of {', '.join(KINDS)}")
        if not self.name.strip() or not self.name.replace("-", "").replace("_", "").isalnum():
            raise UsageError("a template name is letters, digits, '-' and '_'")
        placeholders(self.body)  # an unknown placeholder is refused when saved, not when sent
        return self


BUILT_IN = (
    Template("holding", "holding",
             "City of London Police: we are aware of an incident affecting {area}. Please avoid the area. "
             "Our next update will be at {next_update}. Ref {reference}."),
    Template("update", "update",
             "City of London Police update on {reference}: the situation in {area} continues. "
             "Next update at {next_update}."),
    Template("closure", "closure",
             "City of London Police: the incident in {area} ({reference}) is now closed. Thank you for your "
             "patience."),
    Template("all-clear", "all_clear",
             "City of London Police: all clear in {area}. Normal activity can resume. Ref {reference}."),
)
