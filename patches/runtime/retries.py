"""Which failures are retried, and how each retry of a call is counted and logged (the policy that decides
each retry is in retry_policy.py)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextvars import ContextVar

from .clock import SYSTEM_CLOCK, Clock
from .logs import log_from_env

# The package's logger ("hilos_client" when installed as such): one DEBUG line per request, one INFO
# line per retry. Never a header.
logger: logging.Logger = logging.getLogger(__name__.partition(".")[0])
log_from_env(logger)

DEFAULT_RETRIES = 2
"""Retries after the first attempt (so up to 3 attempts); 0 disables retrying."""
DEFAULT_RETRY_BACKOFF = 0.5
"""Retry n waits a random time between half and all of `backoff * 2**n` seconds (unless Retry-After says)."""
DEFAULT_RETRY_MAX_WAIT = 60.0
"""The longest single wait between attempts, Retry-After included: a longer Retry-After is cut to this."""
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
"""Statuses that are retried (connection failures and timeouts are retried too)."""
DEFAULT_DEADLINE = 300.0
"""Seconds one call may take in all, every attempt and every wait between attempts included."""
DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024
"""The longest response body read (counted after decompression): 64 MiB."""
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})
"""Methods retried by default; POST and PATCH only when added to `retry_methods`."""

ATTEMPT_ENDS: ContextVar[float | None] = ContextVar("hilos_client.attempt_ends", default=None)
"""When the attempt being sent must be over (`time.monotonic()`; None: unbounded). Set by sending.py around
each attempt, read by network.py's streams to cap every socket operation at the time left."""


class CallRecord:
    """What one operation call did so far: for the log lines and the errors.

    `url` is the redacted absolute URL, worked out from `target` only when a log line or an error needs it:
    redacting on every call would cost more CPU than the rest of the client's work on a request. Times are
    read on `clock`, the client's (clock.py).
    """

    def __init__(self, method: str, target: str | Callable[[], str], clock: Clock = SYSTEM_CLOCK) -> None:
        self.method = method
        self._target = target
        self.attempts = 1
        self.clock = clock
        self.started: float = clock.monotonic()

    @property
    def url(self) -> str:
        if callable(self._target):
            self._target = self._target()
        return self._target

    @property
    def elapsed(self) -> float:
        return self.clock.monotonic() - self.started


__all__ = [
    "ATTEMPT_ENDS",
    "DEFAULT_DEADLINE",
    "DEFAULT_MAX_RESPONSE_BYTES",
    "DEFAULT_RETRIES",
    "DEFAULT_RETRY_BACKOFF",
    "DEFAULT_RETRY_MAX_WAIT",
    "IDEMPOTENT_METHODS",
    "RETRY_STATUSES",
    "CallRecord",
]
