# Copied from patches/runtime/pagination.py by pipeline/generating/generate.py.
# Do not edit here: edit patches/runtime/pagination.py, then run `make generate`.
"""The page-number pagination engine behind every operation's `sync_pages()` / `asyncio_pages()` and
`sync_all()` / `asyncio_all()`.

Every operation whose response is page-number paginated (a `page` integer query parameter and a 200 body
with `count`, `next`, `previous` and `results`, required by the spec or not) gets them in its module:
`*_pages()` are thin wrappers over `read_pages()` / `aread_pages()` below, which yield `Page` objects, and
`*_all()` yield the items of those same pages (`items_of()` / `aitems_of()`). `iterate_pages()` and
`aiterate_pages()` (re-exported by `hilos_client.api`) are the item-level engine for a fetch function of
your own.

Resuming (`start_page=N`): page 1 is still read first, and its items are not yielded. It is what gives the
page size and the number of pages to the plan, and what the page-repetition guard compares page N with, so
a server that ignores `page` is caught at page N instead of passing page 1 off as page N; and a 404 for
page 1 stays an error (a wrong base URL), where a 404 for page N only means the listing no longer reaches
it. A `start_page` past the last page (by page 1's `count`, or a 404 for it) yields nothing, as slicing a
list past its end does: a job that stored `next_page` finds nothing left to read. `asyncio_pages()`
requests page 1 together with pages N, N + 1, ... (as many as it would request after page 1 when starting
at 1), so a resumed read costs the same round trips plus one request.

How a whole result set is read:

- Page numbers are computed from `count`, never taken from `next`: the API's links are absolute URLs, and
  following one that points at another host would hand that host the token.
- The effective page size is the length of the first page when it is not the last one, so a server that
  caps `page_size` (DRF's `max_page_size`) or ignores it does not make the plan skip items.
- A page without `count` (the spec may leave it optional) gives no plan: pages are then read in turn, and the
  listing ends at the first page shorter than page 1, an empty page, a page whose `next` is null (only
  whether it is null is read, never the link), or a 404. `asyncio_all()` keeps up to `concurrency` of the
  next pages in flight meanwhile, so such a listing costs up to `concurrency` - 1 requests past its end.
- A page without `results` (which the spec may also leave optional) raises `PaginationError` naming the
  page, page 1 included: `{}` is not an empty page (that is `"results": []`) but an answer that says nothing
  about the listing, and yielding nothing would pass off a server or proxy fault as an empty listing.
- Any 404 for a page after page 1 is taken as DRF's "Invalid page." past the end: page 1 of the same
  listing was just found, and the message is translated with the account's language, so it cannot decide.
- Live data: every page's `count` re-plans the last page. When the data shrinks, iteration stops at the new
  last page, at an empty page, or at the 404 the API answers for a page past the end; when it grows, the
  extra pages are read too. Page-number pagination over changing data can skip or repeat items that move
  between pages while it runs (see below); deduplicate by `id` if that matters.
- What changing data can do: rows added before the current position push items onto the next page, so
  they are yielded twice; rows deleted before it pull items onto pages already read, so they are skipped.
  Rows added or deleted after the current position are followed (through `count`). Nothing is ever
  invented: every item yielded was on a page the server returned.
- Runaway guards, each a `PaginationError` naming the page: a page equal to any earlier one
  (`RepeatedPageError`: a server or proxy that drops `page`, or alternates pages, would otherwise loop or
  invent a listing); a page whose length is not what page 1's page size and its own `count` make (the
  page size changed, so page numbers no longer mark the same items; without `count`, a page longer than
  page 1); a `count` that keeps growing past MAX_PAGE_GROWTH times the pages page 1 announced.
- Retries, rate limits (429 with Retry-After), timeouts and typed errors come from the client: each page
  is one ordinary call of the endpoint's `sync()` / `asyncio()`.
"""

