"""`Page`: one page of a paginated listing, as `sync_pages()` / `asyncio_pages()` and the `<operation>_pages()`
methods yield it (public as `hilos_client.types.Page`).

Kept apart from the engine (pagination.py) so that `hilos_client.types` can offer it without loading the
engine, its errors and httpx.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

PageModelT = TypeVar("PageModelT")
ItemT = TypeVar("ItemT")


@dataclass(frozen=True, slots=True, repr=False)
class Page(Generic[PageModelT, ItemT]):
    """One page of a listing, after the pagination checks passed for it.

    - `number`: the page number it was requested with (1 for the first page).
    - `count`: the listing's total number of items, as the server said on this page (None when the page
      gives no `count`). It can change from page to page while the data changes.
    - `parsed`: the page as the operation's `sync()` returns it (the page model, `next` / `previous` links
      included; the links are never followed).
    - `items`: the page's items (`parsed.results`), in server order.
    - `next_page`: the number of the page the iteration reads next, or None when this page is the last one
      as far as it tells (by its `count`; without one, by being shorter than page 1, empty, or having a null
      `next`). Store it to resume later with `start_page=next_page`.
    """

    number: int
    count: int | None
    parsed: PageModelT
    items: list[ItemT]
    next_page: int | None

    def __repr__(self) -> str:
        # Not the items, nor the page model: a page of 100 models would fill a log line or a traceback.
        return (
            f"Page(number={self.number}, count={self.count}, items=<{len(self.items)} items>, "
            f"next_page={self.next_page})"
        )


__all__ = ["Page"]
