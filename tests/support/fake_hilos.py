"""A real HTTP server on 127.0.0.1 that behaves like the Hilos API, with fault injection.

It serves `GET <base path>/channel/whatsapp/flow-execution-contact` with Django REST framework's
page-number pagination (count / next / previous / results, 404 {"detail": "Invalid page."} past the end)
from an in-memory list, and records every request it receives. Tests steer it with:

- `server.contacts`: the data (replace or mutate it between requests to make data shrink or grow);
- `server.latency`: seconds to sleep before every answer;
- `server.gate()`: an Event that holds whatever waits on it (`server.hold(gate)` in a handler) until the test
  sets it, or the server stops; with `server.in_flight`, `server.peak_in_flight`, `server.finished` (requests
  whose answer was sent, or whose connection was dropped) and `server.wait_until(...)`, tests prove
  concurrency and cancellation by counting instead of timing;
- `server.faults`: a queue of `Fault`s, each consumed by one request before normal handling
  (a status and body, a delay, a connection reset, raw bytes, a redirect);
- `server.handler`: a function `(RecordedRequest) -> Fault | None` for anything else (it runs before the
  page is cut, so it can also change `server.contacts` for this and later requests);
- `server.max_page_size`: the cap DRF applies to `page_size` (None: no cap);
- `server.link_origin`: the origin written into `next` / `previous` links (another server's, to make them
  hostile);
- `server.route(method, path_template, answer)`: serve another operation (for a spec the API gains),
  `answer(request, path_params) -> Fault`, behind the same token check; `page_of()` cuts DRF pages for it.
- `FakeHilosServer(validate_requests=True)`: every request is checked against the patched spec by openapi-core
  (`tests/support/spec_validation.py`); `server.request_checks` holds one `RequestCheck` per request (what
  openapi-core unmarshalled) and `server.validation_errors` the failures, one line each;
- `server.serve_spec()`: route every operation of the spec (`hilos_client._spec.OPERATIONS`); each answers with
  the next `Fault` queued in `server.spec_answers[<operation name>]`, else (a paginated listing given items in
  `server.listings[<operation name>]`) DRF pages of them, else the sparsest body its success status allows.

It listens on 127.0.0.1, or on the IPv6 loopback with `FakeHilosServer(host="::1")` (`origin` then has it in
brackets). Only loopback addresses are ever bound or contacted.
"""

from __future__ import annotations

import json
import math
import re
import socket
import struct
import sys
import threading
import time
import uuid
from collections import defaultdict, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlencode, urlsplit

if TYPE_CHECKING:
    from tests.support.spec_validation import RequestCheck

LIST_PATH = "/channel/whatsapp/flow-execution-contact"
BASE_PATH = "/api/3"
TOKEN = "test-token-not-a-secret"
STATUSES = ("READY", "RUNNING", "COMPLETED", "CANCELED", "EXPIRED", "FAILED")
ACTIVE_STATUSES = ("READY", "RUNNING")
DEFAULT_PAGE_SIZE = 10
# How long a gate holds an answer at most: a client that wrongly waits for a held answer then fails its test
# (the answer came) instead of hanging it.
GATE_TIMEOUT = 10.0


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes
    received_at: float = field(default_factory=time.monotonic)

    @property
    def params(self) -> dict[str, list[str]]:
        return parse_qs(self.query, keep_blank_values=True)

    def param(self, name: str) -> str | None:
        values = self.params.get(name)
        return values[0] if values else None


@dataclass
class Fault:
    """One scripted answer. `status` with `body` (bytes, str or JSON-able) and `headers`; or `reset=True`
    to drop the connection without an answer; `delay` seconds first (works with either)."""

    status: int | None = None
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    reset: bool = False
    content_type: str | None = None

    def encoded_body(self) -> tuple[bytes, str]:
        if isinstance(self.body, bytes):
            return self.body, self.content_type or "application/octet-stream"
        if isinstance(self.body, str):
            return self.body.encode(), self.content_type or "text/plain; charset=utf-8"
        if self.body is None:
            return b"", self.content_type or "text/plain"
        return json.dumps(self.body).encode(), self.content_type or "application/json"


RouteAnswer = Callable[[RecordedRequest, dict[str, str]], Fault]