from __future__ import annotations

import math
from collections.abc import AsyncGenerator, Callable, Coroutine, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from .errors import InvalidParameterError, InvalidParameterTypeError, NotFoundError, PaginationError, RepeatedPageError
from .pages import Page

if TYPE_CHECKING:
    import asyncio

    from .types import Unset

# Why eight: bench/README.md, "Why concurrency 8".
DEFAULT_CONCURRENCY = 8
# Items per request unless the caller says otherwise: fewer round trips than the API's small default. A server
# that caps the size lower is followed (the plan uses the first page's real length).
DEFAULT_PAGE_SIZE = 100
# A listing may grow while it is read, but not without end: at most this many times the pages that page 1's
# `count` announced (plus one) are read before PaginationError stops a server whose count never stops growing.
MAX_PAGE_GROWTH = 2
# Pages requested together with page 1, before its `count` tells how many there are (never more than the
# concurrency): a listing of up to this many pages takes one round trip; a shorter one costs a 404 per page
# asked for past its end.
SPECULATIVE_PAGES = 3

ItemT = TypeVar("ItemT")
PageModelT = TypeVar("PageModelT", bound="PageModel[Any]")
ItemT_co = TypeVar("ItemT_co", covariant=True)


class PageModel(Protocol[ItemT_co]):
    """What the engine needs from a paginated response model. `count` and `results` may be `UNSET`, as in the
    model of a page schema that does not require them; the module docstring says what each absence means.
    A page may also have a `next_` attribute (the generated models' name for `next`): only whether it is
    None is read, on pages without `count`."""

    @property
    def count(self) -> int | Unset: ...

    @property
    def results(self) -> Sequence[ItemT_co] | Unset: ...


