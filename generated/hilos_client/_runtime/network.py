# Copied from patches/runtime/network.py by pipeline/generating/generate.py.
# Do not edit here: edit patches/runtime/network.py, then run `make generate`.
"""The httpx transport of the clients this package creates: every socket operation of an attempt bounded.

httpx caps each phase of a request (connect, each read, each write) separately, so a server that sends its
status line and headers one byte at a time holds a request for as long as it keeps sending. Here httpcore's
network backends (`httpcore.SyncBackend`, and for async calls ours or `httpcore.AnyIOBackend`) are wrapped so that every
connect, TLS handshake, read and write is given at most the time left of the attempt being sent
(`retries.ATTEMPT_ENDS`, set by sending.py around each attempt), and fails with httpcore's own timeout
error once none is left. The transport over them is httpx's `HTTPTransport` redone on the public
interfaces of both libraries (`httpx.BaseTransport`, `httpcore.ConnectionPool(network_backend=...)`).
In an asyncio event loop the async backend wrapped is our own (`asyncio_backend.py`: asyncio's transports
and protocols, cheaper per request than anyio's streams); under trio it is httpcore's `AnyIOBackend`.

Only public names of httpx 0.28 and httpcore 1.0 are used; `check_interfaces()` proves at the first client
that the installed versions still have them, with the signatures relied on, and fails loudly otherwise.

Not used (httpx's own transport is, and only the per-phase caps apply) when the httpx client is given a
`transport`, `mounts` or `proxy`, when proxies come from the environment (`HTTP_PROXY`, `HTTPS_PROXY`,
`ALL_PROXY`, with `trust_env`, the default), or while a test tool such as vcrpy has replaced the request
method of httpx's transport (its recordings answer only what goes through that transport). A host name's lookup (DNS) is not a socket operation: it is
not bounded in sync calls (the resolver has no timeout to give it).
"""

from __future__ import annotations

import functools
import ssl
import time
import typing
from collections.abc import AsyncIterator, Iterable, Iterator
from types import TracebackType
from typing import Any

import httpcore
import httpx
import sniffio

from .errors import ConfigurationError
from .retries import ATTEMPT_ENDS

SUPPORTED_VERSIONS = "httpx 0.28 with httpcore 1.0"
# A write larger than this is sent in pieces, each capped at the time left: the sync backend sends one
# buffer with `timeout` per socket.send() call, so a reader taking a little at a time could stretch one write.
_WRITE_PIECE = 64 * 1024
DEFAULT_LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=20)
"""httpx's default pool limits (its own constant is not public)."""

# httpcore's SOCKET_OPTION is not public: the options are passed on as they come.
_SocketOptions = Iterable[Any]


