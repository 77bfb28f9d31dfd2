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
    assert wire._fast_decoder() is not None


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


def test_a_kept_text_is_used_only_for_the_very_value_parsed_from_it_and_only_as_formatting_writes_it() -> None:
    parsed = datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)
    kept = (parsed, "2024-01-02T03:04:05+00:00", None, None)
    assert wire.kept_date_time_text(kept, 0, parsed) == format_datetime(parsed)
    assert wire.kept_date_time_text(kept, 0, parsed.replace()) is None  # equal, but another object
    assert wire.kept_date_time_text(None, 0, parsed) is None  # built in Python
    assert wire.kept_date_time_text(kept, 2, None) is None  # null: the value writes itself
    assert wire.kept_date_time_text((parsed, "2024-01-02T03:04:05.0Z"), 0, parsed) is None
    day = datetime.date(2024, 1, 2)
    assert wire.kept_date_text((day, "2024-01-02"), 0, day) == "2024-01-02"
    assert wire.kept_date_text((day, "20240102"), 0, day) is None
    text = "4f1c0b7e-7a3b-4d2e-9f1a-0c2b3d4e5f60"
    value = wire.parse_uuid(text)
    assert wire.kept_uuid_text((value, text), 0, value) is text
    assert wire.kept_uuid_text((value, text.upper()), 0, value) is None
