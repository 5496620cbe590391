"""Every door of the app, tried by a stakeholder of one organisation (A) with another's IDs (B's).

The routes come from the app itself at run time (``app.routes``, every method), so a page or form added
later is tried too. A's portal session token goes in both cookies (``sg_portal`` and ``sg_session``: a
copied cookie, the worst case), with A's CSRF token on every form. Every police URL answers 403 or 404;
every portal URL filled with B's IDs (B's contacts, staff entries, questions, reports) answers 404 or 403;
no response shows anything of B; and after the run B's records in the portal store, B's part of the graph
and the accounts are as they were. The few public routes are listed in ``PUBLIC``, each with its reason, and
checked to show no one's personal data. Then: a police session is no portal session, no session is sent to
the portal's sign-in, a portal form without its session's own token is refused, and each organisation has
its own hourly limit.
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from starlette.routing import Mount
from starlette.testclient import TestClient

import web
from accounts.invites import Invites
from accounts.users import ROLES, AccountStore
from graph.neo4j_server.launcher import Neo4jConnection
from portal.store import PortalStore, RateLimits

from .portal_world import World, synced_world
from .web_client import form_token

pytestmark = pytest.mark.neo4j
PORTAL = "/portal"
STATIC = Path(web.__file__).parent / "static"
NO_ID = "Z-0"  # for a path parameter nothing below fills: refused all the same
DUMMY_TOKEN = "x" * 43  # an unsubscribe link's proof A does not have

# (method, path) -> (why it is open, the statuses it may answer A with). Everything else is refused.
PUBLIC = {
    ("GET", "/login"): ("the police sign-in form", {200}),
    ("POST", "/login"): ("the police sign-in: refuses a stakeholder's account, and a form without a password",
                         {401, 403}),
    ("POST", "/logout"): ("ends the session its own cookie names, and only that one", {303, 403}),
    ("GET", "/portal/login"): ("the portal's sign-in form (a signed-in stakeholder goes to their own portal)",
                               {200, 303}),
    ("POST", "/portal/login"): ("the portal's sign-in: refuses a form without a password", {401, 403}),
    ("POST", "/portal/logout"): ("ends the session its own cookie names, and only that one", {303, 403}),
    ("GET", "/portal/invite/{token}"): ("an invitation's link is its own proof (tried in its own test)", {200, 410}),
    ("POST", "/portal/invite/{token}"): ("an invitation's link is its own proof (tried in its own test)",
                                         {400, 403, 410}),
    ("GET", "/static"): ("the app's own styles and scripts", {200}),
    ("GET", "/feeds/app.json"): ("public issued messages, with no one's name (delivery.feeds)", {200}),
    ("GET", "/feeds/social.atom"): ("public issued messages, with no one's name (delivery.feeds)", {200}),
    ("POST", "/notify/delivery-status"): ("the delivery service's callback: its own bearer token", {401, 404}),
    ("POST", "/notify/received-text"): ("the delivery service's callback: its own bearer token", {401, 404}),
    ("GET", "/unsubscribe/{message_id}/{contact_id}/{token}"): ("an email's unsubscribe link: its own proof",
                                                                 {404}),
    ("POST", "/unsubscribe/{message_id}/{contact_id}/{token}"): ("one-click unsubscribe (RFC 8058): its own proof",
                                                                  {404}),
}
PARAMETER = re.compile(r"\{(\w+)(?::\w+)?\}")


def app_routes(routes, prefix: str = "") -> Iterator[tuple[str, str]]:
    """(method, path template) of every route, into included routers; a mount as one GET."""
    for route in routes:
        if hasattr(route, "original_router"):  # newer FastAPI keeps an included router as its own object
            yield from app_routes(route.original_router.routes, prefix + route.include_context.prefix)
        elif isinstance(route, Mount):
            yield "GET", prefix + route.path
        else:
            for method in sorted(set(getattr(route, "methods", None) or ()) - {"HEAD"}):
                yield method, prefix + route.path


def on_portal(path: str) -> bool:
    return path == PORTAL or path.startswith(PORTAL + "/")


def filled(template: str, values: dict[str, list[str]]) -> list[str]:
    """The template with each parameter filled every way ``values`` offers (NO_ID where it offers none)."""
    names = PARAMETER.findall(template)
    if template == "/static":
        return ["/static/" + sorted(p.name for p in STATIC.iterdir() if p.is_file())[0]]
    choices = [values.get(name) or [NO_ID] for name in names]
    return [_with(template, combination) for combination in itertools.product(*choices)]


def _with(template: str, values: tuple[str, ...]) -> str:
    taken = iter(values)
    return PARAMETER.sub(lambda _: next(taken), template)


@dataclass
class Member:
    """A signed-in stakeholder: the organisation, its browser, the session token and the session's CSRF."""

    organisation: dict
    username: str
    client: TestClient
    invite_link: str
    token: str = ""
    csrf: str = ""

    def __post_init__(self) -> None:
        self.token = self.client.cookies.get("sg_portal")
        self.csrf = form_token(self.client.get("/portal/staff").text)

    def post(self, path: str, data: dict) -> object:
        return self.client.post(path, data={"csrf_token": self.csrf, **data})


