"""How a list records a true value: the slips, habits and formats of the people who keep it."""

from __future__ import annotations

import random
import unicodedata

from synthetic.population import Organisation, Person

# Rates of each kind of noise, per value recorded.
NICKNAME_RATE = 0.10  # for someone who goes by the formal name
PREFERRED_NAME_RATE = 0.70  # for someone who habitually goes by a nickname
FIRST_NAME_TYPO_RATE = 0.03
LAST_NAME_TYPO_RATE = 0.04
ACCENT_DROP_RATE = 0.40
SURNAME_CASE_RATE = 0.08
TITLE_BLANK_RATE = 0.15
ORG_VARIANT_RATE = 0.45
EMAIL_CASE_RATE = 0.08
EMAIL_PADDING_RATE = 0.03
EMAIL_ALIAS_RATE = 0.04
ROLE_MAILBOX_RATE = 0.75
POSTCODE_FORMAT_RATE = 0.35

_KEYBOARD_NEIGHBOURS = {
    "a": "sqz", "b": "vn", "c": "xv", "d": "sf", "e": "wr", "f": "dg", "g": "fh", "h": "gj", "i": "uo",
    "j": "hk", "k": "jl", "l": "k", "m": "n", "n": "bm", "o": "ip", "p": "o", "q": "w", "r": "et",
    "s": "ad", "t": "ry", "u": "yi", "v": "cb", "w": "qe", "x": "zc", "y": "tu", "z": "x",
}
_SUFFIX_FORMS = {
    "Ltd": ("Ltd", "Ltd.", "Limited", "LTD", "Ltd"),
    "plc": ("plc", "PLC", "Plc", "P.L.C."),
    "LLP": ("LLP", "L.L.P.", "llp"),
}


def fold_accents(text: str) -> str:
    """"Zoë" -> "Zoe"."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def typo(rng: random.Random, text: str) -> str:
    """One keying slip away from ``text``: a swap, a dropped, doubled or mistyped letter; never the first."""
    if len(text) < 4:
        return text
    i = rng.randrange(1, len(text) - 1)
    kind = rng.choice(("swap", "drop", "double", "neighbour"))
    if kind == "swap" and text[i].isalpha() and text[i + 1].isalpha() and text[i] != text[i + 1]:
        return text[:i] + text[i + 1] + text[i] + text[i + 2:]
    if kind == "drop":
        return text[:i] + text[i + 1:]
    if kind == "double":
        return text[:i] + text[i] + text[i:]
    neighbours = _KEYBOARD_NEIGHBOURS.get(text[i].lower())
    if neighbours:
        return text[:i] + rng.choice(neighbours) + text[i + 1:]
    return text[:i] + text[i + 1:]


def first_name(rng: random.Random, person: Person, keep_accents: bool = False) -> str:
    """The first name as one list has it: formal, nickname, with the odd typo or lost accent."""
    if person.preferred_name and rng.random() < PREFERRED_NAME_RATE:
        name = person.preferred_name
    elif person.nicknames and rng.random() < NICKNAME_RATE:
        name = rng.choice(person.nicknames)
    else:
        name = person.first_name
    if rng.random() < FIRST_NAME_TYPO_RATE:
        name = typo(rng, name)
    if not keep_accents and rng.random() < ACCENT_DROP_RATE:
        name = fold_accents(name)
    return name


def last_name(rng: random.Random, person: Person, keep_accents: bool = False) -> str:
    """The surname with apostrophe, hyphen, "Mc" and case habits, and the odd typo."""
    name = person.last_name
    draw = rng.random()
    if "'" in name and draw < 0.25:
        name = rng.choice((name.replace("'", ""), name.replace("'", " "), name.replace("'", "\u2019")))
    elif "-" in name and draw < 0.15:
        name = name.replace("-", " ") if draw < 0.10 else name.split("-")[0]
    elif name.startswith("Mc") and draw < 0.10:
        name = name.capitalize()
    if rng.random() < LAST_NAME_TYPO_RATE:
        name = typo(rng, name)
    if not keep_accents and rng.random() < ACCENT_DROP_RATE:
        name = fold_accents(name)
    if rng.random() < SURNAME_CASE_RATE:
        name = name.upper() if rng.random() < 0.8 else name.lower()
    return name


def title(rng: random.Random, person: Person) -> str | None:
    if rng.random() < TITLE_BLANK_RATE:
        return None
    value = person.title
    if value in ("Mrs", "Ms") and rng.random() < 0.08:
        value = "Ms" if value == "Mrs" else "Mrs"
    draw = rng.random()
    if draw < 0.20:
        return value + "."
    if draw < 0.24:
        return value.upper()
    if draw < 0.27:
        return value.lower()
    return value


def middle_initial(person: Person) -> str | None:
    return fold_accents(person.middle_name)[0] if person.middle_name else None


def organisation(rng: random.Random, org: Organisation) -> str:
    """A variant of the organisation's name: suffix forms, case, "&"/"and", "The ... Company", aliases."""
    if rng.random() >= ORG_VARIANT_RATE:
        return org.name
    options = ["suffix", "upper", "bare", "lower"] if org.suffix else ["upper", "lower"]
    if org.aliases:
        options += ["alias", "alias"]
    if "&" in org.base or " and " in org.base:
        options.append("ampersand")
    if org.suffix == "Ltd":
        options.append("company")
    if org.base.startswith("The "):
        options.append("drop_the")
    choice = rng.choice(options)
    if choice == "suffix":
        return f"{org.base} {rng.choice(_SUFFIX_FORMS[org.suffix])}"
    if choice == "upper":
        return org.name.upper()
    if choice == "bare":
        return org.base
    if choice == "alias":
        return rng.choice(org.aliases)
    if choice == "ampersand":
        swapped = org.base.replace("&", "and") if "&" in org.base else org.base.replace(" and ", " & ")
        return f"{swapped} {org.suffix}" if org.suffix else swapped
    if choice == "company":
        return f"The {org.base} Company"
    if choice == "drop_the":
        return org.name[len("The "):]
    return org.name.lower()


