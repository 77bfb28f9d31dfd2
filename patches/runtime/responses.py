"""What an operation returns: the model or a typed error (`sync()`), or a `Response` for any status (`*_detailed`)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import TypeVar

import httpx

from . import errors
from .types import Response
from .wire import http_status

T = TypeVar("T")


def detailed_response(response: httpx.Response, parse: Callable[[httpx.Response], T | None]) -> Response[T]:
    """The response whatever its status, with the documented body parsed (None for an undocumented status);
    its `request` is the last one sent without its credentials (errors.without_credentials), its `elapsed` the whole call's, as sending.py recorded it (0 for a response send_request did not send)."""
    request = response.request
    return Response(
        status_code=http_status(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=parse(response),
        attempts=errors.attempts_of(request),
        request=errors.without_credentials(request),
        elapsed=datetime.timedelta(seconds=request.extensions.get(errors.ELAPSED_EXTENSION, 0.0)),
    )


def parsed_or_raise(response: httpx.Response, parse: Callable[[httpx.Response], T | None]) -> T:
    """The parsed 2xx body; the typed error for any other status or for a 2xx the operation does not document."""
    if not response.is_success:
        raise errors.status_error_for(response)
    parsed = parse(response)
    if parsed is None:
        raise undocumented_success(response)
    return parsed


def undocumented_success(response: httpx.Response) -> errors.ResponseValidationError:
    """The error for a 2xx answer whose status the operation does not document (no body to parse)."""
    return errors.ResponseValidationError(
        response, f"status {response.status_code} is not a documented answer of this operation"
    )


def raise_for_status(response: httpx.Response) -> None:
    """Nothing for a 2xx answer of an operation that documents no body (DELETE's 204); the typed error otherwise."""
    if not response.is_success:
        raise errors.status_error_for(response)


__all__ = ["detailed_response", "parsed_or_raise", "raise_for_status", "undocumented_success"]
