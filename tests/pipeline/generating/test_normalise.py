"""The generic normalisation rules, each on a tiny inline spec."""

from __future__ import annotations

from typing import Any

import pytest

from pipeline.generating.normalise import NormaliseError, normalise

MEDIA_TYPES = ("application/json", "application/x-www-form-urlencoded", "multipart/form-data")


def _spec(schemas: dict[str, Any], body_media: tuple[str, ...] = (), required: bool = True) -> dict[str, Any]:
    operation: dict[str, Any] = {"operationId": "create_thing", "responses": {"201": {"description": "Created."}}}
    if body_media:
        content = {media: {"schema": {"$ref": "#/components/schemas/Thing"}} for media in body_media}
        operation["requestBody"] = {"content": content, "required": required}
    return {"paths": {"/thing": {"post": operation}}, "components": {"schemas": schemas}}


THING = {"type": "object", "properties": {"name": {"type": "string"}}}


def test_shared_body_model_gets_one_copy_per_non_json_media_type() -> None:
    spec = _spec({"Thing": dict(THING)}, MEDIA_TYPES)
    normalise(spec)
    content = spec["paths"]["/thing"]["post"]["requestBody"]["content"]
    assert [content[m]["schema"]["$ref"].rsplit("/", 1)[1] for m in MEDIA_TYPES] == [
        "Thing",
        "ThingForm",
        "ThingMultipart",
    ]
    assert spec["components"]["schemas"]["ThingForm"]["properties"] == THING["properties"]
    assert spec["components"]["schemas"]["ThingForm"]["x-derived-from"] == "Thing"


def test_derived_name_taken_by_another_schema_fails_loudly() -> None:
    spec = _spec({"Thing": dict(THING), "ThingForm": {"type": "string"}}, MEDIA_TYPES)
    with pytest.raises(NormaliseError, match="ThingForm"):
        normalise(spec)


def test_single_media_type_body_is_left_alone() -> None:
    spec = _spec({"Thing": dict(THING)}, ("application/json",))
    assert normalise(spec) == []
    assert "ThingForm" not in spec["components"]["schemas"]


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "string", "enum": ["low", "", None]},
        {"type": "string", "nullable": True, "enum": ["low", ""]},
        {"enum": ["low", "", None]},
    ],
    ids=["null-member", "nullable-flag", "untyped-with-null"],
)
def test_nullable_enum_becomes_nullable_one_of_the_enum(schema: dict[str, Any]) -> None:
    had_null_member = None in schema["enum"]
    spec = _spec({"Thing": {"type": "object", "properties": {"priority": dict(schema)}}})
    normalise(spec)
    assert spec["components"]["schemas"]["Thing"]["properties"]["priority"] == {
        "nullable": True,
        "oneOf": [{"type": "string", "enum": ["low", ""], "title": "priority"}],
        **({"x-upstream-enum": ["low", "", None]} if had_null_member else {}),
    }


def test_untyped_enum_gets_its_members_type() -> None:
    spec = _spec({"Weekday": {"enum": [0, 1, 2]}, "Blank": {"enum": [""]}})
    normalise(spec)
    assert spec["components"]["schemas"]["Weekday"] == {"enum": [0, 1, 2], "type": "integer"}
    assert spec["components"]["schemas"]["Blank"] == {"enum": [""], "type": "string"}


def test_null_only_enum_and_mixed_type_enum_are_left_alone() -> None:
    schemas: dict[str, dict[str, Any]] = {"NullEnum": {"enum": [None]}, "Mixed": {"enum": [1, "one"]}}
    spec = _spec({name: dict(schema) for name, schema in schemas.items()})
    assert normalise(spec) == []
    assert spec["components"]["schemas"] == schemas
