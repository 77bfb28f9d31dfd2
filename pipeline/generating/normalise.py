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
# Suffix of the model that carries a body sent as this media type; JSON keeps the original model.
MEDIA_TYPE_SUFFIXES = {
    "application/x-www-form-urlencoded": "Form",
    "multipart/form-data": "Multipart",
}
_JSON_TYPES: tuple[tuple[type, str], ...] = ((bool, "boolean"), (int, "integer"), (float, "number"), (str, "string"))


class NormaliseError(Exception):
    """A rule cannot apply without guessing (for example, a derived model name is already taken)."""


def normalise(spec: dict[str, Any]) -> list[str]:
    """Rewrite `spec` in place; return one log line per rewrite."""
    log: list[str] = []
    log += split_shared_body_schemas(spec)
    for where, schema in iter_schemas(spec):
        log += normalise_enum(where, schema)
    for where, schema in iter_schemas(spec):
        log += name_enum_members(where, schema)
    return log


def split_shared_body_schemas(spec: dict[str, Any]) -> list[str]:
    """One model per media type when a request body offers the same model as JSON, form and multipart.

    The generator picks the media type of a request by the body's Python class (`isinstance`), so a
    single class for three media types makes every request send all three at once. The JSON body keeps
    the original model; each other media type gets a copy named with a suffix (`FlowExecutionCreateForm`,
    `FlowExecutionCreateMultipart`), so the caller chooses the media type by the class it passes.
    """
    log: list[str] = []
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    for method, path, operation in iter_operations(spec):
        content = (operation.get("requestBody") or {}).get("content") or {}
        refs = {media: (entry.get("schema") or {}).get("$ref") for media, entry in content.items()}
        if len(content) < 2 or len(set(refs.values())) != 1:
            continue
        ref = next(iter(refs.values()))
        if not isinstance(ref, str) or not ref.startswith(SCHEMA_REF_PREFIX):
            continue
        name = ref.removeprefix(SCHEMA_REF_PREFIX)
        keeper = JSON_MEDIA_TYPE if JSON_MEDIA_TYPE in content else next(iter(content))
        for media in content:
            if media == keeper:
                continue
            derived = name + _suffix(media)
            wanted = {**copy.deepcopy(schemas[name]), "x-derived-from": name, "x-media-type": media}
            if derived in schemas and schemas[derived] != wanted:
                raise NormaliseError(
                    f"{method.upper()} {path}: the {media} body needs a model named {derived!r}, "
                    "but the spec already has a different schema by that name"
                )
            schemas[derived] = wanted
            content[media]["schema"] = {"$ref": SCHEMA_REF_PREFIX + derived}
            log.append(f"{method.upper()} {path}: {media} body uses {derived} (a copy of {name})")
    return log


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


def _suffix(media_type: str) -> str:
    if media_type in MEDIA_TYPE_SUFFIXES:
        return MEDIA_TYPE_SUFFIXES[media_type]
    subtype = media_type.split("/")[-1].split(";")[0]
    return "".join(part.capitalize() for part in subtype.replace("+", "-").replace(".", "-").split("-"))


def _json_type(value: Any) -> str | None:
    for python_type, name in _JSON_TYPES:
        if isinstance(value, python_type):
            return name
    return None
