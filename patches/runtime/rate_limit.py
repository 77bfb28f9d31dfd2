"""The account's rate limit: one budget of requests per second per account, shared by every client object.

The API documents its limit per account (the spec's server `x-rate-limit`, written into `_spec.py` as
`SERVER_RATE_LIMIT`: ActiveCampaign's 5 requests per second, shared by every API key of the account). Every
client with the same origin and token draws from one budget: sync and async clients, threads and event
loops of one process, and, with `rate_limit_url="redis://..."`, every process on every machine that names
the same Redis.

- Pacing: requests are spaced evenly, one every `(1 + SAFETY_MARGIN) / rate` seconds (GCRA with no burst,
  i.e. a leaky bucket). Against a server that counts requests in a sliding one-second window, evenly spaced
  requests never put more than `rate` in any window, whatever the window's phase; the margin absorbs the
  jitter between being admitted here and arriving there. A request is admitted at the moment it is sent,
  never by a reservation made earlier, so a request that waited (for the pace or a pause) re-checks both
  just before it goes.
- A 429 pauses the budget, not one request: nothing of that account is sent until its Retry-After has passed
  (at most the client's `retry_max_wait`; DEFAULT_PAUSE when it sends none), in-flight retries and queued
  requests alike. A call whose deadline ends before the pause does raises errors.RateLimitError with
  `retry_after`.
- `RateLimit-Limit` below the configured rate lowers the pace of the account's budget from then on;
  `RateLimit-Remaining` lower than this process's own count of the window explains (another process or
  machine using the account without sharing the budget) slows the pace for a second to what is left.

Why not a library for the algorithm: `limits` counts whole-second windows only (a 5-per-second window admits
5 requests at once, which a server's sliding window sees as bursts), and neither `limits` nor
`pyrate-limiter` can make the pause part of the same atomic admission, which must be one step in Redis
(a Lua script reading Redis' own clock, so machines with skewed clocks still share one pace). The algorithm
itself is the few lines of `_LocalBudget.admit` and `_ADMIT_SCRIPT`; the Redis client is redis-py.

Time: a budget in this process is timed, and waited for, on the client's clock (clock.py): the real time, or
the test fake's, on which the pacing and the pause advance the fake time instead of sleeping; each fake clock
has budgets of its own. A budget in Redis is shared with other processes and timed by Redis' clock, so it is
always waited for in real time, whatever the client's clock.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import math
import os
import threading
import time
import uuid
import weakref
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol

import httpx

from . import errors
from .clock import SYSTEM_CLOCK, Clock
from .errors import ConfigurationError

if TYPE_CHECKING:
    from .retries import CallRecord

ENV_RATE_LIMIT = "HILOS_RATE_LIMIT"
"""Requests per second (a number), or `none` / `off` for no client-side limit."""
ENV_RATE_LIMIT_URL = "HILOS_RATE_LIMIT_URL"
"""A Redis URL (`redis://host:6379/0`) that keeps the budget shared by every process using it."""
SAFETY_MARGIN = 0.05
"""Requests are spaced this much wider than 1/rate, so latency jitter never puts rate + 1 in a server's window."""
DEFAULT_PAUSE = 1.0
"""Seconds a 429 without Retry-After pauses the budget (the documented limit's window)."""
_LATE_WIRE = 0.02
"""Seconds after its admission past which a request that went out later (a new connection) paces the next from then."""
REDIS_KEY_PREFIX = "hilos_client:rate:"
"""Every Redis key the client writes starts with this (then a hash of the account: never the token)."""
_OFF = frozenset({"none", "off", "false", "no", "0", ""})
_REDIS_SCHEMES = ("redis://", "rediss://", "unix://")
_REDIS_EXTRA = "pip install 'hilos-client[redis]'"


def spec_rate_limit() -> float | None:
    """The API's documented requests per second (`_spec.SERVER_RATE_LIMIT` of the package), or None."""
    from .client import Client

    return Client.server_rate_limit


def check_rate_limit(value: object, *, name: str = "rate_limit") -> None:
    """Raise ConfigurationError unless `value` is None or a positive, finite number of requests per second."""
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value <= 0:
        raise ConfigurationError(
            f"{name} must be a positive number of requests per second, or None for no limit, not {value!r}"
        )


