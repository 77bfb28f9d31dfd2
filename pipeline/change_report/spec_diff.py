"""What changed between two patched specs, judged from the point of view of a client.

Compares operations, parameters, request bodies, responses, schemas, properties and enum values.
A change is breaking when code written against the old client can fail against the new one:
something it used is gone (operation, parameter, property, enum value, media type, model), it must now
pass something it did not (a parameter or request property becoming required), a value it reads may
now be missing or null (a response property becoming optional or nullable), or a type or format
changed. Whether a schema change breaks depends on where the schema is used: in requests, in
responses, or both (then both rules apply). A change that alters no accepted value is no change: prose
(descriptions, summaries, examples), or a `oneOf` member whose values another member already accepts
(`oneOf: [string, BlankEnum]` is `string`). An operation whose Python module was renamed does not break
while the old module stays as a deprecated alias (`x-hilos-deprecated-aliases`). Both specs are the PATCHED ones, so quirks the overlay
fixes do not show as changes, and models the pipeline derives (`x-derived-from`) are left to the
Python API report.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from pipeline.change_report.changes import Change
from pipeline.generating.normalise import iter_schemas
from pipeline.generating.operation_names import module_tag
from pipeline.project import SCHEMA_REF_PREFIX, iter_operations

REQUEST = "request"
RESPONSE = "response"


def diff_specs(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    changes: list[Change] = []
    old_version, new_version = old.get("info", {}).get("version"), new.get("info", {}).get("version")
    if old_version != new_version:
        changes.append(Change("info.version", "changed", f"{old_version} -> {new_version}"))
    old, new = _without_subsumed_members(old), _without_subsumed_members(new)
    changes += _diff_operations(old, new)
    changes += _diff_components(old, new)
    return changes


def _without_subsumed_members(spec: dict[str, Any]) -> dict[str, Any]:
    """A copy without `oneOf`/`anyOf` members whose values a plain sibling of the same type accepts.

    drf-spectacular writes a string field that may be blank as `oneOf: [string, BlankEnum]`: the same
    values as `string`, so the two must not differ in the report.
    """
    spec = copy.deepcopy(spec)
    schemas = (spec.get("components") or {}).get("schemas") or {}
    for _, schema in iter_schemas(spec):
        for combinator in ("oneOf", "anyOf"):
            members = schema.get(combinator)
            if not isinstance(members, list) or len(members) < 2:
                continue
            plain = {m.get("type") for m in members if _accepts_any_value_of_its_type(m)}
            kept = [m for m in members if not _values_all_of(_resolved(m, schemas), plain)]
            if len(kept) == 1 and "$ref" not in kept[0]:
                del schema[combinator]
                schema.update({key: value for key, value in kept[0].items() if key not in schema})
            else:
                schema[combinator] = kept
    return spec


_CONSTRAINTS = ("enum", "format", "pattern", "minLength", "maxLength", "minimum", "maximum", "$ref", "const")


def _accepts_any_value_of_its_type(schema: Any) -> bool:
    return (
        isinstance(schema, dict)
        and schema.get("type") in ("string", "integer")
        and not any(key in schema for key in _CONSTRAINTS)
    )


def _resolved(schema: Any, schemas: dict[str, Any]) -> Any:
    ref = schema.get("$ref") if isinstance(schema, dict) else None
    if isinstance(ref, str) and ref.startswith(SCHEMA_REF_PREFIX):
        return schemas.get(ref.removeprefix(SCHEMA_REF_PREFIX), {})
    return schema


def _values_all_of(schema: Any, types: set[Any]) -> bool:
    """An enum whose members are all of one of `types` (strings for "string", integers for "integer")."""
    members = schema.get("enum") if isinstance(schema, dict) else None
    if not isinstance(members, list) or not members:
        return False
    checks = {
        "string": lambda v: isinstance(v, str),
        "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    }
    return any(all(checks[kind](m) for m in members) for kind in types if kind in checks)


# -- operations --------------------------------------------------------------------------------------
def _operations(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f"{method.upper()} {path}": operation for method, path, operation in iter_operations(spec)}


def _diff_operations(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    changes: list[Change] = []
    before, after = _operations(old), _operations(new)
    for key in sorted(before.keys() - after.keys()):
        changes.append(Change(f"operation {key}", "removed", f"was {_module(before[key])}", True))
    for key in sorted(after.keys() - before.keys()):
        changes.append(Change(f"operation {key}", "added", _module(after[key])))
    for key in sorted(before.keys() & after.keys()):
        old_op, new_op = before[key], after[key]
        if _module(old_op) != _module(new_op):
            aliases = {alias.get("module") for alias in new_op.get("x-hilos-deprecated-aliases") or []}
            kept = _module(old_op) in aliases
            detail = f"Python module {_module(old_op)} -> {_module(new_op)}"
            detail += " (the old one kept as a deprecated alias)" if kept else ""
            changes.append(Change(f"operation {key}", "changed", detail, not kept))
        path = key.split(" ", 1)[1]
        changes += _diff_parameters(key, _parameters(old, path, old_op), _parameters(new, path, new_op))
        changes += _diff_request_body(key, old_op.get("requestBody"), new_op.get("requestBody"))
        changes += _diff_responses(key, old_op.get("responses") or {}, new_op.get("responses") or {})
    return changes


def _module(operation: dict[str, Any]) -> str:
    return f"api.{module_tag(operation)}.{operation.get('operationId')}"


def _parameters(spec: dict[str, Any], path: str, operation: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """An operation's parameters by "in name": the path item's, overridden by the operation's, refs resolved."""
    shared = (spec.get("paths") or {}).get(path, {}).get("parameters") or []
    found: dict[str, dict[str, Any]] = {}
    for parameter in [*shared, *(operation.get("parameters") or [])]:
        ref = parameter.get("$ref") if isinstance(parameter, dict) else None
        if isinstance(ref, str) and ref.startswith("#/components/parameters/"):
            parameter = (spec.get("components") or {}).get("parameters", {}).get(ref.rsplit("/", 1)[1], {})
        if isinstance(parameter, dict) and "name" in parameter:
            found[f"{parameter.get('in')} {parameter['name']}"] = parameter
    return found