def require_positive(name: str, value: object) -> int:
    """`value` if it is a positive int; InvalidParameterError (a ValueError) naming the argument otherwise, an
    InvalidParameterTypeError (also a TypeError) for a value that is not an int."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidParameterTypeError(f"must be a positive integer, got {value!r}", parameter=name)
    if value < 1:
        raise InvalidParameterError(f"must be a positive integer, got {value!r}", parameter=name)
    return value


class _Plan(Generic[ItemT]):
    """The pagination state machine shared by the sync and async engines: which page is the last one, and
    whether a page just received continues the iteration.

    `lookahead` is how many pages past the last one read may exist as far as the engine knows when pages have
    no `count`: 1 for the sync engine (the next page), `concurrency` for the async one (the pages it keeps in
    flight)."""

    def __init__(self, operation: str, lookahead: int = 1) -> None:
        self.operation = operation
        self.lookahead = lookahead
        self.page_size = 1
        self.last_page = 1
        # None: page 1 had no `count`, so there is no announced size for a growing count to exceed.
        self.page_cap: int | None = None
        # One hash per page already read: enough to recognise a page served again, at any distance, without
        # keeping pages in memory.
        self._seen: set[int] = set()

    def start(self, first: PageModel[ItemT]) -> Sequence[ItemT]:
        """Take page 1 and plan the rest; return its items."""
        results = self._results_of(1, first)
        count = first.count
        if isinstance(count, int):
            # The server's page size is the length of a page that is not the last: that is what it uses to
            # cut the next pages, whatever page_size was asked for. A first page that is empty or holds all
            # `count` items is the only page.
            if 0 < len(results) < count:
                self.page_size = len(results)
                self._replan(count)
            self.page_cap = MAX_PAGE_GROWTH * self.last_page + 1
        elif results and not _says_it_is_the_last(first):
            self.page_size = len(results)
            self.last_page = 1 + self.lookahead
        self._seen.add(_fingerprint(results))
        return results

    def accept(self, number: int, page: PageModel[ItemT]) -> Sequence[ItemT] | None:
        """Take page `number` (> 1): its items, or None when the iteration is over."""
        results = self._results_of(number, page)
        if not results:
            return None
        fingerprint = _fingerprint(results)
        if fingerprint in self._seen:
            raise RepeatedPageError(
                f"the server returned the same {len(results)} item(s) as for an earlier page; "
                "it ignores the page parameter, or the data shifted by exactly a page",
                operation=self.operation,
                page=number,
            )
        self._seen.add(fingerprint)
        count = page.count
        if isinstance(count, int):
            self._check_counted(number, len(results), count)
        else:
            self._follow_uncounted(number, len(results), page)
        return results

    def _check_counted(self, number: int, length: int, count: int) -> None:
        self._replan(count)
        # The page's own `count` says how many items it must hold: a full page before the last one, the
        # remainder on the last one. Anything else means the page size changed under the plan.
        expected = min(self.page_size, max(0, count - (number - 1) * self.page_size))
        if length != expected:
            raise PaginationError(
                f"the page holds {length} item(s) where page 1's page size ({self.page_size}) and its "
                f"count ({count}) make {expected}: the page size changed, so page numbers no longer "
                "mark the same items and items would be skipped or repeated",
                operation=self.operation,
                page=number,
            )
        if self.page_cap is not None and self.last_page > self.page_cap:
            raise PaginationError(
                f"`count` keeps growing ({count} items now): reading would not end; the iteration stops "
                f"at {MAX_PAGE_GROWTH} times the pages page 1 announced",
                operation=self.operation,
                page=number,
            )

    def _follow_uncounted(self, number: int, length: int, page: PageModel[ItemT]) -> None:
        # Without `count`, page 1's length is the page size: a shorter page is the last one, and a longer one
        # means the size changed under the page numbers.
        if length > self.page_size:
            raise PaginationError(
                f"the page holds {length} item(s), more than page 1's {self.page_size}, and gives no `count`: "
                "the page size changed, so page numbers no longer mark the same items and items would be "
                "skipped or repeated",
                operation=self.operation,
                page=number,
            )
        if length < self.page_size or _says_it_is_the_last(page):
            self.last_page = number
        else:
            self.last_page = number + self.lookahead

    def _results_of(self, number: int, page: PageModel[ItemT]) -> Sequence[ItemT]:
        from .types import Unset  # not at the top: it needs attrs, which `import hilos_client.api` spares

        results = page.results
        if isinstance(results, Unset):
            raise PaginationError(
                "the page has no `results` (an empty page has `results: []`), so it says nothing about the "
                "listing: the server or a proxy answered something other than a page",
                operation=self.operation,
                page=number,
            )
        return results

    def _replan(self, count: int) -> None:
        self.last_page = max(1, math.ceil(count / self.page_size))

    def skip_to(self, start_page: int) -> None:
        """Plan a read resumed at `start_page` (> 1) once page 1 is taken: with `count`, the plan already
        knows whether the page exists; without it, the pages that may exist now start at `start_page`."""
        if self.page_cap is None and self.last_page > 1:
            self.last_page = start_page - 1 + self.lookahead

    def page(self, number: int, parsed: PageModelT, results: Sequence[ItemT]) -> Page[PageModelT, ItemT]:
        """The `Page` of page `number`, just taken (`start` or `accept`), with the plan's next page."""
        count = getattr(parsed, "count", None)
        return Page(
            number=number,
            count=count if isinstance(count, int) else None,
            parsed=parsed,
            items=results if isinstance(results, list) else list(results),
            next_page=number + 1 if number < self.last_page else None,
        )


# What a page without a `next_` attribute gives: "not known to be the last page".
_NO_LINK = object()


def _says_it_is_the_last(page: PageModel[Any]) -> bool:
    # Read from the generated models (whose `next` is `next_`) when present: the PageModel protocol does not list
    # it, so fetch functions of other page types keep working. Only None is read, never the link.
    return getattr(page, "next_", _NO_LINK) is None