def rate_limit_from_env(environ: Mapping[str, str] | None = None) -> float | None:
    """`rate_limit`'s default: HILOS_RATE_LIMIT when set (a number, or `none`/`off`), else the API's own limit."""
    env = os.environ if environ is None else environ
    text = env.get(ENV_RATE_LIMIT)
    if text is None:
        return spec_rate_limit()
    text = text.strip()
    if text.lower() in _OFF:
        return None
    try:
        rate = float(text)
    except ValueError:
        rate = math.nan
    if not math.isfinite(rate) or rate <= 0:
        raise ConfigurationError(
            f"environment variable {ENV_RATE_LIMIT} must be a positive number of requests per second, "
            f"or 'none' for no limit, not {text!r}"
        )
    return rate


def rate_limit_url_from_env(environ: Mapping[str, str] | None = None) -> str | None:
    """`rate_limit_url`'s default: HILOS_RATE_LIMIT_URL when set and not empty."""
    env = os.environ if environ is None else environ
    return env.get(ENV_RATE_LIMIT_URL, "").strip() or None


def redact_redis_url(url: str) -> str:
    """The URL without its password (`redis://user:***@host:6379/0`)."""
    scheme, sep, rest = url.partition("://")
    credentials, at, location = rest.rpartition("@")
    if not sep or not at:
        return url
    user = credentials.partition(":")[0]
    return f"{scheme}://{user}:***@{location}" if user else f"{scheme}://***@{location}"


def check_rate_limit_url(url: object) -> None:
    """Raise ConfigurationError unless `url` is None or a Redis URL, and redis-py (the `redis` extra) is installed."""
    if url is None:
        return
    if not isinstance(url, str) or not url.startswith(_REDIS_SCHEMES):
        shown = redact_redis_url(url) if isinstance(url, str) else type(url).__name__
        raise ConfigurationError(
            f"rate_limit_url must be a Redis URL (redis://host:6379/0, rediss://..., unix://...), not {shown!r}"
        )
    import importlib.util

    if importlib.util.find_spec("redis") is None:
        raise ConfigurationError(f"rate_limit_url needs the Redis client: {_REDIS_EXTRA}")


def account_key(base_url: str, token: str | None) -> str:
    """The budget's name: a hash of the base URL's origin and the token (never the token in clear)."""
    url = httpx.URL(base_url)
    port = url.port or {"http": 80, "https": 443}.get(url.scheme)
    digest = hashlib.sha256(f"{url.scheme}://{url.host}:{port}\0{token or ''}".encode()).hexdigest()
    return digest[:32]


class Ticket:
    """One admitted attempt: when it was admitted and, once known, when its request reached the wire."""

    __slots__ = ("admitted", "wire")

    def __init__(self, admitted: float) -> None:
        self.admitted: float = admitted
        self.wire: float | None = None


class _Pace:
    """The spacing rules of one admission: one request every `interval` seconds, and at most `count` requests
    in any `window` seconds (counting each by the time it reached the wire, and one still on its way as now)."""

    __slots__ = ("count", "interval", "window")

    def __init__(self, rate: float) -> None:
        self.interval = (1 + SAFETY_MARGIN) / rate
        self.count = max(1, math.floor(rate))
        self.window = self.count * self.interval


class _Budget(Protocol):
    def admit(self, pace: _Pace) -> tuple[float, Ticket | None, bool]:
        """(0, ticket, False) when a request may go now (it is counted from now on); else (seconds to wait,
        None, whether the budget is paused)."""
        ...

    def sent(self, ticket: Ticket) -> None:
        """The admitted request reached the wire at `ticket.wire` (or failed before: then it counts as sent now)."""
        ...

    def pause(self, seconds: float) -> None:
        """Send nothing for `seconds` (a longer pause already running is kept)."""
        ...

    def observe(self, ticket: Ticket, limit: int | None, remaining: int | None) -> None:
        """What the server said of its budget in answer to the request of `ticket`."""
        ...


