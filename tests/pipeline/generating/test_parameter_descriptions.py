"""normalise copies a parameter's description into its schema, where the generator reads it for `Args:`."""

from __future__ import annotations

from typing import Any

from pipeline.generating.normalise import describe_parameter_schemas


def test_a_parameter_description_is_copied_into_its_schema_and_wins_over_the_schemas_own() -> None:
    parameters: list[dict[str, Any]] = [
        {"in": "query", "name": "flow", "description": "Only this Flow's.", "schema": {"type": "string"}},
        {
            "in": "query",
            "name": "status__in",
            "description": "Any of these statuses.",
            "schema": {"type": "array", "description": "Status list.", "items": {"type": "string"}},
        },
        {"in": "query", "name": "page", "schema": {"type": "integer"}},  # nothing to copy
        {"in": "query", "name": "kind", "description": "The kind.", "schema": {"$ref": "#/components/schemas/Kind"}},
    ]
    reusable: dict[str, dict[str, Any]] = {
        "Search": {"in": "query", "name": "search", "description": "Text.", "schema": {"type": "string"}}
    }
    spec: dict[str, Any] = {
        "paths": {"/things": {"get": {"parameters": parameters, "responses": {}}}},
        "components": {"parameters": reusable},
    }
    log = describe_parameter_schemas(spec)
    assert parameters[0]["schema"] == {"type": "string", "description": "Only this Flow's."}
    assert parameters[1]["schema"]["description"] == "Any of these statuses."
    assert parameters[1]["schema"]["x-upstream-description"] == "Status list."
    assert parameters[2]["schema"] == {"type": "integer"}
    # a $ref takes no siblings in OpenAPI 3.0: its docstring keeps the referenced schema's description
    assert parameters[3]["schema"] == {"$ref": "#/components/schemas/Kind"}
    assert reusable["Search"]["schema"]["description"] == "Text."
    assert log == [
        "GET /things: parameter descriptions copied into their schemas (flow, status__in)",
        "components.parameters: parameter descriptions copied into their schemas (search)",
    ]
    assert describe_parameter_schemas(spec) == []  # applied once, nothing left to do
