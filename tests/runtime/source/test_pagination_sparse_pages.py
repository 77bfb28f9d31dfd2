"""patches/runtime/pagination.py on the pages a spec allows when it does not require `count` or `results`.

Each rule is proved on both engines (`iterate_pages`, `aiterate_pages` at a concurrency of 1 and of 4), driven
by plain fetch functions (no HTTP): without `count`, pages are read in turn until a page shorter than page 1,
an empty page, a null `next` or a 404; a page without `results` raises PaginationError naming the page.
"""

from __future__ import annotations

import asyncio
import math
import uuid
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

import attrs
import httpx
import pytest

from patches.runtime.errors import NotFoundError, PaginationError, RepeatedPageError
from patches.runtime.pagination import SPECULATIVE_PAGES, aiterate_pages, iterate_pages
from patches.runtime.types import UNSET, Unset

ItemT = TypeVar("ItemT")


@attrs.frozen
class SparsePage(Generic[ItemT]):
    """A page model of a schema that requires nothing: what the generator makes of such a schema."""

    count: int | Unset = UNSET
    results: Sequence[ItemT] | Unset = UNSET
    next_: str | None | Unset = UNSET


Fetch = Callable[[int], SparsePage[Any]]


def not_found() -> NotFoundError:
    request = httpx.Request("GET", "http://127.0.0.1/")
    return NotFoundError(httpx.Response(404, json={"detail": "Invalid page."}, request=request))


def countless_pages(
    items: list[int], size: int, requested: list[int], *, links: bool = False, past_the_end: str = "404"
) -> Fetch:
    """`items` cut into pages of `size` without `count`; `links`: with `next` (null on the last page);
    past the end, a 404 ("404") or an empty page ("empty")."""

    def fetch(number: int) -> SparsePage[int]:
        requested.append(number)
        chunk = items[(number - 1) * size : number * size]
        if number > 1 and not chunk and past_the_end == "404":
            raise not_found()
        more = number * size < len(items)
        next_link: str | None | Unset = (f"http://127.0.0.1/?page={number + 1}" if more else None) if links else UNSET
        return SparsePage(results=chunk, next_=next_link)

    return fetch


def read_sync(fetch: Fetch) -> list[Any]:
    return list(iterate_pages(fetch, operation="op"))


def read_async(fetch: Fetch, concurrency: int) -> list[Any]:
    async def fetch_async(number: int) -> SparsePage[Any]:
        await asyncio.sleep(0)  # lets the other pages in flight start, as requests would
        return fetch(number)

    async def read_all() -> list[Any]:
        return [item async for item in aiterate_pages(fetch_async, concurrency=concurrency, operation="op")]

    return asyncio.run(read_all())


ENGINES: list[Callable[[Fetch], list[Any]]] = [
    read_sync,
    lambda fetch: read_async(fetch, 1),
    lambda fetch: read_async(fetch, 4),
]
each_engine = pytest.mark.parametrize("read", ENGINES, ids=["sync", "async-1", "async-4"])


@each_engine
@pytest.mark.parametrize("total", [0, 1, 10, 25, 30])
def test_without_count_a_null_next_ends_the_listing_and_no_page_after_it_is_asked_for(
    read: Callable[[Fetch], list[Any]], total: int
) -> None:
    requested: list[int] = []
    assert read(countless_pages(list(range(total)), 10, requested, links=True)) == list(range(total))
    last = max(1, math.ceil(total / 10))
    assert sorted(n for n in requested if n <= last) == list(range(1, last + 1))
    # Past the end: nothing, but for the pages the async engine asks for with page 1, before it answers.
    past_the_end = [n for n in requested if n > last]
    assert all(n <= SPECULATIVE_PAGES for n in past_the_end) and (past_the_end == [] or read is not read_sync)


@each_engine
@pytest.mark.parametrize("past_the_end", ["404", "empty"])
def test_without_count_or_next_a_page_shorter_than_page_1_ends_the_listing(
    read: Callable[[Fetch], list[Any]], past_the_end: str
) -> None:
    requested: list[int] = []
    assert read(countless_pages(list(range(25)), 10, requested, past_the_end=past_the_end)) == list(range(25))
    assert sorted(requested)[:3] == [1, 2, 3] and len(set(requested)) == len(requested)


@each_engine
@pytest.mark.parametrize("past_the_end", ["404", "empty"])
def test_without_count_or_next_a_listing_of_full_pages_ends_at_the_404_or_empty_page_after_it(
    read: Callable[[Fetch], list[Any]], past_the_end: str
) -> None:
    requested: list[int] = []
    assert read(countless_pages(list(range(20)), 10, requested, past_the_end=past_the_end)) == list(range(20))
    assert {1, 2, 3} <= set(requested)


