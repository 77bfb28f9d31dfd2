"""Generic rewrites of spec constructs that openapi-python-client 0.29.1 mishandles.

The overlay (patches/overlay.yaml) fixes quirks of this API; the rules here fix shapes the generator
cannot turn into working code wherever they appear, so an operation the spec gains tomorrow in the
same style (drf-spectacular's) needs no patch. Each rule only rewrites what it must, records the
upstream value beside it (`x-upstream-...`) so the patched spec shows what changed, and logs one line
per rewrite. See patches/README.md, "3. pipeline/generating/normalise.py".
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from pipeline.generating.enum_names import name_enum_members
from pipeline.project import SCHEMA_REF_PREFIX, iter_operations

JSON_MEDIA_TYPE = "application/json"
MULTIPART_MEDIA_TYPE = "multipart/form-data"
FORM_MEDIA_TYPE = "application/x-www-form-urlencoded"
BYTES_MEDIA_TYPE = "application/octet-stream"
BINARY_SCHEMA: dict[str, Any] = {"type": "string", "format": "binary"}
_JSON_TYPES: tuple[tuple[type, str], ...] = ((bool, "boolean"), (int, "integer"), (float, "number"), (str, "string"))


class NormaliseError(Exception):
    """A rule cannot apply without guessing (for example, a derived model name is already taken)."""


def normalise(spec: dict[str, Any]) -> list[str]:
    """Rewrite `spec` in place; return one log line per rewrite."""
    log: list[str] = []
    log += keep_one_body_media_type(spec)
    log += read_binary_responses(spec)
    log += split_request_models(spec)
    log += reuse_component_enums(spec)
    log += describe_parameter_schemas(spec)
    for where, schema in iter_schemas(spec):
        log += normalise_enum(where, schema)
    for where, schema in iter_schemas(spec):
        log += name_enum_members(where, schema)
    return log


def keep_one_body_media_type(spec: dict[str, Any]) -> list[str]:
    """A request body offered as several media types keeps one: JSON, unless a field is binary.

    The generator makes one model per media type and picks the media type of a request by the body's
    class, and its form and multipart encodings lose types (nested objects as Python text, booleans as
    `True`). JSON carries every type the spec can describe except bytes, so it is the one body sent; a
    body with a binary field (`format: binary`) needs multipart (form-urlencoded cannot carry bytes).
    The upstream media types stay listed in `x-upstream-content`.
    """
    log: list[str] = []
    schemas = spec.get("components", {}).get("schemas", {})
    for method, path, operation in iter_operations(spec):
        body = operation.get("requestBody") or {}
        content = body.get("content") or {}
        if len(content) < 2:
            continue
        needs_bytes = any(_has_binary_field(entry.get("schema") or {}, schemas) for entry in content.values())
        preferred = (MULTIPART_MEDIA_TYPE, FORM_MEDIA_TYPE) if needs_bytes else (JSON_MEDIA_TYPE,)
        keeper = next((media for media in preferred if media in content), next(iter(content)))
        body["x-upstream-content"] = list(content)
        body["content"] = {keeper: content[keeper]}
        dropped = ", ".join(media for media in content if media != keeper)
        log.append(f"{method.upper()} {path}: body sent as {keeper} only (dropped {dropped})")
    return log


def generator_reads(media_type: str) -> bool:
    """Whether openapi-python-client 0.29.1 types a response of this media type: JSON (and `+json`, RFC 6838),
    `text/*` (as `str`) and `application/octet-stream` (as `File`); it omits a response of any other type."""
    essence = media_type.partition(";")[0].strip()  # case-sensitive, as the generator compares
    return essence in (JSON_MEDIA_TYPE, BYTES_MEDIA_TYPE) or essence.endswith("+json") or essence.startswith("text/")


def read_binary_responses(spec: dict[str, Any]) -> list[str]:
    """A response offered only in media types the generator cannot type (`application/pdf`, `image/png`, ...)
    is read as bytes: its content becomes one `application/octet-stream` entry with a binary schema.

    The generator omits such a response with a warning, which fails our build (a skipped response is a
    broken client); as octet-stream, `sync()` returns a `File` holding the body, as for any binary response.
    A response that also offers a type the generator reads is left alone (the generator picks that one). The
    upstream media types stay listed in `x-upstream-content`. Inline responses and `components.responses`.
    """
    log: list[str] = []
    places = [
        (f"{method.upper()} {path}: response {status}", response)
        for method, path, operation in iter_operations(spec)
        for status, response in (operation.get("responses") or {}).items()
    ]
    places += [
        (f"components.responses.{name}", response)
        for name, response in ((spec.get("components") or {}).get("responses") or {}).items()
    ]
    for where, response in places:
        content = response.get("content") if isinstance(response, dict) else None
        if not isinstance(content, dict) or not content or any(generator_reads(media) for media in content):
            continue
        response["x-upstream-content"] = list(content)
        response["content"] = {BYTES_MEDIA_TYPE: {"schema": copy.deepcopy(BINARY_SCHEMA)}}
        log.append(f"{where}: {', '.join(content)} read as bytes ({BYTES_MEDIA_TYPE}: the client returns a File)")
    return log


def _has_binary_field(schema: dict[str, Any], schemas: dict[str, Any]) -> bool:
    """Whether the body schema (or one of its properties, or their items) is `format: binary`."""
    schema = _resolve(schema, schemas)
    candidates = [schema, *(schema.get("properties") or {}).values()]
    for candidate in candidates:
        candidate = _resolve(candidate, schemas)
        if (
            candidate.get("format") == "binary"
            or _resolve(candidate.get("items") or {}, schemas).get("format") == "binary"
        ):
            return True
    return False


def _resolve(schema: dict[str, Any], schemas: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith(SCHEMA_REF_PREFIX):
        resolved: dict[str, Any] = schemas.get(ref.removeprefix(SCHEMA_REF_PREFIX), {})
        return resolved
    return schema


def describe_parameter_schemas(spec: dict[str, Any]) -> list[str]:
    """A parameter's description is copied into its schema, where the generator reads it for the docstring.

    The generator builds a parameter's property from its schema alone, so `Args:` showed every parameter
    blank although the spec describes them. The parameter's own description wins over its schema's (kept in
    `x-upstream-description`): it says what the value filters, the schema only what it is. A schema that
    is a `$ref` is left alone: in OpenAPI 3.0 a `$ref` has no siblings, so its docstring keeps the
    referenced schema's description.
    """
    log: list[str] = []
    for where, parameters in _parameter_lists(spec):
        described = []
        for parameter in parameters:
            schema = parameter.get("schema")
            description = parameter.get("description")
            if not description or not isinstance(schema, dict) or "$ref" in schema:
                continue
            if schema.get("description") == description:
                continue
            if "description" in schema:
                schema["x-upstream-description"] = schema["description"]
            schema["description"] = description
            described.append(parameter.get("name", "?"))
        if described:
            log.append(f"{where}: parameter descriptions copied into their schemas ({', '.join(described)})")
    return log


def reuse_component_enums(spec: dict[str, Any]) -> list[str]:
    """A parameter's inline enum with the values of exactly one component enum becomes a `$ref` to it.

    drf-spectacular writes a filter's choices inline (sorted) beside the serializer field's component enum
    (`status` of a template listing and `WhatsAppTemplateStatusEnum`). The generator names an inline enum
    after the operation and parameter (`ListWhatsappTemplatesStatus`), so the same values got a second class,
    spelled from the snake_case operation name. The upstream schema stays in the parameter's
    `x-upstream-schema`. An enum that several components match is left inline: which one it means is a guess.
    """
    components = spec.get("components", {}).get("schemas", {})
    by_values: dict[tuple[str, frozenset[Any]], list[str]] = {}
    for name, schema in components.items():
        key = _enum_key(schema)
        if key is not None:
            by_values.setdefault(key, []).append(name)
    log: list[str] = []
    for where, parameters in _parameter_lists(spec):
        for parameter in parameters:
            schema = parameter.get("schema")
            key = _enum_key(schema) if isinstance(schema, dict) else None
            matches = by_values.get(key, []) if key is not None else []
            if len(matches) != 1:
                continue
            parameter["x-upstream-schema"] = schema
            parameter["schema"] = {"$ref": SCHEMA_REF_PREFIX + matches[0]}
            log.append(f"{where}: parameter {parameter.get('name', '?')} is the component enum {matches[0]}")
    return log


def _enum_key(schema: dict[str, Any]) -> tuple[str, frozenset[Any]] | None:
    """An enum's JSON type and values, for comparing enums whatever their order; None for anything else
    (or an enum with facts beyond its values, such as `nullable`)."""
    values = schema.get("enum")
    if not isinstance(values, list) or not values or set(schema) - {"type", "enum", "description"}:
        return None
    try:
        return str(schema.get("type", "")), frozenset(values)
    except TypeError:  # an unhashable member: not an enum of scalars
        return None


def _parameter_lists(spec: dict[str, Any]) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """Every list of parameter objects: per operation, per path, and the reusable ones in components."""
    for path, item in (spec.get("paths") or {}).items():
        if isinstance(item, dict) and isinstance(item.get("parameters"), list):
            yield path, item["parameters"]
    for method, path, operation in iter_operations(spec):
        if isinstance(operation.get("parameters"), list):
            yield f"{method.upper()} {path}", operation["parameters"]
    reusable = (spec.get("components") or {}).get("parameters") or {}
    if reusable:
        yield "components.parameters", list(reusable.values())


def split_request_models(spec: dict[str, Any]) -> list[str]:
    """Request bodies get models without read-only properties and without defaults.

    Read-only properties are the server's (`id`, `created_on`): a caller must be able to build a body, or an
    object nested in one, without them, and they are never sent. Defaults are the server's too: the
    generator writes `default:` into the model's fields, so a partial update would send every default the
    caller never set (and a create, a copy of the server's default that can go stale); without it an unset
    field is simply not sent. A schema only request bodies use is rewritten in place; one that responses
    use too gets a request variant named `<Name>Request` (drf-spectacular's COMPONENT_SPLIT_REQUEST name),
    and request bodies point at it. Upstream values stay in `x-upstream-read-only` (the removed properties)
    and `x-upstream-default`.
    """
    schemas = spec.get("components", {}).get("schemas", {})
    request_side: set[str] = set()
    other_side: set[str] = set()
    bodies: list[dict[str, Any]] = []
    for _method, _path, operation in iter_operations(spec):
        body = operation.get("requestBody") or {}
        for entry in (body.get("content") or {}).values():
            if isinstance(entry.get("schema"), dict):
                bodies.append(entry)
                _collect_refs(entry["schema"], schemas, request_side, skip_read_only=True)
    # Everything else that names a schema (responses, parameters), and what those reach, read-only or not.
    elsewhere = {key: value for key, value in spec.items() if key not in ("paths", "components")}
    elsewhere["components"] = {k: v for k, v in spec.get("components", {}).items() if k != "schemas"}
    elsewhere["operations"] = [
        {key: value for key, value in operation.items() if key != "requestBody"}
        for _method, _path, operation in iter_operations(spec)
    ]
    _collect_refs(elsewhere, schemas, other_side, skip_read_only=False)

    changes = {name for name in request_side if _own_request_changes(schemas[name])}
    while True:  # a model pointing at a renamed variant must change too
        grown = {
            name
            for name in request_side - changes
            if _refs_of(schemas[name], skip_read_only=True) & {n for n in changes if n in other_side}
        }
        if not grown:
            break
        changes |= grown
    renamed = {name: name + "Request" for name in sorted(changes) if name in other_side}

    log: list[str] = []
    for name in sorted(changes):
        target = renamed.get(name, name)
        derived = _request_schema(schemas[name], renamed)
        if target != name:
            derived["x-derived-from"] = name
            if target in schemas and schemas[target] != derived:
                raise NormaliseError(
                    f"{name} needs a request variant named {target!r}, but the spec already has a different "
                    "schema by that name"
                )
            log.append(f"{target}: request variant of {name} (no read-only properties, no defaults)")
        else:
            log.append(f"{name}: request-only model without read-only properties and defaults")
        schemas[target] = derived
    for entry in bodies:
        entry["schema"] = _renamed_refs(entry["schema"], renamed)
        if "properties" in entry["schema"]:
            entry["schema"] = _request_schema(entry["schema"], renamed)
    return log


def _refs_of(node: Any, *, skip_read_only: bool) -> set[str]:
    found: set[str] = set()
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(SCHEMA_REF_PREFIX):
            found.add(ref.removeprefix(SCHEMA_REF_PREFIX))
        for key, value in node.items():
            if key == "properties" and skip_read_only and isinstance(value, dict):
                for sub in value.values():
                    if not (isinstance(sub, dict) and sub.get("readOnly") is True):
                        found |= _refs_of(sub, skip_read_only=skip_read_only)
            elif key not in ("example", "examples", "default"):
                found |= _refs_of(value, skip_read_only=skip_read_only)
    elif isinstance(node, list):
        for item in node:
            found |= _refs_of(item, skip_read_only=skip_read_only)
    return found


def _collect_refs(node: Any, schemas: dict[str, Any], into: set[str], skip_read_only: bool) -> None:
    """Every schema name reachable from `node` by $ref, transitively, into `into`."""
    pending = _refs_of(node, skip_read_only=skip_read_only) - into
    while pending:
        name = pending.pop()
        if name in into or name not in schemas:
            continue
        into.add(name)
        pending |= _refs_of(schemas[name], skip_read_only=skip_read_only) - into


def _own_request_changes(schema: dict[str, Any]) -> bool:
    return any(
        isinstance(sub, dict) and (sub.get("readOnly") is True or "default" in sub)
        for sub in (schema.get("properties") or {}).values()
    )


def _request_schema(schema: dict[str, Any], renamed: dict[str, str]) -> dict[str, Any]:
    derived: dict[str, Any] = _renamed_refs(copy.deepcopy(schema), renamed)
    properties = derived.get("properties") or {}
    read_only = [name for name, sub in properties.items() if isinstance(sub, dict) and sub.get("readOnly") is True]
    for name in read_only:
        del properties[name]
    if read_only:
        derived["x-upstream-read-only"] = read_only
        required = [name for name in derived.get("required", []) if name not in read_only]
        if required:
            derived["required"] = required
        else:
            derived.pop("required", None)
    for sub in properties.values():
        if isinstance(sub, dict) and "default" in sub:
            sub["x-upstream-default"] = sub.pop("default")
    return derived


def _renamed_refs(node: Any, renamed: dict[str, str]) -> Any:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.removeprefix(SCHEMA_REF_PREFIX) in renamed:
            return {**node, "$ref": SCHEMA_REF_PREFIX + renamed[ref.removeprefix(SCHEMA_REF_PREFIX)]}
        return {key: _renamed_refs(value, renamed) for key, value in node.items()}
    if isinstance(node, list):
        return [_renamed_refs(item, renamed) for item in node]
    return node


def normalise_enum(where: str, schema: dict[str, Any]) -> list[str]:
    """A nullable enum becomes `nullable: true` + `oneOf: [the enum]`; an untyped enum gets its members' type.

    The generator drops `nullable: true` on an enum schema (a null from the server then fails to parse),
    and with `null` kept as a member it emits the same enum class three times under different names; it
    does read a nullable `oneOf` as `Enum | None`. Without a `type` it names the class `...Type1`. An
    enum whose only member is `null` (drf-spectacular's NullEnum) is left alone: it is read as `None`.
    """
    members = schema.get("enum")
    if not isinstance(members, list) or not members:
        return []
    log: list[str] = []
    others = [m for m in members if m is not None]
    if not others:
        return []
    if "type" not in schema:
        kinds = {_json_type(m) for m in others}
        if len(kinds) == 1 and None not in kinds:
            (kind,) = kinds
            schema["type"] = kind
            log.append(f"{where}: untyped enum -> type: {kind}")
    if schema.get("nullable") is True or len(others) != len(members):
        if len(others) != len(members):
            schema["x-upstream-enum"] = list(members)
        inner: dict[str, Any] = {key: schema.pop(key) for key in ("type", "format") if key in schema}
        inner["enum"] = others
        name = schema.get("title") or _schema_name(where)
        if name:  # keeps the class name the generator would give the enum (no `...Type0` suffix)
            inner["title"] = name
        del schema["enum"]
        schema["nullable"] = True
        schema["oneOf"] = [inner]
        log.append(f"{where}: nullable enum -> nullable oneOf [enum]")
    return log


def iter_schemas(spec: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every schema object in the document (components, parameters, bodies, responses), depth first."""

    def walk(where: str, node: Any, is_schema: bool) -> Iterator[tuple[str, dict[str, Any]]]:
        if isinstance(node, dict):
            if is_schema:
                yield where, node
            for key, value in node.items():
                if key in ("properties", "patternProperties"):
                    for name, sub in (value or {}).items():
                        yield from walk(f"{where}.{name}", sub, True)
                elif key in ("items", "additionalProperties", "not", "schema"):
                    yield from walk(f"{where}.{key}", value, True)
                elif key in ("allOf", "oneOf", "anyOf") and isinstance(value, list):
                    for index, sub in enumerate(value):
                        yield from walk(f"{where}.{key}[{index}]", sub, True)
                elif key == "schemas" and where == "components":
                    for name, sub in value.items():
                        yield from walk(name, sub, True)
                elif not is_schema and key not in ("examples", "example"):
                    yield from walk(f"{where}.{key}" if where else key, value, False)
        elif isinstance(node, list) and not is_schema:
            for index, item in enumerate(node):
                yield from walk(f"{where}[{index}]", item, False)

    yield from walk("", spec, False)


def _schema_name(where: str) -> str | None:
    """The component or property name at the end of `where`; None for parameters, bodies and items."""
    if where.startswith("paths") or not where:
        return None
    last = where.rsplit(".", 1)[-1]
    return None if last in ("items", "additionalProperties", "not", "schema") or "[" in last else last


def _json_type(value: Any) -> str | None:
    for python_type, name in _JSON_TYPES:
        if isinstance(value, python_type):
            return name
    return None
