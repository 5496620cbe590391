"""Organisation resolution: the same business spelt several ways becomes one organisation.

Names are reduced to a key (case, punctuation, "The", legal suffixes and "&"
removed), then distinct keys are clustered by rapidfuzz similarity. Two keys
join when they are near-identical, or when one is the other plus generic words
and the two are also seen with the same e-mail domain.
"""

from __future__ import annotations

import re

import numpy as np
from rapidfuzz import fuzz, process

from .text import word_key
from .union_find import UnionFind

_LEGAL_WORDS = {
    "ltd", "limited", "plc", "llp", "llc", "inc", "incorporated", "co", "company", "corp",
    "corporation", "group", "holdings", "uk", "gb", "the", "and",
}
_GENERIC_EMAIL_DOMAINS = {
    "gmail.com", "googlemail.com", "hotmail.com", "hotmail.co.uk", "outlook.com", "live.com",
    "live.co.uk", "yahoo.com", "yahoo.co.uk", "icloud.com", "me.com", "aol.com", "btinternet.com",
    "sky.com", "virginmedia.com", "protonmail.com", "proton.me", "mail.com", "msn.com",
}
_AMPERSAND = re.compile(r"\s*&\s*")

# Two keys this similar (rapidfuzz ratio, 0-100) are the same organisation.
SAME_NAME_RATIO = 92.0


def organisation_key(name: object) -> str:
    """The comparable core of an organisation name ("The Acme Company Ltd." -> "acme")."""
    if not isinstance(name, str):
        return ""
    words = word_key(_AMPERSAND.sub(" and ", name)).split()
    core = [w for w in words if w not in _LEGAL_WORDS]
    return " ".join(core or words)


def email_domain(email: object) -> str:
    """The organisation-identifying domain of an e-mail address, or "" for webmail."""
    if not isinstance(email, str) or "@" not in email:
        return ""
    domain = email.rsplit("@", 1)[1].lower()
    return "" if domain in _GENERIC_EMAIL_DOMAINS else domain


def cluster_organisation_keys(keys: list[str], domains_by_key: dict[str, set[str]]) -> dict[str, int]:
    """Group distinct organisation keys; returns key -> cluster number."""
    distinct = sorted({k for k in keys if k})
    groups = UnionFind(len(distinct))
    if len(distinct) > 1:
        similarity = process.cdist(distinct, distinct, scorer=fuzz.ratio, dtype=np.uint8, workers=-1)
        for i, j in zip(*np.nonzero(similarity >= SAME_NAME_RATIO), strict=True):
            if i < j and _distinct_numbers_agree(distinct[i], distinct[j]):
                groups.union(int(i), int(j))
        _join_by_shared_domain(distinct, domains_by_key, groups)
    return {key: groups.find(i) for i, key in enumerate(distinct)}


def _join_by_shared_domain(distinct: list[str], domains_by_key: dict[str, set[str]], groups: UnionFind) -> None:
    # "Acme" and "Acme Insurance Services" are one firm when their staff share @acme.co.uk;
    # without that evidence, containment alone would merge "Bank" into "Bank of England".
    by_domain: dict[str, list[int]] = {}
    for i, key in enumerate(distinct):
        for domain in domains_by_key.get(key, ()):
            by_domain.setdefault(domain, []).append(i)
    for members in by_domain.values():
        for a_pos, a in enumerate(members):
            for b in members[a_pos + 1:]:
                if fuzz.token_set_ratio(distinct[a], distinct[b]) >= 95:
                    groups.union(a, b)


def _distinct_numbers_agree(a: str, b: str) -> bool:
    # "Unit 4 Ltd" and "Unit 5 Ltd" are near-identical strings but different firms.
    return re.findall(r"\d+", a) == re.findall(r"\d+", b)
