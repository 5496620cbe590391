"""Postcode centroids and wards from a postcodes.io-compatible bulk API, cached on disk.

The cache is a JSON file mapping each normalised postcode to its location, or
to null when the API answered that the postcode does not exist; both answers
are final, so a postcode is only ever asked for once.
"""

from __future__ import annotations

import email.utils
import json
import logging
import os
import re
import tempfile
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import requests

from kernel.errors import StakeholdersError

log = logging.getLogger(__name__)

BATCH_SIZE = 100  # the bulk endpoint's limit per request
MAX_RETRY_AFTER_S = 60.0  # never wait longer than this, whatever Retry-After says
_CACHE_VERSION = 1
_POSTCODE_SHAPE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$")
_RETRYABLE_ERRORS = (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError)


@dataclass(frozen=True)
class PostcodeLocation:
    """Where a postcode is: its centroid (WGS-84; None where the directory has none) and areas."""

    postcode: str
    latitude: float | None
    longitude: float | None
    ward: str | None
    district: str | None


class PostcodeLookupError(StakeholdersError, RuntimeError):
    """The lookup service could not answer, even after retrying."""


class _Retryable(Exception):
    """One attempt failed in a way that may succeed later."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


class PostcodeLookup:
    """Bulk postcode lookups with retries and a persistent cache.

    base_url: the API root, e.g. "https://api.postcodes.io"; requests go to
    POST {base_url}/postcodes; None looks up the cache only (answers kept from
    when an API was set). max_retries counts retries after the first
    attempt; the wait before retry n is backoff * 2**(n-1) seconds, or the
    server's Retry-After when it sends one with HTTP 429.
    """

    def __init__(
        self,
        base_url: str | None,
        cache_path: Path,
        session: requests.Session | None = None,
        timeout: float = 10,
        max_retries: int = 4,
        backoff: float = 0.5,
    ) -> None:
        # None: no API configured; the answers cached when one was are still used
        self.url = f"{base_url.rstrip('/')}/postcodes" if base_url else None
        self.cache_path = Path(cache_path)
        self.timeout = timeout
        self.max_retries = max_retries
        self.backoff = backoff
        self._owns_session = session is None
        self._session = session if session is not None else requests.Session()
        self._cache: dict[str, PostcodeLocation | None] | None = None

    def lookup(self, postcodes: Iterable[str]) -> dict[str, PostcodeLocation | None]:
        """Locations keyed by normalised postcode; None for postcodes that do not exist.

        Values that are not shaped like a UK postcode map to None without a request.
        Raises PostcodeLookupError when the service cannot answer.
        """
        cache = self._load_cache()
        wanted = list(dict.fromkeys(_normalise(p) for p in postcodes))
        missing = [p for p in wanted if p not in cache and _POSTCODE_SHAPE.match(p)] if self.online else []
        fetched: dict[str, PostcodeLocation | None] = {}
        try:
            for start in range(0, len(missing), BATCH_SIZE):
                fetched.update(self._fetch(missing[start : start + BATCH_SIZE]))
        finally:
            # Keep what earlier batches found even when a later batch fails.
            if fetched:
                cache.update(fetched)
                self._save_cache(cache)
        return {p: cache.get(p) for p in wanted}

    @property
    def online(self) -> bool:
        """True when an API answers the postcodes the cache does not hold."""
        return self.url is not None

    def close(self) -> None:
        """Close the HTTP session if this client created it."""
        if self._owns_session:
            self._session.close()

    def __enter__(self) -> PostcodeLookup:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _fetch(self, batch: list[str]) -> dict[str, PostcodeLocation | None]:
        retries = 0
        while True:
            try:
                return self._post(batch)
            except _Retryable as failure:
                if retries == self.max_retries:
                    raise PostcodeLookupError(
                        f"postcode lookup failed: POST {self.url}: {failure.reason} "
                        f"after {retries + 1} attempts"
                    ) from None
                retries += 1
                delay = self.backoff * 2 ** (retries - 1)
                if failure.retry_after is not None:
                    delay = min(failure.retry_after, MAX_RETRY_AFTER_S)
                log.info("postcode lookup: %s from %s; retry %d of %d in %.1f s",
                         failure.reason, self.url, retries, self.max_retries, delay)
                time.sleep(delay)

    def _post(self, batch: list[str]) -> dict[str, PostcodeLocation | None]:
        try:
            response = self._session.post(self.url, json={"postcodes": batch}, timeout=self.timeout)
        except requests.Timeout:
            raise _Retryable(f"no answer within {self.timeout} s") from None
        except _RETRYABLE_ERRORS as error:
            raise _Retryable(f"connection failed ({type(error).__name__})") from None
        except requests.RequestException as error:
            raise PostcodeLookupError(
                f"postcode lookup failed: POST {self.url}: {type(error).__name__}"
            ) from None
        status = response.status_code
        if status == 429:
            raise _Retryable("HTTP 429", _retry_after_seconds(response.headers.get("Retry-After")))
        if status >= 500:
            raise _Retryable(f"HTTP {status}")
        if status != 200:
            raise PostcodeLookupError(f"postcode lookup failed: POST {self.url}: HTTP {status}")
        return self._parse(response, batch)

    def _parse(self, response: requests.Response, batch: list[str]) -> dict[str, PostcodeLocation | None]:
        try:
            items = response.json()["result"]
            found = {_normalise(item["query"]): _location(item["result"]) for item in items}
        except (ValueError, KeyError, TypeError):
            raise PostcodeLookupError(
                f"postcode lookup failed: POST {self.url}: unexpected response body"
            ) from None
        if any(p not in found for p in batch):
            # Never cache an unanswered postcode as "not found".
            raise PostcodeLookupError(
                f"postcode lookup failed: POST {self.url}: response did not answer every postcode"
            )
        return {p: found[p] for p in batch}

    def _load_cache(self) -> dict[str, PostcodeLocation | None]:
        if self._cache is None:
            self._cache = _read_cache(self.cache_path)
        return self._cache

    def _save_cache(self, cache: dict[str, PostcodeLocation | None]) -> None:
        document = {
            "version": _CACHE_VERSION,
            "postcodes": {p: (asdict(loc) if loc else None) for p, loc in sorted(cache.items())},
        }
        self.cache_path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(
            dir=self.cache_path.parent, prefix=f".{self.cache_path.name}.", suffix=".tmp"
        )
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(document, out, indent=0)
            os.replace(temp_name, self.cache_path)
        except BaseException:
            Path(temp_name).unlink(missing_ok=True)
            raise


def _normalise(postcode: str) -> str:
    compact = re.sub(r"\s+", "", str(postcode)).upper()
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


def _location(result: dict | None) -> PostcodeLocation | None:
    if result is None:
        return None
    return PostcodeLocation(
        postcode=_normalise(result["postcode"]),
        latitude=_float_or_none(result.get("latitude")),
        longitude=_float_or_none(result.get("longitude")),
        ward=result.get("admin_ward"),
        district=result.get("admin_district"),
    )


def _float_or_none(value: float | str | None) -> float | None:
    return None if value is None else float(value)


def _retry_after_seconds(header: str | None) -> float | None:
    """Retry-After as seconds: either a number or an HTTP date."""
    if not header:
        return None
    try:
        return max(0.0, float(header))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _read_cache(path: Path) -> dict[str, PostcodeLocation | None]:
    """The cached answers; an unreadable or foreign cache file counts as empty (it is only a cache)."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        log.warning("postcode cache %s is unreadable; starting afresh", path)
        return {}
    if not isinstance(document, dict) or document.get("version") != _CACHE_VERSION:
        log.warning("postcode cache %s has an unknown format; starting afresh", path)
        return {}
    try:
        return {p: (PostcodeLocation(**loc) if loc else None) for p, loc in document["postcodes"].items()}
    except (KeyError, TypeError, AttributeError):
        log.warning("postcode cache %s has an unknown format; starting afresh", path)
        return {}
