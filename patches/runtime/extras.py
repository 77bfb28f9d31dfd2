"""`extra_headers=` and `extra_query=` of every operation call: merged into the request `_get_kwargs` made.

The generated functions call `with_extras` only when one of them is given, so a call without extras costs
nothing more.
"""

from __future__ import annotations

from typing import Any

from .client import check_header_values
from .errors import ConfigurationError
from .types import ExtraHeaders, ExtraQuery

# The client sends its token itself (TokenAuth, to the base URL's origin only), and would silently replace one
# given here: refused instead, so that no call believes it sent another credential.
REFUSED_HEADERS = frozenset({"authorization"})
# RFC 9110's token characters: what a header name may be made of.
_NAME_CHARACTERS = frozenset("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


def check_extra_headers(headers: ExtraHeaders) -> None:
    """Raise ConfigurationError naming (never showing the value of) a header that cannot be sent, or
    `Authorization`, which the client sends itself."""
    for name in headers:
        if not isinstance(name, str) or not name or not set(name) <= _NAME_CHARACTERS:
            raise ConfigurationError(f"extra_headers: {name!r} is not a valid header name")
        if name.lower() in REFUSED_HEADERS:
            raise ConfigurationError(
                f"extra_headers: {name!r} is refused: the client sends Authorization itself (its token, to the base "
                "URL's origin only); use a client with another token instead"
            )
    check_header_values(headers)


def with_extras(
    request: dict[str, Any], extra_headers: ExtraHeaders | None, extra_query: ExtraQuery | None
) -> dict[str, Any]:
    """The request of `_get_kwargs` with `extra_headers` over its headers (by name, whatever the case; they
    also win over the client's `headers`) and `extra_query` after its query parameters (a name the operation
    also sends is replaced). Raises ConfigurationError for a header `check_extra_headers` refuses."""
    merged = dict(request)
    if extra_headers:
        check_extra_headers(extra_headers)
        replaced = {name.lower() for name in extra_headers}
        headers = {
            name: value for name, value in (request.get("headers") or {}).items() if name.lower() not in replaced
        }
        merged["headers"] = {**headers, **extra_headers}
    if extra_query:
        merged["params"] = {**(request.get("params") or {}), **extra_query}
    return merged


__all__ = ["REFUSED_HEADERS", "check_extra_headers", "with_extras"]
