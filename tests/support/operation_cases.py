"""Every operation of the spec as a test case: which module, which arguments make a valid call, which answer.

Tests of a surface (module functions, `Hilos`, the CLI, the fake) parametrize over `OPERATION_CASES`, so an
operation the spec gains is covered by the same tests. The cases come from the package's operation table
(`hilos_client._spec.OPERATIONS`, named by patches/operation-names.json) joined with the patched spec, where
each operation's parameters, bodies and responses are described; the arguments and bodies are the sparsest
the spec allows (required fields only), built deterministically from the schemas.
"""

from __future__ import annotations

import datetime
import enum
import inspect
import typing
import uuid
from dataclasses import dataclass
from functools import cached_property
from types import ModuleType
from typing import Any
from urllib.parse import quote

import pytest
from hilos_client._runtime.operations import Operation
from hilos_client._spec import OPERATIONS
from openapi_python_client.strings import PythonIdentifier

from tests.support import sparsest
from tests.support.sparsest import EXAMPLE_UUID, FORMAT_EXAMPLES
from tests.support.spec_schema import load_patched_spec, resolve

SPEC = load_patched_spec()


def minimal_instance(schema: dict[str, Any], spec: dict[str, Any] = SPEC, *, request: bool = False) -> Any:
    """`sparsest.minimal_instance` in the patched spec by default."""
    return sparsest.minimal_instance(schema, spec, request=request)


# Plain text that needs escaping in a query (space, `&`, `=`, `+`, `/`, non-ASCII), so a value that reaches
# the server intact proves the encoding; cut to a schema's maxLength.
FULL_TEXT = "a b&c=d+e/ü"


def fullest_instance(
    schema: dict[str, Any], spec: dict[str, Any] = SPEC, *, request: bool = False, nulls: bool = False, index: int = 0
) -> Any:
    """The fullest JSON value the (OpenAPI 3.0) schema accepts: every property (a request leaves out read-only
    ones, a response write-only ones), arrays and maps of two entries, enums' members by `index`; with `nulls`,
    every nullable value is null instead."""
    skipped = "readOnly" if request else "writeOnly"
    schema = resolve(spec, schema)
    if nulls and schema.get("nullable"):
        return None
    if "enum" in schema:
        members = [value for value in schema["enum"] if value is not None]
        return members[index % len(members)] if members else None
    for keyword in ("oneOf", "anyOf"):
        if schema.get(keyword):
            return fullest_instance(schema[keyword][0], spec, request=request, nulls=nulls, index=index)

    def full(child: dict[str, Any], at: int = index) -> Any:
        return fullest_instance(child, spec, request=request, nulls=nulls, index=at)

    if schema.get("allOf"):
        merged: dict[str, Any] = {}
        for part in schema["allOf"]:
            value = full(part)
            if isinstance(value, dict):
                merged.update(value)
        return merged
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        value = {
            name: full(child)
            for name, child in schema.get("properties", {}).items()
            if not resolve(spec, child).get(skipped)
        }
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            value.update({f"key{at}": full(extra, at) for at in range(2)})
        return value
    if kind == "array":
        return [full(schema.get("items", {}), at) for at in range(max(2, schema.get("minItems", 0)))]
    if kind == "integer":
        return int(schema.get("minimum", 1)) + index
    if kind == "number":
        return float(schema.get("minimum", 1)) + index + 0.5
    if kind == "boolean":
        return index % 2 == 0
    if kind == "string":
        if "format" in schema and schema["format"] in FORMAT_EXAMPLES:
            return str(uuid.UUID(int=index + 1)) if schema["format"] == "uuid" else FORMAT_EXAMPLES[schema["format"]]
        text = (FULL_TEXT + str(index)) if index else FULL_TEXT
        return text[: schema.get("maxLength", len(text))].ljust(schema.get("minLength", 0), "x")
    return {}


