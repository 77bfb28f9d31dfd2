"""patches/runtime/responses.py: the model or a typed error; a Response for any status."""

from __future__ import annotations

import datetime
from http import HTTPStatus

import httpx
import pytest

from patches.runtime.errors import (
    ATTEMPTS_EXTENSION,
    ELAPSED_EXTENSION,
    NotFoundError,
    ResponseValidationError,
    ServerError,
)
from patches.runtime.responses import detailed_response, parsed_or_raise
from patches.runtime.types import Response


def answer(status: int, attempts: int = 1) -> httpx.Response:
    request = httpx.Request("GET", "https://api.example/items", extensions={ATTEMPTS_EXTENSION: attempts})
    return httpx.Response(status, json={"detail": "x"}, request=request)


def parse_ok_only(response: httpx.Response) -> str | None:
    return "parsed" if response.status_code == 200 else None


def test_detailed_response_keeps_any_status_and_the_attempts() -> None:
    detailed = detailed_response(answer(520, attempts=3), parse_ok_only)
    assert detailed.status_code == 520 and detailed.parsed is None and detailed.attempts == 3
    assert detailed_response(answer(200), parse_ok_only).status_code is HTTPStatus.OK


def test_parsed_or_raise_returns_the_model_of_a_documented_2xx() -> None:
    assert parsed_or_raise(answer(200), parse_ok_only) == "parsed"


@pytest.mark.parametrize(("status", "error"), [(404, NotFoundError), (503, ServerError)])
def test_parsed_or_raise_raises_the_typed_error_of_a_non_2xx(status: int, error: type[Exception]) -> None:
    with pytest.raises(error):
        parsed_or_raise(answer(status), parse_ok_only)


def test_an_undocumented_2xx_is_a_validation_error() -> None:
    with pytest.raises(ResponseValidationError, match="status 204 is not a documented answer"):
        parsed_or_raise(answer(204), parse_ok_only)


def test_detailed_response_holds_the_request_its_url_and_the_calls_elapsed_time() -> None:
    request = httpx.Request(
        "GET", "https://api.example/items?page=2", extensions={ATTEMPTS_EXTENSION: 2, ELAPSED_EXTENSION: 1.5}
    )
    detailed = detailed_response(httpx.Response(200, json={}, request=request), parse_ok_only)
    assert detailed.request is request
    assert detailed.url == httpx.URL("https://api.example/items?page=2")
    assert detailed.elapsed == datetime.timedelta(seconds=1.5)
    # Not sent by send_request (no record of the call): no time is made up.
    assert detailed_response(answer(200), parse_ok_only).elapsed == datetime.timedelta(0)


def test_a_response_built_by_hand_keeps_its_positional_constructor() -> None:
    built = Response(HTTPStatus.OK, b"{}", {}, "parsed", 2)
    assert (built.status_code, built.content, built.parsed, built.attempts) == (HTTPStatus.OK, b"{}", "parsed", 2)
    assert built.url == httpx.URL("http://response-built-by-hand.invalid/")
    assert built.elapsed == datetime.timedelta(0)
    assert built.request is not Response(HTTPStatus.OK, b"", {}, None).request  # not one shared, mutable request


def test_the_responses_request_keeps_everything_but_the_credentials() -> None:
    headers = {"Authorization": "Token s3cr3t-t0ken", "Cookie": "session=s3cr3t-t0ken", "Accept": "application/json"}
    request = httpx.Request("GET", "https://api.example/items?page=2", headers=headers, extensions={"x": 1})
    detailed = detailed_response(httpx.Response(200, json={}, request=request), parse_ok_only)
    assert "s3cr3t-t0ken" not in repr(detailed)
    assert "s3cr3t-t0ken" not in str(detailed.request.headers.raw)
    assert (detailed.request.method, detailed.request.url) == ("GET", request.url)
    assert detailed.request.headers["Accept"] == "application/json"
    assert detailed.request.extensions["x"] == 1


def test_a_request_without_credentials_is_kept_as_it_is() -> None:
    request = httpx.Request("GET", "https://api.example/items", headers={"Accept": "application/json"})
    assert detailed_response(httpx.Response(200, json={}, request=request), parse_ok_only).request is request