def _fingerprint(results: Sequence[Any]) -> int:
    # Items are models (attrs classes, unhashable); their `id` names them (a UUID: hashing a page's ids costs
    # a tenth of writing them out), their repr otherwise, as when the spec leaves `id` optional and it is
    # UNSET (falsy, like None), which would make every page of the same length look the same.
    names = tuple([getattr(item, "id", None) or item for item in results])
    try:
        return hash(names)
    except TypeError:
        return hash(tuple([repr(name) for name in names]))


def read_pages(
    fetch: Callable[[int], PageModelT], *, operation: str, start_page: int = 1
) -> Iterator[Page[PageModelT, Any]]:
    """Every page of a page-number paginated listing from `start_page` on, in order, as `Page` objects, one
    page in memory at a time (the engine keeps none of the pages it yielded).

    `fetch(page)` performs one request (with the caller's filters and page size) and returns the parsed
    page. `start_page` is checked now (a ValueError naming it); nothing is requested before the first
    `next()`. The module docstring says how a resumed read (`start_page` > 1) goes.
    """
    require_positive("start_page", start_page)
    return _read(fetch, operation, start_page)


def _read(fetch: Callable[[int], PageModelT], operation: str, start_page: int) -> Iterator[Page[PageModelT, Any]]:
    plan: _Plan[Any] = _Plan(operation)
    first = fetch(1)
    first_results = plan.start(first)
    if start_page == 1:
        yield plan.page(1, first, first_results)
    else:
        plan.skip_to(start_page)
    del first, first_results
    number = max(2, start_page)
    while number <= plan.last_page:
        try:
            page = fetch(number)
        except NotFoundError:
            return  # the data shrank under the plan: DRF's 404 "Invalid page." past the end
        results = plan.accept(number, page)
        if results is None:
            return
        yield plan.page(number, page, results)
        del page, results  # released before the next request: one page in memory at a time
        number += 1


def items_of(pages: Iterable[Page[Any, ItemT]]) -> Iterator[ItemT]:
    """The items of `pages`, in order, each page released before the next one is read."""
    for page in pages:
        yield from page.items
        del page


def iterate_pages(fetch: Callable[[int], PageModel[ItemT]], *, operation: str, start_page: int = 1) -> Iterator[ItemT]:
    """Every item of a page-number paginated listing, in server order, one page in memory at a time: the
    items of `read_pages(fetch, ...)`.

    `fetch(page)` performs one request (with the caller's filters and page size) and returns the parsed
    page. Nothing is requested before the first `next()`.
    """
    return items_of(read_pages(fetch, operation=operation, start_page=start_page))


def aread_pages(
    fetch: Callable[[int], Coroutine[Any, Any, PageModelT]], *, concurrency: int, operation: str, start_page: int = 1
) -> AsyncGenerator[Page[PageModelT, Any], None]:
    """Every page of a page-number paginated listing from `start_page` on, in order, as `Page` objects,
    reading up to `concurrency` pages at once: page 1 together with the next SPECULATIVE_PAGES - 1 (from
    `start_page` when resuming), then as many as its `count` calls for (without `count`: the next
    `concurrency`, until the listing ends).

    At most `concurrency` pages are requested or held at any time, besides the page the caller holds.
    Closing the iterator early (`break` inside `contextlib.aclosing(...)`, or `aclose()`) cancels the
    requests still in flight. `concurrency` and `start_page` are checked now; requests start with the first
    `__anext__()`.
    """
    require_positive("concurrency", concurrency)
    require_positive("start_page", start_page)
    return _aread(fetch, concurrency, operation, start_page)


