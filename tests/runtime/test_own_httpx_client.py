"""Your own httpx client (`http_client=`, `set_httpx_client()` / `set_async_httpx_client()`), on every operation
through `Hilos` and `AsyncHilos`: it is used as given (its event hooks, mounts, proxy, default headers), and the
client still joins the path to its base URL, adds the token (to the API's origin only) and the User-Agent,
retries, keeps the deadline, and never closes it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hilos_client import AsyncHilos, AuthenticatedClient, Hilos, errors
from hilos_client.client import user_agent

from tests.runtime.conftest import TEST_BACKOFF
from tests.support.fake_hilos import TOKEN, FakeHilosServer, Fault
from tests.support.http_proxy import HttpProxy
from tests.support.operation_cases import OperationCase, each_operation
from tests.support.resource_calls import call, call_in_with_block

each_kind = pytest.mark.parametrize("asynchronous", [False, True], ids=["Hilos", "AsyncHilos"])
# Straight to the API, or through a real HTTP proxy that the httpx client mounts for the API's origin.
each_route = pytest.mark.parametrize("route", ["direct", "proxy mount"])
EVERY_METHOD = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE"})


@pytest.fixture
def api() -> Iterator[FakeHilosServer]:
    """The loopback API serving every operation of the spec."""
    with FakeHilosServer() as server:
        yield server.serve_spec()


@pytest.fixture
def proxy() -> Iterator[HttpProxy]:
    with HttpProxy() as running:
        yield running


class YourHttpxClient:
    """An app's own httpx client: an event hook recording every request, a default header, and (for the proxy
    route) a mount sending the API's origin through `proxy`."""

    def __init__(self, asynchronous: bool, route: str, api: FakeHilosServer, proxy: HttpProxy, **kwargs: Any) -> None:
        self.seen: list[httpx.Request] = []
        headers = {"X-App": "mine"}
        self.http: httpx.Client | httpx.AsyncClient
        if asynchronous:

            async def hook(request: httpx.Request) -> None:
                self.seen.append(request)

            mounts_async = {api.origin: httpx.AsyncHTTPTransport(proxy=proxy.url)} if route != "direct" else None
            self.http = httpx.AsyncClient(
                event_hooks={"request": [hook]}, headers=headers, mounts=mounts_async, **kwargs
            )
        else:
            mounts = {api.origin: httpx.HTTPTransport(proxy=proxy.url)} if route != "direct" else None
            self.http = httpx.Client(
                event_hooks={"request": [self.seen.append]}, headers=headers, mounts=mounts, **kwargs
            )

    def hilos(self, api: FakeHilosServer, **options: Any) -> Hilos | AsyncHilos:
        if isinstance(self.http, httpx.AsyncClient):
            return AsyncHilos(base_url=api.base_url, token=TOKEN, http_client=self.http, **options)
        return Hilos(base_url=api.base_url, token=TOKEN, http_client=self.http, **options)


def expected_path(api: FakeHilosServer, case: OperationCase) -> str:
    return httpx.URL(api.base_url + case.filled_path()).path


@each_operation()
@each_kind
@each_route
async def test_your_httpx_client_sends_every_call_authenticated_and_is_left_open(
    case: OperationCase, asynchronous: bool, route: str, api: FakeHilosServer, proxy: HttpProxy
) -> None:
    yours = YourHttpxClient(asynchronous, route, api, proxy)

    await call_in_with_block(yours.hilos(api, retries=0), case)

    assert len(api.requests) == 1, [(r.method, r.path, r.headers) for r in api.requests] + proxy.requests
    (received,) = api.requests
    assert (received.method, received.path) == (case.operation.method, expected_path(api, case))
    assert received.headers["Authorization"] == f"Token {TOKEN}"
    assert received.headers["X-App"] == "mine"
    assert received.headers["User-Agent"] == user_agent()
    assert [request.url.path for request in yours.seen] == [received.path]
    assert [request.target for request in proxy.requests] == ([] if route == "direct" else [str(yours.seen[0].url)])
    assert not yours.http.is_closed  # leaving the `with` block closed only what the client opened: nothing
    await call(yours.hilos(api, retries=0), case)  # and it still works
    assert len(api.requests) == 2


@each_operation()
@each_kind
@each_route
async def test_a_failed_attempt_is_retried_through_your_httpx_client(
    case: OperationCase, asynchronous: bool, route: str, api: FakeHilosServer, proxy: HttpProxy
) -> None:
    api.spec_answers[case.operation.name].append(Fault(status=503, body={"detail": "busy"}))
    yours = YourHttpxClient(asynchronous, route, api, proxy)

    await call(yours.hilos(api, retries=1, retry_backoff=TEST_BACKOFF, retry_methods=EVERY_METHOD), case)

    assert [request.headers["Authorization"] for request in api.requests] == [f"Token {TOKEN}"] * 2
    assert len(yours.seen) == 2
    assert len(proxy.requests) == (0 if route == "direct" else 2)


@each_operation()
@each_kind
@each_route
async def test_the_deadline_bounds_a_call_through_your_httpx_client(
    case: OperationCase, asynchronous: bool, route: str, api: FakeHilosServer, proxy: HttpProxy
) -> None:
    gate = api.gate()  # holds every answer until the server stops
    api.handler = lambda request: api.hold(gate)
    # The httpx client's own timeout would wait far longer: the client's deadline decides.
    yours = YourHttpxClient(asynchronous, route, api, proxy, timeout=httpx.Timeout(30.0))

    with pytest.raises(errors.ApiTimeoutError):
        await call(yours.hilos(api, deadline=0.1), case)

    assert len(api.requests) == 1


