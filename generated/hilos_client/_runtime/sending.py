# Copied from patches/runtime/sending.py by pipeline/generating/generate.py.
# Do not edit here: edit patches/runtime/sending.py, then run `make generate`.
"""How every operation's request is sent: the client's retries, one log line, typed transport errors."""

from __future__ import annotations

from typing import Any

import httpx
from httpx_retries import aretry_request, retry_request

from . import errors
from .client import Client
from .retries import CallRecord, logger
from .types import UNSET, Unset


def _request_target(client: Client, request: dict[str, Any]) -> tuple[str, str]:
    """Method and redacted absolute URL of an operation's request, for log lines."""
    url = httpx.URL(client.base_url.rstrip("/") + "/" + str(request["url"]).lstrip("/"))
    if request.get("params"):
        url = url.copy_merge_params(request["params"])
    return request["method"].upper(), errors.redact_url(url)


def send_request(
    client: Client,
    request: dict[str, Any],
    *,
    timeout: float | httpx.Timeout | None | Unset = UNSET,
) -> httpx.Response:
    """Send one operation's request (the dict its `_get_kwargs` made) with the client's retries.

    Returns the final response, whatever its status; its request's extensions record the attempts.
    Raises errors.ApiConnectionError / ApiTimeoutError when no response came on any attempt.
    """
    call = CallRecord(*_request_target(client, request))
    extra: dict[str, Any] = {} if isinstance(timeout, Unset) else {"timeout": timeout}
    try:
        response = retry_request(client.get_httpx_client(), retry=client.retry_policy(call), **request, **extra)
    except httpx.RequestError as exc:
        raise _failed(call, exc) from exc
    return _finished(call, response)


async def send_request_async(
    client: Client,
    request: dict[str, Any],
    *,
    timeout: float | httpx.Timeout | None | Unset = UNSET,
) -> httpx.Response:
    """Async twin of send_request."""
    call = CallRecord(*_request_target(client, request))
    extra: dict[str, Any] = {} if isinstance(timeout, Unset) else {"timeout": timeout}
    try:
        response = await aretry_request(
            client.get_async_httpx_client(), retry=client.retry_policy(call), **request, **extra
        )
    except httpx.RequestError as exc:
        raise _failed(call, exc) from exc
    return _finished(call, response)


def _finished(call: CallRecord, response: httpx.Response) -> httpx.Response:
    response.request.extensions[errors.ATTEMPTS_EXTENSION] = call.attempts
    # httpx links a response and its body stream both ways, so every body would wait for the cycle collector;
    # a plain byte stream over the already-read body breaks the cycle (flat memory in sync_all, `make bench`).
    response.stream = httpx.ByteStream(response.content)
    logger.debug(
        "%s %s -> %d in %.3f s, %d attempt(s)",
        call.method,
        call.url,
        response.status_code,
        call.elapsed,
        call.attempts,
        extra=_log_fields(call, response.status_code),
    )
    return response


def _failed(call: CallRecord, exc: httpx.RequestError) -> errors.ApiConnectionError:
    logger.debug(
        "%s %s -> %s in %.3f s, %d attempt(s)",
        call.method,
        call.url,
        type(exc).__name__,
        call.elapsed,
        call.attempts,
        extra=_log_fields(call, None),
    )
    return errors.transport_error_for(exc, method=call.method, url=call.url, attempts=call.attempts)


def _log_fields(call: CallRecord, status: int | None) -> dict[str, Any]:
    return {
        "hilos_method": call.method,
        "hilos_url": call.url,
        "hilos_status": status,
        "hilos_elapsed": call.elapsed,
        "hilos_attempts": call.attempts,
    }


__all__ = ["send_request", "send_request_async"]
