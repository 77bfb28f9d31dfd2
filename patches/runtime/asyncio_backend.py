"""httpcore's network backend redone on asyncio itself: the one our async transport uses under asyncio.

httpcore's own async backend (`httpcore.AnyIOBackend`) goes through anyio's stream layer, which costs a cancel
scope per read and write, and answers httpcore's question "has this idle keep-alive connection been closed by
the server?" (`get_extra_info("is_readable")`, asked of every idle connection of the pool on each request and
each release) with a poll() system call. Reading a listing 8 pages at a time is CPU-bound at a few ms of
latency, and those two were the largest costs of the transport. Here one `asyncio.Protocol` per connection
keeps what arrives in a buffer: a read takes from it, waiting (with one timer when it has a timeout) only when
it is empty, and "is readable" is the protocol's own state: data buffered, or the end of the stream seen.

It answers httpcore's `NetworkStream` interface as httpcore's anyio backend does: the same timeout and error
types (httpcore's `ConnectTimeout`, `ReadTimeout`, `WriteTimeout`, `ConnectError`, `ReadError`, `WriteError`),
b"" at the end of the stream, and the same extra info (`ssl_object`, `client_addr`, `server_addr`, `socket`,
`is_readable`). Writes are flow controlled like `asyncio.StreamWriter.drain()`: a write returns once the
transport's buffer is under its high-water mark, and its timeout bounds the wait for that; reading is paused
while more than `_READ_HIGH_WATER` bytes wait unread. Under trio (or anything but asyncio) network.py keeps
httpcore's anyio backend.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
from collections import deque
from collections.abc import Iterable
from typing import Any

import httpcore

# Reading is paused while this much waits unread (httpcore reads at most 64 KiB at a time), resumed below LOW.
_READ_HIGH_WATER = 256 * 1024
_READ_LOW_WATER = 64 * 1024
# anyio's delay between connection attempts to a host's addresses (RFC 8305, "happy eyeballs"), kept.
_HAPPY_EYEBALLS_DELAY = 0.25


def _expire(waiter: asyncio.Future[bool]) -> None:
    if not waiter.done():
        waiter.set_result(False)


def _wake(waiter: asyncio.Future[bool] | None) -> None:
    if waiter is not None and not waiter.done():
        waiter.set_result(True)


class _Connection(asyncio.Protocol):
    """The state of one connection as asyncio reports it: bytes received and not yet read, the end of the
    stream, and whether the transport's write buffer is full."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.received: deque[bytes] = deque()
        self.buffered = 0
        self.ended = False  # the peer sent its end of the stream, or the connection is gone
        self.lost: BaseException | None = None  # why the connection was lost, when it was by an error
        self.closed = False  # closed by us
        self.tls = False
        self.reading_paused = False
        self.writing_paused = False
        self.reader: asyncio.Future[bool] | None = None  # a read waiting for data: True when woken, False on timeout
        self.writer: asyncio.Future[bool] | None = None  # a write waiting for room in the transport's buffer

    # -- asyncio.Protocol ----------------------------------------------------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]  # create_connection gives a Transport

    def data_received(self, data: bytes) -> None:
        self.received.append(data)
        self.buffered += len(data)
        if self.buffered > _READ_HIGH_WATER and not self.reading_paused and self.transport is not None:
            self.reading_paused = True
            self.transport.pause_reading()
        _wake(self.reader)

    def eof_received(self) -> bool:
        self.ended = True
        _wake(self.reader)
        # Over plain TCP, keep our half open as a socket would (a request may still be being written); a TLS
        # transport cannot, and says so in a warning when asked.
        return not self.tls

    def connection_lost(self, exc: Exception | None) -> None:
        self.ended = True
        self.lost = exc
        _wake(self.reader)
        _wake(self.writer)

    def pause_writing(self) -> None:
        self.writing_paused = True

    def resume_writing(self) -> None:
        self.writing_paused = False
        _wake(self.writer)


async def _wait(connection: _Connection, timeout: float | None, *, reading: bool) -> bool:
    """Wait until the connection wakes a reader (`reading`) or a writer; False when `timeout` ran out first."""
    loop = asyncio.get_running_loop()
    waiter: asyncio.Future[bool] = loop.create_future()
    if reading:
        connection.reader = waiter
    else:
        connection.writer = waiter
    timer = None if timeout is None else loop.call_later(max(timeout, 0.0), _expire, waiter)
    try:
        return await waiter
    finally:
        if reading:
            connection.reader = None
        else:
            connection.writer = None
        if timer is not None:
            timer.cancel()


def _address(address: Any) -> Any:
    # anyio gives (host, port) for IPv6 too, where the socket gives (host, port, flowinfo, scope_id).
    return address[:2] if isinstance(address, tuple) and len(address) == 4 else address


