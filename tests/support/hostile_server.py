"""A raw-socket HTTP server on 127.0.0.1 that answers as badly as a test asks: huge, endless or trickling
bodies, gzip bombs. It records what it managed to send, and whether the client hung up, so tests can prove
structurally that the client stopped reading (not just that it raised).

    with HostileServer(huge_body(500 * MiB)) as server:
        ... AuthenticatedClient(base_url=server.base_url, ...) ...
        assert server.max_bytes_sent() < ...

An `Answer` is a function `(connection: Connection) -> None` that writes the response; `Connection.send()`
counts the bytes and raises `ClientGone` when the client has closed its end.
"""

from __future__ import annotations

import contextlib
import gzip
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

MiB = 1024 * 1024
BASE_PATH = "/api/3"


class ClientGone(Exception):
    """The client closed the connection (or reset it) while the server was still writing."""


@dataclass
class Connection:
    sock: socket.socket
    request_head: bytes = b""
    bytes_sent: int = 0
    client_hung_up: bool = False
    finished: threading.Event = field(default_factory=threading.Event)

    def send(self, data: bytes) -> None:
        try:
            self.sock.sendall(data)
        except OSError as exc:
            self.client_hung_up = True
            raise ClientGone from exc
        self.bytes_sent += len(data)


Answer = Callable[[Connection], None]


class HostileServer:
    def __init__(self, answer: Answer) -> None:
        self.answer = answer
        self.connections: list[Connection] = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        # A small send buffer makes "the client stopped reading" visible quickly in bytes_sent.
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 64 * 1024)
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="hostile-server", daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._listener.getsockname()[:2]
        return f"http://{host}:{port}{BASE_PATH}"

    def __enter__(self) -> HostileServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stopping.set()
        self._listener.close()
        for connection in self.connections:
            connection.sock.close()

    def wait_for_all(self, timeout: float = 5.0) -> None:
        """Wait until every connection's answer has returned (the server noticed the client's end)."""
        for connection in list(self.connections):
            assert connection.finished.wait(timeout), "the server is still writing to a connection"

    def max_bytes_sent(self) -> int:
        return max((c.bytes_sent for c in self.connections), default=0)

    def _serve(self) -> None:
        while not self._stopping.is_set():
            try:
                sock, _ = self._listener.accept()
            except OSError:
                return
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 64 * 1024)
            connection = Connection(sock)
            self.connections.append(connection)
            threading.Thread(target=self._handle, args=(connection,), daemon=True).start()

    def _handle(self, connection: Connection) -> None:
        try:
            head = b""
            while b"\r\n\r\n" not in head:
                data = connection.sock.recv(65536)
                if not data:
                    return
                head += data
            connection.request_head = head
            self.answer(connection)
            # Wait for the client to close, so a keep-alive client does not see a reset mid-answer.
            connection.sock.settimeout(10)
            while connection.sock.recv(65536):
                pass
            connection.client_hung_up = True
        except ClientGone:
            pass
        except OSError:
            connection.client_hung_up = True
        finally:
            connection.finished.set()
            connection.sock.close()


def _head(status: int = 200, headers: dict[str, str] | None = None) -> bytes:
    lines = [f"HTTP/1.1 {status} X"] + [f"{name}: {value}" for name, value in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def _zeros(total: int, chunk: int = 64 * 1024) -> Iterator[bytes]:
    block = b"0" * chunk
    while total > 0:
        yield block[: min(chunk, total)]
        total -= chunk


def huge_body(size: int, *, status: int = 200, chunked: bool = False) -> Answer:
    """`size` bytes of body (Content-Length, or chunked encoding with no length announced)."""

    def answer(connection: Connection) -> None:
        if chunked:
            connection.send(_head(status, {"Content-Type": "application/json", "Transfer-Encoding": "chunked"}))
            for block in _zeros(size):
                connection.send(f"{len(block):x}\r\n".encode() + block + b"\r\n")
            connection.send(b"0\r\n\r\n")
        else:
            connection.send(_head(status, {"Content-Type": "application/json", "Content-Length": str(size)}))
            for block in _zeros(size):
                connection.send(block)

    return answer


def endless_body() -> Answer:
    """A chunked body that never ends (until the client hangs up)."""

    def answer(connection: Connection) -> None:
        connection.send(_head(200, {"Content-Type": "application/json", "Transfer-Encoding": "chunked"}))
        block = b"0" * 65536
        while True:
            connection.send(f"{len(block):x}\r\n".encode() + block + b"\r\n")

    return answer


def gzip_bomb(inflated_size: int) -> Answer:
    """A small gzip body that inflates to `inflated_size` bytes."""
    compressed = gzip.compress(b"\0" * inflated_size, compresslevel=9)

    def answer(connection: Connection) -> None:
        headers = {
            "Content-Type": "application/json",
            "Content-Encoding": "gzip",
            "Content-Length": str(len(compressed)),
        }
        connection.send(_head(200, headers) + compressed)

    return answer


def trickle(interval: float, total: int = 1000, *, status: int = 200) -> Answer:
    """Headers at once, then one byte of body every `interval` seconds (a read timeout never fires)."""

    def answer(connection: Connection) -> None:
        connection.send(_head(status, {"Content-Type": "application/json", "Content-Length": str(total)}))
        for _ in range(total):
            time.sleep(interval)
            connection.send(b" ")

    return answer


def trickled_head(interval: float, total: int = 200, *, status: int = 200) -> Answer:
    """The status line and headers one byte every `interval` seconds: a header value of `total` bytes, then
    an empty JSON body. No read waits long, so only a bound on the attempt as a whole stops it before the
    end (a client that waits it out gets an answer, and `bytes_sent` shows it)."""
    head = f"HTTP/1.1 {status} X\r\nX-Trickle: ".encode() + b"a" * total

    def answer(connection: Connection) -> None:
        for index in range(len(head)):
            connection.send(head[index : index + 1])
            time.sleep(interval)
        connection.send(b"\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")

    return answer


@contextlib.contextmanager
def unaccepting_listener() -> Iterator[str]:
    """The base URL of a loopback port that listens but never accepts, its backlog already full: a connect to
    it waits until the client gives up (the kernel drops the SYNs of a full queue)."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        fillers = [socket.socket() for _ in range(4)]
        try:
            for filler in fillers:
                filler.setblocking(False)
                with contextlib.suppress(BlockingIOError):
                    filler.connect(listener.getsockname())
            host, port = listener.getsockname()
            yield f"http://{host}:{port}{BASE_PATH}"
        finally:
            for filler in fillers:
                filler.close()
