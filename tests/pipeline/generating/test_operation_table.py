"""The operations table (`_spec.OPERATIONS`) as pipeline/generating/operation_table.py writes it: on tiny
inline specs (each kind of parameter, bodies, statuses, pagination) and on the real spec (every operation with
every parameter), and that the generated `_spec.py` holds exactly it."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hilos_client import _spec
from openapi_python_client import Project

from patches.runtime.operations import Operation, Parameter
from pipeline.generating.generate import load_project
from pipeline.generating.operation_table import (
    OperationTableError,
    operation_table,
    python_source,
    success_status,
    table_source,
)
from pipeline.project import GENERATED, PATCHED_SPEC_NAME, iter_operations

PATCHED = json.loads((GENERATED / PATCHED_SPEC_NAME).read_text(encoding="utf-8"))

PAGE = {
    "type": "object",
    "required": ["count", "results"],
    "properties": {
        "count": {"type": "integer"},
        "next": {"type": "string", "nullable": True},
        "previous": {"type": "string", "nullable": True},
        "results": {"type": "array", "items": {"$ref": "#/components/schemas/Thing"}},
    },
}
TINY: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Tiny", "version": "1"},
    "paths": {
        "/things": {
            "get": {
                "operationId": "list_things",
                "tags": ["things"],
                "summary": "List Things",
                "description": "Every thing.\n\nIn pages.",
                "parameters": [
                    {
                        "name": "page",
                        "in": "query",
                        "schema": {"type": "integer", "description": "A page.", "minimum": 1},
                    },
                    {
                        "name": "size",
                        "in": "query",
                        "schema": {"type": "array", "items": {"type": "number", "minimum": 0.5, "maximum": 10}},
                    },
                    {"name": "is_active", "in": "query", "schema": {"type": "boolean"}},
                    {
                        "name": "colour",
                        "in": "query",
                        "schema": {"type": "string", "enum": ["red", "blue"], "description": "Which\ncolour."},
                    },
                    {
                        "name": "id__in",
                        "in": "query",
                        "schema": {"type": "array", "items": {"type": "string", "format": "uuid"}},
                        "explode": False,
                    },
                    {"name": "since", "in": "query", "schema": {"type": "string", "format": "date-time"}},
                    {"name": "X-Trace", "in": "header", "required": True, "schema": {"type": "string"}},
                ],
                "responses": {"200": {"description": "A page"}},
            },
            "post": {
                "operationId": "create_thing",
                "tags": ["things"],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}},
                },
                "responses": {
                    "400": {"description": "Bad"},
                    "201": {
                        "description": "Made",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}},
                    },
                },
            },
        },
        "/things/{id}": {
            "delete": {
                "operationId": "delete_thing",
                "tags": ["things"],
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "responses": {"204": {"description": "Gone"}},
            },
        },
    },
    "components": {
        "schemas": {
            "Thing": {"type": "object", "properties": {"name": {"type": "string"}}},
            "PaginatedThingList": PAGE,
        }
    },
}
TINY["paths"]["/things"]["get"]["responses"]["200"]["content"] = {
    "application/json": {"schema": {"$ref": "#/components/schemas/PaginatedThingList"}}
}


def _project(spec: dict[str, Any], tmp_path: Path) -> Project:
    spec_path = tmp_path / PATCHED_SPEC_NAME
    spec_path.write_text(json.dumps(spec), encoding="utf-8")
    return load_project(spec, spec_path, tmp_path / "hilos_client")


def _table(spec: dict[str, Any], tmp_path: Path) -> dict[str, Operation]:
    project = _project(spec, tmp_path)
    return {row.name: row for row in operation_table(spec, project.openapi)}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Operation]:
    return _table(TINY, tmp_path_factory.mktemp("tiny"))


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> tuple[Operation, ...]:
    project = _project(PATCHED, tmp_path_factory.mktemp("real"))
    return operation_table(PATCHED, project.openapi)


def test_a_listing_has_its_summary_description_parameters_status_and_pagination(tiny: dict[str, Operation]) -> None:
    listing = tiny["list_things"]
    assert listing[:4] == ("list_things", "things", "GET", "/things")
    assert (listing.summary, listing.description) == ("List Things", "Every thing.\n\nIn pages.")
    assert (listing.success_status, listing.paginated, listing.body) == (200, True, None)
    by_name = {parameter.name: parameter for parameter in listing.parameters}
    assert by_name["page"] == Parameter("page", "page", "query", False, "int", description="A page.", minimum=1)
    assert (by_name["size"].minimum, by_name["size"].maximum) == (0.5, 10)  # of each element of an array
    assert (by_name["is_active"].minimum, by_name["is_active"].maximum) == (None, None)
    assert listing.columns == ("name",)  # of an item of the page (tests/pipeline/generating/test_record_columns.py)
    assert by_name["is_active"].kind == "bool"
    assert by_name["colour"] == Parameter(
        "colour",
        "colour",
        "query",
        False,
        "enum",
        description="Which\ncolour.",  # whole, as the spec writes it
        choices=("blue", "red"),  # as the enum class lists its members
        python_class="models.list_things_colour.ListThingsColour",
    )
    assert by_name["id_in"][1:7] == ("id__in", "query", False, "uuid", "", True)
    assert by_name["since"].kind == "datetime"
    assert by_name["x_trace"][1:4] == ("X-Trace", "header", True)


def test_a_body_is_its_model_and_the_status_the_first_documented_2xx(tiny: dict[str, Operation]) -> None:
    create = tiny["create_thing"]
    assert create.body == Parameter(
        "body", "application/json", "body", True, "model", python_class="models.thing.Thing"
    )
    assert (create.parameters, create.success_status, create.paginated) == ((), 201, False)
    assert create.columns == ("name",)
    delete = tiny["delete_thing"]
    assert delete.parameters == (Parameter("id", "id", "path", True, "int"),)
    assert (delete.body, delete.success_status, delete.paginated, delete.columns) == (None, 204, False, ())


def test_an_operation_the_generator_did_not_parse_fails_by_name(tmp_path: Path) -> None:
    project = _project(TINY, tmp_path)
    larger = copy.deepcopy(TINY)
    larger["paths"]["/other"] = {"get": {"operationId": "get_other", "tags": ["things"], "responses": {}}}
    with pytest.raises(OperationTableError, match="GET /other: the generator made no module api.things.get_other"):
        operation_table(larger, project.openapi)
    smaller = copy.deepcopy(TINY)
    del smaller["paths"]["/things/{id}"]
    with pytest.raises(OperationTableError, match="modules for no operation of the spec: api.things.delete_thing"):
        operation_table(smaller, project.openapi)


@pytest.mark.parametrize(
    ("responses", "expected"),
    [({"200": {}}, 200), ({"400": {}, "202": {}, "201": {}}, 201), ({"default": {}, "404": {}}, None), ({}, None)],
)
def test_success_status_is_the_lowest_documented_2xx(responses: dict[str, Any], expected: int | None) -> None:
    assert success_status({"responses": responses}) == expected


def test_python_source_gives_the_row_back_without_its_defaults() -> None:
    row = Operation(
        "x",
        "t",
        "POST",
        "/x/{id}",
        summary='It\'s "quoted"\nand \\ escaped',
        parameters=(Parameter("id", "id", "path", True, "enum", choices=("a", 1), python_class="models.e.E"),),
        body=Parameter("body", "application/json", "body", False, "json"),
        success_status=201,
        paginated=False,
    )
    source = python_source(row)
    assert "description=" not in source  # a default is left out
    assert eval(source, {"Operation": Operation, "Parameter": Parameter}) == row
    assert python_source(Operation("a", "b", "GET", "/")) == "Operation('a', 'b', 'GET', '/')"
    with pytest.raises(TypeError):
        python_source({"not": "a row"})


def test_every_operation_of_the_spec_is_in_the_table_with_its_parameters(real: tuple[Operation, ...]) -> None:
    assert [(row.method, row.path) for row in real] == [(m.upper(), p) for m, p, _ in iter_operations(PATCHED)]
    for row, (_, _, operation) in zip(real, iter_operations(PATCHED), strict=True):
        declared = {(parameter["name"], parameter["in"]) for parameter in operation.get("parameters", [])}
        assert {(parameter.wire_name, parameter.location) for parameter in row.parameters} == declared, row.name
        for parameter in row.parameters:
            spec_parameter = next(p for p in operation["parameters"] if p["name"] == parameter.wire_name)
            assert parameter.required == spec_parameter.get("required", False)
            # the normalise step copies a parameter's description into its schema (a $ref keeps it beside)
            assert parameter.description == spec_parameter.get("description", ""), parameter
            schema = spec_parameter.get("schema", {})
            schema = schema.get("items", {}) if schema.get("type") == "array" else schema
            assert (parameter.minimum, parameter.maximum) == (schema.get("minimum"), schema.get("maximum"))
        assert (row.body is not None) == ("requestBody" in operation), row.name
        if row.body is not None:
            assert row.body.required == operation["requestBody"].get("required", False)
        assert row.success_status == success_status(operation)
        assert row.summary == operation.get("summary", "")


def test_the_generated_spec_module_holds_the_table(real: tuple[Operation, ...]) -> None:
    assert [tuple(row) for row in _spec.OPERATIONS] == [
        tuple(row) for row in real
    ]  # the package's own copy of the types
    assert table_source(real).startswith("OPERATIONS: tuple[Operation, ...] = (\n    Operation(")
