# Copied from patches/runtime/retry_policy.py by pipeline/generating/generate.py.
# Do not edit here: edit patches/runtime/retry_policy.py, then run `make generate`.
"""The policy of one call's retries: httpx-retries' Retry, observed.

Imported only when a request fails in a way that may be retried (`Client.retry_policy`): httpx-retries
imports asyncio, inspect and random, about a fifth of `import hilos_client` otherwise.
"""

from __future__ import annotations

import httpx
from httpx_retries import Retry

from .retries import CallRecord, logger


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


__all__ = ["ObservedRetry"]
