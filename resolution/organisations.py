"""Organisation resolution: the same business spelt several ways becomes one organisation.

Names are reduced to a key (case, punctuation, "The", legal suffixes and "&"
removed), then distinct keys are clustered. Two keys join when they are
near-identical and differ only by typos (so "Falcon Property Management" and
"Halcyon Property Management" stay apart however alike the whole strings look),
or when staff of both write from the same e-mail domain and one name contains
the other or abbreviates it ("TfL" for "Transport for London").
"""

from __future__ import annotations

import re

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

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

# Words too common in organisation names to say two names are one firm.
_COMMON_NAME_WORDS = {
    "london", "city", "services", "service", "management", "council", "borough", "bank", "capital",
    "partners", "associates", "international", "global", "property", "properties", "insurance", "trust",
    "association", "society", "house", "court", "street", "square", "centre", "center", "hotel", "solutions",
}

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
            a, b = distinct[i], distinct[j]
            if i < j and _only_typos_differ(a, b) and not _domains_disagree(a, b, domains_by_key):
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
                if _same_firm_by_name(distinct[a], distinct[b]):
                    groups.union(a, b)


def _only_typos_differ(a: str, b: str) -> bool:
    """Every word one name has and the other lacks is a one-letter slip of a word the other has."""
    words_a, words_b = a.split(), b.split()
    only_a = [w for w in words_a if w not in words_b]
    only_b = [w for w in words_b if w not in words_a]
    if len(only_a) != len(only_b):
        return False
    return all(
        not w.isdigit() and len(w) >= 4 and any(Levenshtein.distance(w, v) <= 1 and not v.isdigit() for v in only_b)
        for w in only_a
    )


def _domains_disagree(a: str, b: str, domains_by_key: dict[str, set[str]]) -> bool:
    domains_a, domains_b = domains_by_key.get(a, set()), domains_by_key.get(b, set())
    return bool(domains_a and domains_b and not (domains_a & domains_b))


def _same_firm_by_name(a: str, b: str) -> bool:
    """Given a shared e-mail domain: one name contains or abbreviates the other, or they share a
    distinctive word ("Islington Council", "London Borough of Islington")."""
    if fuzz.token_set_ratio(a, b) >= 95 or abbreviates(a, b):
        return True
    shared = set(a.split()) & set(b.split())
    return any(len(word) >= 4 and word not in _COMMON_NAME_WORDS for word in shared)


def abbreviates(a: str, b: str) -> bool:
    """"tfl" abbreviates "transport for london"; "lfb" abbreviates "london fire brigade"."""
    short, long_ = sorted((a, b), key=len)
    words = long_.split()
    if " " in short or len(short) < 2 or len(words) < 2:
        return False
    initials = "".join(w[0] for w in words)
    significant = "".join(w[0] for w in words if w not in {"of", "for", "and", "the", "in", "on"})
    return short in (initials, significant)
