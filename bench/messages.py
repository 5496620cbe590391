"""Messages at size: issuing to 10,000 recipients through a Notify-compatible API on loopback (target:
under a minute, with progress), and personalising 100,000 recipients' bodies (target: under 10 s).

    .venv/bin/python -m bench.messages                      # its own Neo4j in bench/out/messages
    .venv/bin/python -m bench.messages --recipients 20000

The recipients are frozen straight into the graph (no sync first): what is timed is the send itself —
the personalisation, one HTTP request per recipient and channel with its JWT, the delivery rows written
back in batches — and the check that a second issue sends nobody twice.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

from graph.neo4j_server.launcher import ensure_graph
from graph.store import GraphStore
from messages.model import Message
from messages.text import personalise
from pipelines.settings import Settings
from services import messages
from services.installation import Installation
from tests.notify_api import notify_environ, running_notify

OUT = Path(__file__).resolve().parent / "out" / "messages"
BODY = ("Dear {first_name}, a protest is expected in {area} at noon. Avoid the area. Next update {next_update}. "
        "{reference}")


def personalisation(n: int) -> float:
    started = time.perf_counter()
    for i in range(n):
        personalise(BODY, {"first_name": f"Person{i}", "area": "Cornhill", "next_update": "12:30",
                           "reference": "M-1"})
    return time.perf_counter() - started


def issue(n: int, home: Path) -> tuple[float, int, int]:
    with running_notify() as api:
        # the loopback service has no rate limit; a live GOV.UK Notify key allows 3,000 a minute
        settings = Settings.from_env({**os.environ, **notify_environ(api), "STAKEHOLDERS_HOME": str(home),
                                      "STAKEHOLDERS_NOTIFY_PER_MINUTE": "1000000"})
        store = GraphStore(ensure_graph(home, settings.environ, progress=lambda m: None))
        installation = Installation(home=home, connect=lambda: store, delivery=settings.delivery)
        store.ensure_schema()
        with store.session() as session:  # a fresh count each run
            session.run("MATCH (n) WHERE n:Message OR n:Delivery OR n:MessageVersion OR n:MessageState "
                        "CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
        message = store.new_message(Message("", "spontaneous", 1, "Bench", BODY, ("email",), {"wards": ["Cornhill"]},
                                            "bench", state="issued", versions=1,
                                            issued_at=messages.now().isoformat()))
        store.freeze_recipients(message.message_id, [
            {"contact_id": f"C-{i:010d}", "channel": "email", "address": f"person{i}@example.co.uk"}
            for i in range(n)])
        channel = settings.delivery.channel("notify", None, "")
        started = time.perf_counter()
        report = messages._send(installation, message, 1, channel, lambda m: print("  " + m, file=sys.stderr))
        seconds = time.perf_counter() - started
        again = messages._send(installation, message, 1, channel, lambda m: None)  # a retry: nobody twice
        assert again.counts == {} and len(api.accepted()) == n, (again.counts, len(api.accepted()))
        store.close()
        return seconds, report.counts.get("sent", 0), len(api.accepted())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--bodies", type=int, default=100_000)
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    bodies = personalisation(args.bodies)
    seconds, sent, received = issue(args.recipients, OUT / "home")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'what':44} {'figure':>12} {'target':>10}")
    print(f"{f'personalise {args.bodies:,} bodies':44} {bodies:>10.2f} s {'< 10 s':>10}")
    print(f"{f'issue to {args.recipients:,} recipients via notify':44} {seconds:>10.1f} s {'< 60 s':>10}")
    print(f"{'  requests the service received':44} {received:>12,} {args.recipients:>10,}")
    print(f"{'  sends per second':44} {sent / seconds:>12,.0f}")
    print(f"{'peak memory of this process':44} {peak:>9,.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
