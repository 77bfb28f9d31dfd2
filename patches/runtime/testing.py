"""An in-process fake of the API for your app's tests: no server, no network.

`FakeHilos` is an httpx transport that answers every operation of the spec, routed by method and path:

    fake = FakeHilos()
    client = fake.client()  # an AuthenticatedClient whose requests go to the fake
    fake.queue(list_flow_execution_contacts, page_model)  # the next answer of that operation
    fake.set_items(list_flow_execution_contacts, [item, ...])  # a listing with real page-number pagination
    fake.queue_rate_limited(list_flow_execution_contacts, retry_after=2)  # the next answer is a 429
    fake.requests  # what your code sent, in order

An operation is named by its endpoint module (`hilos_client.api.<tag>.<name>`) or its name. Queued answers
come first, one per request, in order; then the declared items; a request with neither fails the test with
`UnexpectedRequestError`. Items are served like the API serves them: Django REST framework's page-number
pagination (`count` / `next` / `previous` / `results`, 404 "Invalid page." past the end); filters are
recorded in `fake.requests` but not applied. A request without the fake's token gets the API's 401.

The transport serves sync and async clients alike; to plug it into a client you build yourself, pass
`httpx_args={"transport": fake.transport}` and `base_url=fake.base_url`.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any
from urllib.parse import urlencode

import httpx

from .client import AuthenticatedClient, Client
from .errors import ConfigurationError
from .operations import Operation, find, spec_operations

FAKE_TOKEN = "fake-token-for-tests"
FAKE_ACCOUNT = "fake-account"
DEFAULT_PAGE_SIZE = 10
"""Items per page when a request names no `page_size` (the API's default)."""


OperationRef = str | ModuleType
"""An operation: its endpoint module (`hilos_client.api.flows.list_flow_execution_contacts`) or its name."""
_Answer = httpx.Response | httpx.RequestError


class UnexpectedRequestError(AssertionError):
    """Your code sent a request the fake has no answer for (nothing queued, no items declared)."""


@dataclass(frozen=True)
class SeenRequest:
    """A request your code sent to the fake."""

    operation: str
    """The operation's name, e.g. "list_flow_execution_contacts"."""
    path_params: dict[str, str]
    params: dict[str, str]
    """The query parameters (the last value of a repeated one)."""
    request: httpx.Request
    """The full request: headers, URL, body."""

    @property
    def method(self) -> str:
        return self.request.method


class FakeHilos:
    """The API in a transport. `base_url` defaults to a made-up account's address; `token` to FAKE_TOKEN."""

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
        self.transport: httpx.MockTransport = httpx.MockTransport(self._handle)
        """An httpx transport for both httpx.Client and httpx.AsyncClient."""
        self._queued: dict[str, deque[_Answer]] = {}
        self._items: dict[str, list[Any]] = {}
        self._base_path = httpx.URL(self.base_url).path.rstrip("/")

    def client(self, **options: Any) -> AuthenticatedClient:
        """An AuthenticatedClient that talks to this fake (other keyword arguments go to its constructor).

        Retries are off unless you pass `retries=`, so each queued error reaches your code as it is; so is the
        rate limit unless you pass `rate_limit=`, so app tests run at full speed and a queued 429 pauses nothing.
        """
        options.setdefault("retries", 0)
        options.setdefault("rate_limit", None)
        httpx_args = {**options.pop("httpx_args", {}), "transport": self.transport}
        return AuthenticatedClient(base_url=self.base_url, token=self.token, httpx_args=httpx_args, **options)

    # -- what the fake answers ---------------------------------------------------------------------
    def queue(
        self,
        operation: OperationRef,
        body: Any = None,
        *,
        status: int = 200,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """Queue the next answer of `operation`: `body` is a model, or anything JSON-able (models inside too)."""
        if body is None:
            self._queue(operation, httpx.Response(status, headers=headers))
        else:
            self._queue(operation, httpx.Response(status, headers=headers, json=_jsonable(body)))

    def set_items(self, operation: OperationRef, items: Sequence[Any]) -> None:
        """Serve `items` (models or JSON-able) as the operation's listing, page by page, from now on."""
        self._items[self._name(operation)] = [_jsonable(item) for item in items]

    def queue_unauthorized(self, operation: OperationRef) -> None:
        """Next answer: 401, as for a wrong or revoked token (AuthenticationError)."""
        self.queue(operation, {"detail": "Invalid token."}, status=401)

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
        self._queue(operation, httpx.ReadTimeout("fake read timeout"))

    def queue_connection_error(self, operation: OperationRef) -> None:
        """Next request gets no connection (ApiConnectionError)."""
        self._queue(operation, httpx.ConnectError("fake connection refused"))

    def requests_for(self, operation: OperationRef) -> list[SeenRequest]:
        """The requests your code sent for `operation`, in order."""
        name = self._name(operation)
        return [seen for seen in self.requests if seen.operation == name]

    # -- how it answers ------------------------------------------------------------------------------
    def _name(self, operation: OperationRef) -> str:
        name = operation.__name__.rpartition(".")[2] if isinstance(operation, ModuleType) else operation
        if not any(known.name == name for known in self.operations):
            known_names = ", ".join(sorted(known.name for known in self.operations))
            raise KeyError(f"no operation {name!r} in the spec (operations: {known_names})")
        return name

    def _queue(self, operation: OperationRef, answer: _Answer) -> None:
        self._queued.setdefault(self._name(operation), deque()).append(answer)

    def _handle(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        relative = path[len(self._base_path) :] if path.startswith(self._base_path + "/") else None
        found = find(self.operations, request.method, relative) if relative is not None else None
        if found is None:
            return httpx.Response(404, json={"detail": "Not found."})
        operation, path_params = found
        params = dict(request.url.params.items())
        self.requests.append(SeenRequest(operation.name, path_params, params, request))
        if request.headers.get("Authorization") != f"Token {self.token}":
            return httpx.Response(401, json={"detail": "Invalid token."})
        queued = self._queued.get(operation.name)
        if queued:
            answer = queued.popleft()
            if isinstance(answer, httpx.RequestError):
                answer.request = request
                raise answer
            return answer
        if operation.name in self._items:
            return self._page(self._items[operation.name], request, params)
        raise UnexpectedRequestError(
            f"{request.method} {path}: no answer queued for {operation.name!r} and no items declared "
            "(fake.queue(...) or fake.set_items(...))"
        )

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
    "FakeHilos",
    "OperationRef",
    "SeenRequest",
    "UnexpectedRequestError",
]