@each_operation()
@each_kind
async def test_a_redirect_your_httpx_client_follows_to_another_origin_carries_no_token(
    case: OperationCase, asynchronous: bool, api: FakeHilosServer, other_origin: FakeHilosServer, proxy: HttpProxy
) -> None:
    other_origin.serve_spec()
    location = other_origin.base_url + case.filled_path()
    api.spec_answers[case.operation.name].append(Fault(status=307, headers={"Location": location}))
    yours = YourHttpxClient(asynchronous, "direct", api, proxy, follow_redirects=True)

    with pytest.raises(errors.AuthenticationError):  # the other origin wanted a token it did not get
        await call(yours.hilos(api, retries=0), case)

    assert api.requests[0].headers["Authorization"] == f"Token {TOKEN}"
    (foreign,) = other_origin.requests
    assert "Authorization" not in foreign.headers


@each_operation()
@pytest.mark.parametrize("asynchronous", [False, True], ids=["set_httpx_client", "set_async_httpx_client"])
async def test_set_httpx_client_follows_the_same_rule(
    case: OperationCase, asynchronous: bool, api: FakeHilosServer
) -> None:
    client = AuthenticatedClient(base_url=api.base_url, token=TOKEN, retries=0)
    module = case.module()
    if asynchronous:
        async with httpx.AsyncClient() as http:
            client.set_async_httpx_client(http)
            async with client:
                await module.asyncio(client=client, **case.required_arguments())
            assert not http.is_closed
    else:
        with httpx.Client() as http:
            client.set_httpx_client(http)
            with client:
                module.sync(client=client, **case.required_arguments())
            assert not http.is_closed

    (received,) = api.requests
    assert received.path == expected_path(api, case)
    assert received.headers["Authorization"] == f"Token {TOKEN}"


@each_operation()
@pytest.mark.parametrize("given", ["httpx.Client", "httpx.AsyncClient"])
async def test_a_client_given_one_kind_of_httpx_client_refuses_calls_of_the_other_kind(
    case: OperationCase, given: str
) -> None:
    http: httpx.Client | httpx.AsyncClient = httpx.Client() if given == "httpx.Client" else httpx.AsyncClient()
    client = AuthenticatedClient(base_url="http://127.0.0.1:9/api/3", token=TOKEN, http_client=http)
    module = case.module()
    wanted = "httpx.AsyncClient for async calls" if given == "httpx.Client" else "httpx.Client for sync calls"
    with pytest.raises(errors.ConfigurationError, match=f"was given an {given} .*give an {wanted}"):
        if given == "httpx.Client":
            await module.asyncio(client=client, **case.required_arguments())
        else:
            module.sync(client=client, **case.required_arguments())


def test_hilos_and_asynchilos_refuse_the_other_kind_of_httpx_client() -> None:
    base_url = "http://127.0.0.1:9/api/3"
    with pytest.raises(errors.ConfigurationError, match="^Hilos takes an httpx.Client as http_client, not AsyncClient"):
        Hilos(base_url=base_url, token=TOKEN, http_client=httpx.AsyncClient())  # type: ignore[arg-type]
    with pytest.raises(
        errors.ConfigurationError, match="^AsyncHilos takes an httpx.AsyncClient as http_client, not Client"
    ):
        AsyncHilos(base_url=base_url, token=TOKEN, http_client=httpx.Client())  # type: ignore[arg-type]
    with pytest.raises(errors.ConfigurationError, match="^Hilos takes an httpx.Client"):
        Hilos.from_env(environ={}, http_client=httpx.AsyncClient())  # type: ignore[arg-type]
    with pytest.raises(errors.ConfigurationError, match="^http_client must be an httpx.Client or an httpx.AsyncClient"):
        AuthenticatedClient(base_url=base_url, token=TOKEN, http_client="httpx")  # type: ignore[arg-type]
    with pytest.raises(errors.ConfigurationError, match="pass either client= or"):
        Hilos(client=AuthenticatedClient(base_url=base_url, token=TOKEN), http_client=httpx.Client())


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("cookies", {"sessionid": "x"}),
        ("verify_ssl", False),
        ("follow_redirects", True),
        ("httpx_args", {"http2": False}),
    ],
)
def test_settings_only_your_httpx_client_can_hold_are_refused_beside_it(setting: str, value: Any) -> None:
    with pytest.raises(errors.ConfigurationError, match=f"^{setting} cannot be used with your own httpx client"):
        AuthenticatedClient(
            base_url="http://127.0.0.1:9/api/3", token=TOKEN, http_client=httpx.Client(), **{setting: value}
        )
    client = AuthenticatedClient(base_url="http://127.0.0.1:9/api/3", token=TOKEN, http_client=httpx.Client())
    if setting == "cookies":
        with pytest.raises(errors.ConfigurationError, match="^cookies cannot be used"):
            client.with_cookies(value)


def test_copies_use_your_httpx_client_too() -> None:
    http = httpx.Client()
    client = AuthenticatedClient(base_url="http://127.0.0.1:9/api/3", token=TOKEN, http_client=http)
    set_later = AuthenticatedClient(base_url="http://127.0.0.1:9/api/3", token=TOKEN).set_httpx_client(http)
    for original in (client, set_later):
        for copy in (
            original.with_timeout(3.0),
            original.with_headers({"X-More": "1"}),
            original.with_options(retries=0),
        ):
            assert copy.get_httpx_client() is http
            with copy:
                pass
            assert not http.is_closed
    assert TOKEN not in repr(client) + repr(client.with_options(retries=0))