class _LocalBudget:
    """One account's budget inside this process: the last admission, requests on their way, the wire times of
    the last second, the pause, and what the server's headers said; timed on `clock`."""

    def __init__(self, clock: Clock = SYSTEM_CLOCK) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._last = -math.inf
        self._paused_until = -math.inf
        self._pending: set[Ticket] = set()
        self._sent: list[float] = []  # wire times, sorted, of about the last window
        self._server_rate = math.inf  # RateLimit-Limit: never faster than the server says
        self._others = 0  # RateLimit-Remaining: requests of the account that are not this process's ...
        self._others_until = -math.inf  # ... during the last second

    def _effective(self, pace: _Pace, now: float) -> _Pace:
        rate = min((1 + SAFETY_MARGIN) / pace.interval, self._server_rate)
        if self._others_until > now:
            rate = min(rate, max(1, self._server_rate - self._others) if self._server_rate < math.inf else rate)
        return pace if rate >= (1 + SAFETY_MARGIN) / pace.interval else _Pace(rate)

    def admit(self, pace: _Pace) -> tuple[float, Ticket | None, bool]:
        with self._lock:
            now = self._clock.monotonic()
            if self._paused_until > now:
                return self._paused_until - now, None, True
            pace = self._effective(pace, now)
            sent = self._sent
            cut = bisect.bisect_right(sent, now - pace.window)
            if cut:
                del sent[:cut]
            due = self._last + pace.interval
            pending = len(self._pending)
            if pending + len(sent) >= pace.count:
                if pending < pace.count:
                    due = max(due, sent[pending + len(sent) - pace.count] + pace.window)
                else:
                    due = max(due, now + pace.interval / 4)  # all on their way: look again shortly
            if now < due:
                return due - now, None, False
            # Paced from when it was due, not from the sleep's overshoot (which would add up over a listing);
            # the window guard above counts real wire times, so this never lets more through.
            self._last = due if now - due < pace.interval / 2 else now
            ticket = Ticket(now)
            self._pending.add(ticket)
            return 0.0, ticket, False

    def sent(self, ticket: Ticket) -> None:
        with self._lock:
            if ticket not in self._pending:
                return
            self._pending.discard(ticket)
            if ticket.wire is None:
                ticket.wire = self._clock.monotonic()
            bisect.insort(self._sent, ticket.wire)
            if ticket.wire - ticket.admitted > _LATE_WIRE:
                self._last = max(self._last, ticket.wire)  # it went out late (a new connection): pace from then

    def pause(self, seconds: float) -> None:
        with self._lock:
            self._paused_until = max(self._paused_until, self._clock.monotonic() + seconds)

    def observe(self, ticket: Ticket, limit: int | None, remaining: int | None) -> None:
        if limit is None or limit < 1:
            return
        with self._lock:
            self._server_rate = min(self._server_rate, float(limit))
            wire = ticket.wire
            if remaining is None or wire is None:
                return
            own = sum(1 for sent in self._sent if wire - WINDOW < sent <= wire)
            others = (limit - remaining) - own
            if others > 0:
                self._others = others
                self._others_until = self._clock.monotonic() + WINDOW


WINDOW = 1.0
"""The documented limit's window: requests per second."""

