"""The few definitions every layer shares: the base error, the progress callback, reason codes."""
