"""The CSV columns of an operation's records (pipeline/generating/record_columns.py), on tiny inline schemas: the
schema's order, nested objects flattened with dots, `$ref` and `allOf` followed, one JSON column for what has no
fixed fields, write-only properties left out, a schema that refers to itself, and listings' items."""

from __future__ import annotations

from typing import Any

import pytest

from pipeline.generating.record_columns import RecordColumnsError, columns, record_columns


def spec_with(**schemas: Any) -> dict[str, Any]:
    return {"components": {"schemas": schemas}}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


USER = {"type": "object", "properties": {"email": {"type": "string"}, "id": {"type": "integer"}}}


def test_properties_in_the_schemas_order_with_nested_objects_flattened_by_dots() -> None:
    spec = spec_with(User=USER)
    schema = {
        "type": "object",
        "required": ["z"],
        "properties": {"z": {"type": "string"}, "owner": ref("User"), "a": {"type": "boolean"}},
    }
    assert columns(spec, schema) == ["z", "owner.email", "owner.id", "a"]


def test_a_single_allof_wrapper_and_the_parts_of_an_allof_merged_in_their_order() -> None:
    spec = spec_with(User=USER, Extra={"type": "object", "properties": {"role": {"type": "string"}}})
    schema = {
        "type": "object",
        "properties": {
            "owner": {"allOf": [ref("User")], "description": "who"},
            "both": {"allOf": [ref("User"), ref("Extra")]},
        },
    }
    assert columns(spec, schema) == ["owner.email", "owner.id", "both.email", "both.id", "both.role"]


@pytest.mark.parametrize(
    "child",
    [
        {"type": "array", "items": ref("User")},
        {"type": "object"},
        {"type": "object", "additionalProperties": {"type": "string"}},
        {},
        {"allOf": [ref("User")], "nullable": True},
        {"oneOf": [ref("User"), {"type": "string"}]},
        {"anyOf": [ref("User")]},
        {"type": "string", "nullable": True},
    ],
    ids=["array", "free-form", "map", "untyped", "nullable object", "oneOf", "anyOf", "nullable string"],
)
def test_what_has_no_fixed_fields_or_may_be_null_is_one_column(child: dict[str, Any]) -> None:
    spec = spec_with(User=USER)
    assert columns(spec, {"type": "object", "properties": {"value": child, "after": {"type": "string"}}}) == [
        "value",
        "after",
    ]


def test_write_only_properties_are_left_out_as_answers_never_hold_them() -> None:
    schema = {"type": "object", "properties": {"secret": {"type": "string", "writeOnly": True}, "id": {}}}
    assert columns({}, schema) == ["id"]


def test_a_schema_that_refers_to_itself_is_flattened_once_then_one_column() -> None:
    node = {"type": "object", "properties": {"name": {"type": "string"}, "parent": ref("Node")}}
    spec = spec_with(Node=node)
    assert columns(spec, ref("Node")) == ["name", "parent"]


def test_a_ref_to_nothing_fails_by_name() -> None:
    with pytest.raises(RecordColumnsError, match="#/components/schemas/Missing"):
        columns({}, {"type": "object", "properties": {"x": ref("Missing")}})


def _operation(schema: Any, status: str = "200") -> dict[str, Any]:
    return {"responses": {status: {"description": "ok", "content": {"application/json": {"schema": schema}}}}}


def test_a_listings_columns_are_those_of_an_item_of_its_results() -> None:
    page = {
        "type": "object",
        "properties": {"count": {"type": "integer"}, "results": {"type": "array", "items": ref("User")}},
    }
    spec = spec_with(User=USER, Page=page)
    assert record_columns(spec, _operation(ref("Page")), 200, paginated=True) == ("email", "id")
    assert record_columns(spec, _operation(ref("Page")), 200, paginated=False) == ("count", "results")


@pytest.mark.parametrize(
    ("operation", "status"),
    [
        ({"responses": {"204": {"description": "gone"}}}, 204),
        (_operation({"type": "array", "items": ref("User")}), 200),
        (_operation({"type": "object"}), 200),
        (_operation(ref("User")), None),
    ],
    ids=["no body", "an array", "a free-form object", "no success status"],
)
def test_an_answer_that_is_not_an_object_with_properties_has_no_columns(
    operation: dict[str, Any], status: int | None
) -> None:
    assert record_columns(spec_with(User=USER), operation, status, paginated=False) == ()
