"""list_flow_execution_contacts.asyncio_all() against the loopback fake API: the same guarantees as
sync_all(), with the pages after the first fetched concurrently (bounded), items still in server order, and
the requests in flight cancelled when the consumer stops early."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import aclosing

import pytest
from hilos_client import AuthenticatedClient
from hilos_client._runtime.pagination import SPECULATIVE_PAGES
from hilos_client.api.flows import list_flow_execution_contacts
from hilos_client.errors import PermissionDeniedError, RepeatedPageError
from hilos_client.models import FlowExecutionContactListSimple

from tests.support.fake_hilos import TOKEN, FakeHilosServer, Fault, RecordedRequest, make_contact, make_contacts
from tests.support.pages import (
    answered_pages,
    contact_ids,
    hold_pages_after,
    ids,
    once_from_page,
    once_on_page,
    page_number,
    requested_pages,
    throttled_once,
)
from tests.support.waiting import eventually


@pytest.fixture
async def client(fake_api: FakeHilosServer) -> AsyncIterator[AuthenticatedClient]:
    async with AuthenticatedClient(base_url=fake_api.base_url, token=TOKEN) as client:
        yield client


async def collect(items: AsyncIterator[object]) -> list[object]:
    return [item async for item in items]


def other_tasks() -> set[asyncio.Task[object]]:
    return {task for task in asyncio.all_tasks() if task is not asyncio.current_task() and not task.done()}


@pytest.mark.parametrize(
    ("total", "page_size", "concurrency", "pages"),
    [
        (0, 10, 4, [1]),
        (1, 10, 4, [1]),
        (11, 10, 4, [1, 2]),
        (20, 10, 4, [1, 2]),
        (95, 10, 3, list(range(1, 11))),
        (1000, 7, 8, list(range(1, 144))),
        (30, 10, 1, [1, 2, 3]),
    ],
    ids=["no-items", "one-item", "two-pages-last-short", "two-full-pages", "ten-pages", "143-pages", "concurrency-1"],
)
async def test_yields_every_item_in_server_order_with_one_request_per_page(
    fake_api: FakeHilosServer,
    client: AuthenticatedClient,
    total: int,
    page_size: int,
    concurrency: int,
    pages: list[int],
) -> None:
    fake_api.contacts = make_contacts(total)
    items = await collect(
        list_flow_execution_contacts.asyncio_all(client=client, page_size=page_size, concurrency=concurrency)
    )
    assert ids(items) == contact_ids(fake_api.contacts)
    requested = sorted(requested_pages(fake_api))
    assert [number for number in requested if number <= pages[-1]] == pages
    # Past the end, only the pages asked for together with page 1 (they answer 404 and are dropped).
    assert set(requested) - set(pages) <= set(range(1, min(concurrency, SPECULATIVE_PAGES) + 1))


async def test_requests_overlap_up_to_the_concurrency_bound_and_never_beyond(
    fake_api: FakeHilosServer, client: AuthenticatedClient
) -> None:
    fake_api.contacts = make_contacts(100)
    gate = hold_pages_after(fake_api, 1)
    reading = asyncio.create_task(
        collect(list_flow_execution_contacts.asyncio_all(client=client, page_size=10, concurrency=3))
    )
    await eventually(lambda: fake_api.in_flight == 3)  # three pages held at once: the requests overlap
    await asyncio.sleep(0.05)  # time for a fourth request, if the bound were not kept
    assert fake_api.in_flight == 3
    gate.set()
    items = await reading
    assert ids(items) == contact_ids(fake_api.contacts)
    assert fake_api.peak_in_flight == 3


async def test_items_stay_in_server_order_when_later_pages_answer_first(
    fake_api: FakeHilosServer, client: AuthenticatedClient
) -> None:
    fake_api.contacts = make_contacts(50)

    def page_2_is_slow(request: RecordedRequest) -> None:
        if request.param("page") == "2":
            time.sleep(0.15)

    fake_api.handler = page_2_is_slow
    items = await collect(list_flow_execution_contacts.asyncio_all(client=client, page_size=10, concurrency=4))
    assert ids(items) == contact_ids(fake_api.contacts)


async def test_every_page_request_carries_the_filters_unchanged(
    fake_api: FakeHilosServer, client: AuthenticatedClient
) -> None:
    flow = uuid.UUID(int=42)
    fake_api.contacts = [make_contact(i, flow=str(flow) if i % 2 else None) for i in range(60)]
    wanted = [c for c in fake_api.contacts if c["flow"] == str(flow) and "user1" in c["contact"]["email"]]
    items = await collect(
        list_flow_execution_contacts.asyncio_all(client=client, flow=flow, search="user1", page_size=2)
    )
    assert ids(items) == contact_ids(wanted)
    assert len(wanted) == 6
    assert sorted(requested_pages(fake_api)) == [1, 2, 3]
    for request in fake_api.requests:
        assert request.params == {
            "flow": [str(flow)],
            "search": ["user1"],
            "page": [request.param("page")],
            "page_size": ["2"],
        }


async def test_closing_early_cancels_the_requests_in_flight_and_sends_no_more(
    fake_api: FakeHilosServer, client: AuthenticatedClient
) -> None:
    fake_api.contacts = make_contacts(200)
    gate = hold_pages_after(fake_api, 2)
    seen = []
    async with aclosing(list_flow_execution_contacts.asyncio_all(client=client, page_size=10, concurrency=4)) as items:
        async for item in items:
            seen.append(item)
            if len(seen) == 11:  # the first item of page 2
                await eventually(lambda: len(fake_api.requests) >= 5)  # pages 3-5 reach the server, held there
                break
        assert other_tasks()
    # Cancelled, not waited for: the server still holds pages 3-5 unanswered (pages 1-2 are recorded as answered
    # just after they were sent, which can be after the client read them).
    fake_api.wait_until(lambda server: {1, 2} <= set(answered_pages(server)))
    assert sorted(answered_pages(fake_api)) == [1, 2]
    assert other_tasks() == set()
    assert sorted(requested_pages(fake_api)) == [1, 2, 3, 4, 5]
    gate.set()
    await eventually(lambda: fake_api.in_flight == 0)
    assert sorted(requested_pages(fake_api)) == [1, 2, 3, 4, 5]


async def test_a_plain_break_cancels_the_requests_in_flight_once_the_iterator_is_dropped(
    fake_api: FakeHilosServer, client: AuthenticatedClient
) -> None:
    fake_api.contacts = make_contacts(200)
    hold_pages_after(fake_api, 2)
    async for item in list_flow_execution_contacts.asyncio_all(client=client, page_size=10, concurrency=4):
        if str(item.id) == fake_api.contacts[10]["id"]:
            await eventually(lambda: len(fake_api.requests) >= 5)  # pages 3-5 reach the server, held there
            break
    # The event loop closes an abandoned async generator on its own (asyncgen finalizer hook).
    await eventually(lambda: not other_tasks())
    fake_api.wait_until(lambda server: {1, 2} <= set(answered_pages(server)))
    assert sorted(answered_pages(fake_api)) == [1, 2]
    assert sorted(requested_pages(fake_api)) == [1, 2, 3, 4, 5]


async def test_stops_at_the_new_last_page_when_data_shrinks(
    fake_api: FakeHilosServer, client: AuthenticatedClient
) -> None:
    fake_api.contacts = make_contacts(80)
    fake_api.handler = once_from_page(2, lambda _: fake_api.contacts.__delitem__(slice(15, None)))
    items = await collect(list_flow_execution_contacts.asyncio_all(client=client, page_size=10, concurrency=4))
    assert ids(items) == contact_ids(make_contacts(10)) + contact_ids(make_contacts(15)[10:])
    assert other_tasks() == set()
    assert set(requested_pages(fake_api)) <= {1, 2, 3, 4, 5}


async def test_stops_at_invalid_page_404_when_data_shrinks_below_the_next_page(
    fake_api: FakeHilosServer, client: AuthenticatedClient
) -> None:
    fake_api.contacts = make_contacts(50)
    fake_api.handler = once_from_page(2, lambda _: fake_api.contacts.__delitem__(slice(10, None)))
    items = await collect(list_flow_execution_contacts.asyncio_all(client=client, page_size=10, concurrency=2))
    assert ids(items) == contact_ids(make_contacts(10))
    assert other_tasks() == set()
    # Page 3 was requested together with page 2, unless page 2's 404 came back before it was sent.
    assert sorted(requested_pages(fake_api)) in ([1, 2], [1, 2, 3])


async def test_stops_at_an_empty_page(fake_api: FakeHilosServer, client: AuthenticatedClient) -> None:
    fake_api.contacts = make_contacts(50)
    fake_api.handler = lambda request: (
        Fault(status=200, body={"count": 50, "next": None, "previous": None, "results": []})
        if request.param("page") == "3"
        else None
    )
    items = await collect(list_flow_execution_contacts.asyncio_all(client=client, page_size=10, concurrency=8))
    assert ids(items) == contact_ids(make_contacts(20))
    assert other_tasks() == set()


async def test_reads_the_extra_pages_when_data_grows(fake_api: FakeHilosServer, client: AuthenticatedClient) -> None:
    fake_api.contacts = make_contacts(25)
    fake_api.handler = once_from_page(2, lambda _: fake_api.contacts.extend(make_contacts(45)[25:]))
    items = await collect(list_flow_execution_contacts.asyncio_all(client=client, page_size=10, concurrency=4))
    assert ids(items) == contact_ids(make_contacts(45))
    assert sorted(requested_pages(fake_api)) == [1, 2, 3, 4, 5]


async def test_a_server_that_ignores_page_raises_repeated_page_instead_of_looping(
    fake_api: FakeHilosServer, client: AuthenticatedClient
) -> None:
    fake_api.contacts = make_contacts(100)

    def first_page_always(request: RecordedRequest) -> Fault:
        ignored = RecordedRequest(request.method, request.path, "page_size=10", request.headers, b"")
        status, body = fake_api.list_page(ignored)
        return Fault(status=status, body=body)

    fake_api.handler = first_page_always
    seen = []
    with pytest.raises(RepeatedPageError) as raised:
        async for item in list_flow_execution_contacts.asyncio_all(client=client, page_size=10, concurrency=4):
            seen.append(item)
    assert ids(seen) == contact_ids(make_contacts(10))
    assert raised.value.page == 2
    assert other_tasks() == set()


async def test_a_hostile_next_link_is_never_followed(
    fake_api: FakeHilosServer, other_origin: FakeHilosServer, client: AuthenticatedClient
) -> None:
    fake_api.contacts = make_contacts(50)
    fake_api.link_origin = other_origin.origin
    items = await collect(list_flow_execution_contacts.asyncio_all(client=client, page_size=10))
    assert ids(items) == contact_ids(fake_api.contacts)
    assert other_origin.requests == []


async def test_a_429_in_the_middle_is_retried_after_retry_after_and_loses_nothing(
    fake_api: FakeHilosServer, client: AuthenticatedClient
) -> None:
    fake_api.contacts = make_contacts(60)
    fake_api.handler = once_on_page(3, throttled_once("1"))
    started = time.monotonic()
    items = await collect(list_flow_execution_contacts.asyncio_all(client=client, page_size=10, concurrency=4))
    assert time.monotonic() - started >= 1.0
    assert ids(items) == contact_ids(fake_api.contacts)
    assert sorted(requested_pages(fake_api)) == [1, 2, 3, 3, 4, 5, 6]


async def test_an_error_on_a_later_page_raises_in_order_and_cancels_the_rest(
    fake_api: FakeHilosServer, client: AuthenticatedClient
) -> None:
    fake_api.contacts = make_contacts(100)
    gate = fake_api.gate()

    def forbid_page_3_and_hold_the_rest(request: RecordedRequest) -> Fault | None:
        if page_number(request) == 3:
            return Fault(status=403, body={"detail": "No."})
        if page_number(request) > 3:
            fake_api.hold(gate)
        return None

    fake_api.handler = forbid_page_3_and_hold_the_rest
    seen = []
    with pytest.raises(PermissionDeniedError):
        async for item in list_flow_execution_contacts.asyncio_all(client=client, page_size=10, concurrency=4):
            seen.append(item)
    # The server records a page as answered just after sending it, which can be after the client read it (and
    # raised): wait for the three the client did get, then check that no other page was answered.
    fake_api.wait_until(lambda server: {1, 2, 3} <= set(answered_pages(server)))
    assert sorted(answered_pages(fake_api)) == [1, 2, 3]  # pages 4-5, held by the server, were not waited for
    assert ids(seen) == contact_ids(make_contacts(20))
    assert other_tasks() == set()


@pytest.mark.parametrize(("argument", "value"), [("page_size", 0), ("concurrency", 0), ("concurrency", -3)])
async def test_rejects_a_size_or_concurrency_that_is_not_a_positive_int_before_any_request(
    fake_api: FakeHilosServer, client: AuthenticatedClient, argument: str, value: int
) -> None:
    with pytest.raises(ValueError, match=argument):
        list_flow_execution_contacts.asyncio_all(client=client, **{argument: value})  # type: ignore[arg-type]
    assert fake_api.requests == []


async def test_returning_from_inside_aclosing_finds_the_item_and_leaves_no_task_running(
    fake_api: FakeHilosServer, client: AuthenticatedClient
) -> None:
    flow = uuid.UUID(int=7)
    fake_api.contacts = [make_contact(i, flow=str(flow) if i % 4 else None) for i in range(1000)]
    wanted = [c for c in fake_api.contacts if c["flow"] == str(flow) and c["status"] in ("READY", "RUNNING")]

    async def find(phone: str) -> FlowExecutionContactListSimple | None:
        contacts = list_flow_execution_contacts.asyncio_all(client=client, flow=flow, is_active=True)
        async with aclosing(contacts):
            async for contact in contacts:
                if contact.contact.phone == phone:
                    return contact
        return None

    found = await find(wanted[3]["contact"]["phone"])
    assert found is not None and found.contact.phone == wanted[3]["contact"]["phone"]
    assert other_tasks() == set()
    assert await find("+0000") is None
