"""asyncio_all() requests the first pages together with page 1, before its `count` says how many there are:
a short listing takes one round trip, and the pages asked for past its end (404 "Invalid page.") are dropped."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator

import pytest
from hilos_client import AuthenticatedClient
from hilos_client._runtime.pagination import SPECULATIVE_PAGES
from hilos_client.api.flows import list_flow_execution_contacts
from hilos_client.errors import PermissionDeniedError

from tests.support.fake_hilos import TOKEN, FakeHilosServer, Fault, RecordedRequest, make_contacts
from tests.support.pages import contact_ids, ids, requested_pages

# How long page 1 is held at most while the test waits for the pages requested with it (never reached when
# they are requested together; the assertion on what arrived is what fails otherwise).
HOLD_SECONDS = 5.0


@pytest.fixture
async def client(fake_api: FakeHilosServer) -> AsyncIterator[AuthenticatedClient]:
    async with AuthenticatedClient(base_url=fake_api.base_url, token=TOKEN) as client:
        yield client


def other_tasks() -> set[asyncio.Task[object]]:
    return {task for task in asyncio.all_tasks() if task is not asyncio.current_task() and not task.done()}


def hold_page_1_until_pages_arrive(fake_api: FakeHilosServer, pages: set[int], fault: Fault | None = None) -> list[int]:
    """Install a handler that answers page 1 only once `pages` were all requested; returns the list that
    records which pages had arrived when page 1 was answered."""
    arrived: set[int] = set()
    all_arrived = threading.Event()
    seen_when_page_1_answered: list[int] = []
    lock = threading.Lock()

    def handler(request: RecordedRequest) -> Fault | None:
        number = int(request.param("page") or 1)
        with lock:
            arrived.add(number)
            if pages <= arrived:
                all_arrived.set()
        if number == 1:
            all_arrived.wait(HOLD_SECONDS)
            with lock:
                seen_when_page_1_answered.extend(sorted(arrived))
            return fault
        return None

    fake_api.handler = handler
    return seen_when_page_1_answered


async def test_the_first_pages_are_requested_before_page_1_answers(
    fake_api: FakeHilosServer, client: AuthenticatedClient
) -> None:
    fake_api.contacts = make_contacts(30)
    speculative = set(range(1, SPECULATIVE_PAGES + 1))
    seen = hold_page_1_until_pages_arrive(fake_api, speculative)
    items = [item async for item in list_flow_execution_contacts.asyncio_all(client=client, page_size=10)]
    assert ids(items) == contact_ids(fake_api.contacts)
    assert seen == sorted(speculative)
    assert sorted(requested_pages(fake_api)) == [1, 2, 3]


async def test_no_more_pages_than_the_concurrency_are_requested_with_page_1(
    fake_api: FakeHilosServer, client: AuthenticatedClient
) -> None:
    fake_api.contacts = make_contacts(30)
    seen = hold_page_1_until_pages_arrive(fake_api, {1, 2})
    items = [
        item async for item in list_flow_execution_contacts.asyncio_all(client=client, page_size=10, concurrency=2)
    ]
    assert ids(items) == contact_ids(fake_api.contacts)
    assert seen == [1, 2]


@pytest.mark.parametrize("total", [0, 4, 10, 15])
async def test_pages_past_the_end_answer_404_and_the_listing_ends_with_exactly_its_items(
    fake_api: FakeHilosServer, client: AuthenticatedClient, total: int
) -> None:
    fake_api.contacts = make_contacts(total)
    speculative = set(range(1, SPECULATIVE_PAGES + 1))
    seen = hold_page_1_until_pages_arrive(fake_api, speculative)
    items = [item async for item in list_flow_execution_contacts.asyncio_all(client=client, page_size=10)]
    assert ids(items) == contact_ids(fake_api.contacts)
    assert seen == sorted(speculative)
    assert sorted(requested_pages(fake_api)) == sorted(speculative)
    assert other_tasks() == set()


async def test_an_error_on_page_1_is_raised_and_the_pages_requested_with_it_are_dropped(
    fake_api: FakeHilosServer, client: AuthenticatedClient
) -> None:
    fake_api.contacts = make_contacts(30)
    hold_page_1_until_pages_arrive(
        fake_api, set(range(1, SPECULATIVE_PAGES + 1)), Fault(status=403, body={"detail": "No."})
    )
    with pytest.raises(PermissionDeniedError):
        async for _ in list_flow_execution_contacts.asyncio_all(client=client, page_size=10):
            pass
    assert other_tasks() == set()
