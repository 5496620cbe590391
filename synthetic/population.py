"""The true population: organisations, people and premises, before any list records them."""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from itertools import chain, count

from synthetic.dates import DateWindow, list_dates
from synthetic.geography import Postcode
from synthetic.reference import (
    ACCENTED_FIRST_NAMES,
    BUSINESS_KINDS,
    CHARITY_ISSUES,
    CHARITY_JOBS,
    CHARITY_TEMPLATES,
    COMMON_SURNAMES,
    DISTRICTS,
    FIRST_NAMES,
    KINDS_WITH_PREMISES,
    MORE_FIRST_NAMES,
    MORE_SURNAMES,
    ORG_WORDS,
    OTHER_JOBS,
    PARTICLE_SURNAMES,
    PERSONAL_MAIL_DOMAINS,
    PERSONAL_MAIL_KINDS,
    PUB_ADJECTIVES,
    PUB_NOUNS,
    PUBLIC_BODIES,
    PUBLIC_BODY_ISSUES,
    PUBLIC_BODY_JOBS,
    RARE_SURNAMES,
    RESIDENT_ISSUES,
    RESIDENTIAL_BLOCKS,
    ROLE_MAILBOXES,
    SURNAME_ENDINGS,
    SURNAME_STEMS,
    TITLES,
)

_PRIORITY_WEIGHTS = {
    "business": (20, 45, 35), "resident": (10, 40, 50), "partner_agency": (45, 40, 15),
    "police": (55, 35, 10), "voluntary_group": (15, 45, 40), "other": (5, 35, 60),
}
_QUALIFIERS = ("Group", "International", "UK", "Partners", "Holdings", "London", "City")
_KEYHOLDER_JOBS = ("Facilities Manager", "Security Manager", "Building Manager", "Duty Manager")
# Staff-count distribution of businesses: (smallest, largest, weight).
_STAFF_SIZES = ((1, 1, 30), (2, 2, 20), (3, 3, 14), (4, 4, 10), (5, 5, 7), (6, 10, 12), (11, 25, 6),
                (26, 60, 1))


def slug(text: str) -> str:
    """Lower-case ASCII for an email local part: "O'Neill" -> "oneill", "Zoë" -> "zoe"."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in folded.lower() if c.isalnum() or c == "-")


@dataclass(frozen=True)
class ConsentHistory:
    """A person's true answer on one channel over time."""

    initial: bool
    changed_on: date | None = None  # from this day on the answer is the opposite

    def on(self, day: date | None) -> bool:
        if self.changed_on is None or day is None or day < self.changed_on:
            return self.initial
        return not self.initial


@dataclass(eq=False)
class Organisation:
    organisation_id: str
    name: str  # the registered or best-known form
    base: str  # name without legal suffix: "Meridian Bank"
    suffix: str | None  # "plc", "Ltd", "LLP"
    kind: str  # a BUSINESS_KINDS key, "partner_agency", "police" or "charity"
    category: str  # contract category of its staff
    domain: str | None  # None: staff use personal mailboxes
    switchboard: str  # national digits, "02079460123"
    postcode: Postcode
    address_line_1: str
    address_line_2: str | None = None
    aliases: tuple[str, ...] = ()
    role_mailbox: str | None = None  # shared by several staff: "security@meridianbank.co.uk"
    staff: list[Person] = field(default_factory=list)


@dataclass(eq=False)
class Person:
    person_id: str
    gender: str
    title: str
    first_name: str
    nicknames: tuple[str, ...]
    last_name: str
    category: str
    organisation: Organisation | None
    postcode: Postcode
    address_line_1: str | None
    middle_name: str | None = None
    preferred_name: str | None = None  # a nickname the person habitually goes by
    job_title: str | None = None
    email: str = ""
    alias_email: str | None = None  # an older form of the same mailbox: "j.smith@..."
    uses_role_mailbox: bool = False
    mobile: str | None = None  # national digits "07700900123"
    phone: str | None = None  # national digits, often the switchboard
    priority: str = "medium"
    issues: tuple[str, ...] = ()
    restricted: bool = False
    consent_email: ConsentHistory = ConsentHistory(False)
    consent_sms: ConsentHistory = ConsentHistory(False)
    keyholder_only: bool = False  # known only from the keyholder database
    accented: bool = False  # carries an accented name, so must appear in the Windows-1252 list
    namesake: bool = False  # another person has the same first and last name
    colleague_namesake: bool = False  # ... and works at the same organisation
    keyholder_of: list[Premises] = field(default_factory=list)


