"""patches/runtime/pagination.py: the engine, driven by plain fetch functions (no HTTP)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Sequence

import attrs
import httpx
import pytest

from patches.runtime.errors import NotFoundError, RepeatedPageError
from patches.runtime.pagination import aiterate_pages, iterate_pages, require_positive


@attrs.frozen
class FakePage:
    count: int
    results: Sequence[int]


def pages_of(items: list[int], size: int, requested: list[int]) -> Callable[[int], FakePage]:
    def fetch(number: int) -> FakePage:
        requested.append(number)
        chunk = items[(number - 1) * size : number * size]
        if number > 1 and not chunk:
            response = httpx.Response(404, json={"detail": "Invalid page."}, request=httpx.Request("GET", "http://t/"))
            raise NotFoundError(response)
        return FakePage(count=len(items), results=chunk)

    return fetch


def test_every_item_in_order_one_request_per_page() -> None:
    requested: list[int] = []
    assert list(iterate_pages(pages_of(list(range(25)), 10, requested), operation="op")) == list(range(25))
    assert requested == [1, 2, 3]


def test_nothing_is_requested_before_the_first_item_is_asked_for() -> None:
    requested: list[int] = []
    iterator = iterate_pages(pages_of([1, 2], 1, requested), operation="op")
    assert requested == []
    assert next(iterator) == 1 and requested == [1]


def test_a_page_repeating_the_previous_one_stops_with_its_number() -> None:
    def ignores_page(number: int) -> FakePage:
        return FakePage(count=30, results=[1, 2, 3])

    with pytest.raises(RepeatedPageError) as caught:
        list(iterate_pages(ignores_page, operation="op"))
    assert caught.value.page == 2 and caught.value.operation == "op"


@attrs.define
class Named:
    """An item like the generated models: unhashable, named by its `id`."""

    id: uuid.UUID


@attrs.define
class Unnamed:
    """An unhashable item without an `id`."""

    value: int


@pytest.mark.parametrize("make", [lambda n: Named(uuid.UUID(int=n)), Unnamed], ids=["by id", "by repr"])
def test_pages_of_models_are_told_apart_and_a_repeated_one_is_recognised(make: Callable[[int], object]) -> None:
    items = [make(n) for n in range(25)]
    distinct = pages_of(items, 10, [])  # type: ignore[arg-type]
    assert list(iterate_pages(distinct, operation="op")) == items

    def ignores_page(number: int) -> FakePage:
        return FakePage(count=30, results=items[:10])  # type: ignore[arg-type]

    with pytest.raises(RepeatedPageError) as caught:
        list(iterate_pages(ignores_page, operation="op"))
    assert caught.value.page == 2


def test_async_engine_keeps_at_most_concurrency_requests_in_flight() -> None:
    in_flight = peak = 0

    async def fetch(number: int) -> FakePage:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0)
        in_flight -= 1
        return FakePage(count=100, results=list(range((number - 1) * 5, number * 5)))

    async def read_all() -> list[int]:
        return [item async for item in aiterate_pages(fetch, concurrency=3, operation="op")]

    assert asyncio.run(read_all()) == list(range(100))
    assert peak == 3


@pytest.mark.parametrize("value", [0, -1, True, 1.5, "2"])
def test_require_positive_names_the_argument(value: object) -> None:
    with pytest.raises(ValueError, match="^page_size: must be a positive integer"):
        require_positive("page_size", value)
