"""The CSV columns of what an operation answers (`Operation.columns` in the operations table), decided from the
response schema, so that `hilos-client ... --format csv` writes a header that does not depend on the data.

A record is the success answer's JSON object (for a page-number listing: an item of its `results`). Its columns
are its properties in the schema's order (`$ref`s followed, the parts of an `allOf` merged in their order),
write-only ones left out (an answer never holds them). A property that is itself an object with properties is
flattened into dotted names (`contact.phone`), to any depth. One column holds, as JSON text, what has no fixed
set of fields or may be something else: an array, a free-form object (no `properties`), a nullable object
(`null` or the object: flattened, a `null` would have no column of its own), a `oneOf` / `anyOf`, an untyped
value, and an object that is already being flattened above it (a schema that refers to itself).

An answer that is not an object with properties (an array, a free-form object, no JSON at all) has no columns:
the command line then takes them from the first record.
"""

from __future__ import annotations

from typing import Any

_REF_PREFIX = "#/components/schemas/"


class RecordColumnsError(Exception):
    """The spec refers to a schema it does not define (generation refuses such a spec before this runs)."""


def _follow(spec: dict[str, Any], schema: Any, seen: frozenset[str]) -> tuple[dict[str, Any], frozenset[str]]:
    """`schema` with its `$ref` chain followed; `seen` with every component it passed through."""
    while isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
        ref: str = schema["$ref"]
        name = ref.removeprefix(_REF_PREFIX)
        found = (spec.get("components") or {}).get("schemas", {}).get(name) if ref.startswith(_REF_PREFIX) else None
        if not isinstance(found, dict):
            raise RecordColumnsError(f"the spec refers to {ref}, which it does not define")
        if name in seen:
            return {"$ref": ref, "x-recursive": True}, seen
        seen = seen | {name}
        schema = found
    return (schema if isinstance(schema, dict) else {}), seen


def object_properties(
    spec: dict[str, Any], schema: Any, seen: frozenset[str] = frozenset()
) -> tuple[dict[str, Any], frozenset[str]] | None:
    """The properties of `schema` when it is an object with a fixed set of them, which is flattened (in the
    schema's order, an `allOf`'s parts merged in theirs), with the components followed to reach it; None when it
    is written as one column (see the module's docstring)."""
    schema, seen = _follow(spec, schema, seen)
    if schema.get("x-recursive") or schema.get("nullable") or schema.get("oneOf") or schema.get("anyOf"):
        return None
    properties: dict[str, Any] = {}
    for part in schema.get("allOf") or []:
        inner = object_properties(spec, part, seen)
        if inner is None:
            return None
        properties.update(inner[0])
        seen = seen | inner[1]
    own = schema.get("properties")
    if isinstance(own, dict):
        properties.update(own)
    if schema.get("type") not in (None, "object") or not properties:
        return None
    return properties, seen


def columns(spec: dict[str, Any], schema: Any, prefix: str = "", seen: frozenset[str] = frozenset()) -> list[str]:
    """The columns of a record of `schema`, their names starting with `prefix` (the dotted path to it)."""
    found = object_properties(spec, schema, seen)
    if found is None:
        return [prefix] if prefix else []
    properties, seen = found
    names: list[str] = []
    for name, child in properties.items():
        if _follow(spec, child, seen)[0].get("writeOnly"):
            continue
        names += columns(spec, child, f"{prefix}.{name}" if prefix else str(name), seen)
    return names


def response_schema(operation: dict[str, Any], status: int | None) -> Any:
    """The JSON schema of the operation's answer with `status`; None when it has none."""
    response = (operation.get("responses") or {}).get(str(status)) if status is not None else None
    content = (response or {}).get("content") or {}
    media = content.get("application/json")
    return media.get("schema") if isinstance(media, dict) else None


def record_columns(
    spec: dict[str, Any], operation: dict[str, Any], status: int | None, *, paginated: bool
) -> tuple[str, ...]:
    """The CSV columns of a record the operation answers with `status` (its success status): of an item of its
    `results` when it is a page-number listing; () when its answer is not an object with properties."""
    schema = response_schema(operation, status)
    if schema is None:
        return ()
    if paginated:
        page = object_properties(spec, schema)
        results, _ = _follow(spec, page[0].get("results") if page else None, frozenset())
        schema = results.get("items")
    return tuple(columns(spec, schema)) if object_properties(spec, schema) is not None else ()
