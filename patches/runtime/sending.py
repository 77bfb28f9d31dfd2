"""How every operation's request is sent: the client's retries, time bounds and size limit, one log line,
typed transport errors.

The retry loop is driven here, with httpx-retries' `Retry` as the policy (which failures, how long to
wait): httpx-retries' own loop reads every body whole, and the body must be streamed to be cut off at
`max_response_bytes` and at the attempt's deadline.
"""

from __future__ import annotations

import logging
import re
import weakref
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Literal

import httpx

from . import errors
from .client import Client, check_timeout
from .clock import Clock
from .retries import ATTEMPT_ENDS, RETRY_STATUSES, CallRecord, logger
from .types import UNSET, Unset

if TYPE_CHECKING:
    from .retry_policy import ObservedRetry

CallTimeout = float | httpx.Timeout | None | Unset
# A timeout that fires this close to the attempt's end is the attempt's end (timers never fire early by more).
_AT_THE_END = 0.001
_PHASES: tuple[tuple[type[httpx.TimeoutException], str], ...] = (
    (httpx.ConnectTimeout, "connect"),
    (httpx.ReadTimeout, "read"),
    (httpx.WriteTimeout, "write"),
    (httpx.PoolTimeout, "pool"),
)


class _Bounds:
    """When one call, and each of its attempts, must be over (on the client's clock)."""

    def __init__(self, client: Client, timeout: CallTimeout, deadline: float | None | Unset) -> None:
        self.clock: Clock = client._clock
        if not isinstance(timeout, Unset):
            check_timeout(timeout)
        if not isinstance(deadline, Unset):
            check_timeout(deadline, name="deadline")
        chosen = client.timeout if isinstance(timeout, Unset) else timeout
        # As httpx takes it: the call's own, else the client's (not the httpx client's, which a with_options
        # copy shares and a caller's httpx client brings).
        self.timeout = httpx.Timeout(chosen)
        # A number bounds each attempt as a whole; an httpx.Timeout bounds each phase only (httpx's meaning).
        self.attempt_seconds = None if isinstance(chosen, httpx.Timeout) or chosen is None else float(chosen)
        total = client.deadline if isinstance(deadline, Unset) else deadline
        self.deadline = total
        self.call_ends = None if total is None else self.clock.monotonic() + total
        self.limit = client.max_response_bytes
        # The end of the attempt under way, and which limit set it.
        self.ends: float | None = None
        self.ending: Literal["timeout", "deadline"] = "deadline"

    def remaining(self) -> float | None:
        """Seconds left for the call (None: unbounded)."""
        return None if self.call_ends is None else self.call_ends - self.clock.monotonic()

    def attempt_ends(self) -> float | None:
        """When the attempt starting now must be over (kept, with the limit that sets it, for its error)."""
        ends = self.call_ends
        self.ending = "deadline"
        if self.attempt_seconds is not None:
            own = self.clock.monotonic() + self.attempt_seconds
            if ends is None or own <= ends:
                ends, self.ending = own, "timeout"
        self.ends = ends
        return ends

    def ran_out(self, exc: httpx.TimeoutException) -> errors.TimeoutLimit:
        """Which limit the last attempt's timeout `exc` reached: the attempt's timeout or the call's deadline
        when the attempt's end had come, else the phase's own (an httpx.Timeout's connect, read, write, pool)."""
        if self.ends is not None and self.clock.monotonic() >= self.ends - _AT_THE_END:
            seconds = self.attempt_seconds if self.ending == "timeout" else self.deadline
            return errors.TimeoutLimit(self.ending, seconds)
        phase = next((name for kind, name in _PHASES if isinstance(exc, kind)), None)
        try:
            phases = exc.request.extensions.get("timeout", {})
        except RuntimeError:  # raised before httpx knew the request
            phases = {}
        return errors.TimeoutLimit("timeout", phases.get(phase), phase)

    def request_timeout(self, ends: float | None) -> httpx.Timeout:
        """httpx's per-phase timeouts for an attempt, none longer than the time left for it: the call's or the
        client's, as they are when none is longer (with the default deadline, nearly always)."""
        chosen = self.timeout
        if ends is None:
            return chosen
        left = _time_left(ends, self.clock)
        connect, read, write, pool = chosen.connect, chosen.read, chosen.write, chosen.pool
        if connect is not None and read is not None and write is not None and pool is not None:
            if max(connect, read, write, pool) <= left:
                return chosen
        return httpx.Timeout(
            connect=_capped(chosen.connect, left),
            read=_capped(chosen.read, left),
            write=_capped(chosen.write, left),
            pool=_capped(chosen.pool, left),
        )


def _capped(seconds: float | None, left: float) -> float:
    return left if seconds is None else min(seconds, left)


