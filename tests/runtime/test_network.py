"""The transport of the clients this package creates (`_runtime/network.py`): every socket operation capped at
the time left of the current attempt, on the public interfaces of httpx and httpcore only, checked at the
first client so that an upgrade that breaks them fails loudly.

The end-to-end probes (trickled headers, a connection never accepted) are in tests/runtime/hostile/."""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Iterator
from typing import Any

import httpcore
import httpx
import pytest
from hilos_client import AuthenticatedClient, errors
from hilos_client._runtime import network
from hilos_client._runtime.retries import ATTEMPT_ENDS

from tests.support.fake_hilos import TOKEN, FakeHilosServer


class RecordingStream(httpcore.NetworkStream):
    """A network stream that records the timeout of every operation."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, Any, float | None]] = []

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        self.calls.append(("read", max_bytes, timeout))
        return b"x"

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.calls.append(("write", len(buffer), timeout))

    def close(self) -> None:
        self.calls.append(("close", None, None))

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None) -> Any:
        self.calls.append(("start_tls", server_hostname, timeout))
        return self

    def get_extra_info(self, info: str) -> Any:
        return f"info {info}"


@pytest.fixture
def attempt_ending_in() -> Iterator[Any]:
    """Set the current attempt's end `seconds` from now, as sending.py does around an attempt."""
    tokens = []

    def set_end(seconds: float) -> None:
        tokens.append(ATTEMPT_ENDS.set(time.monotonic() + seconds))

    yield set_end
    for token in reversed(tokens):
        ATTEMPT_ENDS.reset(token)


def test_outside_an_attempt_every_operation_keeps_its_own_timeout() -> None:
    inner = RecordingStream()
    stream = network.BoundedStream(inner)
    stream.read(10, 5.0)
    stream.write(b"abc", None)
    stream.start_tls(None, "host", 7.0)  # type: ignore[arg-type]
    assert inner.calls == [("read", 10, 5.0), ("write", 3, None), ("start_tls", "host", 7.0)]


def test_in_an_attempt_every_operation_is_capped_at_the_time_left(attempt_ending_in: Any) -> None:
    attempt_ending_in(1.0)
    inner = RecordingStream()
    stream = network.BoundedStream(inner)
    stream.read(10, 60.0)
    stream.write(b"abc", None)
    tls = stream.start_tls(None, "host", 60.0)  # type: ignore[arg-type]
    stream.read(10, 0.1)  # a shorter timeout of its own stays
    assert isinstance(tls, network.BoundedStream)
    timeouts = [timeout for _, _, timeout in inner.calls]
    assert all(timeout is not None and 0 < timeout <= 1.0 for timeout in timeouts[:3]), timeouts
    assert timeouts[3] == 0.1


@pytest.mark.parametrize(
    ("operation", "error"),
    [
        (lambda stream: stream.read(10, 60.0), httpcore.ReadTimeout),
        (lambda stream: stream.write(b"abc", 60.0), httpcore.WriteTimeout),
        (lambda stream: stream.start_tls(None, "host", 60.0), httpcore.ConnectTimeout),
    ],
    ids=["read", "write", "start_tls"],
)
def test_with_no_time_left_an_operation_raises_httpcores_timeout_without_starting(
    operation: Any, error: type[Exception], attempt_ending_in: Any
) -> None:
    attempt_ending_in(-0.001)
    inner = RecordingStream()
    with pytest.raises(error):
        operation(network.BoundedStream(inner))
    assert inner.calls == []


def test_a_large_write_goes_in_pieces_each_capped(attempt_ending_in: Any) -> None:
    attempt_ending_in(5.0)
    inner = RecordingStream()
    network.BoundedStream(inner).write(b"x" * (3 * 64 * 1024 + 1), 60.0)
    assert [size for _, size, _ in inner.calls] == [64 * 1024] * 3 + [1]
    assert all(timeout is not None and timeout <= 5.0 for _, _, timeout in inner.calls)


def test_extra_info_is_the_inner_streams_so_a_stale_connection_is_still_seen() -> None:
    stream = network.BoundedStream(RecordingStream())
    assert stream.get_extra_info("is_readable") == "info is_readable"