def make_contact(index: int, *, status: str | None = None, flow: str | None = None) -> dict[str, Any]:
    """One spec-valid flow execution contact, deterministic for a given index."""
    return {
        "id": str(uuid.UUID(int=index + 1)),
        "contact": {
            "id": str(uuid.UUID(int=10_000_000 + index)),
            "phone": f"+52155{index:08d}",
            "first_name": f"First{index}",
            "last_name": None,
            "email": f"user{index}@example.com",
            "meta": {"index": index},
            "canonical_phone": f"+52155{index:08d}",
            "is_deleted": False,
            "created_on": "2024-01-02T03:04:05.123456Z",
            "last_updated_on": "2024-01-03T03:04:05Z",
            "source": "api",
            "external_url": None,
        },
        "status": status or STATUSES[index % len(STATUSES)],
        "created_on": "2024-01-02T03:04:05.123456+00:00",
        "status_reason": None,
        "is_test": False,
        "flow_version": str(uuid.UUID(int=20_000_000 + index)),
        "flow": flow or str(uuid.UUID(int=30_000_000)),
        "flow_name": "Onboarding",
    }


def make_contacts(count: int, **kwargs: Any) -> list[dict[str, Any]]:
    return [make_contact(i, **kwargs) for i in range(count)]


def make_realistic_contact(index: int) -> dict[str, Any]:
    """A flow execution contact as the API sends it in production (about 800 bytes of JSON): the minimal
    `make_contact` plus the nested `meta`, names and links real accounts carry. Benchmarks read these."""
    contact = make_contact(index)
    contact["contact"].update(
        first_name=f"María Fernanda {index}",
        last_name=("Hernández", "López", None)[index % 3],
        email=f"maria.fernanda.{index}@correo-ejemplo.com.mx",
        meta={
            "index": index,
            "source": {"campaign": "reactivacion-2024-q2", "medium": "whatsapp", "referrer": None},
            "tags": ["cliente", "cdmx", "newsletter"],
            "score": index % 100 / 10,
        },
        external_url=f"https://crm.example.com/contacts/{10_000_000 + index}",
    )
    if contact["status"] in ("CANCELED", "FAILED"):
        contact["status_reason"] = "The contact replied STOP before the flow finished."
    return contact


def make_realistic_contacts(count: int) -> list[dict[str, Any]]:
    return [make_realistic_contact(i) for i in range(count)]