@dataclass(eq=False)
class Premises:
    premises_ref: str  # UPRN-like
    name: str
    address_line_1: str
    address_line_2: str | None
    postcode: Postcode
    occupier: Organisation
    keyholders: list[Person] = field(default_factory=list)


@dataclass
class Population:
    organisations: list[Organisation]
    people: list[Person]
    premises: list[Premises]
    postcodes: list[Postcode]
    list_dates: DateWindow = list_dates()  # where the lists' last-contacted and last-verified dates fall


class NumberPool:
    """Unique UK phone numbers; Ofcom's drama ranges first, so small samples call nobody real."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._taken: set[str] = set()
        self._mobiles = [f"07700900{n:03d}" for n in range(1000)]
        self._landlines = [f"0207946{n:04d}" for n in range(1000)]
        rng.shuffle(self._mobiles)
        rng.shuffle(self._landlines)

    def _next(self, reserved: list[str], make) -> str:
        while True:
            number = reserved.pop() if reserved else make()
            if number not in self._taken:
                self._taken.add(number)
                return number

    def mobile(self) -> str:
        return self._next(self._mobiles, lambda: f"07{self._rng.choice('45789')}{self._rng.randint(0, 10**8 - 1):08d}")

    def landline(self) -> str:
        return self._next(self._landlines,
                          lambda: f"020{self._rng.choice('378')}{self._rng.randint(0, 10**7 - 1):07d}")


class _Names:
    """Weighted draws of first names and surnames."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.first = FIRST_NAMES + tuple((name, gender, (), 1) for name, gender in MORE_FIRST_NAMES)
        self.first_weights = [w for *_, w in self.first]
        self.by_gender = {g: [f for f in self.first if f[1] == g] for g in "mf"}
        self.surnames = [s for s, _ in COMMON_SURNAMES]
        self.surname_weights = [w for _, w in COMMON_SURNAMES]
        self.place_surnames = [stem + ending for stem in SURNAME_STEMS for ending in SURNAME_ENDINGS
                               if stem[-1] != ending[0]]

    def first_name(self) -> tuple[str, str, tuple[str, ...]]:
        name, gender, nicknames, _ = self.rng.choices(self.first, self.first_weights)[0]
        return name, gender, nicknames

    def common_surname(self) -> str:
        return self.rng.choices(self.surnames, self.surname_weights)[0]

    def surname(self) -> str:
        """Common names at about their real frequency (Smith ~1%), then an ever longer tail."""
        draw = self.rng.random()
        if draw < 0.05:
            return self.rng.choice(RARE_SURNAMES)
        if draw < 0.09:
            first, second = self.common_surname(), self.rng.choice(self.place_surnames)
            return f"{first}-{second}" if "'" not in first else second
        if draw < 0.11:
            return self.rng.choice(PARTICLE_SURNAMES)
        if draw < 0.27:
            return self.rng.choice(MORE_SURNAMES)
        if draw < 0.62:
            return self.rng.choice(self.place_surnames)
        return self.common_surname()

    def title(self, gender: str) -> str:
        options = TITLES[gender]
        return self.rng.choices([t for t, _ in options], [w for _, w in options])[0]

    def middle(self, gender: str, not_this: str | None = None) -> str:
        while True:
            name = self.rng.choice(self.by_gender[gender])[0]
            if name != not_this:
                return name


def _floor(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix} Floor"


def _street_address(rng: random.Random, postcode: Postcode) -> str:
    return f"{rng.randint(1, 160)} {rng.choice(DISTRICTS[postcode.district][2])}"


def _home_address(rng: random.Random, postcode: Postcode) -> str:
    blocks = RESIDENTIAL_BLOCKS.get(postcode.district)
    if blocks and rng.random() < 0.8:
        return f"Flat {rng.randint(1, 220)}, {rng.choice(blocks)}"
    return _street_address(rng, postcode)


