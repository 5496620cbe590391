"""What resolution hands to the graph: one frame per kind of thing, with documented columns."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

# contacts: contact_id, name, title, first_name, last_name, job_title,
#   email, mobile, phone (the surviving value of each; "" when none),
#   emails, mobiles, phones (every distinct value seen), categories (list), priority (""|low|medium|high),
#   issues (list), consent_email, consent_sms (bool: contract section 6), consent_email_source,
#   consent_sms_source (ref of the deciding row or ""), restricted (bool), postcodes (own address
#   postcodes, list), organisation_ids (employers, list), organisation (name of the main employer),
#   directorates (list), refs (list of "source:record_id"), last_contacted (ISO date or "")
# organisations: organisation_id, name, names (list of spellings), refs (list)
# premises: premises_id, premises_ref, name, address_line_1, address_line_2, postcode,
#   occupier_id ("" when none), refs (list)
# keyholders: contact_id, premises_id, keyholder_order (int or -1), ref
# record_links: ref, source, record_id, kind (contacts|keyholders), contact_id, organisation_id ("")
# postcodes: postcode, latitude, longitude, ward, district, mosaic_type, mosaic_group, households
# quarantine: source, record_id, row_number, reason
# review_pairs: ref_a, ref_b, score (pairs between the review and merge thresholds, kept apart)


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
