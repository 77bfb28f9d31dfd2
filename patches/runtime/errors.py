"""Every error the client raises. Catch `HilosError` to catch them all.

    HilosError
    ├── ConfigurationError          bad client settings (a missing environment variable, a refused base URL),
    │                               or an httpx / httpcore the client does not support
    ├── InvalidParameterError       an operation's argument the spec does not allow (also a ValueError),
    │   └── InvalidParameterTypeError   of the wrong type (also a TypeError); refused before sending
    ├── ApiConnectionError          no usable response (refused, reset, DNS, TLS, body cut off, redirect loop)
    │   └── ApiTimeoutError         the attempt's timeout, the call's deadline, or one phase's timeout ran out
    ├── ApiStatusError              the server answered with a non-2xx status
    │   ├── AuthenticationError     401
    │   ├── PermissionDeniedError   403
    │   ├── NotFoundError           404
    │   ├── RateLimitError          429 (see .retry_after)
    │   └── ServerError             5xx
    ├── ResponseTooLargeError       a response body longer than the client's max_response_bytes
    ├── ClientClosedError           the client was closed (its `with` block ended), or its async
    │                               connections belong to another running event loop
    ├── ResponseValidationError     a 2xx body that is not JSON or does not match the spec
    └── PaginationError             sync_all / asyncio_all cannot go on safely
        └── RepeatedPageError       a page repeated an earlier one (the server ignores `page`)

Errors that come from a request carry `.method`, `.url` and `.attempts` (how many times it was sent,
retries included). No message, repr or attribute holds the API token: URLs are shown without userinfo or
secret-looking query parameters, and request headers are never kept. Every error survives pickling (so it
crosses a process pool intact) with its class, message and attributes.
"""

from __future__ import annotations

import email.utils
import json
import time
from http import HTTPStatus
from typing import Any, Literal, NamedTuple
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx

from .parsing import ParseError

# How much of a response body an error message shows; `.body` keeps up to ERROR_BODY_CHARS.
BODY_EXCERPT_CHARS = 500
ERROR_BODY_CHARS = 64 * 1024
"""The most characters of an error response's body that ApiStatusError.body keeps (the rest is cut)."""
_SECRET_QUERY_WORDS = ("token", "key", "secret", "password", "auth", "signature")
# Where the client records, on each httpx request it sends, how many times it was sent (retries included).
ATTEMPTS_EXTENSION = "hilos_client.attempts"
# Where the client records, on the final request of a call, the call's seconds in all (retries and waits included).
ELAPSED_EXTENSION = "hilos_client.elapsed"
# Where the client records, on a 429 response, the wait in seconds it honoured or would honour before a retry.
RETRY_AFTER_EXTENSION = "hilos_client.retry_after"
# What a model's from_dict raises on data that does not match the spec (see models/); the endpoint
# functions turn these into ResponseValidationError.
PARSE_ERRORS: tuple[type[Exception], ...] = (KeyError, TypeError, ValueError, AttributeError, IndexError)


SENSITIVE_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "x-api-key"})
"""Headers holding credentials: masked in reprs, left out of the request a `Response` keeps."""


def without_credentials(request: httpx.Request) -> httpx.Request:
    """A copy of `request` without its SENSITIVE_HEADERS, for objects that outlive the call (a `Response` may
    be pickled, cached or logged whole: the token must stay with the connection to its origin)."""
    raw = request.headers.raw
    if not any(name.lower().decode("latin-1") in SENSITIVE_HEADERS for name, _ in raw):
        return request
    kept = [(name, value) for name, value in raw if name.lower().decode("latin-1") not in SENSITIVE_HEADERS]
    return httpx.Request(
        request.method, request.url, headers=kept, stream=request.stream, extensions=request.extensions
    )


