"""Helpers for the auto-pagination tests: which pages the fake API served, and scripted data changes."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

from tests.support.fake_hilos import BASE_PATH, LIST_PATH, FakeHilosServer, Fault, RecordedRequest, iter_pages


def page_number(request: RecordedRequest) -> int:
    return int(request.param("page") or 1)


def requested_pages(server: FakeHilosServer) -> list[int]:
    """The page numbers of the list requests the server received, in arrival order."""
    return [page_number(r) for r in iter_pages(server)]


def answered_pages(server: FakeHilosServer) -> list[int]:
    """The page numbers of the list requests the server has finished with, in the order it did."""
    return [page_number(r) for r in list(server.finished) if r.path == BASE_PATH + LIST_PATH]


def hold_pages_after(server: FakeHilosServer, number: int) -> threading.Event:
    """Hold every request for a page after `number` at the server until the returned gate opens."""
    gate = server.gate()
    server.handler = lambda request: server.hold(gate) if page_number(request) > number else None
    return gate


def ids(items: Iterable[Any]) -> list[str]:
    return [str(item.id) for item in items]


def contact_ids(contacts: Iterable[dict[str, Any]]) -> list[str]:
    return [c["id"] for c in contacts]


def once_from_page(
    number: int, action: Callable[[RecordedRequest], Fault | None]
) -> Callable[[RecordedRequest], Fault | None]:
    """A server handler running `action` on the first request for a page >= `number` (thread-safe, since
    concurrent requests arrive on different server threads), so every later page sees its effect."""
    lock = threading.Lock()
    done = False

    def handler(request: RecordedRequest) -> Fault | None:
        nonlocal done
        if page_number(request) < number:
            return None
        with lock:
            if done:
                return None
            done = True
            return action(request)

    return handler


def throttled_once(retry_after: str = "1") -> Fault:
    """DRF's answer when a throttle trips."""
    return Fault(
        status=429,
        body={"detail": f"Request was throttled. Expected available in {retry_after} seconds."},
        headers={"Retry-After": retry_after},
    )


def once_on_page(number: int, fault: Fault) -> Callable[[RecordedRequest], Fault | None]:
    """A server handler answering `fault` to the first request for page `number` only."""
    lock = threading.Lock()
    done = False

    def handler(request: RecordedRequest) -> Fault | None:
        nonlocal done
        if page_number(request) != number:
            return None
        with lock:
            if done:
                return None
            done = True
            return fault

    return handler
