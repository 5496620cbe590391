"""What resolution hands to the graph: one frame per kind of thing, with documented columns."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pandas as pd

from .engagement_record import EngagementRecord
from .evidence import EVIDENCE_LINK_COLUMNS
from .match_model import MatchModel
from .provenance import PROVENANCE_COLUMNS
from .wards import WARD_BOUNDARY_COLUMNS

# contacts: contact_id, name, title, first_name, last_name, job_title,
#   email, mobile, phone (the surviving value of each; "" when none),
#   emails, mobiles, phones (every distinct value seen), categories (list), priority (""|low|medium|high),
#   issues (list), consent_email, consent_sms (bool: contract section 6), consent_email_source,
#   consent_sms_source (ref of the deciding row or ""), consent_email_at, consent_sms_at (ISO date of the
#   deciding row or steward decision, "" when undated or none), restricted (bool), postcodes (own address
#   postcodes, list), organisation_ids (employers, list), organisation (name of the main employer),
#   directorates (list), refs (list of "source:record_id"), last_contacted (ISO date or ""),
#   field_provenance (JSON: field -> {value, rule, source, alternatives}; see contact_fields)
# organisations: organisation_id, name, names (list of spellings), refs (list)
# premises: premises_id, premises_ref, name, address_line_1, address_line_2, postcode,
#   occupier_id ("" when none), refs (list)
# keyholders: contact_id, premises_id, keyholder_order (int or -1), ref
# record_links: ref, source, record_id, kind (contacts|keyholders), contact_id, organisation_id ("")
# postcodes: postcode, latitude, longitude, ward, district, mosaic_type, mosaic_group, households
# quarantine: source, record_id, row_number, reason
# review_pairs: ref_a, ref_b, score, contact_a, contact_b, name_a, name_b (pairs scoring at least the review
#   threshold yet kept apart, that no steward decision covers)
# lineage: event (registered|minted|split|restored|merged|retired), entity_type (contact|organisation),
#   entity_id, related_ids (list), refs (list): what happened to each ID this run (resolution.identity)
# decisions_applied: IDs of the steward decisions that concern records of this run
# evidence_links: ref, source, record_id, kind (engagements|groups|sectors|surveys), contact_id, organisation_id
#   ("" where none): the evidence rows of data contract section 8 and who they were matched to
# engagement_record: the diary, group members, sectors and survey responses (resolution.engagement_record)
# ward_boundaries: key, ward, boundary, source, refs (resolution.wards, from the wards sources)


LINEAGE_COLUMNS = ["event", "entity_type", "entity_id", "related_ids", "refs"]


@dataclass
class ResolvedWorld:
    contacts: pd.DataFrame
    organisations: pd.DataFrame
    premises: pd.DataFrame
    keyholders: pd.DataFrame
    record_links: pd.DataFrame
    postcodes: pd.DataFrame
    quarantine: pd.DataFrame
    review_pairs: pd.DataFrame
    lineage: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=LINEAGE_COLUMNS))
    decisions_applied: tuple[str, ...] = ()
    evidence_links: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=EVIDENCE_LINK_COLUMNS))
    engagement_record: EngagementRecord = field(default_factory=EngagementRecord)
    # label, key, source: the sources naming each ward, issue, directorate, Mosaic code, group, sector, hub
    # and postcode (resolution.provenance)
    provenance: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=PROVENANCE_COLUMNS))
    ward_boundaries: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=WARD_BOUNDARY_COLUMNS))
    match_model: MatchModel | None = None  # the learned weights contacts were scored with (resolution.match_model)

    @property
    def contact_fields(self) -> pd.DataFrame:
        """Every surviving field of every contact: contact_id, field, value, rule (why it won),
        source (deciding ref, steward decision ID, or ""), alternatives (JSON list of the values not
        chosen, each {"value", "refs"})."""
        columns = ["contact_id", "field", "value", "rule", "source", "alternatives"]
        if self.contacts.empty:
            return pd.DataFrame(columns=columns)
        rows = [(contact_id, name, entry["value"], entry["rule"], entry["source"],
                 json.dumps(entry["alternatives"], ensure_ascii=False))
                for contact_id, provenance in zip(self.contacts["contact_id"], self.contacts["field_provenance"],
                                                  strict=True)
                for name, entry in json.loads(provenance).items()]
        return pd.DataFrame(rows, columns=columns)