class FakeHilosServer:
    def __init__(
        self, contacts: list[dict[str, Any]] | None = None, *, host: str = "127.0.0.1", validate_requests: bool = False
    ) -> None:
        """`host`: the loopback address to listen on, "127.0.0.1" or "::1" (IPv6)."""
        if host not in ("127.0.0.1", "::1"):
            raise ValueError(f"host must be a loopback address, 127.0.0.1 or ::1, not {host!r}")
        self.contacts: list[dict[str, Any]] = contacts if contacts is not None else []
        self.validate_requests = validate_requests
        self.request_checks: list[RequestCheck] = []
        self.spec_answers: defaultdict[str, deque[Fault]] = defaultdict(deque)
        self.listings: dict[str, list[Any]] = {}
        self.latency = 0.0
        self.faults: deque[Fault] = deque()
        self.handler: Callable[[RecordedRequest], Fault | None] | None = None
        self.routes: list[tuple[str, re.Pattern[str], RouteAnswer]] = []
        self.requests: list[RecordedRequest] = []
        self.finished: list[RecordedRequest] = []
        self.in_flight = 0
        self.peak_in_flight = 0
        self._gates: list[threading.Event] = []
        self.link_origin: str | None = None
        self.max_page_size: int | None = None
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        server_class = _QuietHTTPServer6 if host == "::1" else _QuietHTTPServer
        self._httpd = server_class((host, 0), _make_handler(self))
        self._httpd.daemon_threads = True
        # A short poll interval keeps stop() (and so each test's teardown) from waiting the default 0.5 s.
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.01}, name="fake-hilos", daemon=True
        )

    # -- lifecycle ---------------------------------------------------------------------------------
    def start(self) -> FakeHilosServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        for gate in self._gates:
            gate.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FakeHilosServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def origin(self) -> str:
        host, port = self._httpd.server_address[:2]
        host = f"[{host!s}]" if ":" in str(host) else host
        return f"http://{host!s}:{port}"

    @property
    def base_url(self) -> str:
        return self.origin + BASE_PATH

    # -- behaviour ---------------------------------------------------------------------------------
    def record(self, request: RecordedRequest) -> None:
        with self._changed:
            self.requests.append(request)
            self.in_flight += 1
            self.peak_in_flight = max(self.peak_in_flight, self.in_flight)
            self._changed.notify_all()

    def record_finished(self, request: RecordedRequest) -> None:
        with self._changed:
            self.finished.append(request)
            self.in_flight -= 1
            self._changed.notify_all()

    def wait_until(self, condition: Callable[[FakeHilosServer], bool], timeout: float = GATE_TIMEOUT) -> None:
        """Block until `condition(server)` holds (checked whenever a request arrives or finishes)."""
        with self._changed:
            if not self._changed.wait_for(lambda: condition(self), timeout):
                raise AssertionError(f"the fake API never reached the awaited state in {timeout} s")

    def gate(self) -> threading.Event:
        """A new closed gate; every gate opens when the server stops, so no handler thread outlives a test."""
        gate = threading.Event()
        self._gates.append(gate)
        return gate

    @staticmethod
    def hold(gate: threading.Event) -> None:
        """Wait (in a handler) until `gate` opens; returns None, so normal handling follows."""
        gate.wait(GATE_TIMEOUT)

    def route(self, method: str, path_template: str, answer: RouteAnswer) -> None:
        """Serve `method` on `path_template` (relative to the base path, `{name}` matches one segment)."""
        pattern = re.sub(r"\\{(\w+)\\}", r"(?P<\1>[^/]+)", re.escape(BASE_PATH + path_template))
        self.routes.append((method.upper(), re.compile(pattern + "$"), answer))

    def serve_spec(self) -> FakeHilosServer:
        """Route every operation of the spec (see the module's docstring for what each answers)."""
        # Imported here: most tests of the fake serve one listing and need neither the spec nor openapi-core.
        from tests.support.operation_cases import OPERATION_CASES, OperationCase

        def answer_for(case: OperationCase) -> RouteAnswer:
            name = case.operation.name
            paginated = case.paginated

            def answer(request: RecordedRequest, path_params: dict[str, str]) -> Fault:
                with self._lock:
                    queued = self.spec_answers[name].popleft() if self.spec_answers[name] else None
                if queued is not None:
                    return queued
                listing = self.listings.get(name)
                if paginated and listing is not None:
                    return self.page_of(listing, request)
                return Fault(status=case.success_status, body=case.response_json())

            return answer

        for case in OPERATION_CASES:
            self.route(case.operation.method, case.operation.path, answer_for(case))
        return self

    def check(self, request: RecordedRequest) -> None:
        """Validate `request` against the spec and record the outcome in `request_checks`."""
        from tests.support.spec_validation import RequestCheck, check_request

        try:
            checked = check_request(
                origin=self.origin,
                method=request.method,
                path=request.path,
                query=request.query,
                headers=request.headers,
                body=request.body,
            )
        except Exception as error:  # noqa: BLE001 - a validator that fails is a failed check, not a dropped answer
            checked = RequestCheck(request.method, request.path, None, (f"the validator failed: {error!r}",))
        with self._lock:
            self.request_checks.append(checked)

    @property
    def validation_errors(self) -> list[str]:
        """Every request that failed validation, one line each (method, target and openapi-core's errors)."""
        with self._lock:
            return [checked.describe() for checked in self.request_checks if checked.errors]

    def routed(self, request: RecordedRequest) -> Fault | None:
        """The answer of the first route matching `request`, or None when no route matches."""
        for method, pattern, answer in list(self.routes):
            found = pattern.match(request.path)
            if found and method == request.method:
                return answer(request, found.groupdict())
        return None

    def page_of(self, items: list[Any], request: RecordedRequest) -> Fault:
        """The answer a routed list gives: `items` cut into DRF pages, as for the built-in list."""
        status, body = self.paginate(items, request)
        return Fault(status=status, body=body)

    def next_fault(self, request: RecordedRequest) -> Fault | None:
        with self._lock:
            if self.faults:
                return self.faults.popleft()
        return self.handler(request) if self.handler else None

    def list_page(self, request: RecordedRequest) -> tuple[int, dict[str, Any]]:
        """DRF PageNumberPagination over the filtered data."""
        matches = _filter_for(request)
        items = [c for c in list(self.contacts) if matches(c)] if matches else list(self.contacts)
        return self.paginate(items, request)

    def paginate(self, items: list[Any], request: RecordedRequest) -> tuple[int, dict[str, Any]]:
        """DRF PageNumberPagination of `items` (404 "Invalid page." past the end)."""
        try:
            page = int(request.param("page") or 1)
            page_size = int(request.param("page_size") or DEFAULT_PAGE_SIZE)
        except ValueError:
            return 404, {"detail": "Invalid page."}
        if self.max_page_size is not None:
            page_size = min(page_size, self.max_page_size)
        pages = max(1, math.ceil(len(items) / page_size)) if page_size > 0 else 1
        if page < 1 or page > pages or page_size < 1:
            return 404, {"detail": "Invalid page."}
        start = (page - 1) * page_size

        def link(number: int) -> str | None:
            if number < 1 or number > pages:
                return None
            query = {k: v[0] for k, v in request.params.items()}
            if number == 1:
                query.pop("page", None)
            else:
                query["page"] = str(number)
            origin = self.link_origin or self.origin
            return f"{origin}{request.path}" + (f"?{urlencode(query)}" if query else "")

        return 200, {
            "count": len(items),
            "next": link(page + 1),
            "previous": link(page - 1),
            "results": items[start : start + page_size],
        }