# Redis keys: KEYS[1] the last admission, KEYS[2] requests on their way (a sorted set by admission time),
# KEYS[3] wire times of the last window (a sorted set), KEYS[4] the pause. Times are microseconds of Redis'
# own clock, so every machine shares one. ARGV: interval, count, window (microseconds, count), the ticket's
# name, how long an unconfirmed ticket counts (microseconds). Returns {microseconds to wait, 1 if paused};
# {0, 0} admits the request (and counts it as on its way).
_ADMIT_SCRIPT = """
local paused = redis.call('PTTL', KEYS[4])
if paused > 0 then return {paused * 1000, 1} end
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local interval, count, window = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', string.format('%.0f', now - window))
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', string.format('%.0f', now - tonumber(ARGV[5])))
local due = 0
local stored = redis.call('GET', KEYS[1])
if stored then due = tonumber(stored) + interval end
local pending = redis.call('ZCARD', KEYS[2])
local sent = redis.call('ZCARD', KEYS[3])
if pending + sent >= count then
  if pending < count then
    local k = pending + sent - count
    local entry = redis.call('ZRANGE', KEYS[3], k, k, 'WITHSCORES')
    due = math.max(due, tonumber(entry[2]) + window)
  else
    due = math.max(due, now + interval / 4)
  end
end
if now < due then return {math.ceil(due - now), 0} end
local last = now
if due > 0 and now - due < interval / 2 then last = due end
local stamp = string.format('%.0f', now)
redis.call('SET', KEYS[1], string.format('%.0f', last), 'PX', math.ceil(interval / 1000) + 1000)
redis.call('ZADD', KEYS[2], stamp, ARGV[4])
redis.call('PEXPIRE', KEYS[2], math.ceil(tonumber(ARGV[5]) / 1000))
return {0, 0}
"""
# KEYS as above; ARGV[1] the ticket, ARGV[2] microseconds since its request reached the wire, ARGV[3] how late
# (microseconds after its admission) a request must have gone out to pace the next ones from then.
_SENT_SCRIPT = """
local admitted = redis.call('ZSCORE', KEYS[2], ARGV[1])
if not admitted then return 0 end
redis.call('ZREM', KEYS[2], ARGV[1])
local clock = redis.call('TIME')
local wire = tonumber(clock[1]) * 1000000 + tonumber(clock[2]) - tonumber(ARGV[2])
local stamp = string.format('%.0f', wire)
redis.call('ZADD', KEYS[3], stamp, ARGV[1])
redis.call('PEXPIRE', KEYS[3], 60000)
if wire - tonumber(admitted) > tonumber(ARGV[3]) then
  local stored = redis.call('GET', KEYS[1])
  if not stored or tonumber(stored) < wire then redis.call('SET', KEYS[1], stamp, 'PX', 60000) end
end
return 1
"""
# KEYS[1] the pause; ARGV[1] its length in milliseconds: extended, never shortened.
_PAUSE_SCRIPT = """
local ms = tonumber(ARGV[1])
if redis.call('PTTL', KEYS[1]) < ms then redis.call('SET', KEYS[1], '1', 'PX', ms) end
return 0
"""
_STALE_TICKET = 30.0  # seconds an admitted request counts as on its way when its process never confirms it


class _RedisTicket(Ticket):
    __slots__ = ("name",)

    def __init__(self, admitted: float, name: str) -> None:
        super().__init__(admitted)
        self.name = name


class _RedisBudget:
    """One account's budget in Redis: shared by every process (on any machine) that uses the same Redis."""

    def __init__(self, connection: Any, url: str, key: str) -> None:
        self._url = redact_redis_url(url)
        tag = f"{REDIS_KEY_PREFIX}{{{key}}}"  # one hash slot for every key (Redis Cluster)
        self._keys = [f"{tag}:last", f"{tag}:pending", f"{tag}:sent", f"{tag}:pause"]
        self._admit = connection.register_script(_ADMIT_SCRIPT)
        self._sent = connection.register_script(_SENT_SCRIPT)
        self._pause = connection.register_script(_PAUSE_SCRIPT)
        self._server_rate = math.inf
        self._names = itertools.count()
        self._prefix = f"{os.getpid()}:{uuid.uuid4().hex[:12]}:"

    def _call(self, script: Callable[..., Any], keys: list[str], args: list[int | str]) -> Any:
        import redis

        try:
            return script(keys=keys, args=args)
        except redis.RedisError as exc:
            raise ConfigurationError(
                f"rate_limit_url: the Redis at {self._url} that keeps the rate-limit budget cannot be used "
                f"({type(exc).__name__}: {exc}); the client never falls back to a budget of its own"
            ) from None

    def admit(self, pace: _Pace) -> tuple[float, Ticket | None, bool]:
        rate = (1 + SAFETY_MARGIN) / pace.interval
        if self._server_rate < rate:
            pace = _Pace(self._server_rate)
        name = f"{self._prefix}{next(self._names)}"
        args: list[int | str] = [
            math.ceil(pace.interval * 1e6),
            pace.count,
            math.ceil(pace.window * 1e6),
            name,
            math.ceil(_STALE_TICKET * 1e6),
        ]
        wait, paused = self._call(self._admit, self._keys, args)
        if int(wait) > 0:
            return int(wait) / 1e6, None, bool(paused)
        return 0.0, _RedisTicket(time.monotonic(), name), False

    def sent(self, ticket: Ticket) -> None:
        if not isinstance(ticket, _RedisTicket):
            return
        now = time.monotonic()
        ago = 0.0 if ticket.wire is None else max(0.0, now - ticket.wire)
        self._call(self._sent, self._keys, [ticket.name, math.floor(ago * 1e6), math.ceil(_LATE_WIRE * 1e6)])

    def pause(self, seconds: float) -> None:
        self._call(self._pause, [self._keys[3]], [max(1, math.ceil(seconds * 1000))])

    def observe(self, ticket: Ticket, limit: int | None, remaining: int | None) -> None:
        # The budget is every process's: what RateLimit-Remaining counts, Redis counts already. The server's
        # own limit, when lower, lowers this process's pace.
        del ticket, remaining
        if limit is not None and limit >= 1:
            self._server_rate = min(self._server_rate, float(limit))


