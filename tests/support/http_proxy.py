"""A forward HTTP proxy on 127.0.0.1 that records what passes through it (plain http:// only, no CONNECT).

A client configured with `proxy=proxy.url` sends it each request in absolute form (`GET http://host:port/path`);
the proxy forwards it to that loopback origin (any other host gets 403, so nothing leaves the machine) and
relays the answer. `proxy.requests` holds each forwarded request: its method, absolute target and headers.
"""

from __future__ import annotations

import http.client
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

# Headers that belong to one hop (RFC 9110, 7.6.1): not forwarded either way.
_HOP_BY_HOP = frozenset(
    {"connection", "keep-alive", "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding"}
)


@dataclass(frozen=True)
class ProxiedRequest:
    method: str
    target: str
    """The absolute-form target, as the client sent it ("http://127.0.0.1:8000/api/3/...")."""
    headers: dict[str, str]


class HttpProxy:
    def __init__(self) -> None:
        self.requests: list[ProxiedRequest] = []
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.01}, name="http-proxy", daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def record(self, request: ProxiedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def __enter__(self) -> HttpProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)


def _handler(proxy: HttpProxy) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
            pass

        def do_GET(self) -> None:
            self._forward()

        do_POST = do_PUT = do_PATCH = do_DELETE = do_GET

        def _forward(self) -> None:
            target = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {name: value for name, value in self.headers.items() if name.lower() not in _HOP_BY_HOP}
            proxy.record(ProxiedRequest(self.command, self.path, dict(self.headers.items())))
            if target.scheme != "http" or target.hostname not in ("127.0.0.1", "localhost"):
                self._reply(403, [], b"this test proxy forwards to the loopback only")
                return
            upstream = http.client.HTTPConnection(target.hostname, target.port or 80, timeout=30)
            try:
                path = target.path + (f"?{target.query}" if target.query else "")
                upstream.request(self.command, path or "/", body=body or None, headers=headers)
                answer = upstream.getresponse()
                relayed = [(name, value) for name, value in answer.getheaders() if name.lower() not in _HOP_BY_HOP]
                self._reply(answer.status, relayed, answer.read())
            finally:
                upstream.close()

        def _reply(self, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
            self.send_response(status)
            for name, value in headers:
                if name.lower() not in ("content-length", "date", "server"):  # send_response wrote its own
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler
