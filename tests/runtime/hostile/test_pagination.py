"""sync_all / asyncio_all never silently lose or invent items: a page served again at any distance, a page
size that changes before the last page, and a count that never stops growing each raise PaginationError
naming the page; rows added or deleted between pages do what the engine's documentation promises."""

from __future__ import annotations

from typing import Any

import pytest
from hilos_client import errors
from hilos_client.api import MAX_PAGE_GROWTH
from hilos_client.api.flows import list_flow_execution_contacts as list_contacts

from tests.runtime.conftest import fast_client
from tests.support.fake_hilos import FakeHilosServer, Fault, RecordedRequest, make_contact, make_contacts
from tests.support.pages import contact_ids, ids, once_from_page, requested_pages


def page(items: list[dict[str, Any]], count: int) -> Fault:
    return Fault(status=200, body={"count": count, "next": None, "previous": None, "results": items})


async def read_async(client: Any) -> list[Any]:
    return [item async for item in list_contacts.asyncio_all(client=client, page_size=10, concurrency=2)]


def read(client: Any, mode: str) -> list[Any]:
    import asyncio

    if mode == "async":
        return asyncio.run(read_async(client))
    return list(list_contacts.sync_all(client=client, page_size=10))


MODES = ["sync", "async"]


@pytest.mark.parametrize("mode", MODES)
def test_a_server_alternating_two_pages_raises_naming_the_page(fake_api: FakeHilosServer, mode: str) -> None:
    a, b = make_contacts(10), [make_contact(i) for i in range(10, 20)]
    fake_api.handler = lambda request: page(a if int(request.param("page") or 1) % 2 else b, count=3000)
    with fast_client(fake_api) as client, pytest.raises(errors.RepeatedPageError) as caught:
        read(client, mode)
    assert caught.value.page == 3
    assert "page 3" in str(caught.value)
    assert len(requested_pages(fake_api)) <= 4


@pytest.mark.parametrize("mode", MODES)
def test_a_page_size_that_shrinks_before_the_last_page_raises(fake_api: FakeHilosServer, mode: str) -> None:
    contacts = make_contacts(20)

    def cut(request: RecordedRequest) -> Fault:
        number = int(request.param("page") or 1)
        size = 10 if number == 1 else 5
        return page(contacts[(number - 1) * size : number * size], count=20)

    fake_api.handler = cut
    with fast_client(fake_api) as client, pytest.raises(errors.PaginationError) as caught:
        read(client, mode)
    assert caught.value.page == 2
    assert "page size" in str(caught.value)


def test_a_page_longer_than_the_page_size_raises(fake_api: FakeHilosServer) -> None:
    contacts = make_contacts(40)
    fake_api.handler = lambda request: (
        page(contacts[:10], 40) if int(request.param("page") or 1) == 1 else page(contacts[10:30], 40)
    )
    with fast_client(fake_api) as client, pytest.raises(errors.PaginationError) as caught:
        read(client, "sync")
    assert caught.value.page == 2


@pytest.mark.parametrize("mode", MODES)
def test_a_count_that_keeps_growing_stops_at_the_documented_bound(fake_api: FakeHilosServer, mode: str) -> None:
    fake_api.contacts = make_contacts(30)

    def grow(request: RecordedRequest) -> None:
        start = len(fake_api.contacts)
        fake_api.contacts.extend(make_contact(i) for i in range(start, start + 10))

    fake_api.handler = grow
    with fast_client(fake_api) as client, pytest.raises(errors.PaginationError, match="keeps growing"):
        read(client, mode)
    # Page 1 announced 4 pages (40 items after its own growth): the iteration may not pass 2 * 4 + 1.
    assert max(requested_pages(fake_api)) <= MAX_PAGE_GROWTH * 4 + 2


def test_rows_deleted_before_the_position_are_skipped_never_invented(fake_api: FakeHilosServer) -> None:
    fake_api.contacts = make_contacts(30)
    original = contact_ids(fake_api.contacts)

    def delete_two_of_page_one(request: RecordedRequest) -> None:
        del fake_api.contacts[0:2]

    fake_api.handler = once_from_page(2, delete_two_of_page_one)
    with fast_client(fake_api) as client:
        seen = ids(list_contacts.sync_all(client=client, page_size=10))
    assert len(seen) == len(set(seen)), "a deletion never repeats an item"
    assert set(seen) <= set(original), "nothing is invented"
    # The two items that slid from page 2 onto page 1 (already read) are the ones skipped.
    assert sorted(set(original) - set(seen)) == sorted(original[10:12])


def test_rows_added_before_the_position_repeat_items_never_lose_them(fake_api: FakeHilosServer) -> None:
    fake_api.contacts = make_contacts(30)
    original = contact_ids(fake_api.contacts)

    def insert_two_at_the_front(request: RecordedRequest) -> None:
        fake_api.contacts[0:0] = [make_contact(1000), make_contact(1001)]

    fake_api.handler = once_from_page(2, insert_two_at_the_front)
    with fast_client(fake_api) as client:
        seen = ids(list_contacts.sync_all(client=client, page_size=10))
    assert set(original) <= set(seen), "an insertion never loses an item"
    repeated = sorted({item for item in seen if seen.count(item) > 1})
    assert repeated == sorted(original[8:10])  # pushed from page 1 onto page 2