async def _aread(
    fetch: Callable[[int], Coroutine[Any, Any, PageModelT]], concurrency: int, operation: str, start_page: int
) -> AsyncGenerator[Page[PageModelT, Any], None]:
    import asyncio  # loaded by whoever runs the loop; `import hilos_client` spares it

    plan: _Plan[Any] = _Plan(operation, lookahead=concurrency)
    # The pages right after page 1 (or from `start_page` on) are requested with it, before its `count` is
    # known: most listings are a few pages, which then take one round trip instead of two. A page past the
    # end answers 404 and is dropped.
    in_flight: dict[int, asyncio.Task[PageModelT]] = {1: asyncio.create_task(fetch(1))}
    next_to_request = max(2, start_page)
    while len(in_flight) < min(concurrency, SPECULATIVE_PAGES):
        in_flight[next_to_request] = asyncio.create_task(fetch(next_to_request))
        next_to_request += 1
    try:
        page = await in_flight.pop(1)
        results: Sequence[Any] | None = plan.start(page)
        if start_page > 1:
            plan.skip_to(start_page)
        next_to_request = await _drop_pages_past_the_end(in_flight, plan.last_page, next_to_request)
        number = 1
        while results is not None:
            if number >= start_page:
                yield plan.page(number, page, results)
            del page, results  # released before more pages are requested
            number = max(number + 1, start_page)
            if number > plan.last_page:
                return
            while next_to_request <= plan.last_page and len(in_flight) < concurrency:
                in_flight[next_to_request] = asyncio.create_task(fetch(next_to_request))
                next_to_request += 1
            try:
                page = await in_flight.pop(number)
            except NotFoundError:
                return  # the data shrank under the plan: DRF's 404 "Invalid page." past the end
            results = plan.accept(number, page)
            next_to_request = await _drop_pages_past_the_end(in_flight, plan.last_page, next_to_request)
    finally:
        await _cancel_all(in_flight.values())


async def aitems_of(pages: AsyncGenerator[Page[Any, ItemT], None]) -> AsyncGenerator[ItemT, None]:
    """The items of `pages`, in order; closing this iterator closes `pages` (which cancels its requests)."""
    try:
        async for page in pages:
            for item in page.items:
                yield item
            del page
    finally:
        await pages.aclose()


def aiterate_pages(
    fetch: Callable[[int], Coroutine[Any, Any, PageModel[ItemT]]],
    *,
    concurrency: int,
    operation: str,
    start_page: int = 1,
) -> AsyncGenerator[ItemT, None]:
    """Every item of a page-number paginated listing, in server order: the items of `aread_pages(fetch,
    ...)`, up to `concurrency` pages at once.

    Closing the iterator early (`break` inside `contextlib.aclosing(...)`, or `aclose()`) cancels the
    requests still in flight. `concurrency` and `start_page` are checked now; requests start with the first
    `__anext__()`.
    """
    return aitems_of(aread_pages(fetch, concurrency=concurrency, operation=operation, start_page=start_page))


async def _drop_pages_past_the_end(
    in_flight: dict[int, asyncio.Task[Any]], last_page: int, next_to_request: int
) -> int:
    """Cancel the requests for pages after `last_page` (the data shrank, or they were asked for before page 1
    told the count); return the next page number to request."""
    if next_to_request <= last_page + 1:
        return next_to_request
    await _cancel_all([in_flight.pop(n) for n in sorted(in_flight) if n > last_page])
    return last_page + 1


async def _cancel_all(tasks: Iterable[asyncio.Task[Any]]) -> None:
    """Cancel the requests still running and wait for them, so none outlives the iterator and no
    exception of a page nobody will read is reported as "never retrieved"."""
    import asyncio  # see _aiterate

    pending = list(tasks)
    for task in pending:
        task.cancel()
    if pending:
        await asyncio.gather(*pending, return_exceptions=True)


__all__ = [
    "DEFAULT_CONCURRENCY",
    "DEFAULT_PAGE_SIZE",
    "MAX_PAGE_GROWTH",
    "SPECULATIVE_PAGES",
    "Page",
    "PageModel",
    "aiterate_pages",
    "iterate_pages",
    "require_positive",
]
