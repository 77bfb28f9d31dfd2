# Copied from patches/runtime/client.py by pipeline/generating/generate.py.
# Do not edit here: edit patches/runtime/client.py, then run `make generate`.
"""The clients: where requests go, with which token, timeout and retry settings.

`AuthenticatedClient(base_url=..., token=...)` is all most callers need; `AuthenticatedClient.from_env()`
reads the same from environment variables. Both clients refuse a base URL that still holds the spec's
placeholder and, unless `allow_insecure_http=True`, a plain `http://` URL to a host other than loopback.
"""

from __future__ import annotations

import functools
import importlib
import math
import os
import ssl
import sys
import threading
from collections.abc import Collection, Generator, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Self, TypeVar

import httpx
from attrs import define, evolve, field

from . import servers
from .clock import SYSTEM_CLOCK, Clock
from .errors import SENSITIVE_HEADERS, ClientClosedError, ConfigurationError, redact_url
from .operations import package_name
from .rate_limit import (
    ENV_RATE_LIMIT,
    ENV_RATE_LIMIT_URL,
    RateLimiter,
    account_key,
    check_rate_limit,
    check_rate_limit_url,
    rate_limit_from_env,
    rate_limit_url_from_env,
    redact_redis_url,
)
from .retries import (
    DEFAULT_DEADLINE,
    DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_RETRIES,
    DEFAULT_RETRY_BACKOFF,
    DEFAULT_RETRY_MAX_WAIT,
    IDEMPOTENT_METHODS,
    RETRY_STATUSES,
    CallRecord,
)
from .servers import ENV_ACCOUNT_NAME, ServerTemplate
from .types import UNSET, Unset

if TYPE_CHECKING:
    import asyncio

    from .retry_policy import ObservedRetry

DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=10.0)
"""10 s to connect; 60 s for each read, write and wait for a pooled connection (and DEFAULT_DEADLINE for
the whole call)."""

ENV_TOKEN = "HILOS_API_TOKEN"
ENV_BASE_URL = "HILOS_BASE_URL"
ENV_TIMEOUT = "HILOS_TIMEOUT"
ENV_DEADLINE = "HILOS_DEADLINE"
ENV_RETRIES = "HILOS_RETRIES"
# What httpx sends when nobody chose a User-Agent: an httpx client with it gets ours instead.
_HTTPX_USER_AGENT = f"python-httpx/{httpx.__version__}"


@functools.cache
def user_agent() -> str:
    """The User-Agent sent with every request unless the caller sets one:
    `hilos-client/<version> httpx/<version> python/<major.minor.micro>`.

    To add your app's name, send `headers={"User-Agent": f"my-app/1.0 {user_agent()}"}`.
    """
    from .metadata import installed_version  # importlib.metadata: read once, at the first request that needs it

    distribution = package_name().replace("_", "-")
    python = ".".join(str(part) for part in sys.version_info[:3])
    return f"{distribution}/{installed_version(distribution)} httpx/{httpx.__version__} python/{python}"


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    default_port = {"http": 80, "https": 443}.get(url.scheme)
    return url.scheme, url.host, url.port or default_port


def _redacted_headers(headers: Mapping[str, str]) -> str:
    return repr({name: "***" if name.lower() in SENSITIVE_HEADERS else value for name, value in headers.items()})


def _redacted_cookies(cookies: Mapping[str, str]) -> str:
    return repr(dict.fromkeys(cookies, "***"))


@functools.lru_cache(maxsize=4)
def _default_tls_context(ca_file: str | None, ca_dir: str | None) -> ssl.SSLContext:
    """httpx's default verifying context, built once per CA setting and shared by every client.

    httpx builds one per client (loading certifi's CA bundle: 20 ms or more, also for an http:// base URL);
    a verifying context holds no per-client state, so sharing it is safe. The arguments are the environment
    variables httpx reads, so changing them still takes effect for the clients made afterwards.
    """
    del ca_file, ca_dir  # the cache key: httpx reads the same variables itself
    return httpx.create_ssl_context()


def _merged(headers: Mapping[str, str], more: Mapping[str, str]) -> dict[str, str]:
    """`headers` with `more` over them, a header of `more` replacing the same header however it is spelled."""
    replaced = {name.lower() for name in more}
    return {**{name: value for name, value in headers.items() if name.lower() not in replaced}, **more}


def _named(headers: Mapping[str, str], lowercase_name: str) -> list[str]:
    """The keys of `headers` that are the header `lowercase_name`, however they are spelled."""
    return [name for name in headers if name.lower() == lowercase_name]