class RecordingAsyncStream(httpcore.AsyncNetworkStream):
    def __init__(self) -> None:
        self.timeouts: list[float | None] = []

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        self.timeouts.append(timeout)
        return b"x"

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.timeouts.append(timeout)

    async def aclose(self) -> None:
        pass


def test_async_streams_are_capped_the_same_way(attempt_ending_in: Any) -> None:
    inner = RecordingAsyncStream()
    stream = network.AsyncBoundedStream(inner)

    async def operations() -> None:
        await stream.read(10, 60.0)
        await stream.write(b"abc", 60.0)
        ATTEMPT_ENDS.set(time.monotonic() - 0.001)  # this task's copy of the context only
        with pytest.raises(httpcore.ReadTimeout):
            await stream.read(10, 60.0)

    attempt_ending_in(1.0)
    asyncio.run(operations())
    assert len(inner.timeouts) == 2
    assert all(timeout is not None and 0 < timeout <= 1.0 for timeout in inner.timeouts)


class RecordingBackend(httpcore.NetworkBackend):
    def __init__(self) -> None:
        self.timeouts: list[float | None] = []

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, *args: Any) -> httpcore.NetworkStream:
        self.timeouts.append(timeout)
        return RecordingStream()


def test_connect_is_capped_and_gives_a_bounded_stream(attempt_ending_in: Any) -> None:
    attempt_ending_in(1.0)
    inner = RecordingBackend()
    stream = network.BoundedBackend(inner).connect_tcp("127.0.0.1", 1, timeout=10.0)
    assert isinstance(stream, network.BoundedStream)
    assert inner.timeouts[0] is not None and 0 < inner.timeouts[0] <= 1.0


@pytest.mark.parametrize(("source", "target"), network._ERRORS, ids=lambda kind: kind.__name__)
def test_httpcores_errors_become_httpxs_of_the_same_name(source: type[Exception], target: type[Exception]) -> None:
    mapped = network._as_httpx(source("why"))
    assert type(mapped) is target
    assert type(mapped).__name__ == source.__name__
    assert str(mapped) == "why"


def test_every_public_httpcore_error_is_mapped() -> None:
    public = [getattr(httpcore, name) for name in httpcore.__all__]
    core_errors = {kind for kind in public if isinstance(kind, type) and issubclass(kind, Exception)}
    # ConnectionNotAvailable never leaves the pool (it tries another connection); httpx maps it to nothing.
    assert core_errors - {httpcore.ConnectionNotAvailable} <= {source for source, _ in network._ERRORS}


def bounded(**httpx_args: Any) -> bool:
    transport = network.with_bounded_transport(httpx_args, asynchronous=False).get("transport")
    return isinstance(transport, network.BoundedTransport)


@pytest.fixture
def no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


def test_the_clients_we_create_get_the_bounded_transport(no_proxies: None) -> None:
    assert isinstance(network.with_bounded_transport({}, asynchronous=False)["transport"], network.BoundedTransport)
    assert isinstance(network.with_bounded_transport({}, asynchronous=True)["transport"], network.AsyncBoundedTransport)


@pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])
def test_httpx_transport_replaced_by_a_test_tool_is_kept_while_it_is(
    no_proxies: None, monkeypatch: pytest.MonkeyPatch, asynchronous: bool
) -> None:
    """vcrpy (pytest-recording) replaces httpx's transport's request method to answer from its cassettes: the
    client then keeps httpx's transport, so those tests still see every request (tests/contract uses vcrpy)."""
    kind, name = (
        (httpx.AsyncHTTPTransport, "handle_async_request") if asynchronous else (httpx.HTTPTransport, "handle_request")
    )
    original = getattr(kind, name)

    def recorded(self: Any, request: httpx.Request) -> Any:  # a stand-in defined outside httpx
        return original(self, request)

    monkeypatch.setattr(kind, name, recorded)
    assert "transport" not in network.with_bounded_transport({}, asynchronous=asynchronous)
    monkeypatch.setattr(kind, name, functools.wraps(original)(recorded))  # vcrpy's: httpx's name and module
    assert "transport" not in network.with_bounded_transport({}, asynchronous=asynchronous)
    monkeypatch.setattr(kind, name, original)
    assert "transport" in network.with_bounded_transport({}, asynchronous=asynchronous)