def landline(rng: random.Random, digits: str) -> str:
    """"02079460123" in one of the ways people write a London number."""
    area, a, b = digits[1:3], digits[3:7], digits[7:]
    return rng.choice((
        f"020 {a} {b}", f"020 {a} {b}", f"0{area}{a}{b}", f"+44 {area} {a} {b}", f"+44 (0){area} {a} {b}",
        f"(020) {a} {b}", f"020-{a}-{b}", f"+44 (0){area} {a}-{b}", f"0{area}{a[0]} {a[1:]} {b}",
    ))


def mobile(rng: random.Random, digits: str) -> str:
    """"07700900123" in one of the ways people write a mobile number."""
    a, b = digits[1:5], digits[5:]
    return rng.choice((
        f"0{a} {b}", f"0{a} {b}", f"0{a}{b}", f"+44 {a} {b}", f"+44{a}{b}", f"0{a} {b[:3]} {b[3:]}",
        f"+44 (0){a} {b}", f"0{a}-{b}",
    ))


def broken_mobile(digits: str) -> str:
    """A mobile number with a digit missing: recorded, but not a valid number."""
    return f"{digits[:5]} {digits[5:-1]}"


def postcode(rng: random.Random, code: str) -> str:
    if rng.random() >= POSTCODE_FORMAT_RATE:
        return code
    return rng.choice((code.replace(" ", ""), code.lower(), code.replace(" ", "  "), code.title(),
                       code.lower().replace(" ", "")))


def email(rng: random.Random, person: Person) -> str:
    """A valid form of one of the person's mailboxes: their own, an alias, or a shared role mailbox."""
    address = person.email
    org = person.organisation
    if person.uses_role_mailbox and org is not None and org.role_mailbox and rng.random() < ROLE_MAILBOX_RATE:
        address = org.role_mailbox
    elif person.alias_email and rng.random() < EMAIL_ALIAS_RATE:
        address = person.alias_email
    if rng.random() < EMAIL_CASE_RATE:
        local, domain = address.split("@")
        address = ".".join(part.capitalize() for part in local.split(".")) + "@" + domain.capitalize()
    if rng.random() < EMAIL_PADDING_RATE:
        address = f" {address} "
    return address


def broken_email(rng: random.Random, address: str) -> str:
    """An address no validator accepts: the "@" lost or doubled."""
    return address.replace("@", ".") if rng.random() < 0.5 else address.replace("@", "@@")
