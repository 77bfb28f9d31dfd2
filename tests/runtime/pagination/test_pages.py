"""`sync_pages` / `asyncio_pages` and the `<operation>_pages` methods of `Hilos` / `AsyncHilos`, for every
paginated operation of the spec, against the loopback fake API serving the spec (`serve_spec()`): the pages
yielded, resuming with `start_page` (on `_all` too), a start past the end, arguments refused before any
request, the runaway guards on a resumed read, one page in memory at a time, concurrency from page N."""

from __future__ import annotations

import asyncio
import inspect
import typing
import weakref
from collections.abc import Iterator
from contextlib import aclosing
from typing import Any

import pytest
from hilos_client import AsyncHilos, Hilos
from hilos_client.api import SPECULATIVE_PAGES
from hilos_client.errors import NotFoundError, PaginationError, RepeatedPageError
from hilos_client.types import Page

from tests.support.fake_hilos import DEFAULT_PAGE_SIZE, TOKEN, FakeHilosServer, Fault, RecordedRequest
from tests.support.operation_cases import SPEC, OperationCase, each_operation, fullest_instance
from tests.support.pages import hold_pages_after, page_number
from tests.support.spec_schema import resolve
from tests.support.waiting import eventually

EACH_LISTING = each_operation(where=lambda case: case.paginated)
SURFACES = ("sync", "asyncio", "Hilos", "AsyncHilos")
SYNC_SURFACES = ("sync", "Hilos")
PAGES = 4  # three full pages and a last one holding one item


@pytest.fixture
def api() -> Iterator[FakeHilosServer]:
    """The loopback API serving every operation, each request checked against the spec."""
    with FakeHilosServer(validate_requests=True).serve_spec() as server:
        yield server


def page_size_of(case: OperationCase) -> int | None:
    """The `page_size` these tests pass (None: the operation takes none, the server's default applies)."""
    return 2 if "page_size" in inspect.signature(case.module().sync_pages).parameters else None


def listing_items(case: OperationCase, count: int) -> list[Any]:
    """`count` distinct spec-valid items of the listing's `results`."""
    item_schema = resolve(SPEC, case.response_schema() or {})["properties"]["results"]["items"]
    return [fullest_instance(item_schema, index=index) for index in range(count)]


def serve(case: OperationCase, server: FakeHilosServer, pages: int = PAGES) -> list[Any]:
    """Give the listing `pages` pages (the last holding one item); return the items as the models parse them."""
    size = page_size_of(case) or DEFAULT_PAGE_SIZE
    items = listing_items(case, size * (pages - 1) + 1)
    server.listings[case.operation.name] = items
    item_class = typing.get_args(typing.get_type_hints(case.module().sync_all)["return"])[0]
    return [item_class.from_dict(item) for item in items]


def arguments(case: OperationCase, **more: Any) -> dict[str, Any]:
    found = {**case.required_arguments(), **more}
    if page_size_of(case) is not None:
        found.setdefault("page_size", page_size_of(case))
    return found


def call(surface: str, kind: str, case: OperationCase, hilos: Hilos | AsyncHilos, given: dict[str, Any]) -> Any:
    """The iterator `<kind>` ("pages" or "all") returns on `surface`, not yet read."""
    if surface in ("Hilos", "AsyncHilos"):
        return getattr(getattr(hilos, case.operation.tag), f"{case.operation.name}_{kind}")(**given)
    prefix = "asyncio" if surface == "asyncio" else "sync"
    return getattr(case.module(), f"{prefix}_{kind}")(client=hilos.client, **given)


async def read(surface: str, kind: str, case: OperationCase, server: FakeHilosServer, **given: Any) -> list[Any]:
    """Everything `<kind>` yields on `surface`, read to the end."""
    if surface in SYNC_SURFACES:
        with Hilos(base_url=server.base_url, token=TOKEN) as hilos:
            return list(call(surface, kind, case, hilos, given))
    async with AsyncHilos(base_url=server.base_url, token=TOKEN) as ahilos:
        async with aclosing(call(surface, kind, case, ahilos, given)) as iterator:
            return [found async for found in iterator]


def requested(server: FakeHilosServer) -> list[int]:
    return sorted(page_number(request) for request in server.requests)


def flattened(pages: list[Page[Any, Any]]) -> list[Any]:
    return [item for page in pages for item in page.items]