def _diff_parameters(
    operation: str, before: dict[str, dict[str, Any]], after: dict[str, dict[str, Any]]
) -> list[Change]:
    changes: list[Change] = []
    for key in sorted(before.keys() - after.keys()):
        changes.append(Change(f"parameter {operation} {key}", "removed", "", True))
    for key in sorted(after.keys() - before.keys()):
        required = bool(after[key].get("required"))
        changes.append(Change(f"parameter {operation} {key}", "added", "required" if required else "", required))
    for key in sorted(before.keys() & after.keys()):
        subject = f"parameter {operation} {key}"
        was, now = bool(before[key].get("required")), bool(after[key].get("required"))
        if was != now:
            changes.append(Change(subject, "changed", f"required {was} -> {now}", now))
        changes += _diff_schema(subject, before[key].get("schema") or {}, after[key].get("schema") or {}, {REQUEST})
    return changes


def _diff_request_body(operation: str, old: Any, new: Any) -> list[Change]:
    subject = f"request body {operation}"
    if not old and not new:
        return []
    if not new:
        return [Change(subject, "removed", "", True)]
    if not old:
        required = bool(new.get("required"))
        return [Change(subject, "added", "required" if required else "", required)]
    changes: list[Change] = []
    was, now = bool(old.get("required")), bool(new.get("required"))
    if was != now:
        changes.append(Change(subject, "changed", f"required {was} -> {now}", now))
    changes += _diff_content(subject, old.get("content") or {}, new.get("content") or {}, REQUEST)
    return changes


