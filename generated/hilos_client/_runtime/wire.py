# Copied from patches/runtime/wire.py by pipeline/generating/generate.py.
# Do not edit here: edit patches/runtime/wire.py, then run `make generate`.
"""How values look on the wire, both ways: date-times as the API writes them, any status code."""

from __future__ import annotations

import datetime
from http import HTTPStatus


def format_datetime(value: datetime.datetime) -> str:
    """ISO 8601 as the API writes it: UTC as `Z` (Django REST framework's form), so bodies round-trip."""
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def http_status(code: int) -> HTTPStatus | int:
    """`HTTPStatus(code)` for a registered code; the plain int for others (499, 520, ...), which HTTPStatus rejects."""
    try:
        return HTTPStatus(code)
    except ValueError:
        return code


__all__ = ["format_datetime", "http_status"]
