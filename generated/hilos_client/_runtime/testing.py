# Copied from patches/runtime/testing.py by pipeline/generating/generate.py.
# Do not edit here: edit patches/runtime/testing.py, then run `make generate`.
"""An in-process fake of the API for your app's tests: no server, no network.

`FakeHilos` is an httpx transport that answers every operation of the spec, routed by method and path:

    fake = FakeHilos()
    hilos = fake.hilos()  # a Hilos whose requests go to the fake (fake.async_hilos(): an AsyncHilos)
    client = fake.client()  # the same as an AuthenticatedClient, for the module functions
    fake.queue(get_flow_execution, model)  # the next answer of that operation (its success status)
    fake.queue(delete_whatsapp_template)  # no body: DELETE's 204
    fake.set_items(list_flow_execution_contacts, [item, ...])  # a listing with real page-number pagination
    fake.queue_rate_limited(list_flow_execution_contacts, retry_after=2)  # the next answer is a 429
    fake.requests  # what your code sent, in order: .operation, .method, .path_params, .params, .json
    fake.clock  # the fake's time: its clients' waits advance it instead of sleeping (.now, .sleeps)

An operation is named by its endpoint module (`hilos_client.api.<tag>.<name>`) or its name. Queued answers
come first, one per request, in order; then the declared items of a paginated listing; a request with
neither fails the test with `UnexpectedRequestError`, as does a request to another address than the fake's
base URL. Items are served like the API serves them: Django REST framework's page-number pagination
(`count` / `next` / `previous` / `results`, 404 "Invalid page." past the end); filters are recorded in
`fake.requests` but not applied. A request without the fake's token gets the API's 401, a path no operation
has the API's 404, and a method the path does not take the API's 405.

Unexpected requests fail the test even when your code catches the error: each one is also kept in
`fake.unexpected`, and leaving `with FakeHilos() as fake:` (or `fake.assert_no_unexpected_requests()`) raises
UnexpectedRequestError naming every one. A request for a page past the end of a listing the fake answered
from the queue (after a queued page whose `next` is null) gets the API's 404 "Invalid page.", as the API's
would: `asyncio_all()` asks for the pages after the first before it knows how many there are.

Time: the clients the fake makes (client(), hilos(), async_hilos()) measure their deadlines and sleep on
`fake.clock`, a FakeClock: the waits between retries (backoff, Retry-After) and the rate limit's pacing and
pause advance it at once instead of sleeping, so a test of a 120 s Retry-After takes no time and a wait that
would pass the call's deadline is refused just as for real. Concurrent waits (async tasks, threads) advance it
one after another. A rate limit kept in Redis (`rate_limit_url=`) is shared with other processes and still
waits in real time.

The transport serves sync and async clients alike; to plug it into a client you build yourself, pass
`httpx_args={"transport": fake.transport}` and `base_url=fake.base_url`.
"""

from __future__ import annotations

import importlib
import json
import math
import threading
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import ModuleType, TracebackType
from typing import TYPE_CHECKING, Any, Self, Unpack
from urllib.parse import unquote, urlencode

import httpx

from .client import AuthenticatedClient, Client
from .errors import ConfigurationError
from .operations import Operation, find, package_name, spec_operations
from .resources import ClientOptions

if TYPE_CHECKING:
    # Named absolutely: the runtime is also type-checked on its own (patches/runtime), with no parent
    # package to import the generated clients from relatively.
    from hilos_client import AsyncHilos, Hilos

FAKE_TOKEN = "fake-token-for-tests"
FAKE_ACCOUNT = "fake-account"
DEFAULT_PAGE_SIZE = 10
"""Items per page when a request names no `page_size` (the API's default)."""


OperationRef = str | ModuleType
"""An operation: its endpoint module (`hilos_client.api.flows.list_flow_execution_contacts`) or its name."""
_Answer = httpx.Response | httpx.RequestError


class UnexpectedRequestError(AssertionError):
    """Your code sent a request the fake has no answer for (nothing queued, no items declared), or sent it to
    another address than the fake's base URL. The message names the request: method, path and query.

    Raised to the code that sent the request, never retried nor wrapped; kept in `FakeHilos.unexpected` too,
    so that leaving `with FakeHilos() as fake:` raises it even if that code caught it."""


