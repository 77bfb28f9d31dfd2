"""patches/runtime/responses.py: the model or a typed error; a Response for any status."""

from __future__ import annotations

from http import HTTPStatus

import httpx
import pytest

from patches.runtime.errors import ATTEMPTS_EXTENSION, NotFoundError, ResponseValidationError, ServerError
from patches.runtime.responses import detailed_response, parsed_or_raise


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
