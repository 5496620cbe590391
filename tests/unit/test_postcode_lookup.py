"""PostcodeLookup against a real HTTP server on loopback that speaks the bulk endpoint."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from sources.postcode_lookup import PostcodeLocation, PostcodeLookup, PostcodeLookupError

from ..postcodes_api import FakePostcodesApi, running_postcodes_api

KNOWN = {
    "EC2V 7HH": {"postcode": "EC2V 7HH", "latitude": 51.51503, "longitude": -0.09139,
                 "admin_ward": "Cheap", "admin_district": "City of London"},
    "EC2R 8AH": {"postcode": "EC2R 8AH", "latitude": 51.51396, "longitude": -0.08897,
                 "admin_ward": "Cornhill", "admin_district": "City of London"},
}


@pytest.fixture
def api() -> Iterator[FakePostcodesApi]:
    with running_postcodes_api(KNOWN) as state:
        yield state


def _client(api: FakePostcodesApi, tmp_path: Path, **options: object) -> PostcodeLookup:
    settings = {"timeout": 2.0, "max_retries": 3, "backoff": 0.01} | options
    return PostcodeLookup(api.base_url, tmp_path / "cache" / "postcodes.json", **settings)


def _many_postcodes(n: int) -> list[str]:
    return [f"N{i // 10 + 1} {i % 10}AA" for i in range(n)]


def test_known_postcode_is_located(api: FakePostcodesApi, tmp_path: Path) -> None:
    with _client(api, tmp_path) as lookup:
        found = lookup.lookup(["EC2V 7HH"])
    assert found == {"EC2V 7HH": PostcodeLocation("EC2V 7HH", 51.51503, -0.09139, "Cheap", "City of London")}


def test_250_postcodes_go_in_three_calls_of_at_most_100(api: FakePostcodesApi, tmp_path: Path) -> None:
    postcodes = _many_postcodes(250)
    api.known.update({p: {"postcode": p, "latitude": 51.5, "longitude": -0.1, "admin_ward": "W",
                          "admin_district": "D"} for p in postcodes})
    with _client(api, tmp_path) as lookup:
        found = lookup.lookup(postcodes)
    assert [len(call) for call in api.calls] == [100, 100, 50]
    assert sorted(p for call in api.calls for p in call) == sorted(postcodes)
    assert list(found) == postcodes
    assert all(location is not None and location.ward == "W" for location in found.values())


def test_input_is_normalised_and_duplicates_asked_once(api: FakePostcodesApi, tmp_path: Path) -> None:
    with _client(api, tmp_path) as lookup:
        found = lookup.lookup(["ec2v7hh", " EC2V  7HH ", "EC2R 8AH"])
    assert api.calls == [["EC2V 7HH", "EC2R 8AH"]]
    assert set(found) == {"EC2V 7HH", "EC2R 8AH"}


def test_values_not_shaped_like_postcodes_are_none_without_a_call(api: FakePostcodesApi,
                                                                  tmp_path: Path) -> None:
    with _client(api, tmp_path) as lookup:
        found = lookup.lookup(["not a postcode", "", "EC2V"])
    assert len(found) == 3 and set(found.values()) == {None}
    assert api.calls == []


def test_server_errors_are_retried_until_success(api: FakePostcodesApi, tmp_path: Path) -> None:
    api.plan = [500, 503]
    with _client(api, tmp_path) as lookup:
        found = lookup.lookup(["EC2V 7HH"])
    assert found["EC2V 7HH"] is not None
    assert len(api.calls) == 3


def test_429_is_retried_after_the_servers_retry_after(api: FakePostcodesApi, tmp_path: Path) -> None:
    api.plan = [429]
    api.retry_after = "1"
    started = time.monotonic()
    with _client(api, tmp_path) as lookup:
        found = lookup.lookup(["EC2R 8AH"])
    assert time.monotonic() - started >= 0.9  # backoff alone would wait 0.01 s
    assert found["EC2R 8AH"] is not None
    assert len(api.calls) == 2


def test_a_timeout_is_retried(api: FakePostcodesApi, tmp_path: Path) -> None:
    api.plan = [("sleep", 1.0)]
    with _client(api, tmp_path, timeout=0.2) as lookup:
        found = lookup.lookup(["EC2V 7HH"])
    assert found["EC2V 7HH"] is not None
    assert len(api.calls) == 2


def test_unknown_postcode_is_none_and_cached(api: FakePostcodesApi, tmp_path: Path) -> None:
    with _client(api, tmp_path) as lookup:
        assert lookup.lookup(["ZZ9 9ZZ", "EC2V 7HH"])["ZZ9 9ZZ"] is None
    cached = json.loads((tmp_path / "cache" / "postcodes.json").read_text())
    assert cached["postcodes"]["ZZ9 9ZZ"] is None
    assert cached["postcodes"]["EC2V 7HH"]["ward"] == "Cheap"
    with _client(api, tmp_path) as again:
        assert again.lookup(["ZZ9 9ZZ"]) == {"ZZ9 9ZZ": None}
    assert len(api.calls) == 1


def test_cache_hit_makes_no_call(api: FakePostcodesApi, tmp_path: Path) -> None:
    with _client(api, tmp_path) as lookup:
        first = lookup.lookup(["EC2V 7HH", "EC2R 8AH"])
    api.calls.clear()
    with _client(api, tmp_path) as fresh:  # a new process would start like this
        assert fresh.lookup(["EC2R 8AH", "ec2v 7hh"]) == first
        assert fresh.lookup(["EC2V 7HH"]) == {"EC2V 7HH": first["EC2V 7HH"]}
    assert api.calls == []
    leftovers = [p.name for p in (tmp_path / "cache").iterdir()]
    assert leftovers == ["postcodes.json"]  # the atomic write left no temporary file


def test_persistent_failure_raises_a_short_error(api: FakePostcodesApi, tmp_path: Path) -> None:
    api.default = 500
    with _client(api, tmp_path, max_retries=2) as lookup, pytest.raises(PostcodeLookupError) as caught:
        lookup.lookup(["EC2V 7HH"])
    message = str(caught.value)
    assert len(api.calls) == 3
    assert f"{api.base_url}/postcodes" in message
    assert "HTTP 500" in message and "3 attempts" in message
    assert "\n" not in message and "EC2V" not in message
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
    assert not (tmp_path / "cache" / "postcodes.json").exists()


def test_unreachable_server_raises_after_retries(tmp_path: Path) -> None:
    probe = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    closed_port = probe.server_address[1]
    probe.server_close()
    lookup = PostcodeLookup(f"http://127.0.0.1:{closed_port}", tmp_path / "c.json",
                            max_retries=1, backoff=0.01, timeout=1)
    expected = rf"127\.0\.0\.1:{closed_port}/postcodes: connection failed"
    with pytest.raises(PostcodeLookupError, match=expected):
        lookup.lookup(["EC2V 7HH"])


def test_bad_request_is_not_retried(api: FakePostcodesApi, tmp_path: Path) -> None:
    api.default = 400
    with _client(api, tmp_path) as lookup, pytest.raises(PostcodeLookupError, match="HTTP 400"):
        lookup.lookup(["EC2V 7HH"])
    assert len(api.calls) == 1


def test_batches_found_before_a_failure_stay_cached(api: FakePostcodesApi, tmp_path: Path) -> None:
    postcodes = _many_postcodes(150)
    api.plan = ["ok"]
    api.default = 400
    with _client(api, tmp_path) as lookup, pytest.raises(PostcodeLookupError):
        lookup.lookup(postcodes)
    cached = json.loads((tmp_path / "cache" / "postcodes.json").read_text())["postcodes"]
    assert len(cached) == 100


def test_unreadable_cache_is_ignored(api: FakePostcodesApi, tmp_path: Path) -> None:
    cache = tmp_path / "cache" / "postcodes.json"
    cache.parent.mkdir()
    cache.write_text("{not json")
    with _client(api, tmp_path) as lookup:
        assert lookup.lookup(["EC2V 7HH"])["EC2V 7HH"] is not None
    assert "EC2V 7HH" in json.loads(cache.read_text())["postcodes"]
