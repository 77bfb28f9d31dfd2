"""Base URLs of every shape, on every operation: a request goes where httpx's own merge sends it
(`httpx.Client(base_url=...).build_request(method, path).url`), and log lines and errors show that URL.

The table runs each shape through a real request to the fake API on the loopback (127.0.0.1, or ::1 for the
IPv6 shapes), with the client's own httpx client and with one the caller supplies; https shapes, which no
loopback server here can answer, are checked on the request httpx hands its transport. A base URL that cannot
be used raises ConfigurationError when the client is built (one in httpx_args: at its first use), and so does
a caller's httpx client whose own base_url is not the client's, when it is given.
"""

from __future__ import annotations

import logging
import socket
import ssl
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from hilos_client import AsyncHilos, AuthenticatedClient, Client, Hilos, errors

from tests.support.fake_hilos import TOKEN, FakeHilosServer, Fault, RecordedRequest
from tests.support.operation_cases import OperationCase, each_operation


@dataclass(frozen=True)
class Shape:
    """A base URL's shape: what follows the origin, and the path a request's own path follows on the wire."""

    name: str
    path: str
    joined_prefix: str
    ipv6: bool = False


SHAPES = (
    Shape("host", "", "/"),
    Shape("host with a slash", "/", "/"),
    Shape("path", "/api/3", "/api/3/"),
    Shape("path with a slash", "/api/3/", "/api/3/"),
    Shape("percent-encoded path", "/api%203/x", "/api%203/x/"),
    Shape("IPv6 host", "", "/", ipv6=True),
    Shape("IPv6 path with a slash", "/api/3/", "/api/3/", ipv6=True),
)
each_shape = pytest.mark.parametrize("shape", SHAPES, ids=[shape.name for shape in SHAPES])

# How the client gets its httpx client: made by it (sync or async), made by it with `httpx_args`, or the caller's
# (with the same base_url, given to set_*; or with none, given as http_client=).
WAYS = (
    "own",
    "own, async",
    "httpx_args",
    "set_httpx_client",
    "set_async_httpx_client",
    "http_client",
    "http_client, async",
)
each_way = pytest.mark.parametrize("way", WAYS)
# Errors take their URL from the same join whichever way: one of each kind of httpx client is enough.
each_error_way = pytest.mark.parametrize("way", ["own", "own, async", "set_httpx_client"])
# One TLS context for the httpx clients made here, which would each load the CA bundle (most of a test's time).
TLS = ssl.create_default_context()


def _has_ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        return False
    return True


@pytest.fixture(scope="module")
def ipv4_server() -> Iterator[FakeHilosServer]:
    with FakeHilosServer() as server:
        yield server


@pytest.fixture(scope="module")
def ipv6_server() -> Iterator[FakeHilosServer]:
    if not _has_ipv6_loopback():
        pytest.skip("this machine has no IPv6 loopback address (::1) to serve the IPv6 shapes on")
    with FakeHilosServer(host="::1") as server:
        yield server


@pytest.fixture
def server(request: pytest.FixtureRequest, shape: Shape) -> Iterator[FakeHilosServer]:
    """The loopback server for `shape`, with no request recorded and no answer scripted yet."""
    found: FakeHilosServer = request.getfixturevalue("ipv6_server" if shape.ipv6 else "ipv4_server")
    found.requests.clear()
    yield found
    found.handler = None


def answering(case: OperationCase, status: int | None = None) -> Callable[[RecordedRequest], Fault]:
    """A fake API handler giving every request the operation's sparsest answer with `status` (default: success)."""
    chosen = status or case.success_status
    body = case.response_json(chosen) if status is None else {"detail": "Not found."}
    return lambda request: Fault(status=chosen, body=body)


def client_for(base_url: str, way: str, **options: Any) -> AuthenticatedClient:
    http_client: httpx.Client | httpx.AsyncClient | None = None
    if way.startswith("http_client"):
        http_client = httpx.AsyncClient(verify=TLS) if "async" in way else httpx.Client(verify=TLS)
    client = AuthenticatedClient(
        base_url=base_url,
        token=TOKEN,
        retries=0,
        httpx_args={"max_redirects": 3} if way == "httpx_args" else {},
        http_client=http_client,
        **options,
    )
    token_header = {"Authorization": f"Token {TOKEN}"}
    if way == "set_httpx_client":
        client.set_httpx_client(httpx.Client(base_url=base_url, headers=token_header, verify=TLS))
    elif way == "set_async_httpx_client":
        client.set_async_httpx_client(httpx.AsyncClient(base_url=base_url, headers=token_header, verify=TLS))
    return client