def _time_left(ends: float, clock: Clock) -> float:
    left = ends - clock.monotonic()
    if left <= 0:
        raise httpx.ReadTimeout("the time allowed for this request (timeout or deadline) ran out")
    return left


def _call_record(http: httpx.Client | httpx.AsyncClient, request: dict[str, Any], clock: Clock) -> CallRecord:
    """The record of one call; its redacted URL is worked out only if a log line or an error needs it."""
    return CallRecord(request["method"].upper(), lambda: errors.redact_url(_request_url(http, request)), clock)


class _Joins:
    """What joining paths to one httpx client's base URL needs, worked out once: the base URL's raw path with
    its trailing slash (None when httpx must do the merge: a base URL with a query or a fragment), and the
    URLs joined so far, by operation path."""

    __slots__ = ("base", "root", "urls")

    def __init__(self, base: httpx.URL) -> None:
        if base.scheme not in ("http", "https") or not base.host:
            raise errors.ConfigurationError(
                f"the httpx client's base_url {errors.redact_url(base)!r} is not an absolute http(s) URL; "
                "give it the API's base URL"
            )
        self.base = base
        raw_path = base.raw_path
        self.root = None if base.query or base.fragment else raw_path if raw_path.endswith(b"/") else raw_path + b"/"
        self.urls: dict[str, httpx.URL] = {}


# A path of only the characters httpx's parser keeps as they are (RFC 3986's pchar, "/" and %XX escapes): its
# raw path is itself, so joining it needs no parse. Others (a query, a space, non-ASCII, "//") are parsed.
_PLAIN_PATH = re.compile(r"/(?!/)(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-Fa-f]{2})*")
# Joined URLs kept per httpx client: a list's path repeats; a path holding an id seldom does, so they are dropped
# when this many accumulate.
_JOINED_URLS_KEPT = 256
_joins: weakref.WeakKeyDictionary[httpx.Client | httpx.AsyncClient, _Joins] = weakref.WeakKeyDictionary()


def _absolute_url(http: httpx.Client | httpx.AsyncClient, path: str | httpx.URL, base: httpx.URL) -> httpx.URL | str:
    """The operation's path joined to `base` (Client._join_base) exactly as httpx's own merge joins them:
    the base URL's raw path with a trailing slash, then the path's (as httpx encodes it) without its leading
    slash. A URL already joined is returned as it is.

    httpx parses the relative URL and builds the merged one again on every request; here each path's URL is
    built once per httpx client, which saves about 40 % of httpx's request-building time. Raises
    errors.ConfigurationError when the base URL is not an absolute http(s) URL (one given in httpx_args).
    """
    if isinstance(path, httpx.URL):
        return path
    joins = _joins.get(http)
    if joins is None or joins.base is not base:
        joins = _Joins(base)
        _joins[http] = joins
    url = joins.urls.get(path)
    if url is None:
        if joins.root is None:
            return path
        if _PLAIN_PATH.fullmatch(path):
            relative_path = path[1:].encode("ascii")
        else:
            relative = httpx.URL(path)
            if not relative.is_relative_url:
                return path
            relative_path = relative.raw_path.lstrip(b"/")
        url = base.copy_with(raw_path=joins.root + relative_path)
        if len(joins.urls) >= _JOINED_URLS_KEPT:
            joins.urls.clear()
        joins.urls[path] = url
    return url


def _literal_commas(url: httpx.URL) -> httpx.URL:
    path, question, query = url.raw_path.partition(b"?")
    if b"%2C" not in query:
        return url
    # httpx percent-encodes every comma of a query value; OpenAPI's form style (`explode: false`) separates
    # an array's items with literal commas, and to any form decoder a literal comma means what %2C does.
    return url.copy_with(raw_path=path + question + query.replace(b"%2C", b","))


def _prepared(client: Client, http: httpx.Client | httpx.AsyncClient, request: dict[str, Any]) -> dict[str, Any]:
    """`request` as `client` sends it through `http` (its own or the caller's httpx client): its path joined to
    the client's base URL, with the client's headers, User-Agent and token (for the base URL's origin only)."""
    url = _absolute_url(http, request["url"], client._join_base(http))
    return {**request, "url": url, "headers": client._request_headers(http, url, request.get("headers"))}


def _build(http: httpx.Client | httpx.AsyncClient, request: dict[str, Any], timeout: httpx.Timeout) -> httpx.Request:
    # A timeout equal to the httpx client's own is passed as "the client's default", which httpx does not copy.
    chosen = httpx.USE_CLIENT_DEFAULT if timeout == http.timeout else timeout
    built = http.build_request(**request, timeout=chosen)
    built.url = _literal_commas(built.url)
    return built


def _request_url(http: httpx.Client | httpx.AsyncClient, request: dict[str, Any]) -> httpx.URL:
    """The URL a prepared `request` is sent to, built as _build builds it but without its body (a file may be
    read once)."""
    return _literal_commas(http.build_request(request["method"], request["url"], params=request.get("params")).url)


