"""A message's whole life through the command line, with an author and an inspector, delivered to a real
Notify-compatible server, a real SMTP server and files on loopback."""

from __future__ import annotations

import csv
import socket
from collections import Counter
from pathlib import Path

import pytest

from accounts.users import AccountStore

from ..notify_api import notify_environ, running_notify
from .cli_helpers import Cli, write
from .test_sync_and_audience import city  # noqa: F401  (fixture)

pytestmark = pytest.mark.neo4j
PASSWORD = "a long enough password"


@pytest.fixture
def cli(capsys, monkeypatch, neo4j_connection, clean_graph, tmp_path, city: Path) -> Cli:  # noqa: F811
    cli = Cli(capsys, monkeypatch, neo4j_connection, tmp_path / "home")
    assert cli("sync", "--manifest", str(city)).code == 0
    accounts = AccountStore(tmp_path / "home")
    accounts.add_user("ann", "messaging", PASSWORD)
    accounts.add_user("ivan", "inspector", PASSWORD)
    accounts.add_user("sue", "steward", PASSWORD)
    accounts.add_user("ada", "admin", PASSWORD)
    monkeypatch.setenv("STAKEHOLDERS_USER", "ann")  # the messaging officer, unless a test says otherwise
    return cli


@pytest.fixture
def notify(monkeypatch):
    with running_notify() as api:
        for name, value in {**notify_environ(api), "STAKEHOLDERS_NOTIFY_RETRIES": "1"}.items():
            monkeypatch.setenv(name, value)
        yield api


def _as(monkeypatch, user: str) -> None:
    monkeypatch.setenv("STAKEHOLDERS_USER", user)


def _authorised(cli: Cli, monkeypatch, message: str) -> None:
    """Submitted by its author, authorised by the inspector; the author acts again after."""
    assert cli("message", "submit", message).code == 0
    _as(monkeypatch, "ivan")
    assert cli("message", "authorise", message).code == 0
    _as(monkeypatch, "ann")


def _expected(cli: Cli, *filters: str) -> set[tuple[str, str]]:
    """(channel, address) of everyone the audience reaches: the channels each consented to."""
    result = cli("audience", *filters, "--format", "json")  # as a messaging user: no restricted contact
    assert result.code == 0, result.err
    return ({("email", r["email"]) for r in result.json() if r["email"]}
            | {("sms", r["mobile"]) for r in result.json() if r["mobile"]})


def _draft(cli: Cli, tmp_path: Path, *args: str, body: str = "Protest at {area}: avoid Cornhill. Ref {reference}"
           ) -> str:
    text = write(tmp_path / "body.txt", body)
    result = cli("message", "draft", "--title", "Protest in Cornhill", "--body-file", str(text), "--type",
                 "spontaneous", *args)
    assert result.code == 0, result.err
    return result.out.strip()


def test_the_workflow_from_draft_to_closure_with_an_author_and_an_inspector(cli: Cli, notify, monkeypatch,
                                                                            tmp_path: Path):
    expected = _expected(cli, "--issue", "protest")
    assert expected and {c for c, _ in expected} == {"email", "sms"}
    _as(monkeypatch, "ann")
    message = _draft(cli, tmp_path, "--grade", "2", "--channel", "email", "--channel", "sms", "--issue", "protest")
    assert message == "M-1"
    assert cli("message", "issue", message, "--via", "notify").code == 2  # not authorised yet
    assert cli("message", "submit", message).code == 0
    own = cli("message", "authorise", message)
    assert own.code == 2 and "inspector" in own.err  # grade 2: an inspector, and never its author
    _as(monkeypatch, "sue")
    assert cli("message", "authorise", message).code == 2  # a steward may not either
    _as(monkeypatch, "ivan")
    assert cli("message", "authorise", message).code == 0

    _as(monkeypatch, "ann")
    issued = cli("message", "issue", message, "--via", "notify", "--next-update-in", "30m")
    assert issued.code == 0, issued.err
    sent = {(n["type"], n["to"]) for n in notify.accepted()}
    assert sent == expected and len(notify.accepted()) == len(expected)  # one request per recipient and channel
    assert all("{" not in n["personalisation"]["body"] and "Ref M-1" in n["personalisation"]["body"]
               for n in notify.accepted())
    again = cli("message", "issue", message, "--via", "notify")
    assert again.code == 2 and "issued" in again.err and len(notify.accepted()) == len(expected)
    assert cli("message", "list", "--due").csv_rows() == []  # the update is due in 30 minutes, not yet

    update = write(tmp_path / "update.txt", "Update {reference}: the road is open again.")
    assert cli("message", "update", message, "--body-file", str(update), "--next-update-in", "1h").code == 0
    assert len(notify.accepted()) == 2 * len(expected)
    assert {(n["type"], n["to"]) for n in notify.accepted()[len(expected):]} == expected  # the same people
    closing = write(tmp_path / "closing.txt", "All clear ({reference}).")
    assert cli("message", "update", message, "--body-file", str(closing), "--final").code == 0
    shown = cli("message", "show", message, "--format", "json").json()
    assert shown["message"]["state"] == "closed" and [v["kind"] for v in shown["versions"]] == [
        "issue", "update", "closure"]
    assert len({n["reference"] for n in notify.accepted()}) == 3 * len(expected)
    assert cli("message", "update", message, "--body-file", str(update)).code == 2  # closed: nothing more


