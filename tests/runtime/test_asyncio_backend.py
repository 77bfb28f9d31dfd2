"""The asyncio network backend of the async transport (`_runtime/asyncio_backend.py`), against real servers on
127.0.0.1: reads, writes and their timeouts, the end of the stream, flow control both ways, a keep-alive
connection the server closed while idle, TLS, and that it is the backend the clients use under asyncio.

The end-to-end probes of the transport (trickled headers, a connection never accepted, huge bodies) run through
it too: tests/runtime/hostile/."""

from __future__ import annotations

import asyncio
import datetime
import ipaddress
import socket
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpcore
import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from hilos_client import AuthenticatedClient
from hilos_client._runtime import asyncio_backend, network

from tests.support.fake_hilos import TOKEN, FakeHilosServer
from tests.support.operation_cases import OperationCase, each_operation

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]
BACKEND = asyncio_backend.AsyncioBackend()


@asynccontextmanager
async def serving(handler: Handler, ssl_context: ssl.SSLContext | None = None) -> AsyncIterator[int]:
    """A server on 127.0.0.1 running `handler` for each connection, in this event loop; yields its port."""
    handlers: list[asyncio.Task[None]] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        handlers.append(asyncio.current_task())  # type: ignore[arg-type]
        try:
            await handler(reader, writer)
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0, ssl=ssl_context)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        server.close()
        for task in handlers:
            task.cancel()
        await asyncio.gather(*handlers, return_exceptions=True)


async def read_all(stream: httpcore.AsyncNetworkStream, timeout: float = 5.0) -> bytes:
    received = b""
    while chunk := await stream.read(64 * 1024, timeout):
        received += chunk
    return received


async def until(condition: Callable[[], bool]) -> None:
    """Let the loop run until `condition()` holds (the loop has seen what the peer did)."""
    for _ in range(1000):
        if condition():
            return
        await asyncio.sleep(0.005)
    raise AssertionError("the condition never held")


async def test_reads_return_what_the_server_sent_then_b_at_the_end_of_the_stream() -> None:
    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(await reader.readexactly(5) + b" back")
        await writer.drain()

    async with serving(answer) as port:
        stream = await BACKEND.connect_tcp("127.0.0.1", port, timeout=5.0)
        await stream.write(b"hello", timeout=5.0)
        assert await read_all(stream) == b"hello back"
        assert await stream.read(10, 1.0) == b"", "the end of the stream stays the end"
        await stream.aclose()


async def test_a_read_takes_at_most_max_bytes_and_keeps_the_rest() -> None:
    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(b"0123456789")
        await writer.drain()
        await reader.read()

    async with serving(answer) as port:
        stream = await BACKEND.connect_tcp("127.0.0.1", port)
        await until(lambda: stream.get_extra_info("is_readable"))
        assert [await stream.read(4) for _ in range(3)] == [b"0123", b"4567", b"89"]
        await stream.aclose()


async def test_a_read_with_nothing_coming_raises_httpcores_read_timeout_and_the_stream_still_works() -> None:
    release = asyncio.Event()

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await release.wait()
        writer.write(b"late")
        await writer.drain()

    async with serving(answer) as port:
        stream = await BACKEND.connect_tcp("127.0.0.1", port)
        with pytest.raises(httpcore.ReadTimeout):
            await stream.read(10, timeout=0.05)
        release.set()
        assert await stream.read(10, timeout=5.0) == b"late"
        await stream.aclose()


async def test_a_cancelled_read_leaves_no_waiter_behind() -> None:
    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read()

    async with serving(answer) as port:
        stream = await BACKEND.connect_tcp("127.0.0.1", port)
        reading = asyncio.create_task(stream.read(10, timeout=60.0))
        await asyncio.sleep(0.01)
        reading.cancel()
        with pytest.raises(asyncio.CancelledError):
            await reading
        connection = stream._connection  # type: ignore[attr-defined]
        assert connection.reader is None
        await stream.aclose()


async def test_a_reset_connection_raises_httpcores_read_error() -> None:
    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        sock = writer.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")  # RST on close
        writer.transport.abort()

    async with serving(answer) as port:
        stream = await BACKEND.connect_tcp("127.0.0.1", port)
        with pytest.raises((httpcore.ReadError, httpcore.ReadTimeout)) as raised:
            await read_all(stream)
        assert raised.type is httpcore.ReadError
        await stream.aclose()


