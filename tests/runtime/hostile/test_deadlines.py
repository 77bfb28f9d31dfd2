"""A numeric timeout bounds each attempt from connecting to the body's last byte, and a deadline bounds the
whole call, retries and waits included: a server that trickles its body cannot hold a call.

Time is what is bounded here, so the assertions bound it, generously; the server also confirms that the
client hung up rather than reading on."""

from __future__ import annotations

import math
import time
from typing import Any

import pytest
from hilos_client import AuthenticatedClient, errors
from hilos_client.api.flows import list_flow_execution_contacts as list_contacts
from hilos_client.client import DEFAULT_DEADLINE

from tests.runtime.conftest import fast_client
from tests.support.fake_hilos import TOKEN, FakeHilosServer, Fault
from tests.support.hostile_server import HostileServer, trickle


def client_for(server: HostileServer, **options: Any) -> AuthenticatedClient:
    options.setdefault("retry_backoff", 0.01)
    return AuthenticatedClient(base_url=server.base_url, token=TOKEN, **options)


def test_the_default_deadline_is_finite() -> None:
    assert math.isfinite(DEFAULT_DEADLINE)
    assert AuthenticatedClient(base_url="http://127.0.0.1:1/api/3", token=TOKEN).deadline == DEFAULT_DEADLINE


def test_a_numeric_timeout_bounds_each_attempt_against_a_trickling_body() -> None:
    # One byte every 0.2 s never trips a 1 s read timeout; only a bound on the attempt as a whole stops it.
    with HostileServer(trickle(0.2)) as server:
        started = time.monotonic()
        with client_for(server, timeout=1.0) as client, pytest.raises(errors.ApiTimeoutError) as caught:
            list_contacts.sync(client=client)
        elapsed = time.monotonic() - started
        server.wait_for_all()
    assert caught.value.attempts == 3
    assert len(server.connections) == 3
    assert all(connection.client_hung_up for connection in server.connections)
    assert elapsed < 5.0


def test_the_deadline_bounds_all_attempts_and_waits() -> None:
    with HostileServer(trickle(0.2)) as server:
        started = time.monotonic()
        with (
            client_for(server, timeout=None, deadline=1.0, retries=10) as client,
            pytest.raises(errors.ApiTimeoutError),
        ):
            list_contacts.sync(client=client)
        elapsed = time.monotonic() - started
        server.wait_for_all()
    assert len(server.connections) == 1, "no retry can start once the deadline has passed"
    assert elapsed < 3.0


def test_a_per_call_deadline_overrides_the_clients() -> None:
    with HostileServer(trickle(0.2)) as server:
        started = time.monotonic()
        with client_for(server, timeout=None) as client, pytest.raises(errors.ApiTimeoutError):
            list_contacts.sync(client=client, deadline=0.8)
        elapsed = time.monotonic() - started
    assert elapsed < 3.0


async def test_async_calls_are_bounded_the_same_way() -> None:
    with HostileServer(trickle(0.2)) as server:
        started = time.monotonic()
        async with client_for(server, timeout=1.0, retries=1) as client:
            with pytest.raises(errors.ApiTimeoutError) as caught:
                await list_contacts.asyncio(client=client)
        elapsed = time.monotonic() - started
        server.wait_for_all()
    assert caught.value.attempts == 2
    assert all(connection.client_hung_up for connection in server.connections)
    assert elapsed < 4.0


def test_a_retry_whose_wait_would_pass_the_deadline_is_not_attempted(fake_api: FakeHilosServer) -> None:
    fake_api.handler = lambda request: Fault(status=503, headers={"Retry-After": "30"})
    with fast_client(fake_api, deadline=2.0) as client, pytest.raises(errors.ServerError) as caught:
        list_contacts.sync(client=client)
    assert caught.value.attempts == 1
    assert len(fake_api.requests) == 1