def redact_url(url: httpx.URL | str) -> str:
    """The URL without userinfo and with secret-looking query values replaced by `***`."""
    parts = urlsplit(str(url))
    netloc = parts.hostname or ""
    if ":" in netloc:
        netloc = f"[{netloc}]"
    if parts.port is not None:
        netloc = f"{netloc}:{parts.port}"
    query = urlencode(
        [
            (name, "***" if any(word in name.lower() for word in _SECRET_QUERY_WORDS) else value)
            for name, value in parse_qsl(parts.query, keep_blank_values=True)
        ]
    )
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def excerpt(text: str, limit: int = BODY_EXCERPT_CHARS) -> str:
    return text if len(text) <= limit else text[:limit] + f"... [{len(text) - limit} more characters]"


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date); None if absent or unreadable."""
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
    return max(0.0, seconds)


def attempts_of(request: httpx.Request | None) -> int:
    """How many times the client sent `request` (1 when it was never retried or not sent by this client)."""
    if request is None:
        return 1
    return int(request.extensions.get(ATTEMPTS_EXTENSION, 1))


def _rebuilt(cls: type[HilosError], args: tuple[Any, ...], state: dict[str, Any]) -> HilosError:
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


class HilosError(Exception):
    """Base class of every error raised by hilos_client."""

    def __reduce__(self) -> tuple[Any, ...]:
        # The subclasses' constructors take an httpx.Response, which does not pickle; the message and the
        # attributes are all a caller reads, and they do (the cause chain is left behind, as pickle does).
        return _rebuilt, (type(self), self.args, dict(self.__dict__))


class ConfigurationError(HilosError, ValueError):
    """The client cannot be built as asked: a missing environment variable or a base URL it refuses."""


class InvalidParameterError(HilosError, ValueError):
    """An argument of an operation that the spec does not allow (a UUID filter that is not a UUID, a naive
    date-time, a value no member of the enum has), refused before anything is sent. `parameter` is the
    argument's Python name."""

    def __init__(self, message: str, *, parameter: str) -> None:
        self.parameter = parameter
        super().__init__(f"{parameter}: {message}")


class InvalidParameterTypeError(InvalidParameterError, TypeError):
    """An argument of an operation of a type the spec does not allow (an int where a bool is expected, a bool
    where an int is), refused before anything is sent."""


class ApiConnectionError(HilosError):
    """No usable response: connection refused or reset, DNS or TLS failure, a body cut off or undecodable, a redirect loop."""

    def __init__(self, message: str, *, method: str, url: httpx.URL | str, attempts: int = 1) -> None:
        self.method = method
        self.url: str = redact_url(url)
        self.attempts = attempts
        tries = f", {attempts} attempts" if attempts > 1 else ""
        super().__init__(f"{message} ({method} {self.url}{tries})")


class TimeoutLimit(NamedTuple):
    """Which limit a timed-out request reached (see ApiTimeoutError)."""

    limit: Literal["timeout", "deadline"]
    seconds: float | None
    phase: str | None = None


class ApiTimeoutError(ApiConnectionError):
    """The request timed out: its last attempt reached the attempt's timeout or the call's deadline, or one
    phase (connect, read, write, pool wait) of an `httpx.Timeout` took too long.

    `limit`: "timeout" (the attempt's, or a phase's) or "deadline" (the call's); `seconds`: how long that
    limit was (None when unknown); `phase`: "connect", "read", "write" or "pool" when one phase's own
    timeout ran out, None when the attempt or the call as a whole did. The message says the same.
    """

    def __init__(
        self,
        message: str,
        *,
        method: str,
        url: httpx.URL | str,
        attempts: int = 1,
        limit: Literal["timeout", "deadline"] | None = None,
        seconds: float | None = None,
        phase: str | None = None,
    ) -> None:
        self.limit: Literal["timeout", "deadline"] | None = limit
        self.seconds: float | None = seconds
        self.phase: str | None = phase
        super().__init__(message, method=method, url=url, attempts=attempts)


