"""Which failures are retried, and how each retry of a call is counted and logged."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import httpx
from httpx_retries import Retry

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


class CallRecord:
    """What one operation call did so far: for the log lines and the errors.

    `url` is the redacted absolute URL, worked out from `target` only when a log line or an error needs it:
    redacting on every call would cost more CPU than the rest of the client's work on a request.
    """

    def __init__(self, method: str, target: str | Callable[[], str]) -> None:
        self.method = method
        self._target = target
        self.attempts = 1
        self.started: float = time.monotonic()

    @property
    def url(self) -> str:
        if callable(self._target):
            self._target = self._target()
        return self._target

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started


class ObservedRetry(Retry):
    """httpx-retries' Retry policy (which failures are retried, how long to wait) for a retry loop that the
    client drives itself: httpx-retries' own loop reads every body whole, which would defeat the response
    size limit and the per-attempt deadline. Every copy shares one `CallRecord`, which the log lines and
    the errors read.
    """

    call: CallRecord | None = None

    def increment(self) -> ObservedRetry:
        following = super().increment()
        if not isinstance(following, ObservedRetry):  # copy_with keeps the class; a subclass may not
            raise TypeError(f"{type(self).__name__}.increment() must return an ObservedRetry")
        following.call = self.call
        return following

    def wait_before_retry(self, outcome: httpx.Response | Exception) -> float:
        """Seconds to wait before the retry this (incremented) policy stands for: Retry-After when the server
        sent one, else the jittered backoff; capped by max_backoff_wait."""
        return self._calculate_sleep(outcome.headers if isinstance(outcome, httpx.Response) else {})

    def record_wait(self, outcome: httpx.Response | Exception, waited: float) -> None:
        """Count the retry about to be sent, after `waited` seconds, and log it."""
        self.elapsed_sleep += waited
        if self.call is None:
            return
        self.call.attempts = self.attempts_made + 1
        cause = f"status {outcome.status_code}" if isinstance(outcome, httpx.Response) else type(outcome).__name__
        logger.info(
            "%s %s: %s; retrying (attempt %d of %d) after waiting %.2f s",
            self.call.method,
            self.call.url,
            cause,
            self.call.attempts,
            self.total + 1,
            waited,
        )


__all__ = [
    "DEFAULT_DEADLINE",
    "DEFAULT_MAX_RESPONSE_BYTES",
    "DEFAULT_RETRIES",
    "DEFAULT_RETRY_BACKOFF",
    "DEFAULT_RETRY_MAX_WAIT",
    "IDEMPOTENT_METHODS",
    "RETRY_STATUSES",
    "CallRecord",
    "ObservedRetry",
]
