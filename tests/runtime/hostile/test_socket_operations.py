"""Every socket operation of an attempt is bounded by the time left of the attempt and of the call, sync and
async (`_runtime/network.py`): a server that sends its status line and headers one byte at a time, or a port
that never accepts the connection, holds a call no longer than its timeout, and the error says which limit ran
out, how long it was, and how many attempts were made.

The server's side proves it structurally: the client hung up on every connection before the head was sent
(`bytes_sent`), and made exactly the attempts the retry policy allows."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from hilos_client import AuthenticatedClient, errors
from hilos_client.client import IDEMPOTENT_METHODS

from tests.support.fake_hilos import TOKEN
from tests.support.hostile_server import HostileServer, trickled_head, unaccepting_listener
from tests.support.operation_cases import OperationCase, each_operation

# One byte every 20 ms for a head of 1,000 bytes: 20 s of headers, where no read ever waits 20 ms.
INTERVAL = 0.02
HEAD_BYTES = 1000
each_way = pytest.mark.parametrize("way", ["sync", "asyncio"])


def client_for(base_url: str, **options: Any) -> AuthenticatedClient:
    return AuthenticatedClient(base_url=base_url, token=TOKEN, retry_backoff=0.01, **options)


async def call(case: OperationCase, client: AuthenticatedClient, way: str) -> None:
    module = case.module()
    async with client:
        if way == "sync":
            module.sync_detailed(client=client, **case.required_arguments())
        else:
            await module.asyncio_detailed(client=client, **case.required_arguments())


def attempts_allowed(case: OperationCase, retries: int) -> int:
    return retries + 1 if case.operation.method in IDEMPOTENT_METHODS else 1


def message(case: OperationCase, raised: errors.ApiTimeoutError, reason: str, attempts: int) -> str:
    tries = f", {attempts} attempts" if attempts > 1 else ""
    return f"{reason} ({case.operation.method} {raised.url}{tries})"


@each_operation()
@each_way
async def test_trickled_headers_end_at_the_attempts_timeout(case: OperationCase, way: str) -> None:
    with HostileServer(trickled_head(INTERVAL, HEAD_BYTES)) as server:
        with pytest.raises(errors.ApiTimeoutError) as raised:
            await call(case, client_for(server.base_url, timeout=0.12, retries=1), way)
        server.wait_for_all()
    attempts = attempts_allowed(case, 1)
    assert raised.value.attempts == attempts
    assert (raised.value.limit, raised.value.seconds, raised.value.phase) == ("timeout", 0.12, None)
    assert str(raised.value) == message(
        case, raised.value, "ReadTimeout: the attempt's timeout of 0.12 s ran out", attempts
    )
    assert len(server.connections) == attempts
    assert all(c.client_hung_up and c.bytes_sent < HEAD_BYTES for c in server.connections)


@each_operation()
@each_way
async def test_trickled_headers_end_at_the_calls_deadline(case: OperationCase, way: str) -> None:
    with HostileServer(trickled_head(INTERVAL, HEAD_BYTES)) as server:
        with pytest.raises(errors.ApiTimeoutError) as raised:
            await call(case, client_for(server.base_url, timeout=None, deadline=0.15, retries=5), way)
        server.wait_for_all()
    assert raised.value.attempts == 1, "no retry can start once the deadline has passed"
    assert (raised.value.limit, raised.value.seconds, raised.value.phase) == ("deadline", 0.15, None)
    assert str(raised.value) == message(case, raised.value, "ReadTimeout: the call's deadline of 0.15 s ran out", 1)
    assert len(server.connections) == 1
    assert server.connections[0].client_hung_up and server.connections[0].bytes_sent < HEAD_BYTES


@each_operation()
@each_way
async def test_a_phase_timeout_says_which_phase_ran_out(case: OperationCase, way: str) -> None:
    # An httpx.Timeout bounds each phase: the wait for the head's second byte outlasts the read timeout.
    with HostileServer(trickled_head(30.0, HEAD_BYTES)) as server:
        with pytest.raises(errors.ApiTimeoutError) as raised:
            await call(case, client_for(server.base_url, timeout=httpx.Timeout(0.08), retries=0), way)
        assert [c.bytes_sent for c in server.connections] == [1]
    assert (raised.value.limit, raised.value.seconds, raised.value.phase) == ("timeout", 0.08, "read")
    assert str(raised.value) == message(case, raised.value, "ReadTimeout: the read timeout of 0.08 s ran out", 1)


@each_operation()
@each_way
async def test_a_connection_never_accepted_ends_at_the_attempts_timeout(case: OperationCase, way: str) -> None:
    with unaccepting_listener() as base_url:
        with pytest.raises(errors.ApiTimeoutError) as raised:
            await call(case, client_for(base_url, timeout=0.08, retries=1), way)
    attempts = attempts_allowed(case, 1)
    assert raised.value.attempts == attempts
    assert (raised.value.limit, raised.value.seconds, raised.value.phase) == ("timeout", 0.08, None)
    assert str(raised.value) == message(
        case, raised.value, "ConnectTimeout: the attempt's timeout of 0.08 s ran out", attempts
    )
