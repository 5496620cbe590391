"""How messages leave: which delivery services are configured, and the force's limits."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from kernel.errors import StakeholdersError, UsageError

from .channel import Channel
from .files import FileChannel
from .notify import NotifyChannel, NotifySettings
from .smtp import SmtpChannel, SmtpSettings

VIAS = ("file", "notify", "smtp")


@dataclass(frozen=True)
class DeliverySettings:
    notify: NotifySettings | None = None
    smtp: SmtpSettings | None = None
    sms_max_segments: int = 3  # the longest SMS the force will send, in segments
    close_after: dt.timedelta = dt.timedelta(hours=24)  # an issued message open this long is due for closure
    outbox: Path | None = None  # where `--via file` writes when no --out is given
    prompt_via: str = ""  # how inspectors are prompted: default notify, else smtp, else files in the outbox
    callback_token: str = ""  # the bearer token the Notify service sends with its callbacks ("" = callbacks off)
    public_url: str = ""  # where people reach this app (for unsubscribe links); "" = no links

    def prompt_channel(self, stem: str) -> Channel:
        return self.channel(self.prompt_via or self.default_via, None, stem)

    @property
    def default_via(self) -> str:
        """The service a message goes through when no one chose: Notify, else SMTP, else files in the outbox."""
        return "notify" if self.notify else "smtp" if self.smtp else "file"

    def default_channel(self, stem: str) -> Channel:
        return self.channel(self.default_via, None, stem)

    def channel(self, via: str, out: Path | None, stem: str) -> Channel:
        """The channel ``via``, or a one-line error saying what to configure."""
        if via == "file":
            folder = out or self.outbox
            if folder is None:
                raise UsageError("--via file needs --out DIR (the folder the messaging platform collects from)")
            return FileChannel(folder, stem)
        if via == "notify":
            if self.notify is None:
                raise StakeholdersError("no Notify service configured: set STAKEHOLDERS_NOTIFY_API_KEY, "
                                        "STAKEHOLDERS_NOTIFY_EMAIL_TEMPLATE and STAKEHOLDERS_NOTIFY_SMS_TEMPLATE "
                                        "(and STAKEHOLDERS_NOTIFY_URL for a service other than GOV.UK Notify)")
            return NotifyChannel(self.notify)
        if via == "smtp":
            if self.smtp is None:
                raise StakeholdersError("no SMTP server configured: set STAKEHOLDERS_SMTP_HOST and "
                                        "STAKEHOLDERS_SMTP_FROM (and _PORT, _USER, _PASSWORD, _STARTTLS as needed)")
            return SmtpChannel(self.smtp)
        raise UsageError(f"--via {via}: one of {', '.join(VIAS)}")