_budgets_lock = threading.Lock()
_local_budgets: dict[str, _LocalBudget] = {}
# The budgets timed on another clock than the real one (a test fake's), by clock: dropped with their clock.
_clocked_budgets: weakref.WeakKeyDictionary[Clock, dict[str, _LocalBudget]] = weakref.WeakKeyDictionary()
_redis_connections: dict[str, Any] = {}
_redis_budgets: dict[tuple[str, str], _RedisBudget] = {}


def _budget(key: str, url: str | None, clock: Clock = SYSTEM_CLOCK) -> _Budget:
    with _budgets_lock:
        if url is None:
            budgets = _local_budgets if clock is SYSTEM_CLOCK else _clocked_budgets.setdefault(clock, {})
            local = budgets.get(key)
            if local is None:
                local = budgets[key] = _LocalBudget(clock)
            return local
        shared = _redis_budgets.get((url, key))
        if shared is None:
            connection = _redis_connections.get(url)
            if connection is None:
                try:
                    import redis
                except ImportError:
                    raise ConfigurationError(f"rate_limit_url needs the Redis client: {_REDIS_EXTRA}") from None
                connection = _redis_connections[url] = redis.Redis.from_url(
                    url, socket_timeout=5.0, socket_connect_timeout=5.0
                )
            shared = _redis_budgets[(url, key)] = _RedisBudget(connection, url, key)
        return shared


def _header_int(headers: httpx.Headers, name: str) -> int | None:
    value = headers.get(name, "").strip()
    return int(value) if value.isdigit() else None


def _wire_event(name: str) -> bool:
    return name.endswith("send_request_headers.complete")