@EACH_LISTING
@pytest.mark.parametrize("surface", SURFACES)
async def test_pages_carry_their_number_count_parsed_page_items_and_next_page(
    api: FakeHilosServer, case: OperationCase, surface: str
) -> None:
    expected = serve(case, api)
    pages = await read(surface, "pages", case, api, **arguments(case))
    assert [page.number for page in pages] == [1, 2, 3, 4]
    assert [page.next_page for page in pages] == [2, 3, 4, None]
    assert {page.count for page in pages} == {len(expected)}
    page_model = typing.get_type_hints(case.module().sync)["return"]
    assert all(type(page.parsed) is page_model and page.parsed.results is page.items for page in pages)
    assert flattened(pages) == expected
    assert await read(surface, "all", case, api, **arguments(case)) == expected
    assert api.validation_errors == []


@EACH_LISTING
@pytest.mark.parametrize("surface", SURFACES)
@pytest.mark.parametrize("start_page", [2, 3, PAGES])
async def test_resuming_at_page_n_gives_the_tail_of_a_full_read(
    api: FakeHilosServer, case: OperationCase, surface: str, start_page: int
) -> None:
    serve(case, api)
    full = await read(surface, "pages", case, api, **arguments(case))
    api.requests.clear()

    tail = await read(surface, "pages", case, api, **arguments(case, start_page=start_page))

    assert [(p.number, p.count, p.items, p.next_page) for p in tail] == [
        (p.number, p.count, p.items, p.next_page) for p in full[start_page - 1 :]
    ]
    # Page 1 is read to plan and check the rest, then pages N, N + 1, ... (each once); asyncio_pages also asks
    # for the pages requested together with page 1 (from N on), which may lie past the end (404, dropped).
    wanted = [1, *range(start_page, PAGES + 1)]
    if surface in SYNC_SURFACES:
        assert requested(api) == wanted
    else:
        assert [number for number in requested(api) if number <= PAGES] == wanted
        assert max(requested(api)) <= max(PAGES, start_page + SPECULATIVE_PAGES - 2)
    items = await read(surface, "all", case, api, **arguments(case, start_page=start_page))
    assert items == flattened(full[start_page - 1 :])
    assert api.validation_errors == []


@EACH_LISTING
@pytest.mark.parametrize("surface", SURFACES)
@pytest.mark.parametrize("start_page", [PAGES + 1, 1000])
async def test_a_start_past_the_last_page_yields_nothing(
    api: FakeHilosServer, case: OperationCase, surface: str, start_page: int
) -> None:
    serve(case, api)
    assert await read(surface, "pages", case, api, **arguments(case, start_page=start_page)) == []
    assert await read(surface, "all", case, api, **arguments(case, start_page=start_page)) == []
    if surface in SYNC_SURFACES:
        assert requested(api) == [1, 1]  # page 1's count says where the listing ends: nothing else is asked
    else:  # besides page 1, only the pages asked for together with it (each answers 404, dropped)
        assert 1 in requested(api) and all(number == 1 or number >= start_page for number in requested(api))


@EACH_LISTING
@pytest.mark.parametrize("surface", SURFACES)
@pytest.mark.parametrize("kind", ["pages", "all"])
async def test_a_404_for_page_1_stays_an_error_when_resuming(
    api: FakeHilosServer, case: OperationCase, surface: str, kind: str
) -> None:
    serve(case, api)
    api.handler = lambda request: (
        Fault(status=404, body={"detail": "Not found."}) if page_number(request) == 1 else None
    )
    with pytest.raises(NotFoundError):
        await read(surface, kind, case, api, **arguments(case, start_page=3))


@EACH_LISTING
@pytest.mark.parametrize("surface", SURFACES)
@pytest.mark.parametrize("kind", ["pages", "all"])
@pytest.mark.parametrize("start_page", [0, -1, True, 2.5, "2", None])
async def test_a_start_page_that_is_not_a_whole_number_from_1_is_refused_before_any_request(
    api: FakeHilosServer, case: OperationCase, surface: str, kind: str, start_page: object
) -> None:
    serve(case, api)
    if surface in SYNC_SURFACES:
        with Hilos(base_url=api.base_url, token=TOKEN) as hilos:
            with pytest.raises(ValueError, match="^start_page: must be a positive integer"):
                call(surface, kind, case, hilos, arguments(case, start_page=start_page))
    else:
        async with AsyncHilos(base_url=api.base_url, token=TOKEN) as ahilos:
            with pytest.raises(ValueError, match="^start_page: must be a positive integer"):
                call(surface, kind, case, ahilos, arguments(case, start_page=start_page))
    assert api.requests == []