@dataclass
class Scene:
    a: Member
    b: Member
    b_pending_link: str
    b_entries: list[str]  # B's staff entries (SS-n): one a new person, one a graph contact corrected
    b_questions: list[str]
    b_reports: list[str]  # one sent to B's staff, one not
    b_message: str  # the message B's report went out as
    a_entry: str
    a_report: str
    b_markers: list[str] = field(default_factory=list)  # what of B no response to A may show
    personal: list[str] = field(default_factory=list)  # anyone's names and emails: never on a public page

    def portal_values(self) -> dict[str, list[str]]:
        contacts = [p["id"] for p in self.b.organisation["people"]][:2]
        return {"key": contacts + self.b_entries, "entry_id": self.b_entries, "contact_id": contacts,
                "question_id": self.b_questions, "report_id": self.b_reports, "message_id": [self.b_message],
                "organisation_id": [self.b.organisation["id"]], "username": [self.b.username]}

    def police_values(self) -> dict[str, list[str]]:
        return {**self.portal_values(), "key": [self.b.organisation["people"][0]["id"]], "token": [DUMMY_TOKEN]}

    def own_values(self) -> dict[str, list[str]]:
        """A's own IDs: a refusal with these is the door's, not a not-found."""
        return {"key": [self.a_entry], "report_id": [self.a_report], "token": [DUMMY_TOKEN]}


def cookies(*pairs: tuple[str, str]) -> dict[str, str]:
    return {"cookie": "; ".join(f"{name}={value}" for name, value in pairs if value)}


def bare(world: World) -> TestClient:
    """A browser that sends exactly the cookies given with each request (its own jar stays empty)."""
    return world.client()


def send(client: TestClient, method: str, path: str, headers: dict, data: dict | None = None):
    client.cookies.clear()
    if method == "GET":
        return client.get(path, headers=headers)
    return client.request(method, path, headers=headers, data=data or {})


def fresh_session(world: World, token: str) -> tuple[str, str]:
    """Another session of the user whose session ``token`` is: its token and CSRF token."""
    accounts = world.app.state.accounts
    made, session = accounts.start_session(accounts.session(token).user)
    return made, session.csrf_token


def sign_in_pair(world: World, path: str = "/login") -> tuple[str, str]:
    """A sign-in form's pre-session cookie and its token: what passes the CSRF check of a request without a
    session of that side, so that the route's own check is what answers."""
    client = world.client()
    page = client.get(path)
    return client.cookies.get("sg_login_csrf"), form_token(page.text)


def hostile_form(scene: Scene) -> dict[str, object]:
    """Plausible values for any form, with B's IDs wherever a form might take an ID."""
    b, person = scene.b.organisation, scene.b.organisation["people"][0]
    return {"full_name": "Probe From Alpha", "email": "probe.alpha@alpha-portal.example", "consent_email": "yes",
            "job_title": "Tester", "staff_list": "Paste Probe, Clerk, paste.probe@alpha-portal.example",
            "subject": "Probe subject", "text": "Probe question text", "issue": "", "directorate": "",
            "what": "Probe report from Alpha", "postcode": "", "latitude": "51.515", "longitude": "-0.09",
            "about": "Alpha about probe", "answer": "Probe answer", "channels": "email", "hours": "24",
            "username": "alpha.intruder", "role": "admin", "password": "intruder password long enough",
            "confirm": "intruder password long enough", "field": "email", "value": "probe@alpha-portal.example",
            "reason": "probe", "type": "meeting", "date": "2026-01-01", "notes": "probe", "officer": "probe",
            "organisation_id": b["id"], "contact_id": person["id"], "entry_id": scene.b_entries[0],
            "question_id": scene.b_questions[0], "report_id": scene.b_reports[-1], "message_id": scene.b_message}