# httpcore's errors this module raises or maps to httpx's.
_CORE_ERRORS = (
    "ConnectTimeout",
    "ReadTimeout",
    "WriteTimeout",
    "PoolTimeout",
    "TimeoutException",
    "ConnectError",
    "ReadError",
    "WriteError",
    "NetworkError",
    "ProxyError",
    "UnsupportedProtocol",
    "LocalProtocolError",
    "RemoteProtocolError",
    "ProtocolError",
)
# What this module relies on: each public name, and a callable's first parameters as it is called with them.
_CONNECT_TCP = ("self", "host", "port", "timeout", "local_address", "socket_options")
_CONNECT_UNIX = ("self", "path", "timeout", "socket_options")
_START_TLS = ("self", "ssl_context", "server_hostname", "timeout")
RELIED_ON: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("httpcore.ConnectionPool.__init__", ()),
    ("httpcore.AsyncConnectionPool.__init__", ()),
    ("httpcore.SyncBackend", ()),
    ("httpcore.AnyIOBackend", ()),
    ("httpcore.Request", ()),
    ("httpcore.URL", ()),
    ("httpcore.NetworkBackend.connect_tcp", _CONNECT_TCP),
    ("httpcore.NetworkBackend.connect_unix_socket", _CONNECT_UNIX),
    ("httpcore.NetworkBackend.sleep", ("self", "seconds")),
    ("httpcore.NetworkStream.read", ("self", "max_bytes", "timeout")),
    ("httpcore.NetworkStream.write", ("self", "buffer", "timeout")),
    ("httpcore.NetworkStream.start_tls", _START_TLS),
    ("httpcore.NetworkStream.get_extra_info", ("self", "info")),
    ("httpcore.AsyncNetworkBackend.connect_tcp", _CONNECT_TCP),
    ("httpcore.AsyncNetworkBackend.connect_unix_socket", _CONNECT_UNIX),
    ("httpcore.AsyncNetworkBackend.sleep", ("self", "seconds")),
    ("httpcore.AsyncNetworkStream.read", ("self", "max_bytes", "timeout")),
    ("httpcore.AsyncNetworkStream.write", ("self", "buffer", "timeout")),
    ("httpcore.AsyncNetworkStream.start_tls", _START_TLS),
    ("httpcore.AsyncNetworkStream.get_extra_info", ("self", "info")),
    ("httpx.create_ssl_context", ("verify", "cert", "trust_env")),
    ("httpx.BaseTransport.handle_request", ("self", "request")),
    ("httpx.AsyncBaseTransport.handle_async_request", ("self", "request")),
    *((f"httpcore.{name}", ()) for name in _CORE_ERRORS),
)
_POOL_PARAMETERS = (
    "ssl_context",
    "max_connections",
    "max_keepalive_connections",
    "keepalive_expiry",
    "http1",
    "http2",
    "network_backend",
)


def _found(dotted: str) -> object:
    module, *attributes = dotted.split(".")
    found: object = {"httpcore": httpcore, "httpx": httpx}[module]
    for attribute in attributes:
        found = getattr(found, attribute, None)
    return found


def _parameters(function: object) -> tuple[str, ...]:
    code = getattr(function, "__code__", None)
    if code is None:
        return ()
    return tuple(code.co_varnames[: code.co_argcount + code.co_kwonlyargcount])


@functools.cache
def check_interfaces() -> None:
    """Raise ConfigurationError unless the installed httpx and httpcore have the public interfaces this
    module uses, with the parameters it passes (checked once, when the first client is made)."""
    missing: list[str] = []
    for where, parameters in RELIED_ON:
        found = _found(where)
        if found is None:
            missing.append(f"{where} is gone")
        elif parameters and _parameters(found)[: len(parameters)] != parameters:
            missing.append(f"{where} takes ({', '.join(_parameters(found))}), not ({', '.join(parameters)})")
    for pool in ("httpcore.ConnectionPool.__init__", "httpcore.AsyncConnectionPool.__init__"):
        lacking = [name for name in _POOL_PARAMETERS if name not in _parameters(_found(pool))]
        if lacking:
            missing.append(f"{pool} takes no {', '.join(lacking)}")
    if missing:
        raise ConfigurationError(
            f"hilos_client's transport needs {SUPPORTED_VERSIONS} (found httpx {httpx.__version__}, httpcore "
            f"{getattr(httpcore, '__version__', '?')}): {'; '.join(missing)}. Install supported versions "
            '(pip install "httpx>=0.28,<0.29" "httpcore>=1.0,<2")'
        )


# Checked before anything below uses these names: an httpcore without them fails here, saying so.
check_interfaces()


def _capped(timeout: float | None, error: type[httpcore.TimeoutException]) -> float | None:
    """`timeout`, or the time left of the current attempt when that is shorter; `error` when none is left."""
    ends = ATTEMPT_ENDS.get()
    if ends is None:
        return timeout
    left = ends - time.monotonic()
    if left <= 0:
        raise error("the attempt's time ran out")
    return left if timeout is None or timeout > left else timeout