def unmarshalled(schema: dict[str, Any], value: Any, spec: dict[str, Any] = SPEC) -> Any:
    """A parameter's JSON value as openapi-core unmarshals it from the wire (UUIDs and date-times as objects)."""
    schema = resolve(spec, schema)
    if isinstance(value, list):
        return [unmarshalled(schema.get("items", {}), item, spec) for item in value]
    if isinstance(value, str) and schema.get("format") == "uuid":
        return uuid.UUID(value)
    if isinstance(value, str) and schema.get("format") == "date-time":
        return datetime.datetime.fromisoformat(value)
    if isinstance(value, str) and schema.get("format") == "date":
        return datetime.date.fromisoformat(value)
    return value


def python_argument(hint: Any, value: Any) -> Any:
    """A JSON value as a caller passes it for a parameter annotated `hint`: enum members, UUID objects, lists."""
    members = typing.get_args(hint) or (hint,)
    if isinstance(value, list):
        item_hint = next((typing.get_args(m)[0] for m in members if typing.get_origin(m) is list), Any)
        return [python_argument(item_hint, item) for item in value]
    for member in members:
        if isinstance(member, type) and issubclass(member, enum.Enum):
            return member(value)
        if member is uuid.UUID and isinstance(value, str):
            return uuid.UUID(value)
        if member is datetime.datetime and isinstance(value, str):
            return datetime.datetime.fromisoformat(value)
        if member is datetime.date and isinstance(value, str):
            return datetime.date.fromisoformat(value)
    return value


def _python_value(schema: dict[str, Any]) -> Any:
    """A parameter's value as a caller passes it (a UUID object for `format: uuid`)."""
    schema = resolve(SPEC, schema)
    value = minimal_instance(schema)
    return EXAMPLE_UUID if schema.get("format") == "uuid" else value