def leaks(response, markers: list[str]) -> list[str]:
    text = response.text + " " + response.headers.get("location", "")
    return [m for m in markers if m in text or html.escape(m) in text]


def records_of(world: World, organisation_id: str) -> dict:
    """The organisation's records: in the portal store, in the graph (it, its people and all they touch),
    and every account and message."""
    portal = world.installation.portal
    staff = portal.staff(organisation_id, current_only=False)
    around = """
        MATCH (n) WHERE (n:Organisation AND n.id = $id)
                     OR EXISTS { (n:Contact)-[:WORKS_FOR]->(:Organisation {id: $id}) }
        OPTIONAL MATCH (n)-[r]-(m)
        RETURN labels(n) AS labels, properties(n) AS node, collect([type(r), labels(m), properties(m)]) AS around"""
    graph = sorted(repr((r["labels"], sorted(r["node"].items()), sorted(map(repr, r["around"]))))
                   for r in world.rows(around, id=organisation_id))
    return {"staff": staff, "history": {e.entry_id: portal.history(e.entry_id) for e in staff},
            "details": portal.details(organisation_id), "questions": portal.questions(organisation_id),
            "reports": portal.event_reports(organisation_id), "graph": graph,
            "messages": world.rows("MATCH (m:Message) RETURN m.id AS id, m.state AS state ORDER BY id"),
            "decisions": world.rows("MATCH (d:MergeDecision) RETURN count(d) AS n"),
            "accounts": sorted(map(repr, AccountStore(world.home).users())),
            "invites": sorted(map(repr, Invites(AccountStore(world.home)).of_organisation(organisation_id)))}


@pytest.fixture(scope="module")
def world(neo4j_session_driver, neo4j_connection: Neo4jConnection, tmp_path_factory, synced_graphs) -> World:
    yield from synced_world(neo4j_session_driver, neo4j_connection, tmp_path_factory.mktemp("isolation-home"),
                            synced_graphs)


@pytest.fixture(scope="module")
def organisations(world: World) -> list[dict]:
    found = world.rows("""
        MATCH (c:Contact)-[:WORKS_FOR]->(o:Organisation)
        WHERE NOT coalesce(c.restricted, false) AND c.email IS NOT NULL AND c.email <> ''
        WITH o, collect(c {.id, .name, .email}) AS people WHERE size(people) >= 2
        RETURN o.id AS id, o.name AS name, people
        ORDER BY size(people) DESC, o.name, [p IN people | p.email] LIMIT 4""")
    assert len(found) == 4, "the sample has four organisations with two reachable people or more"
    return found


def member(world: World, organisation: dict, username: str) -> Member:
    link = world.invite(organisation["id"], username)
    return Member(organisation, username, world.redeem(link, username), link)