def test_a_service_down_half_way_sends_the_rest_when_it_returns_and_nobody_twice(cli: Cli, notify, monkeypatch,
                                                                                 tmp_path: Path):
    _as(monkeypatch, "ann")
    expected = _expected(cli, "--issue", "protest")
    message = _draft(cli, tmp_path, "--grade", "4", "--channel", "email", "--channel", "sms", "--issue", "protest")
    _authorised(cli, monkeypatch, message)
    notify.plan = ["ok", 429] + [500] * 20  # one sent, a rate limit lifted, then the service goes down
    cut_short = cli("message", "issue", message, "--via", "notify")
    assert cut_short.code == 1 and "not sent yet" in cut_short.err and "Traceback" not in cut_short.err
    assert 1 <= len(notify.accepted()) < len(expected)
    notify.plan = []
    resumed = cli("message", "issue", message, "--via", "notify")
    assert resumed.code == 0, resumed.err
    assert sorted((n["type"], n["to"]) for n in notify.accepted()) == sorted(expected)  # each exactly once


def test_a_permanent_failure_is_recorded_for_that_recipient_only(cli: Cli, notify, monkeypatch, tmp_path: Path):
    _as(monkeypatch, "ann")
    expected = _expected(cli, "--issue", "protest", "--channel", "email")
    message = _draft(cli, tmp_path, "--grade", "4", "--channel", "email", "--issue", "protest")
    _authorised(cli, monkeypatch, message)
    notify.plan = ["permanent"]
    assert cli("message", "issue", message, "--via", "notify").code == 0
    status = cli("message", "show", message, "--format", "json").json()["status"]
    assert status == {"email permanent-failure": 1, "email sent": len(expected) - 1}


def test_files_for_the_messaging_platform_one_per_channel(cli: Cli, monkeypatch, tmp_path: Path):
    _as(monkeypatch, "ann")
    expected = _expected(cli, "--issue", "protest")
    message = _draft(cli, tmp_path, "--grade", "3", "--channel", "email", "--channel", "sms", "--issue", "protest",
                     body="Dear {first_name}, a protest is expected ({reference}).")
    _authorised(cli, monkeypatch, message)
    out = tmp_path / "outbox"
    assert cli("message", "issue", message, "--via", "file", "--out", str(out)).code == 0
    rows = {}
    for channel in ("email", "sms"):
        with (out / f"M-1-v1-{channel}.csv").open(newline="", encoding="utf-8") as stream:
            rows[channel] = list(csv.DictReader(stream))
    assert {(c, r["address"]) for c, found in rows.items() for r in found} == expected
    assert all(r["body"].startswith("Dear ") and "{" not in r["body"] and r["reference"].startswith("M-1-v1-")
               for found in rows.values() for r in found)


