"""JSON Schema (draft 2020-12 subset) from the OpenAPI 3.0 schemas in generated/openapi.patched.json.

OpenAPI 3.0 schemas are almost JSON Schema: `$ref`s point into components, `nullable: true` stands for a
`null` type, and a few keywords (example, readOnly, ...) mean nothing to a validator or generator.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pipeline.project import PATCHED_SPEC_FILE, ROOT, SCHEMA_REF_PREFIX

PATCHED_SPEC = ROOT / PATCHED_SPEC_FILE
_OPENAPI_ONLY = {"nullable", "example", "examples", "readOnly", "writeOnly", "xml", "externalDocs", "deprecated"}


def load_spec(path: Path = PATCHED_SPEC) -> dict[str, Any]:
    spec: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return spec


def to_json_schema(node: Any, spec: dict[str, Any]) -> Any:
    """Resolve `$ref`s (the spec's schemas are not recursive), turn `nullable` into a null type."""
    if isinstance(node, list):
        return [to_json_schema(item, spec) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        name = node["$ref"].removeprefix(SCHEMA_REF_PREFIX)
        return to_json_schema(spec["components"]["schemas"][name], spec)
    if len(node.get("allOf", ())) == 1:
        merged = {k: v for k, v in node.items() if k != "allOf"}
        return to_json_schema({**node["allOf"][0], **merged}, spec)
    schema = {key: to_json_schema(value, spec) for key, value in node.items() if key not in _OPENAPI_ONLY}
    if node.get("nullable"):
        if "type" in schema:
            schema["type"] = [schema["type"], "null"]
        if "enum" in schema:
            schema["enum"] = [*schema["enum"], None]
    return schema


def response_schema(spec: dict[str, Any], operation_id: str, status: str = "200") -> dict[str, Any]:
    """The JSON Schema of an operation's application/json response body."""
    for item in spec["paths"].values():
        for operation in item.values():
            if isinstance(operation, dict) and operation.get("operationId") == operation_id:
                schema = operation["responses"][status]["content"]["application/json"]["schema"]
                converted: dict[str, Any] = to_json_schema(schema, spec)
                return converted
    raise KeyError(f"no operation {operation_id!r} in the spec")
