"""The sparsest JSON value an OpenAPI 3.0 schema of any document accepts, built deterministically.

Apart from `operation_cases` (whose cases read the patched spec of the package under test) so that the
drf-spectacular corpus (`tests/corpus/`) builds calls to its own packages with the same rule.
"""

from __future__ import annotations

import uuid
from typing import Any

from tests.support.spec_schema import resolve

EXAMPLE_UUID = uuid.UUID("5b6f3c1e-2a4d-4e8f-9b0a-1c2d3e4f5a6b")
EXAMPLE_DATETIME = "2026-01-02T03:04:05Z"
FORMAT_EXAMPLES = {
    "uuid": str(EXAMPLE_UUID),
    "date-time": EXAMPLE_DATETIME,
    "date": "2026-01-02",
    "time": "03:04:05",
    "email": "someone@example.com",
    "uri": "https://example.com/x",
    "url": "https://example.com/x",
    "binary": "x",
    # drf-spectacular's DecimalField: a string matching its digits pattern
    "decimal": "1",
}


def minimal_instance(schema: dict[str, Any], spec: dict[str, Any], *, request: bool = False) -> Any:
    """The sparsest JSON value the (OpenAPI 3.0) schema accepts: required properties only, the first enum member,
    the first member of a oneOf / anyOf, empty arrays unless `minItems`, numbers at their `minimum`. A request
    leaves out read-only properties, a response write-only ones."""
    skipped = "readOnly" if request else "writeOnly"
    schema = resolve(spec, schema)
    if "enum" in schema:
        return next((value for value in schema["enum"] if value is not None), None)
    for keyword in ("oneOf", "anyOf"):
        if schema.get(keyword):
            return minimal_instance(schema[keyword][0], spec, request=request)
    if schema.get("allOf"):
        merged: dict[str, Any] = {}
        for part in schema["allOf"]:
            value = minimal_instance(part, spec, request=request)
            if isinstance(value, dict):
                merged.update(value)
        return merged
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        properties = schema.get("properties", {})
        return {
            name: minimal_instance(properties[name], spec, request=request)
            for name in schema.get("required", [])
            if name in properties and not resolve(spec, properties[name]).get(skipped)
        }
    if kind == "array":
        return [
            minimal_instance(schema.get("items", {}), spec, request=request) for _ in range(schema.get("minItems", 0))
        ]
    if kind == "integer":
        return int(schema.get("minimum", 1))
    if kind == "number":
        return float(schema.get("minimum", 1))
    if kind == "boolean":
        return True
    if kind == "string":
        text = FORMAT_EXAMPLES.get(schema.get("format", ""), "x")
        return text * max(1, schema.get("minLength", 1)) if text == "x" else text
    return {}