class _OrganisationFactory:
    def __init__(self, rng: random.Random, names: _Names, numbers: NumberPool, postcodes: list[Postcode]):
        self.rng, self.names, self.numbers, self.postcodes = rng, names, numbers, postcodes
        self.anchors = [p for p in postcodes if p.code in ("EC2R 8AH", "EC2V 7HH")]
        self.taken_bases: set[str] = set()
        self.taken_domains: set[str] = set()
        self.count = 0

    def _postcode(self) -> Postcode:
        if self.rng.random() < 0.04:
            return self.rng.choice(self.anchors)
        return self.rng.choice(self.postcodes)

    def _domain(self, base: str, tld: str) -> str:
        words = [slug(w) for w in base.replace("&", " ").split() if w.lower() not in ("the", "of", "and")]
        stem = "".join(w for w in words[:2] if w)
        domain, n = f"{stem}{tld}", 2
        while domain in self.taken_domains:
            domain, n = f"{stem}{n}{tld}", n + 1
        self.taken_domains.add(domain)
        return domain

    def _fill(self, template: str) -> str:
        text = template
        while "{S}" in text:
            text = text.replace("{S}", self.names.common_surname(), 1)
        while "{W}" in text:
            word = self.rng.choice(ORG_WORDS) if self.rng.random() < 0.7 else self.names.common_surname()
            text = text.replace("{W}", word, 1)
        text = text.replace("{A}", self.rng.choice(PUB_ADJECTIVES))
        nouns = self.rng.sample(PUB_NOUNS, 2)
        return text.replace("{N}", nouns[0], 1).replace("{N}", nouns[1], 1)

    def _make(self, base: str, suffix: str | None, kind: str, category: str, domain: str | None,
              postcode: Postcode | None = None, aliases: tuple[str, ...] = ()) -> Organisation:
        self.count += 1
        postcode = postcode or self._postcode()
        self.taken_bases.add(base)
        name = f"{base} {suffix}" if suffix else base
        return Organisation(
            organisation_id=f"O{self.count:05d}", name=name, base=base, suffix=suffix, kind=kind,
            category=category, domain=domain, switchboard=self.numbers.landline(), postcode=postcode,
            address_line_1=_street_address(self.rng, postcode),
            address_line_2=_floor(self.rng.randint(1, 30)) if self.rng.random() < 0.25 else None,
            aliases=aliases)

    def business(self) -> Organisation:
        kinds = sorted(BUSINESS_KINDS)
        kind = self.rng.choices(kinds, [BUSINESS_KINDS[k]["weight"] for k in kinds])[0]
        for attempt in range(1000):
            template, suffix = self.rng.choice(BUSINESS_KINDS[kind]["templates"])
            base = self._fill(template)
            if attempt > 20:  # the plain names are used up: qualify one, as real firms do
                base = f"{base} {self.rng.choice(_QUALIFIERS)}"
            if base not in self.taken_bases:
                break
        tld = ".com" if kind in ("law", "tech") else ".co.uk"
        domain = None if kind in PERSONAL_MAIL_KINDS and self.rng.random() < 0.5 else self._domain(base, tld)
        return self._make(base, suffix, kind, "business", domain)

    def charity(self) -> Organisation:
        for attempt in range(1000):
            base = self._fill(self.rng.choice(CHARITY_TEMPLATES))
            if attempt > 20:
                base = f"{base} {self.rng.choice(_QUALIFIERS)}"
            if base not in self.taken_bases:
                break
        return self._make(base, None, "charity", "voluntary_group", self._domain(base, ".org.uk"))

    def public_body(self, name: str, category: str, domain: str, aliases: tuple[str, ...]) -> Organisation:
        postcode = self.anchors[-1] if name == "City of London Corporation" else None
        self.taken_domains.add(domain)
        return self._make(name, None, category, category, domain, postcode, aliases)


def _staff_sizes(rng: random.Random, total: int) -> list[int]:
    sizes: list[int] = []
    while sum(sizes) < total:
        low, high, _ = rng.choices(_STAFF_SIZES, [w for *_, w in _STAFF_SIZES])[0]
        sizes.append(min(rng.randint(low, high), total - sum(sizes)))
    return sizes


def _zipf_assign(rng: random.Random, orgs: list[Organisation], how_many: int) -> list[Organisation]:
    weights = [1 / (rank + 1) ** 0.9 for rank in range(len(orgs))]
    return rng.choices(orgs, weights, k=how_many)


