"""The patched spec's schemas, read by tests: operations by id, response schemas, and walks over a JSON body.

OpenAPI 3.0 schemas are almost JSON Schema: `$ref`s point into components, a single-entry `allOf` is the
spec's way of describing a nested object with a description of its own, `nullable: true` stands for a `null`
type, and a few keywords (example, readOnly, ...) mean nothing to a validator or generator.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pipeline.project import PATCHED_SPEC_FILE, ROOT

PATCHED_SPEC = ROOT / PATCHED_SPEC_FILE
_OPENAPI_ONLY = {"nullable", "example", "examples", "readOnly", "writeOnly", "xml", "externalDocs", "deprecated"}


def load_patched_spec(path: Path = PATCHED_SPEC) -> dict[str, Any]:
    spec: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return spec


def find_operation(spec: dict[str, Any], operation_id: str) -> tuple[str, str, dict[str, Any]]:
    """(path, method, operation object) of the one operation with this operationId."""
    found = [
        (path, method, operation)
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if isinstance(operation, dict) and operation.get("operationId") == operation_id
    ]
    if len(found) != 1:
        raise KeyError(f"{len(found)} operations with operationId {operation_id!r} in the spec, expected 1")
    return found[0]


def operation_path(spec: dict[str, Any], operation_id: str) -> str:
    return find_operation(spec, operation_id)[0]


def resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """Follow `$ref` and single-entry `allOf` (whose sibling keywords win) until a schema of its own."""
    while True:
        if "$ref" in schema:
            node: Any = spec
            for part in schema["$ref"].removeprefix("#/").split("/"):
                node = node[part]
            schema = node
        elif len(schema.get("allOf", [])) == 1:
            schema = {**schema["allOf"][0], **{k: v for k, v in schema.items() if k != "allOf"}}
        else:
            return schema


def response_schema(spec: dict[str, Any], operation_id: str, status: str = "200") -> dict[str, Any]:
    """The OpenAPI schema of an operation's application/json response body, resolved at the top."""
    _, _, operation = find_operation(spec, operation_id)
    return resolve(spec, operation["responses"][status]["content"]["application/json"]["schema"])


def to_json_schema(spec: dict[str, Any], node: Any) -> Any:
    """JSON Schema (draft 2020-12 subset) of an OpenAPI schema: every `$ref` inlined (the spec's schemas are not
    recursive), `nullable` turned into a null type."""
    if isinstance(node, list):
        return [to_json_schema(spec, item) for item in node]
    if not isinstance(node, dict):
        return node
    node = resolve(spec, node)
    schema = {key: to_json_schema(spec, value) for key, value in node.items() if key not in _OPENAPI_ONLY}
    if node.get("nullable"):
        if "type" in schema:
            schema["type"] = [schema["type"], "null"]
        if "enum" in schema:
            schema["enum"] = [*schema["enum"], None]
    return schema


def response_json_schema(spec: dict[str, Any], operation_id: str, status: str = "200") -> dict[str, Any]:
    """The JSON Schema of an operation's application/json response body."""
    converted: dict[str, Any] = to_json_schema(spec, response_schema(spec, operation_id, status))
    return converted


def instants(spec: dict[str, Any], schema: dict[str, Any], value: Any) -> Any:
    """`value` with every string the schema declares `format: date-time` parsed to a datetime.

    RFC 3339 allows one instant several spellings ("...Z" and "...+00:00"); comparing parsed values checks that
    the client keeps the instant and the offset, whichever spelling the server chose."""
    schema = resolve(spec, schema)
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        return {k: instants(spec, properties[k], v) if k in properties else v for k, v in value.items()}
    if isinstance(value, list) and "items" in schema:
        return [instants(spec, schema["items"], item) for item in value]
    if isinstance(value, str) and schema.get("format") == "date-time":
        return datetime.datetime.fromisoformat(value)
    return value


def walk(
    spec: dict[str, Any], schema: dict[str, Any], value: Any, where: str = "$"
) -> Iterator[tuple[str, dict[str, Any], Any]]:
    """(JSONPath-like location with list indexes as [*], resolved schema or {} if unknown, value) for every node."""
    schema = resolve(spec, schema)
    yield where, schema, value
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        for key, item in value.items():
            yield from walk(spec, properties.get(key, {"x-unknown": True}), item, f"{where}.{key}")
    elif isinstance(value, list):
        for item in value:
            yield from walk(spec, schema.get("items", {}), item, f"{where}[*]")


def nullable_locations(spec: dict[str, Any], schema: dict[str, Any], where: str = "$") -> set[str]:
    """Every location the schema allows to be null (following objects and arrays)."""
    schema = resolve(spec, schema)
    found = {where} if schema.get("nullable") else set()
    for key, child in schema.get("properties", {}).items():
        found |= nullable_locations(spec, child, f"{where}.{key}")
    if "items" in schema:
        found |= nullable_locations(spec, schema["items"], f"{where}[*]")
    return found