_FILTERS: dict[str, Callable[[dict[str, Any], str], bool]] = {
    "flow": lambda contact, v: contact.get("flow") == v,
    "flow_version": lambda contact, v: contact.get("flow_version") == v,
    "id": lambda contact, v: contact.get("id") == v,
    "contact": lambda contact, v: contact["contact"].get("id") == v,
    "is_active": lambda contact, v: (contact.get("status") in ACTIVE_STATUSES) == (v.lower() in ("true", "1")),
    "search": lambda contact, v: any(
        v.lower() in str(contact["contact"].get(f) or "").lower() for f in ("phone", "first_name", "last_name", "email")
    ),
}


def _filter_for(request: RecordedRequest) -> Callable[[dict[str, Any]], bool] | None:
    """The request's filters as one test, or None without filters (so big data sets are served fast)."""
    active = [(test, value) for name, test in _FILTERS.items() if (value := request.param(name)) is not None]
    if not active:
        return None
    return lambda contact: all(test(contact, value) for test, value in active)


class _QuietHTTPServer(ThreadingHTTPServer):
    # socketserver's default backlog of 5 drops the SYN of a 6th connection opened at once (8 pages in flight),
    # and the client's kernel sends it again only a second later.
    request_queue_size = 64

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that cancels a request (asyncio_all closed early) resets its connection: not a failure.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _QuietHTTPServer6(_QuietHTTPServer):
    address_family = socket.AF_INET6


def _make_handler(server: FakeHilosServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out in separate writes; with Nagle's algorithm on, the client's delayed ACK
        # would add ~40 ms to every keep-alive response.
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
            pass

        def do_GET(self) -> None:
            self._handle()

        def do_POST(self) -> None:
            self._handle()

        def do_PATCH(self) -> None:
            self._handle()

        def do_PUT(self) -> None:
            self._handle()

        def do_DELETE(self) -> None:
            self._handle()

        def _handle(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            request = RecordedRequest(self.command, parts.path, parts.query, dict(self.headers.items()), body)
            server.record(request)
            try:
                if server.validate_requests:
                    server.check(request)
                self._answer(request)
            finally:
                server.record_finished(request)

        def _answer(self, request: RecordedRequest) -> None:
            if server.latency:
                time.sleep(server.latency)
            fault = server.next_fault(request)
            if fault is not None:
                self._answer_fault(fault)
                return
            if any(pattern.match(request.path) for _, pattern, _ in list(server.routes)):
                if self.headers.get("Authorization") != f"Token {TOKEN}":
                    self._send_json(401, {"detail": "Invalid token."})
                    return
                self._answer_fault(server.routed(request) or Fault(status=405, body={"detail": "Method not allowed."}))
                return
            if request.path == BASE_PATH + LIST_PATH and self.command == "GET":
                if self.headers.get("Authorization") != f"Token {TOKEN}":
                    self._send_json(401, {"detail": "Invalid token."})
                    return
                status, payload = server.list_page(request)
                self._send_json(status, payload)
                return
            self._send_json(404, {"detail": "Not found."})

        def _answer_fault(self, fault: Fault) -> None:
            if fault.delay:
                time.sleep(fault.delay)
            if fault.reset:
                # SO_LINGER 0 makes close() send a TCP RST: the client sees "connection reset".
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.connection.close()
                self.close_connection = True
                return
            body, content_type = fault.encoded_body()
            try:
                self.send_response(fault.status or 200)
                headers = {"Content-Type": content_type, "Content-Length": str(len(body)), **fault.headers}
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                # The client gave up first (a timeout under test): nothing to answer.
                self.close_connection = True

        def _send_json(self, status: int, payload: Any) -> None:
            self._answer_fault(Fault(status=status, body=payload))

    return Handler


def iter_pages(server: FakeHilosServer) -> Iterator[RecordedRequest]:
    """The list requests the server received, in order."""
    return (r for r in server.requests if r.path == BASE_PATH + LIST_PATH)