class BoundedStream(httpcore.NetworkStream):
    """A sync network stream whose every operation ends by the current attempt's end."""

    __slots__ = ("_stream",)

    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _capped(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if len(buffer) <= _WRITE_PIECE:
            self._stream.write(buffer, _capped(timeout, httpcore.WriteTimeout))
            return
        view = memoryview(buffer)
        for start in range(0, len(buffer), _WRITE_PIECE):
            self._stream.write(bytes(view[start : start + _WRITE_PIECE]), _capped(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        capped = _capped(timeout, httpcore.ConnectTimeout)
        return BoundedStream(self._stream.start_tls(ssl_context, server_hostname, capped))

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class BoundedBackend(httpcore.NetworkBackend):
    """httpcore's sync backend (`httpcore.SyncBackend()` by default) with every stream a BoundedStream."""

    def __init__(self, backend: httpcore.NetworkBackend | None = None) -> None:
        self._backend: httpcore.NetworkBackend = httpcore.SyncBackend() if backend is None else backend

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: _SocketOptions | None = None,
    ) -> httpcore.NetworkStream:
        capped = _capped(timeout, httpcore.ConnectTimeout)
        return BoundedStream(self._backend.connect_tcp(host, port, capped, local_address, socket_options))

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: _SocketOptions | None = None
    ) -> httpcore.NetworkStream:
        capped = _capped(timeout, httpcore.ConnectTimeout)
        return BoundedStream(self._backend.connect_unix_socket(path, capped, socket_options))

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


class AsyncBoundedStream(httpcore.AsyncNetworkStream):
    """An async network stream whose every operation ends by the current attempt's end."""

    __slots__ = ("_stream",)

    def __init__(self, stream: httpcore.AsyncNetworkStream) -> None:
        self._stream = stream

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self._stream.read(max_bytes, _capped(timeout, httpcore.ReadTimeout))

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        # The default backend bounds one write as a whole (anyio.fail_after), however the buffer is taken.
        await self._stream.write(buffer, _capped(timeout, httpcore.WriteTimeout))

    async def aclose(self) -> None:
        await self._stream.aclose()

    async def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.AsyncNetworkStream:
        capped = _capped(timeout, httpcore.ConnectTimeout)
        return AsyncBoundedStream(await self._stream.start_tls(ssl_context, server_hostname, capped))

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


@functools.cache
def _asyncio_backend() -> httpcore.AsyncNetworkBackend:
    # Imported in a running asyncio loop only: a sync client's first request spares `import asyncio`.
    from .asyncio_backend import AsyncioBackend

    return AsyncioBackend()


class AsyncBoundedBackend(httpcore.AsyncNetworkBackend):
    """An async network backend with every stream an AsyncBoundedStream: by default our asyncio one
    (`asyncio_backend.AsyncioBackend`) in an asyncio event loop, httpcore's anyio backend
    (`httpcore.AnyIOBackend`) under any other (trio)."""

    def __init__(self, backend: httpcore.AsyncNetworkBackend | None = None) -> None:
        self._given = backend
        self._anyio: httpcore.AsyncNetworkBackend | None = None

    @property
    def _backend(self) -> httpcore.AsyncNetworkBackend:
        """The backend for the event loop running now (a connection is made in the loop that uses it)."""
        if self._given is not None:
            return self._given
        if sniffio.current_async_library() == "asyncio":
            return _asyncio_backend()
        anyio_backend = self._anyio
        if anyio_backend is None:
            # httpcore defines AnyIOBackend twice (a stand-in that raises when anyio is missing), and pyright
            # types it as either: the stand-in is no AsyncNetworkBackend.
            default: Any = httpcore.AnyIOBackend
            anyio_backend = self._anyio = default()
        return anyio_backend

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: _SocketOptions | None = None,
    ) -> httpcore.AsyncNetworkStream:
        capped = _capped(timeout, httpcore.ConnectTimeout)
        return AsyncBoundedStream(await self._backend.connect_tcp(host, port, capped, local_address, socket_options))

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: _SocketOptions | None = None
    ) -> httpcore.AsyncNetworkStream:
        capped = _capped(timeout, httpcore.ConnectTimeout)
        return AsyncBoundedStream(await self._backend.connect_unix_socket(path, capped, socket_options))

    async def sleep(self, seconds: float) -> None:
        await self._backend.sleep(seconds)


