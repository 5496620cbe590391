"""Lifting a sign-in lockout (accounts.sign_in_throttle), for the admin page and the command line alike."""

from __future__ import annotations

from accounts.sign_in_throttle import ACCOUNT, SignInThrottle

from .installation import Installation


def unlock(installation: Installation, scope: str, key: str, who: str) -> bool:
    """Lift the lockout of an account (``scope`` ACCOUNT, ``key`` its username) or a client address, and
    forget its failed sign-ins; audited. False when no lockout was in force."""
    lifted = SignInThrottle(installation.home).unlock(scope, key)
    installation.audit.append(who, "sign-in unlocked",
                              {"scope": scope, ("username" if scope == ACCOUNT else "address"): key,
                               "was_locked": lifted})
    return lifted