def test_email_through_a_real_smtp_server(cli: Cli, monkeypatch, tmp_path: Path):
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message as MessageHandler

    received = []

    class Keep(MessageHandler):
        def handle_message(self, message) -> None:
            received.append(message)

    _as(monkeypatch, "ann")
    with socket.socket() as probe:  # a free loopback port for the server
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Keep(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        for name, value in {"STAKEHOLDERS_SMTP_HOST": "127.0.0.1", "STAKEHOLDERS_SMTP_PORT": str(port),
                            "STAKEHOLDERS_SMTP_FROM": "alerts@cityoflondon.police.uk",
                            "STAKEHOLDERS_SMTP_STARTTLS": "off"}.items():
            monkeypatch.setenv(name, value)
        expected = _expected(cli, "--issue", "protest", "--channel", "email")
        both = _draft(cli, tmp_path, "--grade", "4", "--channel", "email", "--channel", "sms", "--issue", "protest")
        _authorised(cli, monkeypatch, both)
        refused = cli("message", "issue", both, "--via", "smtp")
        assert refused.code == 1 and "does not carry" in refused.err  # SMS cannot go by SMTP
        message = _draft(cli, tmp_path, "--grade", "4", "--channel", "email", "--issue", "protest")
        _authorised(cli, monkeypatch, message)
        assert cli("message", "issue", message, "--via", "smtp").code == 0
    finally:
        controller.stop()
    assert sorted(m["To"] for m in received) == sorted(a for _, a in expected)
    assert all(m["Subject"] == "Protest in Cornhill" and m["X-Stakeholders-Reference"].startswith("M-2-v1-")
               for m in received)


@pytest.mark.parametrize(("args", "body", "code", "said"), [
    (("--channel", "email"), "Hello {firstname}", 2, "unknown placeholder"),
    (("--channel", "sms"), "x" * 500, 2, "segments"),
    (("--channel", "app"), "Road closed", 2, "--public"),
])
def test_bad_drafts_are_refused_with_one_line(cli: Cli, monkeypatch, tmp_path: Path, args, body, code, said):
    _as(monkeypatch, "ann")
    text = write(tmp_path / "body.txt", body)
    result = cli("message", "draft", "--title", "T", "--body-file", str(text), "--type", "spontaneous", "--grade",
                 "3", *args, "--issue", "protest")
    assert result.code == code and said in result.err and "Traceback" not in result.err


def test_an_empty_audience_issues_nothing(cli: Cli, notify, monkeypatch, tmp_path: Path):
    _as(monkeypatch, "ann")
    message = _draft(cli, tmp_path, "--grade", "4", "--channel", "email", "--ward", "Tower", "--issue", "fraud")
    _authorised(cli, monkeypatch, message)
    result = cli("message", "issue", message, "--via", "notify")
    assert result.code == 1 and "audience is empty" in result.err
    assert notify.accepted() == [] and cli("message", "show", message, "--format", "json").json()[
        "message"]["state"] == "authorised"


def test_a_stop_reply_and_a_failed_address_change_the_next_audience_after_a_sync(cli: Cli, notify, monkeypatch,
                                                                               tmp_path: Path, city: Path):  # noqa: F811
    _as(monkeypatch, "ann")
    before = {r["name"]: r for r in cli("audience", "--issue", "protest", "--format", "json").json()}
    emails = Counter(r["email"] for r in before.values() if r["email"])
    mobiles = Counter(r["mobile"] for r in before.values() if r["mobile"])
    # people whose address is theirs alone (a shared mailbox would speak for two)
    stopping = next(r for r in before.values() if mobiles[r["mobile"]] == 1 and r["email"])  # reached both ways
    failing = next(r for r in before.values() if emails[r["email"]] == 1 and r["name"] != stopping["name"])
    message = _draft(cli, tmp_path, "--grade", "4", "--channel", "email", "--channel", "sms", "--issue", "protest")
    _authorised(cli, monkeypatch, message)
    assert cli("message", "issue", message, "--via", "notify").code == 0
    for notification in notify.notifications:
        notification["status"] = "permanent-failure" if notification["to"] == failing["email"] else "delivered"
    notify.received_texts.append({"id": "0b6f5d3e-8f3a-4c59-9d2b-5a3a3f1c2a11",
                                  "user_number": stopping["mobile"].lstrip("+"), "content": " stop ",
                                  "created_at": "2099-01-01T09:00:00.000000Z"})
    polled = cli("message", "receipts")
    assert polled.code == 0 and "1 SMS opt-out" in polled.err and "1 address(es) marked undeliverable" in polled.err
    status = cli("message", "show", message, "--format", "json").json()["status"]
    assert status["email permanent-failure"] == 1 and "email sent" not in status

    assert cli("sync", "--manifest", str(city)).code == 0
    after = {r["name"]: r for r in cli("audience", "--issue", "protest", "--format", "json").json()}
    assert after[stopping["name"]]["mobile"] in ("", None)  # no SMS after STOP ...
    assert after[stopping["name"]]["email"] == stopping["email"]  # ... still reached by email
    assert failing["name"] not in after or not after[failing["name"]]["email"]
    assert stopping["name"] not in {r["name"] for r in cli("audience", "--issue", "protest", "--channel", "sms",
                                                           "--format", "json").json()}
    # the profile's consent history says where the "no" came from, and which messages the person got
    _as(monkeypatch, "ada")
    subject = cli("export", "subject", stopping["contact_id"]).json()
    sms = next(c for c in subject["consents"] if c["channel"] == "sms")
    assert sms["value"] is False and sms["source"].startswith("SMS reply STOP")
    assert [e["kind"] for e in sms["came_back"]] == ["opt_out"] and sms["stated_on_rows"]
    assert {(m["message_id"], m["channel"]) for m in subject["messages"]} == {(message, "email"), (message, "sms")}


def test_an_overdue_update_is_listed_and_its_inspectors_prompted_from_dagster(cli: Cli, notify, monkeypatch,
                                                                            tmp_path: Path, neo4j_driver):
    import dagster as dg

    from pipelines.definitions import defs
    from pipelines.resources import StakeholdersResource

    _as(monkeypatch, "ada")
    assert cli("users", "contact", "ivan", "--email", "ivan.inspector@cityoflondon.police.uk",
               "--mobile", "07700 900777").code == 0
    _as(monkeypatch, "ann")
    message = _draft(cli, tmp_path, "--grade", "2", "--channel", "email", "--issue", "protest")
    _authorised(cli, monkeypatch, message)
    assert cli("message", "issue", message, "--via", "notify", "--next-update-in", "30m").code == 0
    sent_to_people = len(notify.accepted())
    neo4j_driver.execute_query(  # half an hour on: the promised update is now overdue
        "MATCH (m:Message {id: $id}) SET m.next_update_due = '2000-01-01T00:00:00+00:00'", {"id": message})
    due = cli("message", "list", "--due").csv_rows()
    assert [(r["message_id"], r["due"]) for r in due] == [(message, "update overdue")]

    resource = StakeholdersResource(home=str(tmp_path / "home"))
    sensor = defs.get_sensor_def("messages_due")
    with dg.build_sensor_context(resources={"stakeholders": resource}) as context:
        request = sensor(context)
    assert isinstance(request, dg.RunRequest)
    with dg.instance_for_test() as instance:
        run = defs.resolve_job_def("message_prompts").execute_in_process(
            instance=instance, resources={"stakeholders": resource})
    assert run.success
    prompts = notify.accepted()[sent_to_people:]
    assert sorted((p["type"], p["to"]) for p in prompts) == [("email", "ivan.inspector@cityoflondon.police.uk"),
                                                           ("sms", "+447700900777")]
    assert all(message in p["personalisation"]["body"] and "update overdue" in p["personalisation"]["body"]
               for p in prompts)
    with dg.build_sensor_context(resources={"stakeholders": resource}) as context:
        assert isinstance(sensor(context), dg.SkipReason)  # prompted once for this due time, not every minute


def test_templates_keep_the_wording_consistent_and_only_admins_change_them(cli: Cli, notify, monkeypatch,
                                                                         tmp_path: Path):
    _as(monkeypatch, "ann")
    listed = cli("message", "templates").out
    assert {line.split("\t")[0] for line in listed.splitlines()} >= {"holding", "update", "closure", "all-clear"}
    words = write(tmp_path / "t.txt", "Road closure near {area} until {next_update}. Ref {reference}")
    assert cli("message", "template", "roads", "--kind", "advice", "--body-file", str(words)).code == 2  # not admin
    _as(monkeypatch, "ada")
    bad = write(tmp_path / "bad.txt", "Hello {nmae}")
    refused = cli("message", "template", "roads", "--kind", "advice", "--body-file", str(bad))
    assert refused.code == 2 and "{nmae}" in refused.err
    assert cli("message", "template", "roads", "--kind", "advice", "--body-file", str(words)).code == 0
    _as(monkeypatch, "ann")
    result = cli("message", "draft", "--title", "Roads", "--template", "roads", "--type", "pre_planned", "--grade",
                 "4", "--channel", "email", "--ward", "Cheap")
    assert result.code == 0, result.err
    message = result.out.strip()
    _authorised(cli, monkeypatch, message)
    assert cli("message", "issue", message, "--via", "notify", "--next-update-in", "2h").code == 0
    issued = len(notify.accepted())
    bodies = {n["personalisation"]["body"] for n in notify.accepted()}
    assert bodies and all(b.startswith("Road closure near Cheap until ") and b.endswith(message) for b in bodies)
    assert cli("message", "update", message, "--template", "closure", "--final").code == 0
    closure = notify.accepted()[issued:]
    assert len(closure) == issued and all("is now closed" in n["personalisation"]["body"] for n in closure)


def test_an_erased_recipients_delivery_row_keeps_no_address_and_updates_skip_them(cli: Cli, notify, monkeypatch,
                                                                                tmp_path: Path, neo4j_driver):
    _as(monkeypatch, "ann")
    message = _draft(cli, tmp_path, "--grade", "4", "--channel", "email", "--issue", "protest")
    _authorised(cli, monkeypatch, message)
    assert cli("message", "issue", message, "--via", "notify").code == 0
    addresses = Counter(n["to"] for n in notify.accepted())
    gone = next(n for n in notify.accepted() if addresses[n["to"]] == 1)  # an address nobody else shares
    contact = next(d["contact_id"] for d in cli("message", "show", message, "--format", "json").json()["deliveries"]
                   if d["address"] == gone["to"])
    _as(monkeypatch, "ada")
    assert cli("forget", contact, "--why", "ticket 1").code == 0
    _as(monkeypatch, "ann")
    rows, _, _ = neo4j_driver.execute_query("MATCH (d:Delivery {contact_id: $id}) RETURN d.address AS address",
                                            {"id": contact})
    assert [r["address"] for r in rows] == [""]
    issued = len(notify.accepted())
    update = write(tmp_path / "u.txt", "Update {reference}")
    assert cli("message", "update", message, "--body-file", str(update)).code == 0
    assert gone["to"] not in {n["to"] for n in notify.accepted()[issued:]}
    assert len(notify.accepted()) - issued == issued - 1


def test_the_services_callbacks_record_receipts_and_stop_replies(cli: Cli, notify, monkeypatch, tmp_path: Path,
                                                                 neo4j_connection, city: Path):  # noqa: F811
    from starlette.testclient import TestClient

    from delivery.settings import DeliverySettings
    from graph.store import GraphStore
    from services.installation import Installation
    from web.app import create_app
    from web.config import WebConfig

    _as(monkeypatch, "ann")
    message = _draft(cli, tmp_path, "--grade", "4", "--channel", "sms", "--issue", "protest")
    _authorised(cli, monkeypatch, message)
    assert cli("message", "issue", message, "--via", "notify").code == 0
    first = notify.accepted()[0]
    store = GraphStore(neo4j_connection)
    app = create_app(WebConfig(), Installation(home=tmp_path / "home", connect=lambda: store,
                                               delivery=DeliverySettings(callback_token="a-long-random-token")))
    client = TestClient(app, base_url="http://127.0.0.1:8000")
    token = {"Authorization": "Bearer a-long-random-token"}
    receipt = {"id": first["id"], "reference": first["reference"], "to": first["to"], "status": "delivered",
               "notification_type": "sms"}
    assert client.post("/notify/delivery-status", json=receipt).status_code == 401  # no token
    wrong = {"Authorization": "Bearer x"}
    assert client.post("/notify/delivery-status", json=receipt, headers=wrong).status_code == 401
    assert client.post("/notify/delivery-status", content=b"{not json", headers=token).status_code == 400
    assert client.post("/notify/delivery-status", json={"status": "delivered"}, headers=token).status_code == 400
    unknown = client.post("/notify/delivery-status", json={**receipt, "id": "5b5c6a0e-0000-0000-0000-000000000000"},
                          headers=token)
    assert unknown.status_code == 404 and "no message was sent" in unknown.json()["error"]
    answer = client.post("/notify/delivery-status", json=receipt, headers=token)
    assert answer.status_code == 200 and answer.json() == {"recorded": "delivered"}
    reply = {"id": "a1b2", "source_number": first["to"].lstrip("+"), "destination_number": "07700900000",
             "message": "STOP", "date_received": "2099-01-01T09:00:00.000000Z"}
    assert client.post("/notify/received-text", json=reply, headers=token).json() == {"opted_out": True}
    assert client.post("/notify/received-text", json={**reply, "message": "thanks"}, headers=token).json() == {
        "opted_out": False}
    store.close()
    assert cli("message", "show", message, "--format", "json").json()["status"]["sms delivered"] == 1
    assert cli("sync", "--manifest", str(city)).code == 0
    reached = {r["mobile"] for r in cli("audience", "--issue", "protest", "--channel", "sms", "--format",
                                        "json").json()}
    assert first["to"] not in reached


def test_an_unsubscribe_click_is_a_no_to_email_from_the_next_sync(cli: Cli, notify, monkeypatch, tmp_path: Path,
                                                                  neo4j_connection, city: Path):  # noqa: F811
    from urllib.parse import urlsplit

    from starlette.testclient import TestClient

    from graph.store import GraphStore
    from pipelines.settings import Settings
    from web.app import create_app
    from web.config import WebConfig

    monkeypatch.setenv("STAKEHOLDERS_PUBLIC_URL", "https://alerts.example.police.uk")
    _as(monkeypatch, "ann")
    message = _draft(cli, tmp_path, "--grade", "4", "--channel", "email", "--issue", "protest")
    _authorised(cli, monkeypatch, message)
    assert cli("message", "issue", message, "--via", "notify").code == 0
    first = notify.accepted()[0]
    link = urlsplit(first["one_click_unsubscribe_url"])
    assert link.netloc == "alerts.example.police.uk" and link.path.startswith(f"/unsubscribe/{message}/")
    store = GraphStore(neo4j_connection)
    settings = Settings.from_env({"STAKEHOLDERS_HOME": str(tmp_path / "home")})
    installation = settings.installation()
    installation.connect = lambda: store
    client = TestClient(create_app(WebConfig(), installation), base_url="http://127.0.0.1:8000")
    assert client.get(link.path[:-4] + "beef").status_code == 404  # not one of ours
    assert "Stop these emails" in client.get(link.path).text
    done = client.post(link.path, data={"List-Unsubscribe": "One-Click"})  # as a mail client's one click
    assert done.status_code == 200 and "not email you" in done.text
    store.close()
    assert cli("sync", "--manifest", str(city)).code == 0
    emails = {r["email"] for r in cli("audience", "--issue", "protest", "--channel", "email", "--format",
                                      "json").json()}
    assert first["to"] not in emails


def test_a_message_to_a_saved_audience_goes_to_exactly_its_people(cli: Cli, notify, monkeypatch, tmp_path: Path,
                                                                 neo4j_connection):
    from graph.store import GraphStore
    from services.saved_audiences import AudienceForm

    with GraphStore(neo4j_connection) as store:
        store.save_audience("terrorism list", AudienceForm(issues=("terrorism",), channel="email").to_json(), "ann",
                            "2026-12-01")
    expected = _expected(cli, "--issue", "terrorism", "--channel", "email")
    assert expected
    message = _draft(cli, tmp_path, "--grade", "4", "--channel", "email", "--include", "saved:terrorism list")
    _authorised(cli, monkeypatch, message)
    assert cli("message", "issue", message, "--via", "notify").code == 0
    assert {(n["type"], n["to"]) for n in notify.accepted()} == expected
    bad = cli("message", "draft", "--title", "T", "--body-file", str(tmp_path / "body.txt"), "--type", "spontaneous",
              "--grade", "4", "--channel", "email", "--include", "Bob")
    assert bad.code == 2 and "saved:NAME" in bad.err


def test_public_messages_are_served_as_the_apps_and_the_social_teams_feeds(cli: Cli, notify, monkeypatch,
                                                                          tmp_path: Path, neo4j_connection):
    import xml.etree.ElementTree as ET

    from starlette.testclient import TestClient

    from graph.store import GraphStore
    from services.installation import Installation
    from web.app import create_app
    from web.config import WebConfig

    public = _draft(cli, tmp_path, "--grade", "3", "--channel", "sms", "--channel", "app", "--channel", "social",
                    "--public", "--ward", "Cornhill", body="Road closed in {area} ({reference}).")
    private = _draft(cli, tmp_path, "--grade", "3", "--channel", "sms", "--channel", "app", "--public",
                     "--ward", "Cornhill")
    for message in (public, private):
        _authorised(cli, monkeypatch, message)
    assert cli("message", "issue", public, "--via", "notify").code == 0  # the other stays unissued
    store = GraphStore(neo4j_connection)
    client = TestClient(create_app(WebConfig(), Installation(home=tmp_path / "home", connect=lambda: store)),
                        base_url="http://127.0.0.1:8000")
    app = client.get("/feeds/app.json")  # no sign-in: public by definition
    assert app.status_code == 200 and [i["id"] for i in app.json()["items"]] == [public]
    assert app.json()["items"][0]["content_text"] == f"Road closed in Cornhill ({public})."
    social = ET.fromstring(client.get("/feeds/social.atom").text)
    entries = social.findall("{http://www.w3.org/2005/Atom}entry")
    assert [e.find("{http://www.w3.org/2005/Atom}id").text for e in entries] == [f"urn:stakeholders:message:{public}"]
    store.close()