class FakeClock:
    """The fake's time, on which its clients measure deadlines and sleep: a sleep advances it at once.

    `now` starts at 0 and moves only by sleeps and advance(); `sleeps` records every sleep asked for, in
    order, in seconds (`slept` is their total). Safe to share between threads and event loops.
    """

    def __init__(self) -> None:
        self._now = 0.0
        self._lock = threading.Lock()
        self.sleeps: list[float] = []
        """Every sleep the fake's clients asked for, in seconds, in order (0 for a retry sent at once)."""

    @property
    def now(self) -> float:
        """Seconds since the clock started (what the sleeps and advance() calls added up to)."""
        return self._now

    @property
    def slept(self) -> float:
        """The seconds of every sleep together."""
        return sum(self.sleeps)

    def advance(self, seconds: float) -> None:
        """Move the time forward by `seconds` (0 or more) without a sleep: e.g. past a rate-limit pause."""
        if isinstance(seconds, bool) or not isinstance(seconds, int | float) or not 0 <= seconds < math.inf:
            raise ValueError(f"seconds must be a finite number, 0 or more, not {seconds!r}")
        with self._lock:
            self._now += seconds

    def monotonic(self) -> float:
        """The time (Clock protocol): `now`."""
        return self._now

    def sleep(self, seconds: float) -> None:
        """Record the sleep and advance the time by it, at once (Clock protocol)."""
        with self._lock:
            self.sleeps.append(seconds)
            self._now += max(0.0, seconds)

    async def sleep_async(self, seconds: float) -> None:
        """As sleep(), then let the event loop run the other tasks once, as a real sleep would (Clock protocol)."""
        import asyncio

        self.sleep(seconds)
        await asyncio.sleep(0)

    def __repr__(self) -> str:
        return f"FakeClock(now={self._now:g}, sleeps={len(self.sleeps)})"


class _UnknownOperationError(KeyError, ValueError):
    # A KeyError as it always was, and a ValueError as bad arguments are everywhere else in the package.
    def __str__(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True)
class SeenRequest:
    """A request your code sent to the fake."""

    operation: str
    """The operation's name, e.g. "list_flow_execution_contacts"."""
    path_params: dict[str, str]
    """The path parameters, decoded: {"id": "5b6f3c1e-..."}."""
    params: dict[str, str]
    """The query parameters (the last value of a repeated one, as the API reads them)."""
    request: httpx.Request
    """The full request: headers, URL, body."""

    @property
    def method(self) -> str:
        return self.request.method

    @property
    def json(self) -> Any:
        """The JSON body your code sent, decoded (a model's `to_dict()`); None when it sent no body.

        Raises ValueError for a body that is not JSON (a multipart upload: read `request.content`).
        """
        content = self.request.content
        if not content:
            return None
        try:
            return json.loads(content)
        except ValueError:
            kind = self.request.headers.get("Content-Type", "no Content-Type")
            raise ValueError(
                f"{self.method} {self.request.url.path} sent a body that is not JSON ({kind}): read .request.content"
            ) from None


