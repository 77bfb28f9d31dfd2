"""patches/runtime: the construction-time checks of tokens, header values and time settings, and the
pagination guards, on plain values (no HTTP)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import attrs
import httpx
import pytest

from patches.runtime.client import check_header_values, check_timeout, check_token
from patches.runtime.errors import ConfigurationError, PaginationError, RepeatedPageError
from patches.runtime.pagination import iterate_pages


@pytest.mark.parametrize("token", ["abc", "Zm9v.YmFy-_~!", "x" * 200])
def test_a_visible_ascii_token_is_accepted(token: str) -> None:
    check_token(token)


@pytest.mark.parametrize("token", ["", " abc", "abc\n", "a\tb", "a b", "a\x7fb", "aé", 42])
def test_a_token_that_cannot_be_a_header_value_is_refused_unseen(token: object) -> None:
    with pytest.raises(ConfigurationError) as caught:
        check_token(token)
    assert not isinstance(token, str) or not token.strip() or token.strip() not in str(caught.value)


def test_header_values_allow_inner_spaces_but_not_line_breaks_or_non_ascii() -> None:
    check_header_values({"X-Name": "Jose Perez\tjr."})
    for value in ("a\r\nInjected: 1", "José"):
        with pytest.raises(ConfigurationError, match="X-Name"):
            check_header_values({"X-Name": value})


@pytest.mark.parametrize("timeout", [None, 0.5, 30, httpx.Timeout(5.0), httpx.Timeout(None, connect=2.0)])
def test_finite_positive_timeouts_are_accepted(timeout: object) -> None:
    check_timeout(timeout)


@pytest.mark.parametrize("timeout", [math.nan, math.inf, -1, 0, "5", True, httpx.Timeout(5.0, pool=math.inf)])
def test_other_timeouts_are_refused(timeout: object) -> None:
    with pytest.raises(ConfigurationError, match="timeout"):
        check_timeout(timeout)


@attrs.frozen
class FakePage:
    count: int
    results: Sequence[int]


def test_a_page_equal_to_a_page_two_pages_back_is_refused() -> None:
    pages = {1: [1, 2], 2: [3, 4], 3: [1, 2]}
    with pytest.raises(RepeatedPageError) as caught:
        list(iterate_pages(lambda n: FakePage(count=100, results=pages[n]), operation="op"))
    assert caught.value.page == 3


def test_a_short_page_before_the_last_is_refused() -> None:
    pages = {1: [1, 2, 3], 2: [4], 3: [5, 6, 7]}
    with pytest.raises(PaginationError) as caught:
        list(iterate_pages(lambda n: FakePage(count=9, results=pages[n]), operation="op"))
    assert caught.value.page == 2


def test_a_short_last_page_that_its_count_explains_is_accepted() -> None:
    pages = {1: [1, 2, 3], 2: [4, 5, 6], 3: [7]}
    assert list(iterate_pages(lambda n: FakePage(count=7, results=pages[n]), operation="op")) == list(range(1, 8))
