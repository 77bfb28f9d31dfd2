"""patches/runtime/wire.py parse_uuid: the same UUIDs and the same errors as `uuid.UUID(text)`, for any text."""

from __future__ import annotations

import pickle
import uuid
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from patches.runtime.wire import parse_uuid

# Characters UUID's parsing treats specially, so that generated texts hit its edge cases often.
NEAR_HEX = st.text(alphabet="0123456789abcdefABCDEF-_ +{}:urnid\u0660\uff10g", max_size=45)
CANONICAL = st.uuids().map(str)


def outcome(parse: Any, text: Any) -> tuple[str, object]:
    try:
        value = parse(text)
    except Exception as exc:  # noqa: BLE001 - the point is comparing whatever each raises
        return ("raised", (type(exc), str(exc)))
    assert type(value) is uuid.UUID
    return ("parsed", (value, value.int, value.is_safe))


@given(st.one_of(CANONICAL, CANONICAL.map(str.upper), NEAR_HEX, st.text(max_size=40)))
@example("urn:uuid:12345678-1234-5678-1234-567812345678")
@example("{12345678-1234-5678-1234-567812345678}")
@example("{12345678123456781234567812345678}")
@example("12345678-1234-5678-1234-56781234567g")
@example("+2345678-1234-5678-1234-567812345678")
@example(" 2345678-1234-5678-1234-567812345678")
@example("1_345678-1234-5678-1234-567812345678")
@example("\uff10" * 32)
@example("")
def test_any_text_parses_or_fails_exactly_as_uuid_does(text: str) -> None:
    assert outcome(parse_uuid, text) == outcome(uuid.UUID, text)


@pytest.mark.parametrize("value", [None, 123, b"12345678123456781234567812345678", ["x"]])
def test_non_strings_fail_exactly_as_uuid_does(value: object) -> None:
    assert outcome(parse_uuid, value) == outcome(uuid.UUID, value)


def test_parsed_uuids_behave_as_uuids() -> None:
    text = "00000000-0000-0000-0000-000001312d00"
    parsed = parse_uuid(text)
    assert parsed == uuid.UUID(text) and hash(parsed) == hash(uuid.UUID(text))
    assert str(parsed) == text and parsed.version == uuid.UUID(text).version
    assert pickle.loads(pickle.dumps(parsed)) == parsed
    with pytest.raises(TypeError):
        parsed.int = 1  # type: ignore[misc]
