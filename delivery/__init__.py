"""The message channels, each behind one small interface (delivery.channel.Channel): a GOV.UK
Notify-compatible API, SMTP, and files for the messaging platform."""