class RateLimiter:
    """One client's view of its account's budget: `rate` requests per second. sending.py sends each attempt
    through send() / send_async(), which wait for the budget, note when the request reached the wire, and
    read the answer's rate-limit headers. A budget in this process is timed and waited for on `clock`; one in
    Redis (`url`) on the real time."""

    def __init__(
        self, *, rate: float, key: str, url: str | None, max_pause: float, clock: Clock = SYSTEM_CLOCK
    ) -> None:
        self.rate: float = rate
        self.max_pause: float = max_pause
        self._pace = _Pace(rate)
        self._shared = url is not None
        self._clock = SYSTEM_CLOCK if self._shared else clock
        self._budget = _budget(key, url, self._clock)

    def _admit(self, remaining: float | None, call: CallRecord) -> tuple[float, Ticket | None]:
        wait, ticket, paused = self._budget.admit(self._pace)
        if ticket is not None:
            return 0.0, ticket
        if remaining is not None and wait >= remaining:
            raise _deadline_error(call, wait, paused)
        return wait, None

    def wait(self, remaining: Callable[[], float | None], call: CallRecord) -> Ticket:
        """Block until the budget admits this attempt (errors.RateLimitError when the call's deadline would
        pass first); the ticket must then be given to sent()."""
        while True:
            wait, ticket = self._admit(remaining(), call)
            if ticket is not None:
                return ticket
            self._clock.sleep(wait)

    async def wait_async(self, remaining: Callable[[], float | None], call: CallRecord) -> Ticket:
        """Async twin of wait(); a Redis budget is asked from a worker thread, so the event loop never blocks."""
        import asyncio

        while True:
            if self._shared:
                wait, ticket = await asyncio.to_thread(self._admit, remaining(), call)
            else:
                wait, ticket = self._admit(remaining(), call)
            if ticket is not None:
                return ticket
            await self._clock.sleep_async(wait)

    def send(
        self,
        request: dict[str, Any],
        remaining: Callable[[], float | None],
        call: CallRecord,
        attempt: Callable[[dict[str, Any]], httpx.Response],
    ) -> httpx.Response:
        """One attempt of `request` (sent by `attempt`) within the budget."""
        ticket = self.wait(remaining, call)

        def trace(name: str, info: Any) -> None:
            if ticket.wire is None and _wire_event(name):
                ticket.wire = self._clock.monotonic()
                if not self._shared:
                    self._budget.sent(ticket)

        try:
            response = attempt(_traced(request, trace))
        finally:
            self._budget.sent(ticket)
        self.observe(response, ticket)
        return response

    async def send_async(
        self,
        request: dict[str, Any],
        remaining: Callable[[], float | None],
        call: CallRecord,
        attempt: Callable[[dict[str, Any]], Awaitable[httpx.Response]],
    ) -> httpx.Response:
        """Async twin of send()."""
        import asyncio

        ticket = await self.wait_async(remaining, call)

        async def trace(name: str, info: Any) -> None:
            if ticket.wire is None and _wire_event(name):
                ticket.wire = self._clock.monotonic()
                if not self._shared:
                    self._budget.sent(ticket)

        try:
            response = await attempt(_traced(request, trace))
        finally:
            if self._shared:
                await asyncio.to_thread(self._budget.sent, ticket)
            else:
                self._budget.sent(ticket)
        if self._shared and response.status_code == 429:
            await asyncio.to_thread(self.observe, response, ticket)
        else:
            self.observe(response, ticket)
        return response

    def observe(self, response: httpx.Response, ticket: Ticket) -> float | None:
        """Take the server's word on the budget; after a 429, pause the budget and return the pause."""
        headers = response.headers
        if "RateLimit-Limit" in headers:
            self._budget.observe(
                ticket, _header_int(headers, "RateLimit-Limit"), _header_int(headers, "RateLimit-Remaining")
            )
        if response.status_code != 429:
            return None
        asked = errors.parse_retry_after(headers.get("Retry-After"))
        pause = min(DEFAULT_PAUSE if asked is None else asked, self.max_pause)
        if pause > 0:
            self._budget.pause(pause)
        return pause

    def __repr__(self) -> str:
        shared = "redis" if self._shared else "process"
        return f"RateLimiter(rate={self.rate!r}, budget={shared!r})"


def _traced(request: dict[str, Any], trace: Callable[..., Any]) -> dict[str, Any]:
    extensions = request.get("extensions") or {}
    return {**request, "extensions": {**extensions, "trace": trace}}


def _deadline_error(call: CallRecord, wait: float, paused: bool) -> errors.RateLimitError:
    request = httpx.Request(call.method, call.url)
    response = httpx.Response(429, headers={"Retry-After": str(math.ceil(wait))}, request=request)
    response.extensions[errors.RETRY_AFTER_EXTENSION] = wait
    why = "is paused after a 429" if paused else "has no room"
    return errors.RateLimitError(
        response,
        message=f"the account's rate-limit budget {why} for {wait:.2f} s more, past this call's deadline; not sent",
    )


__all__ = [
    "DEFAULT_PAUSE",
    "ENV_RATE_LIMIT",
    "ENV_RATE_LIMIT_URL",
    "REDIS_KEY_PREFIX",
    "SAFETY_MARGIN",
    "RateLimiter",
    "Ticket",
    "account_key",
    "check_rate_limit",
    "check_rate_limit_url",
    "rate_limit_from_env",
    "rate_limit_url_from_env",
    "redact_redis_url",
    "spec_rate_limit",
]
