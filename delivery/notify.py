"""GOV.UK Notify, or any service speaking its v2 API, through the official client.

Each message goes to one of two templates the service holds (one for email, one for SMS) whose text is
``((body))`` (and ``((subject))`` for email): the wording is ours, the template only carries it. The
service's rate limit is kept (requests per minute), a 429 or 5xx is retried with back-off, and a
message whose reference the service already holds is never sent again.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from notifications_python_client.errors import APIError, HTTPError
from notifications_python_client.notifications import NotificationsAPIClient

from .channel import DeliveryUnavailable, Outgoing, Sent

PERMANENT = frozenset({400, 403})  # the service refuses this message as given: retrying cannot help


@dataclass(frozen=True)
class NotifySettings:
    api_key: str
    base_url: str
    email_template_id: str
    sms_template_id: str
    per_minute: int = 3000  # a live key's limit
    retries: int = 5
    backoff_s: float = 0.5
    workers: int = 4  # requests in flight at once


class NotifyChannel:
    name = "notify"
    carries = frozenset({"email", "sms"})

    def __init__(self, settings: NotifySettings, sleep: Callable[[float], None] = time.sleep) -> None:
        self.settings = settings
        self.client = NotificationsAPIClient(settings.api_key, base_url=settings.base_url, timeout=10)
        self._sleep = sleep
        self._sent_at: list[float] = []
        self._pacing = threading.Lock()

    def already_sent(self, references: Iterable[str]) -> dict[str, Sent]:
        found = {}
        for reference in references:
            answer = self._call(lambda r=reference: self.client.get_all_notifications(reference=r))
            for notification in answer.get("notifications", []):
                found[reference] = Sent(reference, "sent", provider_id=notification["id"])
        return found

    def status(self, provider_id: str) -> str:
        """The service's status of one notification (created, sending, delivered, permanent-failure…)."""
        return str(self._call(lambda: self.client.get_notification_by_id(provider_id)).get("status", ""))

    def received_texts(self) -> list[dict]:
        """The text messages people sent to the service's number: id, user_number, content, created_at."""
        return list(self._call(self.client.get_received_texts).get("received_text_messages", []))

    def send(self, messages: Iterable[Outgoing]) -> Iterator[Sent]:
        """A few requests in flight at once. When the service gives out, the sends still in flight finish
        but are not reported: ``already_sent`` finds them by their reference at the next try."""
        with ThreadPoolExecutor(max_workers=self.settings.workers) as pool:
            yield from pool.map(self._send_one, messages)

    def _send_one(self, message: Outgoing) -> Sent:
        if message.channel == "email":
            def call() -> dict:
                return self.client.send_email_notification(
                    email_address=message.address, template_id=self.settings.email_template_id,
                    personalisation={"subject": message.subject, "body": message.body}, reference=message.reference,
                    one_click_unsubscribe_url=message.unsubscribe_url or None)
        else:
            def call() -> dict:
                return self.client.send_sms_notification(
                    phone_number=message.address, template_id=self.settings.sms_template_id,
                    personalisation={"body": message.body}, reference=message.reference)
        try:
            answer = self._call(call, paced=True)
        except HTTPError as refused:  # a permanent refusal of this one message (_call re-raises only those)
            return Sent(message.reference, "permanent-failure", detail=_detail(refused))
        return Sent(message.reference, "sent", provider_id=str(answer.get("id", "")))

    def _call(self, call: Callable[[], dict], paced: bool = False) -> dict:
        """The call, within the rate limit, retried on 429 and 5xx; DeliveryUnavailable when the service
        keeps failing or cannot be reached."""
        for attempt in range(self.settings.retries + 1):
            if paced:
                self._pace()
            try:
                return call()
            except HTTPError as error:
                status = error.status_code
                if status in PERMANENT:
                    raise
                if attempt == self.settings.retries or not (status == 429 or status >= 500):
                    raise DeliveryUnavailable(f"the Notify service at {self.settings.base_url} answered "
                                              f"{status} ({_detail(error)})") from None
            except (APIError, OSError) as error:
                if attempt == self.settings.retries:
                    raise DeliveryUnavailable(f"the Notify service at {self.settings.base_url} cannot be reached "
                                              f"({type(error).__name__})") from None
            self._sleep(self.settings.backoff_s * 2 ** attempt)
        raise AssertionError("unreachable")

    def _pace(self) -> None:
        """At most ``per_minute`` sends in any 60 s."""
        with self._pacing:
            now = time.monotonic()
            self._sent_at = [t for t in self._sent_at if now - t < 60]
            if len(self._sent_at) >= self.settings.per_minute:
                self._sleep(60 - (now - self._sent_at[0]))
            self._sent_at.append(time.monotonic())


def _detail(error: APIError) -> str:
    message = error.message
    if isinstance(message, list):
        return "; ".join(str(item.get("error", "")) for item in message if isinstance(item, dict))
    return str(message)[:200]
