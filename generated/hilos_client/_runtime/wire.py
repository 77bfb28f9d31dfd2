# Copied from patches/runtime/wire.py by pipeline/generating/generate.py.
# Do not edit here: edit patches/runtime/wire.py, then run `make generate`.
"""How values look on the wire, both ways: JSON bodies, date-times as the API writes them, UUIDs, query arrays,
any status code."""

from __future__ import annotations

import datetime
import functools
import json
import re
from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any
from uuid import UUID, SafeUUID


@functools.cache
def _fast_decoder() -> Callable[[bytes], Any] | None:
    """msgspec's JSON decoder: about 40 % of json.loads' time, to the same Python objects (integers of any size
    included, where orjson would turn those beyond 64 bits into floats). A dependency only where it has wheels
    (CPython); elsewhere json.loads does the work. Loaded on the first body, as importing it takes a few ms."""
    try:
        from msgspec.json import Decoder
    except ImportError:  # pragma: no cover - the test environment has msgspec
        return None
    return Decoder().decode


_new_object = object.__new__
# UUID's slots, set through their descriptors: UUID forbids setattr, and object.__setattr__ would look the
# names up again on every call.
_set_uuid_int = UUID.__dict__["int"].__set__
_set_uuid_is_safe = UUID.__dict__["is_safe"].__set__
_UNKNOWN_SAFETY = SafeUUID.unknown

# `datetime.datetime.fromisoformat`, bound once for models to call per field.
parse_datetime = datetime.datetime.fromisoformat


def decode_json(content: bytes) -> Any:
    """`json.loads(content)`, the same objects for the same bytes and the same errors, about twice as fast.

    The fast decoder handles UTF-8 JSON as the standard allows it. What only json.loads takes (NaN and
    Infinity, numbers beyond a float's range, lone surrogates, UTF-16 and UTF-32 bodies, a byte order mark)
    or rejects (malformed JSON, with json's own error) goes to json.loads, so nothing is accepted or refused
    differently and the errors stay those of the standard library.
    """
    fast_decode = _fast_decoder()
    if fast_decode is not None:
        try:
            return fast_decode(content)
        except ValueError:  # msgspec.DecodeError, a ValueError
            pass
    return json.loads(content)


def format_datetime(value: datetime.datetime) -> str:
    """ISO 8601 as the API writes it: UTC as `Z` (Django REST framework's form), so bodies round-trip."""
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


# A model keeps the JSON text of each date-time, date and UUID it parses, beside the value (see model.py.jinja).
# When the value is unchanged, to_dict writes the text if it is exactly what formatting the value would give,
# which costs a fraction of formatting it: formatting is most of to_dict's time. Other spellings (upper-case
# UUIDs, fractions of other lengths, a date-time without offset...) are formatted, so to_dict's output never
# depends on how the API spelled a value. Each function returns that text, or None to format the value.
_DATE_TIME = re.compile(
    # format_datetime: microseconds only when not zero; `Z` for UTC; `+hh:mm` for other offsets
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.(?!000000)[0-9]{6})?(?:Z|[+-](?!00:00)[0-9]{2}:[0-9]{2})"
).fullmatch
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}").fullmatch
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}").fullmatch


def kept_date_time_text(kept: tuple[Any, ...] | None, at: int, value: object) -> str | None:
    """The text to write for a date-time field whose (value, text) `kept` holds at `at`, if any."""
    if kept is None or value is not kept[at] or type(text := kept[at + 1]) is not str:
        return None
    if text.endswith("+00:00"):  # UTC as Python writes it; format_datetime writes `Z`
        text = text[:-6] + "Z"
    return text if _DATE_TIME(text) else None


def kept_date_text(kept: tuple[Any, ...] | None, at: int, value: object) -> str | None:
    """The text to write for a date field whose (value, text) `kept` holds at `at`, if any."""
    if kept is None or value is not kept[at] or type(text := kept[at + 1]) is not str:
        return None
    return text if _DATE(text) else None


def kept_uuid_text(kept: tuple[Any, ...] | None, at: int, value: object) -> str | None:
    """The text to write for a UUID field whose (value, text) `kept` holds at `at`, if any."""
    if kept is None or value is not kept[at] or type(text := kept[at + 1]) is not str:
        return None
    return text if _UUID(text) else None


def form_array(values: Iterable[str | int | float | bool]) -> str:
    """A query array with `style: form, explode: false`: its items' wire values joined by commas.

    `values` are the items as the JSON body would carry them (enum values, UUIDs as text); booleans are
    spelled as JSON spells them, like the repeated (`explode: true`) form. An item holding a comma is
    refused: the server splits the value on every comma, so it would filter by two other values.
    """
    words = []
    for value in values:
        word = ("true" if value else "false") if isinstance(value, bool) else str(value)
        if "," in word:
            raise ValueError(f"{word!r} cannot be sent in a comma-separated query array: it holds a comma")
        words.append(word)
    return ",".join(words)


def parse_uuid(text: str) -> UUID:
    """`UUID(text)`, accepting exactly the same input and raising the same errors, about 3x faster on the
    canonical form the API sends. UUID.__init__ costs more than decoding the JSON around it: it strips
    prefixes and braces and goes through keyword handling before it comes to `int(hex, 16)`.

    The fast path takes a str whose dashes removed leave 32 characters that `int(..., 16)` accepts: those
    hold no `urn:`, `uuid:` or brace (int rejects `:`, `{`, `}`), so UUID would compute the same int from
    them, always inside 0 .. 2**128 - 1. Anything else goes to UUID itself.
    """
    if type(text) is str:
        digits = text.replace("-", "")
        if len(digits) == 32:
            try:
                value = int(digits, 16)
            except ValueError:
                pass
            else:
                uuid: UUID = _new_object(UUID)
                _set_uuid_int(uuid, value)
                _set_uuid_is_safe(uuid, _UNKNOWN_SAFETY)
                return uuid
    return UUID(text)


def http_status(code: int) -> HTTPStatus | int:
    """`HTTPStatus(code)` for a registered code; the plain int for others (499, 520, ...), which HTTPStatus rejects."""
    try:
        return HTTPStatus(code)
    except ValueError:
        return code


__all__ = [
    "decode_json",
    "form_array",
    "format_datetime",
    "http_status",
    "kept_date_text",
    "kept_date_time_text",
    "kept_uuid_text",
    "parse_datetime",
    "parse_uuid",
]