@pytest.fixture(scope="module")
def scene(world: World, organisations: list[dict]) -> Scene:
    a = member(world, organisations[0], "alpha.keeper")
    b = member(world, organisations[1], "bravo.keeper")
    portal = world.installation.portal
    # B keeps a list, a profile, a question and two reports (one sent on to B's staff)
    assert b.post("/portal/staff", {"full_name": "Bellamy Quarrington", "job_title": "Night manager",
                                    "email": "bellamy.quarrington@bravo-portal.example",
                                    "consent_email": "yes"}).status_code == 303
    corrected = b.organisation["people"][0]
    assert b.post(f"/portal/staff/{corrected['id']}", {
        "full_name": corrected["name"], "email": "corrected.address@bravo-portal.example",
        "consent_email": "yes"}).status_code == 303
    assert b.post("/portal/profile", {"about": "Bravo keeps its cellar key with Ottoline Smythe-Arbuthnot"}
                  ).status_code == 303
    assert b.post("/portal/questions", {"subject": "Bravo cellar door question",
                                        "text": "Bravo asks about the cellar door on Thursday", "issue": "",
                                        "directorate": ""}).status_code == 303
    for what in ("Bravo saw smoke in the loading bay", "Bravo found a van blocking the north gate"):
        assert b.post("/portal/reports", {"what": what, "latitude": "51.515", "longitude": "-0.09"}
                      ).status_code == 303
    reports = [r.report_id for r in portal.event_reports(b.organisation["id"])]
    sent = b.post(f"/portal/reports/{reports[-1]}/send", {"channels": "email"})
    assert sent.status_code == 303, sent.text
    b_message = portal.event_report(reports[-1]).message_id
    assert b_message.startswith("M-")
    # A keeps a little too: its own IDs for the tests of the doors themselves
    assert a.post("/portal/staff", {"full_name": "Amadeus Whitcombe", "email": "amadeus@alpha-portal.example"}
                  ).status_code == 303
    assert a.post("/portal/reports", {"what": "Alpha report", "latitude": "51.51", "longitude": "-0.08"}
                  ).status_code == 303
    entries = [e.entry_id for e in portal.staff(b.organisation["id"])]
    assert len(entries) == 2
    a_id = a.organisation["id"]
    found = Scene(a, b, world.invite(b.organisation["id"], "bravo.pending"), entries,
                  [q.question_id for q in portal.questions(b.organisation["id"])], reports, b_message,
                  portal.staff(a_id)[0].entry_id, portal.event_reports(a_id)[0].report_id)
    a_own = {p["name"] for p in a.organisation["people"]} | {p["email"] for p in a.organisation["people"]}
    b_people = [v for p in b.organisation["people"] for v in (p["name"], p["email"]) if v]
    found.b_markers = [m for m in dict.fromkeys([
        *b_people, "Bellamy Quarrington", "bellamy.quarrington@bravo-portal.example",
        "corrected.address@bravo-portal.example", "Ottoline Smythe-Arbuthnot", "Bravo cellar door question",
        "Bravo asks about the cellar door", "Bravo saw smoke", "Bravo found a van", b.username, "bravo.pending",
        b.organisation["name"]]) if m not in a_own and len(m) > 3]
    found.personal = [m for m in dict.fromkeys([*found.b_markers, *a_own, "Amadeus Whitcombe"]) if m and len(m) > 3
                      and m not in (b.organisation["name"],)]
    return found


def test_every_public_route_listed_is_a_route_of_the_app(world):
    routes = set(app_routes(world.app.routes))
    assert set(PUBLIC) <= routes, f"listed as public but no longer a route: {sorted(set(PUBLIC) - routes)}"
    assert any(on_portal(path) for _, path in routes - set(PUBLIC)) and ("GET", "/") in routes


def test_a_stakeholder_reaches_nothing_of_another_organisation_and_no_police_page(world, scene):
    a, b = scene.a, scene.b
    before = records_of(world, b.organisation["id"])
    nonce, login_token = sign_in_pair(world)
    client, problems, tried = bare(world), [], 0
    routes = sorted(app_routes(world.app.routes), key=lambda r: ("logout" in r[1], r[1], r[0]))  # sign-outs last
    for method, template in routes:
        portal = on_portal(template)
        values = scene.portal_values() if portal else scene.police_values()
        if template.startswith("/portal/invite/"):
            continue  # the invitation's own test, below
        for path in filled(template, values):
            # a sign-out ends the session it is sent with: a second session of A's, so that A's stays
            token, csrf = fresh_session(world, a.token) if "logout" in template else (a.token, a.csrf)
            both = cookies(("sg_portal", token), ("sg_session", token))
            # A's own session's CSRF token; on police forms also a sign-in form's, which passes the CSRF check
            # of a request with no police session, so that the route's own check is what answers
            attempts = [(both, {"csrf_token": csrf})]
            if method != "GET" and not portal:
                attempts.append((cookies(("sg_portal", token), ("sg_session", token), ("sg_login_csrf", nonce)),
                                 {"csrf_token": login_token}))
            for headers, token in attempts:
                answer = send(client, method, path, headers, {**hostile_form(scene), **token})
                tried += 1
                status, where = answer.status_code, f"{method} {path} -> {answer.status_code}"
                if (method, template) in PUBLIC:
                    if status not in PUBLIC[method, template][1]:
                        problems.append(f"{where} (public: {PUBLIC[method, template][0]})")
                    if found := leaks(answer, scene.personal):
                        problems.append(f"{where} shows personal data on a public page: {found}")
                    continue
                if portal and not PARAMETER.search(template):
                    if status >= 500:  # A's own pages and forms: A's organisation, whatever the form says
                        problems.append(f"{where} (A's own page failed)")
                elif status not in (403, 404):
                    problems.append(f"{where} ({'B' if portal else 'a police'} URL not refused)")
                if found := leaks(answer, scene.b_markers):
                    problems.append(f"{where} shows B's {found}")
    assert tried > 100 and not problems, "\n".join(problems)
    after = records_of(world, b.organisation["id"])
    assert after == before, f"a request of A changed B's records: {[k for k in before if before[k] != after[k]]}"
    assert b.client.get("/portal").status_code == 200, "A's sign-out ended B's session"


