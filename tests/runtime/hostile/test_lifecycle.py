"""with_* return independent clients; the underlying httpx clients are created once however many threads
race for them; one client serves sequential event loops; a closed client raises a HilosError."""

from __future__ import annotations

import asyncio
import threading

import pytest
from hilos_client import errors
from hilos_client.api.flows import list_flow_execution_contacts as list_contacts

from tests.runtime.conftest import fast_client
from tests.support.fake_hilos import FakeHilosServer, make_contacts


@pytest.mark.parametrize("used_first", [False, True], ids=["unused", "used"])
def test_with_methods_never_change_the_original(fake_api: FakeHilosServer, used_first: bool) -> None:
    original = fast_client(fake_api, timeout=30.0)
    if used_first:
        list_contacts.sync(client=original)
    with_header = original.with_headers({"X-Extra": "1"})
    with_cookie = original.with_cookies({"session": "abc"})
    with_timeout = original.with_timeout(5.0)
    for copy in (with_header, with_cookie, with_timeout):
        assert copy.get_httpx_client() is not original.get_httpx_client()
    list_contacts.sync(client=original)
    list_contacts.sync(client=with_header)
    list_contacts.sync(client=with_cookie)
    *_, from_original, from_header_copy, from_cookie_copy = fake_api.requests
    assert "X-Extra" not in from_original.headers and "Cookie" not in from_original.headers
    assert from_header_copy.headers["X-Extra"] == "1"
    assert from_cookie_copy.headers["Cookie"] == "session=abc"
    assert original.timeout == 30.0
    assert original.get_httpx_client().timeout.read == 30.0
    assert with_timeout.get_httpx_client().timeout.read == 5.0
    for client in (original, with_header, with_cookie, with_timeout):
        client.get_httpx_client().close()


def test_32_threads_sharing_a_new_client_create_one_httpx_client(fake_api: FakeHilosServer) -> None:
    fake_api.contacts = make_contacts(3)
    client = fast_client(fake_api)
    start = threading.Barrier(32)
    seen: list[int] = []

    def use() -> None:
        start.wait()
        seen.append(id(client.get_httpx_client()))
        list_contacts.sync(client=client)

    threads = [threading.Thread(target=use) for _ in range(32)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(seen)) == 1
    assert len(fake_api.requests) == 32
    client.get_httpx_client().close()


def test_one_client_serves_sequential_event_loops(fake_api: FakeHilosServer) -> None:
    fake_api.contacts = make_contacts(3)
    client = fast_client(fake_api)

    async def count() -> int:
        return (await list_contacts.asyncio(client=client)).count

    assert asyncio.run(count()) == 3
    assert asyncio.run(count()) == 3
    assert asyncio.run(count()) == 3
    assert len(fake_api.requests) == 3


def test_a_client_whose_loop_is_still_open_raises_a_clear_error_in_another(fake_api: FakeHilosServer) -> None:
    client = fast_client(fake_api)
    other_loop = asyncio.new_event_loop()
    try:
        other_loop.run_until_complete(list_contacts.asyncio(client=client))

        async def from_another_loop() -> None:
            await list_contacts.asyncio(client=client)

        with pytest.raises(errors.ClientClosedError, match="one client per event loop"):
            asyncio.run(from_another_loop())
    finally:
        other_loop.close()


def test_a_closed_client_raises_a_hilos_error(fake_api: FakeHilosServer) -> None:
    with fast_client(fake_api) as client:
        list_contacts.sync(client=client)
    with pytest.raises(errors.ClientClosedError, match="closed"):
        list_contacts.sync(client=client)


async def test_a_closed_async_client_raises_a_hilos_error(fake_api: FakeHilosServer) -> None:
    async with fast_client(fake_api) as client:
        await list_contacts.asyncio(client=client)
    with pytest.raises(errors.ClientClosedError, match="closed"):
        await list_contacts.asyncio(client=client)