def send_request(
    client: Client,
    request: dict[str, Any],
    *,
    timeout: CallTimeout = UNSET,
    deadline: float | None | Unset = UNSET,
) -> httpx.Response:
    """Send one operation's request (the dict its `_get_kwargs` made) with the client's retries.

    Returns the final response, whatever its status, with its body read; its request's extensions record
    the attempts. Raises errors.ApiConnectionError / ApiTimeoutError when no response came on any attempt
    (or the call's deadline passed), errors.ResponseTooLargeError for a body over max_response_bytes.
    """
    bounds = _Bounds(client, timeout, deadline)
    http = client.get_httpx_client()
    request = _prepared(client, http, request)
    call = _call_record(http, request, bounds.clock)
    limiter = client.rate_limiter()  # the account's budget (rate_limit.py): paced, and paused after a 429
    retry: ObservedRetry | None = None  # built on the first failure that may be retried
    while True:
        try:
            if limiter is None:
                response = _attempt(http, request, bounds, call)
            else:
                response = limiter.send(
                    request, bounds.remaining, call, lambda paced: _attempt(http, paced, bounds, call)
                )
        except httpx.RequestError as exc:
            following, wait = _next_retry(client, call, retry, request, exc, bounds)
            if following is None:
                raise _failed(call, exc, bounds) from exc
            outcome: httpx.Response | Exception = exc
        else:
            following, wait = _next_retry(client, call, retry, request, response, bounds)
            if following is None:
                return _finished(client, call, response)
            outcome = response
        bounds.clock.sleep(wait)
        following.record_wait(outcome, wait)
        retry = following


async def send_request_async(
    client: Client,
    request: dict[str, Any],
    *,
    timeout: CallTimeout = UNSET,
    deadline: float | None | Unset = UNSET,
) -> httpx.Response:
    """Async twin of send_request."""
    bounds = _Bounds(client, timeout, deadline)
    http = client.get_async_httpx_client()
    request = _prepared(client, http, request)
    call = _call_record(http, request, bounds.clock)
    limiter = client.rate_limiter()  # the account's budget (rate_limit.py): paced, and paused after a 429
    retry: ObservedRetry | None = None  # built on the first failure that may be retried
    while True:
        try:
            if limiter is None:
                response = await _attempt_async(http, request, bounds, call)
            else:
                response = await limiter.send_async(
                    request, bounds.remaining, call, lambda paced: _attempt_async(http, paced, bounds, call)
                )
        except httpx.RequestError as exc:
            following, wait = _next_retry(client, call, retry, request, exc, bounds)
            if following is None:
                raise _failed(call, exc, bounds) from exc
            outcome: httpx.Response | Exception = exc
        else:
            following, wait = _next_retry(client, call, retry, request, response, bounds)
            if following is None:
                return _finished(client, call, response)
            outcome = response
        await bounds.clock.sleep_async(wait)
        following.record_wait(outcome, wait)
        retry = following


def _next_retry(
    client: Client,
    call: CallRecord,
    retry: ObservedRetry | None,
    request: dict[str, Any],
    outcome: httpx.Response | Exception,
    bounds: _Bounds,
) -> tuple[ObservedRetry | None, float]:
    """The policy of the retry to send after `outcome` and the wait before it; (None, 0) to stop here.
    `retry` is the policy so far, None before the first retry."""
    if isinstance(outcome, httpx.Response) and outcome.status_code not in RETRY_STATUSES:
        return None, 0.0  # nearly every answer: decided without building the policy, which costs more
    if retry is None:
        retry = client.retry_policy(call)
    if isinstance(outcome, httpx.Response):
        retryable = retry.is_retryable_status_code(outcome.status_code)
    else:
        retryable = retry.is_retryable_exception(outcome)
    if not retryable or not retry.is_retryable_method(request["method"]) or retry.is_exhausted():
        return None, 0.0
    following = retry.increment()
    wait = following.wait_before_retry(outcome)
    remaining = bounds.remaining()
    if remaining is not None and wait >= remaining:
        return None, 0.0  # the retry could not start before the call's deadline
    return following, wait


def _attempt(http: httpx.Client, request: dict[str, Any], bounds: _Bounds, call: CallRecord) -> httpx.Response:
    ends = bounds.attempt_ends()
    built = _build(http, request, bounds.request_timeout(ends))
    # Every socket operation of the attempt is capped at the time left (network.py's transport, which reads
    # time.monotonic: the fake's clock never reaches it, the fake answering through a transport of its own).
    bounded = ATTEMPT_ENDS.set(ends)
    try:
        response = http.send(built, stream=True)
        try:
            _check_declared_length(response, bounds.limit, call)
            chunks = _bounded(response.iter_bytes(), bounds.limit, ends, call)
            body = b"".join(chunks)
        finally:
            response.close()
    finally:
        ATTEMPT_ENDS.reset(bounded)
    return _with_body(response, body)