def test_another_organisations_invitation_does_not_sign_a_stakeholder_in_as_them(world, scene):
    a, b = scene.a, scene.b
    both = cookies(("sg_portal", a.token), ("sg_session", a.token))
    client = bare(world)
    for link, shown in ((b.invite_link, 410), (scene.b_pending_link, 200)):
        page = send(client, "GET", link, both)
        assert page.status_code == shown
        # with A's session's token, and with the form's own (a pre-session's)
        for token in (a.csrf, form_token(page.text) if shown == 200 else a.csrf):
            answer = send(client, "POST", link, both, {"csrf_token": token, "password": "short", "confirm": "short"})
            assert answer.status_code in (400, 403, 410), (link, answer.status_code)
            assert "sg_portal" not in answer.headers.get("set-cookie", "")
            # the page of a pending invitation names its username and organisation, for the one it was made for
            assert not leaks(answer, [m for m in scene.personal if m not in (b.username, "bravo.pending")])
    session = world.app.state.accounts.session(a.token)
    assert session is not None and session.user.organisation_id == a.organisation["id"]
    assert AccountStore(world.home).user("bravo.pending") is None, "B's pending invitation is still pending"


def test_a_police_session_is_no_portal_session_in_either_cookie(world, scene):
    client = bare(world)
    portal_routes = [(m, t) for m, t in app_routes(world.app.routes) if on_portal(t) and (m, t) not in PUBLIC]
    assert portal_routes
    problems = []
    for role in ROLES:
        token = world.staff(role).cookies.get("sg_session")
        csrf = world.app.state.accounts.session(token).csrf_token
        for method, template in portal_routes:
            for path in filled(template, scene.own_values()):
                for headers in (cookies(("sg_portal", token)), cookies(("sg_portal", token), ("sg_session", token))):
                    answer = send(client, method, path, headers, {"csrf_token": csrf, **hostile_form(scene)})
                    if answer.status_code != 403:
                        problems.append(f"{role}: {method} {path} -> {answer.status_code}")
    assert not problems, "\n".join(problems)


def test_no_session_goes_to_the_portal_sign_in(world, scene):
    client = bare(world)
    gets = [t for m, t in app_routes(world.app.routes) if m == "GET" and on_portal(t) and ("GET", t) not in PUBLIC]
    assert gets
    for template in gets:
        for path in filled(template, scene.own_values()):
            # no cookie at all, and A's portal token in the police cookie only (which no portal page reads)
            for headers in ({}, cookies(("sg_session", scene.a.token))):
                answer = send(client, "GET", path, headers)
                assert answer.status_code == 303, (path, answer.status_code)
                assert answer.headers["location"].startswith("/portal/login?next="), path


def test_a_portal_form_without_its_sessions_own_token_is_refused(world, scene):
    a, b = scene.a, scene.b
    before = records_of(world, a.organisation["id"])
    client = bare(world)
    posts = [t for m, t in app_routes(world.app.routes) if m == "POST" and on_portal(t) and ("POST", t) not in PUBLIC]
    assert posts
    own = cookies(("sg_portal", a.token))
    for template in posts:
        for path in filled(template, scene.own_values()):
            for token in ({}, {"csrf_token": b.csrf}, {"csrf_token": ""}, {"csrf_token": a.csrf[:-1]}):
                answer = send(client, "POST", path, own, {**hostile_form(scene), **token})
                assert answer.status_code == 403, (path, token, answer.status_code)
            headers = {**own, "x-csrf-token": b.csrf}
            assert send(client, "POST", path, headers, hostile_form(scene)).status_code == 403, path
    assert records_of(world, a.organisation["id"]) == before