def _method_set(methods: Collection[str]) -> frozenset[str]:
    return frozenset(method.upper() for method in methods)


def _is_visible_ascii(text: str) -> bool:
    return all("\x21" <= char <= "\x7e" for char in text)


def check_token(token: object, *, what: str = "token") -> None:
    """Raise ConfigurationError unless `token` can be sent as it is in an HTTP header.

    The message says what is wrong and never shows the token: a value h11 refuses would otherwise end up,
    whole, in the connection error it raises.
    """
    if not isinstance(token, str):
        raise ConfigurationError(f"{what} must be a string, not {type(token).__name__}")
    if not token:
        raise ConfigurationError(f"{what} is empty")
    if token != token.strip():
        raise ConfigurationError(
            f"{what} has whitespace at its start or end (a key read from a file keeps its newline: strip it)"
        )
    if not _is_visible_ascii(token):
        position = next(index for index, char in enumerate(token) if not "\x21" <= char <= "\x7e")
        raise ConfigurationError(
            f"{what} holds a character not allowed in an HTTP header value at position {position} "
            "(a control character, a space, or a non-ASCII character); only visible ASCII is accepted"
        )


def check_header_values(headers: Mapping[str, str]) -> None:
    """Raise ConfigurationError naming (never showing) a header value that cannot be sent as it is.

    RFC 9110 forbids control characters; httpx encodes values as ASCII, so anything beyond it would fail at
    the first request instead, with part of the value in the message.
    """
    for name, value in headers.items():
        if not isinstance(value, str) or any(char != "\t" and not " " <= char <= "\x7e" for char in value):
            raise ConfigurationError(
                f"header {name!r} has a value that cannot be sent (a control character, or a non-ASCII character)"
            )
        if value != value.strip():
            raise ConfigurationError(f"header {name!r} has whitespace at the start or end of its value")


def _check_seconds(name: str, value: object, *, allow_none: bool = True, allow_zero: bool = False) -> None:
    if value is None and allow_none:
        return
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigurationError(f"{name} must be a number of seconds, not {type(value).__name__}")
    if not math.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        bound = "0 or more" if allow_zero else "more than 0"
        raise ConfigurationError(f"{name} must be a finite number of seconds, {bound}, not {value!r}")


def check_timeout(timeout: object, *, name: str = "timeout") -> None:
    """Raise ConfigurationError unless `timeout` is None, positive finite seconds or an httpx.Timeout of those."""
    if isinstance(timeout, httpx.Timeout):
        for phase in ("connect", "read", "write", "pool"):
            _check_seconds(f"{name}.{phase}", getattr(timeout, phase))
    else:
        _check_seconds(name, timeout)


def parse_seconds(text: str) -> float | None:
    """Seconds as a person writes them (an environment variable, a command-line option): a positive number, or
    `none` for no bound. Raises ValueError saying what is expected."""
    text = text.strip()
    if text.lower() == "none":
        return None
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds) or seconds <= 0:
        raise ValueError(f"expected a positive number of seconds, or 'none', not {text!r}")
    return seconds


def parse_retries(text: str) -> int:
    """A number of retries as a person writes it: a whole number, 0 or more. Raises ValueError saying so."""
    text = text.strip()
    if not text.isdecimal():
        raise ValueError(f"expected a whole number of retries, 0 or more, not {text!r}")
    return int(text)


def _settings_from_env(env: Mapping[str, str]) -> dict[str, Any]:
    """`timeout`, `deadline` and `retries` from HILOS_TIMEOUT, HILOS_DEADLINE and HILOS_RETRIES, those set and
    not empty; a ConfigurationError names a variable whose value is wrong."""
    settings: dict[str, Any] = {}
    readers = (("timeout", ENV_TIMEOUT, parse_seconds), ("deadline", ENV_DEADLINE, parse_seconds))
    for name, variable, read in (*readers, ("retries", ENV_RETRIES, parse_retries)):
        text = env.get(variable, "").strip()
        if text:
            try:
                settings[name] = read(text)
            except ValueError as exc:
                raise ConfigurationError(f"environment variable {variable}: {exc}") from None
    return settings