def _ran_out(ran_out: TimeoutLimit) -> str:
    limit, seconds, phase = ran_out
    which = (
        f"the {phase} timeout" if phase else "the call's deadline" if limit == "deadline" else "the attempt's timeout"
    )
    return f"{which} of {seconds:g} s ran out" if seconds is not None else f"{which} ran out"


class ApiStatusError(HilosError):
    """The server answered with a status outside 2xx.

    `status_code`, `headers` (the response's), `body` (text), `detail` (the parsed JSON error: DRF's
    `{"detail": ...}` value, else the whole JSON body, else None), `method`, `url` (redacted), `attempts`.
    """

    def __init__(self, response: httpx.Response, *, message: str | None = None) -> None:
        self.status_code: int = response.status_code
        self.headers: httpx.Headers = response.headers
        self.method: str = response.request.method
        self.url: str = redact_url(response.request.url)
        self.attempts: int = attempts_of(response.request)
        self.body: str = excerpt(_body_text(response), ERROR_BODY_CHARS)
        self.detail: Any = _error_detail(response, self.body)
        reason = message or (self.detail if isinstance(self.detail, str) else excerpt(self.body))
        tries = f" after {self.attempts} attempts" if self.attempts > 1 else ""
        super().__init__(
            f"{self.status_code} {_reason_phrase(self.status_code)} for {self.method} {self.url}{tries}: {reason}"
        )


class AuthenticationError(ApiStatusError):
    """401: the token is missing, wrong or revoked."""


class PermissionDeniedError(ApiStatusError):
    """403: the token is valid but may not do this."""


class NotFoundError(ApiStatusError):
    """404: no such resource (also "Invalid page." past the last page)."""


class RateLimitError(ApiStatusError):
    """429: too many requests. `retry_after`: the seconds the client waited, or would wait, before retrying
    as the server's Retry-After asked (capped by the client's retry_max_wait), or None without Retry-After."""

    def __init__(self, response: httpx.Response, *, message: str | None = None) -> None:
        honoured = response.extensions.get(RETRY_AFTER_EXTENSION)
        self.retry_after: float | None = (
            honoured if honoured is not None else parse_retry_after(response.headers.get("Retry-After"))
        )
        super().__init__(response, message=message)


class ServerError(ApiStatusError):
    """5xx (including non-standard codes such as 520): the server failed."""


class ResponseTooLargeError(HilosError):
    """The response body (decompressed) is longer than the client's `max_response_bytes`: it was not read
    further. `limit`, `method`, `url` (redacted), `attempts`."""

    def __init__(self, *, limit: int, method: str, url: httpx.URL | str, attempts: int = 1) -> None:
        self.limit: int = limit
        self.method: str = method
        self.url: str = redact_url(url)
        self.attempts: int = attempts
        super().__init__(
            f"the response to {method} {self.url} is longer than max_response_bytes={limit}; "
            "it was not read further (raise the client's max_response_bytes if it is legitimate)"
        )


class ClientClosedError(HilosError):
    """The client cannot send: it was closed (its `with` block ended), or its async connections belong to
    another event loop that is still open. Create a new client (or one client per event loop)."""


class ResponseValidationError(HilosError):
    """A 2xx response whose body is not JSON or does not match the spec.

    `status_code`, `method`, `url` (redacted), `attempts`, `body` (the full text), `reason` (what did not match),
    `path` (where in the body, like `results[0].contact.last_updated_on`; empty when it is not about one value).
    """

    def __init__(self, response: httpx.Response, reason: str, *, path: str = "") -> None:
        self.path: str = path
        self.status_code: int = response.status_code
        self.method: str = response.request.method
        self.url: str = redact_url(response.request.url)
        self.attempts: int = attempts_of(response.request)
        self.body: str = _body_text(response)
        self.reason = reason
        super().__init__(
            f"{self.status_code} response to {self.method} {self.url} does not match the API spec: {reason}; "
            f"body: {excerpt(self.body, 200)!r}"
        )

    @classmethod
    def from_parse_error(cls, response: httpx.Response, exc: Exception) -> ResponseValidationError:
        """The error for an exception (one of PARSE_ERRORS) raised while reading a 2xx body."""
        if isinstance(exc, json.JSONDecodeError | UnicodeDecodeError):
            reason = f"the body is not JSON ({exc})"
        elif isinstance(exc, ParseError):
            return cls(response, str(exc), path=exc.path)
        elif isinstance(exc, KeyError):
            reason = f"required field {exc.args[0]!r} is missing"
        else:
            reason = str(exc) or type(exc).__name__
        return cls(response, reason)


