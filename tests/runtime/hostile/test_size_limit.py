"""A response body is read up to the client's max_response_bytes, counted after decompression, and no
further: a huge, endless or compressed-bomb body raises ResponseTooLargeError while the server is still
sending, and no retry reads it again."""

from __future__ import annotations

from typing import Any

import pytest
from hilos_client import AuthenticatedClient, errors
from hilos_client.api.flows import list_flow_execution_contacts as list_contacts
from hilos_client.client import DEFAULT_MAX_RESPONSE_BYTES

from tests.runtime.conftest import fast_client
from tests.support.fake_hilos import TOKEN, FakeHilosServer, Fault
from tests.support.hostile_server import HostileServer, MiB, endless_body, gzip_bomb, huge_body

LIMIT = 1 * MiB
# What a stopped reader still lets through: the limit, plus what the kernel's socket buffers on both
# ends absorb before the server's writes block.
SLACK = 8 * MiB


def client_for(server: HostileServer, **options: Any) -> AuthenticatedClient:
    return AuthenticatedClient(
        base_url=server.base_url, token=TOKEN, max_response_bytes=LIMIT, retry_backoff=0.01, **options
    )


def test_the_default_limit_is_64_mib() -> None:
    assert DEFAULT_MAX_RESPONSE_BYTES == 64 * MiB


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_huge_body_raises_without_being_read(chunked: bool) -> None:
    with HostileServer(huge_body(500 * MiB, chunked=chunked)) as server:
        with client_for(server) as client, pytest.raises(errors.ResponseTooLargeError) as caught:
            list_contacts.sync(client=client)
        server.wait_for_all()
    assert caught.value.limit == LIMIT
    assert caught.value.attempts == 1
    assert len(server.connections) == 1, "a body over the limit must not be fetched again"
    assert server.max_bytes_sent() < LIMIT + SLACK
    assert server.connections[0].client_hung_up


def test_a_huge_503_body_is_not_read_once_let_alone_three_times() -> None:
    with HostileServer(huge_body(500 * MiB, status=503, chunked=True)) as server:
        with client_for(server) as client, pytest.raises(errors.ResponseTooLargeError):
            list_contacts.sync(client=client)
        server.wait_for_all()
    assert len(server.connections) == 1
    assert server.max_bytes_sent() < LIMIT + SLACK


def test_an_endless_body_raises_instead_of_exhausting_memory() -> None:
    with HostileServer(endless_body()) as server:
        with client_for(server) as client, pytest.raises(errors.ResponseTooLargeError):
            list_contacts.sync(client=client)
        server.wait_for_all()
    assert server.connections[0].client_hung_up
    assert server.max_bytes_sent() < LIMIT + SLACK


def test_a_gzip_bomb_is_counted_after_decompression() -> None:
    # About 20 KiB on the wire that inflates to 20 MiB: the wire size is far under the limit.
    with HostileServer(gzip_bomb(20 * MiB)) as server:
        with client_for(server) as client, pytest.raises(errors.ResponseTooLargeError):
            list_contacts.sync(client=client)
    assert server.max_bytes_sent() < LIMIT


async def test_async_calls_have_the_same_limit() -> None:
    with HostileServer(huge_body(500 * MiB, chunked=True)) as server:
        async with client_for(server) as client:
            with pytest.raises(errors.ResponseTooLargeError):
                await list_contacts.asyncio(client=client)
            with pytest.raises(errors.ResponseTooLargeError):
                await list_contacts.asyncio(client=client)  # a bomb too, on a second connection
        server.wait_for_all()
    assert server.max_bytes_sent() < LIMIT + SLACK


def test_a_body_under_the_limit_is_read_whole(fake_api: FakeHilosServer) -> None:
    fake_api.faults.append(Fault(status=200, body={"count": 0, "next": None, "previous": None, "results": []}))
    with fast_client(fake_api, max_response_bytes=200) as client:
        assert list_contacts.sync(client=client).count == 0


def test_an_error_body_kept_on_the_error_is_truncated(fake_api: FakeHilosServer) -> None:
    fake_api.faults.append(Fault(status=404, body="x" * (2 * MiB)))
    with fast_client(fake_api, max_response_bytes=4 * MiB) as client, pytest.raises(errors.NotFoundError) as caught:
        list_contacts.sync(client=client)
    assert caught.value.body.startswith("x" * errors.ERROR_BODY_CHARS)
    assert len(caught.value.body) < errors.ERROR_BODY_CHARS + 100
