"""Which spec changes break a client, on tiny inline specs."""

from __future__ import annotations

import copy
from typing import Any

from pipeline.change_report.changes import Change, suggested_bump
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
        ("operation POST /things", "removed", "was api.default.create_thing", True),
        (
            "operation GET /things",
            "changed",
            "Python module api.default.list_things -> api.default.list_all_things",
            True,
        ),
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


def test_renamed_operation_whose_old_module_stays_as_a_deprecated_alias_does_not_break() -> None:
    def edit(spec: dict[str, Any]) -> None:
        operation = spec["paths"]["/things"]["get"]
        operation["operationId"] = "list_all_things"
        operation["x-hilos-deprecated-aliases"] = [{"module": "api.default.list_things", "release": "1.0.0.1"}]

    detail = (
        "Python module api.default.list_things -> api.default.list_all_things (the old one kept as a deprecated alias)"
    )
    assert _changes(edit) == {("operation GET /things", "changed", detail, False)}


def test_prose_changes_are_no_change() -> None:
    def edit(spec: dict[str, Any]) -> None:
        operation = spec["paths"]["/things"]["get"]
        operation.update(summary="List every thing", description="Now described.")
        operation["parameters"][0]["example"] = "abc"
        spec["components"]["schemas"]["Thing"]["properties"]["id"]["description"] = "The id."

    assert _changes(edit) == set()


def test_a_blank_string_member_beside_a_string_accepts_no_new_value() -> None:
    def edit(spec: dict[str, Any]) -> None:
        spec["components"]["schemas"]["BlankEnum"] = {"type": "string", "enum": [""]}
        blank = {"$ref": "#/components/schemas/BlankEnum"}
        spec["components"]["schemas"]["Thing"]["properties"]["id"] = {"oneOf": [{"type": "string"}, blank]}
        spec["paths"]["/things"]["get"]["parameters"][0]["schema"] = {"oneOf": [blank, {"type": "string"}]}

    changes = _changes(edit)
    assert changes == {("schema BlankEnum", "added", 'enum ""', False)}
    assert suggested_bump(diff_specs(BASE, _edited(edit))) == "minor"  # only the new model is an addition


def test_a_blank_string_member_beside_a_dated_string_is_a_change() -> None:
    def edit(spec: dict[str, Any]) -> None:
        blank = {"type": "string", "enum": [""]}
        spec["components"]["schemas"]["Thing"]["properties"]["id"] = {
            "oneOf": [{"type": "string", "format": "date"}, blank]
        }

    assert ("property Thing.id", "changed", "type string -> string | string", True) in _changes(edit)


def test_bump_is_major_for_breaking_minor_for_additions_and_patch_for_the_rest() -> None:
    breaking, added, other = Change("x", "removed", "", True), Change("y", "added"), Change("info.version", "changed")
    assert suggested_bump([breaking, added, other]) == "major"
    assert suggested_bump([added, other]) == "minor"
    assert suggested_bump([other]) == "patch"
    assert suggested_bump([]) == "patch"


def _edited(edit: Any) -> dict[str, Any]:
    new = copy.deepcopy(BASE)
    edit(new)
    return new
