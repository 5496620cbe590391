"""Premises from keyholder rows, and who holds their keys."""

from __future__ import annotations

import hashlib
import re
from collections import Counter

import pandas as pd

PREMISES_COLUMNS = ["premises_id", "premises_ref", "name", "address_line_1", "address_line_2", "postcode",
                    "occupier_id", "refs"]
KEYHOLDER_COLUMNS = ["contact_id", "premises_id", "keyholder_order", "ref"]


def _most_common(values: list) -> str:
    present = [v for v in values if isinstance(v, str) and v]
    return Counter(present).most_common(1)[0][0] if present else ""


def premises_id(key: str) -> str:
    if key.startswith("ref:"):
        return "P-" + re.sub(r"[^A-Z0-9-]", "", key[4:])[:40]
    return "P-" + hashlib.sha1(key.encode()).hexdigest()[:10].upper()


def premises_frames(keyholder_mentions: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(premises, keyholders) from person mentions of kind keyholders with contact_id assigned."""
    by_key: dict[str, list[dict]] = {}
    for row in keyholder_mentions.to_dict("records"):
        by_key.setdefault(row["premises_key"], []).append(row)
    premises = []
    for key in sorted(by_key):
        group = by_key[key]
        premises.append({
            "premises_id": premises_id(key),
            "premises_ref": _most_common([str(r["premises_ref"]) if r["premises_ref"] else "" for r in group]),
            "name": _most_common([r["premises_name"] for r in group]),
            "address_line_1": _most_common([r["address_line_1"] for r in group]),
            "address_line_2": _most_common([r["address_line_2"] for r in group]),
            "postcode": _most_common([r["postcode"] for r in group]),
            "occupier_id": _most_common([r["organisation_id"] for r in group]),
            "refs": sorted(r["ref"] for r in group),
        })
    holders = pd.DataFrame({
        "contact_id": keyholder_mentions["contact_id"].to_numpy(),
        "premises_id": [premises_id(k) for k in keyholder_mentions["premises_key"]],
        "keyholder_order": [int(v) if isinstance(v, int | float) and v == v else -1
                            for v in keyholder_mentions["keyholder_order"]],
        "ref": keyholder_mentions["ref"].to_numpy(),
    })
    return pd.DataFrame(premises, columns=PREMISES_COLUMNS), holders[KEYHOLDER_COLUMNS]