class TokenAuth(httpx.Auth):
    """Adds `Authorization: <prefix> <token>` to requests for the base URL's origin (scheme, host, port) only.

    A link or a request to any other origin goes without it; httpx itself drops the header when a redirect
    leaves the origin.
    """

    def __init__(self, token: str, *, prefix: str, base_url: httpx.URL | str) -> None:
        self._header = f"{prefix} {token}" if prefix else token
        self.origin: tuple[str, str, int | None] = _origin(httpx.URL(str(base_url)))

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        header = self._header_for(request.url)
        if header is not None:
            request.headers["Authorization"] = header
        yield request

    def _header_for(self, url: httpx.URL) -> str | None:
        """The Authorization header value for a request to `url`; None for another origin."""
        return self._header if _origin(url) == self.origin else None

    def __repr__(self) -> str:
        scheme, host, port = self.origin
        return f"TokenAuth(origin='{scheme}://{host}:{port}')"


_HttpxClient = TypeVar("_HttpxClient", httpx.Client, httpx.AsyncClient)


def _made(kind: type[_HttpxClient], kwargs: dict[str, Any]) -> _HttpxClient:
    """`kind(**kwargs)` over the transport that bounds every socket operation of an attempt (network.py),
    with a base URL httpx cannot use (one given in `httpx_args`) as a ConfigurationError."""
    from .network import with_bounded_transport  # loads httpcore, as httpx's own transport would here

    kwargs = with_bounded_transport(kwargs, asynchronous=kind is httpx.AsyncClient)
    try:
        return kind(**kwargs)
    except (httpx.InvalidURL, UnicodeError) as exc:  # idna's errors are UnicodeErrors
        raise ConfigurationError(f"the httpx client's base_url cannot be used: {exc}") from None


def _spec_module() -> Any:
    name = f"{package_name()}._spec"
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name != name:
            raise
        return None


def _spec_server_rate_limit() -> float | None:
    """The API's documented requests per second per account (`_spec.SERVER_RATE_LIMIT`; None outside a package)."""
    rate: float | None = getattr(_spec_module(), "SERVER_RATE_LIMIT", None)
    return rate


def _redacted_redis_url(url: str | None) -> str:
    return repr(None if url is None else redact_redis_url(url))


def _spec_server() -> ServerTemplate:
    """The server of the spec, from the `_spec` module of the package this runtime was copied into.

    Read here, so that every way to a client (the package's `client` module, `Hilos`, `testing`, `cli`) has
    it without `import <package>` loading the clients first. Outside a package (the runtime's own tests),
    the server is "/".
    """
    spec = _spec_module()
    if spec is None:
        return ServerTemplate("/")
    server: ServerTemplate = spec.SERVER
    return server


