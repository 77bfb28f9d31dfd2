"""The facts of the spec that the generator drops and generate.py hands the templates (template_globals.py)."""

from __future__ import annotations

from typing import Any

import pytest

from pipeline.generating.template_globals import (
    UnsupportedQueryStyle,
    comma_joined_parameters,
    referencing_property_descriptions,
)

INTEGERS = {"type": "array", "items": {"type": "integer"}}


def _spec(parameters: list[dict[str, Any]], path_parameters: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    item: dict[str, Any] = {"get": {"parameters": parameters, "responses": {}}}
    if path_parameters is not None:
        item["parameters"] = path_parameters
    return {
        "paths": {"/things": item},
        "components": {
            "parameters": {"Ids": {"in": "query", "name": "id__in", "schema": INTEGERS, "explode": False}},
        },
    }


def test_only_query_arrays_with_explode_false_are_comma_joined() -> None:
    spec = _spec(
        [
            {"in": "query", "name": "b__in", "schema": INTEGERS, "style": "form", "explode": False},
            {"in": "query", "name": "a__in", "schema": INTEGERS, "explode": False},  # form is the default style
            {"in": "query", "name": "tag", "schema": INTEGERS},  # explode defaults to true for form
            {"in": "query", "name": "repeated", "schema": INTEGERS, "explode": True},
            {"in": "query", "name": "single", "schema": {"type": "integer"}, "explode": False},
            {"in": "header", "name": "X-Ids", "schema": INTEGERS, "explode": False},
            {"$ref": "#/components/parameters/Ids"},
        ]
    )
    assert comma_joined_parameters(spec) == {"get /things": ["a__in", "b__in", "id__in"]}


def test_an_operation_parameter_overrides_the_path_parameter_of_the_same_name() -> None:
    explode_false = {"in": "query", "name": "tag", "schema": INTEGERS, "explode": False}
    spec = _spec([{"in": "query", "name": "tag", "schema": INTEGERS}], path_parameters=[explode_false])
    assert comma_joined_parameters(spec) == {}
    assert comma_joined_parameters(_spec([], path_parameters=[explode_false])) == {"get /things": ["tag"]}


@pytest.mark.parametrize("style", ["spaceDelimited", "pipeDelimited", "deepObject"])
def test_a_query_array_in_another_style_fails_loudly(style: str) -> None:
    spec = _spec([{"in": "query", "name": "ids", "schema": INTEGERS, "style": style, "explode": False}])
    with pytest.raises(UnsupportedQueryStyle, match=f"GET /things: query array 'ids' has style '{style}'"):
        comma_joined_parameters(spec)


def test_described_references_are_listed_by_model_and_property() -> None:
    spec = {
        "components": {
            "schemas": {
                "Run": {
                    "type": "object",
                    "properties": {
                        "weekday": {"allOf": [{"$ref": "#/components/schemas/Weekday"}], "description": "Start day."},
                        "status": {"$ref": "#/components/schemas/Status", "description": "Where it is."},
                        "plain": {"type": "string", "description": "The generator reads this one itself."},
                        "bare": {"$ref": "#/components/schemas/Status"},
                    },
                },
                "Weekday": {"type": "integer", "enum": [0, 1]},
            }
        }
    }
    assert referencing_property_descriptions(spec) == {
        "/components/schemas/Run": {"weekday": "Start day.", "status": "Where it is."}
    }
