"""patches/runtime/extras.py: `extra_headers` and `extra_query` merged into an operation's request."""

from __future__ import annotations

from typing import Any

import pytest

from patches.runtime.errors import ConfigurationError
from patches.runtime.extras import with_extras
from patches.runtime.types import ExtraHeaders

REQUEST: dict[str, Any] = {
    "method": "post",
    "url": "/items",
    "params": {"page": 2, "tags": ["a", "b"]},
    "headers": {"Content-Type": "application/json"},
    "json": {"name": "x"},
}


def test_extra_headers_win_over_the_operations_by_name_whatever_the_case() -> None:
    merged = with_extras(REQUEST, {"content-type": "application/merge-patch+json", "X-Trace": "1"}, None)
    assert merged["headers"] == {"content-type": "application/merge-patch+json", "X-Trace": "1"}
    assert {key: value for key, value in merged.items() if key != "headers"} == {
        key: value for key, value in REQUEST.items() if key != "headers"
    }


def test_extra_query_goes_after_the_operations_parameters_and_replaces_a_name_it_shares() -> None:
    merged = with_extras(REQUEST, None, {"page": 3, "expand": ["x", "y"]})
    assert merged["params"] == {"page": 3, "tags": ["a", "b"], "expand": ["x", "y"]}
    assert list(merged["params"]) == ["page", "tags", "expand"]


def test_a_request_without_headers_or_parameters_gets_them() -> None:
    merged = with_extras({"method": "get", "url": "/items"}, {"X-Trace": "1"}, {"q": "z"})
    assert (merged["headers"], merged["params"]) == ({"X-Trace": "1"}, {"q": "z"})


def test_the_request_of_get_kwargs_is_not_changed() -> None:
    before = {**REQUEST, "headers": dict(REQUEST["headers"]), "params": dict(REQUEST["params"])}
    with_extras(REQUEST, {"X-Trace": "1"}, {"q": "z"})
    assert before == REQUEST


def test_empty_extras_change_nothing() -> None:
    assert with_extras(REQUEST, {}, {}) == REQUEST


@pytest.mark.parametrize("name", ["Authorization", "authorization", "AUTHORIZATION"])
def test_authorization_is_refused_without_showing_its_value(name: str) -> None:
    with pytest.raises(ConfigurationError, match="the client sends Authorization itself") as raised:
        with_extras(REQUEST, {name: "Token other-secret"}, None)
    assert "other-secret" not in str(raised.value)


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        ({"X-Bad": "line\r\nInjected: 1"}, "cannot be sent"),
        ({"X-Bad": "caf\u00e9"}, "cannot be sent"),
        ({"X-Bad": " padded"}, "whitespace"),
        ({"Bad Name": "1"}, "not a valid header name"),
        ({"": "1"}, "not a valid header name"),
        ({"X-Bad:": "1"}, "not a valid header name"),
    ],
)
def test_headers_that_cannot_be_sent_are_refused_by_name(headers: ExtraHeaders, message: str) -> None:
    with pytest.raises(ConfigurationError, match=message) as raised:
        with_extras(REQUEST, headers, None)
    assert "Injected" not in str(raised.value) and "caf" not in str(raised.value)