async def _attempt_async(
    http: httpx.AsyncClient, request: dict[str, Any], bounds: _Bounds, call: CallRecord
) -> httpx.Response:
    ends = bounds.attempt_ends()
    built = _build(http, request, bounds.request_timeout(ends))
    bounded = ATTEMPT_ENDS.set(ends)  # as in _attempt (each task has its own)
    try:
        response = await http.send(built, stream=True)
        try:
            _check_declared_length(response, bounds.limit, call)
            chunks: list[bytes] = []
            size = 0
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                _check_chunk(size, bounds.limit, ends, call)
                chunks.append(chunk)
            body = b"".join(chunks)
        finally:
            await response.aclose()
    finally:
        ATTEMPT_ENDS.reset(bounded)
    return _with_body(response, body)


def _check_declared_length(response: httpx.Response, limit: int, call: CallRecord) -> None:
    # A Content-Length over the limit is refused before a byte of the body is read (unless it is encoded:
    # then the limit applies to the decoded size, counted while reading).
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit and "Content-Encoding" not in response.headers:
        raise _too_large(limit, call)


def _bounded(chunks: Iterator[bytes], limit: int, ends: float | None, call: CallRecord) -> list[bytes]:
    kept: list[bytes] = []
    size = 0
    for chunk in chunks:
        size += len(chunk)
        _check_chunk(size, limit, ends, call)
        kept.append(chunk)
    return kept


def _check_chunk(size: int, limit: int, ends: float | None, call: CallRecord) -> None:
    """Stop reading a body over the size limit, or past the attempt's end.

    With each socket operation capped at the time left when the attempt started (request_timeout), checking
    the time as each chunk arrives keeps a server that trickles its body from holding an attempt much past
    its end. Async attempts are bounded this way too: a timer around each one (asyncio.timeout) cost more
    CPU than all the rest of the client's work on a request.
    """
    if size > limit:
        raise _too_large(limit, call)
    if ends is not None:
        _time_left(ends, call.clock)


def _too_large(limit: int, call: CallRecord) -> errors.ResponseTooLargeError:
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug(
            "%s %s -> body over %d bytes in %.3f s, %d attempt(s)",
            call.method,
            call.url,
            limit,
            call.elapsed,
            call.attempts,
            extra=_log_fields(call, None),
        )
    return errors.ResponseTooLargeError(limit=limit, method=call.method, url=call.url, attempts=call.attempts)


def _with_body(response: httpx.Response, body: bytes) -> httpx.Response:
    """The closed streamed response, now holding its (decoded) body as if httpx had read it.

    A plain byte stream over the body also breaks the response <-> stream reference cycle, so a body does
    not wait for the cycle collector (flat memory in sync_all, `make bench`).
    """
    response._content = body  # noqa: SLF001 (where httpx's own read() keeps the decoded body)
    response.stream = httpx.ByteStream(body)
    return response


def _finished(client: Client, call: CallRecord, response: httpx.Response) -> httpx.Response:
    response.request.extensions[errors.ATTEMPTS_EXTENSION] = call.attempts
    response.request.extensions[errors.ELAPSED_EXTENSION] = call.elapsed  # Response.elapsed (responses.py)
    if response.status_code == 429:
        asked = errors.parse_retry_after(response.headers.get("Retry-After"))
        if asked is not None:
            response.extensions[errors.RETRY_AFTER_EXTENSION] = min(asked, client.retry_max_wait)
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug(
            "%s %s -> %d in %.3f s, %d attempt(s)",
            call.method,
            call.url,
            response.status_code,
            call.elapsed,
            call.attempts,
            extra=_log_fields(call, response.status_code),
        )
    return response


def _failed(call: CallRecord, exc: httpx.RequestError, bounds: _Bounds) -> errors.ApiConnectionError:
    ran_out = bounds.ran_out(exc) if isinstance(exc, httpx.TimeoutException) else None
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug(
            "%s %s -> %s in %.3f s, %d attempt(s)",
            call.method,
            call.url,
            type(exc).__name__,
            call.elapsed,
            call.attempts,
            extra=_log_fields(call, None),
        )
    return errors.transport_error_for(exc, method=call.method, url=call.url, attempts=call.attempts, ran_out=ran_out)


def _log_fields(call: CallRecord, status: int | None) -> dict[str, Any]:
    return {
        "hilos_method": call.method,
        "hilos_url": call.url,
        "hilos_status": status,
        "hilos_elapsed": call.elapsed,
        "hilos_attempts": call.attempts,
    }


__all__ = ["send_request", "send_request_async"]