@pytest.fixture
def low_limits(world: World) -> Iterator[RateLimits]:
    installation = world.installation
    kept = installation.portal
    limits = RateLimits(changes_per_hour=3, posts_per_hour=2)
    installation.portal = PortalStore(world.home, limits)
    yield limits
    installation.portal = kept


def test_each_organisation_has_its_own_hourly_limit(world, organisations, low_limits):
    c = member(world, organisations[2], "charlie.keeper")
    d = member(world, organisations[3], "delta.keeper")
    portal = world.installation.portal
    people = lambda who: len(portal.staff(who.organisation["id"]))  # noqa: E731
    for n in range(low_limits.changes_per_hour):
        added = c.post("/portal/staff", {"full_name": f"Limit Person {n}", "email": f"limit{n}@charlie.example"})
        assert added.status_code == 303, added.text
    over = c.post("/portal/staff", {"full_name": "One Too Many", "email": "one.too.many@charlie.example"})
    assert over.status_code == 429
    assert "in the last hour, and may make 3" in over.text and "Nothing was saved." in over.text
    assert people(c) == low_limits.changes_per_hour and "One Too Many" not in c.client.get("/portal/staff").text
    # a pasted list of two is two changes: refused whole
    assert c.post("/portal/staff/paste", {"staff_list": "Pasted One, Clerk, p1@charlie.example\n"
                                                        "Pasted Two, Clerk, p2@charlie.example"}).status_code == 429
    assert c.post("/portal/profile", {"about": "over the limit"}).status_code == 429
    assert people(c) == low_limits.changes_per_hour and portal.details(c.organisation["id"]) is None
    for n in range(low_limits.posts_per_hour):
        assert c.post("/portal/questions", {"subject": f"Question {n}", "text": "Within the limit"}).status_code == 303
    refused = c.post("/portal/reports", {"what": "Over the limit", "latitude": "51.51", "longitude": "-0.08"})
    assert refused.status_code == 429 and "questions and reports in the last hour" in refused.text
    assert not portal.event_reports(c.organisation["id"])
    assert len(portal.questions(c.organisation["id"])) == low_limits.posts_per_hour
    # another organisation is not held back by it
    assert d.post("/portal/staff", {"full_name": "Delta Person", "email": "delta@delta.example"}).status_code == 303
    assert d.post("/portal/questions", {"subject": "Delta asks", "text": "Not limited by Charlie"}).status_code == 303
    assert people(d) == 1


def test_another_organisations_person_typed_into_a_list_brings_none_of_their_records_after_a_sync(world, scene):
    """A stakeholder who types in a person of another organisation (a name and address they happen to know)
    gets their own entry back after the sync, never the police's record of that person."""
    a, b = scene.a, scene.b
    person = b.organisation["people"][1]
    held = world.rows("MATCH (c:Contact {id: $id}) RETURN c.mobile AS mobile, c.phone AS phone, "
                      "c.job_title AS job_title, c.refs AS refs", id=person["id"])[0]
    before = a.client.get("/portal/staff").text
    added = a.post("/portal/staff", {"full_name": person["name"], "email": person["email"], "consent_email": "yes"})
    assert added.status_code == 303, added.text
    assert world.sync() == 0
    page = a.client.get("/portal/staff")
    assert page.status_code == 200 and person["name"] in page.text
    shown = [v for v in (person["id"], held["mobile"], held["phone"], held["job_title"])
             if v and v in page.text and v not in before]
    assert not shown, f"A's list shows the police's record of B's person: {shown}"
    assert a.client.get(f"/portal/staff/{person['id']}").status_code == 404
    after = world.rows("MATCH (c:Contact {id: $id})-[:WORKS_FOR]->(o:Organisation) RETURN collect(o.id) AS at",
                       id=person["id"])
    assert after and after[0]["at"] == [b.organisation["id"]]
