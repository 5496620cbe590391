"""Email through an SMTP server: STARTTLS when the server offers it (or required), credentials from the
settings. One connection for a whole send; a message the server refuses for its address is a permanent
failure of that message only, a server that goes away stops the send with what was sent recorded."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid

from .channel import DeliveryUnavailable, Outgoing, Sent


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 587
    sender: str = ""
    user: str = ""
    password: str = ""
    starttls: str = "auto"  # "auto": when offered; "required"; "off" (a relay on loopback only)
    timeout_s: float = 20


class SmtpChannel:
    name = "smtp"
    carries = frozenset({"email"})

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings

    def already_sent(self, references: Iterable[str]) -> dict[str, Sent]:
        return {}  # SMTP keeps no record to ask: a resumed send starts from what the graph recorded

    def send(self, messages: Iterable[Outgoing]) -> Iterator[Sent]:
        pending = [m for m in messages if m.channel == "email"]
        if not pending:
            return
        try:
            server = smtplib.SMTP(self.settings.host, self.settings.port, timeout=self.settings.timeout_s)
        except OSError as error:
            raise DeliveryUnavailable(f"the SMTP server {self.settings.host}:{self.settings.port} cannot be "
                                      f"reached ({type(error).__name__})") from None
        with server:
            self._secure(server)
            for message in pending:
                yield self._send_one(server, message)

    def _secure(self, server: smtplib.SMTP) -> None:
        try:
            server.ehlo()
            wanted = self.settings.starttls == "required" or server.has_extn("starttls")
            if self.settings.starttls != "off" and wanted:
                server.starttls(context=ssl.create_default_context())
                server.ehlo()
            if self.settings.user:
                server.login(self.settings.user, self.settings.password)
        except (smtplib.SMTPException, OSError) as error:
            raise DeliveryUnavailable(f"the SMTP server {self.settings.host}:{self.settings.port} refused the "
                                      f"session ({type(error).__name__})") from None

    def _send_one(self, server: smtplib.SMTP, message: Outgoing) -> Sent:
        email = EmailMessage()
        email["From"], email["To"], email["Subject"] = self.settings.sender, message.address, message.subject
        email["Message-ID"] = make_msgid(domain=self.settings.sender.rpartition("@")[2] or None)
        email["X-Stakeholders-Reference"] = message.reference
        body = message.body
        if message.unsubscribe_url:  # one click in the mail client, or the link in the text
            email["List-Unsubscribe"] = f"<{message.unsubscribe_url}>"
            email["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
            body += f"\n\nTo stop these emails: {message.unsubscribe_url}"
        email.set_content(body)
        try:
            refused = server.send_message(email)
        except smtplib.SMTPRecipientsRefused:
            return Sent(message.reference, "permanent-failure", detail="recipient refused")
        except (smtplib.SMTPServerDisconnected, smtplib.SMTPResponseException, OSError) as error:
            raise DeliveryUnavailable(f"the SMTP server {self.settings.host} stopped taking messages "
                                      f"({type(error).__name__})") from None
        if refused:
            return Sent(message.reference, "permanent-failure", detail="recipient refused")
        return Sent(message.reference, "sent", provider_id=email["Message-ID"])