def _issues(rng: random.Random, pool: tuple[str, ...]) -> tuple[str, ...]:
    if rng.random() < 0.05:
        return ()
    return tuple(sorted(rng.sample(pool, min(len(pool), rng.choice((1, 1, 2, 2, 3))))))


def _consent(rng: random.Random, yes_share: float, dates: DateWindow) -> ConsentHistory:
    changed = dates.random_day(rng) if rng.random() < 0.12 else None
    return ConsentHistory(rng.random() < yes_share, changed)


class _PeopleFactory:
    def __init__(self, rng: random.Random, names: _Names, numbers: NumberPool, postcodes: list[Postcode],
                 dates: DateWindow):
        self.rng, self.names, self.numbers, self.dates = rng, names, numbers, dates
        self.postcodes = postcodes
        self.homes = [p for p in postcodes if p.households] or postcodes

    def person(self, person_id: str, category: str, org: Organisation | None) -> Person:
        rng = self.rng
        first, gender, nicknames = self.names.first_name()
        if org is None:
            postcode = rng.choice(self.homes) if category == "resident" else rng.choice(self.postcodes)
            address = _home_address(rng, postcode)
        elif rng.random() < 0.85:
            postcode, address = org.postcode, org.address_line_1
        else:
            postcode = rng.choice(self.postcodes)
            address = _street_address(rng, postcode)
        person = Person(
            person_id=person_id, gender=gender, title=self.names.title(gender), first_name=first,
            nicknames=nicknames, last_name=self.names.surname(), category=category, organisation=org,
            postcode=postcode, address_line_1=address)
        if rng.random() < 0.35:
            person.middle_name = self.names.middle(gender, first)
        if nicknames and rng.random() < 0.35:
            person.preferred_name = rng.choice(nicknames)
        person.job_title = self._job_title(category, org)
        self._numbers(person, org)
        person.priority = rng.choices(("high", "medium", "low"), _PRIORITY_WEIGHTS[category])[0]
        person.issues = _issues(rng, self._issue_pool(category, org))
        person.restricted = rng.random() < (0.2 if category == "police" else 0.03)
        person.consent_email = _consent(rng, 0.65, self.dates)
        person.consent_sms = _consent(rng, 0.45 if person.mobile else 0.1, self.dates)
        if category == "business" and org.kind in KINDS_WITH_PREMISES and rng.random() < 0.07:
            person.keyholder_only = True
            person.job_title = rng.choice(_KEYHOLDER_JOBS)
        return person

    def _job_title(self, category: str, org: Organisation | None) -> str | None:
        if org is None:
            return self.rng.choice(OTHER_JOBS) if category == "other" else None
        if org.kind in BUSINESS_KINDS:
            return self.rng.choice(BUSINESS_KINDS[org.kind]["jobs"])
        if org.kind == "charity":
            return self.rng.choice(CHARITY_JOBS)
        return self.rng.choice(PUBLIC_BODY_JOBS[org.kind])

    def _issue_pool(self, category: str, org: Organisation | None) -> tuple[str, ...]:
        if org is None:
            return RESIDENT_ISSUES
        if org.kind in BUSINESS_KINDS:
            return BUSINESS_KINDS[org.kind]["issues"]
        if org.kind == "charity":
            return CHARITY_ISSUES
        return PUBLIC_BODY_ISSUES[org.kind]

    def _numbers(self, person: Person, org: Organisation | None) -> None:
        rng = self.rng
        if rng.random() < (0.9 if org is None else 0.85):
            person.mobile = self.numbers.mobile()
        draw = rng.random()
        if org is None:
            person.phone = self.numbers.landline() if draw < 0.3 else None
        elif draw < 0.55:
            person.phone = org.switchboard
        elif draw < 0.9:
            person.phone = self.numbers.landline()


def _category_counts(rng: random.Random, n: int) -> dict[str, int]:
    counts = {
        "resident": round(0.14 * n), "voluntary_group": round(0.06 * n), "other": round(0.04 * n),
        # Only so many people work at a dozen public bodies, however big the list.
        "partner_agency": min(round(0.08 * n), 400), "police": min(round(0.03 * n), 120),
    }
    counts["business"] = n - sum(counts.values())
    return counts


