"""patches/runtime/pagination.py: `read_pages()` / `aread_pages()` and `start_page`, driven by plain fetch
functions (no HTTP), with and without `count`."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Any

import attrs
import httpx
import pytest

from patches.runtime.errors import NotFoundError
from patches.runtime.pages import Page
from patches.runtime.pagination import aiterate_pages, aread_pages, iterate_pages, read_pages
from patches.runtime.types import UNSET, Unset


@attrs.frozen
class FakePage:
    results: Sequence[int]
    count: int | Unset = UNSET
    next_: str | None | Unset = UNSET


def pages_of(items: list[int], size: int, requested: list[int], *, counted: bool = True) -> Callable[[int], FakePage]:
    """`items` cut into pages of `size`, with `count` or without (then with a `next` link, null at the end);
    a page past the end answers DRF's 404."""

    def fetch(number: int) -> FakePage:
        requested.append(number)
        chunk = items[(number - 1) * size : number * size]
        if number > 1 and not chunk:
            request = httpx.Request("GET", "http://127.0.0.1/")
            raise NotFoundError(httpx.Response(404, json={"detail": "Invalid page."}, request=request))
        if counted:
            return FakePage(results=chunk, count=len(items))
        return FakePage(results=chunk, next_="http://127.0.0.1/?page=2" if number * size < len(items) else None)

    return fetch


def read_sync(fetch: Callable[[int], FakePage], start_page: int) -> list[Page[FakePage, Any]]:
    return list(read_pages(fetch, operation="op", start_page=start_page))


def read_async(fetch: Callable[[int], FakePage], start_page: int, concurrency: int = 3) -> list[Page[FakePage, Any]]:
    async def fetch_async(number: int) -> FakePage:
        await asyncio.sleep(0)  # lets the other pages in flight start, as requests would
        return fetch(number)

    async def read_all() -> list[Page[FakePage, Any]]:
        pages = aread_pages(fetch_async, concurrency=concurrency, operation="op", start_page=start_page)
        return [page async for page in pages]

    return asyncio.run(read_all())


ENGINES = [pytest.param(read_sync, id="sync"), pytest.param(read_async, id="async")]
ITEMS = list(range(25))  # pages of 10: 1-10, 11-20, 21-25


@pytest.mark.parametrize("read", ENGINES)
@pytest.mark.parametrize("counted", [True, False], ids=["count", "no-count"])
def test_pages_carry_number_count_items_and_next_page(read: Any, counted: bool) -> None:
    pages = read(pages_of(ITEMS, 10, [], counted=counted), 1)
    assert [(p.number, p.count, p.items, p.next_page) for p in pages] == [
        (1, 25 if counted else None, ITEMS[:10], 2),
        (2, 25 if counted else None, ITEMS[10:20], 3),
        (3, 25 if counted else None, ITEMS[20:], None),
    ]
    assert all(page.parsed.results is page.items for page in pages)


@pytest.mark.parametrize("read", ENGINES)
@pytest.mark.parametrize("counted", [True, False], ids=["count", "no-count"])
@pytest.mark.parametrize("start_page", [2, 3])
def test_a_resumed_read_is_the_tail_of_a_full_one_after_page_1(read: Any, counted: bool, start_page: int) -> None:
    full = read(pages_of(ITEMS, 10, [], counted=counted), 1)
    requested: list[int] = []
    assert read(pages_of(ITEMS, 10, requested, counted=counted), start_page) == full[start_page - 1 :]
    assert [n for n in requested if n <= 3] == [1, *range(start_page, 4)]


@pytest.mark.parametrize("read", ENGINES)
@pytest.mark.parametrize("counted", [True, False], ids=["count", "no-count"])
@pytest.mark.parametrize("start_page", [4, 50])
def test_a_start_past_the_end_yields_nothing(read: Any, counted: bool, start_page: int) -> None:
    assert read(pages_of(ITEMS, 10, [], counted=counted), start_page) == []


@pytest.mark.parametrize("read", ENGINES)
def test_a_one_page_listing_resumed_at_page_2_reads_only_page_1(read: Any) -> None:
    requested: list[int] = []
    assert read(pages_of(ITEMS[:5], 10, requested, counted=True), 2) == []
    assert requested[0] == 1


def test_the_item_iterators_resume_too() -> None:
    assert list(iterate_pages(pages_of(ITEMS, 10, []), operation="op", start_page=2)) == ITEMS[10:]

    async def fetch(number: int) -> FakePage:
        return pages_of(ITEMS, 10, [])(number)

    async def read_all() -> list[int]:
        return [item async for item in aiterate_pages(fetch, concurrency=2, operation="op", start_page=3)]

    assert asyncio.run(read_all()) == ITEMS[20:]


@pytest.mark.parametrize("start_page", [0, -3, True, 1.0, "1"])
def test_start_page_is_checked_when_the_iterator_is_made(start_page: Any) -> None:
    requested: list[int] = []
    fetch = pages_of(ITEMS, 10, requested)

    async def never(number: int) -> FakePage:
        raise AssertionError("requested")

    for make in (
        lambda: read_pages(fetch, operation="op", start_page=start_page),
        lambda: iterate_pages(fetch, operation="op", start_page=start_page),
        lambda: aread_pages(never, concurrency=2, operation="op", start_page=start_page),
        lambda: aiterate_pages(never, concurrency=2, operation="op", start_page=start_page),
    ):
        with pytest.raises(ValueError, match="^start_page: must be a positive integer"):
            make()
    assert requested == []


def test_closing_the_item_iterator_closes_its_pages_and_cancels_their_requests() -> None:
    started: list[int] = []
    cancelled: list[int] = []

    async def fetch(number: int) -> FakePage:
        started.append(number)
        try:
            if number > 1:
                await asyncio.sleep(3600)  # held until cancelled
            return FakePage(results=list(range((number - 1) * 10, number * 10)), count=100)
        except asyncio.CancelledError:
            cancelled.append(number)
            raise

    async def first_item_then_close() -> int:
        items = aiterate_pages(fetch, concurrency=3, operation="op")
        first = await anext(items)  # page 1: the others stay in flight
        await items.aclose()
        return first

    assert asyncio.run(first_item_then_close()) == 0
    assert sorted(cancelled) == sorted(n for n in started if n > 1) and cancelled
