"""patches/runtime/wire.py: date-times written as the API writes them; any status code."""

from __future__ import annotations

import datetime
from http import HTTPStatus

from patches.runtime.wire import format_datetime, http_status


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
