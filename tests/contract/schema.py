"""Reading the patched spec's response schema alongside a JSON body (for round-trip and coverage checks)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any


def resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """Follow $ref and single-entry allOf (the spec's way of describing a nested object)."""
    while True:
        if "$ref" in schema:
            node: Any = spec
            for part in schema["$ref"].removeprefix("#/").split("/"):
                node = node[part]
            schema = node
        elif len(schema.get("allOf", [])) == 1:
            schema = {**{k: v for k, v in schema.items() if k != "allOf"}, **schema["allOf"][0]}
        else:
            return schema


def response_schema(spec: dict[str, Any], path: str) -> dict[str, Any]:
    schema: dict[str, Any] = spec["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    return resolve(spec, schema)


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
