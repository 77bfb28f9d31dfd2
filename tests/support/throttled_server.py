"""A loopback HTTP server that enforces the API's documented rate limit, and records how it was used.

Like ActiveCampaign's v3 API (`/work/shared/upstream/rate-limits.md` in the lead's notes; README "Rate
limit"): at most `rate` requests per sliding one-second window per account, shared by every token of the
account; beyond it `429 Too Many Requests` with `Retry-After: <whole seconds>`; every answer carries
`RateLimit-Limit` and `RateLimit-Remaining`. It serves Django REST framework pages of generic items for any
GET path (so any listing operation reads `total` items), after `latency` seconds.

What the tests assert on, by structure rather than by the clock of the test:

- `arrivals`: every request, with its arrival time (`time.monotonic()` of this process), account and page;
- `rejections`: every 429 it sent, with its time and Retry-After;
- `max_in_window()`: the most requests of an account that arrived within any one-second window;
- `arrivals_during_pauses()`: requests that arrived while a Retry-After the server had sent was running.

Only 127.0.0.1 is ever bound.
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.support.fake_hilos import TOKEN, make_contact

BASE_PATH = "/api/3"
WINDOW = 1.0


@dataclass(frozen=True)
class Arrival:
    at: float
    account: str
    path: str
    page: int
    status: int


@dataclass(frozen=True)
class Rejection:
    at: float
    account: str
    retry_after: int


def one_account(authorization: str) -> str:
    """Every token belongs to one account (the default): the budget is the account's, not the key's."""
    del authorization
    return "account"


class ThrottledServer:
    def __init__(
        self,
        *,
        rate: int = 5,
        retry_after: int = 30,
        latency: float = 0.05,
        total: int = 1000,
        page_size: int = 100,
        item: Callable[[int], dict[str, Any]] = make_contact,
        account_of: Callable[[str], str] = one_account,
        send_rate_headers: bool = True,
    ) -> None:
        self.rate = rate
        self.retry_after = retry_after
        self.latency = latency
        self.total = total
        self.max_page_size = page_size
        self.item = item
        self.account_of = account_of
        self.send_rate_headers = send_rate_headers
        self.token = TOKEN
        self.arrivals: list[Arrival] = []
        self.rejections: list[Rejection] = []
        # Admitted requests per account, for the sliding window (rejected ones do not use the budget).
        self._admitted: dict[str, list[float]] = {}
        self._lock = threading.Lock()
        self._pages: dict[tuple[int, int], bytes] = {}
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="throttled-server", daemon=True)

    def __enter__(self) -> ThrottledServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(5)

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}{BASE_PATH}"

    # -- what the tests read ---------------------------------------------------------------------------
    def admitted(self, account: str | None = None) -> list[Arrival]:
        return [a for a in self.arrivals if a.status != 429 and (account is None or a.account == account)]

    def max_in_window(self, account: str | None = None, window: float = WINDOW) -> int:
        """The most requests (of `account`, or of all) that arrived within any `window` seconds."""
        times = sorted(a.at for a in self.arrivals if account is None or a.account == account)
        most, start = 0, 0
        for end, at in enumerate(times):
            while at - times[start] >= window:
                start += 1
            most = max(most, end - start + 1)
        return most

    def arrivals_during_pauses(self) -> list[Arrival]:
        """Requests that arrived after a 429 to their account and before its Retry-After had passed."""
        return [
            a
            for a in self.arrivals
            for r in self.rejections
            if a.account == r.account and r.at < a.at < r.at + r.retry_after
        ]

    # -- the server's side -----------------------------------------------------------------------------
    def _decide(self, account: str) -> tuple[float, int, int]:
        """(arrival time, status, remaining) of a request arriving now."""
        with self._lock:
            now = time.monotonic()
            recent = [t for t in self._admitted.get(account, []) if t > now - WINDOW]
            if len(recent) >= self.rate:
                self._admitted[account] = recent
                self.rejections.append(Rejection(now, account, self.retry_after))
                return now, 429, 0
            recent.append(now)
            self._admitted[account] = recent
            return now, 200, self.rate - len(recent)

    def _page(self, number: int, size: int) -> bytes | None:
        pages = max(1, math.ceil(self.total / size))
        if number < 1 or number > pages:
            return None
        key = (number, size)
        body = self._pages.get(key)
        if body is None:
            start = (number - 1) * size
            results = [self.item(index) for index in range(start, min(start + size, self.total))]
            payload = {
                "count": self.total,
                "next": None if number == pages else f"{self.base_url}/?page={number + 1}",
                "previous": None if number == 1 else f"{self.base_url}/?page={number - 1}",
                "results": results,
            }
            body = self._pages[key] = json.dumps(payload).encode()
        return body

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        authorization = handler.headers.get("Authorization", "")
        if authorization != f"Token {self.token}" and not authorization.startswith("Token "):
            handler.send_response(401)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        account = self.account_of(authorization)
        url = urlsplit(handler.path)
        query = parse_qs(url.query)
        try:
            number = int(query.get("page", ["1"])[0])
            size = min(int(query.get("page_size", ["10"])[0]), self.max_page_size)
        except ValueError:
            number, size = 0, 1
        at, status, remaining = self._decide(account)
        with self._lock:
            self.arrivals.append(Arrival(at, account, url.path, number, status))
        if self.latency:
            time.sleep(self.latency)
        if status == 429:
            body = json.dumps({"message": "Too Many Requests"}).encode()
            headers = {"Retry-After": str(self.retry_after)}
        else:
            page = self._page(number, max(size, 1))
            status, body = (200, page) if page is not None else (404, b'{"detail": "Invalid page."}')
            headers = {}
        if self.send_rate_headers:
            headers |= {"RateLimit-Limit": str(self.rate), "RateLimit-Remaining": str(remaining)}
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(body)


def _make_handler(server: ThrottledServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            server.answer(self)

    return Handler


__all__ = ["Arrival", "Rejection", "ThrottledServer", "one_account"]