async def test_a_closed_stream_refuses_reads_and_writes() -> None:
    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read()

    async with serving(answer) as port:
        stream = await BACKEND.connect_tcp("127.0.0.1", port)
        await stream.aclose()
        with pytest.raises(httpcore.ReadError):
            await stream.read(10, 1.0)
        with pytest.raises(httpcore.WriteError):
            await stream.write(b"x", 1.0)
        assert stream.get_extra_info("is_readable"), "httpcore drops a connection that reads as readable"


async def test_a_big_body_arrives_whole_and_reading_pauses_while_it_waits_unread() -> None:
    body = bytes(range(256)) * (16 * 1024)  # 4 MiB

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(body)
        await writer.drain()

    async with serving(answer) as port:
        stream = await BACKEND.connect_tcp("127.0.0.1", port)
        connection = stream._connection  # type: ignore[attr-defined]
        await until(lambda: connection.reading_paused)
        await asyncio.sleep(0.05)  # the server keeps sending; nothing more is taken in
        assert connection.buffered <= asyncio_backend._READ_HIGH_WATER + 256 * 1024
        assert await read_all(stream) == body
        assert not connection.reading_paused
        await stream.aclose()


async def test_a_write_the_server_does_not_read_raises_httpcores_write_timeout() -> None:
    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(60)  # never reads

    async with serving(answer) as port:
        stream = await BACKEND.connect_tcp("127.0.0.1", port)
        with pytest.raises(httpcore.WriteTimeout):
            for _ in range(1000):  # the kernel's buffers take some megabytes first
                await stream.write(b"x" * (1024 * 1024), timeout=0.1)
        await stream.aclose()


async def test_a_write_that_fits_returns_and_the_server_gets_it_all() -> None:
    received: list[bytes] = []
    body = b"y" * (3 * 1024 * 1024)

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        received.append(await reader.readexactly(len(body)))

    async with serving(answer) as port:
        stream = await BACKEND.connect_tcp("127.0.0.1", port)
        await stream.write(body, timeout=5.0)
        await until(lambda: bool(received))
        assert received == [body]
        await stream.aclose()


async def test_is_readable_is_what_httpcore_asks_of_an_idle_connection() -> None:
    """Not readable while idle and open; readable once data or the end of the stream arrived unread (a
    keep-alive connection the server closed: httpcore drops it instead of sending on it)."""
    send = asyncio.Event()
    close = asyncio.Event()

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await send.wait()
        writer.write(b"x")
        await writer.drain()
        await close.wait()

    async with serving(answer) as port:
        stream = await BACKEND.connect_tcp("127.0.0.1", port)
        await asyncio.sleep(0.02)
        assert stream.get_extra_info("is_readable") is False
        send.set()
        await until(lambda: stream.get_extra_info("is_readable"))
        assert await stream.read(10) == b"x"
        assert stream.get_extra_info("is_readable") is False
        close.set()
        await until(lambda: stream.get_extra_info("is_readable"))
        assert await stream.read(10) == b""
        await stream.aclose()


async def test_a_keep_alive_connection_the_server_closed_while_idle_is_replaced_without_an_error() -> None:
    connections: list[int] = []
    answer_head = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok"

    async def answer_once_then_close(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(writer.get_extra_info("peername")[1])
        await reader.readuntil(b"\r\n\r\n")
        writer.write(answer_head)
        await writer.drain()
        await asyncio.sleep(0.05)  # then the server's keep-alive timeout: it closes the idle connection

    async with serving(answer_once_then_close) as port:
        async with httpx.AsyncClient(transport=network.AsyncBoundedTransport()) as client:
            first = await client.get(f"http://127.0.0.1:{port}/")
            # The transport's stream over ours: wait until the loop has seen the server's end of the stream.
            seen = first.extensions["network_stream"]._stream._connection
            await until(lambda: seen.ended)
            second = await client.get(f"http://127.0.0.1:{port}/")
    assert (first.text, second.text) == ("ok", "ok")
    assert len(connections) == 2, "the second request went on a new connection"
    assert second.extensions["network_stream"].get_extra_info("client_addr")[1] == connections[1]


async def test_extra_info_answers_as_httpcores_backends_do() -> None:
    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read()

    async with serving(answer) as port:
        stream = await BACKEND.connect_tcp(
            "127.0.0.1", port, socket_options=[(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)]
        )
        sock = stream.get_extra_info("socket")
        assert stream.get_extra_info("server_addr") == ("127.0.0.1", port)
        assert stream.get_extra_info("client_addr") == sock.getsockname()
        assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE) == 1, "socket options are set"
        assert stream.get_extra_info("ssl_object") is None
        assert stream.get_extra_info("anything else") is None
        await stream.aclose()


async def test_a_refused_connection_raises_httpcores_connect_error() -> None:
    with socket.socket() as bound:
        bound.bind(("127.0.0.1", 0))  # bound, never listening: connections are refused
        with pytest.raises(httpcore.ConnectError):
            await BACKEND.connect_tcp("127.0.0.1", bound.getsockname()[1], timeout=5.0)


# -- TLS ------------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and its key, as PEM files."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_file, key_file


def server_context(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    return context


async def answer_ok(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    while True:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\nsecured")
        await writer.drain()


async def test_https_goes_over_tls_and_reuses_the_connection(certificate: tuple[Path, Path]) -> None:
    verify = ssl.create_default_context(cafile=str(certificate[0]))
    async with serving(answer_ok, server_context(certificate)) as port:
        async with httpx.AsyncClient(transport=network.AsyncBoundedTransport(verify=verify)) as client:
            responses = [await client.get(f"https://127.0.0.1:{port}/") for _ in range(2)]
    assert [response.text for response in responses] == ["secured", "secured"]
    streams = [response.extensions["network_stream"] for response in responses]
    assert isinstance(streams[0].get_extra_info("ssl_object"), ssl.SSLObject)
    assert streams[0].get_extra_info("client_addr") == streams[1].get_extra_info("client_addr")


async def test_a_certificate_not_trusted_fails_the_handshake_with_a_connect_error(
    certificate: tuple[Path, Path],
) -> None:
    async with serving(answer_ok, server_context(certificate)) as port:
        async with httpx.AsyncClient(transport=network.AsyncBoundedTransport()) as client:
            with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
                await client.get(f"https://127.0.0.1:{port}/")


async def test_a_handshake_the_server_never_answers_raises_httpcores_connect_timeout() -> None:
    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(60)

    async with serving(silent) as port:
        stream = await BACKEND.connect_tcp("127.0.0.1", port)
        with pytest.raises(httpcore.ConnectTimeout):
            await stream.start_tls(ssl.create_default_context(), "127.0.0.1", timeout=0.1)


# -- which backend ---------------------------------------------------------------------------------------------
def test_outside_asyncio_the_transport_keeps_httpcores_anyio_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    backend = network.AsyncBoundedBackend()
    monkeypatch.setattr("sniffio.current_async_library", lambda: "trio")
    assert isinstance(backend._backend, httpcore.AnyIOBackend)
    monkeypatch.setattr("sniffio.current_async_library", lambda: "asyncio")
    assert isinstance(backend._backend, asyncio_backend.AsyncioBackend)


@each_operation()
async def test_every_operation_under_asyncio_goes_over_the_asyncio_backend(
    case: OperationCase, monkeypatch: pytest.MonkeyPatch
) -> None:
    connected: list[Any] = []
    connect = asyncio_backend.AsyncioBackend.connect_tcp

    async def recording(self: Any, *args: Any, **kwargs: Any) -> httpcore.AsyncNetworkStream:
        stream = await connect(self, *args, **kwargs)
        connected.append(stream)
        return stream

    monkeypatch.setattr(asyncio_backend.AsyncioBackend, "connect_tcp", recording)
    with FakeHilosServer() as server:
        server.serve_spec()
        async with AuthenticatedClient(base_url=server.base_url, token=TOKEN) as client:
            response = await case.module().asyncio_detailed(client=client, **case.required_arguments())
    assert response.status_code == case.success_status
    assert len(connected) == 1 and isinstance(connected[0], asyncio_backend.AsyncioStream)
