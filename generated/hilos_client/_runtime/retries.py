# Copied from patches/runtime/retries.py by pipeline/generating/generate.py.
# Do not edit here: edit patches/runtime/retries.py, then run `make generate`.
"""Which failures are retried, and how each retry of a call is counted and logged."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import httpx
from httpx_retries import Retry

# The package's logger ("hilos_client" when installed as such): one DEBUG line per request, one INFO
# line per retry. Never a header.
logger = logging.getLogger(__name__.partition(".")[0])

DEFAULT_RETRIES = 2
"""Retries after the first attempt (so up to 3 attempts); 0 disables retrying."""
DEFAULT_RETRY_BACKOFF = 0.5
"""Retry n waits a random time between half and all of `backoff * 2**n` seconds (unless Retry-After says)."""
DEFAULT_RETRY_MAX_WAIT = 60.0
"""The longest single wait between attempts, Retry-After included: a longer Retry-After is cut to this."""
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
"""Statuses that are retried (connection failures and timeouts are retried too)."""
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
        self.started = time.monotonic()

    @property
    def url(self) -> str:
        if callable(self._target):
            self._target = self._target()
        return self._target

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started


class ObservedRetry(Retry):
    """httpx-retries' Retry that counts and logs each retry of one call.

    httpx-retries makes a new Retry object per attempt and reports the count only on a successful response
    (`response.extensions["retry"]`), not when the last attempt raises; so every copy shares one
    `CallRecord`, which the log line and the errors read.
    """

    call: CallRecord | None = None

    def increment(self) -> Retry:
        following = super().increment()
        if isinstance(following, ObservedRetry):
            following.call = self.call
        return following

    def sleep(self, response: httpx.Response | Exception) -> None:
        before = self.elapsed_sleep
        super().sleep(response)
        self._record(response, self.elapsed_sleep - before)

    async def asleep(self, response: httpx.Response | Exception) -> None:
        before = self.elapsed_sleep
        await super().asleep(response)
        self._record(response, self.elapsed_sleep - before)

    def _record(self, response: httpx.Response | Exception, waited: float) -> None:
        if self.call is None:
            return
        self.call.attempts = self.attempts_made + 1
        cause = f"status {response.status_code}" if isinstance(response, httpx.Response) else type(response).__name__
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
    "DEFAULT_RETRIES",
    "DEFAULT_RETRY_BACKOFF",
    "DEFAULT_RETRY_MAX_WAIT",
    "IDEMPOTENT_METHODS",
    "RETRY_STATUSES",
    "CallRecord",
    "ObservedRetry",
]