def _make_namesakes(rng: random.Random, names: _Names, numbers: NumberPool, people: list[Person],
                    organisations: list[Organisation]) -> None:
    """Different people who share a first and last name: at other organisations, and a few at one."""
    employed = [p for p in people if p.organisation is not None]
    used: set[str] = set()
    wanted, made = max(2, round(0.02 * len(people))), 0
    for _ in range(20 * wanted):
        if made == wanted:
            break
        a, b = rng.choice(employed), rng.choice(employed)
        if a.organisation is b.organisation or {a.person_id, b.person_id} & used:
            continue
        made += 1
        used |= {a.person_id, b.person_id}
        b.gender, b.first_name, b.nicknames, b.last_name = a.gender, a.first_name, a.nicknames, a.last_name
        b.preferred_name, b.title = a.preferred_name, names.title(a.gender)
        a.namesake = b.namesake = True
    shared = [o for o in organisations if len(o.staff) >= 2 and o.domain]
    for org in rng.sample(shared, min(len(shared), max(1, round(0.005 * len(people))))):
        a, b = org.staff[0], org.staff[1]
        if {a.person_id, b.person_id} & used:
            continue
        used |= {a.person_id, b.person_id}
        b.gender, b.first_name, b.nicknames, b.last_name = a.gender, a.first_name, a.nicknames, a.last_name
        b.preferred_name, b.title = None, names.title(a.gender)
        b.middle_name = names.middle(a.gender, a.middle_name)
        for person in (a, b):  # told apart by mobile and mailbox, never a shared one
            person.mobile = person.mobile or numbers.mobile()
            person.keyholder_only, person.namesake, person.colleague_namesake = False, True, True


def _assign_emails(rng: random.Random, people: list[Person], organisations: list[Organisation]) -> None:
    claimed: set[str] = set()

    def claim(candidates: Iterable[str]) -> str | None:
        for address in candidates:
            if address not in claimed:
                claimed.add(address)
                return address
        return None

    for person in people:
        first, last = slug(person.first_name), slug(person.last_name.replace(" ", ""))
        org = person.organisation
        if org is not None and org.domain:
            middle = [f"{first}.{slug(person.middle_name)[0]}.{last}@{org.domain}"] if person.middle_name else []
            numbered = (f"{first}.{last}{n}@{org.domain}" for n in count(2))
            person.email = claim(chain([f"{first}.{last}@{org.domain}", *middle], numbered)) or ""
            person.alias_email = claim([f"{first[0]}.{last}@{org.domain}", f"{first[0]}{last}@{org.domain}"])
        else:
            domain = rng.choice(PERSONAL_MAIL_DOMAINS)
            forms = [f"{first}.{last}@{domain}", f"{first}{last}@{domain}", f"{first[0]}{last}@{domain}"]
            numbered = (f"{first}{last}{n}@{domain}" for n in count(rng.randint(10, 90)))
            person.email = claim(chain([rng.choice(forms)], numbered)) or ""
    for org in organisations:
        staff = [p for p in org.staff if not p.colleague_namesake]
        if org.domain and len(staff) >= 3 and rng.random() < 0.3:
            org.role_mailbox = f"{rng.choice(ROLE_MAILBOXES)}@{org.domain}"
            claimed.add(org.role_mailbox)
            for person in rng.sample(staff, min(len(staff), rng.randint(2, 4))):
                person.uses_role_mailbox = True


def _premises_name(rng: random.Random, org: Organisation, address: str) -> str:
    if org.kind in ("pub", "hotel", "restaurant", "shop"):
        return org.base
    return rng.choice((address, f"{rng.choice(ORG_WORDS)} House", f"{rng.choice(ORG_WORDS)} Court",
                       f"{org.base} Building"))