async def call(case: OperationCase, client: Client, way: str) -> Any:
    """The operation's module function, sync or async as `way` says, with its sparsest valid arguments."""
    module = case.module()
    arguments = case.required_arguments()
    if "async" in way:
        return await module.asyncio(client=client, **arguments)
    return module.sync(client=client, **arguments)


def httpx_merge(base_url: str, case: OperationCase, query: str = "") -> httpx.URL:
    """Where httpx itself sends the operation's request from a client with `base_url`."""
    with httpx.Client(base_url=base_url, verify=TLS) as reference:
        url = reference.build_request(case.operation.method, case.filled_path()).url
    return url.copy_with(query=query.encode()) if query else url


def logged_urls(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.hilos_url for record in caplog.records if hasattr(record, "hilos_url")]


@each_operation()
@each_way
@each_shape
async def test_the_request_goes_where_httpx_merges_it_and_the_log_shows_that_url(
    case: OperationCase, way: str, shape: Shape, server: FakeHilosServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="hilos_client")
    base_url = server.origin + shape.path
    server.handler = answering(case)
    client = client_for(base_url, way)

    await call(case, client, way)

    (received,) = server.requests
    assert (received.method, received.path) == (case.operation.method, shape.joined_prefix + case.filled_path()[1:])
    assert received.headers.get("Authorization") == f"Token {TOKEN}"
    expected = httpx_merge(base_url, case, received.query)
    assert expected.raw_path.partition(b"?")[0] == received.path.encode()
    assert logged_urls(caplog) == [errors.redact_url(expected)]


@each_operation()
@each_error_way
@each_shape
async def test_a_status_error_names_the_url_the_request_went_to(
    case: OperationCase, way: str, shape: Shape, server: FakeHilosServer
) -> None:
    base_url = server.origin + shape.path
    server.handler = answering(case, 404)

    with pytest.raises(errors.NotFoundError) as raised:
        await call(case, client_for(base_url, way), way)

    (received,) = server.requests
    expected = errors.redact_url(httpx_merge(base_url, case, received.query))
    assert raised.value.url == expected
    assert expected in str(raised.value)


@pytest.fixture
def refusing_origin(shape: Shape) -> Iterator[str]:
    """The origin of a loopback port that refuses connections (bound, never listening), for `shape`'s family."""
    if shape.ipv6 and not _has_ipv6_loopback():
        pytest.skip("this machine has no IPv6 loopback address (::1) to refuse connections on")
    family, host = (socket.AF_INET6, "::1") if shape.ipv6 else (socket.AF_INET, "127.0.0.1")
    with socket.socket(family) as bound:
        bound.bind((host, 0))
        port = bound.getsockname()[1]
        yield f"http://[{host}]:{port}" if shape.ipv6 else f"http://{host}:{port}"


@each_operation()
@each_error_way
@each_shape
async def test_a_connection_error_names_the_url_and_so_does_its_log_line(
    case: OperationCase, way: str, shape: Shape, refusing_origin: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="hilos_client")
    base_url = refusing_origin + shape.path

    with pytest.raises(errors.ApiConnectionError) as raised:
        await call(case, client_for(base_url, way), way)

    expected = errors.redact_url(httpx_merge(base_url, case))
    assert raised.value.url == expected
    assert f"({case.operation.method} {expected})" in str(raised.value)
    assert logged_urls(caplog) == [expected]


HTTPS_BASE_URLS = (
    "https://api.hilos.io",
    "https://api.hilos.io/",
    "https://acme.api-us1.com/api/3",
    "https://acme.api-us1.com/api/3/",
    "https://acme.api-us1.com:8443/api/3",
    "https://[2001:db8::1]:8443/api/3/",
    "https://acme.api-us1.com/api%203/x",
)


@each_operation()
@pytest.mark.parametrize("base_url", HTTPS_BASE_URLS)
async def test_https_base_urls_of_every_shape_through_hilos_and_asynchilos(case: OperationCase, base_url: str) -> None:
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(case.success_status, json=case.response_json())

    httpx_args: dict[str, Any] = {"transport": httpx.MockTransport(answer)}
    operation = case.operation
    arguments = case.required_arguments()
    with Hilos(base_url=base_url, token=TOKEN, httpx_args=httpx_args) as hilos:
        getattr(getattr(hilos, operation.tag), operation.name)(**arguments)
    async with AsyncHilos(base_url=base_url, token=TOKEN, httpx_args=httpx_args) as async_hilos:
        await getattr(getattr(async_hilos, operation.tag), operation.name)(**arguments)

    expected = httpx_merge(base_url, case)
    assert [request.url for request in sent] == [expected, expected]
    assert all(request.headers["Authorization"] == f"Token {TOKEN}" for request in sent)


@pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("given", ["http_client", "set_httpx_client"])
def test_a_caller_supplied_httpx_client_with_another_base_url_is_refused_when_given(
    asynchronous: bool, given: str
) -> None:
    http: httpx.Client | httpx.AsyncClient
    other = "http://127.0.0.1:9/elsewhere?key=s3cret"
    http = httpx.AsyncClient(base_url=other, verify=TLS) if asynchronous else httpx.Client(base_url=other, verify=TLS)
    base_url = "https://acme.api-us1.com/api/3"
    with pytest.raises(
        errors.ConfigurationError, match=r"^your httpx client's base_url .* is not this client's"
    ) as raised:
        if given == "http_client":
            AuthenticatedClient(base_url=base_url, token=TOKEN, http_client=http)
        elif asynchronous:
            AuthenticatedClient(base_url=base_url, token=TOKEN).set_async_httpx_client(http)  # type: ignore[arg-type]
        else:
            AuthenticatedClient(base_url=base_url, token=TOKEN).set_httpx_client(http)  # type: ignore[arg-type]
    assert "s3cret" not in str(raised.value)


UNUSABLE_BASE_URLS = {
    "port out of range": "http://127.0.0.1:99999/api/3",
    "port not a number": "http://127.0.0.1:80a/api/3",
    "port 0": "https://acme.api-us1.com:0/api/3",
    "two ports": "http://127.0.0.1:80:81/api/3",
    "unclosed IPv6 bracket": "http://[::1/api/3",
    "text after the IPv6 bracket": "http://[::1]x:8765/api/3",
    "bad IDNA host": "https://xn--zz.com/api/3",
    "no scheme": "127.0.0.1:8765/api/3",
    "no host": "https:///api/3",
    "scheme only": "https://",
    "not http(s)": "ftp://acme.api-us1.com/api/3",
}


@pytest.mark.parametrize("base_url", UNUSABLE_BASE_URLS.values(), ids=UNUSABLE_BASE_URLS.keys())
@pytest.mark.parametrize("make", [Client, AuthenticatedClient, Hilos, AsyncHilos])
def test_an_unusable_base_url_is_refused_when_the_client_is_built(make: Callable[..., Any], base_url: str) -> None:
    arguments = {"base_url": base_url} if make is Client else {"base_url": base_url, "token": TOKEN}
    with pytest.raises(errors.ConfigurationError, match="^base_url ") as raised:
        make(**arguments)
    assert isinstance(raised.value, errors.HilosError)
    assert "port" in str(raised.value) or "URL" in str(raised.value)


@each_operation()
@pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])
async def test_an_unusable_base_url_in_httpx_args_is_refused_at_first_use(
    case: OperationCase, asynchronous: bool
) -> None:
    client = AuthenticatedClient(
        base_url="https://acme.api-us1.com/api/3", token=TOKEN, httpx_args={"base_url": "http://127.0.0.1:80a/api"}
    )
    with pytest.raises(errors.ConfigurationError, match=r"^the httpx client's base_url cannot be used: Invalid port"):
        await call(case, client, "async" if asynchronous else "sync")


@each_operation()
@pytest.mark.parametrize("base_url", ["/api/3", "ftp://acme.api-us1.com/api/3"], ids=["relative", "ftp"])
@pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])
async def test_a_caller_supplied_httpx_client_with_an_unusable_base_url_is_refused_before_sending(
    case: OperationCase, base_url: str, asynchronous: bool
) -> None:
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(case.success_status, json=case.response_json())

    client = AuthenticatedClient(base_url="https://acme.api-us1.com/api/3", token=TOKEN)
    transport = httpx.MockTransport(answer)
    with pytest.raises(errors.ConfigurationError, match=r"^your httpx client's base_url .* is not this client's"):
        if asynchronous:
            client.set_async_httpx_client(httpx.AsyncClient(base_url=base_url, transport=transport, verify=TLS))
        else:
            client.set_httpx_client(httpx.Client(base_url=base_url, transport=transport, verify=TLS))
        await call(case, client, "async" if asynchronous else "sync")
    assert sent == []