class FakeHilos:
    """The API in a transport. `base_url` defaults to a made-up account's address; `token` to FAKE_TOKEN.

    Use it as a context manager (`with FakeHilos() as fake:`): leaving the block raises UnexpectedRequestError
    if your code sent a request the fake had no answer for, even one whose error your code caught.
    """

    def __init__(
        self,
        *,
        token: str = FAKE_TOKEN,
        base_url: str | None = None,
        operations: Iterable[Operation] | None = None,
    ) -> None:
        self.token: str = token
        self.base_url: str = base_url or _fake_base_url()
        self.operations: tuple[Operation, ...] = tuple(spec_operations() if operations is None else operations)
        self.requests: list[SeenRequest] = []
        self.unexpected: list[UnexpectedRequestError] = []
        """The UnexpectedRequestErrors raised so far, in order, including those your code caught."""
        self.clock: FakeClock = FakeClock()
        """The time of the clients this fake makes: their sleeps advance it at once."""
        self.transport: httpx.MockTransport = httpx.MockTransport(self._handle)
        """An httpx transport for both httpx.Client and httpx.AsyncClient."""
        self._queued: dict[str, deque[_Answer]] = {}
        self._items: dict[str, list[Any]] = {}
        # The last page of a listing answered from the queue, by operation: a queued page with `next` null.
        self._listing_ends: dict[str, float] = {}
        base = _absolute_url(self.base_url)
        self._origin = (base.scheme, base.host, base.port)
        # Compared with what requests carry on the wire: a base path such as "/api/3/" or none at all ("/").
        self._base_path = _raw_path(base).rstrip("/")

    def client(self, **options: Unpack[ClientOptions]) -> AuthenticatedClient:
        """An AuthenticatedClient that talks to this fake (keyword arguments go to its constructor).

        Retries are off unless you pass `retries=`, so each queued error reaches your code as it is; so is the
        rate limit unless you pass `rate_limit=`, so app tests run at full speed and a queued 429 pauses nothing.
        Its deadlines and waits (retries, the rate limit) are on `fake.clock`: it never sleeps.
        """
        options.setdefault("retries", 0)
        options.setdefault("rate_limit", None)
        options["httpx_args"] = {**options.get("httpx_args", {}), "transport": self.transport}
        return AuthenticatedClient(base_url=self.base_url, token=self.token, **options)._use_clock(self.clock)

    def hilos(self, **options: Unpack[ClientOptions]) -> Hilos:
        """A `Hilos` that talks to this fake: `fake.client(**options)` underneath (retries off unless given)."""
        hilos: Hilos = importlib.import_module(package_name()).Hilos(client=self.client(**options))
        return hilos

    def async_hilos(self, **options: Unpack[ClientOptions]) -> AsyncHilos:
        """An `AsyncHilos` that talks to this fake: `fake.client(**options)` underneath (retries off unless given)."""
        hilos: AsyncHilos = importlib.import_module(package_name()).AsyncHilos(client=self.client(**options))
        return hilos

    # -- unexpected requests -----------------------------------------------------------------------
    def assert_no_unexpected_requests(self) -> None:
        """Raise UnexpectedRequestError naming every request the fake had no answer for so far (`unexpected`),
        including those whose error your code caught; do nothing if there was none."""
        if not self.unexpected:
            return
        if len(self.unexpected) == 1:
            raise UnexpectedRequestError(str(self.unexpected[0]))
        listed = "\n".join(f"  {error}" for error in self.unexpected)
        raise UnexpectedRequestError(f"{len(self.unexpected)} requests the fake had no answer for:\n{listed}")

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        if any(exc is error for error in self.unexpected):
            return  # the block is already failing with it
        self.assert_no_unexpected_requests()

    # -- what the fake answers ---------------------------------------------------------------------
    def queue(
        self,
        operation: OperationRef,
        body: Any = None,
        *,
        status: int | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """Queue the next answer of `operation`: `body` is a model, or anything JSON-able (models inside too);
        None answers without a body.

        `status` defaults to the operation's success status in the spec (the first 2xx it documents: 201 for
        a creation, 204 for a DELETE, 200 otherwise).
        """
        found = self._operation(operation)
        if status is None:
            status = _success_status(found, has_body=body is not None)
        elif isinstance(status, bool) or not isinstance(status, int) or not 100 <= status <= 599:
            raise ValueError(f"status must be an HTTP status code (100 to 599), not {status!r}")
        if body is None:
            self._queue(found, httpx.Response(status, headers=headers))
            return
        try:
            answer = httpx.Response(status, headers=headers, json=_jsonable(body))
        except (TypeError, ValueError) as exc:
            raise TypeError(f"body must be a model or JSON-able: {exc}") from None
        self._queue(found, answer)

    def set_items(self, operation: OperationRef, items: Sequence[Any]) -> None:
        """Serve `items` (models or JSON-able) as the operation's listing, page by page, from now on.

        Raises ValueError for an operation that is not a paginated listing (queue its answers instead).
        """
        found = self._operation(operation)
        if not _is_paginated(found):
            raise ValueError(
                f"{found.name} is not a paginated listing: queue its answers with fake.queue({found.name!r}, ...)"
            )
        if isinstance(items, str | bytes | Mapping) or not isinstance(items, Iterable):
            raise TypeError(f"items must be a sequence of items (models or JSON-able), not {type(items).__name__}")
        self._items[found.name] = [_jsonable(item) for item in items]

    def queue_unauthorized(self, operation: OperationRef) -> None:
        """Next answer: 401, as for a wrong or revoked token (AuthenticationError)."""
        self.queue(operation, {"detail": "Invalid token."}, status=401)

    def queue_not_found(self, operation: OperationRef) -> None:
        """Next answer: the 404 "Not found." the API gives for an id it does not know (NotFoundError)."""
        self.queue(operation, {"detail": "Not found."}, status=404)

    def queue_invalid_page(self, operation: OperationRef) -> None:
        """Next answer: the 404 "Invalid page." the API gives past the last page (NotFoundError)."""
        self.queue(operation, {"detail": "Invalid page."}, status=404)

    def queue_rate_limited(self, operation: OperationRef, *, retry_after: float = 1) -> None:
        """Next answer: 429 with Retry-After (RateLimitError, `.retry_after` seconds)."""
        self.queue(
            operation,
            {"detail": "Request was throttled."},
            status=429,
            headers={"Retry-After": f"{retry_after:g}"},
        )

    def queue_server_error(self, operation: OperationRef, *, status: int = 500) -> None:
        """Next answer: a 5xx (ServerError)."""
        self.queue(operation, {"detail": "A server error occurred."}, status=status)

    def queue_timeout(self, operation: OperationRef) -> None:
        """Next request times out (ApiTimeoutError)."""
        self._queue(self._operation(operation), httpx.ReadTimeout("fake read timeout"))

    def queue_connection_error(self, operation: OperationRef) -> None:
        """Next request gets no connection (ApiConnectionError)."""
        self._queue(self._operation(operation), httpx.ConnectError("fake connection refused"))

    def requests_for(self, operation: OperationRef) -> list[SeenRequest]:
        """The requests your code sent for `operation`, in order."""
        name = self._operation(operation).name
        return [seen for seen in self.requests if seen.operation == name]

    # -- how it answers ------------------------------------------------------------------------------
    def _operation(self, operation: OperationRef) -> Operation:
        if isinstance(operation, ModuleType):
            name = operation.__name__.rpartition(".")[2]
        elif isinstance(operation, str):
            name = operation
        else:
            raise TypeError(
                "operation must be an endpoint module (hilos_client.api.<tag>.<name>) or its name, "
                f"not {type(operation).__name__}"
            )
        for known in self.operations:
            if known.name == name:
                return known
        known_names = ", ".join(sorted(known.name for known in self.operations))
        raise _UnknownOperationError(f"no operation {name!r} in the spec (operations: {known_names})")

    def _queue(self, operation: Operation, answer: _Answer) -> None:
        self._queued.setdefault(operation.name, deque()).append(answer)

    def _relative_path(self, url: httpx.URL) -> str | None:
        """The request's raw path after the base URL's; None for a URL the base URL is not a prefix of."""
        if (url.scheme, url.host, url.port) != self._origin:
            return None
        path = _raw_path(url)
        if not path.startswith(self._base_path + "/"):
            return None
        return path[len(self._base_path) :]

    def _handle(self, request: httpx.Request) -> httpx.Response:
        relative = self._relative_path(request.url)
        if relative is None:
            raise self._unexpected(
                f"{request.method} {request.url}: not under the fake's base URL {self.base_url} "
                "(build clients with fake.client() or fake.hilos())"
            )
        found = find(self.operations, request.method, relative)
        if found is None:
            if any(known.match(known.method, relative) is not None for known in self.operations):
                return httpx.Response(405, json={"detail": f'Method "{request.method}" not allowed.'})
            return httpx.Response(404, json={"detail": "Not found."})
        operation, raw_path_params = found
        path_params = {name: unquote(value) for name, value in raw_path_params.items()}
        params = dict(request.url.params.multi_items())
        self.requests.append(SeenRequest(operation.name, path_params, params, request))
        if request.headers.get("Authorization") != f"Token {self.token}":
            return httpx.Response(401, json={"detail": "Invalid token."})
        queued = self._queued.get(operation.name)
        if queued:
            answer = queued.popleft()
            if isinstance(answer, httpx.RequestError):
                answer.request = request
                raise answer
            if _is_paginated(operation):
                self._note_listing_end(operation.name, params, answer)
            return answer
        if operation.name in self._items:
            return self._page(self._items[operation.name], request, params)
        if _is_paginated(operation):
            if _page_number(params) > self._listing_ends.get(operation.name, math.inf):
                return httpx.Response(404, json={"detail": "Invalid page."})
            missing = "no answer queued and no items declared (fake.queue(...) or fake.set_items(...))"
        else:
            missing = "no answer queued (fake.queue(...))"
        target = request.url.raw_path.decode("ascii")  # the path and the query, as sent
        raise self._unexpected(f"{request.method} {target}: {missing} for {operation.name!r}")

    def _unexpected(self, message: str) -> UnexpectedRequestError:
        error = UnexpectedRequestError(message)
        self.unexpected.append(error)
        return error

    def _note_listing_end(self, name: str, params: dict[str, str], answer: httpx.Response) -> None:
        """After a queued page of a listing: a page whose `next` is null is the listing's last."""
        number = _page_number(params)
        try:
            body = answer.json() if answer.status_code == 200 else None
        except ValueError:
            body = None
        if isinstance(body, dict) and "next" in body and body["next"] is None:
            self._listing_ends[name] = number
        elif self._listing_ends.get(name, math.inf) <= number:
            del self._listing_ends[name]

    def _page(self, items: list[Any], request: httpx.Request, params: dict[str, str]) -> httpx.Response:
        """Django REST framework's PageNumberPagination of `items`."""
        try:
            number = int(params.get("page", 1))
            size = int(params.get("page_size", DEFAULT_PAGE_SIZE))
        except ValueError:
            return httpx.Response(404, json={"detail": "Invalid page."})
        pages = max(1, math.ceil(len(items) / size)) if size > 0 else 1
        if number < 1 or number > pages or size < 1:
            return httpx.Response(404, json={"detail": "Invalid page."})

        def link(to: int) -> str | None:
            if to < 1 or to > pages:
                return None
            query = {**params, "page": str(to)}
            if to == 1:
                del query["page"]
            return str(request.url.copy_with(query=urlencode(query).encode() or None))

        start = (number - 1) * size
        body = {"count": len(items), "next": link(number + 1), "previous": link(number - 1)}
        return httpx.Response(200, json={**body, "results": items[start : start + size]})


def _success_status(operation: Operation, *, has_body: bool) -> int:
    """The spec's success status for the operation (`Operation.success_status`); for an operation the table
    says nothing of (`FakeHilos(operations=...)`), Django REST framework's, which the API follows: 201
    Created for a POST, 204 No Content for a DELETE, else 200. A 204 has no body: one answered with a body
    gets 200."""
    if operation.success_status is not None:
        return 200 if operation.success_status == 204 and has_body else operation.success_status
    if operation.method == "POST":
        return 201
    if operation.method == "DELETE" and not has_body:
        return 204
    return 200


def _page_number(params: Mapping[str, str]) -> float:
    """The page a listing request asks for (1 without `page`; NaN, past nothing, for one that is not a number)."""
    try:
        return int(params.get("page", 1))
    except ValueError:
        return math.nan


def _is_paginated(operation: Operation) -> bool:
    if operation.paginated is not None:
        return operation.paginated
    try:  # an operation the table says nothing of: whether its module has `sync_all`
        module = operation.module()
    except ModuleNotFoundError:  # an operation given to FakeHilos(operations=...) that the package lacks
        return operation.method == "GET"
    return hasattr(module, "sync_all")


def _absolute_url(base_url: str) -> httpx.URL:
    try:
        url = httpx.URL(base_url)
    except (httpx.InvalidURL, TypeError):
        url = None
    if url is None or url.scheme not in ("http", "https") or not url.host:
        raise ValueError(f"base_url must be an absolute http(s) URL, not {base_url!r}")
    return url


def _raw_path(url: httpx.URL) -> str:
    # The path as sent, percent-escapes kept: an escaped "/" inside a path parameter is not a separator.
    return url.raw_path.partition(b"?")[0].decode("ascii")


def _jsonable(value: Any) -> Any:
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, Mapping):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    return value


def _fake_base_url() -> str:
    try:
        return Client.server.base_url_for_account(FAKE_ACCOUNT)
    except ConfigurationError:  # a spec whose server URL has no account part
        return f"https://{FAKE_ACCOUNT}.invalid"


__all__ = [
    "DEFAULT_PAGE_SIZE",
    "FAKE_TOKEN",
    "FakeClock",
    "FakeHilos",
    "OperationRef",
    "SeenRequest",
    "UnexpectedRequestError",
]