# httpcore's errors as httpx raises them (what httpx's own transport does), most specific first.
_ERRORS: tuple[tuple[type[Exception], type[httpx.TransportError]], ...] = (
    (httpcore.ConnectTimeout, httpx.ConnectTimeout),
    (httpcore.ReadTimeout, httpx.ReadTimeout),
    (httpcore.WriteTimeout, httpx.WriteTimeout),
    (httpcore.PoolTimeout, httpx.PoolTimeout),
    (httpcore.TimeoutException, httpx.TimeoutException),
    (httpcore.ConnectError, httpx.ConnectError),
    (httpcore.ReadError, httpx.ReadError),
    (httpcore.WriteError, httpx.WriteError),
    (httpcore.NetworkError, httpx.NetworkError),
    (httpcore.ProxyError, httpx.ProxyError),
    (httpcore.UnsupportedProtocol, httpx.UnsupportedProtocol),
    (httpcore.LocalProtocolError, httpx.LocalProtocolError),
    (httpcore.RemoteProtocolError, httpx.RemoteProtocolError),
    (httpcore.ProtocolError, httpx.ProtocolError),
)


def _as_httpx(exc: Exception) -> httpx.TransportError | None:
    for source, target in _ERRORS:
        if isinstance(exc, source):
            return target(str(exc))
    return None


def _core_request(request: httpx.Request) -> httpcore.Request:
    url = request.url
    return httpcore.Request(
        method=request.method,
        url=httpcore.URL(scheme=url.raw_scheme, host=url.raw_host, port=url.port, target=url.raw_path),
        headers=request.headers.raw,
        content=request.stream,
        extensions=request.extensions,
    )


class _ResponseStream(httpx.SyncByteStream):
    def __init__(self, stream: Iterable[bytes]) -> None:
        self._stream = stream

    def __iter__(self) -> Iterator[bytes]:
        try:
            yield from self._stream
        except Exception as exc:
            mapped = _as_httpx(exc)
            if mapped is None:
                raise
            raise mapped from exc

    def close(self) -> None:
        close = getattr(self._stream, "close", None)
        if close is not None:
            close()


class _AsyncResponseStream(httpx.AsyncByteStream):
    def __init__(self, stream: typing.AsyncIterable[bytes]) -> None:
        self._stream = stream

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for part in self._stream:
                yield part
        except Exception as exc:
            mapped = _as_httpx(exc)
            if mapped is None:
                raise
            raise mapped from exc

    async def aclose(self) -> None:
        aclose = getattr(self._stream, "aclose", None)
        if aclose is not None:
            await aclose()


def _pool_options(
    verify: ssl.SSLContext | str | bool, cert: Any, trust_env: bool, http1: bool, http2: bool, limits: httpx.Limits
) -> dict[str, Any]:
    return {
        "ssl_context": httpx.create_ssl_context(verify=verify, cert=cert, trust_env=trust_env),
        "max_connections": limits.max_connections,
        "max_keepalive_connections": limits.max_keepalive_connections,
        "keepalive_expiry": limits.keepalive_expiry,
        "http1": http1,
        "http2": http2,
    }


class BoundedTransport(httpx.BaseTransport):
    """httpx's HTTPTransport (same arguments, same defaults) over a BoundedBackend."""

    def __init__(
        self,
        verify: ssl.SSLContext | str | bool = True,
        cert: Any = None,
        trust_env: bool = True,
        http1: bool = True,
        http2: bool = False,
        limits: httpx.Limits = DEFAULT_LIMITS,
    ) -> None:
        check_interfaces()
        options = _pool_options(verify, cert, trust_env, http1, http2, limits)
        self._pool = httpcore.ConnectionPool(**options, network_backend=BoundedBackend())

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        try:
            response = self._pool.handle_request(_core_request(request))
        except Exception as exc:
            mapped = _as_httpx(exc)
            if mapped is None:
                raise
            raise mapped from exc
        stream = typing.cast(Iterable[bytes], response.stream)
        return httpx.Response(
            status_code=response.status,
            headers=response.headers,
            stream=_ResponseStream(stream),
            extensions=response.extensions,
        )

    def __enter__(self) -> BoundedTransport:
        self._pool.__enter__()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None = None,
        exc_value: BaseException | None = None,
        traceback: TracebackType | None = None,
    ) -> None:
        self._pool.__exit__(exc_type, exc_value, traceback)

    def close(self) -> None:
        self._pool.close()