@define
class Client:
    """A client for the API's public operations (use AuthenticatedClient for the others).

    Attributes (all keyword-only except `base_url`):
        base_url: The API's base URL, e.g. "https://youraccount.api-us1.com/api/3".
        timeout: Default timeout of each request. Seconds bound each attempt as a whole, from connecting to the
            body's last byte; an httpx.Timeout bounds each phase (connect, each read, write, pool wait);
            None sets no bound but the deadline. Default DEFAULT_TIMEOUT (10 s to connect, 60 s per read).
            Each operation also takes `timeout=`.
        deadline: Seconds one call may take in all: every attempt and every wait between attempts
            (default DEFAULT_DEADLINE, 300 s; None: no overall bound). Each operation also takes `deadline=`.
        max_response_bytes: The longest response body read, counted after decompression (default
            DEFAULT_MAX_RESPONSE_BYTES, 64 MiB); a longer one raises errors.ResponseTooLargeError.
        retries: How many times a failed idempotent request is retried (default 2; 0 disables). Connection
            errors, timeouts and the statuses in RETRY_STATUSES are retried.
        retry_backoff: Seconds; retry n waits between half and all of `retry_backoff * 2**n` seconds,
            or the server's Retry-After (seconds or HTTP date) when it sends one.
        retry_max_wait: The longest single wait in seconds, Retry-After included (default 60).
        retry_methods: HTTP methods that are retried (default IDEMPOTENT_METHODS; add "POST" or "PATCH" to
            retry those too, only when the operation is safe to repeat).
        rate_limit: Requests per second this client sends at most, from one budget shared by every client of
            the same origin and token (default: HILOS_RATE_LIMIT when set, else the API's documented limit,
            `server_rate_limit`; None: no client-side limit). A 429 pauses the whole budget for its
            Retry-After (at most retry_max_wait).
        rate_limit_url: A Redis URL ("redis://host:6379/0"; default HILOS_RATE_LIMIT_URL) that keeps the budget,
            so every process and machine using it shares one limit; needs `hilos-client[redis]`.
        allow_insecure_http: Allow a plain http:// base URL to a non-loopback host (default False).
        headers, cookies: Sent with every request. verify_ssl: as httpx's `verify`.
        follow_redirects: Follow redirects (default False). httpx_args: more arguments for httpx.Client.
        http_client: Your own httpx.Client (for sync calls) or httpx.AsyncClient (for async calls), used as
            it is: its transport, mounts, proxies, event hooks, limits, default headers and cookies. This
            client still joins every path to `base_url` (the httpx client's own base_url must be empty or
            the same), adds its headers, the User-Agent and the token (to the base URL's origin only), and
            applies its timeout, deadline, retries, size limit and rate limit; it never closes that httpx
            client. Set cookies, verify_ssl, follow_redirects and httpx_args on it instead.
    """

    server: ClassVar[ServerTemplate] = _spec_server()
    """The spec's server URL (the package's `_spec.SERVER`): from_env() fills in its account name."""
    server_rate_limit: ClassVar[float | None] = _spec_server_rate_limit()
    """The API's documented requests per second per account (the spec server's `x-rate-limit`), or None."""

    _base_url: str = field(alias="base_url")
    _cookies: dict[str, str] = field(factory=dict, kw_only=True, alias="cookies", repr=_redacted_cookies)
    _headers: dict[str, str] = field(factory=dict, kw_only=True, alias="headers", repr=_redacted_headers)
    _timeout: httpx.Timeout | float | None = field(default=DEFAULT_TIMEOUT, kw_only=True, alias="timeout")
    _verify_ssl: str | bool | ssl.SSLContext = field(default=True, kw_only=True, alias="verify_ssl")
    _follow_redirects: bool = field(default=False, kw_only=True, alias="follow_redirects")
    _httpx_args: dict[str, Any] = field(factory=dict, kw_only=True, alias="httpx_args", repr=False)
    _http_client: httpx.Client | httpx.AsyncClient | None = field(
        default=None, kw_only=True, alias="http_client", repr=False, eq=False
    )
    deadline: float | None = field(default=DEFAULT_DEADLINE, kw_only=True)
    max_response_bytes: int = field(default=DEFAULT_MAX_RESPONSE_BYTES, kw_only=True)
    retries: int = field(default=DEFAULT_RETRIES, kw_only=True)
    retry_backoff: float = field(default=DEFAULT_RETRY_BACKOFF, kw_only=True)
    retry_max_wait: float = field(default=DEFAULT_RETRY_MAX_WAIT, kw_only=True)
    retry_methods: frozenset[str] = field(default=IDEMPOTENT_METHODS, kw_only=True, converter=_method_set)
    allow_insecure_http: bool = field(default=False, kw_only=True)
    rate_limit: float | None = field(factory=rate_limit_from_env, kw_only=True)
    rate_limit_url: str | None = field(factory=rate_limit_url_from_env, kw_only=True, repr=_redacted_redis_url)
    _limiter: RateLimiter | None = field(default=None, init=False, repr=False, eq=False)
    # What deadlines are measured and waits are slept on (clock.py): the real time, or the test fake's clock.
    _clock: Clock = field(default=SYSTEM_CLOCK, init=False, repr=False, eq=False)
    # The base URL as httpx holds one (with a trailing slash): operation paths are joined to it.
    _base: httpx.URL = field(init=False, repr=False, eq=False)
    _token_auth: TokenAuth | None = field(default=None, init=False, repr=False, eq=False)
    # The client whose httpx clients (connection pools) this copy uses (with_options): it alone opens and
    # closes them, and keeps the async one's event-loop rule.
    _pool: Client | None = field(default=None, init=False, repr=False, eq=False)
    _client: httpx.Client | None = field(default=None, init=False, repr=False)
    _client_is_ours: bool = field(default=False, init=False, repr=False, eq=False)
    _async_client: httpx.AsyncClient | None = field(default=None, init=False, repr=False)
    # The event loop the async client we created belongs to: its connections cannot serve another loop.
    _async_loop: asyncio.AbstractEventLoop | None = field(default=None, init=False, repr=False, eq=False)
    _async_client_is_ours: bool = field(default=False, init=False, repr=False, eq=False)
    # Creating the httpx clients on first use must happen once, however many threads share this client.
    _lock: threading.Lock = field(factory=threading.Lock, init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        servers.check_base_url(self._base_url, server=self.server, allow_insecure_http=self.allow_insecure_http)
        check_header_values(self._headers)
        check_timeout(self._timeout)
        _check_seconds("deadline", self.deadline)
        if isinstance(self.retries, bool) or not isinstance(self.retries, int) or self.retries < 0:
            raise ConfigurationError(f"retries must be a whole number, 0 or more, not {self.retries!r}")
        _check_seconds("retry_backoff", self.retry_backoff, allow_none=False, allow_zero=True)
        _check_seconds("retry_max_wait", self.retry_max_wait, allow_none=False)
        limit = self.max_response_bytes
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise ConfigurationError(f"max_response_bytes must be a positive whole number, not {limit!r}")
        check_rate_limit(self.rate_limit)
        check_rate_limit_url(self.rate_limit_url)
        base = httpx.URL(self._base_url)
        self._base = base if base.raw_path.endswith(b"/") else base.copy_with(raw_path=base.raw_path + b"/")
        if self._http_client is not None:
            self._adopt(self._http_client)

    @property
    def base_url(self) -> str:
        return self._base_url

    @property
    def timeout(self) -> httpx.Timeout | float | None:
        return self._timeout

    # with_headers, with_cookies and with_timeout build a new client with its own connections, created on
    # first use; with_options builds one that shares this client's. The original is never changed, and an
    # httpx client of the caller's (http_client=, set_httpx_client) is used by the copies too.

    def with_headers(self, headers: dict[str, str]) -> Self:
        """A new, independent client like this one with additional headers."""
        return self._evolved({"headers": _merged(self._headers, headers)})

    def with_cookies(self, cookies: dict[str, str]) -> Self:
        """A new, independent client like this one with additional cookies."""
        return self._evolved({"cookies": {**self._cookies, **cookies}})

    def with_timeout(self, timeout: httpx.Timeout | float | None) -> Self:
        """A new, independent client like this one with another default timeout."""
        return self._evolved({"timeout": timeout})

    def with_options(
        self,
        *,
        timeout: httpx.Timeout | float | None | Unset = UNSET,
        deadline: float | None | Unset = UNSET,
        retries: int | Unset = UNSET,
        retry_backoff: float | Unset = UNSET,
        retry_max_wait: float | Unset = UNSET,
        max_response_bytes: int | Unset = UNSET,
        rate_limit: float | None | Unset = UNSET,
        headers: Mapping[str, str] | Unset = UNSET,
    ) -> Self:
        """A copy of this client with other settings, sharing this client's connection pool.

        Each option left out keeps this client's value; `headers` are added to this client's. The copy
        sends through the same httpx client (created on first use by whichever comes first) and never
        closes it: closing this client closes it for both. This client is not changed.
        """
        changes: dict[str, Any] = {
            "timeout": timeout,
            "deadline": deadline,
            "retries": retries,
            "retry_backoff": retry_backoff,
            "retry_max_wait": retry_max_wait,
            "max_response_bytes": max_response_bytes,
            "rate_limit": rate_limit,
        }
        changes = {name: value for name, value in changes.items() if not isinstance(value, Unset)}
        if not isinstance(headers, Unset):
            changes["headers"] = _merged(self._headers, headers)
        copy = self._evolve(changes)
        copy._pool = self._pool or self
        return copy

    def _evolve(self, changes: dict[str, Any]) -> Self:
        # attrs' evolve() copies the constructor's arguments only: the clock is carried over here.
        copy = evolve(self, **changes)
        copy._use_clock(self._clock)
        return copy

    def _use_clock(self, clock: Clock) -> Self:
        """Measure deadlines and sleep on `clock` from now on (the test fake's: hilos_client.testing)."""
        with self._lock:
            self._clock = clock
            self._limiter = None  # a rate limiter is made for the clock it waits on
        return self

    def _evolved(self, changes: dict[str, Any]) -> Self:
        copy = self._evolve(changes)
        with self._lock:
            borrowed = [
                http
                for http, ours in (
                    (self._client, self._client_is_ours),
                    (self._async_client, self._async_client_is_ours),
                )
                if http is not None and not ours and http is not self._http_client
            ]
        for http in borrowed:
            copy._adopt(http)
        return copy

    def _adopt(self, http: httpx.Client | httpx.AsyncClient) -> None:
        """Send through the caller's httpx client `http`, as it is; raise ConfigurationError unless it can serve
        this client (a base_url of its own that differs from this client's, settings only it can hold)."""
        if not isinstance(http, httpx.Client | httpx.AsyncClient):
            raise ConfigurationError(
                f"http_client must be an httpx.Client or an httpx.AsyncClient, not {type(http).__name__}"
            )
        given = [name for name, value in (("cookies", self._cookies), ("httpx_args", self._httpx_args)) if value]
        given += ["verify_ssl"] if self._verify_ssl is not True else []
        given += ["follow_redirects"] if self._follow_redirects else []
        if given:
            raise ConfigurationError(
                f"{' and '.join(given)} cannot be used with your own httpx client: set them on that httpx client"
            )
        if str(http.base_url) and http.base_url != self._base:
            raise ConfigurationError(
                f"your httpx client's base_url {redact_url(http.base_url)!r} is not this client's "
                f"{redact_url(self._base)!r}: give the httpx client no base_url (this client's is used) or the same"
            )
        with self._lock:
            if isinstance(http, httpx.Client):
                self._client, self._client_is_ours = http, False
            else:
                self._async_client, self._async_client_is_ours, self._async_loop = http, False, None

    def _join_base(self, http: httpx.Client | httpx.AsyncClient) -> httpx.URL:
        """The base URL operation paths are joined to when sent through `http`: its own when it has one (this
        client's, or one given in httpx_args: _adopt refuses a caller's httpx client with another), else this
        client's."""
        base = http.base_url
        return base if base.host else self._base

    def _request_headers(
        self, http: httpx.Client | httpx.AsyncClient, url: httpx.URL | str, headers: Mapping[str, str] | None
    ) -> dict[str, str]:
        """The headers of one request to `url` through `http`, over the httpx client's own defaults: this
        client's headers, the operation's `headers`, our User-Agent unless someone chose one, the token for
        the base URL's origin only."""
        merged = _merged(self._headers, headers) if headers else dict(self._headers)
        if http.headers.get("User-Agent") == _HTTPX_USER_AGENT and not _named(merged, "user-agent"):
            merged["User-Agent"] = user_agent()
        auth = self._token_auth
        header = None if auth is None or not isinstance(url, httpx.URL) else auth._header_for(url)
        if header is not None:
            for name in _named(merged, "authorization"):
                del merged[name]  # one header whatever its spelling: httpx would send each
            merged["Authorization"] = header
        return merged

    def _auth(self) -> httpx.Auth | None:
        return self._token_auth

    def _account_token(self) -> str | None:
        return None

    def rate_limiter(self) -> RateLimiter | None:
        """This client's share of its account's rate-limit budget (None when `rate_limit` is None)."""
        limiter = self._limiter
        if limiter is None and self.rate_limit is not None:
            with self._lock:
                if self._limiter is None:
                    self._limiter = RateLimiter(
                        rate=self.rate_limit,
                        key=account_key(self._base_url, self._account_token()),
                        url=self.rate_limit_url,
                        max_pause=self.retry_max_wait,
                        clock=self._clock,
                    )
                limiter = self._limiter
        return limiter

    def _verify(self) -> str | bool | ssl.SSLContext:
        # httpx loads a client certificate (`cert`) into the context it is given: that one must stay unshared.
        shareable = (
            self._verify_ssl is True and "cert" not in self._httpx_args and self._httpx_args.get("trust_env", True)
        )
        if not shareable:
            return self._verify_ssl
        return _default_tls_context(os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR"))

    def _httpx_kwargs(self) -> dict[str, Any]:
        return {
            "base_url": self._base_url,
            "cookies": self._cookies,
            "headers": self._headers
            if _named(self._headers, "user-agent")
            else {"User-Agent": user_agent(), **self._headers},
            "timeout": self._timeout,
            "verify": self._verify(),
            "follow_redirects": self._follow_redirects,
            "auth": self._auth(),
            **self._httpx_args,
        }

    def retry_policy(self, call: CallRecord | None = None) -> ObservedRetry:
        """The httpx-retries Retry configuration of one call (`call` records its attempts)."""
        from .retry_policy import ObservedRetry  # imported on the first failure: retry_policy.py

        retry = ObservedRetry(
            total=self.retries,
            allowed_methods=self.retry_methods,
            status_forcelist=RETRY_STATUSES,
            backoff_factor=self.retry_backoff,
            backoff_jitter=0.5,
            max_backoff_wait=self.retry_max_wait,
            respect_retry_after_header=True,
        )
        retry.call = call
        return retry

    def set_httpx_client(self, client: httpx.Client) -> Self:
        """Send sync calls through your own httpx.Client, as `http_client=` does (see Client): this client's
        base URL, headers, token, timeout and retries still apply, and it never closes `client`.

        Raises errors.ConfigurationError when `client` has a base_url of its own that is not this client's.
        """
        if not isinstance(client, httpx.Client):
            raise ConfigurationError(f"set_httpx_client takes an httpx.Client, not {type(client).__name__}")
        self._adopt(client)
        return self

    def get_httpx_client(self) -> httpx.Client:
        """The httpx.Client sync calls go through: your own (http_client=, set_httpx_client), or one this
        client creates on first use (once, whichever thread comes first) with the token's TokenAuth.

        Raises errors.ClientClosedError once the client is closed, errors.ConfigurationError when this client
        was given an httpx.AsyncClient only.
        """
        if self._pool is not None:
            return self._pool.get_httpx_client()
        with self._lock:
            if self._client is None:
                if self._http_client is not None:
                    raise ConfigurationError(
                        "this client was given an httpx.AsyncClient (http_client=), which serves async calls only; "
                        "give an httpx.Client for sync calls"
                    )
                self._client = _made(httpx.Client, self._httpx_kwargs())
                self._client_is_ours = True
            client = self._client
        if client.is_closed:
            raise ClientClosedError(
                "this client is closed (its `with` block ended or it was closed); create a new client"
            )
        return client

    def _borrows(self, http: httpx.Client | httpx.AsyncClient | None) -> bool:
        """Whether `http` (this client's httpx client of its kind) is someone else's to open and close."""
        if self._pool is not None:
            return True
        ours = self._client_is_ours if isinstance(http, httpx.Client) else self._async_client_is_ours
        return http is not None and not ours

    def __enter__(self) -> Self:
        http = self.get_httpx_client()
        if not self._borrows(http):
            http.__enter__()
        return self

    def __exit__(self, *args: Any, **kwargs: Any) -> None:
        """Close the httpx client this client made (one of yours, or one a with_options copy shares, stays open)."""
        if not self._borrows(self._client):
            self.get_httpx_client().__exit__(*args, **kwargs)

    def set_async_httpx_client(self, async_client: httpx.AsyncClient) -> Self:
        """Send async calls through your own httpx.AsyncClient, as `http_client=` does (see set_httpx_client)."""
        if not isinstance(async_client, httpx.AsyncClient):
            raise ConfigurationError(
                f"set_async_httpx_client takes an httpx.AsyncClient, not {type(async_client).__name__}"
            )
        self._adopt(async_client)
        return self

    def get_async_httpx_client(self) -> httpx.AsyncClient:
        """The httpx.AsyncClient async calls go through: your own, or one this client creates on first use in
        an event loop.

        A client used again after its event loop ended (sequential `asyncio.run()` calls) gets new
        connections for the new loop. Raises errors.ClientClosedError once the client is closed, or while
        its connections belong to another event loop that is still open; errors.ConfigurationError when this
        client was given an httpx.Client only.
        """
        if self._pool is not None:
            return self._pool.get_async_httpx_client()
        import asyncio  # loaded by whoever runs the loop; `import hilos_client` spares it

        try:
            loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        with self._lock:
            previous = self._async_loop
            if self._async_client is not None and self._async_client_is_ours and loop is not previous:
                if previous is not None and loop is not None and not previous.is_closed():
                    raise ClientClosedError(
                        "this client's async connections belong to another event loop that is still open; "
                        "use one client per event loop"
                    )
                # The old loop has ended: its connections can be neither used nor closed from this one.
                self._async_client = None
            if self._async_client is None:
                if self._http_client is not None:
                    raise ConfigurationError(
                        "this client was given an httpx.Client (http_client=), which serves sync calls only; "
                        "give an httpx.AsyncClient for async calls"
                    )
                self._async_client = _made(httpx.AsyncClient, self._httpx_kwargs())
                self._async_client_is_ours = True
                self._async_loop = loop
            client = self._async_client
        if client.is_closed:
            raise ClientClosedError(
                "this client is closed (its `async with` block ended or it was closed); create a new client"
            )
        return client

    async def __aenter__(self) -> Self:
        http = self.get_async_httpx_client()
        if not self._borrows(http):
            await http.__aenter__()
        return self

    async def __aexit__(self, *args: Any, **kwargs: Any) -> None:
        """Close the httpx client this client made (one of yours, or one a with_options copy shares, stays open)."""
        if not self._borrows(self._async_client):
            await self.get_async_httpx_client().__aexit__(*args, **kwargs)


@define
class AuthenticatedClient(Client):
    """A client that sends `Authorization: Token <token>`, only to the base URL's origin.

    `AuthenticatedClient(base_url=..., token=...)`, or `AuthenticatedClient.from_env()`. The token never
    appears in repr(), str(), errors or logs. Other attributes: see Client.
    """

    token: str = field(repr=False)
    """The API key."""
    prefix: str = field(default="Token", kw_only=True)
    """The scheme word before the token in the Authorization header."""

    def __attrs_post_init__(self) -> None:
        check_token(self.token)
        if self.prefix:
            check_token(self.prefix, what="prefix")
        super().__attrs_post_init__()
        self._token_auth = TokenAuth(self.token, prefix=self.prefix, base_url=self._base_url)

    @classmethod
    def from_env(cls, *, environ: Mapping[str, str] | None = None, **kwargs: Any) -> Self:
        """A client configured from environment variables (`environ` defaults to os.environ).

        HILOS_API_TOKEN: the API key (required).
        HILOS_BASE_URL: the API base URL; or, instead, HILOS_ACCOUNT_NAME: the account name that fills the
        spec's server URL (`Client.server`). HILOS_RATE_LIMIT (requests per second, or `none`) and
        HILOS_RATE_LIMIT_URL (a Redis URL), unless `rate_limit=` / `rate_limit_url=` are given; likewise
        HILOS_TIMEOUT and HILOS_DEADLINE (seconds, or `none`) and HILOS_RETRIES (a whole number) for `timeout=`,
        `deadline=` and `retries=`. Other keyword arguments go to the constructor.
        Raises errors.ConfigurationError naming the variable that is missing or wrong.
        """
        env = os.environ if environ is None else environ
        token = env.get(ENV_TOKEN, "").strip()
        if not token:
            raise ConfigurationError(f"environment variable {ENV_TOKEN} is not set (your Hilos API key)")
        base_url = env.get(ENV_BASE_URL, "").strip()
        if not base_url:
            account = env.get(ENV_ACCOUNT_NAME, "").strip()
            if not account:
                raise ConfigurationError(
                    f"environment variable {ENV_BASE_URL} is not set (nor {ENV_ACCOUNT_NAME} to build it from); "
                    f"set {ENV_BASE_URL} to your API URL, e.g. {cls.server.url()!r} with your account name"
                )
            try:
                base_url = cls.server.base_url_for_account(account)
            except ConfigurationError as exc:
                raise ConfigurationError(f"environment variable {ENV_ACCOUNT_NAME}: {exc}") from None
        # The rate limit's variables are read from the same environment (a ConfigurationError names them).
        if "rate_limit" not in kwargs:
            kwargs["rate_limit"] = rate_limit_from_env(env)
        if "rate_limit_url" not in kwargs:
            kwargs["rate_limit_url"] = rate_limit_url_from_env(env)
        kwargs = _settings_from_env(env) | kwargs
        try:
            return cls(base_url=base_url, token=token, **kwargs)
        except ConfigurationError as exc:
            source = ENV_BASE_URL if env.get(ENV_BASE_URL, "").strip() else ENV_ACCOUNT_NAME
            raise ConfigurationError(f"environment variable {source}: {exc}") from None

    def _account_token(self) -> str | None:
        return self.token


def server_url(**variables: str) -> str:
    """The spec's server URL with its `{...}` variables filled (unnamed ones keep the spec's default)."""
    return Client.server.url(**variables)


def base_url_for_account(account_name: str) -> str:
    """The API base URL of an account (the spec's server URL with the account name filled in)."""
    return Client.server.base_url_for_account(account_name)


def check_base_url(base_url: str, *, allow_insecure_http: bool = False) -> None:
    """Raise errors.ConfigurationError unless `base_url` is a real API address the token may be sent to."""
    servers.check_base_url(base_url, server=Client.server, allow_insecure_http=allow_insecure_http)


__all__ = [
    "DEFAULT_DEADLINE",
    "DEFAULT_MAX_RESPONSE_BYTES",
    "DEFAULT_RETRIES",
    "DEFAULT_RETRY_BACKOFF",
    "DEFAULT_RETRY_MAX_WAIT",
    "DEFAULT_TIMEOUT",
    "ENV_ACCOUNT_NAME",
    "ENV_BASE_URL",
    "ENV_DEADLINE",
    "ENV_RATE_LIMIT",
    "ENV_RATE_LIMIT_URL",
    "ENV_RETRIES",
    "ENV_TIMEOUT",
    "ENV_TOKEN",
    "IDEMPOTENT_METHODS",
    "RETRY_STATUSES",
    "AuthenticatedClient",
    "Client",
    "TokenAuth",
    "base_url_for_account",
    "check_base_url",
    "server_url",
    "user_agent",
]
