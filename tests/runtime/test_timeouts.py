"""Every request has a finite timeout by default, overridable per client and per call."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from attrs import evolve
from hilos_client import AuthenticatedClient, errors
from hilos_client.api.flows import list_flow_execution_contacts as list_contacts
from hilos_client.client import DEFAULT_TIMEOUT

from tests.support.fake_hilos import TOKEN, FakeHilosServer


def test_default_timeout_is_finite_for_connect_and_read() -> None:
    client = AuthenticatedClient(base_url="https://acme.api-us1.com/api/3", token=TOKEN)
    timeout = client.get_httpx_client().timeout
    assert timeout == DEFAULT_TIMEOUT
    assert timeout.connect == 10.0
    assert timeout.read == 60.0
    assert timeout.write is not None and timeout.pool is not None


def stuck(server: FakeHilosServer) -> None:
    """Hold every answer until the test ends."""
    gate = server.gate()
    server.handler = lambda request: server.hold(gate)


def test_client_timeout_stops_a_stuck_server(fake_api: FakeHilosServer) -> None:
    stuck(fake_api)
    with AuthenticatedClient(base_url=fake_api.base_url, token=TOKEN, timeout=0.2, retries=0) as client:
        with pytest.raises(errors.ApiTimeoutError):
            list_contacts.sync(client=client)
    assert fake_api.finished == []  # the client gave up while the server still held the answer


def test_call_timeout_overrides_a_shorter_client_timeout(fake_api: FakeHilosServer) -> None:
    fake_api.latency = 0.3
    with AuthenticatedClient(base_url=fake_api.base_url, token=TOKEN, timeout=0.1, retries=0) as client:
        page = list_contacts.sync(client=client, timeout=2.0)
    assert page.count == 0


def test_call_timeout_overrides_a_longer_client_timeout(fake_api: FakeHilosServer) -> None:
    stuck(fake_api)
    with AuthenticatedClient(base_url=fake_api.base_url, token=TOKEN, retries=0) as client:
        with pytest.raises(errors.ApiTimeoutError):
            list_contacts.sync_detailed(client=client, timeout=httpx.Timeout(0.2))
    assert fake_api.finished == []  # the client gave up while the server still held the answer


def test_with_timeout_changes_the_default_of_a_client_in_use(fake_api: FakeHilosServer) -> None:
    fake_api.latency = 0.3
    with AuthenticatedClient(base_url=fake_api.base_url, token=TOKEN, timeout=0.1, retries=0) as client:
        with pytest.raises(errors.ApiTimeoutError):
            list_contacts.sync(client=client)
        patient = client.with_timeout(5.0)
        assert list_contacts.sync(client=patient).count == 0


async def test_async_call_timeout(fake_api: FakeHilosServer) -> None:
    stuck(fake_api)
    async with AuthenticatedClient(base_url=fake_api.base_url, token=TOKEN, retries=0) as client:
        with pytest.raises(errors.ApiTimeoutError):
            await list_contacts.asyncio(client=client, timeout=0.2)
    assert fake_api.finished == []


async def test_async_deadline_stops_a_stuck_server_without_a_timeout(fake_api: FakeHilosServer) -> None:
    # No per-phase timeout at all: the deadline alone caps the wait for the answer.
    stuck(fake_api)
    async with AuthenticatedClient(
        base_url=fake_api.base_url, token=TOKEN, timeout=None, deadline=0.3, retries=0
    ) as client:
        with pytest.raises(errors.ApiTimeoutError):
            await list_contacts.asyncio(client=client)
    assert fake_api.finished == []


def sent_timeouts(**options: Any) -> list[dict[str, float | None]]:
    """The per-phase timeouts httpx was given for each request of one sync and one async call."""
    seen: list[dict[str, float | None]] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.extensions["timeout"])
        return httpx.Response(200, json={"count": 0, "next": None, "previous": None, "results": []})

    call_options = options.pop("call", {})
    client = AuthenticatedClient(
        base_url="https://acme.api-us1.com/api/3", token=TOKEN, httpx_args={"transport": httpx.MockTransport(answer)}
    )
    client = evolve(client, **options) if options else client
    list_contacts.sync(client=client, **call_options)
    asyncio.run(list_contacts.asyncio(client=client, **call_options))
    return seen


DEFAULT_PHASES = {"connect": 10.0, "read": 60.0, "write": 60.0, "pool": 60.0}


def test_the_default_deadline_leaves_the_phase_timeouts_as_they_are() -> None:
    assert sent_timeouts() == [DEFAULT_PHASES, DEFAULT_PHASES]


def test_a_call_timeout_is_sent_as_given() -> None:
    phases = {"connect": 1.0, "read": 2.0, "write": 2.0, "pool": 2.0}
    assert sent_timeouts(call={"timeout": httpx.Timeout(2.0, connect=1.0)}) == [phases, phases]


@pytest.mark.parametrize(
    ("options", "bound"),
    [
        ({"deadline": 5.0}, 5.0),
        ({"call": {"deadline": 5.0}}, 5.0),
        ({"call": {"timeout": 5.0}}, 5.0),
        ({"timeout": None}, 300.0),
    ],
    ids=["client deadline", "call deadline", "numeric call timeout", "no timeout, default deadline"],
)
def test_no_phase_waits_longer_than_the_time_left(options: dict[str, Any], bound: float) -> None:
    for phases in sent_timeouts(**options):
        assert all(seconds is not None and 0 < seconds <= bound for seconds in phases.values()), phases
