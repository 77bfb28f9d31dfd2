"""Which spec changes break a client, on tiny inline specs."""

from __future__ import annotations

import copy
from typing import Any

from pipeline.change_report.changes import suggested_bump
from pipeline.change_report.spec_diff import diff_specs

BASE: dict[str, Any] = {
    "info": {"version": "1.0.0"},
    "paths": {
        "/things": {
            "get": {
                "operationId": "list_things",
                "parameters": [{"in": "query", "name": "q", "schema": {"type": "string"}}],
                "responses": {
                    "200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}
                },
            },
            "post": {
                "operationId": "create_thing",
                "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewThing"}}}},
                "responses": {"201": {"description": "Created."}},
            },
        }
    },
    "components": {
        "schemas": {
            "Thing": {
                "type": "object",
                "properties": {
                    "id": {"type": "string"},
                    "size": {"type": "integer"},
                    "kind": {"$ref": "#/components/schemas/Kind"},
                },
                "required": ["id", "size"],
            },
            "NewThing": {"type": "object", "properties": {"name": {"type": "string", "nullable": True}}},
            "Kind": {"type": "string", "enum": ["a", "b"]},
        }
    },
}


def _changes(edit: Any) -> set[tuple[str, str, str, bool]]:
    new = copy.deepcopy(BASE)
    edit(new)
    return {(c.subject, c.kind, c.detail, c.breaking) for c in diff_specs(BASE, new)}


def test_identical_specs_have_no_change_and_call_for_a_patch_release() -> None:
    assert diff_specs(BASE, copy.deepcopy(BASE)) == []
    assert suggested_bump([]) == "patch"


def test_response_property_becoming_nullable_or_optional_breaks() -> None:
    def edit(spec: dict[str, Any]) -> None:
        thing = spec["components"]["schemas"]["Thing"]
        thing["properties"]["id"]["nullable"] = True
        thing["required"] = ["id"]

    assert _changes(edit) == {
        ("property Thing.id", "changed", "nullable False -> True", True),
        ("property Thing.size", "changed", "required True -> False", True),
    }


def test_request_property_becoming_nullable_does_not_break_but_losing_null_does() -> None:
    def loses_null(spec: dict[str, Any]) -> None:
        del spec["components"]["schemas"]["NewThing"]["properties"]["name"]["nullable"]

    assert _changes(loses_null) == {("property NewThing.name", "changed", "nullable True -> False", True)}


def test_parameter_becoming_required_and_type_change_break() -> None:
    def edit(spec: dict[str, Any]) -> None:
        parameter = spec["paths"]["/things"]["get"]["parameters"][0]
        parameter["required"] = True
        parameter["schema"] = {"type": "integer"}

    assert _changes(edit) == {
        ("parameter GET /things query q", "changed", "required False -> True", True),
        ("parameter GET /things query q", "changed", "type string -> integer", True),
    }


def test_renamed_enum_value_is_a_removal_and_an_addition() -> None:
    def edit(spec: dict[str, Any]) -> None:
        spec["components"]["schemas"]["Kind"]["enum"] = ["a", "B"]

    assert _changes(edit) == {
        ('enum value Kind "b"', "removed", "", True),
        ('enum value Kind "B"', "added", "", False),
    }


def test_removed_operation_and_renamed_operation_break_added_optional_parameter_does_not() -> None:
    def edit(spec: dict[str, Any]) -> None:
        del spec["paths"]["/things"]["post"]
        spec["paths"]["/things"]["get"]["operationId"] = "list_all_things"
        spec["paths"]["/things"]["get"]["parameters"].append(
            {"in": "query", "name": "page", "schema": {"type": "integer"}}
        )

    changes = _changes(edit)
    assert changes == {
        ("operation POST /things", "removed", "was create_thing", True),
        ("operation GET /things", "changed", "Python name list_things -> list_all_things", True),
        ("parameter GET /things query page", "added", "", False),
    }


def test_new_required_request_property_breaks_new_response_property_does_not() -> None:
    def edit(spec: dict[str, Any]) -> None:
        schemas = spec["components"]["schemas"]
        schemas["NewThing"]["properties"]["flow"] = {"type": "string"}
        schemas["NewThing"]["required"] = ["flow"]
        schemas["Thing"]["properties"]["color"] = {"type": "string"}
        schemas["Thing"]["required"].append("color")

    assert _changes(edit) == {
        ("property NewThing.flow", "added", "required", True),
        ("property Thing.color", "added", "required", False),
    }


def test_enum_becoming_nullable_and_losing_a_value_is_seen_through_the_normalised_shape() -> None:
    def edit(spec: dict[str, Any]) -> None:
        # What pipeline/generating/normalise.py makes of `{"type": "string", "nullable": true, "enum": ["a"]}`.
        spec["components"]["schemas"]["Kind"] = {"nullable": True, "oneOf": [{"type": "string", "enum": ["a"]}]}

    assert _changes(edit) == {
        ("schema Kind", "changed", "nullable False -> True", True),
        ('enum value Kind "b"', "removed", "", True),
    }


def test_parameters_defined_on_the_path_or_by_reference_are_compared_too() -> None:
    def edit(spec: dict[str, Any]) -> None:
        spec["components"]["parameters"] = {
            "Q": {"in": "query", "name": "q", "required": True, "schema": {"type": "string"}}
        }
        spec["paths"]["/things"]["get"]["parameters"] = [{"$ref": "#/components/parameters/Q"}]
        spec["paths"]["/things"]["parameters"] = [{"in": "header", "name": "X-Trace", "schema": {"type": "string"}}]

    assert _changes(edit) == {
        ("parameter GET /things query q", "changed", "required False -> True", True),
        ("parameter GET /things header X-Trace", "added", "", False),
        ("parameter POST /things header X-Trace", "added", "", False),
    }