def _diff_responses(operation: str, old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    changes: list[Change] = []
    for status in sorted(old.keys() - new.keys()):
        changes.append(Change(f"response {operation} {status}", "removed", "", True))
    for status in sorted(new.keys() - old.keys()):
        changes.append(Change(f"response {operation} {status}", "added"))
    for status in sorted(old.keys() & new.keys()):
        subject = f"response {operation} {status}"
        changes += _diff_content(subject, old[status].get("content") or {}, new[status].get("content") or {}, RESPONSE)
    return changes


def _diff_content(subject: str, old: dict[str, Any], new: dict[str, Any], usage: str) -> list[Change]:
    changes: list[Change] = []
    for media in sorted(old.keys() - new.keys()):
        changes.append(Change(f"{subject} {media}", "removed", "", True))
    for media in sorted(new.keys() - old.keys()):
        changes.append(Change(f"{subject} {media}", "added"))
    for media in sorted(old.keys() & new.keys()):
        old_schema, new_schema = old[media].get("schema") or {}, new[media].get("schema") or {}
        changes += _diff_schema(f"{subject} {media}", old_schema, new_schema, {usage})
    return changes


# -- schemas -----------------------------------------------------------------------------------------
def _diff_components(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    before, after = _upstream_schemas(old), _upstream_schemas(new)
    usage = _usage(old)
    for name, where in _usage(new).items():
        usage[name] = usage.get(name, set()) | where
    changes: list[Change] = []
    for name in sorted(before.keys() - after.keys()):
        changes.append(Change(f"schema {name}", "removed", "", True))
    for name in sorted(after.keys() - before.keys()):
        members = _flattened(after[name]).get("enum")
        detail = "enum " + ", ".join(json.dumps(m) for m in members) if isinstance(members, list) else ""
        changes.append(Change(f"schema {name}", "added", detail))
    for name in sorted(before.keys() & after.keys()):
        # A schema no operation uses is still a public model: judge it as if used both ways.
        changes += _diff_schema(f"schema {name}", before[name], after[name], usage.get(name) or {REQUEST, RESPONSE})
    return changes


def _upstream_schemas(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    schemas = (spec.get("components") or {}).get("schemas") or {}
    return {name: schema for name, schema in schemas.items() if "x-derived-from" not in schema}


def _usage(spec: dict[str, Any]) -> dict[str, set[str]]:
    """Component name -> {"request", "response"}: where the schema is reachable from."""
    schemas = (spec.get("components") or {}).get("schemas") or {}
    usage: dict[str, set[str]] = {}

    def mark(node: Any, where: str) -> None:
        for name in _refs(node):
            if where in usage.setdefault(name, set()):
                continue
            usage[name].add(where)
            mark(schemas.get(name), where)

    for _, _, operation in iter_operations(spec):
        mark(operation.get("parameters"), REQUEST)
        mark(operation.get("requestBody"), REQUEST)
        mark(operation.get("responses"), RESPONSE)
    for name in schemas:
        if "x-derived-from" in schemas[name]:
            mark({"$ref": SCHEMA_REF_PREFIX + schemas[name]["x-derived-from"]}, REQUEST)
    return usage


def _refs(node: Any) -> list[str]:
    found: list[str] = []
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(SCHEMA_REF_PREFIX):
            found.append(ref.removeprefix(SCHEMA_REF_PREFIX))
        for value in node.values():
            found += _refs(value)
    elif isinstance(node, list):
        for item in node:
            found += _refs(item)
    return found


def describe_type(schema: dict[str, Any]) -> str:
    """A short type name: `string`, `FooEnum` (a reference), `array[Foo]`, `Foo | BlankEnum | NullEnum`."""
    ref = schema.get("$ref")
    if isinstance(ref, str):
        return ref.rsplit("/", 1)[-1]
    for combinator in ("allOf", "oneOf", "anyOf"):
        parts = schema.get(combinator)
        if isinstance(parts, list) and parts:
            joiner = " & " if combinator == "allOf" else " | "
            return joiner.join(describe_type(part) for part in parts)
    kind = schema.get("type")
    if kind == "array":
        return f"array[{describe_type(schema.get('items') or {})}]"
    if kind:
        return str(kind)
    if "properties" in schema:
        return "object"
    return "any"


def _flattened(schema: dict[str, Any]) -> dict[str, Any]:
    """A nullable enum as pipeline/generating/normalise.py writes it (`nullable` + `oneOf: [enum]`), read as one schema."""
    for combinator in ("oneOf", "anyOf"):
        parts = schema.get(combinator)
        if isinstance(parts, list) and len(parts) == 1 and "$ref" not in parts[0]:
            outer = {key: value for key, value in schema.items() if key != combinator}
            return {**parts[0], **outer}
    return schema


def _diff_schema(subject: str, old: dict[str, Any], new: dict[str, Any], usage: set[str]) -> list[Change]:
    old, new = _flattened(old), _flattened(new)
    changes: list[Change] = []
    old_type, new_type = describe_type(old), describe_type(new)
    if old_type != new_type:
        changes.append(Change(subject, "changed", f"type {old_type} -> {new_type}", True))
    if old.get("format") != new.get("format"):
        detail = f"format {old.get('format') or '(none)'} -> {new.get('format') or '(none)'}"
        changes.append(Change(subject, "changed", detail, True))
    was_nullable, now_nullable = bool(old.get("nullable")), bool(new.get("nullable"))
    if was_nullable != now_nullable:
        # Readers of a response must now handle None; writers of a request may no longer send it.
        breaking = (now_nullable and RESPONSE in usage) or (was_nullable and REQUEST in usage)
        changes.append(Change(subject, "changed", f"nullable {was_nullable} -> {now_nullable}", breaking))
    changes += _diff_enum(subject, old.get("enum"), new.get("enum"))
    changes += _diff_properties(subject, old, new, usage)
    if isinstance(old.get("items"), dict) and isinstance(new.get("items"), dict) and old_type == new_type:
        changes += _diff_schema(f"{subject}[]", old["items"], new["items"], usage)
    return changes


def _diff_enum(subject: str, old: Any, new: Any) -> list[Change]:
    if not isinstance(old, list) or not isinstance(new, list):
        return []
    where = _where(subject)
    changes = [Change(f"enum value {where} {json.dumps(v)}", "removed", "", True) for v in old if v not in new]
    changes += [Change(f"enum value {where} {json.dumps(v)}", "added") for v in new if v not in old]
    return changes


def _diff_properties(subject: str, old: dict[str, Any], new: dict[str, Any], usage: set[str]) -> list[Change]:
    before, after = old.get("properties") or {}, new.get("properties") or {}
    required_before, required_after = set(old.get("required") or []), set(new.get("required") or [])
    where = _where(subject)
    changes: list[Change] = []
    for name in sorted(before.keys() - after.keys()):
        changes.append(Change(f"property {where}.{name}", "removed", "", True))
    for name in sorted(after.keys() - before.keys()):
        required = name in required_after and not after[name].get("readOnly")
        breaking = required and REQUEST in usage  # callers must now send it
        changes.append(Change(f"property {where}.{name}", "added", "required" if required else "", breaking))
    for name in sorted(before.keys() & after.keys()):
        prop_subject = f"property {where}.{name}"
        was, now = name in required_before, name in required_after
        if was != now:
            # Now required: requests must send it. No longer required: responses may omit it.
            breaking = (now and REQUEST in usage and not after[name].get("readOnly")) or (not now and RESPONSE in usage)
            changes.append(Change(prop_subject, "changed", f"required {was} -> {now}", breaking))
        changes += _diff_schema(prop_subject, before[name], after[name], usage)
    return changes


def _where(subject: str) -> str:
    """`schema Foo` and `property Foo.bar` name their place without the word; others keep it."""
    for word in ("schema ", "property "):
        if subject.startswith(word):
            return subject.removeprefix(word)
    return subject