def page_1_for_every_page(case: OperationCase, server: FakeHilosServer) -> None:
    """Answer every request with page 1, as a server or proxy that drops `page` would."""
    size = page_size_of(case) or DEFAULT_PAGE_SIZE
    items = server.listings[case.operation.name]
    body = {"count": len(items), "next": None, "previous": None, "results": items[:size]}
    server.handler = lambda request: Fault(status=200, body=body)


@EACH_LISTING
@pytest.mark.parametrize("surface", SURFACES)
async def test_a_server_that_ignores_page_is_caught_at_the_resumed_page(
    api: FakeHilosServer, case: OperationCase, surface: str
) -> None:
    serve(case, api)
    page_1_for_every_page(case, api)
    with pytest.raises(RepeatedPageError) as raised:
        await read(surface, "pages", case, api, **arguments(case, start_page=3))
    assert (raised.value.page, raised.value.operation) == (3, case.operation.name)


@EACH_LISTING
@pytest.mark.parametrize("surface", SURFACES)
async def test_a_resumed_page_whose_length_breaks_the_plan_raises_pagination_error(
    api: FakeHilosServer, case: OperationCase, surface: str
) -> None:
    serve(case, api)
    size = page_size_of(case) or DEFAULT_PAGE_SIZE
    items = api.listings[case.operation.name]

    def short_page_3(request: RecordedRequest) -> Fault | None:  # count says page 3 is full: it holds one less
        if page_number(request) != 3:
            return None
        results = items[2 * size : 3 * size - 1]
        return Fault(status=200, body={"count": len(items), "next": None, "previous": None, "results": results})

    api.handler = short_page_3
    with pytest.raises(PaginationError, match="page size changed") as raised:
        await read(surface, "pages", case, api, **arguments(case, start_page=3))
    assert raised.value.page == 3


@EACH_LISTING
@pytest.mark.parametrize("surface", SYNC_SURFACES)
@pytest.mark.parametrize("kind", ["pages", "all"])
def test_each_page_is_released_before_the_next_one_is_requested(
    api: FakeHilosServer, case: OperationCase, surface: str, kind: str
) -> None:
    serve(case, api)
    held: list[weakref.ref[Any]] = []  # what the caller dropped: the page models (pages) or the items (all)
    alive_at_request: list[int] = []

    def count_alive(request: RecordedRequest) -> None:
        alive_at_request.append(sum(ref() is not None for ref in held))

    api.handler = count_alive
    with Hilos(base_url=api.base_url, token=TOKEN) as hilos:
        for found in call(surface, kind, case, hilos, arguments(case)):
            held.append(weakref.ref(found.parsed if kind == "pages" else found))
            del found
    assert len(alive_at_request) == PAGES
    assert alive_at_request == [0] * PAGES


@EACH_LISTING
@pytest.mark.parametrize("surface", ["asyncio", "AsyncHilos"])
async def test_asyncio_pages_from_page_n_request_pages_together(
    api: FakeHilosServer, case: OperationCase, surface: str
) -> None:
    serve(case, api, pages=8)
    start_page = 3
    gate = hold_pages_after(api, 1)  # pages 3, 4, ... wait at the server until the gate opens
    async with AsyncHilos(base_url=api.base_url, token=TOKEN) as ahilos:
        pages = call(surface, "pages", case, ahilos, arguments(case, start_page=start_page, concurrency=3))
        async with aclosing(pages):
            reading = asyncio.ensure_future(anext(pages))
            # Pages 3 and 4 are asked for together with page 1; once page 1 is answered, page 5 joins them.
            await eventually(lambda: len(api.requests) == 4 and api.in_flight == 3)
            assert {page_number(r) for r in api.requests} == {1, 3, 4, 5}
            gate.set()
            first = await reading
            rest = [page async for page in pages]
    assert [page.number for page in [first, *rest]] == list(range(3, 9))
    assert requested(api) == [1, *range(3, 9)]
    assert api.peak_in_flight == 3