@dataclass(frozen=True)
class OperationCase:
    """One operation: its row in the operation table and its object in the patched spec."""

    operation: Operation
    spec: dict[str, Any]

    @property
    def id(self) -> str:
        return f"{self.operation.tag}.{self.operation.name}"

    def module(self) -> ModuleType:
        return self.operation.module()

    @cached_property
    def parameters(self) -> list[dict[str, Any]]:
        """The operation's parameters, path-level ones included (the operation's win by name)."""
        path_level = SPEC["paths"][self.operation.path].get("parameters") or []
        own = self.spec.get("parameters") or []
        names = {parameter["name"] for parameter in own}
        return [*own, *(parameter for parameter in path_level if parameter["name"] not in names)]

    def python_name(self, parameter: dict[str, Any]) -> str:
        return str(PythonIdentifier(parameter["name"], prefix="field_"))

    @property
    def body_schema(self) -> dict[str, Any] | None:
        content = (self.spec.get("requestBody") or {}).get("content") or {}
        media = next(iter(content.values()), None)
        return None if media is None else media.get("schema")

    @property
    def body_required(self) -> bool:
        return bool((self.spec.get("requestBody") or {}).get("required"))

    def body_json(self) -> Any:
        """The sparsest body the spec accepts, as JSON (None: the operation takes no body)."""
        return None if self.body_schema is None else minimal_instance(self.body_schema, request=True)

    def body_class(self) -> Any:
        """The request model `body=` takes (None: no body)."""
        hints = typing.get_type_hints(self.module().sync)
        if "body" not in hints:
            return None
        members = [kind for kind in typing.get_args(hints["body"]) or [hints["body"]] if hasattr(kind, "from_dict")]
        return members[0] if members else None

    def path_arguments(self) -> dict[str, Any]:
        return {
            self.python_name(parameter): _python_value(parameter.get("schema", {}))
            for parameter in self.parameters
            if parameter["in"] == "path"
        }

    def filled_path(self) -> str:
        """The operation's path with `path_arguments()` filled in, each percent-encoded as one segment."""
        arguments = self.path_arguments()
        path = self.operation.path
        for parameter in self.parameters:
            if parameter["in"] == "path":
                value = quote(str(arguments[self.python_name(parameter)]), safe="")
                path = path.replace("{" + parameter["name"] + "}", value)
        return path

    def required_arguments(self) -> dict[str, Any]:
        """Keyword arguments of a valid call of the module function (without `client`)."""
        arguments = self.path_arguments()
        for parameter in self.parameters:
            if parameter["in"] != "path" and parameter.get("required"):
                arguments[self.python_name(parameter)] = _python_value(parameter.get("schema", {}))
        body_class = self.body_class()
        if body_class is not None:
            arguments["body"] = body_class.from_dict(self.body_json())
        return arguments

    def optional_query_json(self) -> dict[str, Any]:
        """A valid JSON value for every optional query parameter, by its wire name: enum members, the fullest
        text, arrays of two items (`explode: false` ones included)."""
        return {
            parameter["name"]: fullest_instance(parameter.get("schema", {}), request=True, index=1)
            for parameter in self.parameters
            if parameter["in"] == "query" and not parameter.get("required")
        }

    def every_argument(self) -> dict[str, Any]:
        """Keyword arguments of a valid call that sets everything: `required_arguments()`, every optional
        query parameter (`optional_query_json()`, as Python values) and the fullest body."""
        hints = typing.get_type_hints(self.module().sync)
        by_name = {parameter["name"]: parameter for parameter in self.parameters}
        arguments = self.required_arguments()
        for name, value in self.optional_query_json().items():
            python_name = self.python_name(by_name[name])
            arguments[python_name] = python_argument(hints[python_name], value)
        body_class = self.body_class()
        if body_class is not None:
            arguments["body"] = body_class.from_dict(self.full_body_json())
        return arguments

    def full_body_json(self) -> Any:
        """The fullest body the spec accepts, as JSON (None: the operation takes no body)."""
        return None if self.body_schema is None else fullest_instance(self.body_schema, request=True)

    def query_parameter(self, name: str) -> dict[str, Any]:
        """The query parameter with this wire name."""
        found = [p for p in self.parameters if p["in"] == "query" and p["name"] == name]
        if not found:
            raise KeyError(f"{self.id} has no query parameter {name!r}")
        return found[0]

    @property
    def success_status(self) -> int:
        return min(int(code) for code in self.spec["responses"] if code.isdigit() and code.startswith("2"))

    def response_schema(self, status: int | None = None) -> dict[str, Any] | None:
        """The JSON schema of the answer with `status` (default: the success status); None: no body."""
        response = self.spec["responses"].get(str(status or self.success_status)) or {}
        content = response.get("content") or {}
        media = content.get("application/json")
        return None if media is None else media.get("schema")

    def response_json(self, status: int | None = None) -> Any:
        """The sparsest answer body the spec allows for `status` (None: the answer has no body)."""
        schema = self.response_schema(status)
        return None if schema is None else minimal_instance(schema)

    @property
    def paginated(self) -> bool:
        return hasattr(self.module(), "sync_all")

    def call_signature(self) -> inspect.Signature:
        return inspect.signature(self.module().sync)


def _spec_operation(operation: Operation) -> dict[str, Any]:
    found: dict[str, Any] = SPEC["paths"][operation.path][operation.method.lower()]
    return found


OPERATION_CASES: tuple[OperationCase, ...] = tuple(OperationCase(op, _spec_operation(op)) for op in OPERATIONS)
"""Every operation of the spec, in the order of the operation table."""


def each_operation(*, where: typing.Callable[[OperationCase], bool] | None = None) -> pytest.MarkDecorator:
    """`@each_operation()`: parametrize a test's `case` argument over every operation (or those `where` keeps)."""
    cases = [case for case in OPERATION_CASES if where is None or where(case)]
    return pytest.mark.parametrize("case", cases, ids=[case.id for case in cases])
