"""patches/runtime/pages.py: `Page`, the object `*_pages()` yield."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from patches.runtime.pages import Page


def a_page() -> Page[dict[str, object], int]:
    return Page(
        number=3, count=250, parsed={"count": 250, "results": list(range(100))}, items=list(range(100)), next_page=4
    )


def test_the_repr_names_the_page_and_counts_the_items_without_showing_them() -> None:
    assert repr(a_page()) == "Page(number=3, count=250, items=<100 items>, next_page=4)"
    last: Page[None, int] = Page(number=1, count=None, parsed=None, items=[], next_page=None)
    assert repr(last) == "Page(number=1, count=None, items=<0 items>, next_page=None)"


def test_a_page_is_frozen_compared_by_value_and_survives_pickling() -> None:
    page = a_page()
    with pytest.raises(dataclasses.FrozenInstanceError):
        page.number = 4  # type: ignore[misc]
    assert page == a_page() and page != dataclasses.replace(page, next_page=None)
    assert pickle.loads(pickle.dumps(page)) == page
