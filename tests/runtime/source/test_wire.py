"""patches/runtime/wire.py: date-times written as the API writes them; any status code."""

from __future__ import annotations

import datetime
import json
from http import HTTPStatus

import pytest

from patches.runtime import wire
from patches.runtime.wire import decode_json, format_datetime, http_status

# What json.loads takes that a strict UTF-8 JSON decoder may not, and what both refuse.
ONLY_JSON_LOADS_TAKES = [
    b"NaN",
    b"[Infinity, -Infinity]",
    b"1e400",
    b'"\\ud800"',
    "{}".encode("utf-16"),
    b"\xef\xbb\xbf{}",
]
MALFORMED = [b"", b" ", b"{", b'{"a": 1,}', b"<html>502 Bad Gateway</html>", b"\xff\xfe\x00", b"[1] [2]"]


def test_the_fast_decoder_is_in_use() -> None:
    assert wire._fast_decode is not None


@pytest.mark.parametrize(
    "body",
    [
        b'{"count": 2, "results": [{"id": "4f1c", "n": null, "ok": true, "x": -0.0, "e": 1E2}]}',
        b"123456789012345678901234567890",
        b"-18446744073709551617",
        '"María \\u00e9 \\ud83d\\ude00 😀"'.encode(),
        b'{"a": 1, "a": 2}',
        *ONLY_JSON_LOADS_TAKES,
    ],
)
def test_decodes_to_exactly_what_json_loads_gives(body: bytes) -> None:
    decoded = decode_json(body)
    assert repr(decoded) == repr(json.loads(body))
    assert type(decoded) is type(json.loads(body))


@pytest.mark.parametrize("body", MALFORMED)
def test_malformed_bodies_raise_json_loads_own_error(body: bytes) -> None:
    with pytest.raises(ValueError) as expected:
        json.loads(body)
    with pytest.raises(type(expected.value)) as raised:
        decode_json(body)
    assert str(raised.value) == str(expected.value)


def test_utc_is_written_as_z() -> None:
    value = datetime.datetime(2026, 1, 2, 3, 4, 5, 600000, tzinfo=datetime.UTC)
    assert format_datetime(value) == "2026-01-02T03:04:05.600000Z"


def test_other_offsets_and_naive_times_are_iso_8601() -> None:
    plus_two = datetime.timezone(datetime.timedelta(hours=2))
    assert format_datetime(datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=plus_two)) == "2026-01-02T03:04:05+02:00"
    assert format_datetime(datetime.datetime(2026, 1, 2, 3, 4, 5)) == "2026-01-02T03:04:05"


def test_registered_codes_are_http_status_and_others_stay_ints() -> None:
    assert http_status(404) is HTTPStatus.NOT_FOUND
    assert http_status(520) == 520 and not isinstance(http_status(520), HTTPStatus)