class AsyncioStream(httpcore.AsyncNetworkStream):
    """One connection of the asyncio backend, as httpcore uses it."""

    __slots__ = ("_connection",)

    def __init__(self, connection: _Connection) -> None:
        self._connection = connection

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        connection = self._connection
        while not connection.received:
            if connection.closed:
                raise httpcore.ReadError("the connection is closed")
            if connection.ended:
                if connection.lost is not None:
                    raise httpcore.ReadError(str(connection.lost) or type(connection.lost).__name__)
                return b""
            if not await _wait(connection, timeout, reading=True):
                raise httpcore.ReadTimeout("timed out reading")
        data = connection.received.popleft()
        if len(data) > max_bytes:
            connection.received.appendleft(data[max_bytes:])
            data = data[:max_bytes]
        connection.buffered -= len(data)
        if connection.reading_paused and connection.buffered < _READ_LOW_WATER and connection.transport is not None:
            connection.reading_paused = False
            connection.transport.resume_reading()
        return data

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if not buffer:
            return
        connection = self._connection
        transport = connection.transport
        if connection.closed or connection.lost is not None or transport is None or transport.is_closing():
            raise httpcore.WriteError(str(connection.lost or "the connection is closed"))
        transport.write(buffer)
        while connection.writing_paused:
            if not await _wait(connection, timeout, reading=False):
                raise httpcore.WriteTimeout("timed out writing")
            if connection.lost is not None or transport.is_closing():
                raise httpcore.WriteError(str(connection.lost or "the connection is closed"))

    async def aclose(self) -> None:
        connection = self._connection
        transport = connection.transport
        if connection.closed or transport is None:
            return
        connection.closed = True
        # As anyio does: close (buffered bytes go first), let the loop run once so the socket is closed while
        # it still runs (asyncio.run may end right after), then drop whatever a peer that reads nothing left.
        transport.close()
        try:
            await asyncio.sleep(0)
        finally:
            transport.abort()

    async def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.AsyncNetworkStream:
        connection = self._connection
        if connection.transport is None or connection.closed:
            raise httpcore.ConnectError("the connection is closed")
        loop = asyncio.get_running_loop()
        connection.tls = True
        try:
            transport = await asyncio.wait_for(
                loop.start_tls(connection.transport, connection, ssl_context, server_hostname=server_hostname),
                timeout,
            )
        except BaseException as exc:
            await self.aclose()
            if isinstance(exc, TimeoutError):
                raise httpcore.ConnectTimeout(str(exc)) from exc
            if isinstance(exc, OSError):  # ssl.SSLError included
                raise httpcore.ConnectError(str(exc)) from exc
            raise
        if transport is None:  # the server closed the connection during the handshake
            await self.aclose()
            raise httpcore.ConnectError("the connection closed during the TLS handshake")
        connection.transport = transport
        return AsyncioStream(connection)

    def get_extra_info(self, info: str) -> Any:
        connection = self._connection
        if info == "is_readable":
            # What httpcore asks of an idle keep-alive connection: readable means data or the end of the stream
            # arrived, that is, the server closed it (or broke the protocol): the pool drops it.
            return bool(connection.received) or connection.ended or connection.closed
        transport = connection.transport
        if transport is None:
            return None
        if info == "ssl_object":
            return transport.get_extra_info("ssl_object")
        if info == "client_addr":
            return _address(transport.get_extra_info("sockname"))
        if info == "server_addr":
            return _address(transport.get_extra_info("peername"))
        if info == "socket":
            return transport.get_extra_info("socket")
        return None


_SocketOptions = Iterable[Any]


class AsyncioBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend on asyncio's transports and protocols (must run in an asyncio event loop)."""

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: _SocketOptions | None = None,
    ) -> httpcore.AsyncNetworkStream:
        loop = asyncio.get_running_loop()
        connecting = loop.create_connection(
            _Connection,
            host,
            port,
            local_addr=None if local_address is None else (local_address, 0),
            happy_eyeballs_delay=_HAPPY_EYEBALLS_DELAY,
        )
        return await _connected(connecting, timeout, socket_options)

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: _SocketOptions | None = None
    ) -> httpcore.AsyncNetworkStream:
        loop = asyncio.get_running_loop()
        return await _connected(loop.create_unix_connection(_Connection, path), timeout, socket_options)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


async def _connected(
    connecting: Any, timeout: float | None, socket_options: _SocketOptions | None
) -> httpcore.AsyncNetworkStream:
    try:
        transport, connection = await asyncio.wait_for(connecting, timeout)
    except TimeoutError as exc:
        raise httpcore.ConnectTimeout(str(exc)) from exc
    except OSError as exc:
        raise httpcore.ConnectError(str(exc)) from exc
    try:
        sock: socket.socket = transport.get_extra_info("socket")
        for option in socket_options or ():
            sock.setsockopt(*option)
    except BaseException:
        transport.close()
        raise
    return AsyncioStream(connection)


__all__ = ["AsyncioBackend", "AsyncioStream"]