def _build_premises(rng: random.Random, organisations: list[Organisation], postcodes: list[Postcode]
                    ) -> list[Premises]:
    premises: list[Premises] = []
    guards = [p for o in organisations if o.kind == "security" for p in o.staff]
    taken_refs: set[str] = set()
    for org in organisations:
        if not org.staff or org.kind not in KINDS_WITH_PREMISES + ("partner_agency",):
            continue
        if org.kind == "partner_agency":
            sites = rng.randint(1, 2) if rng.random() < 0.5 else 0
        elif len(org.staff) >= 8:
            sites = rng.randint(1, 3)
        else:
            sites = 1 if rng.random() < 0.6 or any(p.keyholder_only for p in org.staff) else 0
        for n in range(sites):
            postcode = org.postcode if n == 0 else rng.choice(postcodes)
            address = org.address_line_1 if n == 0 else _street_address(rng, postcode)
            ref = f"2000{rng.randint(0, 10**8 - 1):08d}"
            while ref in taken_refs:
                ref = f"2000{rng.randint(0, 10**8 - 1):08d}"
            taken_refs.add(ref)
            place = Premises(ref, _premises_name(rng, org, address), address,
                             org.address_line_2 if n == 0 else None, postcode, org)
            wanted = rng.choices((1, 2, 3), (30, 45, 25))[0]
            candidates = sorted(org.staff, key=lambda p: (not p.keyholder_only, rng.random()))
            for person in candidates[:wanted]:
                place.keyholders.append(person)
            if guards and rng.random() < 0.15:
                guard = rng.choice(guards)
                if guard not in place.keyholders:
                    place.keyholders.append(guard)
            for person in place.keyholders:
                person.keyholder_of.append(place)
            premises.append(place)
    return premises


def build_population(rng: random.Random, n_people: int, postcodes: list[Postcode],
                     dates: DateWindow | None = None) -> Population:
    """A population of ``n_people`` with their organisations and the premises they hold keys for;
    ``dates`` is where consent changes (and the lists' dates) fall, by default the sample's window."""
    dates = dates or list_dates()
    names, numbers = _Names(rng), NumberPool(rng)
    orgs = _OrganisationFactory(rng, names, numbers, postcodes)
    counts = _category_counts(rng, n_people)
    bodies = [orgs.public_body(*body) for body in PUBLIC_BODIES]
    slots: list[tuple[str, Organisation | None]] = []
    for category in ("partner_agency", "police"):
        members = [o for o in bodies if o.category == category]
        slots += [(category, o) for o in _zipf_assign(rng, members, counts[category])]
    sizes = _staff_sizes(rng, counts["business"])
    businesses = [orgs.business() for _ in sizes]
    for org, size in zip(businesses, sizes, strict=True):
        slots += [("business", org)] * size
    charities = [orgs.charity() for _ in _staff_sizes(rng, counts["voluntary_group"])]
    slots += [("voluntary_group", o) for o in _zipf_assign(rng, charities, counts["voluntary_group"])]
    slots += [("resident", None)] * counts["resident"]
    slots += [("other", rng.choice(businesses) if businesses and rng.random() < 0.5 else None)
              for _ in range(counts["other"])]
    rng.shuffle(slots)

    factory = _PeopleFactory(rng, names, numbers, postcodes, dates)
    people: list[Person] = []
    for index, (category, org) in enumerate(slots, start=1):
        person = factory.person(f"P{index:06d}", category, org)
        people.append(person)
        if org is not None:
            org.staff.append(person)
    organisations = [o for o in bodies + businesses + charities if o.staff]
    _make_namesakes(rng, names, numbers, people, organisations)
    accented_names = {g: [f[0] for f in FIRST_NAMES if f[1] == g and f[0] in ACCENTED_FIRST_NAMES] for g in "mf"}
    eligible = [p for p in people if p.category == "business" and not (p.keyholder_only or p.namesake)]
    for person in rng.sample(eligible, min(len(eligible), max(3, len(people) // 100))):
        person.first_name, person.nicknames, person.preferred_name = rng.choice(accented_names[person.gender]), (), None
        person.accented = True
    for postcode in (p for p in postcodes if not p.listed):  # someone's rows must make the lookup happen
        person = rng.choice(people)
        person.postcode, person.address_line_1 = postcode, _street_address(rng, postcode)
    _assign_emails(rng, people, organisations)
    premises = _build_premises(rng, organisations, postcodes)
    for person in people:
        if person.keyholder_only and not person.keyholder_of:
            person.keyholder_only = False
    for number, org in enumerate(organisations, start=1):
        org.organisation_id = f"O{number:05d}"
    return Population(organisations, people, premises, postcodes, dates)