class PaginationError(HilosError):
    """Reading all pages of `operation` could not continue safely; the items already yielded are valid."""

    def __init__(self, message: str, *, operation: str, page: int) -> None:
        self.operation = operation
        self.page = page
        super().__init__(f"{operation}, page {page}: {message}")


class RepeatedPageError(PaginationError):
    """A page held the same items as an earlier page: the server ignores `page` or alternates pages, or the
    data shifted by exactly a page. Stopping is the only way not to loop forever or invent a listing."""


_STATUS_ERRORS: dict[int, type[ApiStatusError]] = {
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    429: RateLimitError,
}


def status_error_for(response: httpx.Response) -> ApiStatusError:
    """The typed error for a non-2xx response (any integer status, including 499 or 520)."""
    if response.status_code >= 500:
        return ServerError(response)
    return _STATUS_ERRORS.get(response.status_code, ApiStatusError)(response)


def transport_error_for(
    exc: httpx.RequestError,
    *,
    method: str,
    url: httpx.URL | str,
    attempts: int = 1,
    ran_out: TimeoutLimit | None = None,
) -> ApiConnectionError:
    """The typed error for an httpx request failure: no response, a response cut off or undecodable, or a
    redirect loop. A timeout's message says which limit ran out (`ran_out`) when it is known."""
    if isinstance(exc, httpx.TimeoutException) and ran_out is not None:
        return ApiTimeoutError(
            f"{type(exc).__name__}: {_ran_out(ran_out)}",
            method=method,
            url=url,
            attempts=attempts,
            limit=ran_out.limit,
            seconds=ran_out.seconds,
            phase=ran_out.phase,
        )
    kind = ApiTimeoutError if isinstance(exc, httpx.TimeoutException) else ApiConnectionError
    return kind(
        f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__, method=method, url=url, attempts=attempts
    )


def _body_text(response: httpx.Response) -> str:
    try:
        return response.text
    except (httpx.ResponseNotRead, UnicodeDecodeError):
        return response.content.decode("utf-8", errors="replace") if response.is_closed else ""


def _error_detail(response: httpx.Response, body: str) -> Any:
    """DRF-style errors are {"detail": "..."}; return that, else the whole JSON body, else None."""
    if "json" not in response.headers.get("Content-Type", ""):
        return None
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if isinstance(data, dict) and "detail" in data:
        return data["detail"]
    return data


def _reason_phrase(status_code: int) -> str:
    try:
        return HTTPStatus(status_code).phrase
    except ValueError:
        return "Unknown Status"


__all__ = [
    "ATTEMPTS_EXTENSION",
    "BODY_EXCERPT_CHARS",
    "ELAPSED_EXTENSION",
    "ERROR_BODY_CHARS",
    "RETRY_AFTER_EXTENSION",
    "ClientClosedError",
    "InvalidParameterError",
    "InvalidParameterTypeError",
    "ResponseTooLargeError",
    "PARSE_ERRORS",
    "PaginationError",
    "RepeatedPageError",
    "ApiConnectionError",
    "ApiStatusError",
    "ApiTimeoutError",
    "AuthenticationError",
    "ConfigurationError",
    "HilosError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ResponseValidationError",
    "ServerError",
    "attempts_of",
    "excerpt",
    "parse_retry_after",
    "redact_url",
    "status_error_for",
    "transport_error_for",
]
