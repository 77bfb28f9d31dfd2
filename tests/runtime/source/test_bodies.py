"""Multipart parts by the OpenAPI 3 encoding rules (patches/runtime/bodies.py, imported in place)."""

from __future__ import annotations

import io
from typing import Any

import pytest

from patches.runtime.bodies import add_file_part, add_part, multipart_value
from patches.runtime.types import UNSET, File, RequestFiles


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (True, ("true", "text/plain")),
        (False, ("false", "text/plain")),
        (0, ("0", "text/plain")),
        (1.5, ("1.5", "text/plain")),
        ("", ("", "text/plain")),
        ("ñ --+++", ("ñ --+++", "text/plain")),
        ({"id": 7, "vip": True, "note": None}, ('{"id":7,"vip":true,"note":null}', "application/json")),
        (["a", 1], ('["a",1]', "application/json")),
    ],
)
def test_each_json_value_is_one_part_text(value: Any, expected: tuple[str, str]) -> None:
    assert multipart_value(value) == expected


def test_unset_and_null_fields_are_left_out() -> None:
    parts: RequestFiles = []
    add_part(parts, "caption", UNSET)
    add_part(parts, "caption", None)
    add_file_part(parts, "file", UNSET)
    add_file_part(parts, "file", None)
    assert parts == []


def test_a_file_without_name_or_type_is_still_a_binary_file_part() -> None:
    payload = io.BytesIO(b"OggS")
    parts: RequestFiles = []
    add_file_part(parts, "file", File(payload=payload).to_tuple())
    add_file_part(parts, "logo", File(payload=payload, file_name="a.png", mime_type="image/png").to_tuple())
    assert parts == [
        ("file", ("file", payload, "application/octet-stream")),
        ("logo", ("a.png", payload, "image/png")),
    ]