def test_a_transport_mounts_or_proxy_of_the_users_is_kept(no_proxies: None) -> None:
    assert not bounded(transport=httpx.MockTransport(lambda request: httpx.Response(200)))
    assert not bounded(mounts={"https://": None})
    assert not bounded(proxy="http://127.0.0.1:3128")


def test_proxies_from_the_environment_keep_httpxs_transport(no_proxies: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:3128")
    assert not bounded()
    assert bounded(trust_env=False), "with trust_env=False httpx ignores the environment's proxies"
    monkeypatch.delenv("HTTPS_PROXY")
    monkeypatch.setenv("NO_PROXY", "example.com")
    assert bounded(), "NO_PROXY alone names no proxy"


def client_ports(transport: httpx.BaseTransport, url: str) -> list[int]:
    """The local port of the connection each of two requests went over."""
    ports = []
    with httpx.Client(transport=transport) as http:
        for _ in range(2):
            with http.stream("GET", url) as response:
                ports.append(response.extensions["network_stream"].get_extra_info("client_addr")[1])
                response.read()
    return ports


@pytest.mark.parametrize(("keepalive", "reused"), [(20, True), (0, False)])
def test_the_transport_keeps_connections_alive_within_httpxs_limits(
    keepalive: int, reused: bool, fake_api: FakeHilosServer
) -> None:
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=keepalive)
    first, second = client_ports(network.BoundedTransport(limits=limits), fake_api.base_url + "/")
    assert (first == second) is reused


def test_the_installed_httpx_and_httpcore_are_the_supported_ones() -> None:
    network.check_interfaces.cache_clear()
    network.check_interfaces()
    assert httpx.__version__.startswith("0.28.") and httpcore.__version__.startswith("1.0.")
    assert network.SUPPORTED_VERSIONS == "httpx 0.28 with httpcore 1.0"


def _no_network_backend(self: Any, ssl_context: Any = None, max_connections: Any = None) -> None:
    pass


def _renamed_timeout(self: Any, max_bytes: int, read_timeout: float | None = None) -> bytes:
    return b""


BREAKING_UPGRADES = {
    "a backend class gone": (httpcore, "AnyIOBackend", None, "httpcore.AnyIOBackend is gone"),
    "a stream method gone": (httpcore.NetworkStream, "start_tls", None, "httpcore.NetworkStream.start_tls is gone"),
    "a parameter renamed": (
        httpcore.NetworkStream,
        "read",
        _renamed_timeout,
        "httpcore.NetworkStream.read takes (self, max_bytes, read_timeout), not (self, max_bytes, timeout)",
    ),
    "the pool without network_backend": (
        httpcore.ConnectionPool,
        "__init__",
        _no_network_backend,
        "httpcore.ConnectionPool.__init__ takes no max_keepalive_connections, keepalive_expiry, http1, http2, "
        "network_backend",
    ),
}


@pytest.mark.parametrize("upgrade", list(BREAKING_UPGRADES))
@pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])
async def test_an_upgrade_that_breaks_the_interfaces_fails_loudly_at_the_first_client(
    upgrade: str, asynchronous: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    owner, name, replacement, said = BREAKING_UPGRADES[upgrade]
    if replacement is None:
        monkeypatch.delattr(owner, name)
    else:
        monkeypatch.setattr(owner, name, replacement)
    network.check_interfaces.cache_clear()
    client = AuthenticatedClient(base_url="https://acme.api-us1.com/api/3", token=TOKEN)
    try:
        with pytest.raises(errors.ConfigurationError) as raised:
            client.get_async_httpx_client() if asynchronous else client.get_httpx_client()
    finally:
        monkeypatch.undo()
        network.check_interfaces.cache_clear()
    assert said in str(raised.value)
    assert "httpx 0.28 with httpcore 1.0" in str(raised.value)
    assert f"httpcore {httpcore.__version__}" in str(raised.value)
