# Copied from patches/runtime/sending.py by pipeline/generating/generate.py.
# Do not edit here: edit patches/runtime/sending.py, then run `make generate`.
"""How every operation's request is sent: the client's retries, one log line, typed transport errors."""

from __future__ import annotations

import logging
import weakref
from typing import Any

import httpx
from httpx_retries import aretry_request, retry_request

from . import errors
from .client import Client
from .retries import CallRecord, logger
from .types import UNSET, Unset


def _call_record(client: Client, request: dict[str, Any]) -> CallRecord:
    def redacted_url() -> str:
        url = httpx.URL(client.base_url.rstrip("/") + "/" + str(request["url"]).lstrip("/"))
        if request.get("params"):
            url = url.copy_merge_params(request["params"])
        return errors.redact_url(url)

    return CallRecord(request["method"].upper(), redacted_url)


# Per httpx client: its base URL object and that URL as a string prefix (None when httpx must do the merge).
_url_prefixes: weakref.WeakKeyDictionary[httpx.Client | httpx.AsyncClient, tuple[httpx.URL, str | None]] = (
    weakref.WeakKeyDictionary()
)


def _absolute_url(http: httpx.Client | httpx.AsyncClient, path: str) -> str:
    """The operation's path joined to the httpx client's base URL, as httpx itself would join it.

    httpx parses a relative URL, then the base URL again to merge them: handing it the joined string
    saves a third of its request-building time. A base URL that is not absolute, or has a query or a
    fragment, is left to httpx.
    """
    base = http.base_url
    known = _url_prefixes.get(http)
    if known is None or known[0] is not base:
        simple = base.is_absolute_url and not base.query and not base.fragment
        known = (base, str(base) if simple else None)
        _url_prefixes[http] = known
    prefix = known[1]
    return path if prefix is None or not path.startswith("/") else prefix + path.lstrip("/")


def _arguments(
    http: httpx.Client | httpx.AsyncClient, request: dict[str, Any], timeout: float | httpx.Timeout | None | Unset
) -> dict[str, Any]:
    arguments = {**request, "url": _absolute_url(http, request["url"])}
    if not isinstance(timeout, Unset):
        arguments["timeout"] = timeout
    return arguments


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
    call = _call_record(client, request)
    http = client.get_httpx_client()
    try:
        response = retry_request(http, retry=client.retry_policy(call), **_arguments(http, request, timeout))
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
    call = _call_record(client, request)
    http = client.get_async_httpx_client()
    try:
        response = await aretry_request(http, retry=client.retry_policy(call), **_arguments(http, request, timeout))
    except httpx.RequestError as exc:
        raise _failed(call, exc) from exc
    return _finished(call, response)


def _finished(call: CallRecord, response: httpx.Response) -> httpx.Response:
    response.request.extensions[errors.ATTEMPTS_EXTENSION] = call.attempts
    # httpx links a response and its body stream both ways, so every body would wait for the cycle collector;
    # a plain byte stream over the already-read body breaks the cycle (flat memory in sync_all, `make bench`).
    response.stream = httpx.ByteStream(response.content)
    if logger.isEnabledFor(logging.DEBUG):
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
    if logger.isEnabledFor(logging.DEBUG):
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