def test_without_count_the_sync_engine_asks_for_one_page_past_the_end_at_most() -> None:
    requested: list[int] = []
    assert read_sync(countless_pages(list(range(20)), 10, requested)) == list(range(20))
    assert requested == [1, 2, 3]


@pytest.mark.parametrize("concurrency", [1, 2, 4, 8])
def test_without_count_the_async_engine_asks_for_fewer_than_concurrency_pages_past_the_end(concurrency: int) -> None:
    requested: list[int] = []
    assert read_async(countless_pages(list(range(95)), 10, requested), concurrency) == list(range(95))
    # Page 10 is the last (5 items): at most concurrency - 1 pages after it were asked for, each once.
    assert set(range(1, 11)) <= set(requested) and len(set(requested)) == len(requested)
    assert max(requested) <= 10 + concurrency - 1


@each_engine
def test_an_empty_page_1_without_count_is_an_empty_listing(read: Callable[[Fetch], list[Any]]) -> None:
    requested: list[int] = []
    assert read(countless_pages([], 10, requested)) == []
    assert requested[0] == 1 and all(n <= SPECULATIVE_PAGES for n in requested)


@each_engine
def test_a_first_page_without_results_raises_pagination_error_naming_it(read: Callable[[Fetch], list[Any]]) -> None:
    with pytest.raises(PaginationError, match=r"^op, page 1: the page has no `results`") as caught:
        read(lambda number: SparsePage[int]())
    assert (caught.value.operation, caught.value.page) == ("op", 1)
    assert not isinstance(caught.value, RepeatedPageError)


@each_engine
@pytest.mark.parametrize("count", [UNSET, 30], ids=["without-count", "with-count"])
def test_a_later_page_without_results_raises_pagination_error_naming_it(
    read: Callable[[Fetch], list[Any]], count: int | Unset
) -> None:
    def fetch(number: int) -> SparsePage[int]:
        return SparsePage(count=count, results=[1, 2, 3]) if number == 1 else SparsePage(count=count)

    with pytest.raises(PaginationError, match=r"^op, page 2: the page has no `results`") as caught:
        read(fetch)
    assert caught.value.page == 2


def test_the_items_of_pages_before_one_without_results_are_yielded_first() -> None:
    def fetch(number: int) -> SparsePage[int]:
        return SparsePage(results=[1, 2]) if number == 1 else SparsePage()

    iterator = iterate_pages(fetch, operation="op")
    assert [next(iterator), next(iterator)] == [1, 2]
    with pytest.raises(PaginationError, match="page 2"):
        next(iterator)


@each_engine
def test_without_count_a_page_longer_than_page_1_raises_pagination_error(read: Callable[[Fetch], list[Any]]) -> None:
    def fetch(number: int) -> SparsePage[int]:
        return SparsePage(results=list(range(number * 10, number * 10 + 5 + number)))

    with pytest.raises(
        PaginationError, match=r"^op, page 2: the page holds 7 item\(s\), more than page 1's 6"
    ) as caught:
        read(fetch)
    assert not isinstance(caught.value, RepeatedPageError)


@each_engine
def test_without_count_a_server_that_ignores_page_raises_repeated_page(read: Callable[[Fetch], list[Any]]) -> None:
    with pytest.raises(RepeatedPageError) as caught:
        read(lambda number: SparsePage(results=[1, 2, 3]))
    assert caught.value.page == 2


@each_engine
def test_with_count_a_null_next_does_not_override_the_plan(read: Callable[[Fetch], list[Any]]) -> None:
    # `count` is the plan when there is one: a null `next` on a page `count` says is not the last changes nothing.
    def fetch(number: int) -> SparsePage[int]:
        return SparsePage(count=6, results=[number * 2, number * 2 + 1], next_=None)

    assert read(fetch) == [2, 3, 4, 5, 6, 7]


@attrs.define
class Sparse:
    """An item of a schema that leaves `id` optional, unset on every item (as the generated models give it)."""

    value: int
    id: uuid.UUID | Unset = UNSET


@each_engine
def test_items_whose_id_is_unset_are_told_apart_by_their_other_fields(read: Callable[[Fetch], list[Any]]) -> None:
    items = [Sparse(n) for n in range(25)]

    def fetch(number: int) -> SparsePage[Sparse]:
        return SparsePage(count=25, results=items[(number - 1) * 10 : number * 10])

    assert read(fetch) == items