class AsyncBoundedTransport(httpx.AsyncBaseTransport):
    """httpx's AsyncHTTPTransport (same arguments, same defaults) over an AsyncBoundedBackend."""

    def __init__(
        self,
        verify: ssl.SSLContext | str | bool = True,
        cert: Any = None,
        trust_env: bool = True,
        http1: bool = True,
        http2: bool = False,
        limits: httpx.Limits = DEFAULT_LIMITS,
    ) -> None:
        check_interfaces()
        options = _pool_options(verify, cert, trust_env, http1, http2, limits)
        self._pool = httpcore.AsyncConnectionPool(**options, network_backend=AsyncBoundedBackend())

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        try:
            response = await self._pool.handle_async_request(_core_request(request))
        except Exception as exc:
            mapped = _as_httpx(exc)
            if mapped is None:
                raise
            raise mapped from exc
        stream = typing.cast(typing.AsyncIterable[bytes], response.stream)
        return httpx.Response(
            status_code=response.status,
            headers=response.headers,
            stream=_AsyncResponseStream(stream),
            extensions=response.extensions,
        )

    async def __aenter__(self) -> AsyncBoundedTransport:
        await self._pool.__aenter__()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None = None,
        exc_value: BaseException | None = None,
        traceback: TracebackType | None = None,
    ) -> None:
        await self._pool.__aexit__(exc_type, exc_value, traceback)

    async def aclose(self) -> None:
        await self._pool.aclose()


# The httpx.Client arguments that configure its default transport: ours takes them instead.
_TRANSPORT_ARGUMENTS = ("verify", "cert", "trust_env", "http1", "http2", "limits")


def _environment_proxies() -> bool:
    from urllib.request import getproxies  # what httpx reads with trust_env (httpx imports it already)

    return any(scheme != "no" and url for scheme, url in getproxies().items())


def _httpx_transport_replaced(asynchronous: bool) -> bool:
    """Whether something replaced the request method of httpx's own transport: a recorder or mock of tests
    (vcrpy, pytest-recording) does, to answer from its recordings. Such a tool only sees requests sent through
    httpx's transport, so that one is kept for as long as the replacement lasts."""
    method = httpx.AsyncHTTPTransport.handle_async_request if asynchronous else httpx.HTTPTransport.handle_request
    # A wrapper made with functools.wraps (vcrpy's) copies the module name but also records what it wraps.
    return hasattr(method, "__wrapped__") or not getattr(method, "__module__", "").startswith("httpx.")


def with_bounded_transport(kwargs: dict[str, Any], *, asynchronous: bool) -> dict[str, Any]:
    """The arguments of an httpx client (`kwargs`) with our transport added, unless they name a transport,
    mounts or a proxy, proxies come from the environment, or a test tool replaced httpx's transport's request
    method: then httpx's own transport is kept."""
    if kwargs.get("transport") is not None or kwargs.get("mounts") or kwargs.get("proxy") is not None:
        return kwargs
    if kwargs.get("trust_env", True) and _environment_proxies():
        return kwargs
    if _httpx_transport_replaced(asynchronous):
        return kwargs
    chosen = {name: kwargs[name] for name in _TRANSPORT_ARGUMENTS if name in kwargs}
    transport = AsyncBoundedTransport(**chosen) if asynchronous else BoundedTransport(**chosen)
    return {**kwargs, "transport": transport}


__all__ = [
    "SUPPORTED_VERSIONS",
    "AsyncBoundedBackend",
    "AsyncBoundedStream",
    "AsyncBoundedTransport",
    "BoundedBackend",
    "BoundedStream",
    "BoundedTransport",
    "check_interfaces",
    "with_bounded_transport",
]
